package claim

import (
	"bytes"
	"strings"
	"testing"
)

func TestCSVSafe(t *testing.T) {
	for in, want := range map[string]string{
		"=SUM(A1)": "'=SUM(A1)", "+1": "'+1", "-x": "'-x", "@a": "'@a", "\tx": "'\tx", "\rx": "'\rx",
		"": "", "plain": "plain", "0.80": "0.80", "a=b": "a=b",
	} {
		if got := CSVSafe(in); got != want {
			t.Errorf("CSVSafe(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestExportWriter(t *testing.T) {
	c := Claim{DocID: "d", Title: "=HYPERLINK(\"x\")", Sentence: "Russia <demands> a \"ceasefire\".", Start: 3, End: 30,
		Party: "russia", Kind: Demand, Topics: []string{"ceasefire", "nato"}, Confidence: 0.696, Long: LongListItem}
	var b bytes.Buffer
	w, err := NewExportWriter(&b, "csv")
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(c); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if lines[0] != strings.Join(ExportColumns, ",") || len(lines) != 2 {
		t.Fatalf("CSV:\n%s", b.String())
	}
	if !strings.Contains(lines[1], `"'=HYPERLINK(""x"")"`) || !strings.Contains(lines[1], ",ceasefire;nato,") || !strings.HasSuffix(lines[1], ",0.696,,list item") {
		t.Errorf("CSV row: %s", lines[1])
	}
	b.Reset()
	if w, err = NewExportWriter(&b, "jsonl"); err != nil {
		t.Fatal(err)
	}
	if err := w.Write(c); err != nil || w.Flush() != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `"sentence":"Russia <demands> a \"ceasefire\"."`) || !strings.Contains(b.String(), `"title":"=HYPERLINK`) {
		t.Errorf("JSONL: %s", b.String())
	}
	if _, err := NewExportWriter(&b, "xml"); err == nil {
		t.Error("format xml: no error")
	}
}
