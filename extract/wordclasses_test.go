package extract

import (
	"strings"
	"testing"
)

func TestParseWordClasses(t *testing.T) {
	good := "# made by redline clusters\n0101\turged\t34\n0101\tpressed\t7\n\n1001\tlavrov\t54\n"
	wc, err := ParseWordClasses([]byte(good), "good.tsv")
	if err != nil {
		t.Fatal(err)
	}
	if wc.Len() != 3 {
		t.Fatalf("Len = %d, want 3", wc.Len())
	}
	if b, ok := wc.Class("pressed"); !ok || b != "0101" {
		t.Fatalf("Class(pressed) = %q, %v", b, ok)
	}
	if _, ok := wc.Class("Pressed"); ok {
		t.Fatal("a word is looked up as the tokenizer normalises it, in lower case")
	}
	other, err := ParseWordClasses([]byte(strings.Replace(good, "0101\tpressed", "0100\tpressed", 1)), "other.tsv")
	if err != nil {
		t.Fatal(err)
	}
	if wc.Fingerprint() == other.Fingerprint() {
		t.Fatal("other classes have the same fingerprint")
	}

	for _, tc := range []struct{ in, want string }{
		{"0101\turged\n", "bad.tsv:1: want BITS<TAB>WORD<TAB>COUNT, got 2 fields"},
		{"0101\turged\t3\n01x\tpressed\t3\n", `bad.tsv:2: class "01x" is not a bit string`},
		{"0101\t\t3\n", "bad.tsv:1: empty word"},
		{"0101\turged\tmany\n", `bad.tsv:1: count "many" is not a number`},
		{"0101\turged\t3\n0111\turged\t3\n", `bad.tsv:2: word "urged" listed twice`},
	} {
		_, err := ParseWordClasses([]byte(tc.in), "bad.tsv")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseWordClasses(%q) = %v, want an error with %q", tc.in, err, tc.want)
		}
	}
}

func TestDefaultWordClasses(t *testing.T) {
	wc, err := DefaultWordClasses()
	if err != nil {
		t.Fatal(err)
	}
	// The built-in file is learned from news: the words every article has
	// must be in it.
	for _, w := range []string{"the", "said", "russia"} {
		if _, ok := wc.Class(w); !ok {
			t.Errorf("built-in classes have no class for %q (%d words)", w, wc.Len())
		}
	}
}

func FuzzParseWordClasses(f *testing.F) {
	f.Add([]byte("0101\turged\t34\n1\tx\t1\n"))
	f.Add([]byte("#\n\n0\ta\t1"))
	f.Add([]byte("01\ta\t1\n01\ta\t1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		wc, err := ParseWordClasses(data, "fuzz")
		if err != nil {
			return
		}
		for w, b := range wc.bits {
			if w == "" || b == "" || strings.Trim(b, "01") != "" {
				t.Fatalf("accepted word %q with class %q", w, b)
			}
		}
	})
}

// TestModelClasses: a model reads the classes it was trained with, and
// other classes are an error that says so, never silently other features.
func TestModelClasses(t *testing.T) {
	builtin, err := DefaultWordClasses()
	if err != nil {
		t.Fatal(err)
	}
	m, err := DefaultModel()
	if err != nil {
		t.Fatal(err)
	}
	if m.Classes() != builtin.Fingerprint() || m.classes == nil || m.classes.Fingerprint() != builtin.Fingerprint() {
		t.Fatalf("built-in model records classes %q, built-in classes are %q", m.Classes(), builtin.Fingerprint())
	}
	ex, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if ex.Model().classes == nil {
		t.Fatal("the built-in model reads no classes")
	}
	other, err := ParseWordClasses([]byte(testClasses), "other.tsv")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New(Options{Classes: other}); err == nil || !strings.Contains(err.Error(), "word classes "+m.Classes()) {
		t.Fatalf("built-in model with other classes: %v", err)
	}

	// A model trained with classes that are not the built-in ones needs
	// them given.
	data, err := m.Encode()
	if err != nil {
		t.Fatal(err)
	}
	data = []byte(strings.Replace(string(data), `"classes":"`+m.Classes()+`"`, `"classes":"`+other.Fingerprint()+`"`, 1))
	mo, err := ParseModel(data, "other-model.json")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New(Options{Model: mo}); err == nil || !strings.Contains(err.Error(), "--classes") {
		t.Fatalf("model trained with other classes, given none: %v", err)
	}
	ex, err = New(Options{Model: mo, Classes: other})
	if err != nil {
		t.Fatal(err)
	}
	if ex.Model().classes != other {
		t.Fatal("the model does not read the classes given")
	}
	if mo.classes != nil {
		t.Fatal("WithClasses changed the model it was called on")
	}
}
