package main

import (
	"context"
	"fmt"
	"net"
	"time"

	"redline/web"
)

const serveUsage = `Usage: redline serve [--index DIR] [--addr 127.0.0.1:8080] [--read-only] [--timeout 30s]

Serves the analyst's workbench in a browser, and a JSON API, over the index:
search with facets (party, kind, topic, outlet, month), a date range and a
confidence slider; each article with its claims highlighted and the other
outlets that carried it; the comparison of positions across sources (the
numbers of redline compare); exports as CSV or JSONL (the rows of redline
export); and the index's status. The URL of a page holds its whole state:
bookmark it or send it.

The API answers JSON: /api/search, /api/claims/ID, /api/articles/DOC_ID,
/api/compare, /api/stats and /api/export take the flags of search, export
and compare as parameters (q for the query). Errors are JSON with 400 for a
bad query or parameter, 404 for a missing claim or article, and 503 while
an ingest holds the index ("index busy"). The README documents it.

The server listens on the loopback address unless --addr says otherwise.
It opens the index only while requests need it, so an ingest can run into
the same index between them. Ctrl-C stops it gracefully.

Examples:
  redline serve --index redline.index
  curl -s 'http://127.0.0.1:8080/api/search?q=nato&party=russia&limit=5' | jq .
`

func (e *env) serve(ctx context.Context, args []string) error {
	fs := e.newFlags("serve", serveUsage)
	dir := fs.String("index", "", "index folder (default $REDLINE_INDEX or ./redline.index)")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on (host:port); the default is reachable from this machine only")
	readOnly := fs.Bool("read-only", false, "answer only GET and HEAD requests (there is nothing else to do; for servers behind a shared proxy)")
	timeout := fs.Duration("timeout", 30*time.Second, "longest a page or API request may take (exports: 10 minutes)")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("serve: unexpected argument %q", fs.Arg(0))
	}
	if *timeout <= 0 {
		return usagef("--timeout must be positive")
	}
	if err := checkAddr(*addr); err != nil {
		return err
	}
	d := indexDir(*dir)
	if err := e.needIndex(d, "run redline ingest first, or pass --index"); err != nil {
		return err
	}
	srv, err := web.New(web.Options{Dir: d, ReadOnly: *readOnly, RequestTimeout: *timeout, Log: e.log})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("--addr %s: %w", *addr, err)
	}
	e.log.Info("serving", "url", "http://"+ln.Addr().String()+"/", "index", d, "read_only", *readOnly)
	if err := srv.Serve(ctx, ln); err != nil {
		return err
	}
	e.log.Info("stopped")
	return nil
}

// checkAddr refuses an --addr that is not host:port with a port (a number
// up to 65535 or a service name) as the wrong command line it is (exit 2),
// before the index is opened; an address that is well formed but cannot
// be had (in use, not this machine's) is left to net.Listen, a failure.
func checkAddr(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err == nil {
		_, err = net.LookupPort("tcp", port)
	}
	if err != nil {
		return usagef("--addr %s: want host:port, such as 127.0.0.1:8080 (%v)", addr, err)
	}
	return nil
}
