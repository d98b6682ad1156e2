// Package brown learns word classes from unlabeled text with Brown et al.'s
// (1992) hierarchical clustering, in the form of Liang (2005): words are
// added to a window of C clusters in order of frequency and the pair whose
// merge loses the least average mutual information between adjacent
// clusters is merged, until every word is in one of C clusters; those are
// then merged down to one, and a word's class is the path from the root to
// its cluster as a bit string. Prefixes of the path are coarser classes.
//
// It is a package of its own because the algorithm knows nothing of news,
// claims or the extractor's types: it reads sentences as word lists and
// returns classes. The result depends only on its input: words are ordered
// by count, then by spelling, and ties between merges go to the first pair
// in that order, so the same sentences give the same classes.
package brown

import (
	"cmp"
	"math"
	"slices"
)

// Options configure Cluster. The zero value means the defaults.
type Options struct {
	// Clusters is the number of clusters C of the window (default 256).
	Clusters int
	// MinCount leaves out words seen fewer times (default 3).
	MinCount int
}

// Class is one word's class.
type Class struct {
	Word  string
	Bits  string // the path from the root: "0" is left, "1" right
	Count int    // how often the word was seen
}

// Cluster returns the class of every word seen at least MinCount times,
// ordered by bit string, then by count (most frequent first), then word.
// Adjacent words of one sentence form the bigrams the clustering reads;
// no bigram spans two sentences.
func Cluster(sents [][]string, o Options) []Class {
	c := cmp.Or(o.Clusters, 256)
	minCount := cmp.Or(o.MinCount, 3)

	counts := map[string]int{}
	for _, s := range sents {
		for _, w := range s {
			counts[w]++
		}
	}
	var words []string
	for w, n := range counts {
		if n >= minCount {
			words = append(words, w)
		}
	}
	slices.SortFunc(words, func(a, b string) int {
		return cmp.Or(cmp.Compare(counts[b], counts[a]), cmp.Compare(a, b))
	})
	if len(words) == 0 {
		return nil
	}
	id := make(map[string]int32, len(words))
	for i, w := range words {
		id[w] = int32(i)
	}
	// Bigrams between kept words, as sorted adjacency lists.
	type edge struct {
		to int32
		n  float64
	}
	bi := map[[2]int32]float64{}
	nl := make([]float64, len(words)) // times a word is the left of a bigram
	nr := make([]float64, len(words))
	total := 0.0
	for _, s := range sents {
		for k := 1; k < len(s); k++ {
			a, okA := id[s[k-1]]
			b, okB := id[s[k]]
			if !okA || !okB {
				continue
			}
			bi[[2]int32{a, b}]++
			nl[a]++
			nr[b]++
			total++
		}
	}
	if total == 0 {
		total = 1
	}
	right := make([][]edge, len(words))
	left := make([][]edge, len(words))
	for k, n := range bi {
		right[k[0]] = append(right[k[0]], edge{k[1], n})
		left[k[1]] = append(left[k[1]], edge{k[0], n})
	}
	for w := range words {
		slices.SortFunc(right[w], func(a, b edge) int { return cmp.Compare(a.to, b.to) })
		slices.SortFunc(left[w], func(a, b edge) int { return cmp.Compare(a.to, b.to) })
	}

	cl := &clustering{
		slots: c + 1,
		n:     total,
		p2:    make([]float64, (c+1)*(c+1)),
		q:     make([]float64, (c+1)*(c+1)),
		loss:  make([]float64, (c+1)*(c+1)),
		pl:    make([]float64, c+1),
		pr:    make([]float64, c+1),
		node:  make([]int, c+1),
	}
	for s := range cl.node {
		cl.node[s] = -1
	}
	slotOf := make([]int, len(words)) // the slot of a word's cluster, -1 before it is added
	for w := range slotOf {
		slotOf[w] = -1
	}
	// Each tree node: a word's cluster (leaf) or a merge of two nodes.
	var parent []int
	newNode := func() int { parent = append(parent, -1); return len(parent) - 1 }
	leafOf := make([]int, len(words)) // the phase-one cluster node a word ends in
	members := map[int][]int32{}      // cluster node -> its words, during phase one

	add := func(w int32) {
		s := cl.free()
		nd := newNode()
		cl.node[s] = nd
		members[nd] = []int32{w}
		slotOf[w] = s
		cl.pl[s], cl.pr[s] = nl[w], nr[w]
		for _, e := range right[w] {
			if t := slotOf[e.to]; t >= 0 {
				cl.p2[s*cl.slots+t] += e.n
			}
		}
		for _, e := range left[w] {
			// The bigram (w, w) was counted by the loop above.
			if t := slotOf[e.to]; t >= 0 && e.to != w {
				cl.p2[t*cl.slots+s] += e.n
			}
		}
		cl.added(s)
	}
	merge := func() (int, int) {
		a, b := cl.best()
		na, nb := cl.node[a], cl.node[b]
		cl.merge(a, b)
		return na, nb
	}

	for w := range words {
		add(int32(w))
		if cl.active() > c {
			na, nb := merge()
			// Phase one: the merged cluster keeps a's node; b's words join it.
			for _, m := range members[nb] {
				slotOf[m] = slotOf[members[na][0]]
			}
			members[na] = append(members[na], members[nb]...)
			delete(members, nb)
			cl.node[slotOf[members[na][0]]] = na
		}
	}
	for nd, ms := range members {
		for _, m := range ms {
			leafOf[m] = nd
		}
	}
	// Phase two: merge the C clusters down to one; each merge is a node.
	bit := map[int]byte{}
	for cl.active() > 1 {
		a, b := cl.best()
		na, nb := cl.node[a], cl.node[b]
		cl.merge(a, b)
		p := newNode()
		parent[na], parent[nb] = p, p
		bit[na], bit[nb] = '0', '1'
		cl.node[a] = p
	}
	paths := map[int]string{}
	path := func(nd int) string {
		if s, ok := paths[nd]; ok {
			return s
		}
		var b []byte
		for x := nd; parent[x] >= 0; x = parent[x] {
			b = append(b, bit[x])
		}
		slices.Reverse(b)
		paths[nd] = string(b)
		return paths[nd]
	}
	out := make([]Class, len(words))
	for w, word := range words {
		out[w] = Class{Word: word, Bits: path(leafOf[w]), Count: counts[word]}
	}
	slices.SortFunc(out, func(a, b Class) int {
		return cmp.Or(cmp.Compare(a.Bits, b.Bits), cmp.Compare(b.Count, a.Count), cmp.Compare(a.Word, b.Word))
	})
	return out
}

// clustering is the window of clusters: slots hold clusters (node -1 is a
// free slot), with their bigram counts p2[left*slots+right], unigram
// counts pl (as the left word) and pr (as the right word), the cached
// mutual-information terms q, and loss[a*slots+b] (a < b), the mutual
// information lost by merging a and b.
type clustering struct {
	slots  int
	n      float64 // all bigrams
	p2, q  []float64
	loss   []float64
	pl, pr []float64
	node   []int
}

func (cl *clustering) free() int {
	for s, nd := range cl.node {
		if nd < 0 {
			return s
		}
	}
	panic("brown: no free slot")
}

func (cl *clustering) active() int {
	n := 0
	for _, nd := range cl.node {
		if nd >= 0 {
			n++
		}
	}
	return n
}

// qf is one term of the mutual information: p(l,r) log p(l,r)/(p(l)p(r)).
func (cl *clustering) qf(n, l, r float64) float64 {
	if n <= 0 || l <= 0 || r <= 0 {
		return 0
	}
	return n / cl.n * math.Log(n*cl.n/(l*r))
}

func (cl *clustering) setQ(s int) {
	for t, nd := range cl.node {
		if nd < 0 {
			continue
		}
		cl.q[s*cl.slots+t] = cl.qf(cl.p2[s*cl.slots+t], cl.pl[s], cl.pr[t])
		cl.q[t*cl.slots+s] = cl.qf(cl.p2[t*cl.slots+s], cl.pl[t], cl.pr[s])
	}
}

// term is what cluster x adds to the loss of merging a and b: the terms a
// and b have with x before the merge, less those of the merged cluster.
func (cl *clustering) term(a, b, x int) float64 {
	S := cl.slots
	q := cl.q[a*S+x] + cl.q[x*S+a] + cl.q[b*S+x] + cl.q[x*S+b]
	return q - cl.qf(cl.p2[a*S+x]+cl.p2[b*S+x], cl.pl[a]+cl.pl[b], cl.pr[x]) -
		cl.qf(cl.p2[x*S+a]+cl.p2[x*S+b], cl.pl[x], cl.pr[a]+cl.pr[b])
}

// fullLoss computes the loss of merging a and b from scratch.
func (cl *clustering) fullLoss(a, b int) float64 {
	S := cl.slots
	l := 0.0
	for x, nd := range cl.node {
		if nd >= 0 && x != a && x != b {
			l += cl.term(a, b, x)
		}
	}
	self := cl.p2[a*S+a] + cl.p2[a*S+b] + cl.p2[b*S+a] + cl.p2[b*S+b]
	return l + cl.q[a*S+a] + cl.q[a*S+b] + cl.q[b*S+a] + cl.q[b*S+b] -
		cl.qf(self, cl.pl[a]+cl.pl[b], cl.pr[a]+cl.pr[b])
}

func (cl *clustering) setLoss(a, b int, v float64) {
	if a > b {
		a, b = b, a
	}
	cl.loss[a*cl.slots+b] = v
}

// added brings the losses up to date after a cluster was put in slot s.
func (cl *clustering) added(s int) {
	cl.setQ(s)
	for a, na := range cl.node {
		if na < 0 || a == s {
			continue
		}
		for b := a + 1; b < cl.slots; b++ {
			if cl.node[b] >= 0 && b != s {
				cl.loss[a*cl.slots+b] += cl.term(a, b, s)
			}
		}
	}
	for t, nt := range cl.node {
		if nt >= 0 && t != s {
			cl.setLoss(s, t, cl.fullLoss(s, t))
		}
	}
}

// best returns the pair of slots whose merge loses the least, the first
// in slot order on a tie.
func (cl *clustering) best() (int, int) {
	ba, bb, bl := -1, -1, math.Inf(1)
	for a, na := range cl.node {
		if na < 0 {
			continue
		}
		for b := a + 1; b < cl.slots; b++ {
			if cl.node[b] >= 0 && cl.loss[a*cl.slots+b] < bl {
				ba, bb, bl = a, b, cl.loss[a*cl.slots+b]
			}
		}
	}
	return ba, bb
}

// merge merges the cluster of slot b into that of slot a (a < b) and
// frees b.
func (cl *clustering) merge(a, b int) {
	S := cl.slots
	others := func(f func(x, y int)) {
		for x, nx := range cl.node {
			if nx < 0 || x == a || x == b {
				continue
			}
			for y := x + 1; y < S; y++ {
				if cl.node[y] >= 0 && y != a && y != b {
					f(x, y)
				}
			}
		}
	}
	others(func(x, y int) { cl.loss[x*S+y] -= cl.term(x, y, a) + cl.term(x, y, b) })
	self := cl.p2[a*S+a] + cl.p2[a*S+b] + cl.p2[b*S+a] + cl.p2[b*S+b]
	for t := range cl.node {
		if t != a && t != b {
			cl.p2[a*S+t] += cl.p2[b*S+t]
			cl.p2[t*S+a] += cl.p2[t*S+b]
		}
	}
	cl.p2[a*S+a] = self
	// Slot b is reused for a new cluster: nothing of the old one may stay.
	for t := range cl.node {
		cl.p2[b*S+t], cl.p2[t*S+b] = 0, 0
		cl.q[b*S+t], cl.q[t*S+b] = 0, 0
	}
	cl.pl[a] += cl.pl[b]
	cl.pr[a] += cl.pr[b]
	cl.pl[b], cl.pr[b] = 0, 0
	cl.node[b] = -1
	cl.setQ(a)
	others(func(x, y int) { cl.loss[x*S+y] += cl.term(x, y, a) })
	for t, nt := range cl.node {
		if nt >= 0 && t != a {
			cl.setLoss(a, t, cl.fullLoss(a, t))
		}
	}
}
