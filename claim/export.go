package claim

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// ExportColumns is the column order of the CSV export: the JSON field
// names of Claim.
var ExportColumns = []string{"doc_id", "source", "url", "title", "outlet", "published", "sentence", "start", "end", "party", "speaker", "kind", "topics", "target", "hedged", "condition", "cue", "attribution", "confidence", "cluster", "long"}

// csvFormulaStarts are the first characters that make a spreadsheet read a
// cell as a formula (OWASP, CSV injection).
const csvFormulaStarts = "=+-@\t\r"

// CSVSafe neutralises a cell a spreadsheet would run as a formula (one that
// begins with =, +, -, @, a tab or a carriage return) by putting a single
// quote in front of it; other cells are returned as they are.
func CSVSafe(s string) string {
	if s != "" && strings.IndexByte(csvFormulaStarts, s[0]) >= 0 {
		return "'" + s
	}
	return s
}

// CSVRow returns c as a row of the CSV export, in ExportColumns order, every
// cell through CSVSafe (numbers included: ours never start with '-', so
// they are never changed). The confidence is written as JSON writes it,
// every digit kept: rounded, a claim of 0.696 would read 0.70 and yet fall
// below a --min-confidence of 0.7.
func CSVRow(c Claim) []string {
	row := []string{c.DocID, c.Source, c.URL, c.Title, c.Outlet, c.Published, c.Sentence,
		strconv.Itoa(c.Start), strconv.Itoa(c.End), c.Party, c.Speaker, c.Kind, strings.Join(c.Topics, ";"),
		c.Target, strconv.FormatBool(c.Hedged), c.Condition, c.Cue, c.Attribution, strconv.FormatFloat(c.Confidence, 'f', -1, 64), c.Cluster, c.Long}
	for i, s := range row {
		row[i] = CSVSafe(s)
	}
	return row
}

// ExportWriter writes claims in an export format: "jsonl" (one Claim a
// line, as its JSON, HTML characters not escaped) or "csv" (a header of
// ExportColumns, then CSVRow per claim). Call Flush at the end.
type ExportWriter struct {
	enc *json.Encoder
	cw  *csv.Writer
}

// NewExportWriter returns a writer of format to w; for CSV it writes the
// header first. An unknown format is an error.
func NewExportWriter(w io.Writer, format string) (*ExportWriter, error) {
	switch format {
	case "jsonl":
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		return &ExportWriter{enc: enc}, nil
	case "csv":
		cw := csv.NewWriter(w)
		return &ExportWriter{cw: cw}, cw.Write(ExportColumns)
	}
	return nil, fmt.Errorf("export: unknown format %q (want jsonl or csv)", format)
}

// Write writes one claim.
func (x *ExportWriter) Write(c Claim) error {
	if x.enc != nil {
		return x.enc.Encode(c)
	}
	return x.cw.Write(CSVRow(c))
}

// Flush writes out what is buffered and reports the first write error.
func (x *ExportWriter) Flush() error {
	if x.cw != nil {
		x.cw.Flush()
		return x.cw.Error()
	}
	return nil
}
