package web

import (
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// textRun is a piece of one paragraph of an article's text: plain text, or
// part of a highlighted claim sentence (Span > 0) with its cue and party
// mentions marked.
type textRun struct {
	Text  string // plain text, when Span is 0
	Span  int    // the highlight it belongs to, numbered from 1 in text order; 0 for plain text
	First bool   // the first run of its highlight: it carries the highlight's anchor
	// Anchors are the start offsets of the highlight's claims, on its
	// first run: "#at-START" in a link from a search card or the compare
	// page lands on the claim's sentence (see sentenceURL).
	Anchors  []int
	Claim    int       // the claim list entry it links to (the span's first claim), from 1
	Kind     string    // the kind of that claim (colours the highlight)
	Label    string    // who claims what in it, for the tooltip
	Segments []segment // the highlighted text, marked
	Low      bool      // every claim of the highlight is below the default bound
}

// textPara is one paragraph of an article's text.
type textPara []textRun

// listedClaim is one entry of the claims list beside the full text.
type listedClaim struct {
	N        int // its number in the list, from 1
	Span     int // the highlight that shows it; 0 when it could not be placed
	Why      string
	Start    int
	End      int
	Segments []segment // its sentence, shown when it could not be placed
	Claim    cardClaim
}

// span is one highlight: the union of overlapping claim sentences.
type span struct {
	start, end int
	claims     []int    // indexes into the hits, in list order
	marks      []string // per byte of text[start:end]: "", "cue" or "party"
}

// placeError says why a claim's offsets cannot be used on text, or "".
// Offsets come from the index and are checked as input: they must lie in
// the text, fall on character boundaries and point at the claim's sentence.
func placeError(text string, start, end int, sentence string) string {
	switch {
	case start < 0 || end > len(text) || start >= end:
		return "its offsets fall outside the text"
	case !utf8.RuneStart(text[start]) || end < len(text) && !utf8.RuneStart(text[end]):
		return "its offsets cut a character"
	case text[start:end] != sentence:
		return "its offsets do not point at its sentence"
	}
	return ""
}

// fullText lays out an article's text as paragraphs (blank-line separated)
// with every claim's sentence highlighted in place, and the claims list
// that goes beside it. A claim whose offsets do not fit the text is listed
// with the reason and its sentence, but not highlighted.
func (s *Server) fullText(text string, hits []apiHit) ([]textPara, []listedClaim) {
	list := make([]listedClaim, len(hits))
	var placed []int
	for i, h := range hits {
		c := h.Claim
		list[i] = listedClaim{N: i + 1, Start: c.Start, End: c.End, Claim: s.cardClaim(h.ID, c)}
		if why := placeError(text, c.Start, c.End, c.Sentence); why != "" {
			list[i].Why = why
			list[i].Segments = s.highlight(c, "")
			continue
		}
		placed = append(placed, i)
	}
	sort.SliceStable(placed, func(a, b int) bool {
		ca, cb := hits[placed[a]].Claim, hits[placed[b]].Claim
		if ca.Start != cb.Start {
			return ca.Start < cb.Start
		}
		return ca.End < cb.End
	})

	// Overlapping sentences make one highlight.
	var spans []*span
	for _, i := range placed {
		c := hits[i].Claim
		if n := len(spans); n > 0 && c.Start < spans[n-1].end {
			spans[n-1].end = max(spans[n-1].end, c.End)
			spans[n-1].claims = append(spans[n-1].claims, i)
			continue
		}
		spans = append(spans, &span{start: c.Start, end: c.End, claims: []int{i}})
	}
	for k, sp := range spans {
		sp.marks = make([]string, sp.end-sp.start)
		sort.Ints(sp.claims)
		for _, i := range sp.claims {
			list[i].Span = k + 1
			c := hits[i].Claim
			off := c.Start - sp.start
			for _, seg := range s.highlight(c, "") {
				if seg.Mark != "" {
					for j := off; j < off+len(seg.Text); j++ {
						if sp.marks[j] == "" || seg.Mark == "cue" {
							sp.marks[j] = seg.Mark
						}
					}
				}
				off += len(seg.Text)
			}
		}
	}

	var paras []textPara
	k := 0 // the first span not yet wholly shown
	shown := make([]bool, len(spans))
	for _, p := range paragraphs(text) {
		var para textPara
		for pos := p[0]; pos < p[1]; {
			for k < len(spans) && spans[k].end <= pos {
				k++
			}
			if k == len(spans) || spans[k].start >= p[1] {
				para = append(para, textRun{Text: text[pos:p[1]]})
				break
			}
			sp := spans[k]
			if sp.start > pos {
				para = append(para, textRun{Text: text[pos:sp.start]})
				pos = sp.start
			}
			end := min(sp.end, p[1])
			run := textRun{Span: k + 1, First: !shown[k], Claim: sp.claims[0] + 1, Kind: hits[sp.claims[0]].Claim.Kind,
				Label: s.spanLabel(hits, sp.claims), Segments: markedSegments(text[pos:end], sp.marks[pos-sp.start:end-sp.start])}
			if run.First {
				for _, i := range sp.claims {
					run.Anchors = append(run.Anchors, hits[i].Claim.Start)
				}
				slices.Sort(run.Anchors)
				run.Anchors = slices.Compact(run.Anchors)
			}
			para = append(para, run)
			shown[k] = true
			pos = end
		}
		paras = append(paras, para)
	}
	// A highlight wholly between paragraphs (a sentence of white space)
	// has no anchor to link to.
	for k, sp := range spans {
		if !shown[k] {
			for _, i := range sp.claims {
				list[i].Span, list[i].Why = 0, "its sentence is not in a paragraph of the text"
				list[i].Segments = s.highlight(hits[i].Claim, "")
			}
		}
	}
	return paras, list
}

// spanLabel says who claims what in a highlight: "Russia demand · Ukraine offer".
func (s *Server) spanLabel(hits []apiHit, claims []int) string {
	parts := make([]string, 0, len(claims))
	for _, i := range claims {
		c := hits[i].Claim
		parts = append(parts, s.partyName(c.Party)+" "+strings.ReplaceAll(c.Kind, "_", " "))
	}
	return strings.Join(parts, " · ")
}

// markedSegments cuts text into runs of equal marks. The marks come from
// segments that never cut a character, so neither do the runs.
func markedSegments(text string, marks []string) []segment {
	var out []segment
	for i := 0; i < len(text); {
		j := i + 1
		for j < len(text) && marks[j] == marks[i] {
			j++
		}
		out = append(out, segment{Text: text[i:j], Mark: marks[i]})
		i = j
	}
	return out
}

// paragraphs returns the byte ranges of the paragraphs of text: the pieces
// between blank lines (lines of nothing but white space), without the
// line breaks around them. Single line breaks stay inside a paragraph.
func paragraphs(text string) [][2]int {
	var out [][2]int
	start := 0
	for start < len(text) {
		// Skip the separator: white space up to the first line with text.
		for start < len(text) {
			nl := strings.IndexByte(text[start:], '\n')
			if nl < 0 || strings.TrimSpace(text[start:start+nl]) != "" {
				break
			}
			start += nl + 1
		}
		if start >= len(text) {
			break
		}
		// The paragraph ends at the next blank line.
		end := len(text)
		for i := start; i < len(text); {
			nl := strings.IndexByte(text[i:], '\n')
			if nl < 0 {
				break
			}
			next := i + nl + 1
			rest := next
			for rest < len(text) && (text[rest] == ' ' || text[rest] == '\t' || text[rest] == '\r') {
				rest++
			}
			if rest >= len(text) || text[rest] == '\n' {
				end = i + nl
				break
			}
			i = next
		}
		if strings.TrimSpace(text[start:end]) != "" {
			out = append(out, [2]int{start, end})
		}
		start = end
	}
	return out
}
