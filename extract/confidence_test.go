package extract

// Tests of the confidence rule (confidence.go). The helpers are in
// claims_test.go.

import (
	"testing"
)

// Confidence lies in [0, 1] and is lower for a claimant found by a heading
// than by a subject, and lower for a hedged claim than a plain one.
func TestClaimsConfidence(t *testing.T) {
	lx, sp := ctSetup(t)
	one := func(blocks ...ct) Claim {
		t.Helper()
		got := runRow(t, lx, sp, claimRow{blocks: blocks})
		if len(got) != 1 {
			t.Fatalf("%q: want one claim, got %s", blocks[len(blocks)-1].text, fmtClaims(got))
		}
		if got[0].Confidence < 0 || got[0].Confidence > 1 {
			t.Errorf("%q: confidence %v out of [0,1]", got[0].Sentence, got[0].Confidence)
		}
		return got[0]
	}
	subject := one(para("Russia rejects a ceasefire along the current lines."))
	speaker := one(para("Lavrov rejects a ceasefire along the current lines."))
	hedged := one(para("Analysts say Russia rejects a ceasefire along the current lines."))
	head := one(heading("What does Russia want?"), para("A ceasefire along the current lines is unacceptable."))
	pronoun := one(para("Russia spoke first."), para("It rejects a ceasefire along the current lines."))
	list := one(para("Russia has set out its conditions:"), bullet("a ceasefire along the current lines"))
	weak := one(para("Russia proposed a ceasefire along the current lines."))
	firm := one(para("Russia demanded a ceasefire along the current lines."))
	for _, c := range []struct {
		name        string
		lower, than Claim
	}{
		{"hedged < subject", hedged, subject},
		{"heading < subject", head, subject},
		{"heading < speaker", head, speaker},
		{"heading < list", head, list},
		{"pronoun < subject", pronoun, subject},
		{"weak cue < firm cue", weak, firm},
	} {
		if !(c.lower.Confidence < c.than.Confidence) {
			t.Errorf("%s: %v (%s) not below %v (%s)", c.name, c.lower.Confidence, c.lower.Sentence, c.than.Confidence, c.than.Sentence)
		}
	}
	if speaker.Confidence != subject.Confidence {
		t.Errorf("speaker %v and subject %v confidence differ", speaker.Confidence, subject.Confidence)
	}
}
