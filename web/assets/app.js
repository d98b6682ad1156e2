// redline workbench: the one script of the pages, loaded from this server
// (the Content-Security-Policy allows no inline script). The pages work
// without it; it shows a slider's value while it moves, and keeps the URL
// of a search to what the reader chose.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("input[type=range][data-output]").forEach(function (input) {
    var out = document.getElementById(input.getAttribute("data-output"));
    if (!out) return;
    input.addEventListener("input", function () {
      out.textContent = Number(input.value).toFixed(2);
    });
  });
  // A form submits every field: empty dates and query as "since=&q=", and
  // a slider left at the index's default as a bound the reader never set
  // (a filter chip, and no longer the default). Those are left out.
  document.querySelectorAll("form.search").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("input[name]").forEach(function (input) {
        var unset = input.hasAttribute("data-unset") && input.value === input.defaultValue;
        if (input.value === "" || unset) input.disabled = true;
      });
    });
  });
  // Back from the next page (bfcache), the fields are usable again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form.search input:disabled").forEach(function (input) {
      input.disabled = false;
    });
  });
});
