package crawl

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Cache keeps the pages and feeds fetched through it in a folder, each
// with its validators, keyed by a hash of its kind and URL. A Page found in
// the cache is returned without a request (Cached set) unless Refresh is
// set; a Feed is always revalidated. Revalidation is a conditional request
// (If-None-Match, If-Modified-Since), and a 304 answer is served from the
// cache. RobotsTxt requests pass through uncached.
//
// A cache that cannot be written never fails a fetch: the response is
// returned, just not stored, and Err reports the first such failure. Use
// NewCache; a Cache is safe for concurrent use, also by several processes
// sharing the folder (files are written to a temporary name and renamed).
type Cache struct {
	next     Fetcher
	dir      string
	refresh  bool
	maxBytes int64
	now      func() time.Time

	mu  sync.Mutex
	err error // the first write error
}

// NewCache returns a Cache in dir (created when needed) before next. With
// refresh, cached pages are revalidated too. maxBytes is the Page size
// limit (see Limit): larger cached bodies are ignored. now is the clock
// stamping entries; nil means time.Now.
func NewCache(next Fetcher, dir string, refresh bool, maxBytes int64, now func() time.Time) *Cache {
	if now == nil {
		now = time.Now
	}
	return &Cache{next: next, dir: dir, refresh: refresh, maxBytes: maxBytes, now: now}
}

// Fetch answers req from the cache or through next, storing what next
// fetched.
func (c *Cache) Fetch(ctx context.Context, req *Request) (*Response, error) {
	if req.Kind == RobotsTxt {
		return c.next.Fetch(ctx, req)
	}
	key := cacheKey(req.Kind, req.URL.String())
	cached := c.load(key, Limit(req.Kind, c.maxBytes))
	if cached != nil && req.Kind == Page && !c.refresh {
		return cached.response(), nil
	}
	r := *req
	if cached != nil && (cached.ETag != "" || cached.LastModified != "") {
		r.Cond = &Validators{URL: cached.FinalURL, ETag: cached.ETag, LastModified: cached.LastModified}
	}
	res, err := c.next.Fetch(ctx, &r)
	if err != nil {
		return nil, err
	}
	if res.NotModified && cached != nil {
		return cached.response(), nil
	}
	c.save(key, res)
	return res, nil
}

// Forget removes what is stored for rawURL as kind, so that the next
// Fetch asks the network again; a caller that cannot use a response (a
// page whose bytes do not decode) forgets it rather than keep a bad copy
// until Refresh. Failing to remove a file is remembered for Err.
func (c *Cache) Forget(kind Kind, rawURL string) {
	err := os.Remove(c.path(cacheKey(kind, rawURL)))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		c.mu.Lock()
		if c.err == nil {
			c.err = fmt.Errorf("fetch cache %s: %w", c.dir, err)
		}
		c.mu.Unlock()
	}
}

// Err returns the first error met while writing to the folder, or nil.
func (c *Cache) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// save stores res under key, remembering the first failure for Err.
func (c *Cache) save(key string, res *Response) {
	err := c.store(key, &cacheEntry{
		FinalURL:     res.URL,
		ContentType:  res.ContentType,
		ETag:         res.ETag,
		LastModified: res.LastModified,
		Fetched:      c.now().UTC(),
		body:         res.Body,
	})
	if err != nil {
		c.mu.Lock()
		if c.err == nil {
			c.err = fmt.Errorf("fetch cache %s: %w", c.dir, err)
		}
		c.mu.Unlock()
	}
}

// cacheMagic is the first line of every cache file.
const cacheMagic = "redline-fetch-cache 1\n"

// A cache file is dir/ab/abcdef....cache, named by the SHA-256 of its key:
// the magic line, one line of JSON metadata (cacheEntry) and the body.

// cacheEntry is the metadata of one cached response.
type cacheEntry struct {
	// URL is the cache key (kind and address as requested).
	URL string `json:"url"`
	// FinalURL is the address after redirects.
	FinalURL     string    `json:"final_url"`
	ContentType  string    `json:"content_type,omitempty"`
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	Fetched      time.Time `json:"fetched"`
	Size         int64     `json:"size"`

	body []byte
}

// response returns the entry as a Response.
func (e *cacheEntry) response() *Response {
	return &Response{
		URL:          e.FinalURL,
		ContentType:  e.ContentType,
		ETag:         e.ETag,
		LastModified: e.LastModified,
		Body:         e.body,
		Cached:       true,
	}
}

// cacheKey returns the key under which a response of kind for rawURL is
// stored: pages and feeds are kept apart.
func cacheKey(kind Kind, rawURL string) string {
	if kind == Feed {
		return "feed " + rawURL
	}
	return "page " + rawURL
}

// path returns the file of key.
func (c *Cache) path(key string) string {
	sum := sha256.Sum256([]byte(key))
	name := hex.EncodeToString(sum[:])
	return filepath.Join(c.dir, name[:2], name+".cache")
}

// load returns the entry of key, or nil when there is none or it cannot be
// read (missing, corrupt, for another key, or larger than limit).
func (c *Cache) load(key string, limit int64) *cacheEntry {
	file, err := os.Open(c.path(key))
	if err != nil {
		return nil
	}
	defer file.Close()
	br := bufio.NewReaderSize(file, 64<<10) // the metadata line fits
	magic := make([]byte, len(cacheMagic))
	if _, err := io.ReadFull(br, magic); err != nil || string(magic) != cacheMagic {
		return nil
	}
	meta, err := br.ReadSlice('\n')
	if err != nil {
		return nil
	}
	var e cacheEntry
	if json.Unmarshal(meta, &e) != nil || e.URL != key || e.Size < 0 || e.Size > limit {
		return nil
	}
	e.body = make([]byte, e.Size)
	if _, err := io.ReadFull(br, e.body); err != nil {
		return nil
	}
	if _, err := br.ReadByte(); err != io.EOF {
		return nil // trailing bytes: not a file this code wrote
	}
	return &e
}

// store writes e under key, replacing any older entry.
func (c *Cache) store(key string, e *cacheEntry) (err error) {
	p := c.path(key)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	e.URL = key
	e.Size = int64(len(e.body))
	meta, err := json.Marshal(e)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	w := bufio.NewWriter(tmp)
	w.WriteString(cacheMagic)
	w.Write(meta)
	w.WriteByte('\n')
	w.Write(e.body)
	if err := w.Flush(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), p)
}
