package crawl

import (
	"errors"
	"strings"
	"testing"
)

// FuzzParseURL holds ParseURL to its contract on any string: either an
// error wrapping ErrBadURL and no URL, or an absolute http or https URL
// with a host and without a fragment; white space around the input
// changes nothing; and the URL's String, parsed again, is the same URL
// (what the crawler logs and stores reads back as what it fetched).
func FuzzParseURL(f *testing.F) {
	for _, s := range []string{
		"https://example.com/a?x=1#top", "HTTP://Example.COM:8080/%7Euser/", " http://example.org/b \n",
		"example.com/no-scheme", "ftp://x/y", "http://", "http:///x", "http://:80/", "http:opaque",
		"https://user:pass@host/", "http://[::1]:80/", "http://[fe80::1%25en0]/", "http://%zz/", "http://a b/",
		"https://example.com/#", "https://example.com/a#b#c", "//example.com/", "mailto:a@b", "", "http://\x7f/",
		"https://xn--nxasmq6b.example/ü?q=ü", "http://a/b/../c/./d", "http://a/%2F%2f",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := ParseURL(s)
		padded, perr := ParseURL(" \t" + s + "\r\n")
		if (err == nil) != (perr == nil) || err == nil && u.String() != padded.String() {
			t.Fatalf("ParseURL(%q) = %v, %v; with white space around %v, %v", s, u, err, padded, perr)
		}
		if err != nil {
			if u != nil || !errors.Is(err, ErrBadURL) {
				t.Fatalf("ParseURL(%q) = %v, %v; want no URL and ErrBadURL", s, u, err)
			}
			return
		}
		if u.Scheme != "http" && u.Scheme != "https" {
			t.Fatalf("ParseURL(%q): scheme %q", s, u.Scheme)
		}
		if u.Hostname() == "" || u.Opaque != "" {
			t.Fatalf("ParseURL(%q) = %#v: no host", s, u)
		}
		if u.Fragment != "" || u.RawFragment != "" || strings.Contains(u.String(), "#") {
			t.Fatalf("ParseURL(%q) = %q keeps a fragment", s, u)
		}
		again, err := ParseURL(u.String())
		if err != nil || again.String() != u.String() {
			t.Fatalf("ParseURL(%q) = %q, which parses again as %v, %v", s, u, again, err)
		}
	})
}

// TestParseURLSpaceBeforeFragment: white space between a query and the
// fragment ParseURL drops ended the URL ("http://0? #" gave "http://0? "),
// whose String then parsed as another URL (found by FuzzParseURL).
func TestParseURLSpaceBeforeFragment(t *testing.T) {
	for in, want := range map[string]string{
		"http://0? #":                    "http://0?",
		"https://a.example/?q=1  #top":   "https://a.example/?q=1",
		"https://a.example/?q=1\u00a0#x": "https://a.example/?q=1",
		"https://a.example/?q=1 2#x":     "https://a.example/?q=1 2",
		"https://a.example/b #x":         "https://a.example/b%20",
		"https://a.example/?#x":          "https://a.example/?",
	} {
		u, err := ParseURL(in)
		if err != nil || u.String() != want {
			t.Errorf("ParseURL(%q) = %v, %v; want %q", in, u, err, want)
			continue
		}
		if again, err := ParseURL(u.String()); err != nil || again.String() != want {
			t.Errorf("ParseURL(%q) = %q, which parses again as %v, %v", in, want, again, err)
		}
	}
}
