package extract

// Features of the claim model are strings ("w:nato", "src:subject|demand"),
// but the extractor never builds them at run time: it hashes their parts
// with FNV-1a as it goes, and the model's weights are keyed by the hash of
// the same string. FNV-1a is a streaming hash, so hashing "a" then "b" gives
// the hash of "ab": a feature conjoined with a kind ("…|demand") is the
// base feature's hash continued with the suffix. Training alone keeps the
// names, to write a model file people can read and diff.

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// fnvAdd continues hash h with the bytes of s.
func fnvAdd(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

// featureHash is the hash of a feature's name, as the model file keys it.
func featureHash(name string) uint64 { return fnvAdd(fnvOffset, name) }

// feat is one feature of a candidate: its hash, and its name when the
// features are collected for training.
type feat struct {
	h    uint64
	name string
}

// featureSet collects the features of one candidate. With names set, each
// feature keeps its name (training); otherwise only hashes are computed.
type featureSet struct {
	names bool
	fs    []feat
}

// add adds the feature prefix+value.
func (f *featureSet) add(prefix, value string) {
	ft := feat{h: fnvAdd(fnvAdd(fnvOffset, prefix), value)}
	if f.names {
		ft.name = prefix + value
	}
	f.fs = append(f.fs, ft)
}

// conjoin returns the hash (and name) of feature ft conjoined with suffix.
func conjoin(ft feat, suffix string, names bool) feat {
	out := feat{h: fnvAdd(fnvAdd(ft.h, "|"), suffix)}
	if names {
		out.name = ft.name + "|" + suffix
	}
	return out
}

// bucket maps a count to a coarse label, so that one feature stands for a
// range of values.
func bucket(n int) string {
	switch {
	case n <= 0:
		return "0"
	case n == 1:
		return "1"
	case n == 2:
		return "2"
	case n <= 4:
		return "3-4"
	case n <= 8:
		return "5-8"
	case n <= 16:
		return "9-16"
	default:
		return "17+"
	}
}
