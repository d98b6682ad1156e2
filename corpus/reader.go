package corpus

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// DefaultMaxBytes is the size limit used when Options.MaxBytes is zero.
const DefaultMaxBytes = 10 << 20

// maxSkippedFiles is how many skipped paths SkippedFiles remembers.
const maxSkippedFiles = 100

// Options configures a Reader. The zero value gives the defaults.
type Options struct {
	// MaxBytes is the largest document accepted, in bytes: a file (after
	// decompression, for .gz files), standard input read as one text, one
	// line of a JSONL dump, or the decoded HTTP payload of one WARC record.
	// A dump or WARC archive itself may be of any size. Larger
	// inputs are reported as *InputError wrapping ErrTooLarge without being
	// read into memory. Zero or negative means DefaultMaxBytes (10 MiB).
	MaxBytes int64
	// MaxDecompressedBytes bounds what one gzip-compressed input (a dump,
	// a WARC archive, standard input) may decompress to, in all; past it
	// the input stops with one *InputError holding a *DecompressedError.
	// Zero or negative means DefaultMaxDecompressedBytes (1 GiB).
	MaxDecompressedBytes int64
	// Stdin is read for the path "-". Nil means os.Stdin. The Reader never
	// closes it.
	Stdin io.Reader
	// OnDuplicateID, when not nil, is called (from Next) for every dump
	// record skipped because an earlier record has the same "id", in the
	// same dump or in one read before it (a .json file, too): the first
	// record with an id in input order is read, later ones are skipped and
	// counted by DuplicateIDs. Records without an id are never skipped here.
	OnDuplicateID func(DuplicateID)
	// Exclude lists folders (or files) that are never read, such as the
	// index folder the documents are written to: a folder walk skips them,
	// and so does a path given to Open that is one of them or lies inside
	// one; Skipped counts each once. They need not exist when Open is
	// called (a folder walk checks when it meets them), and are matched
	// by absolute path and, once they exist, as the same file.
	Exclude []string
}

// excludedPath is one Options.Exclude entry.
type excludedPath struct {
	abs string
	fi  fs.FileInfo // nil until it exists
}

// kind is how a file is read.
type kind int

const (
	kindText kind = iota // plain text: Document.Text
	kindHTML             // markup: Document.HTML
	kindDump             // JSONL dump: one Document per line
	kindWARC             // WARC archive: one Document per HTML response record
	kindJSON             // .json: one record, an array of records, or JSON Lines
)

// input is one validated path given to Open.
type input struct {
	path  string
	stdin bool
	dir   bool
}

// dirFrame is one directory being walked: its sorted entries and the index
// of the next one to visit.
type dirFrame struct {
	path    string
	abs     string // path made absolute, "" when that failed
	entries []fs.DirEntry
	next    int
}

// Reader yields the documents of a list of inputs, one at a time, in the
// order the inputs were given; folders are walked recursively in lexical
// order. It keeps at most one file open and holds at most one document (or
// one dump line, or one WARC record's payload) in memory at a time, plus the
// entry names of the folders being walked and the ids (with where each was
// first met) of the dumps read so far, to find repeated ids.
//
// A Reader is not safe for concurrent use.
type Reader struct {
	max          int64
	maxUnzip     int64 // Options.MaxDecompressedBytes or its default
	stdin        io.Reader
	inputs       []input
	pos          int            // index in inputs of the next input to start
	dirs         []*dirFrame    // walk stack of the current folder input
	dump         *dumpReader    // the dump being read, if any
	warc         *warcReader    // the WARC archive being read, if any
	skipped      int            // files, folders and WARC records skipped
	skippedFiles []string       // the first maxSkippedFiles files and folders
	exclude      []excludedPath // Options.Exclude
	onDup        func(DuplicateID)
	ids          *idSet          // the explicit ids met, shared by the Readers of one Inputs
	dupIDs       int             // dump records skipped for a repeated id
	recordSkips  map[string]int  // WARC records skipped, by reason
	given        map[string]bool // the inputs given, by absolute path
	closed       bool
}

// Open checks every path and returns a Reader over them, reading nothing
// yet. paths may name files, folders, and "-" for Options.Stdin (at most
// once).
//
// Each path must exist and be readable: otherwise Open fails with an error
// that names the path and wraps the reason (errors.Is(err, fs.ErrNotExist)
// and errors.Is(err, fs.ErrPermission) work). Open also fails for an empty
// list of paths.
//
// How inputs are read:
//   - A folder is walked recursively in lexical order. Entries whose name
//     starts with "." are skipped, as are files with an unknown extension,
//     symbolic links to folders and special files; Skipped counts them.
//   - By extension (case-insensitive): .txt, .md and .text are plain text;
//     .html, .htm and .xhtml are HTML; .jsonl and .ndjson are JSONL dumps;
//     .json is one record, an array of records or JSON Lines (see
//     openJSON; a record's fields are also read under the names news
//     exporters give them, see textKeys); .warc is a WARC archive. Any of them may carry a further .gz and is
//     then decompressed (a WARC archive is recognised as compressed by its
//     content, whatever its name).
//   - A WARC archive yields one document per "response" record holding an
//     HTTP 200 response with an HTML payload (declared text/html or
//     application/xhtml+xml, or sniffed when undeclared): URL is the
//     WARC-Target-URI, Published the WARC-Date (the capture time, a
//     fallback for the page's own date: Captured is set), HTML the payload decoded to UTF-8
//     (chunked transfer coding and gzip and deflate content codings
//     undone; the HTTP charset is honoured after a byte order mark and
//     valid UTF-8), ID its ContentID, and Source the archive's path, "#"
//     and the WARC-Record-ID without angle brackets (or the record's number
//     when it has none). Other records are skipped and counted by Skipped
//     and SkippedRecords. A bad record gives an *InputError whose Err is a
//     *RecordError naming the record; after corrupt data, reading resumes
//     at the next record that can be found.
//   - A file named explicitly with another extension is read as plain text.
//   - Options.Exclude paths (and, for folders, everything inside them) are
//     skipped and counted by Skipped, whether met in a walk or given.
//   - A path given again (the same absolute path) is skipped and counted
//     by Skipped. A file or folder given that also lies inside a folder
//     given is read once, as given: the folder's walk passes over it
//     without counting it.
//   - "-" is read as a JSONL dump when its first non-space byte is '{',
//     otherwise as one plain-text document with Source "-". Gzip-compressed
//     standard input is decompressed first.
func Open(paths []string, opts Options) (*Reader, error) {
	return open(paths, opts, &idSet{})
}

// open is Open with the set of ids met, which the Readers of one Inputs
// share so that an id is compared across all of its dumps.
func open(paths []string, opts Options, ids *idSet) (*Reader, error) {
	if len(paths) == 0 {
		return nil, errors.New("corpus: no input paths")
	}
	r := &Reader{max: opts.MaxBytes, stdin: opts.Stdin, onDup: opts.OnDuplicateID, ids: ids, maxUnzip: maxDecompressed(opts)}
	if r.max <= 0 {
		r.max = DefaultMaxBytes
	}
	if r.max > 1<<50 {
		r.max = 1 << 50 // keeps r.max+1 and friends from overflowing
	}
	if r.stdin == nil {
		r.stdin = os.Stdin
	}
	for _, p := range opts.Exclude {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, fmt.Errorf("corpus: excluded path %s: %w", p, err)
		}
		r.exclude = append(r.exclude, excludedPath{abs: abs})
	}
	stdinSeen := false
	given := map[string]bool{} // the inputs so far, by absolute path
	r.given = given
	for _, p := range paths {
		if p == "-" {
			if stdinSeen {
				return nil, errors.New(`corpus: input "-" (standard input) given more than once`)
			}
			stdinSeen = true
			r.inputs = append(r.inputs, input{path: p, stdin: true})
			continue
		}
		fi, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("corpus: input %s: %w", p, pathErrReason(err))
		}
		mode := fi.Mode()
		switch {
		case mode.IsDir(), mode.IsRegular():
			// Opening checks read permission without reading anything.
			f, err := os.Open(p)
			if err != nil {
				return nil, fmt.Errorf("corpus: input %s: %w", p, pathErrReason(err))
			}
			f.Close()
		case mode&fs.ModeSocket != 0:
			return nil, fmt.Errorf("corpus: input %s: a socket, not a file or folder", p)
		default:
			// A named pipe or device (such as a shell's <(...)): opening
			// it could block or consume it, so it is only opened when read.
		}
		if r.insideExcluded(p) {
			r.skip(p)
			continue
		}
		// The same file or folder given twice ("a.jsonl ./a.jsonl") is
		// read once: read twice, its documents were counted twice.
		if abs, err := filepath.Abs(p); err == nil {
			if given[abs] {
				r.skip(p)
				continue
			}
			given[abs] = true
		}
		r.inputs = append(r.inputs, input{path: p, dir: mode.IsDir()})
	}
	return r, nil
}

// isExcluded reports whether path, whose file info is fi (nil: unknown), is
// one of Options.Exclude.
func (r *Reader) isExcluded(path string, fi fs.FileInfo) bool {
	if len(r.exclude) == 0 {
		return false
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = ""
	}
	for i := range r.exclude {
		x := &r.exclude[i]
		if abs == x.abs {
			return true
		}
		if fi == nil {
			continue
		}
		if x.fi == nil {
			if x.fi, err = os.Stat(x.abs); err != nil {
				x.fi = nil
				continue
			}
		}
		if os.SameFile(fi, x.fi) {
			return true
		}
	}
	return false
}

// insideExcluded reports whether path is one of Options.Exclude or lies
// inside one.
func (r *Reader) insideExcluded(path string) bool {
	if len(r.exclude) == 0 {
		return false
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return false
	}
	for {
		fi, _ := os.Stat(abs)
		if r.isExcluded(abs, fi) {
			return true
		}
		parent := filepath.Dir(abs)
		if parent == abs {
			return false
		}
		abs = parent
	}
}

// pathErrReason returns the reason inside an *fs.PathError, whose message
// would repeat the path and name the system call.
func pathErrReason(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Next returns the next document.
//
// It returns io.EOF when all inputs have been read (and from then on), and
// ctx.Err() when ctx is done, without skipping anything: Next may be called
// again with another context. Bad input gives an *InputError naming the
// input (and the dump line) and the reason; it is not fatal, and the next
// call continues with the following document. Any other error (there are
// none at present) would be fatal.
//
// Next checks ctx between documents, dump lines, WARC records and folder
// entries; a read that blocks (on a pipe or standard input) is not
// interrupted by ctx.
func (r *Reader) Next(ctx context.Context) (Document, error) {
	for {
		if err := ctx.Err(); err != nil {
			return Document{}, err
		}
		if r.closed {
			return Document{}, io.EOF
		}
		if r.dump != nil {
			doc, err := r.dump.next()
			if err == io.EOF {
				r.closeDump()
				continue
			}
			return doc, err
		}
		if r.warc != nil {
			doc, err := r.warc.next()
			switch err {
			case io.EOF:
				r.closeWARC()
				continue
			case errSkippedRecord:
				continue // counted; check ctx before the next record
			}
			return doc, err
		}
		if len(r.dirs) > 0 {
			path, k, gz, err := r.walkNext(ctx)
			if err != nil {
				return Document{}, err
			}
			if path == "" {
				continue // the walk has ended (or ctx is done)
			}
			if doc, ok, err := r.readFile(path, k, gz, true); ok {
				return doc, err
			}
			continue
		}
		if r.pos >= len(r.inputs) {
			return Document{}, io.EOF
		}
		in := r.inputs[r.pos]
		r.pos++
		switch {
		case in.stdin:
			if doc, ok, err := r.readStdin(); ok {
				return doc, err
			}
		case in.dir:
			if err := r.pushDir(in.path); err != nil {
				return Document{}, err
			}
		default:
			k, gz, known := classify(in.path)
			if !known {
				k = kindText // named explicitly: the user asked for it
			}
			if doc, ok, err := r.readFile(in.path, k, gz, false); ok {
				return doc, err
			}
		}
	}
}

// Skipped returns how many files and folders the folder walks have skipped
// so far (hidden entries, a hidden folder counting once; files with an
// unknown extension; .json files that hold no article; symbolic links to
// folders and special files), plus the
// WARC records skipped as not HTML pages (see SkippedRecords).
func (r *Reader) Skipped() int { return r.skipped }

// DuplicateIDs returns how many dump records have been skipped so far
// because an earlier record of the same dump has the same "id" (see
// Options.OnDuplicateID).
func (r *Reader) DuplicateIDs() int { return r.dupIDs }

// duplicateID counts and reports one record skipped for its id.
func (r *Reader) duplicateID(d DuplicateID) {
	r.dupIDs++
	if r.onDup != nil {
		r.onDup(d)
	}
}

// SkippedFiles returns the paths of the first 100 files and folders counted
// by Skipped, in the order they were met; skipped WARC records are not
// listed. The slice is a copy.
func (r *Reader) SkippedFiles() []string {
	return append([]string(nil), r.skippedFiles...)
}

// Close releases the file the Reader has open, if any. After Close, Next
// returns io.EOF. Close is only needed when the caller stops before Next
// has returned io.EOF; it is safe to call more than once.
func (r *Reader) Close() error {
	r.closed = true
	r.dirs = nil
	return errors.Join(r.closeDump(), r.closeWARC())
}

func (r *Reader) closeDump() error {
	if r.dump == nil {
		return nil
	}
	err := r.dump.close()
	r.dump = nil
	return err
}

func (r *Reader) skip(path string) {
	r.skipped++
	if len(r.skippedFiles) < maxSkippedFiles {
		r.skippedFiles = append(r.skippedFiles, path)
	}
}

// fileKinds maps the file extensions Reader reads, each also gzipped
// (".gz" after it), to how it reads them; any other file in a folder is
// skipped.
var fileKinds = []struct {
	ext  string
	kind kind
}{
	{".txt", kindText}, {".md", kindText}, {".text", kindText},
	{".html", kindHTML}, {".htm", kindHTML}, {".xhtml", kindHTML},
	{".jsonl", kindDump}, {".ndjson", kindDump},
	{".json", kindJSON},
	{".warc", kindWARC},
}

// Extensions returns the file extensions a folder's files are read by
// (".txt", ".html", …), in a fixed order; each is also read gzipped.
func Extensions() []string {
	out := make([]string, len(fileKinds))
	for i, fk := range fileKinds {
		out[i] = fk.ext
	}
	return out
}

// classify returns how the file name should be read, whether it is
// gzip-compressed, and ok=false when its extension is unknown.
func classify(name string) (k kind, gz bool, ok bool) {
	base := strings.ToLower(filepath.Base(name))
	if strings.HasSuffix(base, ".gz") {
		gz = true
		base = strings.TrimSuffix(base, ".gz")
	}
	ext := filepath.Ext(base)
	for _, fk := range fileKinds {
		if fk.ext == ext {
			return fk.kind, gz, true
		}
	}
	return kindText, gz, false
}

// pushDir starts walking the folder path. A folder that cannot be listed is
// reported as an *InputError; the entries listed before the failure are
// still walked.
func (r *Reader) pushDir(path string) error {
	entries, err := os.ReadDir(path)
	if len(entries) > 0 {
		abs, aerr := filepath.Abs(path)
		if aerr != nil {
			abs = ""
		}
		r.dirs = append(r.dirs, &dirFrame{path: path, abs: abs, entries: entries})
	}
	if err != nil {
		return &InputError{Input: path, Err: pathErrReason(err)}
	}
	return nil
}

// walkNext advances the folder walk to the next file to read and returns
// its path, or "" when the walk has ended or ctx is done.
func (r *Reader) walkNext(ctx context.Context) (path string, k kind, gz bool, err error) {
	for len(r.dirs) > 0 && ctx.Err() == nil {
		top := r.dirs[len(r.dirs)-1]
		if top.next >= len(top.entries) {
			r.dirs[len(r.dirs)-1] = nil
			r.dirs = r.dirs[:len(r.dirs)-1]
			continue
		}
		e := top.entries[top.next]
		top.next++
		p := filepath.Join(top.path, e.Name())
		if strings.HasPrefix(e.Name(), ".") {
			r.skip(p)
			continue
		}
		// Given as an input of its own, it is read as that input (before
		// or after this walk), so that no document is read twice.
		if top.abs != "" && r.given[filepath.Join(top.abs, e.Name())] {
			continue
		}
		typ := e.Type()
		if typ&fs.ModeSymlink != 0 {
			fi, err := os.Stat(p)
			if err != nil {
				return "", 0, false, &InputError{Input: p, Err: pathErrReason(err)}
			}
			if fi.IsDir() {
				r.skip(p) // not followed: it could make a cycle
				continue
			}
			typ = fi.Mode().Type()
		}
		if len(r.exclude) > 0 && (typ.IsDir() || typ.IsRegular()) {
			fi, _ := os.Stat(p)
			if r.isExcluded(p, fi) {
				r.skip(p)
				continue
			}
		}
		if typ.IsDir() {
			if err := r.pushDir(p); err != nil {
				return "", 0, false, err
			}
			continue
		}
		if !typ.IsRegular() {
			r.skip(p)
			continue
		}
		k, gz, ok := classify(e.Name())
		if !ok {
			r.skip(p)
			continue
		}
		return p, k, gz, nil
	}
	return "", 0, false, nil
}

// readFile reads the file at path. For a text or HTML file it returns the
// document or an *InputError with ok=true. For a dump or a WARC archive it
// opens it (r.dump, r.warc) and returns ok=false, or an *InputError with
// ok=true when it cannot be opened.
func (r *Reader) readFile(path string, k kind, gz, walked bool) (doc Document, ok bool, err error) {
	bad := func(err error) (Document, bool, error) {
		return Document{}, true, &InputError{Input: path, Err: err}
	}
	f, err := os.Open(path)
	if err != nil {
		return bad(pathErrReason(err))
	}
	if k == kindWARC {
		r.warc = newWARCReader(f, path, r.max, r.skipRecord)
		r.warc.src.limit = r.maxUnzip
		return Document{}, false, nil
	}
	var src io.Reader = f
	var zr *gzip.Reader
	if gz {
		zr, err = gzip.NewReader(f)
		if err != nil {
			f.Close()
			if err == io.EOF {
				err = ErrEmpty
			}
			return bad(err)
		}
		src = newDecompressCap(zr, r.maxUnzip)
	}
	if k == kindJSON {
		closers := []io.Closer{f}
		if zr != nil {
			closers = []io.Closer{zr, f}
		}
		return r.openJSON(src, path, closers, walked)
	}
	if k == kindDump {
		if zr != nil {
			r.dump = newDumpReader(src, path, r.max, 0, zr, f)
			r.dump.onDup, r.dump.ids = r.duplicateID, r.ids
		} else {
			r.dump = newDumpReader(src, path, r.max, 0, f)
			r.dump.onDup, r.dump.ids = r.duplicateID, r.ids
		}
		return Document{}, false, nil
	}
	defer f.Close()
	if zr != nil {
		defer zr.Close()
	}

	var hint int64
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() && !gz {
		if fi.Size() > r.max {
			return bad(fmt.Errorf("%w: file is %d bytes, limit is %d bytes", ErrTooLarge, fi.Size(), r.max))
		}
		hint = fi.Size()
	}
	raw, err := readLimited(src, r.max, hint)
	if err != nil {
		return bad(pathErrReason(err))
	}
	if int64(len(raw)) > r.max {
		what := "file"
		if gz {
			what = "decompressed file"
		}
		return bad(fmt.Errorf("%w: %s is more than %d bytes, the limit", ErrTooLarge, what, r.max))
	}
	doc, err = makeDocument(path, k, raw)
	if err != nil {
		return bad(err)
	}
	return doc, true, nil
}

// makeDocument checks and decodes raw, the whole content of a text or HTML
// file, into a Document with Source source.
func makeDocument(source string, k kind, raw []byte) (Document, error) {
	doc := Document{Source: source, IDFromContent: true}
	if k == kindHTML {
		s, err := decodeHTML(raw)
		if err != nil {
			return Document{}, err
		}
		doc.HTML, doc.ID = s, ContentID(s)
		return doc, nil
	}
	s, err := decodeText(raw)
	if err != nil {
		return Document{}, err
	}
	doc.Text, doc.ID = s, ContentID(s)
	return doc, nil
}

// readLimited reads src to its end or to max+1 bytes, whichever comes
// first; hint is the expected size, or 0.
func readLimited(src io.Reader, max, hint int64) ([]byte, error) {
	var b bytes.Buffer
	if hint > 0 {
		b.Grow(int(hint) + bytes.MinRead)
	}
	_, err := b.ReadFrom(io.LimitReader(src, max+1))
	return b.Bytes(), err
}

// readStdin starts reading standard input: as a dump (r.dump, ok=false) when
// its first non-space byte is '{', otherwise as one text document (ok=true).
func (r *Reader) readStdin() (doc Document, ok bool, err error) {
	const name = "-"
	bad := func(err error) (Document, bool, error) {
		return Document{}, true, &InputError{Input: name, Err: err}
	}
	br := bufio.NewReaderSize(r.stdin, dumpBufSize)
	var closers []io.Closer
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return bad(err)
		}
		closers = append(closers, zr)
		br = bufio.NewReaderSize(newDecompressCap(zr, r.maxUnzip), dumpBufSize)
	}
	if b, _ := br.Peek(len(bomUTF8)); string(b) == bomUTF8 {
		br.Discard(len(bomUTF8))
	}

	// Skip leading white space, keeping it (up to the limit) in case the
	// input is a text, and counting its lines in case it is a dump.
	var prefix []byte
	var spaces int64
	newlines := 0
	isDump := false
	for {
		c, err := br.ReadByte()
		if err == io.EOF {
			break
		}
		if err != nil {
			closeAll(closers)
			return bad(err)
		}
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' {
			br.UnreadByte()
			isDump = c == '{'
			break
		}
		spaces++
		if spaces <= r.max {
			prefix = append(prefix, c)
		}
		if c == '\n' {
			newlines++
		}
	}
	if isDump {
		r.dump = newDumpReader(br, name, r.max, newlines, closers...)
		r.dump.onDup, r.dump.ids = r.duplicateID, r.ids
		return Document{}, false, nil
	}
	defer closeAll(closers)
	if spaces > r.max {
		return bad(fmt.Errorf("%w: input is more than %d bytes, the limit", ErrTooLarge, r.max))
	}
	raw, err := readLimited(io.MultiReader(bytes.NewReader(prefix), br), r.max, 0)
	if err != nil {
		return bad(err)
	}
	if int64(len(raw)) > r.max {
		return bad(fmt.Errorf("%w: input is more than %d bytes, the limit", ErrTooLarge, r.max))
	}
	doc, err = makeDocument(name, kindText, raw)
	if err != nil {
		return bad(err)
	}
	return doc, true, nil
}

func closeAll(cs []io.Closer) {
	for _, c := range cs {
		c.Close()
	}
}
