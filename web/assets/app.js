// redline workbench: the one script of the pages, loaded from this server
// (the Content-Security-Policy allows no inline script). The pages work
// without it; it only shows a slider's value while it moves.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("input[type=range][data-output]").forEach(function (input) {
    var out = document.getElementById(input.getAttribute("data-output"));
    if (!out) return;
    input.addEventListener("input", function () {
      out.textContent = Number(input.value).toFixed(2);
    });
  });
});
