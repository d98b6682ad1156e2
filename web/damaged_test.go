package web

import (
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDamagedIndexEveryPage: on an index whose segment files are damaged,
// every page and API answers 500 with the message that names the index
// and the damaged segment, never 200 with what the sound segments hold.
// The article page, its API and the claim API read their record without
// verifying the segments, and answered 200.
func TestDamagedIndexEveryPage(t *testing.T) {
	sound := newServer(t, Options{Dir: sampleIndex(t)})
	var res searchResult
	getJSON(t, sound, "/api/search?min_confidence=0&limit=1", 200, &res)
	if len(res.Hits) == 0 {
		t.Fatal("the sample index has no claims")
	}
	docID, claimID := res.Hits[0].DocID, res.Hits[0].ID

	dir := filepath.Join(t.TempDir(), "damaged.index")
	if err := os.CopyFS(dir, os.DirFS(sampleIndex(t))); err != nil {
		t.Fatal(err)
	}
	var segs []string
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && filepath.Ext(p) == ".zap" {
			segs = append(segs, p)
		}
		return err
	})
	if len(segs) == 0 {
		t.Fatal("no segment files in the copy")
	}
	for _, p := range segs {
		// Invert 256 bytes in the middle: damage the zap reader does not
		// notice by itself, only the checksum does.
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for i := len(b) / 2; i < min(len(b)/2+256, len(b)); i++ {
			b[i] ^= 0xff
		}
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	ts := newServer(t, Options{Dir: dir})
	for _, path := range []string{
		"/article/" + url.PathEscape(docID),
		"/api/articles/" + url.PathEscape(docID),
		"/api/claims/" + url.PathEscape(claimID),
		"/",
		"/?q=ceasefire",
		"/status",
		"/compare",
		"/api/search",
		"/api/stats",
		"/api/compare",
		"/api/export",
		"/export?format=csv",
	} {
		code, _, body := get(t, ts, path)
		if code != 500 {
			t.Errorf("GET %s on a damaged index: status %d, want 500\n%.300s", path, code, body)
			continue
		}
		if !strings.Contains(body, "damaged") || !strings.Contains(body, ".zap") || !strings.Contains(body, "redline repair") {
			t.Errorf("GET %s on a damaged index: the message does not name the damage, the segment and the way out:\n%.600s", path, body)
		}
	}
}
