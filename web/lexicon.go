package web

import (
	"context"
	"sync"

	"redline/extract"
	"redline/filter"
	"redline/index"
)

// lexicons holds the lexicon of the served index's claims, for party
// names in filters, labels and highlighting. An index keeps the lexicon it
// was made with, and another ingest may replace the index while the
// server runs, so it is read again whenever the index's copy changes.
type lexicons struct {
	mu    sync.RWMutex
	ix    *index.Index // the open index lex was read for: the holder opens a new one when the index changes
	key   string       // what lex was read from: the index's copy, or noCopy; "" before any index
	lex   *extract.Lexicon
	names map[string]string // party id → display name
}

// noCopy is lexicons.key for an index that keeps no copy of its lexicon
// (made before indexes kept one).
const noCopy = "\x00"

// set makes lex, read from key, the current lexicon.
func (l *lexicons) set(lex *extract.Lexicon, key string) {
	names := map[string]string{}
	if lex != nil {
		for _, p := range lex.Parties() {
			names[p.ID] = p.Name
		}
	}
	l.mu.Lock()
	l.lex, l.key, l.names = lex, key, names
	l.mu.Unlock()
}

// get returns the current lexicon; nil when the index's could not be read
// (names are then shown as ids).
func (l *lexicons) get() *extract.Lexicon {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.lex
}

// name returns the display name of party id.
func (l *lexicons) name(id string) (string, bool) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	n, ok := l.names[id]
	return n, ok
}

// use makes ix's lexicon the current one. It reads the index's copy only
// for an index opened since the last call, and parses it only when it
// differs from the one in use.
func (l *lexicons) use(ix *index.Index) {
	l.mu.RLock()
	seen := ix == l.ix
	l.mu.RUnlock()
	if seen {
		return
	}
	src, ok, err := ix.Lexicon()
	if err != nil {
		return // the page that reads the index reports it
	}
	key := string(src)
	if !ok {
		key = noCopy
	}
	l.mu.RLock()
	same := key == l.key
	l.mu.RUnlock()
	if !same {
		lex, err := filter.IndexLexicon(ix)
		if err != nil {
			lex = nil // claims of a lexicon the index does not keep: ids only
		}
		l.set(lex, key)
	}
	l.mu.Lock()
	l.ix = ix
	l.mu.Unlock()
}

// withIndex runs fn with the index acquired and its lexicon in use.
func (s *Server) withIndex(ctx context.Context, fn func(*index.Index) error) error {
	return s.ix.withIndex(ctx, func(ix *index.Index) error {
		s.lexs.use(ix)
		return fn(ix)
	})
}
