package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"redline/internal/sharedtest"
)

// TestREADMECurlExamples runs every curl example of the README's API
// section against the server over an index of ../shared/corpus/articles.jsonl
// (the README's article id is one of its records): each must answer 200,
// and every top-level field its jq program reads must be in the JSON.
func TestREADMECurlExamples(t *testing.T) {
	const articles = "../../shared/corpus/articles.jsonl"
	if _, err := os.Stat(articles); err != nil {
		sharedtest.Missing(t, "the shared articles are missing: ", err)
	}
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	curl := regexp.MustCompile(`^curl -s (?:-o (\S+) )?'([^']+)'(?: \| jq (.*))?$`)
	field := regexp.MustCompile(`(?:^|[\s,'(])\.([a-z_]+)`)
	type example struct{ line, out, url, jq string }
	var examples []example
	for _, line := range strings.Split(string(b), "\n") {
		if !strings.HasPrefix(line, "curl ") {
			continue
		}
		m := curl.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("README curl example %q: not of the form this test reads (curl -s [-o FILE] 'URL' [| jq PROGRAM])", line)
			continue
		}
		examples = append(examples, example{line, m[1], m[2], m[3]})
	}
	if len(examples) < 5 {
		t.Fatalf("found %d curl examples in the README", len(examples))
	}

	dir := filepath.Join(t.TempDir(), "idx")
	if out, err := exec.Command(redlineBinary(t), "ingest", "--index", dir, articles).CombinedOutput(); err != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
	ts := newServer(t, Options{Dir: dir})
	for _, ex := range examples {
		u, err := url.Parse(ex.url)
		if err != nil {
			t.Errorf("%s: %v", ex.line, err)
			continue
		}
		code, h, body := get(t, ts, u.RequestURI())
		if code != http.StatusOK {
			t.Errorf("README example %q: status %d: %s", ex.line, code, body)
			continue
		}
		if ex.out != "" {
			if !strings.HasPrefix(h.Get("Content-Type"), "text/csv") || !strings.HasPrefix(body, "doc_id,") {
				t.Errorf("README example %q: want a CSV file, got %s:\n%.200s", ex.line, h.Get("Content-Type"), body)
			}
			continue
		}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal([]byte(body), &obj); err != nil {
			t.Errorf("README example %q: not a JSON object: %v", ex.line, err)
			continue
		}
		// Only the first field of each path is checked: .hits[].sentence
		// needs "hits".
		for _, f := range field.FindAllStringSubmatch(" "+ex.jq, -1) {
			if firstField(ex.jq, f[1]) && obj[f[1]] == nil {
				t.Errorf("README example %q: the answer has no %q", ex.line, f[1])
			}
		}
	}
}

// firstField reports whether name appears in the jq program as the first
// field of a path (".name", not ".hits[].name").
func firstField(prog, name string) bool {
	for i := 0; ; {
		j := strings.Index(prog[i:], "."+name)
		if j < 0 {
			return false
		}
		j += i
		if j == 0 || !strings.ContainsRune("]abcdefghijklmnopqrstuvwxyz_", rune(prog[j-1])) {
			return true
		}
		i = j + 1
	}
}
