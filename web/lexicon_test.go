package web

import (
	"encoding/json"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestIndexLexicon checks that the workbench reads party names with the
// lexicon of the index it serves: in an index of another negotiation,
// "Britain" is that lexicon's e3 (the built-in lexicon makes it
// united_kingdom) and "Muscat" is Oman (the built-in lexicon has no such
// party), and the parties are labelled by that lexicon's names.
func TestIndexLexicon(t *testing.T) {
	ts := newServer(t, Options{Dir: nuclearIndex(t)})
	for _, c := range []struct{ name, party string }{{"Britain", "e3"}, {"Muscat", "oman"}, {"IAEA", "iaea"}} {
		code, _, body := get(t, ts, "/api/search?min_confidence=0&party="+c.name)
		if code != http.StatusOK {
			t.Fatalf("party=%s: status %d: %s", c.name, code, body)
		}
		var res struct {
			Total int `json:"total"`
			Hits  []struct {
				Party string `json:"party"`
			} `json:"hits"`
		}
		if err := json.Unmarshal([]byte(body), &res); err != nil {
			t.Fatalf("party=%s: %v\n%s", c.name, err, body)
		}
		if len(res.Hits) == 0 {
			t.Errorf("party=%s: no claims; want those of %s", c.name, c.party)
		}
		for _, h := range res.Hits {
			if h.Party != c.party {
				t.Errorf("party=%s: a claim of %q, want %q", c.name, h.Party, c.party)
			}
		}
	}
	code, _, page := get(t, ts, "/?min_confidence=0&party=Britain")
	if code != http.StatusOK {
		t.Fatalf("search page: status %d", code)
	}
	if !strings.Contains(page, ">E3<") || strings.Contains(page, "United Kingdom") {
		t.Error("the search page for Britain does not label its claims as the E3's")
	}
	code, _, cmpPage := get(t, ts, "/api/compare?min_confidence=0&party=Muscat")
	if code != http.StatusOK || !strings.Contains(cmpPage, `"oman"`) {
		t.Errorf("compare of Muscat: status %d, want Oman's positions: %.300s", code, cmpPage)
	}
}

// nuclearIndex is an index of testdata/nuclear/articles made with its
// lexicon, another negotiation than the built-in lexicon's.
func nuclearIndex(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "nuclear.index")
	if out, err := exec.Command(redlineBinary(t), "ingest", "--index", dir, "--lexicon", "../testdata/nuclear/lexicon.yaml", "../testdata/nuclear/articles").CombinedOutput(); err != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
	return dir
}

// TestStatusPartyNames: the status page names the parties as the search
// page does, by the lexicon of the index ("United States", "E3"), and
// links each to its claims by id. It listed the ids ("united_states",
// "e3").
func TestStatusPartyNames(t *testing.T) {
	ts := newServer(t, Options{Dir: nuclearIndex(t)})
	_, _, body := get(t, ts, "/status")
	for _, want := range []string{`<a href="/?party=united_states&amp;min_confidence=0">United States</a>`, `<a href="/?party=e3&amp;min_confidence=0">E3</a>`} {
		if !strings.Contains(body, want) {
			t.Errorf("the status page lacks %s", want)
		}
	}
}
