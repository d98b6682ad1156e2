package index

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/numeric"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	"github.com/blevesearch/vellum"
	zapv16 "github.com/blevesearch/zapx/v16"
	zapv17 "github.com/blevesearch/zapx/v17"
	"go.etcd.io/bbolt"
	bberrors "go.etcd.io/bbolt/errors"

	"redline/claim"
)

// RepairOptions configures Repair. The zero value selects the defaults.
type RepairOptions struct {
	// Out is the folder the repaired index is written to; it must not
	// exist. Empty means in place: the repaired index is built beside the
	// damaged one, which is then renamed to "<dir>.damaged-<time>" and
	// replaced by it.
	Out string
	// LockTimeout is how long Repair waits for a writer to release the
	// damaged index. Zero means DefaultLockTimeout.
	LockTimeout time.Duration
	// Logger receives what Heal did before the repair began. Nil
	// discards it.
	Logger *slog.Logger

	// swapHook, set by tests, runs between moving the damaged index aside
	// and renaming the repaired one into place; an error stops Repair
	// there, as a kill would.
	swapHook func() error
}

// LostSegment is a segment of the damaged index whose documents were not
// all recovered.
type LostSegment struct {
	Name string // segment file, e.g. 00000000000a.zap
	Why  string
	// Docs is how many live documents of it were lost, or -1 when the
	// segment could not be read at all (its size is then unknown).
	Docs int
	// DocIDs are the ids of the lost documents that could still be read
	// ("c:..." claims, "a:..." articles), at most maxLostIDs.
	DocIDs []string
}

// maxLostIDs bounds LostSegment.DocIDs.
const maxLostIDs = 50

// maxFailedInRow is how many unreadable records in a row make Repair give
// up the rest of a segment.
const maxFailedInRow = 1000

// RepairReport is what Repair recovered and what it lost.
type RepairReport struct {
	Dir string // the damaged index
	// Out is where the repaired index is now: Dir when repaired in place.
	Out string
	// Kept is where the damaged index was moved, when repaired in place.
	Kept string
	// Segments is the number of segments read; Snapshot is false when
	// root.bolt could not be read, so every segment file on disk was read
	// and the newest copy of each document kept.
	Segments int
	Snapshot bool
	// Articles and Claims are what the repaired index holds.
	Articles, Claims uint64
	// Lost lists the segments that lost documents.
	Lost []LostSegment
	// Incomplete lists the doc ids of articles not all of whose claims
	// were recovered, and of claims whose article record was lost; they
	// are stored without their hash, so that the next ingest of their
	// sources extracts them again.
	Incomplete []string
	// Unverified lists segment files whose checksum failed but whose
	// documents still decoded: they were kept, and may differ from what
	// was written.
	Unverified []string
	// Expected is the last write the damaged index recorded, if any.
	Expected *Commit
	// Notes are other remarks, one sentence each.
	Notes []string
}

// LostAnything reports whether the repaired index holds less than the
// damaged one should have held.
func (r *RepairReport) LostAnything() bool {
	if len(r.Lost) > 0 || len(r.Incomplete) > 0 {
		return true
	}
	return r.Expected != nil && (r.Claims < r.Expected.Claims || r.Articles < r.Expected.Articles)
}

// recovered is one document read back from a segment.
type recovered struct {
	seg     int    // index of its segment in read order (later is newer)
	id      string // Bleve document id
	claim   *claim.Claim
	article *Article
	count   int // an article's recorded claim count
}

// Repair builds a sound index from everything still readable in the
// damaged index at dir. It reads the segment files directly, segment by
// segment and document by document, using the newest snapshot of root.bolt
// for which documents are live (or, when root.bolt is unreadable, every
// segment file with the newest copy of each document), skips what cannot
// be read, and writes the recovered articles and claims into a new index.
// The damaged index stays untouched until the new one is complete; then,
// unless opts.Out is set, it is renamed to "<dir>.damaged-<UTC time>" and
// the new index takes its place. The caller's errors.jsonl is copied.
//
// The error is for a failure to repair at all (no index, a writer holding
// it, a full disk); what was lost is in the report (see LostAnything).
func Repair(ctx context.Context, dir string, opts RepairOptions) (*RepairReport, error) {
	if opts.LockTimeout <= 0 {
		opts.LockTimeout = DefaultLockTimeout
	}
	// Absolute, so that "." or "idx/" name a folder that can be renamed.
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	if err := Heal(dir, opts.Logger); err != nil {
		return nil, err
	}
	bdir := filepath.Join(dir, BleveDir)
	if fi, err := os.Stat(bdir); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("index %s: %w: no %s/ folder (%v)", dir, ErrNotIndex, BleveDir, err)
	}
	rep := &RepairReport{Dir: dir}
	out := opts.Out
	if out == "" {
		out = fmt.Sprintf("%s.repair-%d", dir, time.Now().UnixNano())
	}
	if _, err := os.Stat(out); err == nil {
		return nil, fmt.Errorf("repair: %s exists already; choose a new folder", out)
	}

	// Hold root.bolt's shared lock while reading, so no ingest starts
	// meanwhile (and none is running).
	db, snap, err := readRoot(bdir, opts.LockTimeout)
	if errors.Is(err, bberrors.ErrTimeout) {
		return nil, &lockedError{dir: dir, timeout: opts.LockTimeout, cause: err}
	}
	if err != nil {
		rep.Notes = append(rep.Notes, fmt.Sprintf("root.bolt cannot be read (%v): every segment file on disk was read, keeping the newest copy of each document", err))
		snap = nil
	}
	if db != nil {
		defer db.Close()
	}
	if opts.Out == "" {
		removeStaleRepairs(dir)
	}
	if c, ok, _ := readCommitFile(dir); ok {
		rep.Expected = &c
	}
	if snap != nil {
		rep.Snapshot = true
		if c, ok := snap.commit(); ok && (rep.Expected == nil || c.Seq > rep.Expected.Seq) {
			rep.Expected = &c
		}
	} else {
		files, _ := filepath.Glob(filepath.Join(storeDir(bdir), "*.zap"))
		sort.Strings(files)
		snap = &rootSnapshot{}
		for _, f := range files {
			snap.segments = append(snap.segments, snapSegment{name: filepath.Base(f)})
		}
	}

	docs := make(map[string]*recovered)
	for i, s := range snap.segments {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rep.Segments++
		lost := readSegment(storeDir(bdir), i, s, docs, rep)
		if lost != nil {
			rep.Lost = append(rep.Lost, *lost)
		}
	}
	arts := assemble(docs, !rep.Snapshot, rep)

	if err := writeRepaired(ctx, out, arts, snap.internal, rep); err != nil {
		_ = os.RemoveAll(out)
		return nil, err
	}
	if b, err := os.ReadFile(filepath.Join(dir, ErrorsFile)); err == nil {
		if err := os.WriteFile(filepath.Join(out, ErrorsFile), b, 0o644); err != nil {
			_ = os.RemoveAll(out)
			return nil, fmt.Errorf("repair: copy errors.jsonl: %w", err)
		}
	}
	rep.Out = out
	if opts.Out != "" {
		return rep, nil
	}
	if db != nil {
		_ = db.Close()
	}
	kept := fmt.Sprintf("%s.damaged-%s", dir, time.Now().UTC().Format("20060102T150405Z"))
	// Two renames swap the indexes; the marker lets Heal finish the swap
	// when a kill comes between them and dir is missing.
	if err := writeJSONAtomic(filepath.Join(out, RepairedFile), RepairSwap{Index: dir, Damaged: kept}, true); err != nil {
		return nil, fmt.Errorf("repair: the repaired index is complete in %s, but marking it so failed: %w", out, err)
	}
	if err := os.Rename(dir, kept); err != nil {
		return nil, fmt.Errorf("repair: the repaired index is complete in %s, but moving the damaged one aside failed: %w", out, err)
	}
	if opts.swapHook != nil {
		if err := opts.swapHook(); err != nil {
			return nil, err
		}
	}
	if err := os.Rename(out, dir); err != nil {
		// A command that opened dir meanwhile finished the swap (Heal).
		if _, serr := os.Stat(out); !errors.Is(serr, fs.ErrNotExist) || !isDir(dir) {
			return nil, fmt.Errorf("repair: the damaged index is now %s and the repaired one %s, but renaming it to %s failed: %w", kept, out, dir, err)
		}
	}
	if err := os.Remove(filepath.Join(dir, RepairedFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("repair: remove %s: %w", filepath.Join(dir, RepairedFile), err)
	}
	rep.Out, rep.Kept = dir, kept
	return rep, nil
}

// staleRepairAge is how old a "<dir>.repair-*" folder without a Bleve
// index must be before Repair takes it for one a kill left: younger, it may
// be another repair's that has not made its index yet.
const staleRepairAge = time.Minute

// removeStaleRepairs removes the "<dir>.repair-<n>" folders that repairs a
// kill ended left beside dir: each is a whole copy of the index, which
// nothing else would remove. A folder whose index another repair is
// writing (its root.bolt locked) stays.
func removeStaleRepairs(dir string) {
	found, _ := filepath.Glob(dir + ".repair-*")
	for _, out := range found {
		fi, err := os.Stat(out)
		if err != nil || !fi.IsDir() {
			continue
		}
		root := filepath.Join(storeDir(filepath.Join(out, BleveDir)), "root.bolt")
		if _, err := os.Stat(root); err != nil {
			if time.Since(fi.ModTime()) < staleRepairAge {
				continue
			}
		} else {
			db, err := bbolt.Open(root, 0o600, &bbolt.Options{ReadOnly: true, Timeout: 50 * time.Millisecond})
			if err != nil {
				continue // being written, or not ours to judge
			}
			_ = db.Close()
		}
		_ = os.RemoveAll(out)
	}
}

// rootSnapshot is the newest snapshot recorded in root.bolt.
type rootSnapshot struct {
	segments []snapSegment
	internal map[string][]byte
}

type snapSegment struct {
	name    string
	deleted *roaring.Bitmap // nil: none
}

func (s *rootSnapshot) commit() (Commit, bool) {
	var c Commit
	b := s.internal[commitKey]
	if len(b) == 0 || json.Unmarshal(b, &c) != nil {
		return c, false
	}
	return c, true
}

// readRoot opens root.bolt read-only and reads its newest snapshot. The
// database stays open (and locked) for the caller to close.
func readRoot(bdir string, timeout time.Duration) (db *bbolt.DB, snap *rootSnapshot, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("the database library failed (%v)", p)
		}
	}()
	db, err = bbolt.Open(filepath.Join(storeDir(bdir), "root.bolt"), 0o600, &bbolt.Options{ReadOnly: true, Timeout: timeout})
	if err != nil {
		return nil, nil, err
	}
	snap = &rootSnapshot{internal: make(map[string][]byte)}
	err = db.View(func(tx *bbolt.Tx) error {
		snaps := tx.Bucket([]byte{'s'})
		if snaps == nil {
			return errors.New("no snapshots bucket")
		}
		c := snaps.Cursor()
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			sb := snaps.Bucket(k)
			if v != nil || sb == nil {
				continue
			}
			if ib := sb.Bucket([]byte{'i'}); ib != nil {
				_ = ib.ForEach(func(k, v []byte) error {
					snap.internal[string(k)] = slices.Clone(v)
					return nil
				})
			}
			return sb.ForEachBucket(func(sk []byte) error {
				seg := sb.Bucket(sk)
				p := seg.Get([]byte{'p'})
				if p == nil {
					return nil
				}
				s := snapSegment{name: filepath.Base(string(p))}
				if d := seg.Get([]byte{'d'}); len(d) > 0 {
					bm := roaring.New()
					if _, err := bm.ReadFrom(bytes.NewReader(d)); err != nil {
						return fmt.Errorf("segment %s: deleted documents: %w", s.name, err)
					}
					s.deleted = bm
				}
				snap.segments = append(snap.segments, s)
				return nil
			})
		}
		return errors.New("no snapshot")
	})
	if err != nil {
		_ = db.Close()
		return nil, nil, err
	}
	return db, snap, nil
}

// readSegment reads the live documents of one segment into docs, each on
// its own so that one unreadable record loses only itself. It returns what
// was lost, or nil.
func readSegment(store string, i int, s snapSegment, docs map[string]*recovered, rep *RepairReport) *LostSegment {
	path := filepath.Join(store, s.name)
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &LostSegment{Name: s.name, Why: "the file is missing", Docs: -1}
	}
	verified := verifySegmentFile(path) == nil
	seg, err := openSegment(path)
	if err != nil {
		return &LostSegment{Name: s.name, Why: fmt.Sprintf("cannot be opened: %v", err), Docs: -1}
	}
	defer seg.Close()
	bands := segmentBands(seg)
	lost := &LostSegment{Name: s.name}
	var why []string
	n := seg.Count()
	if fi != nil && n > uint64(fi.Size()) {
		// A damaged footer: the count is garbage.
		return &LostSegment{Name: s.name, Why: fmt.Sprintf("the footer is damaged (it counts %d documents in a file of %d bytes)", n, fi.Size()), Docs: -1}
	}
	failedInRow := 0
	for num := uint64(0); num < n; num++ {
		if failedInRow == maxFailedInRow {
			// The rest of the segment is unreadable too: count it lost
			// without trying each record.
			for ; num < n; num++ {
				if s.deleted == nil || !s.deleted.Contains(uint32(num)) {
					lost.Docs++
				}
			}
			why = append(why, fmt.Sprintf("gave up after %d unreadable records in a row", maxFailedInRow))
			break
		}
		if s.deleted != nil && s.deleted.Contains(uint32(num)) {
			continue
		}
		id, d, err := readDoc(seg, num)
		if err == nil {
			failedInRow = 0
			d.seg = i
			if d.article != nil {
				d.article.Bands = bands[num]
			}
			if prev, ok := docs[id]; !ok || prev.seg <= i {
				docs[id] = d
			}
			continue
		}
		lost.Docs++
		failedInRow++
		if id != "" && len(lost.DocIDs) < maxLostIDs {
			lost.DocIDs = append(lost.DocIDs, id)
		}
		if len(why) < 3 {
			why = append(why, err.Error())
		}
	}
	if !verified && lost.Docs < int(n) {
		rep.Unverified = append(rep.Unverified, s.name)
	}
	if lost.Docs == 0 {
		return nil
	}
	lost.Why = strings.Join(why, "; ")
	if !verified {
		lost.Why = "checksum mismatch; " + lost.Why
	}
	return lost
}

// openSegment opens a zap segment file with the reader of the format
// version its footer names (Bleve writes version 17 and reads 16 too).
func openSegment(path string) (seg segment.Segment, err error) {
	defer func() {
		if p := recover(); p != nil {
			seg, err = nil, fmt.Errorf("the segment reader failed (%v)", p)
		}
	}()
	// Only the footer's last 8 bytes name the format: read just those.
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	var tail [8]byte
	if fi.Size() < int64(len(tail)) {
		f.Close()
		return nil, fmt.Errorf("%d bytes: too short for a segment", fi.Size())
	}
	_, err = f.ReadAt(tail[:], fi.Size()-int64(len(tail)))
	f.Close()
	if err != nil {
		return nil, err
	}
	switch v := binary.BigEndian.Uint32(tail[:]); v {
	case 17:
		return (&zapv17.ZapPlugin{}).Open(path)
	case 16:
		return (&zapv16.ZapPlugin{}).Open(path)
	default:
		return nil, fmt.Errorf("unknown segment format version %d", v)
	}
}

// segmentBands reads the articles' band keys (indexed, not stored) from the
// segment's term dictionary, turned back from their indexed form (bandTerm); a damaged dictionary gives none.
func segmentBands(seg segment.Segment) (out map[uint64][]string) {
	out = make(map[uint64][]string)
	defer func() {
		if recover() != nil {
			out = map[uint64][]string{}
		}
	}()
	dict, err := seg.Dictionary(fieldBands)
	if err != nil {
		return out
	}
	it := dict.AutomatonIterator(&vellum.AlwaysMatch{}, nil, nil)
	for {
		e, err := it.Next()
		if err != nil || e == nil {
			return out
		}
		pl, err := dict.PostingsList([]byte(e.Term), nil, nil)
		if err != nil {
			return out
		}
		pit := pl.Iterator(false, false, false, nil)
		for {
			p, err := pit.Next()
			if err != nil || p == nil {
				break
			}
			out[p.Number()] = append(out[p.Number()], bandKey(e.Term))
		}
	}
}

// readDoc reads document num of seg: a claim from its stored JSON, an
// article from its stored fields. id is "" when even the id is unreadable.
func readDoc(seg segment.Segment, num uint64) (id string, d *recovered, err error) {
	defer func() {
		if p := recover(); p != nil {
			d, err = nil, fmt.Errorf("document %d: the segment reader failed (%v)", num, p)
		}
	}()
	b, err := seg.DocID(num)
	if err != nil {
		return "", nil, fmt.Errorf("document %d: %w", num, err)
	}
	id = string(b)
	fields := make(map[string][]byte)
	var numClaims float64
	err = seg.VisitStoredFields(num, func(field string, typ byte, value []byte, _ []uint64) bool {
		if field == fieldClaims && typ == 'n' {
			if i, err := numeric.PrefixCoded(value).Int64(); err == nil {
				numClaims = numeric.Int64ToFloat64(i)
			}
			return true
		}
		fields[field] = slices.Clone(value)
		return true
	})
	if err != nil {
		return id, nil, fmt.Errorf("%s: %w", id, err)
	}
	switch {
	case strings.HasPrefix(id, "c:"):
		// Redline writes valid UTF-8 only; a damaged byte often is not.
		if !utf8.Valid(fields[fieldRaw]) {
			return id, nil, fmt.Errorf("%s: stored claim: not valid UTF-8", id)
		}
		var c claim.Claim
		if err := json.Unmarshal(fields[fieldRaw], &c); err != nil {
			return id, nil, fmt.Errorf("%s: stored claim: %w", id, err)
		}
		if c.DocID == "" || !strings.HasPrefix(id, "c:"+c.DocID+":") {
			return id, nil, fmt.Errorf("%s: the stored claim belongs to %q", id, c.DocID)
		}
		return id, &recovered{id: id, claim: &c}, nil
	case strings.HasPrefix(id, "a:"):
		for f, v := range fields {
			if !utf8.Valid(v) {
				return id, nil, fmt.Errorf("%s: stored field %s: not valid UTF-8", id, f)
			}
		}
		s := func(f string) string { return string(fields[f]) }
		a := &Article{DocID: s(fieldDocID), Source: s(fieldSource), URL: s(fieldURL), Title: s(fieldTitle),
			Outlet: s(fieldOutlet), Published: s(fieldPublished), Hash: s(fieldHash), Cluster: s(fieldCluster),
			TextHash: s(fieldTextHash), Sketch: s(fieldSketch), Lang: s(fieldLang), NotEnglish: s(fieldEnglish) == "false",
			Text: s(fieldText)}
		if a.DocID == "" || id != articleID(a.DocID) {
			return id, nil, fmt.Errorf("%s: the stored article is %q", id, a.DocID)
		}
		if a.Cluster == a.DocID {
			a.Cluster = ""
		}
		return id, &recovered{id: id, article: a, count: int(numClaims)}, nil
	default:
		return id, nil, fmt.Errorf("unexpected document id %q", id)
	}
}

// assemble groups the recovered claims under their articles. An article
// whose claims were not all recovered, or that was itself lost, is kept
// without its hash (see RepairReport.Incomplete). Without deletion records
// (stale is true), claims older than their article's newest record are
// leftovers of a replaced version and dropped.
func assemble(docs map[string]*recovered, stale bool, rep *RepairReport) []Article {
	type group struct {
		art    *recovered
		claims []*recovered
	}
	groups := make(map[string]*group)
	get := func(docID string) *group {
		g := groups[docID]
		if g == nil {
			g = &group{}
			groups[docID] = g
		}
		return g
	}
	for _, d := range docs {
		if d.article != nil {
			get(d.article.DocID).art = d
		}
	}
	for _, d := range docs {
		if d.claim == nil {
			continue
		}
		g := get(d.claim.DocID)
		if stale && g.art != nil && d.seg < g.art.seg {
			continue
		}
		g.claims = append(g.claims, d)
	}
	ids := make([]string, 0, len(groups))
	for id := range groups {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	arts := make([]Article, 0, len(ids))
	for _, id := range ids {
		g := groups[id]
		sort.Slice(g.claims, func(i, j int) bool { return g.claims[i].id < g.claims[j].id })
		var a Article
		if g.art != nil {
			a = *g.art.article
		} else {
			c := g.claims[0].claim
			a = Article{DocID: id, Source: c.Source, URL: c.URL, Title: c.Title, Outlet: c.Outlet, Published: c.Published}
		}
		for _, c := range g.claims {
			a.Claims = append(a.Claims, *c.claim)
		}
		if g.art == nil || g.art.count != len(g.claims) {
			a.Hash = ""
			rep.Incomplete = append(rep.Incomplete, id)
		}
		arts = append(arts, a)
	}
	return arts
}

// repairBatch is the number of articles per Write of the repaired index.
const repairBatch = 256

// writeRepaired writes arts and the redline internal records into a new
// index at out.
func writeRepaired(ctx context.Context, out string, arts []Article, internal map[string][]byte, rep *RepairReport) error {
	ix, err := Open(out, Options{PublishInterval: -1})
	if err != nil {
		return fmt.Errorf("repair: %w", err)
	}
	for k, v := range internal {
		if strings.HasPrefix(k, "redline:") && k != commitKey && k != schemaKey {
			if err := ix.bl.SetInternal([]byte(k), v); err != nil {
				_ = ix.Close()
				return fmt.Errorf("repair: %w", err)
			}
		}
	}
	for rest := arts; len(rest) > 0; {
		if err := ctx.Err(); err != nil {
			_ = ix.Close()
			return err
		}
		n := min(len(rest), repairBatch)
		batch := rest[:n]
		rest = rest[n:]
		err := ix.Write(batch)
		if errors.Is(err, ErrInvalidArticle) {
			// One record that decoded but is not valid: write the others.
			err = nil
			for i := range batch {
				if werr := ix.Write(batch[i : i+1]); errors.Is(werr, ErrInvalidArticle) {
					rep.Notes = append(rep.Notes, fmt.Sprintf("article %s not kept: %v", batch[i].DocID, werr))
					continue
				} else if werr != nil {
					err = werr
					break
				}
				rep.count(&batch[i])
			}
		} else if err == nil {
			for i := range batch {
				rep.count(&batch[i])
			}
		}
		if err != nil {
			_ = ix.Close()
			return fmt.Errorf("repair: write the repaired index %s: %w", out, err)
		}
	}
	return ix.Close()
}

func (r *RepairReport) count(a *Article) {
	r.Articles++
	r.Claims += uint64(len(a.Claims))
}

// isDir reports whether path is a folder.
func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}
