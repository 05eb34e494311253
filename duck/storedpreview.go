package duck

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// StoredPreviewRows is how many of the file's first rows are kept beside
// the data (preview.json) at ingest: Preview answers up to this many from
// it without DuckDB.
const StoredPreviewRows = 100

// previewName is the stored preview in a session's directory.
const previewName = "preview.json"

// storedPreview is preview.json: a Result with its rows, as the API shows
// them. Written once (at ingest, or by the first Preview of a session
// ingested before it existed) and never changed: the data never changes.
type storedPreview struct {
	Columns         []string          `json:"columns"`
	Types           []string          `json:"types"`
	Rows            []json.RawMessage `json:"rows"`
	RowCount        int64             `json:"row_count"`
	Truncated       bool              `json:"truncated"`
	TruncatedReason string            `json:"truncated_reason,omitempty"`
	CutCells        int64             `json:"cut_cells,omitempty"`
}

// firstRowsSQL reads the first StoredPreviewRows rows of a source in file
// order. data.parquet is written without insertion order (DuckDB then
// streams with full parallelism), so its first rows may come from
// anywhere in the file; these come from the upload itself.
//
// A CSV is read by one thread (parallel = false), which hands DuckDB's
// LIMIT the rows in file order; the rows DuckDB's reader skips
// (ignore_errors) are those the conversion rejected. A Parquet upload is
// read by row number.
func csvFirstRowsSQL(r csvRead, proj string) string {
	extra := []string{"ignore_errors = true"}
	if !r.serial {
		extra = append(extra, "parallel = false")
	}
	return "SELECT " + proj + " FROM " + r.call(extra...) + " LIMIT " + strconv.Itoa(StoredPreviewRows)
}

func parquetFirstRowsSQL(path string, cols []Column) string {
	for _, c := range cols {
		if strings.EqualFold(c.Name, "file_row_number") {
			// The virtual column would clash; the order is then DuckDB's.
			return "SELECT " + projection(cols, nil) + " FROM read_parquet(" + QuoteString(path) + ") LIMIT " + strconv.Itoa(StoredPreviewRows)
		}
	}
	proj := projection(cols, nil)
	if proj == "*" {
		proj = "* EXCLUDE (file_row_number)" // read for the order, not shown
	}
	return "SELECT " + proj + " FROM read_parquet(" + QuoteString(path) + ", file_row_number = true)" +
		" WHERE file_row_number < " + strconv.Itoa(StoredPreviewRows) + " ORDER BY file_row_number"
}

// storePreview writes the first rows that query yields to dir/preview.json,
// through a small Parquet file so that the types are those of
// data.parquet. rows is the dataset's total. It runs on the ingest's
// instance and costs a few milliseconds.
func (e *Engine) storePreview(ctx context.Context, db *sql.DB, dir, query string, rows int64) error {
	tmp := filepath.Join(dir, tempName)
	if err := os.MkdirAll(tmp, 0o750); err != nil {
		return err
	}
	small := filepath.Join(tmp, "preview.parquet")
	defer os.Remove(small)
	if _, err := db.ExecContext(ctx, "COPY ("+query+") TO "+QuoteString(small)+" (FORMAT parquet)"); err != nil {
		return err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	src := "read_parquet(" + QuoteString(small) + ")"
	res, err := e.collectBounded(ctx, conn, "SELECT * FROM "+src, StoredPreviewRows, newScrubber(e.dataDir))
	var ce *convertError
	if errors.As(err, &ce) {
		res, err = e.collectBounded(ctx, conn, "SELECT COLUMNS(*)::VARCHAR FROM "+src, StoredPreviewRows, newScrubber(e.dataDir))
	}
	if err != nil {
		return err
	}
	res.RowCount = rows
	return writeStoredPreview(dir, res)
}

// writeStoredPreview writes res (at most StoredPreviewRows rows of a
// dataset of res.RowCount rows) as dir/preview.json, atomically.
func writeStoredPreview(dir string, res *Result) error {
	sp := storedPreview{
		Columns: res.Columns, Types: res.Types, RowCount: res.RowCount,
		Truncated: res.Truncated, TruncatedReason: res.TruncatedReason, CutCells: res.CutCells,
		Rows: make([]json.RawMessage, len(res.Rows)),
	}
	if res.RowCount > int64(len(res.Rows)) && !sp.Truncated {
		sp.Truncated, sp.TruncatedReason = true, TruncatedRows
	}
	for i, row := range res.Rows {
		b, err := json.Marshal(row)
		if err != nil {
			return err
		}
		sp.Rows[i] = b
	}
	b, err := json.Marshal(sp)
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, previewName+".*.tmp")
	if err != nil {
		return err
	}
	_, werr := f.Write(b)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(f.Name(), filepath.Join(dir, previewName))
	}
	if werr != nil {
		os.Remove(f.Name())
	}
	return werr
}

// readStoredPreview returns the first limit (≤ StoredPreviewRows) rows of
// dir/preview.json; ok is false when there is none (or it is unreadable).
// Numbers come back as int64 for integer columns, float64 for DOUBLE and
// json.Number otherwise, so the rows encode to the same JSON as a fresh
// read's.
func readStoredPreview(dir string, limit int) (*Result, bool) {
	raw, err := os.ReadFile(filepath.Join(dir, previewName))
	if err != nil {
		return nil, false
	}
	var sp storedPreview
	if err := json.Unmarshal(raw, &sp); err != nil || len(sp.Columns) != len(sp.Types) {
		return nil, false
	}
	n := min(limit, len(sp.Rows))
	res := &Result{
		Columns: sp.Columns, Types: sp.Types, RowCount: sp.RowCount,
		Truncated: sp.Truncated, TruncatedReason: sp.TruncatedReason,
		Rows: make([][]any, n),
	}
	for i := range n {
		d := json.NewDecoder(bytes.NewReader(sp.Rows[i]))
		d.UseNumber()
		var row []any
		if err := d.Decode(&row); err != nil || len(row) != len(sp.Columns) {
			return nil, false
		}
		for j, v := range row {
			row[j] = storedValue(v, sp.Types[j])
		}
		res.Rows[i] = row
	}
	if n < len(sp.Rows) && !res.Truncated {
		res.Truncated, res.TruncatedReason = true, TruncatedRows
	}
	if n == len(sp.Rows) {
		res.CutCells = sp.CutCells
	} else {
		for _, row := range res.Rows {
			for _, v := range row {
				if s, ok := v.(string); ok && strings.HasSuffix(s, CutMarker) {
					res.CutCells++
				}
			}
		}
	}
	return res, true
}

// storedValue gives a stored number back the Go type a fresh read has.
func storedValue(v any, dbType string) any {
	n, ok := v.(json.Number)
	if !ok {
		return v
	}
	switch dbType {
	case "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "HUGEINT", "UHUGEINT":
		if i, err := n.Int64(); err == nil {
			return i
		}
	case "DOUBLE":
		if f, err := n.Float64(); err == nil {
			return f
		}
	}
	return n
}
