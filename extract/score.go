package extract

// Scoring of predicted claims against a gold file: the figures that
// `redline eval` reports. The contract is the spec's "Gold file format" and
// "How extraction is scored" (shared/spec/claims.md).

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Gold is one line of a gold JSONL file: one claim as an annotator recorded it.
// Doc is the article's file name and Sentence is copied from the article (a
// whole sentence or a whole list item without its marker). Doc, Sentence, Party
// and Kind are required; Kind is KindDemand, KindRedLine or KindOffer. Optional
// marks a claim careful readers could disagree on: Score leaves it out of both
// precision and recall. Condition is omitted from the JSON form when empty, as
// in the gold files.
type Gold struct {
	Doc       string   `json:"doc"`
	Sentence  string   `json:"sentence"`
	Party     string   `json:"party"`
	Kind      string   `json:"kind"`
	Topics    []string `json:"topics"`
	Target    string   `json:"target"`
	Speaker   string   `json:"speaker"`
	Hedged    bool     `json:"hedged"`
	Condition string   `json:"condition,omitempty"`
	Optional  bool     `json:"optional"`
	Note      string   `json:"note"`
}

// ReadGold reads a gold file: one JSON object per line, as Gold describes.
// Blank lines are skipped; a UTF-8 byte order mark and CRLF line ends are
// accepted. name is used only in error messages, which have the form
// "name:line: reason" with 1-based line numbers. A line is rejected when it is
// not exactly one JSON object of the Gold fields (bad JSON, an unknown field
// such as a misspelt "optional", trailing data), when doc, sentence, party or
// kind is missing or blank, when kind is not demand, red_line or offer, or when
// it repeats the (doc, sentence, party, kind) of an earlier line. The first
// error ends the read and no records are returned with it.
func ReadGold(r io.Reader, name string) ([]Gold, error) { return readGold(r, name, nil) }

// ReadGoldFor reads a gold file as ReadGold does and also checks it
// against the lexicon whose claims it is to score or train: a party that
// is neither one of the lexicon's ids nor "other" (the spec's id for any
// other state or organisation), or a topic the lexicon does not define, is
// an error naming the file, the line and the lexicon's ids. Such a claim
// could never be matched, so a typo ("irna") or gold written for another
// lexicon would otherwise lower every figure without a word. A target is
// not checked: it is not scored, and gold may name a party the lexicon
// does not know as one.
func ReadGoldFor(r io.Reader, name string, lx *Lexicon) ([]Gold, error) {
	return readGold(r, name, func(g Gold) error {
		if _, ok := lx.parties[g.Party]; !ok && g.Party != OtherParty {
			return fmt.Errorf("party %q is not a party of lexicon %q (%s), nor %q; gold written for another lexicon is read with that one (--lexicon)", g.Party, lx.Name(), strings.Join(lx.partyIDs, ", "), OtherParty)
		}
		for _, t := range g.Topics {
			if !slices.Contains(lx.topicIDs, t) {
				return fmt.Errorf("topic %q is not a topic of lexicon %q (%s); gold written for another lexicon is read with that one (--lexicon)", t, lx.Name(), strings.Join(lx.topicIDs, ", "))
			}
		}
		return nil
	})
}

// OtherParty is the party id gold files give any state or organisation
// the lexicon does not name, or marks scored_as other.
const OtherParty = "other"

// readGold is ReadGold with check, when not nil, run on each line's claim;
// its error is the reason, and readGold adds the file and line.
func readGold(r io.Reader, name string, check func(Gold) error) ([]Gold, error) {
	br := bufio.NewReader(r)
	var out []Gold
	seen := make(map[[4]string]int)
	for lineNo := 1; ; lineNo++ {
		line, err := br.ReadBytes('\n')
		if err != nil && err != io.EOF {
			return nil, fmt.Errorf("%s:%d: %w", name, lineNo, err)
		}
		if lineNo == 1 {
			line = bytes.TrimPrefix(line, []byte("\uFEFF"))
		}
		if trimmed := bytes.TrimSpace(line); len(trimmed) > 0 {
			g, perr := scoreParseGoldLine(trimmed)
			if perr == nil && check != nil {
				perr = check(g)
			}
			if perr != nil {
				return nil, fmt.Errorf("%s:%d: %s", name, lineNo, perr)
			}
			key := [4]string{g.Doc, g.Sentence, g.Party, g.Kind}
			if prev, dup := seen[key]; dup {
				return nil, fmt.Errorf("%s:%d: duplicate claim: same doc, sentence, party and kind as line %d", name, lineNo, prev)
			}
			seen[key] = lineNo
			out = append(out, g)
		}
		if err == io.EOF {
			return out, nil
		}
	}
}

// scoreParseGoldLine decodes and validates one non-blank gold line. Its
// error text is the reason alone; ReadGold adds the file and line.
func scoreParseGoldLine(line []byte) (Gold, error) {
	var g Gold
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&g); err != nil {
		return Gold{}, fmt.Errorf("bad JSON: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Gold{}, fmt.Errorf("bad JSON: trailing data after the object")
	}
	var missing []string
	for _, f := range []struct{ name, val string }{
		{"doc", g.Doc}, {"sentence", g.Sentence}, {"party", g.Party}, {"kind", g.Kind},
	} {
		if strings.TrimSpace(f.val) == "" {
			missing = append(missing, `"`+f.name+`"`)
		}
	}
	if len(missing) > 0 {
		return Gold{}, fmt.Errorf("missing %s", strings.Join(missing, ", "))
	}
	switch g.Kind {
	case KindDemand, KindRedLine, KindOffer:
	default:
		return Gold{}, fmt.Errorf("kind %q is not one of %s, %s, %s", g.Kind, KindDemand, KindRedLine, KindOffer)
	}
	return g, nil
}

// Scored is a predicted claim with the gold document name it was scored under
// (the key of the map given to Score).
type Scored struct {
	Doc   string `json:"doc"`
	Claim Claim  `json:"claim"`
}

// PartyMiss is a predicted claim on a gold sentence whose party is none of the
// parties the gold file gives for that sentence (GoldParties, sorted).
type PartyMiss struct {
	Doc         string   `json:"doc"`
	Claim       Claim    `json:"claim"`
	GoldParties []string `json:"gold_parties"`
}

// KindScore holds the claim figures restricted to one kind: Gold counts the
// required gold claims of the kind, Predicted the predictions of the kind
// that were not matched to optional gold, Matched the matches (kinds of
// matched claims are always equal). Precision, Recall and F1 are 0 when their
// denominator is 0.
type KindScore struct {
	Gold      int     `json:"gold"`
	Predicted int     `json:"predicted"`
	Matched   int     `json:"matched"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

// ConfidenceBand is the precision of the predictions whose Confidence lies in
// [Min, Max), counting the same predictions as Report.Predicted (those matched
// to optional gold are left out). The top band also holds confidences of 1 and
// above, the bottom band anything below 0.5, including negative values and NaN.
type ConfidenceBand struct {
	Label     string  `json:"label"` // "[0.80,1.00]", "[0.50,0.80)", "[0.00,0.50)"
	Min       float64 `json:"min"`
	Max       float64 `json:"max"`
	Predicted int     `json:"predicted"`
	Matched   int     `json:"matched"`
	Precision float64 `json:"precision"` // Matched/Predicted, 0 when Predicted is 0
}

// Report holds the evaluation figures Score computes. Every ratio is 0 when its
// denominator is 0. The slices are never nil, so the JSON form has [] rather
// than null.
type Report struct {
	// GoldDocs counts the documents with at least one gold claim, PredDocs the
	// keys of the prediction map with at least one claim. UnknownDocs lists,
	// sorted, the prediction keys with claims but no gold claims: all their
	// claims count as false.
	GoldDocs    int      `json:"gold_docs"`
	PredDocs    int      `json:"pred_docs"`
	UnknownDocs []string `json:"unknown_docs"`

	// Gold counts the required gold claims and Optional the optional ones.
	// Predicted counts the predicted claims less OptionalMatched, the ones
	// matched to an optional gold claim. Matched counts the predictions
	// matched to required gold claims (true positives).
	Gold            int `json:"gold"`
	Optional        int `json:"optional"`
	Predicted       int `json:"predicted"`
	OptionalMatched int `json:"optional_matched"`
	Matched         int `json:"matched"`

	// Claim precision Matched/Predicted, recall Matched/Gold, and their F1.
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`

	// PartyAccuracy is PartyRight/PartyN: PartyN counts the predicted claims
	// (all of them, whatever their kind or match) whose sentence overlaps the
	// sentence of at least one gold claim (required or optional) of the same
	// document; PartyRight counts those whose party is one of the parties of
	// the gold claims on the overlapping sentences.
	PartyAccuracy float64 `json:"party_accuracy"`
	PartyN        int     `json:"party_n"`
	PartyRight    int     `json:"party_right"`

	// Topic figures: micro precision, recall and F1 of the topic sets over
	// the TopicPairs matched pairs (matches to required and optional gold).
	TopicPrecision float64 `json:"topic_precision"`
	TopicRecall    float64 `json:"topic_recall"`
	TopicF1        float64 `json:"topic_f1"`
	TopicPairs     int     `json:"topic_pairs"`

	// PerKind has an entry for demand, red_line and offer, and one for every
	// other kind that a prediction carries.
	PerKind map[string]KindScore `json:"per_kind"`
	// Bands are the confidence bands, highest first.
	Bands []ConfidenceBand `json:"bands"`

	// Misses are the required gold claims no prediction matched, in gold
	// order. False are the predictions matched to no gold claim, required or
	// optional, ordered by document name and then by their order in the
	// document's slice. WrongParty are the predictions that count against
	// party accuracy, in the same order.
	Misses []Gold `json:"misses"`
	// Outcomes has one entry per prediction counted in Predicted, in the
	// order of False: its confidence and whether it matched a required
	// gold claim. Calibration reads it.
	Outcomes   []Outcome   `json:"-"`
	False      []Scored    `json:"false_claims"`
	WrongParty []PartyMiss `json:"wrong_party"`
}

// Outcome is one scored prediction: its confidence and whether it was right.
type Outcome struct {
	Confidence float64
	Right      bool
}

// Thresholds of the word-overlap rule of sentence matching; see Score.
const (
	scoreOverlapOfShorter = 0.6
	scoreOverlapOfLonger  = 0.5
)

// scoreText is a sentence prepared for matching.
type scoreText struct {
	folded string              // scoreFold of the sentence
	words  map[string]struct{} // its word set
}

func scorePrepare(s string) scoreText {
	f := scoreFold(s)
	return scoreText{folded: f, words: scoreWordSet(f)}
}

// Score compares predicted claims with gold claims and returns the report.
// pred is keyed by gold document name (Gold.Doc); the caller maps its
// documents to those names. Predictions under a key with no gold claims are
// scored like any other and so count as false (see Report.UnknownDocs).
//
// A prediction matches a gold claim when the document names are equal, the
// sentences overlap, and party and kind are equal (exact strings). Two
// sentences overlap when, after folding, one contains the other or they share
// most of their words:
//
//   - Folding lowercases, maps the quote marks “ ” „ ‟ ″ " ‘ ’ ‚ ‛ ′ ' ` « »
//     ‹ › to one form (') and the dashes ‐ ‑ ‒ – — ― − to -, turns … into ...,
//     drops soft hyphens and zero-width characters, collapses white space runs
//     into one space, trims, and strips one leading list marker (• · ‣ ◦ ▪ ● ■
//     and the like; "-", "*" or ">" followed by a space; "1." "1)" "(1)" "a)"
//     followed by a space).
//   - Containment: the shorter folded text occurs in the longer one starting
//     and ending on word boundaries, and has at least one word.
//   - Words are the maximal runs of letters and digits of the folded text, taken
//     as a set (so "Russia's" gives "russia" and "s"). The sets A and B share
//     most of their words when |A∩B| >= 0.6·min(|A|,|B|) and
//     |A∩B| >= 0.5·max(|A|,|B|). A text without words overlaps nothing.
//
// Matching is one to one: each gold claim matches at most one prediction and
// each prediction at most one gold claim. Required gold claims are matched
// first against all predictions, then optional ones against the predictions
// left, so that a prediction that could match both counts for the required
// claim. Within each round, candidate pairs are taken greedily from the most
// similar (equal folded texts first, then by Jaccard similarity of the word
// sets; ties by gold order, then prediction order), and the matching is then
// completed with augmenting paths, so that it has the largest possible number
// of pairs. A prediction matched to an optional gold claim is neither a true
// nor a false positive; an unmatched optional gold claim is not a miss.
//
// A predicted party that the gold file does not name, and that lx does not
// name or marks scored_as other, is compared as "other", the gold files'
// id for any other state or organisation: the built-in lexicon knows
// "serbia", which gold written to the spec calls "other". A nil lx
// compares every party as itself.
//
// Party accuracy and topic figures are as Report documents them; the inputs
// are not modified.
func Score(gold []Gold, pred map[string][]Claim, lx *Lexicon) Report {
	rep := Report{
		UnknownDocs: []string{},
		PerKind:     make(map[string]KindScore),
		Misses:      []Gold{},
		False:       []Scored{},
		WrongParty:  []PartyMiss{},
	}

	// Gold claims, prepared and grouped by document.
	goldText := make([]scoreText, len(gold))
	goldByDoc := make(map[string][]int)
	for i, g := range gold {
		goldText[i] = scorePrepare(g.Sentence)
		goldByDoc[g.Doc] = append(goldByDoc[g.Doc], i)
		if g.Optional {
			rep.Optional++
		} else {
			rep.Gold++
		}
	}
	rep.GoldDocs = len(goldByDoc)

	// Predictions, flattened in a deterministic order.
	docs := make([]string, 0, len(pred))
	for d, cs := range pred {
		if len(cs) > 0 {
			docs = append(docs, d)
		}
	}
	sort.Strings(docs)
	rep.PredDocs = len(docs)
	type predItem struct {
		doc   string
		claim *Claim
		text  scoreText
	}
	var preds []predItem
	predByDoc := make(map[string][]int)
	scored := scoredParties(gold, lx)
	for _, d := range docs {
		if _, ok := goldByDoc[d]; !ok {
			rep.UnknownDocs = append(rep.UnknownDocs, d)
		}
		cs := pred[d]
		for i := range cs {
			predByDoc[d] = append(predByDoc[d], len(preds))
			preds = append(preds, predItem{doc: d, claim: &cs[i], text: scorePrepare(cs[i].Sentence)})
		}
	}

	// Candidate pairs per gold claim, most similar first.
	adj := make([][]scoreEdge, len(gold))
	for gi, g := range gold {
		for _, pi := range predByDoc[g.Doc] {
			p := preds[pi].claim
			if scored(p.Party) != g.Party || p.Kind != g.Kind {
				continue
			}
			if ok, sim := scoreOverlap(&goldText[gi], &preds[pi].text); ok {
				adj[gi] = append(adj[gi], scoreEdge{g: gi, p: pi, sim: sim})
			}
		}
		sort.SliceStable(adj[gi], func(a, b int) bool { return adj[gi][a].sim > adj[gi][b].sim })
	}

	var required, optional []int
	for i, g := range gold {
		if g.Optional {
			optional = append(optional, i)
		} else {
			required = append(required, i)
		}
	}
	predGold := make([]int, len(preds)) // matched gold index, or -1
	for i := range predGold {
		predGold[i] = -1
	}
	goldPred := make([]int, len(gold)) // matched prediction index, or -1
	for i := range goldPred {
		goldPred[i] = -1
	}
	usedBefore := make([]bool, len(preds)) // taken in an earlier round
	scoreMatchRound(required, adj, usedBefore, goldPred, predGold)
	for pi, gi := range predGold {
		usedBefore[pi] = gi >= 0
	}
	scoreMatchRound(optional, adj, usedBefore, goldPred, predGold)

	// Claim figures, per kind and per confidence band.
	for _, k := range []string{KindDemand, KindRedLine, KindOffer} {
		rep.PerKind[k] = KindScore{}
	}
	for _, g := range gold {
		if !g.Optional {
			ks := rep.PerKind[g.Kind]
			ks.Gold++
			rep.PerKind[g.Kind] = ks
		}
	}
	rep.Bands = []ConfidenceBand{
		{Label: "[0.80,1.00]", Min: 0.8, Max: 1},
		{Label: "[0.50,0.80)", Min: 0.5, Max: 0.8},
		{Label: "[0.00,0.50)", Min: 0, Max: 0.5},
	}
	var topicCommon, topicPred, topicGold int
	for pi, it := range preds {
		gi := predGold[pi]
		if gi >= 0 {
			pt, gt := scoreTopicSet(it.claim.Topics), scoreTopicSet(gold[gi].Topics)
			for t := range pt {
				if _, ok := gt[t]; ok {
					topicCommon++
				}
			}
			topicPred += len(pt)
			topicGold += len(gt)
			rep.TopicPairs++
		}
		if gi >= 0 && gold[gi].Optional {
			rep.OptionalMatched++
			continue
		}
		rep.Predicted++
		rep.Outcomes = append(rep.Outcomes, Outcome{Confidence: it.claim.Confidence, Right: gi >= 0})
		ks := rep.PerKind[it.claim.Kind]
		ks.Predicted++
		b := &rep.Bands[scoreBand(it.claim.Confidence)]
		b.Predicted++
		if gi >= 0 {
			rep.Matched++
			ks.Matched++
			b.Matched++
		} else {
			rep.False = append(rep.False, Scored{Doc: it.doc, Claim: *it.claim})
		}
		rep.PerKind[it.claim.Kind] = ks
	}
	for gi, g := range gold {
		if !g.Optional && goldPred[gi] < 0 {
			rep.Misses = append(rep.Misses, g)
		}
	}
	rep.Precision, rep.Recall, rep.F1 = scorePRF(rep.Matched, rep.Predicted, rep.Gold)
	for k, ks := range rep.PerKind {
		ks.Precision, ks.Recall, ks.F1 = scorePRF(ks.Matched, ks.Predicted, ks.Gold)
		rep.PerKind[k] = ks
	}
	for i := range rep.Bands {
		rep.Bands[i].Precision = scoreRatio(rep.Bands[i].Matched, rep.Bands[i].Predicted)
	}
	rep.TopicPrecision = scoreRatio(topicCommon, topicPred)
	rep.TopicRecall = scoreRatio(topicCommon, topicGold)
	rep.TopicF1 = scoreF1(rep.TopicPrecision, rep.TopicRecall)

	// Party accuracy over the distinct gold sentences of each document.
	type goldSentence struct {
		text    *scoreText
		parties map[string]struct{}
	}
	sentByDoc := make(map[string][]*goldSentence)
	for d, idx := range goldByDoc {
		byText := make(map[string]*goldSentence)
		for _, gi := range idx {
			s := byText[gold[gi].Sentence]
			if s == nil {
				s = &goldSentence{text: &goldText[gi], parties: make(map[string]struct{})}
				byText[gold[gi].Sentence] = s
				sentByDoc[d] = append(sentByDoc[d], s)
			}
			s.parties[gold[gi].Party] = struct{}{}
		}
	}
	for _, it := range preds {
		parties := make(map[string]struct{})
		found := false
		for _, s := range sentByDoc[it.doc] {
			if ok, _ := scoreOverlap(s.text, &it.text); ok {
				found = true
				for p := range s.parties {
					parties[p] = struct{}{}
				}
			}
		}
		if !found {
			continue
		}
		rep.PartyN++
		if _, ok := parties[scored(it.claim.Party)]; ok {
			rep.PartyRight++
			continue
		}
		list := make([]string, 0, len(parties))
		for p := range parties {
			list = append(list, p)
		}
		sort.Strings(list)
		rep.WrongParty = append(rep.WrongParty, PartyMiss{Doc: it.doc, Claim: *it.claim, GoldParties: list})
	}
	rep.PartyAccuracy = scoreRatio(rep.PartyRight, rep.PartyN)
	return rep
}

// scoreEdge is a candidate (gold, prediction) pair with its similarity.
type scoreEdge struct {
	g, p int
	sim  float64
}

// scoreMatchRound matches the gold claims in golds to predictions not marked
// in usedBefore, one to one, recording pairs in goldPred and predGold: first
// greedily by similarity, then with augmenting paths (Kuhn's algorithm) that
// re-pair only predictions of this round, so the round's matching has maximum
// cardinality.
func scoreMatchRound(golds []int, adj [][]scoreEdge, usedBefore []bool, goldPred, predGold []int) {
	var edges []scoreEdge
	for _, gi := range golds {
		for _, e := range adj[gi] {
			if !usedBefore[e.p] {
				edges = append(edges, e)
			}
		}
	}
	// golds is in gold order and each adjacency list is in prediction order
	// among equal similarities, so a stable sort gives the documented ties.
	sort.SliceStable(edges, func(a, b int) bool { return edges[a].sim > edges[b].sim })
	for _, e := range edges {
		if goldPred[e.g] < 0 && predGold[e.p] < 0 {
			goldPred[e.g], predGold[e.p] = e.p, e.g
		}
	}
	var visited map[int]bool
	var augment func(gi int) bool
	augment = func(gi int) bool {
		for _, e := range adj[gi] {
			if usedBefore[e.p] || visited[e.p] {
				continue
			}
			visited[e.p] = true
			if other := predGold[e.p]; other < 0 || augment(other) {
				goldPred[gi], predGold[e.p] = e.p, gi
				return true
			}
		}
		return false
	}
	for _, gi := range golds {
		if goldPred[gi] < 0 && len(adj[gi]) > 0 {
			visited = make(map[int]bool)
			augment(gi)
		}
	}
}

// scoreOverlap reports whether two prepared sentences overlap under the rule
// Score documents, and their similarity for ranking candidate pairs: the
// Jaccard index of the word sets, plus 1 when the folded texts are equal.
func scoreOverlap(a, b *scoreText) (bool, float64) {
	na, nb := len(a.words), len(b.words)
	if na == 0 || nb == 0 {
		return false, 0
	}
	small, large := a.words, b.words
	if na > nb {
		small, large = large, small
	}
	common := 0
	for w := range small {
		if _, ok := large[w]; ok {
			common++
		}
	}
	sim := float64(common) / float64(na+nb-common)
	if a.folded == b.folded {
		return true, 1 + sim
	}
	short, long := a.folded, b.folded
	if len(short) > len(long) {
		short, long = long, short
	}
	if scoreContainsWords(long, short) {
		return true, sim
	}
	lo, hi := min(na, nb), max(na, nb)
	if float64(common) >= scoreOverlapOfShorter*float64(lo) && float64(common) >= scoreOverlapOfLonger*float64(hi) {
		return true, sim
	}
	return false, 0
}

// scoreContainsWords reports whether short occurs in long starting and ending
// on word boundaries (a word character is a letter or a digit).
func scoreContainsWords(long, short string) bool {
	if short == "" {
		return false
	}
	first, _ := utf8.DecodeRuneInString(short)
	last, _ := utf8.DecodeLastRuneInString(short)
	for off := 0; off <= len(long); {
		i := strings.Index(long[off:], short)
		if i < 0 {
			return false
		}
		i += off
		j := i + len(short)
		startOK := i == 0 || !scoreIsWordRune(first)
		if !startOK {
			prev, _ := utf8.DecodeLastRuneInString(long[:i])
			startOK = !scoreIsWordRune(prev)
		}
		endOK := j == len(long) || !scoreIsWordRune(last)
		if !endOK {
			next, _ := utf8.DecodeRuneInString(long[j:])
			endOK = !scoreIsWordRune(next)
		}
		if startOK && endOK {
			return true
		}
		_, size := utf8.DecodeRuneInString(long[i:])
		off = i + size
	}
	return false
}

func scoreIsWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// scoreWordSet returns the set of maximal letter-and-digit runs of s.
func scoreWordSet(s string) map[string]struct{} {
	set := make(map[string]struct{})
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !scoreIsWordRune(r) }) {
		set[w] = struct{}{}
	}
	return set
}

// scoreFold normalises a sentence for matching as Score documents.
func scoreFold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	pendingSpace := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			pendingSpace = true
			continue
		}
		var out string
		switch r {
		case '\u00AD', '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF':
			continue
		case '“', '”', '„', '‟', '″', '"', '‘', '’', '‚', '‛', '′', '\'', '`', '«', '»', '‹', '›', '＂', '＇':
			out = "'"
		case '‐', '‑', '‒', '–', '—', '―', '−', '﹘', '﹣', '－':
			out = "-"
		case '…':
			out = "..."
		default:
			out = string(unicode.ToLower(r))
		}
		if pendingSpace && b.Len() > 0 {
			b.WriteByte(' ')
		}
		pendingSpace = false
		b.WriteString(out)
	}
	return scoreStripMarker(b.String())
}

// scoreStripMarker removes one leading list marker from a folded sentence.
func scoreStripMarker(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	switch r {
	case '•', '·', '‣', '◦', '▪', '▫', '●', '○', '■', '□', '⁃', '∙', '➢', '►', '▶', '✓', '✔':
		return strings.TrimLeft(s[size:], " ")
	case '-', '*', '>':
		if strings.HasPrefix(s[size:], " ") {
			return s[size+1:]
		}
		return s
	}
	// "1. ", "12) ", "(3) ", "a) ", "(b) "
	i := 0
	paren := strings.HasPrefix(s, "(")
	if paren {
		i++
	}
	start := i
	for i < len(s) && i-start < 3 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	digits := i - start
	if digits == 0 && i < len(s) && s[i] >= 'a' && s[i] <= 'z' {
		i++
		if i >= len(s) || s[i] != ')' {
			return s
		}
	}
	if i == start || i >= len(s) {
		return s
	}
	switch {
	case paren && s[i] == ')':
	case !paren && s[i] == ')':
	case !paren && digits > 0 && s[i] == '.':
	default:
		return s
	}
	i++
	if i < len(s) && s[i] == ' ' {
		return s[i+1:]
	}
	return s
}

// scoreTopicSet returns the distinct topic ids of a claim.
func scoreTopicSet(topics []string) map[string]struct{} {
	set := make(map[string]struct{}, len(topics))
	for _, t := range topics {
		set[t] = struct{}{}
	}
	return set
}

// scoreBand returns the index in Report.Bands of a confidence.
func scoreBand(c float64) int {
	switch {
	case c >= 0.8:
		return 0
	case c >= 0.5:
		return 1
	default: // below 0.5, negative or NaN
		return 2
	}
}

func scoreRatio(n, d int) float64 {
	if d == 0 {
		return 0
	}
	return float64(n) / float64(d)
}

func scoreF1(p, r float64) float64 {
	if p+r == 0 || math.IsNaN(p+r) {
		return 0
	}
	return 2 * p * r / (p + r)
}

func scorePRF(matched, predicted, gold int) (p, r, f float64) {
	p, r = scoreRatio(matched, predicted), scoreRatio(matched, gold)
	return p, r, scoreF1(p, r)
}

// WriteText writes the report for people: a header line, the claim counts,
// one row per kind, the confidence bands, in verbose mode the missed, false
// and wrong-party claims (document, party/kind, sentence cut to about 160
// characters), and last, always as the final three lines:
//
//	claim P/R/F1: 0.xxx 0.xxx 0.xxx
//	party accuracy: 0.xxx (n=N)
//	topic F1: 0.xxx
//
// It returns the first write error.
func (r Report) WriteText(w io.Writer, verbose bool) error {
	ew := &scoreErrWriter{w: w}
	ew.printf("redline eval: %d gold documents, %d predicted documents\n", r.GoldDocs, r.PredDocs)
	ew.printf("claims: gold %d (+%d optional), predicted %d, matched %d", r.Gold, r.Optional, r.Predicted, r.Matched)
	if r.OptionalMatched > 0 {
		ew.printf(" (+%d on optional gold, not counted)", r.OptionalMatched)
	}
	ew.printf("\n")
	if len(r.UnknownDocs) > 0 {
		ew.printf("warning: %d predicted documents have no gold claims (their claims count as false): %s\n",
			len(r.UnknownDocs), strings.Join(r.UnknownDocs, ", "))
	}

	ew.printf("%-12s %5s %5s %5s %6s %6s %6s\n", "kind", "gold", "pred", "match", "P", "R", "F1")
	for _, k := range scoreKindOrder(r.PerKind) {
		ks := r.PerKind[k]
		ew.printf("%-12s %5d %5d %5d %6.3f %6.3f %6.3f\n", k, ks.Gold, ks.Predicted, ks.Matched, ks.Precision, ks.Recall, ks.F1)
	}
	ew.printf("%-12s %5s %5s %6s\n", "confidence", "pred", "match", "P")
	for _, b := range r.Bands {
		ew.printf("%-12s %5d %5d %6.3f\n", b.Label, b.Predicted, b.Matched, b.Precision)
	}

	if verbose {
		ew.printf("missed (%d):\n", len(r.Misses))
		for _, g := range r.Misses {
			ew.printf("  %s  %s/%s  %s\n", g.Doc, g.Party, g.Kind, scoreShow(g.Sentence))
		}
		ew.printf("false (%d):\n", len(r.False))
		for _, s := range r.False {
			ew.printf("  %s  %s/%s %.2f  %s\n", s.Doc, s.Claim.Party, s.Claim.Kind, s.Claim.Confidence, scoreShow(s.Claim.Sentence))
		}
		ew.printf("wrong party (%d):\n", len(r.WrongParty))
		for _, m := range r.WrongParty {
			ew.printf("  %s  %s/%s (gold: %s)  %s\n", m.Doc, m.Claim.Party, m.Claim.Kind,
				strings.Join(m.GoldParties, ", "), scoreShow(m.Claim.Sentence))
		}
	}

	ew.printf("claim P/R/F1: %.3f %.3f %.3f\n", r.Precision, r.Recall, r.F1)
	ew.printf("party accuracy: %.3f (n=%d)\n", r.PartyAccuracy, r.PartyN)
	ew.printf("topic F1: %.3f\n", r.TopicF1)
	return ew.err
}

// scoreKindOrder lists demand, red_line and offer first, then any other kinds
// of the map, sorted.
func scoreKindOrder(m map[string]KindScore) []string {
	order := []string{KindDemand, KindRedLine, KindOffer}
	var rest []string
	for k := range m {
		if k != KindDemand && k != KindRedLine && k != KindOffer {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	return append(order, rest...)
}

// scoreShow quotes a sentence for display on one line, cut to 160 runes.
func scoreShow(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	const limit = 160
	if utf8.RuneCountInString(s) > limit {
		rs := []rune(s)
		s = strings.TrimRight(string(rs[:limit-1]), " ") + "…"
	}
	return `"` + s + `"`
}

// scoreErrWriter keeps the first write error and skips later writes.
type scoreErrWriter struct {
	w   io.Writer
	err error
}

func (e *scoreErrWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}

// scoredParties returns the function that maps a predicted party to the id
// it is scored as against gold: itself when the gold file names it or the
// lexicon does without marking it scored_as other; else "other". A nil
// lexicon maps every party to itself.
func scoredParties(gold []Gold, lx *Lexicon) func(string) string {
	if lx == nil {
		return func(p string) string { return p }
	}
	known := map[string]bool{}
	for _, p := range lx.partyIDs {
		known[p] = !lx.goldOther[p]
	}
	for _, g := range gold {
		known[g.Party] = true
	}
	return func(p string) string {
		if known[p] {
			return p
		}
		return OtherParty
	}
}
