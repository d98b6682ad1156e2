package extract

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"redline/internal/sharedtest"
	"reflect"
	"strings"
	"testing"
)

// The sentences below describe an invented dispute between Atlantis and
// Borduria (with Cathay as a bystander), so that no test depends on the gold
// articles.

const (
	scTxtFish    = "Atlantis has demanded that Borduria reopen its northern fishing grounds to Atlantean trawlers."
	scTxtFishAlt = "Atlantis has demanded that Borduria reopen its northern fishing grounds to foreign trawlers immediately."
	scTxtTariff  = "Borduria will never accept a tariff on its grain exports, its trade minister said on Tuesday."
	scTxtPort    = "The Bordurian government said it was ready to lease the harbour at Szohod for ten years."
	scTxtOther   = "Negotiators met for six hours in a lakeside hotel without a joint statement."
)

func scGold(doc, sentence, party, kind string, optional bool, topics ...string) Gold {
	return Gold{Doc: doc, Sentence: sentence, Party: party, Kind: kind, Optional: optional, Topics: topics}
}

func scPred(sentence, party, kind string, conf float64, topics ...string) Claim {
	return Claim{Sentence: sentence, Party: party, Kind: kind, Confidence: conf, Topics: topics}
}

func scClose(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestScoreSentenceOverlap(t *testing.T) {
	cases := []struct {
		name string
		a, b string
		want bool
	}{
		{"exact", scTxtFish, scTxtFish, true},
		{"case folded", scTxtFish, strings.ToUpper(scTxtFish), true},
		{"pred contains gold (two sentences merged)", scTxtFish, scTxtOther + " " + scTxtFish, true},
		{"gold contains pred (fragment)", scTxtTariff, "Borduria will never accept a tariff on its grain exports", true},
		// Two words of thirteen: only containment can make these overlap.
		{"containment of a short fragment", "grain tariffs", "Borduria will never accept grain tariffs on its exports, its minister said on Tuesday", true},
		{"containment needs word boundaries", "grain tariff", "Borduria will never accept grain tariffs on its exports, its minister said on Tuesday", false},
		{"white space folded",
			"Atlantis  wants\ta  new\u00a0treaty \n on fishing.",
			"Atlantis wants a new treaty on fishing.", true},
		{"quotes folded",
			"The minister said the offer was “final” and ‘not open to discussion’.",
			"The minister said the offer was \"final\" and 'not open to discussion'.", true},
		{"apostrophes and dashes folded",
			"Borduria’s envoy – a former general – rejected the plan.",
			"Borduria's envoy - a former general - rejected the plan.", true},
		{"bullet marker stripped",
			"•  a halt to grain tariffs,",
			"A halt to grain tariffs,", true},
		{"numbered marker stripped",
			"2) the return of the harbour at Szohod",
			"The return of the harbour at Szohod", true},
		{"word overlap: one word changed", scTxtFish, scTxtFishAlt, true},
		{"word overlap: shares too few words",
			"Atlantis demands that Borduria lift the ban on Atlantean cheese before spring.",
			"Borduria rejects the cheese quota proposed by Cathay last winter.", false},
		// 4 of 4 words of the shorter text occur in the longer one (1.0 >= 0.6),
		// but only 4 of its 12 words (0.33 < 0.5), and not contiguously.
		{"word overlap: long text, scattered words",
			"Atlantis fishing treaty signed",
			"Atlantis and Borduria discussed fishing quotas but no treaty was signed this week", false},
		{"empty text", "", scTxtFish, false},
		{"punctuation only", "…", "…", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a, b := scorePrepare(tc.a), scorePrepare(tc.b)
			got, _ := scoreOverlap(&a, &b)
			back, _ := scoreOverlap(&b, &a)
			if got != tc.want || back != tc.want {
				t.Errorf("overlap(%q, %q) = %v/%v, want %v (folded %q, %q)", tc.a, tc.b, got, back, tc.want, a.folded, b.folded)
			}
		})
	}
}

func TestScoreFold(t *testing.T) {
	cases := []struct{ in, want string }{
		{"  Hello   World  ", "hello world"},
		{"„Never“ — he said…", "'never' - he said..."},
		{"• first item,", "first item,"},
		{"- second item", "second item"},
		{"-5 degrees", "-5 degrees"},
		{"(3) third item", "third item"},
		{"12. twelfth item", "twelfth item"},
		{"b) letter item", "letter item"},
		{"2022 was a year", "2022 was a year"},
		{"U.S. officials said", "u.s. officials said"},
		{"soft\u00adhyphen zero\u200bwidth", "softhyphen zerowidth"},
	}
	for _, tc := range cases {
		if got := scoreFold(tc.in); got != tc.want {
			t.Errorf("scoreFold(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestScoreMatching(t *testing.T) {
	const doc, doc2 = "a.txt", "b.txt"
	type want struct {
		gold, optional, predicted, optMatched, matched, misses, falses int
	}
	cases := []struct {
		name string
		gold []Gold
		pred map[string][]Claim
		want want
	}{
		{
			name: "exact match",
			gold: []Gold{scGold(doc, scTxtFish, "atlantis", KindDemand, false, "fishing")},
			pred: map[string][]Claim{doc: {scPred(scTxtFish, "atlantis", KindDemand, 0.9, "fishing")}},
			want: want{gold: 1, predicted: 1, matched: 1},
		},
		{
			name: "containment match",
			gold: []Gold{scGold(doc, scTxtFish, "atlantis", KindDemand, false)},
			pred: map[string][]Claim{doc: {scPred(scTxtOther+" "+scTxtFish, "atlantis", KindDemand, 0.9)}},
			want: want{gold: 1, predicted: 1, matched: 1},
		},
		{
			name: "folded match",
			gold: []Gold{scGold(doc, "Borduria said the harbour is “not for sale”.", "borduria", KindRedLine, false)},
			pred: map[string][]Claim{doc: {scPred("Borduria said the harbour\nis \"not for sale\".", "borduria", KindRedLine, 0.9)}},
			want: want{gold: 1, predicted: 1, matched: 1},
		},
		{
			name: "word-overlap match",
			gold: []Gold{scGold(doc, scTxtFish, "atlantis", KindDemand, false)},
			pred: map[string][]Claim{doc: {scPred(scTxtFishAlt, "atlantis", KindDemand, 0.9)}},
			want: want{gold: 1, predicted: 1, matched: 1},
		},
		{
			name: "no overlap: FP and FN",
			gold: []Gold{scGold(doc, scTxtFish, "atlantis", KindDemand, false)},
			pred: map[string][]Claim{doc: {scPred(scTxtOther, "atlantis", KindDemand, 0.9)}},
			want: want{gold: 1, predicted: 1, misses: 1, falses: 1},
		},
		{
			name: "party mismatch: FP and FN",
			gold: []Gold{scGold(doc, scTxtTariff, "borduria", KindRedLine, false)},
			pred: map[string][]Claim{doc: {scPred(scTxtTariff, "atlantis", KindRedLine, 0.9)}},
			want: want{gold: 1, predicted: 1, misses: 1, falses: 1},
		},
		{
			name: "kind mismatch: FP and FN",
			gold: []Gold{scGold(doc, scTxtTariff, "borduria", KindRedLine, false)},
			pred: map[string][]Claim{doc: {scPred(scTxtTariff, "borduria", KindDemand, 0.9)}},
			want: want{gold: 1, predicted: 1, misses: 1, falses: 1},
		},
		{
			name: "document mismatch: FP and FN",
			gold: []Gold{scGold(doc, scTxtTariff, "borduria", KindRedLine, false)},
			pred: map[string][]Claim{doc2: {scPred(scTxtTariff, "borduria", KindRedLine, 0.9)}},
			want: want{gold: 1, predicted: 1, misses: 1, falses: 1},
		},
		{
			name: "prediction on optional gold is neither TP nor FP",
			gold: []Gold{
				scGold(doc, scTxtFish, "atlantis", KindDemand, false),
				scGold(doc, scTxtPort, "borduria", KindOffer, true),
			},
			pred: map[string][]Claim{doc: {
				scPred(scTxtFish, "atlantis", KindDemand, 0.9),
				scPred(scTxtPort, "borduria", KindOffer, 0.9),
			}},
			want: want{gold: 1, optional: 1, predicted: 1, optMatched: 1, matched: 1},
		},
		{
			name: "missed optional gold is not FN",
			gold: []Gold{
				scGold(doc, scTxtFish, "atlantis", KindDemand, false),
				scGold(doc, scTxtPort, "borduria", KindOffer, true),
			},
			pred: map[string][]Claim{doc: {scPred(scTxtFish, "atlantis", KindDemand, 0.9)}},
			want: want{gold: 1, optional: 1, predicted: 1, matched: 1},
		},
		{
			name: "prediction matching required and optional gold counts for the required one",
			gold: []Gold{
				// The optional claim comes first and is the closer text: the
				// required claim still wins.
				scGold(doc, scTxtOther+" "+scTxtFish, "atlantis", KindDemand, true),
				scGold(doc, scTxtFish, "atlantis", KindDemand, false),
			},
			pred: map[string][]Claim{doc: {scPred(scTxtOther+" "+scTxtFish, "atlantis", KindDemand, 0.9)}},
			want: want{gold: 1, optional: 1, predicted: 1, matched: 1},
		},
		{
			name: "one to one: two predictions on one gold claim",
			gold: []Gold{scGold(doc, scTxtFish, "atlantis", KindDemand, false)},
			pred: map[string][]Claim{doc: {
				scPred(scTxtFish, "atlantis", KindDemand, 0.9),
				scPred(scTxtFishAlt, "atlantis", KindDemand, 0.9),
			}},
			want: want{gold: 1, predicted: 2, matched: 1, falses: 1},
		},
		{
			name: "one to one: one prediction on two gold claims",
			gold: []Gold{
				scGold(doc, scTxtFish, "atlantis", KindDemand, false),
				scGold(doc, scTxtFishAlt, "atlantis", KindDemand, false),
			},
			pred: map[string][]Claim{doc: {scPred(scTxtFish, "atlantis", KindDemand, 0.9)}},
			want: want{gold: 2, predicted: 1, matched: 1, misses: 1},
		},
		{
			// Gold A = ten words, gold B = its first four words (a list item
			// cut differently). p1 = A exactly, so it matches A (best) and B
			// (contains it); p2 = A with its third word changed, so it matches
			// A only. Greedy alone pairs A-p1 and leaves B; the augmenting
			// path gives A-p2 and B-p1.
			name: "maximum matching beyond greedy",
			gold: []Gold{
				scGold(doc, "alpha bravo charlie delta echo foxtrot golf hotel india juliet", "atlantis", KindDemand, false),
				scGold(doc, "alpha bravo charlie delta", "atlantis", KindDemand, false),
			},
			pred: map[string][]Claim{doc: {
				scPred("alpha bravo charlie delta echo foxtrot golf hotel india juliet", "atlantis", KindDemand, 0.9),
				scPred("alpha bravo zulu delta echo foxtrot golf hotel india juliet", "atlantis", KindDemand, 0.9),
			}},
			want: want{gold: 2, predicted: 2, matched: 2},
		},
		{
			name: "predictions for a document without gold count as false",
			gold: []Gold{scGold(doc, scTxtFish, "atlantis", KindDemand, false)},
			pred: map[string][]Claim{
				doc:  {scPred(scTxtFish, "atlantis", KindDemand, 0.9)},
				doc2: {scPred(scTxtPort, "borduria", KindOffer, 0.9)},
			},
			want: want{gold: 1, predicted: 2, matched: 1, falses: 1},
		},
		{
			name: "nothing predicted",
			gold: []Gold{scGold(doc, scTxtFish, "atlantis", KindDemand, false)},
			pred: nil,
			want: want{gold: 1, misses: 1},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := Score(tc.gold, tc.pred, mustDefaultLexicon(t))
			got := want{r.Gold, r.Optional, r.Predicted, r.OptionalMatched, r.Matched, len(r.Misses), len(r.False)}
			if got != tc.want {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
			p := scoreRatio(tc.want.matched, tc.want.predicted)
			rc := scoreRatio(tc.want.matched, tc.want.gold)
			if !scClose(r.Precision, p) || !scClose(r.Recall, rc) || !scClose(r.F1, scoreF1(p, rc)) {
				t.Errorf("P/R/F1 = %v %v %v, want %v %v %v", r.Precision, r.Recall, r.F1, p, rc, scoreF1(p, rc))
			}
		})
	}
}

func TestScoreMatchingDetails(t *testing.T) {
	// The augmenting case: check which pairs were made, through the lists.
	gold := []Gold{
		scGold("d", scTxtFish, "atlantis", KindDemand, false),
		scGold("d", scTxtTariff, "borduria", KindRedLine, false),
	}
	pred := map[string][]Claim{"d": {
		scPred(scTxtTariff, "atlantis", KindRedLine, 0.7),
		scPred(scTxtFish, "atlantis", KindDemand, 0.7),
	}}
	r := Score(gold, pred, mustDefaultLexicon(t))
	if len(r.Misses) != 1 || r.Misses[0].Sentence != scTxtTariff {
		t.Errorf("misses = %+v, want the tariff claim", r.Misses)
	}
	if len(r.False) != 1 || r.False[0].Doc != "d" || r.False[0].Claim.Party != "atlantis" || r.False[0].Claim.Kind != KindRedLine {
		t.Errorf("false = %+v, want the atlantis red_line", r.False)
	}
	if pred["d"][0].Party != "atlantis" {
		t.Error("Score modified its input")
	}
}

func TestScorePartyAccuracy(t *testing.T) {
	gold := []Gold{
		scGold("d", scTxtTariff, "borduria", KindRedLine, false),
		scGold("d", scTxtTariff, "atlantis", KindDemand, true), // optional parties count too
		scGold("d", scTxtPort, "borduria", KindOffer, false),
	}
	pred := map[string][]Claim{"d": {
		scPred(scTxtTariff, "borduria", KindDemand, 0.9),                            // right party, wrong kind: counts as right
		scPred(scTxtTariff+" The talks resume in May.", "atlantis", KindOffer, 0.9), // overlaps (contains): right
		scPred(scTxtTariff, "cathay", KindRedLine, 0.9),                             // wrong
		scPred(scTxtPort, "atlantis", KindOffer, 0.9),                               // wrong
		scPred(scTxtOther, "atlantis", KindDemand, 0.9),                             // no gold sentence: not counted
	}}
	r := Score(gold, pred, mustDefaultLexicon(t))
	if r.PartyN != 4 || r.PartyRight != 2 || !scClose(r.PartyAccuracy, 0.5) {
		t.Fatalf("party accuracy = %v (right %d of %d), want 0.5 (2 of 4)", r.PartyAccuracy, r.PartyRight, r.PartyN)
	}
	wantWrong := []PartyMiss{
		{Doc: "d", Claim: pred["d"][2], GoldParties: []string{"atlantis", "borduria"}},
		{Doc: "d", Claim: pred["d"][3], GoldParties: []string{"borduria"}},
	}
	if !reflect.DeepEqual(r.WrongParty, wantWrong) {
		t.Errorf("wrong party = %+v, want %+v", r.WrongParty, wantWrong)
	}
	// A prediction on a sentence that merges two gold sentences is right
	// when its party is held on either of them.
	merged := map[string][]Claim{"d": {scPred(scTxtTariff+" "+scTxtPort, "borduria", KindOffer, 0.9)}}
	if r := Score(gold, merged, mustDefaultLexicon(t)); r.PartyN != 1 || r.PartyRight != 1 {
		t.Errorf("merged sentence: right %d of %d, want 1 of 1", r.PartyRight, r.PartyN)
	}
	if r := Score(gold, nil, mustDefaultLexicon(t)); r.PartyN != 0 || r.PartyAccuracy != 0 {
		t.Errorf("no predictions: party accuracy %v n=%d, want 0 n=0", r.PartyAccuracy, r.PartyN)
	}
}

func TestScoreTopics(t *testing.T) {
	gold := []Gold{
		scGold("d", scTxtFish, "atlantis", KindDemand, false, "fishing"),
		scGold("d", scTxtTariff, "borduria", KindRedLine, false, "tariffs", "grain"),
		scGold("d", scTxtPort, "borduria", KindOffer, true, "harbour"),
	}
	pred := map[string][]Claim{"d": {
		scPred(scTxtFish, "atlantis", KindDemand, 0.9, "fishing", "borders", "fishing"), // duplicate topic counts once
		scPred(scTxtTariff, "borduria", KindRedLine, 0.9, "tariffs"),
		scPred(scTxtPort, "borduria", KindOffer, 0.9, "harbour"), // matched to optional gold: counts for topics
		scPred(scTxtOther, "cathay", KindDemand, 0.9, "weather"), // unmatched: does not count
	}}
	r := Score(gold, pred, mustDefaultLexicon(t))
	// common 1+1+1, predicted 2+1+1, gold 1+2+1.
	if r.TopicPairs != 3 || !scClose(r.TopicPrecision, 0.75) || !scClose(r.TopicRecall, 0.75) || !scClose(r.TopicF1, 0.75) {
		t.Errorf("topics: pairs %d P %v R %v F1 %v, want 3 0.75 0.75 0.75", r.TopicPairs, r.TopicPrecision, r.TopicRecall, r.TopicF1)
	}
	pred["d"][0].Topics = []string{"fishing", "borders", "quotas", "boats"}
	r = Score(gold, pred, mustDefaultLexicon(t))
	// common 3, predicted 4+1+1 = 6, gold 4: P 0.5, R 0.75, F1 0.6.
	if !scClose(r.TopicPrecision, 0.5) || !scClose(r.TopicRecall, 0.75) || !scClose(r.TopicF1, 0.6) {
		t.Errorf("topics: P %v R %v F1 %v, want 0.5 0.75 0.6", r.TopicPrecision, r.TopicRecall, r.TopicF1)
	}
}

func TestScorePerKind(t *testing.T) {
	gold := []Gold{
		scGold("d", scTxtFish, "atlantis", KindDemand, false),
		scGold("d", scTxtFishAlt+" Cathay agreed.", "atlantis", KindDemand, false),
		scGold("d", scTxtTariff, "borduria", KindRedLine, false),
		scGold("d", scTxtPort, "borduria", KindOffer, true),
	}
	pred := map[string][]Claim{"d": {
		scPred(scTxtFish, "atlantis", KindDemand, 0.9),
		scPred(scTxtOther, "atlantis", KindDemand, 0.9),
		scPred(scTxtOther, "atlantis", KindRedLine, 0.9),
		scPred(scTxtPort, "borduria", KindOffer, 0.9), // optional: not counted
		scPred(scTxtOther, "atlantis", "threat", 0.9), // a kind outside the three
	}}
	r := Score(gold, pred, mustDefaultLexicon(t))
	want := map[string]KindScore{
		KindDemand:  {Gold: 2, Predicted: 2, Matched: 1, Precision: 0.5, Recall: 0.5, F1: 0.5},
		KindRedLine: {Gold: 1, Predicted: 1},
		KindOffer:   {},
		"threat":    {Predicted: 1},
	}
	if !reflect.DeepEqual(r.PerKind, want) {
		t.Errorf("per kind = %+v, want %+v", r.PerKind, want)
	}
}

func TestScoreBands(t *testing.T) {
	gold := []Gold{
		scGold("d", "Atlantis wants the fishing ban lifted.", "atlantis", KindDemand, false),
		scGold("d", "Borduria must drop its grain tariff.", "atlantis", KindDemand, false),
		scGold("d", "Return the harbour at Szohod, Atlantis insists.", "atlantis", KindDemand, false),
		scGold("d", "The Atlantean envoy asked for open borders.", "atlantis", KindDemand, false),
		scGold("d", "Atlantis asked Cathay to recall its ambassador.", "atlantis", KindDemand, true),
	}
	pred := map[string][]Claim{"d": {
		scPred("Atlantis wants the fishing ban lifted.", "atlantis", KindDemand, 1.0),           // top, TP
		scPred("Borduria must drop its grain tariff.", "atlantis", KindDemand, 0.8),             // top, TP
		scPred("Borduria wants nothing.", "borduria", KindDemand, 0.95),                         // top, FP
		scPred("Return the harbour at Szohod, Atlantis insists.", "atlantis", KindDemand, 0.5),  // middle, TP
		scPred("Cathay wants calm.", "cathay", KindDemand, 0.79),                                // middle, FP
		scPred("The Atlantean envoy asked for open borders.", "atlantis", KindDemand, 0.49),     // bottom, TP
		scPred("Cathay wants rain.", "cathay", KindDemand, 0),                                   // bottom, FP
		scPred("Cathay wants snow.", "cathay", KindDemand, math.NaN()),                          // bottom, FP
		scPred("Atlantis asked Cathay to recall its ambassador.", "atlantis", KindDemand, 0.99), // optional: left out
	}}
	r := Score(gold, pred, mustDefaultLexicon(t))
	want := []ConfidenceBand{
		{Label: "[0.80,1.00]", Min: 0.8, Max: 1, Predicted: 3, Matched: 2, Precision: 2.0 / 3},
		{Label: "[0.50,0.80)", Min: 0.5, Max: 0.8, Predicted: 2, Matched: 1, Precision: 0.5},
		{Label: "[0.00,0.50)", Min: 0, Max: 0.5, Predicted: 3, Matched: 1, Precision: 1.0 / 3},
	}
	if !reflect.DeepEqual(r.Bands, want) {
		t.Errorf("bands = %+v, want %+v", r.Bands, want)
	}
}

func TestReadGold(t *testing.T) {
	const good = "\uFEFF" + `{"doc": "a.txt", "sentence": "Atlantis wants the fishing ban lifted.", "party": "atlantis", "kind": "demand", "topics": ["fishing"], "target": "borduria", "speaker": "", "hedged": false, "optional": false, "note": ""}` + "\r\n" +
		"\n" +
		`{"doc": "a.txt", "sentence": "Borduria is ready to talk.", "party": "borduria", "kind": "offer", "topics": ["talks"], "target": "", "speaker": "Jan Novak", "hedged": true, "condition": "if the ban ends", "optional": true, "note": "loose"}` + "\n"
	got, err := ReadGold(strings.NewReader(good), "good.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	want := []Gold{
		{Doc: "a.txt", Sentence: "Atlantis wants the fishing ban lifted.", Party: "atlantis", Kind: KindDemand, Topics: []string{"fishing"}, Target: "borduria"},
		{Doc: "a.txt", Sentence: "Borduria is ready to talk.", Party: "borduria", Kind: KindOffer, Topics: []string{"talks"}, Speaker: "Jan Novak", Hedged: true, Condition: "if the ban ends", Optional: true, Note: "loose"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ReadGold = %+v, want %+v", got, want)
	}

	line := func(doc, sentence, party, kind string) string {
		b, _ := json.Marshal(Gold{Doc: doc, Sentence: sentence, Party: party, Kind: kind, Topics: []string{"x"}})
		return string(b) + "\n"
	}
	ok := line("a.txt", "Atlantis wants peace.", "atlantis", "demand")
	errCases := []struct {
		name, input, want string
	}{
		{"bad JSON", ok + ok[:40] + "\n", "bad.jsonl:2: bad JSON"},
		{"not an object", ok + "\n[1, 2]\n", "bad.jsonl:3: bad JSON"},
		{"trailing data", ok + strings.TrimSuffix(ok, "\n") + " {}\n", "bad.jsonl:2: bad JSON: trailing data"},
		{"unknown field", strings.Replace(ok, `"optional"`, `"optinal"`, 1), `bad.jsonl:1: bad JSON: json: unknown field "optinal"`},
		{"missing doc", line("", "Atlantis wants peace.", "atlantis", "demand"), `bad.jsonl:1: missing "doc"`},
		{"missing sentence and party", ok + line("a.txt", "Atlantis wants war.", "atlantis", "demand") + line("a.txt", " ", "", "demand"), `bad.jsonl:3: missing "sentence", "party"`},
		{"missing kind", line("a.txt", "Atlantis wants peace.", "atlantis", ""), `bad.jsonl:1: missing "kind"`},
		{"bad kind", ok + line("a.txt", "Atlantis wants peace.", "atlantis", "threat"), `bad.jsonl:2: kind "threat" is not one of demand, red_line, offer`},
		{"duplicate", ok + "\n" + ok, "bad.jsonl:3: duplicate claim: same doc, sentence, party and kind as line 1"},
	}
	for _, tc := range errCases {
		t.Run(tc.name, func(t *testing.T) {
			g, err := ReadGold(strings.NewReader(tc.input), "bad.jsonl")
			if err == nil {
				t.Fatalf("no error, got %d records", len(g))
			}
			if !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error %q, want prefix %q", err, tc.want)
			}
			if g != nil {
				t.Errorf("records returned with the error: %+v", g)
			}
		})
	}

	if g, err := ReadGold(strings.NewReader(""), "empty.jsonl"); err != nil || len(g) != 0 {
		t.Errorf("empty file: %v, %v", g, err)
	}
	if g, err := ReadGold(strings.NewReader(strings.TrimSuffix(ok, "\n")), "nonl.jsonl"); err != nil || len(g) != 1 {
		t.Errorf("no final newline: %v, %v", g, err)
	}
	readErr := errors.New("disk on fire")
	if _, err := ReadGold(scErrReader{ok, readErr}, "io.jsonl"); !errors.Is(err, readErr) || !strings.HasPrefix(err.Error(), "io.jsonl:") {
		t.Errorf("read error: %v", err)
	}
}

// scErrReader yields its text, then fails with err.
type scErrReader struct {
	text string
	err  error
}

func (r scErrReader) Read(p []byte) (int, error) {
	// bufio reads once; the first call returns all of the text and the error.
	n := copy(p, r.text)
	return n, r.err
}

func TestScoreWriteText(t *testing.T) {
	long := "Atlantis wants " + strings.Repeat("a very long list of things, ", 10) + "and more."
	gold := []Gold{
		scGold("a.txt", scTxtFish, "atlantis", KindDemand, false, "fishing"),
		scGold("a.txt", long, "atlantis", KindDemand, false, "fishing"),
		scGold("a.txt", scTxtTariff, "borduria", KindRedLine, true, "tariffs"),
	}
	pred := map[string][]Claim{
		"a.txt": {
			scPred(scTxtFish, "atlantis", KindDemand, 0.9, "fishing"),
			scPred(scTxtTariff, "cathay", KindRedLine, 0.6, "tariffs"),
		},
		"z.txt": {scPred(scTxtPort, "borduria", KindOffer, 0.3, "harbour")},
	}
	r := Score(gold, pred, mustDefaultLexicon(t))

	var buf bytes.Buffer
	if err := r.WriteText(&buf, false); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(buf.String(), "\n"), "\n")
	if !strings.HasPrefix(lines[0], "redline eval:") {
		t.Errorf("header %q", lines[0])
	}
	if lines[1] != "claims: gold 2 (+1 optional), predicted 3, matched 1" {
		t.Errorf("claims line %q", lines[1])
	}
	tail := lines[len(lines)-3:]
	wantTail := []string{
		"claim P/R/F1: 0.333 0.500 0.400",
		"party accuracy: 0.500 (n=2)",
		"topic F1: 1.000",
	}
	if !reflect.DeepEqual(tail, wantTail) {
		t.Errorf("last three lines = %q, want %q\n%s", tail, wantTail, buf.String())
	}
	if strings.Contains(buf.String(), "missed") {
		t.Errorf("non-verbose output lists misses:\n%s", buf.String())
	}
	if !strings.Contains(buf.String(), "z.txt") {
		t.Errorf("no warning about the document without gold:\n%s", buf.String())
	}

	buf.Reset()
	if err := r.WriteText(&buf, true); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, s := range []string{"missed (1):", "false (2):", "wrong party (1):", "a.txt  atlantis/demand  \"Atlantis wants a very long", "…\"", "(gold: borduria)", "z.txt  borduria/offer 0.30"} {
		if !strings.Contains(out, s) {
			t.Errorf("verbose output lacks %q:\n%s", s, out)
		}
	}
	vlines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if !reflect.DeepEqual(vlines[len(vlines)-3:], wantTail) {
		t.Errorf("verbose: last three lines = %q", vlines[len(vlines)-3:])
	}
	for _, l := range vlines {
		if n := len([]rune(l)); n > 220 {
			t.Errorf("line of %d runes not truncated: %q", n, l)
		}
	}

	werr := errors.New("pipe closed")
	if err := r.WriteText(scFailWriter{werr}, true); !errors.Is(err, werr) {
		t.Errorf("WriteText on a failing writer = %v, want %v", err, werr)
	}
}

type scFailWriter struct{ err error }

func (w scFailWriter) Write(p []byte) (int, error) { return 0, w.err }

func TestScoreJSON(t *testing.T) {
	r := Score([]Gold{scGold("a.txt", scTxtFish, "atlantis", KindDemand, false)}, nil, mustDefaultLexicon(t))
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"gold", "optional", "predicted", "optional_matched", "matched", "precision", "recall", "f1",
		"party_accuracy", "party_n", "topic_f1", "per_kind", "bands", "misses", "false_claims", "wrong_party", "unknown_docs"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON lacks %q: %s", k, b)
		}
	}
	for _, k := range []string{"false_claims", "wrong_party", "unknown_docs"} {
		if m[k] == nil {
			t.Errorf("%q is null, want []: %s", k, b)
		}
	}
	if _, ok := m["per_kind"].(map[string]any)["red_line"]; !ok {
		t.Errorf("per_kind lacks red_line: %s", b)
	}
}

// TestScoreSeedsAgainstThemselves scores the shared gold file against its own
// required claims: every figure must be perfect.
func TestScoreSeedsAgainstThemselves(t *testing.T) {
	path := filepath.Join("..", "..", "shared", "gold", "seeds.jsonl")
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		sharedtest.Missing(t, fmt.Sprintf("gold file %s not found (the shared directory is not next to the repository)", path))
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gold, err := ReadGold(f, "seeds.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	pred := make(map[string][]Claim)
	required := 0
	for _, g := range gold {
		if g.Optional {
			continue
		}
		required++
		pred[g.Doc] = append(pred[g.Doc], Claim{
			Sentence: g.Sentence, Party: g.Party, Kind: g.Kind, Topics: g.Topics,
			Target: g.Target, Speaker: g.Speaker, Hedged: g.Hedged, Condition: g.Condition, Confidence: 1,
		})
	}
	r := Score(gold, pred, mustDefaultLexicon(t))
	if r.Gold != required || r.Optional != len(gold)-required || r.Predicted != required || r.Matched != required {
		t.Errorf("counts: gold %d optional %d predicted %d matched %d; want %d %d %d %d",
			r.Gold, r.Optional, r.Predicted, r.Matched, required, len(gold)-required, required, required)
	}
	if r.Precision != 1 || r.Recall != 1 || r.F1 != 1 {
		t.Errorf("P/R/F1 = %v %v %v, want 1 1 1", r.Precision, r.Recall, r.F1)
	}
	if r.PartyAccuracy != 1 || r.PartyN != required {
		t.Errorf("party accuracy %v (n=%d), want 1 (n=%d)", r.PartyAccuracy, r.PartyN, required)
	}
	if r.TopicF1 != 1 || r.TopicPairs != required {
		t.Errorf("topic F1 %v over %d pairs, want 1 over %d", r.TopicF1, r.TopicPairs, required)
	}
	if len(r.Misses) != 0 || len(r.False) != 0 || len(r.WrongParty) != 0 || len(r.UnknownDocs) != 0 {
		t.Errorf("misses %d, false %d, wrong party %d, unknown docs %v; want none",
			len(r.Misses), len(r.False), len(r.WrongParty), r.UnknownDocs)
	}

	// With every claim predicted, the optional ones land on optional gold
	// and change nothing.
	for _, g := range gold {
		if g.Optional {
			pred[g.Doc] = append(pred[g.Doc], Claim{Sentence: g.Sentence, Party: g.Party, Kind: g.Kind, Topics: g.Topics, Confidence: 1})
		}
	}
	r = Score(gold, pred, mustDefaultLexicon(t))
	if r.OptionalMatched != len(gold)-required || r.Precision != 1 || r.Recall != 1 || r.PartyAccuracy != 1 || r.TopicF1 != 1 {
		t.Errorf("all claims: optional matched %d, P %v R %v party %v topic F1 %v",
			r.OptionalMatched, r.Precision, r.Recall, r.PartyAccuracy, r.TopicF1)
	}
}

// TestScoreOtherParties: a party the lexicon marks scored_as other is
// compared with gold as "other" (as the spec's gold files name it), and a
// party the lexicon names without the mark keeps its id, whatever the
// party is called in the Russia–Ukraine spec.
func TestScoreOtherParties(t *testing.T) {
	gold := []Gold{scGold("d", scTxtFish, OtherParty, KindDemand, false)}
	pred := map[string][]Claim{"d": {scPred(scTxtFish, "serbia", KindDemand, 0.9)}}
	builtin := mustDefaultLexicon(t)
	if r := Score(gold, pred, builtin); r.Matched != 1 || r.PartyRight != 1 {
		t.Errorf("built-in lexicon: serbia against gold other: matched %d, party right %d, want 1 1", r.Matched, r.PartyRight)
	}
	const lexicon = "name: balkans\nparties:\n  - {id: serbia, name: Serbia}\n  - {id: kosovo, name: Kosovo, scored_as: other}\ncues:\n  demand: {verbs: [demand]}\ntopics:\n  x: [ex]\n"
	lx, err := ParseLexicon([]byte(lexicon), "balkans")
	if err != nil {
		t.Fatal(err)
	}
	if r := Score(gold, pred, lx); r.Matched != 0 {
		t.Errorf("a lexicon naming serbia: serbia against gold other matched %d, want 0", r.Matched)
	}
	pred["d"][0].Party = "kosovo"
	if r := Score(gold, pred, lx); r.Matched != 1 || r.PartyRight != 1 {
		t.Errorf("kosovo, scored_as other, against gold other: matched %d, party right %d, want 1 1", r.Matched, r.PartyRight)
	}
	if r := Score(gold, pred, nil); r.Matched != 0 {
		t.Errorf("no lexicon: kosovo against gold other matched %d, want 0", r.Matched)
	}
}
