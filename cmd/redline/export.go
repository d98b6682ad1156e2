package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"redline/claim"
	"redline/index"
)

// exportSafetyHelp is the paragraph of export --help on formula cells in CSV
// and on how --out writes its file.
const exportSafetyHelp = `CSV cells that begin with =, +, -, @, a tab or a carriage return get a
single quote in front ('=SUM(A1)), in every column, so that a spreadsheet
shows them as text instead of running them as formulas (OWASP's advice
against CSV injection). JSONL is written as it is.

--out FILE writes a temporary file in FILE's folder and renames it to FILE
once the export is complete: a failed or interrupted export leaves no
partial file. It refuses to replace an existing FILE unless --force is
given, and refuses a FILE that is a symbolic link even with --force.
`

// csvSafe neutralises a cell a spreadsheet would run as a formula
// (claim.CSVSafe).
func csvSafe(s string) string { return claim.CSVSafe(s) }

// csvSafeRow neutralises every cell of row in place and returns it.
func csvSafeRow(row []string) []string {
	for i, s := range row {
		row[i] = csvSafe(s)
	}
	return row
}

// writeClaims writes the claims of q to w as JSONL or CSV (format, see
// claim.ExportWriter) and returns how many it wrote.
func writeClaims(ctx context.Context, w io.Writer, format string, ix *index.Index, q index.Query) (int, error) {
	n := 0
	xw, err := claim.NewExportWriter(w, format)
	if err != nil {
		return n, err
	}
	err = ix.Claims(ctx, q, func(c claim.Claim) error { n++; return xw.Write(c) })
	if ferr := xw.Flush(); err == nil {
		err = ferr
	}
	return n, err
}

// checkOut says whether export may write to path: a path that does not
// exist yet in a folder that does (checkOutFolder), or with force an
// existing regular file. A symbolic link is
// refused even with force: redline replaces files, it never writes through a
// link to wherever it points.
func checkOut(path string, force bool) error {
	fi, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return checkOutFolder("--out", path)
	case err != nil:
		return fmt.Errorf("--out: %w", err) // *PathError: names the file
	case fi.Mode()&fs.ModeSymlink != 0:
		return fmt.Errorf("--out %s is a symbolic link: export does not write through links, even with --force; give the path of a file", path)
	case fi.IsDir():
		return fmt.Errorf("--out %s is a folder: give the path of a file", path)
	case !fi.Mode().IsRegular():
		return fmt.Errorf("--out %s exists and is not a regular file", path)
	case !force:
		return fmt.Errorf("--out %s already exists: --force replaces it", path)
	}
	return nil
}

// checkOutFolder says whether a file can be written at path, given by
// flag (such as "--out"): the folder path names must exist and path must
// not be a folder. Checked before the work, so that a mistyped folder fails
// at once and names the flag, not after minutes (train, clusters) or after
// the whole export with the name of the temporary file.
func checkOutFolder(flag, path string) error {
	if path == "-" {
		// Not stdout: the command prints its report there.
		return usagef("%s -: give the path of a file (stdout is for the report)", flag)
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("%s %s is a folder: give the path of a file", flag, path)
	}
	dir := filepath.Dir(path)
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s %s: folder %s does not exist", flag, path, dir)
	case err != nil:
		return fmt.Errorf("%s %s: %w", flag, path, err)
	case !fi.IsDir():
		return fmt.Errorf("%s %s: %s is not a folder", flag, path, dir)
	}
	return nil
}

// writeOut runs write on stdout, or with out given on a temporary file in
// out's folder that is renamed to out once write succeeds (writeFileAtomic):
// an error or a cancelled ctx inside write leaves no file behind. out is
// checked (checkOut) before and again after write, just before the rename,
// so a file or link that appeared during a long export is not replaced.
func (e *env) writeOut(out string, force bool, write func(io.Writer) error) error {
	if out == "" {
		return write(e.stdout)
	}
	if err := checkOut(out, force); err != nil {
		return err
	}
	return writeFileAtomic(out, func(w io.Writer) error {
		if err := write(w); err != nil {
			return err
		}
		return checkOut(out, force)
	})
}
