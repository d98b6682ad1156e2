package extract

import (
	"slices"
	"strings"
	"testing"

	"redline/corpus"
)

// testClasses are a few words in classes of their own making: the
// features must follow the file, not the built-in classes.
const testClasses = "0101100010\tpressed\t7\n0101100010\turged\t34\n1001\tkyiv\t500\n0111\tto\t9000\n0010110\tspokesman\t60\n110\tagain\t50\n"

// classFeats returns the word-class features (prefix "k") of the one
// candidate sentence of text: the sentence's and those of party's holder.
func classFeats(t *testing.T, wc *WordClasses, text, party string) (sent, holder []string) {
	t.Helper()
	ex := rulesExtractor(t)
	art, err := Text(corpus.Document{ID: "t", Text: text})
	if err != nil {
		t.Fatal(err)
	}
	_, cands := ex.lex.candidates(art, ex.split.Split(art), true, nil, wc)
	if len(cands) != 1 {
		t.Fatalf("%q: %d candidate sentences, want 1", text, len(cands))
	}
	pick := func(fs featureSet) []string {
		var out []string
		for _, name := range fs.names {
			if strings.HasPrefix(name, "kc") || strings.HasPrefix(name, "kp") || strings.HasPrefix(name, "kmid") {
				out = append(out, name)
			}
		}
		return out
	}
	sent = pick(cands[0].base)
	for _, h := range cands[0].holders {
		if h.party == party {
			holder = pick(h.feats)
		}
	}
	return sent, holder
}

func TestClassFeatures(t *testing.T) {
	wc, err := ParseWordClasses([]byte(testClasses), "test")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, text, party string
		sent, holder      []string // features that must be there
		notSent, notHold  []string // and features that must not
	}{
		{
			name: "cue and holder words", party: "russia",
			text: "The Kremlin spokesman again pressed Kyiv to withdraw.",
			// "pressed" is a cue: its class at 4, 8 and all 10 bits; its
			// right neighbour "kyiv" has 4 bits only; the holder is
			// "Kremlin", then "spokesman again" up to the cue.
			sent:   []string{"kc:0101", "kc:01011000", "kc:0101100010", "kcr:1001"},
			holder: []string{"kpr:0010", "kpr:0010110", "kmid:0010110", "kmid:110"},
		},
		{
			name: "words with no class give nothing", party: "russia",
			text:    "The Kremlin official demanded guarantees.",
			notSent: []string{"kc:", "kcr:", "kcl:"},
			notHold: []string{"kpr:", "kpl:"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sent, holder := classFeats(t, wc, tc.text, tc.party)
			for _, f := range tc.sent {
				if !slices.Contains(sent, f) {
					t.Errorf("sentence features %v lack %s", sent, f)
				}
			}
			for _, f := range tc.holder {
				if !slices.Contains(holder, f) {
					t.Errorf("holder features %v lack %s", holder, f)
				}
			}
			for _, p := range tc.notSent {
				for _, f := range sent {
					if strings.HasPrefix(f, p) {
						t.Errorf("sentence feature %s fired", f)
					}
				}
			}
			for _, p := range tc.notHold {
				for _, f := range holder {
					if strings.HasPrefix(f, p) {
						t.Errorf("holder feature %s fired", f)
					}
				}
			}
		})
	}
	// Without classes, no class feature at all.
	sent, holder := classFeats(t, nil, "The Kremlin spokesman pressed Kyiv to withdraw.", "russia")
	if len(sent)+len(holder) > 0 {
		t.Errorf("no classes gave %v %v", sent, holder)
	}
}
