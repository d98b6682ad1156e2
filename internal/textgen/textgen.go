// Package textgen generates news-like articles on the Russia–Ukraine talks
// and copies of them with Edits of known size, labelled, for the tests and
// benchmarks of duplicate detection in package dedup and in the pipeline.
// It is a package of its own, not a _test.go file, because tests of both
// packages use it.
package textgen

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// A generator of news-like articles on the Russia–Ukraine talks, written
// for these tests, and of copies of them with Edits of known size. The
// articles share the vocabulary, the names and many phrases of the domain,
// so that unrelated articles on the same topic are hard negatives.

// The pools of the sentence grammar. Each sentence is built from five or
// six independent choices, so two unrelated articles share names and
// stock phrases ("President Vladimir Putin", "security guarantees") but
// rarely a whole clause: on the real articles of ../shared, unrelated
// articles on the talks share a median 1.3% of their 3-word shingles
// (99th percentile 7%); these generated ones share about as much.
var (
	genActors = []string{
		"President Vladimir Putin", "President Volodymyr Zelenskyy", "Kremlin spokesman Dmitry Peskov",
		"Foreign Minister Sergei Lavrov", "Ukraine's chief negotiator", "the head of the Ukrainian delegation",
		"the US special envoy", "President Recep Tayyip Erdogan", "the EU's foreign policy chief",
		"NATO's secretary general", "a senior Ukrainian official", "a Russian diplomat", "the French president",
		"the German chancellor", "a UN spokesperson", "Moscow's lead negotiator", "Ukraine's foreign minister",
		"the national security adviser", "a senior European diplomat", "the Polish prime minister",
		"an adviser to the Ukrainian presidency", "a Kremlin aide", "the British foreign secretary",
	}
	genSaid = []string{
		"said", "told reporters", "told a news conference", "said in a televised address", "wrote on social media",
		"told state television", "said after the meeting", "insisted", "warned", "repeated", "said in a statement",
		"told journalists", "argued", "suggested", "signalled", "acknowledged", "claimed", "stressed", "noted",
	}
	genSubjects = []string{
		"Kyiv", "Moscow", "Russia", "Ukraine", "the Kremlin", "Washington", "the allies", "the Europeans",
		"both sides", "the government", "the delegation", "the coalition", "Brussels", "Ankara", "the mediators",
	}
	genModals = []string{
		"would", "could", "will not", "must", "was ready to", "wanted to", "refused to", "might", "had agreed to",
		"should", "was willing to", "would never", "planned to", "hoped to", "was prepared to", "cannot",
	}
	genPlaces = []string{
		"in Istanbul", "in Geneva", "in Riyadh", "in Abu Dhabi", "in Brussels", "in Kyiv", "in Moscow",
		"on the sidelines of the summit", "in Jeddah", "in Minsk", "in Washington", "in Warsaw", "in Doha",
		"in Vienna", "in Helsinki", "in Ankara", "at the border", "in London", "in Paris", "in Berlin",
	}
	genDays = []string{
		"on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "over the weekend", "last week",
		"earlier this month", "late on Sunday", "on Saturday", "this morning", "overnight",
	}
	genUnits = []string{
		"drones", "missiles", "prisoners", "civilians", "soldiers", "ships", "homes", "villages", "observers",
		"trucks", "families", "delegates", "tonnes of grain", "power stations", "shells", "volunteers",
	}
	genEvents = []string{
		"were reported", "were exchanged", "were shot down", "left the port", "lost power", "were evacuated",
		"crossed the border", "arrived", "were counted", "were damaged", "were released", "were deployed",
	}
	genHeadlines = []string{
		"Talks in %s end without breakthrough as both sides harden positions",
		"%s round: what each side wants from the next meeting",
		"Negotiators meet in %s amid new strikes on energy grid",
		"Ceasefire hopes fade after talks in %s",
		"Prisoner swap agreed as delegations gather in %s",
		"Allies weigh security guarantees ahead of %s meeting",
	}
	genCities = []string{"Istanbul", "Geneva", "Riyadh", "Abu Dhabi", "Jeddah", "Minsk", "Brussels"}
	// genFiller are the words that replace words in a reworded copy.
	genFiller = strings.Fields(`also however meanwhile government officials country border army forces region
		week agreement plan proposal leaders meeting statement process position issue support pressure attack
		defence economy peace conflict offensive dialogue compromise document report sources according latest`)
	genLeadIns = []string{
		"This article was first published by Harbour Wire and is republished with permission. ",
		"KYIV, March 3 (Northgate) — ",
		"Breaking: ",
		"From our partners at the Eastline Press: ",
	}
)

// genContent and genFunction are the words of the free prose between the
// stock phrases: content words drawn uniformly, function words by a Zipf
// law, about as often as in English news.
var (
	genContent = strings.Fields(`war peace talks deal plan proposal truce ceasefire border front line region city
		village port bridge railway power grid station plant reactor dam field farm grain wheat ship tanker
		convoy corridor route road tunnel airport base depot factory refinery pipeline gas oil coal price
		market bank fund loan aid package budget tax tariff sanction asset account debt bond currency inflation
		economy industry export import trade partner ally neighbour rival enemy army navy troops soldiers
		brigade battalion unit commander general officer pilot drone missile rocket shell artillery tank
		vehicle helicopter jet radar shield system battery launcher weapon munition arsenal stockpile supply
		delivery shipment order contract factory production capacity shortage demand offer request condition
		guarantee treaty accord charter protocol clause article draft text version amendment vote ballot
		election campaign party parliament senate congress committee court judge lawyer prosecutor case
		investigation evidence report witness victim survivor refugee family child school hospital doctor
		nurse clinic shelter basement winter summer spring autumn morning evening night week month year decade
		history memory monument language culture church faith identity nation state republic province
		district capital government minister president premier chancellor envoy ambassador diplomat mediator
		negotiator delegation summit meeting session round phase stage step milestone deadline schedule
		timetable agenda priority issue question problem challenge risk threat danger fear hope trust doubt
		concern pressure leverage influence power control authority sovereignty independence neutrality
		security defence stability order chaos crisis conflict fighting offensive counteroffensive attack
		strike raid assault siege retreat withdrawal advance breakthrough stalemate escalation restraint
		signal message warning statement speech address interview briefing leak rumour claim denial
		response reaction criticism support backing approval rejection refusal compromise concession
		framework format mechanism monitor observer mission inspector agency organisation coalition bloc
		alliance union council fund programme initiative effort attempt progress setback result outcome
		agreed rejected signed delayed proposed demanded refused offered accepted discussed warned promised
		denied confirmed announced insisted argued suggested hinted admitted questioned criticised praised
		welcomed condemned urged pressed backed blocked vetoed approved extended suspended resumed launched
		halted repelled captured liberated shelled targeted destroyed damaged repaired restored rebuilt
		evacuated deported released exchanged returned crossed entered left reached arrived met visited
		called phoned travelled flew hosted chaired opened closed ended began continued stalled collapsed
		new old long short major minor full partial final first second last next early late fresh direct
		indirect formal informal secret public official unofficial joint separate bilateral regional global
		military civilian political economic humanitarian legal diplomatic strategic tactical nuclear
		conventional western eastern southern northern occupied annexed frozen unfrozen fragile durable
		lasting temporary permanent credible serious limited broad narrow heavy light strong weak key central`)
	genFunction = strings.Fields(`the of to and a in that on for with as by at from it its is was were be has had
		have will would could not but this their they he his which who after about over more than into also
		said says an or if while before since under against between during without`)
)

// Article writes one article: a headline line, then seven to twelve
// paragraphs of two to four sentences, separated by blank lines. A third of
// the sentences report a speaker ("Kremlin spokesman Dmitry Peskov told
// reporters that ..."), the rest are free prose with a place or a day.
func Article(r *rand.Rand) []string {
	pick := func(s []string) string { return s[r.IntN(len(s))] }
	prose := func(n int) string {
		w := make([]string, n)
		for i := range w {
			if r.IntN(5) < 2 {
				// Zipf-like: the first function words are far more frequent.
				w[i] = genFunction[min(int(r.ExpFloat64()*6), len(genFunction)-1)]
			} else {
				w[i] = pick(genContent)
			}
		}
		return strings.Join(w, " ")
	}
	paras := []string{Headline(r)}
	n := 7 + r.IntN(6)
	for range n {
		var sents []string
		for range 2 + r.IntN(3) {
			var s string
			switch r.IntN(6) {
			case 0, 1:
				s = fmt.Sprintf("%s %s that %s %s %s", pick(genActors), pick(genSaid), pick(genSubjects), pick(genModals), prose(6+r.IntN(10)))
			case 2:
				s = fmt.Sprintf("%s %s %s", prose(8+r.IntN(10)), pick(genPlaces), pick(genDays))
			case 3:
				s = fmt.Sprintf("Some %d %s %s %s, %s", 2+r.IntN(900), pick(genUnits), pick(genEvents), pick(genPlaces), prose(4+r.IntN(8)))
			default:
				s = prose(10 + r.IntN(14))
			}
			sents = append(sents, strings.ToUpper(s[:1])+s[1:]+".")
		}
		paras = append(paras, strings.Join(sents, " "))
	}
	return paras
}

// Headline writes one headline.
func Headline(r *rand.Rand) string {
	return fmt.Sprintf(genHeadlines[r.IntN(len(genHeadlines))], genCities[r.IntN(len(genCities))])
}

// JoinParas joins paragraphs with blank lines, as Article's text is.
func JoinParas(p []string) string { return strings.Join(p, "\n\n") }

// Edit is one kind of copy; Near says whether it is labelled a
// near-duplicate of its original.
type Edit struct {
	Name string
	Near bool
	Make func(r *rand.Rand, paras []string) string
}

// Edits are the copies the labelled set holds, each of a known size.
var Edits = []Edit{
	{"lead-in", true, func(r *rand.Rand, p []string) string {
		q := append([]string(nil), p...)
		q[1] = genLeadIns[r.IntN(len(genLeadIns))] + q[1]
		return JoinParas(q)
	}},
	{"headline", true, func(r *rand.Rand, p []string) string {
		q := append([]string(nil), p...)
		for q[0] == p[0] {
			q[0] = "Breaking: " + Headline(r)
		}
		return JoinParas(q)
	}},
	{"paragraph dropped", true, func(r *rand.Rand, p []string) string {
		i := 1 + r.IntN(len(p)-1)
		return JoinParas(append(append([]string(nil), p[:i]...), p[i+1:]...))
	}},
	{"truncated 60%", true, func(r *rand.Rand, p []string) string {
		return TruncateWords(JoinParas(p), 0.6)
	}},
	{"words substituted 5%", true, func(r *rand.Rand, p []string) string { return Substitute(r, JoinParas(p), 0.05) }},
	{"words substituted 10%", true, func(r *rand.Rand, p []string) string { return Substitute(r, JoinParas(p), 0.10) }},
	{"words substituted 20%", true, func(r *rand.Rand, p []string) string { return Substitute(r, JoinParas(p), 0.20) }},
	{"words substituted 40%", true, func(r *rand.Rand, p []string) string { return Substitute(r, JoinParas(p), 0.40) }},
}

// TruncateWords keeps the first share of the text's words (cut at a word
// boundary, white space kept).
func TruncateWords(text string, share float64) string {
	n := int(float64(len(strings.Fields(text))) * share)
	seen, in := 0, false
	for i, r := range text {
		isSpace := r == ' ' || r == '\n' || r == '\t'
		if !isSpace && !in {
			if seen == n {
				return strings.TrimSpace(text[:i])
			}
			seen++
		}
		in = !isSpace
	}
	return text
}

// Substitute replaces the given share of the text's words, chosen at
// random, with other words; paragraph breaks are kept.
func Substitute(r *rand.Rand, text string, share float64) string {
	paras := strings.Split(text, "\n\n")
	var words [][]string
	total := 0
	for _, p := range paras {
		w := strings.Fields(p)
		words = append(words, w)
		total += len(w)
	}
	k := int(float64(total)*share + 0.5)
	for _, idx := range r.Perm(total)[:k] {
		for pi := range words {
			if idx < len(words[pi]) {
				words[pi][idx] = genFiller[r.IntN(len(genFiller))]
				break
			}
			idx -= len(words[pi])
		}
	}
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = strings.Join(w, " ")
	}
	return strings.Join(out, "\n\n")
}

// Doc is one document of the labelled set.
type Doc struct {
	ID     string
	Family int    // the original it was made from (its own index for originals)
	Edit   string // "" for an original
	Text   string
}

// LabelledSet returns n originals, each followed by one copy per edit, and
// quotePairs pairs of further unrelated originals that share one quoted
// paragraph (hard negatives). Families are numbered from 0; every document
// of a family is a copy of that family's original.
func LabelledSet(seed uint64, n, quotePairs int) []Doc {
	r := rand.New(rand.NewPCG(seed, seed^0x5eed))
	var docs []Doc
	for f := range n {
		paras := Article(r)
		docs = append(docs, Doc{ID: fmt.Sprintf("orig-%03d", f), Family: f, Text: JoinParas(paras)})
		for _, e := range Edits {
			docs = append(docs, Doc{ID: fmt.Sprintf("copy-%03d-%s", f, strings.ReplaceAll(e.Name, " ", "-")), Family: f, Edit: e.Name, Text: e.Make(r, paras)})
		}
	}
	for q := range quotePairs {
		quote := fmt.Sprintf("%q, %s %s.", "We will not trade our land for promises. Any agreement has to be guaranteed by our partners, and it has to hold for decades, not months", genActors[q%len(genActors)], genSaid[q%len(genSaid)])
		for k := range 2 {
			paras := Article(r)
			i := 1 + r.IntN(len(paras)-1)
			paras = append(paras[:i], append([]string{quote}, paras[i:]...)...)
			f := n + 2*q + k
			docs = append(docs, Doc{ID: fmt.Sprintf("quote-%03d-%d", q, k), Family: f, Text: JoinParas(paras)})
		}
	}
	return docs
}
