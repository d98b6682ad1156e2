package index

import "testing"

// Band keys are indexed in a compact form; two different keys must never
// share a term, whatever bytes they hold.
func TestBandTermOneToOne(t *testing.T) {
	keys := []string{
		"00a1b2c3d4e5f6", "00A1B2C3D4E5F6", "00aa", "\x00\xaa", "\x00\x00\xaa", "\xff00aa",
		"0", "000", "01xx", "00zz", "g0", "ff", "\xff", "00", "",
	}
	seen := map[string]string{}
	for _, k := range keys {
		term := bandTerm(k)
		if prev, ok := seen[term]; ok {
			t.Errorf("bandTerm(%q) = bandTerm(%q) = %q", k, prev, term)
		}
		seen[term] = k
	}
	if got := bandTerm("00a1b2c3d4e5f6"); got != "\x00\x00\xa1\xb2\xc3\xd4\xe5\xf6" {
		t.Errorf("hex key indexed as %q, want its 7 bytes behind 0x00", got)
	}
}

// A key and the bytes its hex spells are different keys to Duplicates.
func TestDuplicatesBandForms(t *testing.T) {
	ix := openTemp(t, Options{})
	a := cart("a", "", "Reuters", "2025-01-01")
	a.TextHash, a.Bands = "hash-a", []string{"00aa"}
	b := cart("b", "", "AP", "2025-01-02")
	b.TextHash, b.Bands = "hash-b", []string{"\x00\xaa"}
	if err := ix.Write([]Article{a, b}); err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{"00aa": "a", "\x00\xaa": "b", "00AA": ""} {
		got, err := ix.Duplicates("", []string{key}, 0)
		if err != nil {
			t.Fatal(err)
		}
		var ids string
		for _, g := range got {
			ids += g.DocID
		}
		if ids != want {
			t.Errorf("Duplicates(%q) = %q, want %q", key, ids, want)
		}
	}
}
