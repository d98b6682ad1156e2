// Package index stores extracted claims in a full-text index on disk and
// searches, exports and counts them.
//
// An index folder (the caller chooses it, e.g. "./redline.index") holds the
// Bleve index in the sub-folder "bleve/", the record of the last write
// (CommitFile) and, while a writer has it open, the read views it publishes
// in "read/" (see View); it leaves room for the caller's own files (such as
// "errors.jsonl"). Bleve types never leave this package: the
// API speaks in claim.Claim and the small structs declared here.
//
// Each claim is one index document of type "claim" with the id
// "c:<doc_id>:<start>:<party>:<kind>"; each article is one document of type
// "article" with the id "a:<doc_id>" that records the article's fingerprint
// (hash), claim count and main text (stored, not indexed). Searches only
// ever return claim documents.
//
// The claim model that made the claims is recorded as a Bleve internal
// value (SetModel, Model): its MinConfidence is the caller's default for
// Query.MinConfidence, a numeric range on the claims' confidence.
//
// Concurrency: an *Index is safe for use by many goroutines. Search, Claims,
// Stats, Unchanged, Has and DocCount may run concurrently with each other and
// with Write; a search sees either all or none of one Write. Writes are
// serialised inside the Index. Only one process may open an index for writing
// at a time (Bleve holds a file lock); a second Open for writing fails with
// ErrLocked after Options.LockTimeout. A read-only Open while a writer holds
// the index reads the state the writer last published (see View and
// publish.go): what was committed up to about Options.PublishInterval ago.
//
// Size: storing, searching, visiting, checking, repairing and publishing
// read views all work on Bleve's and scorch's own types, which must not
// leave this package; analyses (package compare) and front ends (cmd,
// web) live outside it. Each concern has its own file.
package index

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	bolterrors "go.etcd.io/bbolt/errors"
)

// BleveDir is the name of the sub-folder of an index folder that holds the
// Bleve index itself.
const BleveDir = "bleve"

// CacheDir is the folder of the index folder where ingest caches fetched
// pages; it outlives Reset.
const CacheDir = "fetch-cache"

// TrashDir is the folder of the index folder that Reset moves the old Bleve
// index to; the next writable Open removes it.
const TrashDir = "bleve.removing"

// DefaultLockTimeout is how long Open waits for another process to release
// the index before it fails with ErrLocked, when Options.LockTimeout is zero.
const DefaultLockTimeout = 2 * time.Second

// DefaultReaderWait is the longest a writing Open waits for readers of the
// index to finish, when Options.ReaderWait is zero: an export of millions
// of claims takes minutes.
const DefaultReaderWait = 10 * time.Minute

// DefaultPageSize is the number of claims Claims fetches per page, when
// Options.PageSize is zero.
const DefaultPageSize = 1000

// Sentinel errors. Test for them with errors.Is; the returned errors wrap them
// with the details (path, query text, Bleve's message).
var (
	// ErrLocked: another process (or another Open in this process) holds
	// the index. The message reads "index DIR is in use by another process".
	ErrLocked = errors.New("index is in use by another process")

	// ErrNotIndex: the path exists but is not a redline index (a file, a
	// foreign folder, or a Bleve index with another layout).
	ErrNotIndex = errors.New("not a redline index")

	// ErrQuery: the query text is not valid Bleve query-string syntax (or
	// names an invalid regular expression, range, ...).
	ErrQuery = errors.New("invalid query")

	// ErrReadOnly: Write was called on an index opened with
	// Options.ReadOnly.
	ErrReadOnly = errors.New("index is open read-only")

	// ErrClosed: the Index was used after Close.
	ErrClosed = errors.New("index is closed")

	// ErrInvalidArticle: Write was given an article that cannot be stored
	// (see Article.Validate). Nothing of that Write was stored.
	ErrInvalidArticle = errors.New("invalid article")
)

// schemaKey is the Bleve internal key under which the index layout version
// is recorded; schemaVersion changes whenever the mapping or the document
// layout changes incompatibly.
const (
	schemaKey = "redline:schema"
	// 2: cluster, ptk, text_hash, lsh, sketch; 3: sentence_exact, fold,
	// cluster in raw; 4: lsh as bytes, lang stored only; 5: article text
	// (stored only); 6: the claims' start as one sortable keyword term
	// (numbers.go), not a Bleve number, and their confidence without doc
	// values.
	schemaVersion = "6"
)

// Options configures Open. The zero value selects the defaults.
type Options struct {
	// ReadOnly opens an existing index without write access: Write fails
	// with ErrReadOnly, and several read-only opens may share the index
	// (but not with a writer). A missing index is an error, not created.
	ReadOnly bool

	// LockTimeout is how long Open waits for another process to release
	// the index before it returns ErrLocked. Zero means
	// DefaultLockTimeout; it should be well below a second or two for
	// interactive use.
	LockTimeout time.Duration

	// ReaderWait is how long beyond LockTimeout a writing Open waits for
	// read-only opens of other processes (a long export, say) to release
	// the index, which they share; another writer is not waited for. Zero
	// means DefaultReaderWait; negative, no wait beyond LockTimeout.
	ReaderWait time.Duration

	// PageSize is how many claims Claims reads per page (memory use is
	// proportional to it). Zero means DefaultPageSize.
	PageSize int

	// PublishInterval is how often at most a writer publishes the state
	// it committed for read-only opens by other processes (see View).
	// Zero means DefaultPublishInterval; negative publishes nothing, so
	// readers fail with ErrLocked while the writer runs.
	PublishInterval time.Duration

	// Logger receives the warnings of a writer's background work (a read
	// view that could not be published). Nil discards them.
	Logger *slog.Logger
	// Verified, when set, is shared by every Index opened with it, so
	// that a segment verified by one is not read again by the next (see
	// Verified). Nil: each Index keeps its own.
	Verified *Verified

	// resetHook, set by tests, runs in Reset between setting the old
	// Bleve folder aside and renaming the new one into place; an error
	// stops Reset there, as a kill would.
	resetHook func() error
}

func (o Options) withDefaults() Options {
	if o.LockTimeout <= 0 {
		o.LockTimeout = DefaultLockTimeout
	}
	if o.PageSize <= 0 {
		o.PageSize = DefaultPageSize
	}
	if o.ReaderWait == 0 {
		o.ReaderWait = DefaultReaderWait
	}
	return o
}

// Index is an open claim index. Create it with Open and release it with
// Close. See the package documentation for what may run concurrently.
type Index struct {
	dir  string
	bdir string // the Bleve folder open: dir/bleve, or a published view
	opts Options
	bl   bleve.Index

	view      *View      // the published view read, nil for the live index
	commitDir string     // where CommitFile is read: dir, or the view's folder
	pub       *publisher // a writer's publisher of read views, or nil

	wmu sync.Mutex // serialises Write (lookup of stale claims + batch)

	cmu    sync.Mutex // guards closed
	closed bool

	verified *Verified // segment files whose checksum was verified (Options.Verified or its own)

	// numeric is set for an index of layout 5 or older, whose claims'
	// start is a Bleve number: its searches keep numeric ranges and
	// sorts on start (see numbers.go).
	numeric bool
	// titleExact is set for an index with the claims' exact title field:
	// title phrases search it (see titlePhrases).
	titleExact bool
	// writes is set for an index whose claims' mapping indexes the write
	// that stored them: cursors then bound their pages (see boundQuery).
	writes bool

	// seen holds the paths of segment files this Index verified or found
	// in verified. A path stays known after its file is unlinked (a
	// published view replaced), when verified could no longer tell.
	vmu  sync.Mutex
	seen map[string]bool
	// loadVerified reads the live index's VerifiedFile into verified,
	// once.
	loadVerified sync.Once

	// checked counts the segment files this Index read to verify them.
	checked atomic.Int64
}

// verifiedOf is the Verified an Index opened with opts uses.
func verifiedOf(opts Options) *Verified {
	if opts.Verified != nil {
		return opts.Verified
	}
	return &Verified{}
}

// lockedError is the error Open returns when the index is held by someone
// else; it matches ErrLocked under errors.Is.
type lockedError struct {
	dir     string
	timeout time.Duration
	cause   error
}

func (e *lockedError) Error() string {
	return fmt.Sprintf("index %s is in use by another process (waited %s for its lock; close the other redline process or choose another index folder)", e.dir, e.timeout)
}

func (e *lockedError) Is(target error) bool { return target == ErrLocked }

func (e *lockedError) Unwrap() error { return e.cause }

// Open opens the index in folder dir, creating the folder and an empty
// index when they are missing (unless opts.ReadOnly). An existing empty
// folder is used for a new index. A path that is a file, a non-empty folder
// without "bleve/" (other than the caller's own "errors.jsonl"), or a
// "bleve/" that is not a redline index fails with an error wrapping
// ErrNotIndex. When another process holds the index, a writing Open fails
// after opts.LockTimeout with an error wrapping ErrLocked; a read-only Open
// reads the state that writer published (View reports which) and fails with
// ErrLocked only when the writer publishes none. A writing Open publishes
// what it commits for such readers until Close.
func Open(dir string, opts Options) (*Index, error) {
	opts = opts.withDefaults()
	if dir == "" {
		return nil, fmt.Errorf("index: empty index path")
	}
	if err := Heal(dir, opts.Logger); err != nil {
		return nil, err
	}
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if opts.ReadOnly {
			return nil, fmt.Errorf("index %s does not exist: %w", dir, err)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("index: create %s: %w", dir, err)
		}
	case err != nil:
		return nil, fmt.Errorf("index: %w", err)
	case !fi.IsDir():
		return nil, fmt.Errorf("index %s: %w: it is a file, not a folder", dir, ErrNotIndex)
	}

	bdir := filepath.Join(dir, BleveDir)
	fi, err = os.Stat(bdir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if opts.ReadOnly {
			return nil, fmt.Errorf("index %s does not exist (no %s/ inside)", dir, BleveDir)
		}
		if err := checkEmpty(dir); err != nil {
			return nil, err
		}
		return writer(create(dir, bdir, opts))
	case err != nil:
		return nil, fmt.Errorf("index: %w", err)
	case !fi.IsDir():
		return nil, fmt.Errorf("index %s: %w: %s is a file", dir, ErrNotIndex, bdir)
	}
	if opts.ReadOnly {
		return openReader(dir, bdir, opts)
	}
	return openWriter(dir, bdir, opts)
}

// openWriter opens the existing index dir for writing. The index's lock is
// held by a writer (another ingest) or shared by read-only opens (search,
// export, stats, compare, a server between requests). A writer publishes a
// read view as soon as it opens, so a lock held without one is held by
// readers, which end: openWriter waits for them, up to opts.ReaderWait,
// instead of failing a batch job because an analyst was exporting. A
// writer is refused after LockTimeout, as before.
func openWriter(dir, bdir string, opts Options) (*Index, error) {
	start := time.Now()
	deadline := start.Add(opts.ReaderWait)
	logged := false
	for {
		ix, err := open(dir, bdir, opts)
		if !errors.Is(err, ErrLocked) {
			return writer(ix, err)
		}
		if _, held, _ := readCurrent(dir); held {
			return nil, err
		}
		if time.Now().After(deadline) {
			return nil, &lockedError{dir: dir, timeout: time.Since(start).Round(time.Second), cause: err}
		}
		if !logged && opts.Logger != nil {
			opts.Logger.Info("waiting for the commands reading the index to finish", "index", dir, "at_most", opts.ReaderWait)
			logged = true
		}
	}
}

// writer starts the publishing of read views of a freshly opened writable
// index.
func writer(ix *Index, err error) (*Index, error) {
	if err != nil {
		return nil, err
	}
	// What a Reset set aside, in this run or one a kill ended; holding
	// the lock, no other writer is resetting meanwhile.
	if err := os.RemoveAll(filepath.Join(ix.dir, TrashDir)); err != nil {
		_ = ix.bl.Close()
		return nil, fmt.Errorf("index: remove the old index %s: %w", filepath.Join(ix.dir, TrashDir), err)
	}
	removeStaleCreating(ix.dir)
	if err := ix.startPublisher(); err != nil {
		_ = ix.bl.Close()
		return nil, err
	}
	return ix, nil
}

// checkEmpty accepts a folder for a new index when it holds nothing but the
// caller's own files.
func checkEmpty(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("index: %w", err)
	}
	for _, e := range entries {
		if (e.Name() == ErrorsFile || e.Name() == CommitFile || e.Name() == errorsTemp) && e.Type().IsRegular() {
			continue
		}
		// The folders an index leaves beside Bleve's: what Reset keeps
		// (the fetch cache), views a killed writer published, an old index
		// Reset set aside, new indexes a kill left unfinished.
		if (e.Name() == CacheDir || e.Name() == ReadDir || e.Name() == TrashDir || strings.HasPrefix(e.Name(), creatingPrefix)) && e.IsDir() {
			continue
		}
		return fmt.Errorf("index %s: %w: the folder is not empty and has no %s/ (found %q); choose a new or empty folder", dir, ErrNotIndex, BleveDir, e.Name())
	}
	return nil
}

// create makes a new empty index in dir (see newBleve) and opens it.
func create(dir, bdir string, opts Options) (*Index, error) {
	tmp, err := newBleve(dir)
	if err != nil {
		return nil, fmt.Errorf("index: create %s: %w", dir, err)
	}
	// A record of the writes of an index that was here before is void.
	if err := os.Remove(filepath.Join(dir, CommitFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		_ = os.RemoveAll(tmp)
		return nil, fmt.Errorf("index: create %s: %w", dir, err)
	}
	if err := os.Rename(tmp, bdir); err != nil {
		_ = os.RemoveAll(tmp)
		if _, serr := os.Stat(filepath.Join(bdir, "index_meta.json")); serr != nil {
			return nil, fmt.Errorf("index: create %s: %w", dir, err)
		}
		// Another process created it between our Stat and the rename.
	}
	return open(dir, bdir, opts)
}

func open(dir, bdir string, opts Options) (_ *Index, err error) {
	defer recoverDamage(dir, "open", &err)
	cfg := scorchConfig()
	cfg["bolt_timeout"] = opts.LockTimeout.String()
	if opts.ReadOnly {
		cfg["read_only"] = true
	}
	// When the newest snapshot names a segment file that is gone, Bleve
	// opens an older snapshot without a word: refuse it. This reads
	// root.bolt before Bleve opens it; loading a snapshot through the open
	// index would race with Bleve's own persister. A root.bolt held by
	// another process is left for Bleve to report.
	if missing, err := missingSegments(bdir, min(100*time.Millisecond, opts.LockTimeout)); err == nil && len(missing) > 0 {
		return nil, &damagedError{dir: dir, op: "open", segments: missing, cause: "the newest snapshot in root.bolt names segment files that are missing; Bleve would show an older state of the index"}
	}
	bl, err := bleve.OpenUsing(bdir, cfg)
	switch {
	case errors.Is(err, bolterrors.ErrTimeout):
		return nil, &lockedError{dir: dir, timeout: opts.LockTimeout, cause: err}
	case errors.Is(err, bleve.ErrorIndexMetaMissing):
		return nil, fmt.Errorf("index %s: %w: %s has no index_meta.json", dir, ErrNotIndex, bdir)
	case errors.Is(err, bleve.ErrorIndexMetaCorrupt):
		return nil, fmt.Errorf("index %s: %w: %s/index_meta.json is corrupt", dir, ErrNotIndex, bdir)
	case err != nil:
		if missing, _ := missingSegments(bdir, time.Second); len(missing) > 0 {
			return nil, &damagedError{dir: dir, op: "open", segments: missing, cause: "root.bolt names segment files that are missing"}
		}
		if derr := openDamage(dir, bdir, err); derr != nil {
			return nil, derr
		}
		return nil, fmt.Errorf("index: open %s: %w", dir, err)
	}
	if err := checkSchema(bl, dir, opts.ReadOnly); err != nil {
		_ = bl.Close()
		return nil, err
	}
	return &Index{dir: dir, bdir: bdir, commitDir: dir, opts: opts, bl: bl, verified: verifiedOf(opts), numeric: numericLayout(bl.Mapping()), titleExact: hasTitleExact(bl.Mapping()), writes: hasWriteField(bl.Mapping())}, nil
}

// floorSegmentSize is the size (in documents) below which scorch's merge
// planner counts a segment as if it had that many. Bleve's default, 2000,
// makes an index of a few thousand documents merge its segments as soon as
// it has two or three: an ingest of a few hundred articles (one segment per
// Write of 256 articles and their claims, some 600 documents) spent a fifth
// of its index time merging what it had just written. With the floor near
// the size of one Write, small indexes keep a few segments and large ones
// are merged in tiers as before.
const floorSegmentSize = 500

// scorchConfig is the configuration every Bleve index is created and
// opened with; it is not stored in the index, so it applies to indexes
// made before it too.
func scorchConfig() map[string]interface{} {
	return map[string]interface{}{
		"scorchMergePlanOptions": map[string]interface{}{"FloorSegmentSize": floorSegmentSize},
	}
}

// checkSchema makes sure the Bleve index was made by this package with the
// current layout.
func checkSchema(bl bleve.Index, dir string, readOnly bool) error {
	v, err := bl.GetInternal([]byte(schemaKey))
	if err != nil {
		return fmt.Errorf("index: open %s: %w", dir, err)
	}
	switch string(v) {
	case schemaVersion:
		return nil
	case "3", "4", "5":
		// Layouts 3 and 4 differ from 6 by how they index band keys and
		// by the article text they lack, and all three by the claims'
		// start (a Bleve number): searches read them as they are
		// (Article returns no Text, claimQuery keeps numeric ranges on
		// start), but writes would mix the forms, so an ingest needs a
		// fresh index.
		if readOnly {
			return nil
		}
		return fmt.Errorf("index %s: %w: it has layout version %q, which this redline reads but does not write (it would need %q); ingest again into a fresh index (redline ingest --rebuild --index %s PATH...)", dir, ErrNotIndex, v, schemaVersion, dir)
	case "":
		// Created, then killed before the marker was written? Accept it
		// when the mapping is ours.
		im, ok := bl.Mapping().(*mapping.IndexMappingImpl)
		if !ok || im.TypeMapping[typeClaim] == nil || im.TypeMapping[typeArticle] == nil || im.TypeField != fieldType {
			return fmt.Errorf("index %s: %w: the Bleve index in %s/ was not made by redline", dir, ErrNotIndex, BleveDir)
		}
		version := schemaVersion
		if am := im.TypeMapping[typeArticle]; am.Properties[fieldText] == nil {
			if !readOnly {
				return fmt.Errorf("index %s: %w: its layout has no article texts; ingest again into a fresh index (redline ingest --rebuild --index %s PATH...)", dir, ErrNotIndex, dir)
			}
			return nil
		}
		if numericLayout(im) {
			if !readOnly {
				return fmt.Errorf("index %s: %w: its layout indexes the claims' start as a Bleve number (layout 5 or older); ingest again into a fresh index (redline ingest --rebuild --index %s PATH...)", dir, ErrNotIndex, dir)
			}
			return nil
		}
		if !readOnly {
			if err := bl.SetInternal([]byte(schemaKey), []byte(version)); err != nil {
				return fmt.Errorf("index: open %s: %w", dir, err)
			}
		}
		return nil
	default:
		return fmt.Errorf("index %s: %w: it has layout version %q, this redline needs %q; ingest again into a fresh index (redline ingest --rebuild --index %s PATH...)", dir, ErrNotIndex, v, schemaVersion, dir)
	}
}

// Dir returns the index folder given to Open.
func (ix *Index) Dir() string { return ix.dir }

// Close flushes and releases the index and its lock. It must not race with
// other calls still in flight; later calls fail with ErrClosed. Closing
// twice is a no-op.
func (ix *Index) Close() error {
	ix.cmu.Lock()
	defer ix.cmu.Unlock()
	if ix.closed {
		return nil
	}
	ix.closed = true
	// Readers go back to the live index once the lock is released.
	perr := ix.pub.close()
	if err := ix.bl.Close(); err != nil {
		return fmt.Errorf("index: close %s: %w", ix.dir, err)
	}
	if perr != nil {
		return fmt.Errorf("index: close %s: remove the read views: %w", ix.dir, perr)
	}
	return nil
}

// DocCount returns the number of Bleve documents in the index: claims plus
// articles. Use Stats for the two counts separately.
func (ix *Index) DocCount() (_ uint64, err error) {
	defer recoverDamage(ix.dir, "count documents", &err)
	n, err := ix.bl.DocCount()
	return n, ix.wrap(err)
}

// wrap maps Bleve's closed-index error to ErrClosed.
func (ix *Index) wrap(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, bleve.ErrorIndexClosed) {
		return fmt.Errorf("index %s: %w", ix.dir, ErrClosed)
	}
	return err
}
