package corpus

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// fetchCacheMagic is the first line of every cache file.
const fetchCacheMagic = "redline-fetch-cache 1\n"

// fetchCache stores fetched bodies under a folder, one file per URL:
// dir/ab/abcdef....cache, named by the SHA-256 of the kind and URL. A file
// is the magic line, one line of JSON metadata (cacheEntry) and the body.
// Files are written to a temporary name and renamed, so a reader never
// sees a partial file, and concurrent writers of one URL do no harm.
type fetchCache struct {
	dir string

	mu  sync.Mutex
	err error // the first write error
}

// cacheEntry is the metadata of one cached response.
type cacheEntry struct {
	// URL is the address as requested (the cache key).
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

// result returns the entry as a fetch result.
func (e *cacheEntry) result() *fetchResult {
	return &fetchResult{
		url:          e.FinalURL,
		contentType:  e.ContentType,
		etag:         e.ETag,
		lastModified: e.LastModified,
		body:         e.body,
	}
}

// cacheKey returns the key under which a response of kind for rawURL is
// stored: pages and feeds are kept apart.
func cacheKey(kind fetchKind, rawURL string) string {
	if kind == fetchFeed {
		return "feed " + rawURL
	}
	return "page " + rawURL
}

// path returns the file of key.
func (c *fetchCache) path(key string) string {
	sum := sha256.Sum256([]byte(key))
	name := hex.EncodeToString(sum[:])
	return filepath.Join(c.dir, name[:2], name+".cache")
}

// load returns the entry of key, or nil when there is none or it cannot be
// read (missing, corrupt, for another key, or larger than limit).
func (c *fetchCache) load(key string, limit int64) *cacheEntry {
	file, err := os.Open(c.path(key))
	if err != nil {
		return nil
	}
	defer file.Close()
	br := bufio.NewReaderSize(file, 64<<10) // the metadata line fits
	magic := make([]byte, len(fetchCacheMagic))
	if _, err := io.ReadFull(br, magic); err != nil || string(magic) != fetchCacheMagic {
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
func (c *fetchCache) store(key string, e *cacheEntry) (err error) {
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
	w.WriteString(fetchCacheMagic)
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

// storeCache stores a fresh result for rawURL, remembering the first
// failure for CacheErr: a cache that cannot be written never fails a fetch.
func (f *Fetcher) storeCache(kind fetchKind, rawURL string, res *fetchResult) {
	if f.cache == nil {
		return
	}
	err := f.cache.store(cacheKey(kind, rawURL), &cacheEntry{
		FinalURL:     res.url,
		ContentType:  res.contentType,
		ETag:         res.etag,
		LastModified: res.lastModified,
		Fetched:      f.now().UTC(),
		body:         res.body,
	})
	if err != nil {
		f.cache.mu.Lock()
		if f.cache.err == nil {
			f.cache.err = fmt.Errorf("fetch cache %s: %w", f.cache.dir, err)
		}
		f.cache.mu.Unlock()
	}
}

// CacheErr returns the first error met while writing to
// FetchOptions.CacheDir, or nil. Such errors never fail a fetch: the page
// is returned, just not cached. Safe for concurrent use.
func (f *Fetcher) CacheErr() error {
	if f.cache == nil {
		return nil
	}
	f.cache.mu.Lock()
	defer f.cache.mu.Unlock()
	return f.cache.err
}
