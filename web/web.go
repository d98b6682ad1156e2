// Package web is redline's workbench in a browser and its JSON API: the
// search page with facets, the article view, the comparison of positions
// across sources, exports and the index's status, served over HTTP by
// "redline serve".
//
// It is its own package because it is a second front end beside the
// command line: it owns HTTP routing, HTML templates, embedded assets,
// security headers and the lifetime of the open index between requests,
// none of which belongs in the index or in cmd/redline. It reads the
// filters through package filter, as the command line does, so a URL and
// a command line with the same values select the same claims.
//
// Safety: every value from an article goes through html/template; pages
// carry a strict Content-Security-Policy (scripts, styles and images from
// the server only, nothing inline); every request has a deadline; pages
// and API responses are capped at MaxPageSize claims (exports stream all).
//
// Size: pages, the JSON API, the article view and the compare page each
// have their own file; together they are one front end, sharing the
// templates, the parameter reading and the open index.
package web

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"time"

	"redline/extract"
)

// Options configures a Server. The zero value selects the defaults.
type Options struct {
	// Dir is the index folder; required.
	Dir string
	// ReadOnly hides what changes state from the browser. redline serve
	// never writes the index; --read-only also refuses any method but GET
	// and HEAD, for a server put behind a shared proxy.
	ReadOnly bool
	// RequestTimeout bounds one request (default 30 s); exports, which
	// stream without a size limit, get ExportTimeout (default 10 min).
	RequestTimeout, ExportTimeout time.Duration
	// IdleClose is how long the index stays open after the last request
	// (default 1 s): an ingest needs the index's lock alone.
	IdleClose time.Duration
	// Recheck is how often, at most, a request checks whether an ingest
	// committed since the index was opened (default 2 s).
	Recheck time.Duration
	// LockTimeout is how long a request waits for an ingest to release
	// the index before it answers "index busy" (default 300 ms).
	LockTimeout time.Duration
	// Log receives one line per failed request; nil discards.
	Log *slog.Logger
}

// MaxPageSize is the most claims one page or API response holds;
// DefaultPageSize is the page size when none is asked for.
const (
	MaxPageSize     = 100
	DefaultPageSize = 20
)

// MaxOffset is the deepest a page may start: deeper pages cost the index
// more than they help anyone; narrow the query or export instead.
const MaxOffset = 10000

func (o Options) withDefaults() Options {
	if o.RequestTimeout <= 0 {
		o.RequestTimeout = 30 * time.Second
	}
	if o.ExportTimeout <= 0 {
		o.ExportTimeout = 10 * time.Minute
	}
	if o.IdleClose <= 0 {
		o.IdleClose = time.Second
	}
	if o.Recheck <= 0 {
		o.Recheck = 2 * time.Second
	}
	if o.LockTimeout <= 0 {
		o.LockTimeout = 300 * time.Millisecond
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return o
}

//go:embed assets templates
var files embed.FS

// Server serves the workbench over one index folder. Create it with New;
// its Handler may serve many requests at once.
type Server struct {
	opts    Options
	ix      *holder
	pages   map[string]*template.Template
	lexs    lexicons
	errors  errorsCache // what the status last read of errors.jsonl
	handler http.Handler
}

// New returns a Server for opts. The index is not opened until a request
// needs it, so New succeeds while an ingest holds the index.
func New(opts Options) (*Server, error) {
	opts = opts.withDefaults()
	if opts.Dir == "" {
		return nil, errors.New("web: no index folder")
	}
	s := &Server{opts: opts, ix: &holder{dir: opts.Dir, lockTimeout: opts.LockTimeout, idle: opts.IdleClose, recheck: opts.Recheck, log: opts.Log}}
	// Until a request opens the index, party names are the built-in
	// lexicon's.
	if lex, err := extract.DefaultLexicon(); err == nil {
		s.lexs.set(lex, "")
	}
	var err error
	if s.pages, err = parseTemplates(s.partyName, s.ix.viewNote); err != nil {
		return nil, err
	}
	s.handler = s.routes()
	return s, nil
}

// Handler returns the HTTP handler of every page, asset and API endpoint.
func (s *Server) Handler() http.Handler { return s.handler }

// Close releases the index; requests after it fail.
func (s *Server) Close() { s.ix.close() }

// Serve serves on ln until ctx is done, then shuts down gracefully: it
// stops accepting, lets the requests in flight finish (up to 10 s) and
// releases the index. It returns nil after a shutdown caused by ctx.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		// Exports stream for as long as ExportTimeout allows.
		WriteTimeout:   s.opts.ExportTimeout + 10*time.Second,
		IdleTimeout:    2 * time.Minute,
		MaxHeaderBytes: 64 << 10,
		ErrorLog:       slog.NewLogLogger(s.opts.Log.Handler(), slog.LevelWarn),
		BaseContext:    func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		s.Close()
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := hs.Shutdown(sctx)
	<-errc
	s.Close()
	if err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	assets, _ := fs.Sub(files, "assets")
	mux.Handle("GET /assets/", http.StripPrefix("/assets/", cacheAssets(http.FileServerFS(assets))))
	mux.HandleFunc("GET /{$}", s.searchPage)
	mux.HandleFunc("GET /article/{id...}", s.articlePage)
	mux.HandleFunc("GET /compare", s.comparePage)
	mux.HandleFunc("GET /status", s.statusPage)
	mux.HandleFunc("GET /export", s.apiExport)
	mux.HandleFunc("GET /api/search", s.apiSearch)
	mux.HandleFunc("GET /api/claims/{id...}", s.apiClaim)
	mux.HandleFunc("GET /api/articles/{id...}", s.apiArticle)
	mux.HandleFunc("GET /api/compare", s.apiCompare)
	mux.HandleFunc("GET /api/stats", s.apiStats)
	mux.HandleFunc("GET /api/export", s.apiExport)
	// What no route takes: a path served to GET only is 405 for another
	// method (the catch-alls would otherwise answer "no such page" for a
	// POST to a page that exists), anything else 404.
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.apiError(w, r, notRouted(mux, w, r, "no such API endpoint: "))
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.pageError(w, r, notRouted(mux, w, r, "no such page: "))
	})
	return s.secure(mux)
}

// notRouted is the error for a request only a catch-all of mux took: 405
// (with the Allow header set on w) when a GET of the same path has a
// route, else 404 with notFound and the path.
func notRouted(mux *http.ServeMux, w http.ResponseWriter, r *http.Request, notFound string) error {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		get := r.Clone(r.Context())
		get.Method = http.MethodGet
		if _, pattern := mux.Handler(get); pattern != "/" && pattern != "/api/" {
			w.Header().Set("Allow", "GET, HEAD")
			return &httpError{status: http.StatusMethodNotAllowed, msg: r.Method + " " + r.URL.Path + ": only GET and HEAD are served"}
		}
	}
	return &httpError{status: http.StatusNotFound, msg: notFound + r.URL.Path}
}

// csp allows scripts, styles and images from this server only: no inline
// script or style, no plugin, no framing, forms post back here only.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// secure sets the security headers of every response, refuses methods
// that are not reads under ReadOnly (no endpoint writes anyway), and puts
// a deadline on the request.
func (s *Server) secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if s.opts.ReadOnly && r.Method != http.MethodGet && r.Method != http.MethodHead {
			h.Set("Allow", "GET, HEAD")
			http.Error(w, "read-only server: only GET and HEAD", http.StatusMethodNotAllowed)
			return
		}
		timeout := s.opts.RequestTimeout
		if r.URL.Path == "/export" || r.URL.Path == "/api/export" {
			timeout = s.opts.ExportTimeout
		}
		ctx, cancel := context.WithTimeout(r.Context(), timeout)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func cacheAssets(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		next.ServeHTTP(w, r)
	})
}
