package index

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"
)

// Reads during a write.
//
// Bleve allows one writing process per index, and that process holds
// root.bolt under an exclusive file lock for as long as the index is open,
// so a reader cannot open the live index while an ingest runs. Instead the
// writer publishes a read view: after a write (at most once per
// Options.PublishInterval) it copies its current scorch snapshot into a
// fresh folder "read/<seq>-<nanos>/" of the index folder and then points
// "read/CURRENT" at it (temporary file plus rename, so a reader sees the old
// view or the new one, never half of one). The copy is cheap: scorch's
// segment files are immutable and uniquely named, so a view hard-links the
// writer's segment files and writes only a new root.bolt (a few KB); a
// publish costs O(number of segments), whatever the index's size.
//
// A read-only Open first tries the live index without waiting; when a
// writer holds it, Open opens the view CURRENT names instead, under
// root.bolt's shared lock which the writer never takes. Views replaced more
// than viewGrace ago are removed; a reader that has one open keeps reading
// it (on Linux the mmapped files outlive their names). A view is a complete,
// consistent scorch index of one committed state, with that state's commit
// record beside it, so the rollback check of Stats and Check compares the
// view with itself rather than with the live index that has moved on.
//
// When the writer closes, it removes read/ before it releases the lock, and
// readers go back to the live index. A writer killed mid-publish leaves at
// worst a half-written folder that CURRENT never names; the next writer
// clears read/ when it opens.
const (
	// ReadDir is the sub-folder of an index folder that holds the read
	// views a writer publishes.
	ReadDir = "read"
	// currentFile in ReadDir names the newest view.
	currentFile = "CURRENT"
	// DefaultPublishInterval is how often at most a writer publishes a
	// read view, when Options.PublishInterval is zero.
	DefaultPublishInterval = time.Second
	// viewGrace is how long a replaced view stays on disk for readers that
	// read CURRENT just before it changed.
	viewGrace = 30 * time.Second
	// retryPause is how long a read-only Open waits between attempts while
	// a writer holds the index and has not published a view yet.
	retryPause = 50 * time.Millisecond
)

// View describes the published state a read-only Index reads while a
// writer holds the index.
type View struct {
	// Commit is the last write the view holds (zero Seq: the state before
	// the writer's first write).
	Commit Commit `json:"commit"`
	// Published is when the writer published the view.
	Published time.Time `json:"published"`
	// Name is the view's folder in ReadDir.
	Name string `json:"name"`
}

// View reports whether ix reads a view a writer published (see Open), and
// which. It is false for the live index.
func (ix *Index) View() (View, bool) {
	if ix.view == nil {
		return View{}, false
	}
	return *ix.view, true
}

// openReader opens dir read-only: the live index when no writer holds it,
// else the newest view the writer published. It waits up to
// opts.LockTimeout for either.
func openReader(dir, bdir string, opts Options) (*Index, error) {
	probe := opts
	probe.LockTimeout = time.Nanosecond // one try, no wait
	deadline := time.Now().Add(opts.LockTimeout)
	for {
		ix, err := open(dir, bdir, probe)
		if !errors.Is(err, ErrLocked) {
			return ix, err
		}
		v, ok, err := readCurrent(dir)
		if err != nil {
			return nil, err
		}
		if ok {
			ix, err := openView(dir, v, opts)
			if err == nil || !errors.Is(err, fs.ErrNotExist) {
				return ix, err
			}
			// The writer replaced or removed the view since CURRENT was
			// read: try again.
		}
		if time.Now().After(deadline) {
			return nil, &lockedError{dir: dir, timeout: opts.LockTimeout, cause: err}
		}
		time.Sleep(retryPause)
	}
}

// openView opens the published view v of the index folder dir.
func openView(dir string, v View, opts Options) (*Index, error) {
	vdir := filepath.Join(dir, ReadDir, v.Name)
	if _, err := os.Stat(filepath.Join(vdir, "index_meta.json")); err != nil {
		return nil, err
	}
	ix, err := open(dir, vdir, opts)
	if err != nil {
		if _, serr := os.Stat(vdir); errors.Is(serr, fs.ErrNotExist) {
			return nil, fmt.Errorf("index %s: view %s: %w", dir, v.Name, fs.ErrNotExist)
		}
		return nil, err
	}
	ix.view = &v
	ix.commitDir = vdir
	// Segment files the writer verified need not be read again by every
	// reader (a server reopening the view every few seconds, say).
	if b, err := os.ReadFile(filepath.Join(vdir, verifiedFile)); err == nil {
		var names []string
		if json.Unmarshal(b, &names) == nil {
			for _, n := range names {
				ix.markKnown(filepath.Join(vdir, "store", filepath.Base(n)))
			}
		}
	}
	return ix, nil
}

// readCurrent reads ReadDir/CURRENT of dir; ok is false when there is none.
func readCurrent(dir string) (v View, ok bool, err error) {
	b, err := os.ReadFile(filepath.Join(dir, ReadDir, currentFile))
	if errors.Is(err, fs.ErrNotExist) {
		return v, false, nil
	}
	if err != nil {
		return v, false, fmt.Errorf("index %s: %w", dir, err)
	}
	if err := json.Unmarshal(b, &v); err != nil || v.Name == "" || strings.ContainsAny(v.Name, `/\`) || v.Name == "." || v.Name == ".." {
		// A torn or foreign pointer: treat it as absent, the writer
		// replaces it on its next publish.
		return View{}, false, nil
	}
	return v, true, nil
}

// publisher publishes the writer's read views in its own goroutine, at most
// once per interval, after Write kicks it.
type publisher struct {
	ix       *Index
	interval time.Duration
	log      *slog.Logger
	kick     chan struct{} // buffered 1: a write happened
	stop     chan struct{} // closed by Close
	done     chan struct{} // closed when run returns
	last     time.Time     // when the last view was published
	lastSeq  uint64        // the commit it held
	have     bool          // a view was published
	// verified holds the segment files whose checksum the publisher
	// verified (they never change), so that each is read once per writer
	// rather than by every reader that opens a view.
	verified map[string]bool
}

// verifiedFile in a view folder lists the view's segment files that the
// writer verified against their checksums when it published the view.
const verifiedFile = "verified.json"

// startPublisher clears what earlier writers left in ReadDir and starts the
// publishing goroutine, which first publishes the state the index opened
// with. Readers opening before that wait for it (up to their LockTimeout).
func (ix *Index) startPublisher() error {
	interval := ix.opts.PublishInterval
	if interval < 0 {
		return nil
	}
	if interval == 0 {
		interval = DefaultPublishInterval
	}
	if err := os.RemoveAll(filepath.Join(ix.dir, ReadDir)); err != nil {
		return fmt.Errorf("index %s: clear %s/: %w", ix.dir, ReadDir, err)
	}
	log := ix.opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	p := &publisher{ix: ix, interval: interval, log: log, kick: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	ix.pub = p
	// The first view (the state the writer opened) is published in the
	// background too, off the writer's path; readers wait for it.
	p.notify()
	go p.run()
	return nil
}

// notify tells the publisher that a write committed.
func (p *publisher) notify() {
	if p == nil {
		return
	}
	select {
	case p.kick <- struct{}{}:
	default: // a publish is pending already and will include this write
	}
}

func (p *publisher) run() {
	defer close(p.done)
	for {
		select {
		case <-p.stop:
			return
		case <-p.kick:
		}
		if wait := time.Until(p.last.Add(p.interval)); wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-p.stop:
				t.Stop()
				return
			case <-t.C:
			}
		}
		if err := p.publish(); err != nil {
			// Readers keep the previous view; the next write tries again.
			p.log.Warn("could not publish the index state for readers", "index", p.ix.dir, "err", err)
		}
	}
}

// close stops the publisher and removes ReadDir, so that readers go back to
// the live index once the writer releases it. It runs before the Bleve
// index closes.
func (p *publisher) close() error {
	if p == nil {
		return nil
	}
	close(p.stop)
	<-p.done
	return os.RemoveAll(filepath.Join(p.ix.dir, ReadDir))
}

// publish writes a view of the writer's current state and points CURRENT at
// it, unless the newest view holds that state already. It holds wmu, so the
// view is exactly what the last Write left: durable, with its commit record.
func (p *publisher) publish() (err error) {
	ix := p.ix
	defer recoverDamage(ix.dir, "publish a read view", &err)
	ix.wmu.Lock()
	defer ix.wmu.Unlock()
	sc, err := ix.scorch()
	if err != nil || sc == nil {
		return err
	}
	cr := sc.CopyReader()
	// CopyReader wraps a nil root in a non-nil interface, so the snapshot
	// itself is what must be checked.
	snap, isSnap := cr.(*scorch.IndexSnapshot)
	if isSnap && snap == nil {
		return fmt.Errorf("index %s: no snapshot to publish", ix.dir)
	}
	defer func() {
		if cerr := cr.CloseCopyReader(); err == nil && cerr != nil {
			err = cerr
		}
	}()
	var c Commit
	if b, gerr := cr.GetInternal([]byte(commitKey)); gerr != nil {
		return gerr
	} else if len(b) > 0 {
		if err := json.Unmarshal(b, &c); err != nil {
			return fmt.Errorf("index %s: the commit record is corrupt: %w", ix.dir, err)
		}
	}
	if p.have && c.Seq == p.lastSeq {
		return nil
	}
	persisted := make(map[string]bool)
	var verified []string
	if isSnap {
		for _, ss := range snap.Segments() {
			if ps, ok := ss.Segment().(interface{ Path() string }); ok {
				name := filepath.Base(ps.Path())
				persisted[name] = true
				if !p.verified[name] && verifySegmentFile(ps.Path()) == nil {
					if p.verified == nil {
						p.verified = make(map[string]bool)
					}
					p.verified[name] = true
				}
				if p.verified[name] {
					verified = append(verified, name)
				}
			}
		}
	}

	now := time.Now().UTC()
	rdir := filepath.Join(ix.dir, ReadDir)
	if err := os.MkdirAll(rdir, 0o755); err != nil {
		return err
	}
	v := View{Commit: c, Published: now, Name: fmt.Sprintf("%08d-%d", c.Seq, now.UnixNano())}
	tmp := filepath.Join(rdir, ".tmp-"+v.Name)
	if err := os.MkdirAll(filepath.Join(tmp, "store"), 0o755); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = os.RemoveAll(tmp)
		}
	}()
	d := &linkDir{dst: tmp, src: storeDir(ix.bdir), persisted: persisted}
	if err := cr.CopyTo(d); err != nil {
		return fmt.Errorf("index %s: publish a read view: %w", ix.dir, err)
	}
	if err := copyFile(filepath.Join(ix.bdir, "index_meta.json"), filepath.Join(tmp, "index_meta.json")); err != nil {
		return err
	}
	if c.Seq > 0 {
		if err := writeCommitFile(tmp, c); err != nil {
			return err
		}
	}
	if err := writeJSONAtomic(filepath.Join(tmp, verifiedFile), verified, false); err != nil {
		return err
	}
	final := filepath.Join(rdir, v.Name)
	if err := os.Rename(tmp, final); err != nil {
		return err
	}
	if err := writeJSONAtomic(filepath.Join(rdir, currentFile), v, false); err != nil {
		_ = os.RemoveAll(final)
		return err
	}
	p.last, p.lastSeq, p.have = now, c.Seq, true
	removeOldViews(rdir, v.Name, now)
	return nil
}

// removeOldViews removes the views of rdir other than keep whose successor
// was published more than viewGrace before now, and left-over temporary
// folders of the same age. The folder names order views by publication.
func removeOldViews(rdir, keep string, now time.Time) {
	entries, err := os.ReadDir(rdir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.IsDir() || e.Name() == keep {
			continue
		}
		fi, err := e.Info()
		if err != nil || now.Sub(fi.ModTime()) < viewGrace {
			// Recent: a reader may have read CURRENT naming it just now.
			// (A view folder's mtime is its publication; a newer view
			// replaced it no earlier.)
			continue
		}
		_ = os.RemoveAll(filepath.Join(rdir, e.Name()))
	}
}

// linkDir is the index.Directory a view is written to: segment files the
// writer has on disk are hard-linked (they never change), everything else
// (root.bolt, a segment still in memory) is written as a new file.
type linkDir struct {
	dst, src  string          // the view folder, the writer's store folder
	persisted map[string]bool // segment files of the snapshot that are on disk
}

// GetWriter implements index.Directory. A nil writer tells scorch that the
// file is in place already.
func (d *linkDir) GetWriter(name string) (io.WriteCloser, error) {
	dst := filepath.Join(d.dst, name)
	base := filepath.Base(name)
	if filepath.Dir(name) == "store" && strings.HasSuffix(base, ".zap") && d.persisted[base] {
		err := os.Link(filepath.Join(d.src, base), dst)
		if err == nil {
			return nil, nil
		}
		// Another filesystem, or links not allowed: copy the bytes.
		if err := copyFile(filepath.Join(d.src, base), dst); err != nil {
			return nil, err
		}
		return nil, nil
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return nil, err
	}
	return os.OpenFile(dst, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
}

// copyFile copies src to a new file dst.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// writeJSONAtomic replaces path with v as JSON, through a temporary file in
// the same folder and a rename; with sync, the file is on disk before the
// rename.
func writeJSONAtomic(path string, v any, sync bool) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return err
	}
	if sync {
		if err := tmp.Sync(); err != nil {
			tmp.Close()
			return err
		}
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
