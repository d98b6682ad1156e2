package brown

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// toyCorpus is sentences in which words of one role are interchangeable:
// names, verbs, nouns.
func toyCorpus(n int) [][]string {
	r := rand.New(rand.NewPCG(1, 2))
	names := []string{"alice", "bob", "carol", "dave"}
	verbs := []string{"likes", "hates", "fears", "loves"}
	nouns := []string{"dogs", "cats", "snakes", "birds"}
	var out [][]string
	for range n {
		out = append(out, []string{
			names[r.IntN(len(names))], verbs[r.IntN(len(verbs))], nouns[r.IntN(len(nouns))], ".",
		})
	}
	return out
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// TestClusterRoles checks that words of one role end up closer in the tree
// than words of different roles, with the window both wider than the
// vocabulary and narrower (so that phase one merges whole words).
func TestClusterRoles(t *testing.T) {
	for _, c := range []int{3, 20} {
		t.Run(fmt.Sprint("C=", c), func(t *testing.T) {
			classes := Cluster(toyCorpus(2000), Options{Clusters: c, MinCount: 1})
			bits := map[string]string{}
			for _, cl := range classes {
				bits[cl.Word] = cl.Bits
			}
			if len(bits) != 13 {
				t.Fatalf("%d words have a class, want 13: %v", len(bits), classes)
			}
			roles := [][]string{{"alice", "bob", "carol", "dave"}, {"likes", "hates", "fears", "loves"}, {"dogs", "cats", "snakes", "birds"}}
			for ri, role := range roles {
				for _, other := range roles[ri+1:] {
					for _, a := range role {
						for _, b := range role {
							for _, x := range other {
								if commonPrefix(bits[a], bits[b]) <= commonPrefix(bits[a], bits[x]) {
									t.Errorf("%s %s and %s %s share less than %s and %s %s", a, bits[a], b, bits[b], a, x, bits[x])
								}
							}
						}
					}
				}
			}
		})
	}
}

// TestClusterDeterministic: the same sentences in another order give the
// same classes.
func TestClusterDeterministic(t *testing.T) {
	s := toyCorpus(500)
	a := Cluster(s, Options{Clusters: 5, MinCount: 1})
	rev := make([][]string, len(s))
	for i := range s {
		rev[len(s)-1-i] = s[i]
	}
	b := Cluster(rev, Options{Clusters: 5, MinCount: 1})
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("order changed the classes:\n%v\n%v", a, b)
	}
}

func TestClusterMinCount(t *testing.T) {
	s := [][]string{{"a", "b", "a"}, {"a", "c"}}
	got := Cluster(s, Options{MinCount: 2})
	if len(got) != 1 || got[0].Word != "a" || got[0].Count != 3 {
		t.Fatalf("got %v, want only a (3)", got)
	}
	if Cluster(nil, Options{}) != nil {
		t.Fatal("no sentences gave classes")
	}
}

// TestLossesIncremental checks the merge losses kept up to date after
// each addition and merge against a computation from scratch: an error in
// the incremental update would pick wrong merges silently.
func TestLossesIncremental(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const slots = 6
	cl := &clustering{
		slots: slots, n: 1000,
		p2: make([]float64, slots*slots), q: make([]float64, slots*slots), loss: make([]float64, slots*slots),
		pl: make([]float64, slots), pr: make([]float64, slots), node: []int{-1, -1, -1, -1, -1, -1},
	}
	check := func(when string) {
		t.Helper()
		for a := range slots {
			for b := a + 1; b < slots; b++ {
				if cl.node[a] < 0 || cl.node[b] < 0 {
					continue
				}
				if got, want := cl.loss[a*slots+b], cl.fullLoss(a, b); math.Abs(got-want) > 1e-9 {
					t.Fatalf("%s: loss(%d,%d) = %v, from scratch %v", when, a, b, got, want)
				}
			}
		}
	}
	nd := 0
	for step := range 30 {
		s := cl.free()
		cl.node[s] = nd
		nd++
		for t := range slots {
			if cl.node[t] >= 0 {
				cl.p2[s*slots+t] = float64(r.IntN(20))
				cl.p2[t*slots+s] = float64(r.IntN(20))
			}
		}
		cl.pl[s], cl.pr[s] = 40+float64(r.IntN(40)), 40+float64(r.IntN(40))
		cl.added(s)
		check(fmt.Sprint("after adding, step ", step))
		if cl.active() == slots {
			a, b := cl.best()
			cl.merge(a, b)
			check(fmt.Sprint("after merging, step ", step))
		}
	}
}

func TestClassesSorted(t *testing.T) {
	classes := Cluster(toyCorpus(300), Options{Clusters: 4, MinCount: 1})
	var lines []string
	for _, c := range classes {
		lines = append(lines, c.Bits)
		if strings.Trim(c.Bits, "01") != "" || c.Bits == "" {
			t.Errorf("%s has class %q", c.Word, c.Bits)
		}
	}
	for i := 1; i < len(lines); i++ {
		if lines[i] < lines[i-1] {
			t.Fatalf("classes not sorted by bits: %v", lines)
		}
	}
}
