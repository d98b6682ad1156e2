package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"redline/index"
)

// holder keeps the index open read-only for the requests that need it and
// no longer. A read-only open shares Bleve's file lock, and an ingest
// needs that lock alone: an index the server held open all the time would
// make every ingest fail. So the holder opens the index on the first
// request, shares it between concurrent requests, and closes it once no
// request has used it for idle. It also closes and reopens it when the
// index's commit record (index.CommitFile) changed, checked at most every
// recheck, so pages show what the last ingest committed. While an ingest
// holds the lock, acquire fails fast (lockTimeout) with index.ErrLocked.
type holder struct {
	dir         string
	verified    index.Verified // shared by every open, so a reopen reads no segment again
	lockTimeout time.Duration
	idle        time.Duration
	recheck     time.Duration
	log         *slog.Logger // where Heal says what it finished; nil discards

	mu      sync.Mutex
	ix      *index.Index
	users   int
	stamp   string    // the commit record when ix was opened
	checked time.Time // when stamp was last compared with the file
	stale   bool      // the record changed: close ix when the last user leaves
	timer   *time.Timer
	gen     int // counts opens, so an old idle timer does not close a new index
	closed  bool
}

// errShutdown is acquire's error after close.
var errShutdown = errors.New("the server is shutting down")

// commitStamp identifies the state of the commit record: its size and
// modification time ("" when there is none).
// While an ingest runs, the view it publishes after a commit
// (index.ReadDir) changes later than the record, so its pointer is part of
// the stamp too.
func commitStamp(dir string) string {
	var b strings.Builder
	for _, name := range []string{index.CommitFile, filepath.Join(index.ReadDir, "CURRENT")} {
		if fi, err := os.Stat(filepath.Join(dir, name)); err == nil {
			fmt.Fprintf(&b, "%d:%d;", fi.Size(), fi.ModTime().UnixNano())
		} else {
			b.WriteString("-;")
		}
	}
	return b.String()
}

// viewNote says what the open index shows when an ingest is writing it (a
// view the writer published after a commit); "" when it reads the index
// itself or none is open.
func (h *holder) viewNote() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.ix == nil {
		return ""
	}
	v, ok := h.ix.View()
	if !ok {
		return ""
	}
	if v.Commit.Seq == 0 {
		return "An ingest is writing this index and has committed nothing yet: showing the index as it was before."
	}
	return "An ingest is writing this index: showing what it had committed at " + v.Commit.Time.UTC().Format("2006-01-02 15:04:05 UTC") + " (" + strconv.FormatUint(v.Commit.Claims, 10) + " claims); reload for newer results."
}

// acquire returns the open index and the function that releases it; every
// successful acquire must be released once.
func (h *holder) acquire() (*index.Index, func(), error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, nil, errShutdown
	}
	if h.ix != nil && !h.stale && time.Since(h.checked) >= h.recheck {
		h.checked = time.Now()
		if commitStamp(h.dir) != h.stamp {
			h.stale = true
		}
	}
	if h.ix != nil && h.stale && h.users == 0 {
		h.closeLocked()
	}
	if h.ix == nil {
		// A repair killed while the server ran may have left the index
		// folder renamed aside: finish it before finding no index there.
		if err := index.Heal(h.dir, h.log); err != nil {
			return nil, nil, err
		}
		if _, err := os.Stat(h.dir); err != nil {
			return nil, nil, fmt.Errorf("%w: no index at %s (run redline ingest first, or pass --index)", errNoIndex, h.dir)
		}
		stamp := commitStamp(h.dir)
		ix, err := index.Open(h.dir, index.Options{ReadOnly: true, LockTimeout: h.lockTimeout, Verified: &h.verified})
		if err != nil {
			return nil, nil, err
		}
		h.ix, h.stamp, h.checked, h.stale = ix, stamp, time.Now(), false
		h.gen++
	}
	if h.timer != nil {
		h.timer.Stop()
		h.timer = nil
	}
	h.users++
	ix := h.ix
	var once sync.Once
	return ix, func() { once.Do(h.release) }, nil
}

func (h *holder) release() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.users--
	if h.users > 0 || h.ix == nil {
		return
	}
	if h.stale || h.closed {
		h.closeLocked()
		return
	}
	gen := h.gen
	h.timer = time.AfterFunc(h.idle, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		if h.users == 0 && h.gen == gen {
			h.closeLocked()
		}
	})
}

// closeLocked closes the index; h.mu is held and no request uses it.
func (h *holder) closeLocked() {
	if h.timer != nil {
		h.timer.Stop()
		h.timer = nil
	}
	if h.ix != nil {
		_ = h.ix.Close() // read-only: nothing to flush
		h.ix = nil
	}
}

// isOpen reports whether the index is open now (for tests and status).
func (h *holder) isOpen() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.ix != nil
}

// close closes the index once the requests in flight release it, and
// makes later acquires fail.
func (h *holder) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	if h.users == 0 {
		h.closeLocked()
	}
}

// withIndex runs fn with the index acquired.
func (h *holder) withIndex(ctx context.Context, fn func(*index.Index) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	ix, release, err := h.acquire()
	if err != nil {
		return err
	}
	defer release()
	return fn(ix)
}
