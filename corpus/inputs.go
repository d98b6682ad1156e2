package corpus

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/sync/errgroup"
)

// InputOptions configures OpenInputs. The zero value gives the defaults.
type InputOptions struct {
	// Files says how files, folders, dumps, WARC archives and standard
	// input are read (see Open).
	Files Options
	// URLList, when not empty, names a file of URLs, one a line, read as
	// ScanURLList reads it: its URLs come after the arguments, and each
	// line that is not a URL is one *InputError yielded before them.
	URLList string
	// Feeds are RSS, Atom or JSON feeds, sitemaps or sitemap indexes
	// (see Fetcher.FeedURLs) whose articles come after the arguments and
	// the URL list, feed by feed. A feed that cannot be read is one
	// *InputError per failed feed or sitemap; the others are read.
	Feeds []string
	// Fetch configures the Fetcher made for the URLs when Fetcher is nil.
	Fetch FetchOptions
	// Fetcher fetches the URLs and feeds. Nil means NewFetcher(Fetch),
	// made only when there is something to fetch.
	Fetcher *Fetcher
	// Workers is the most URLs fetched at once. Zero or negative means
	// the Fetcher's MaxConcurrent (16 by default).
	Workers int
	// OnFeed, when not nil, is called (from Run) once a feed has been
	// read, with the number of article links found and the error, if any.
	OnFeed func(feed string, links int, err error)
}

// Inputs is the one way a command's arguments become documents: files,
// folders, JSONL dumps, WARC archives, "-" for standard input, http and
// https URLs, a URL list and feeds, opened by OpenInputs. It implements
// the pipeline's Source.
//
// Documents come out in input order, whatever the number of concurrent
// fetches: the arguments in the order given (a folder in lexical order, a
// dump line by line, an archive record by record), then the URL list, then
// each feed's articles in the feed's order. Two runs over the same inputs
// therefore hand on the same documents in the same order.
//
// Fetching is done by Run, which must be running while Next is called
// whenever there is something to fetch (HasNetwork); Next is called from
// one goroutine at a time. Each reads a fetched page only when its turn
// comes, so at most Workers pages are held, fetched ahead of Next.
type Inputs struct {
	parts   []inputPart
	fetcher *Fetcher
	workers int
	onFeed  func(string, int, error)

	// ordered carries, in input order, one slot per fetched URL or feed
	// error, and a nil slot at the end of each network part. Run sends,
	// Next receives; Run closes it when it returns.
	ordered chan chan urlResult
	pending chan urlResult // the slot Next is waiting on, if any
	cur     int            // index in parts of the part Next reads
	errAt   int            // index in the current part's errs of the next one
	ran     bool
	closed  bool
}

// inputPart is one run of consecutive inputs of one kind. Parts are not
// changed after OpenInputs: Run reads them while Next reads on.
type inputPart struct {
	files *Reader  // paths, read by Next
	errs  []error  // bad URL list lines, yielded by Next
	urls  []string // fetched by Run
	feed  string   // expanded and fetched by Run
}

// network reports whether Run fetches this part.
func (p *inputPart) network() bool { return p.files == nil && p.errs == nil }

// urlResult is the outcome of one fetch.
type urlResult struct {
	doc Document
	err error
}

// IsURL reports whether an argument is fetched rather than opened as a
// path: it starts with http:// or https://.
func IsURL(arg string) bool {
	l := strings.ToLower(arg)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

// OpenInputs checks every argument and returns the source of their
// documents, reading and fetching nothing yet. An argument that IsURL is
// fetched as one page; any other is a path opened as Open opens it ("-"
// for standard input, at most once). opts.URLList is read now.
//
// A missing or unreadable path, or an unreadable URL list, fails
// OpenInputs with an error naming it; so does an empty list of inputs
// (no argument, URL and feed). A bad URL is not an error here: fetching
// it yields an *InputError in its turn, like a bad document. ctx bounds
// the checks.
func OpenInputs(ctx context.Context, args []string, opts InputOptions) (*Inputs, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	in := &Inputs{fetcher: opts.Fetcher, workers: opts.Workers, onFeed: opts.OnFeed}
	ok := false
	defer func() {
		if !ok {
			in.Close()
		}
	}()
	stdin := 0
	var paths, urls []string
	// One set of ids for every dump of the run: a later dump's record
	// repeating an earlier dump's id is skipped as within one dump.
	ids := &idSet{}
	flush := func() error {
		if len(paths) > 0 {
			r, err := open(paths, opts.Files, ids)
			if err != nil {
				return err
			}
			in.parts = append(in.parts, inputPart{files: r})
			paths = nil
		}
		if len(urls) > 0 {
			in.parts = append(in.parts, inputPart{urls: urls})
			urls = nil
		}
		return nil
	}
	for _, a := range args {
		if IsURL(a) {
			if len(paths) > 0 {
				if err := flush(); err != nil {
					return nil, err
				}
			}
			urls = append(urls, a)
			continue
		}
		if a == "-" {
			if stdin++; stdin > 1 {
				return nil, errors.New(`corpus: input "-" (standard input) given more than once`)
			}
		}
		if len(urls) > 0 {
			if err := flush(); err != nil {
				return nil, err
			}
		}
		paths = append(paths, a)
	}
	if err := flush(); err != nil {
		return nil, err
	}
	if opts.URLList != "" {
		list, bad, err := readURLListFile(opts.URLList)
		if err != nil {
			return nil, err
		}
		if len(bad) > 0 {
			part := inputPart{errs: make([]error, len(bad))}
			for i, b := range bad {
				part.errs[i] = b
			}
			in.parts = append(in.parts, part)
		}
		if len(list) > 0 {
			in.parts = append(in.parts, inputPart{urls: list})
		}
	}
	for _, f := range opts.Feeds {
		if !IsURL(f) {
			// A saved feed that is not there fails now, as a missing path
			// does; one that cannot be parsed is an input error in its turn.
			if _, err := os.Stat(f); err != nil {
				return nil, fmt.Errorf("corpus: feed %s: %w", f, pathErrReason(err))
			}
		}
		in.parts = append(in.parts, inputPart{feed: f})
	}
	if len(in.parts) == 0 && opts.URLList == "" {
		return nil, errors.New("corpus: no inputs")
	}
	if in.HasNetwork() {
		if in.fetcher == nil {
			in.fetcher = NewFetcher(opts.Fetch)
		}
		if in.workers <= 0 {
			in.workers = in.fetcher.chain.Hosts.MaxConcurrent()
		}
		in.ordered = make(chan chan urlResult, in.workers)
	}
	ok = true
	return in, nil
}

// readURLListFile reads a --urls file with ScanURLList.
func readURLListFile(path string) ([]string, []*InputError, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("corpus: URL list %s: %w", path, pathErrReason(err))
	}
	defer f.Close()
	list, bad, err := ScanURLList(f, path)
	if err != nil {
		return nil, nil, fmt.Errorf("corpus: URL list %s: %w", path, err)
	}
	return list, bad, nil
}

// HasNetwork reports whether the inputs include URLs or feeds, which Run
// fetches.
func (in *Inputs) HasNetwork() bool {
	for i := range in.parts {
		if in.parts[i].network() {
			return true
		}
	}
	return false
}

// Run fetches the URLs and feeds of the inputs, in input order, at most
// Workers at a time within the Fetcher's limits, and hands each page (or
// the *InputError saying why it could not be had) to Next in its turn. It
// returns nil once everything has been handed on or when ctx ends; all
// its goroutines have returned by then. Callers run it in the same
// errgroup as the consumer of Next (as pipeline.Run does, and Each), so
// that it ends with the run. Run may be called once; without network
// inputs it returns at once.
func (in *Inputs) Run(ctx context.Context) error {
	if in.ran {
		return errors.New("corpus: Inputs.Run called twice")
	}
	in.ran = true
	if in.ordered == nil {
		return nil
	}
	defer close(in.ordered)
	g, gctx := errgroup.WithContext(ctx)
	type task struct {
		url  string
		slot chan urlResult
	}
	work := make(chan task)
	for range in.workers {
		g.Go(func() error {
			for t := range work {
				doc, err := in.fetcher.Fetch(gctx, t.url)
				t.slot <- urlResult{doc, err} // buffered: never blocks
			}
			return nil
		})
	}
	// send hands a slot to Next, in order; false when the run is over.
	send := func(slot chan urlResult) bool {
		select {
		case in.ordered <- slot:
			return true
		case <-gctx.Done():
			return false
		}
	}
	g.Go(func() error {
		defer close(work)
		for i := range in.parts {
			p := &in.parts[i]
			if !p.network() {
				continue
			}
			urls := p.urls
			if p.feed != "" {
				links, err := in.fetcher.FeedURLs(gctx, p.feed)
				if gctx.Err() != nil {
					return nil
				}
				if in.onFeed != nil {
					in.onFeed(p.feed, len(links), err)
				}
				if err != nil {
					for _, e := range feedErrors(p.feed, err) {
						slot := make(chan urlResult, 1)
						slot <- urlResult{err: e}
						if !send(slot) {
							return nil
						}
					}
				}
				urls = links
			}
			for _, u := range urls {
				slot := make(chan urlResult, 1)
				if !send(slot) {
					return nil
				}
				select {
				case work <- task{u, slot}:
				case <-gctx.Done():
					return nil
				}
			}
			if !send(nil) {
				return nil
			}
		}
		return nil
	})
	return g.Wait()
}

// errInputsStopped is returned by Next when Run ended before handing on
// everything.
var errInputsStopped = errors.New("corpus: fetching stopped before every input was read")

// Next returns the next document in input order, an *InputError for one
// that could not be read or fetched (the inputs go on), io.EOF at the end,
// or ctx.Err() when ctx ends first. Any other error is fatal.
func (in *Inputs) Next(ctx context.Context) (Document, error) {
	if in.closed {
		return Document{}, errors.New("corpus: Inputs is closed")
	}
	for in.cur < len(in.parts) {
		p := &in.parts[in.cur]
		switch {
		case p.files != nil:
			doc, err := p.files.Next(ctx)
			if errors.Is(err, io.EOF) {
				in.cur++
				continue
			}
			return doc, err
		case p.errs != nil:
			if in.errAt == len(p.errs) {
				in.cur, in.errAt = in.cur+1, 0
				continue
			}
			in.errAt++
			return Document{}, p.errs[in.errAt-1]
		}
		if in.pending == nil {
			select {
			case slot, ok := <-in.ordered:
				if !ok {
					if err := ctx.Err(); err != nil {
						return Document{}, err
					}
					return Document{}, errInputsStopped
				}
				if slot == nil {
					in.cur++
					continue
				}
				in.pending = slot
			case <-ctx.Done():
				return Document{}, ctx.Err()
			}
		}
		select {
		case r := <-in.pending:
			in.pending = nil
			if r.err != nil && ctx.Err() != nil {
				return Document{}, ctx.Err()
			}
			return r.doc, r.err
		case <-ctx.Done():
			return Document{}, ctx.Err()
		}
	}
	return Document{}, io.EOF
}

// Skipped is the number of files, folders and WARC records skipped so far
// (see Reader.Skipped), over all path inputs.
func (in *Inputs) Skipped() int {
	n := 0
	for _, p := range in.parts {
		if p.files != nil {
			n += p.files.Skipped()
		}
	}
	return n
}

// SkippedRecords is the number of WARC records skipped so far by reason
// (see Reader.SkippedRecords), over all path inputs; Skipped includes
// them. The map is the caller's.
func (in *Inputs) SkippedRecords() map[string]int {
	m := map[string]int{}
	for _, p := range in.parts {
		if p.files != nil {
			for reason, n := range p.files.SkippedRecords() {
				m[reason] += n
			}
		}
	}
	return m
}

// DuplicateIDs is the number of dump records skipped so far for an id an
// earlier record of the inputs has, in their dump or an earlier one (see
// Reader.DuplicateIDs).
func (in *Inputs) DuplicateIDs() int {
	n := 0
	for _, p := range in.parts {
		if p.files != nil {
			n += p.files.DuplicateIDs()
		}
	}
	return n
}

// Fetcher returns the Fetcher of the network inputs, nil when there are
// none.
func (in *Inputs) Fetcher() *Fetcher { return in.fetcher }

// Close closes the open files. It must not be called while Run or Next
// is running; it may be called again.
func (in *Inputs) Close() error {
	in.closed = true
	var errs []error
	for _, p := range in.parts {
		if p.files != nil {
			errs = append(errs, p.files.Close())
		}
	}
	return errors.Join(errs...)
}

// Each runs in.Run and reads every document of in, in input order,
// calling fn with it or with the *InputError that made it unreadable; the
// first error from fn, a fatal error of in, or the end of ctx stops it
// and is returned. Every goroutine it starts has returned when it does.
func (in *Inputs) Each(ctx context.Context, fn func(Document, error) error) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return in.Run(gctx) })
	g.Go(func() error {
		for {
			doc, err := in.Next(gctx)
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err := gctx.Err(); err != nil {
				return err
			}
			var ie *InputError
			if err != nil && !errors.As(err, &ie) {
				return err
			}
			if err := fn(doc, err); err != nil {
				return err
			}
		}
	})
	return g.Wait()
}

// feedErrors splits an error of FeedURLs into one *InputError per failed
// feed or sitemap, each counted as one bad input.
func feedErrors(feed string, err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, feedErrors(feed, e)...)
		}
		return out
	}
	var ie *InputError
	if errors.As(err, &ie) {
		return []error{err}
	}
	return []error{&InputError{Input: feed, Err: err}}
}
