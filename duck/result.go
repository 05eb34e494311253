package duck

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// Result is the answer to a query or a preview.
type Result struct {
	Columns   []string `json:"columns"`
	Types     []string `json:"types"`
	Rows      [][]any  `json:"-"`         // JSON-safe values, see jsonValue
	RowCount  int64    `json:"row_count"` // total rows the statement produced when cheap, else len(Rows)
	Truncated bool     `json:"truncated"`
	// TruncatedReason says why Rows stop early: TruncatedRows (the row
	// limit), TruncatedBytes (the result's byte limit); empty when whole.
	TruncatedReason string `json:"truncated_reason,omitempty"`
	// CutCells counts the values cut to the cell limit (MaxCellBytes):
	// each is shown as its first bytes followed by CutMarker, in the
	// column's place whatever its type (a cut LIST is the start of its
	// text form). The rows are whole otherwise.
	CutCells  int64 `json:"cut_cells,omitempty"`
	ElapsedMS int64 `json:"elapsed_ms"`
}

// Reasons a result holds fewer rows than the statement produced.
const (
	TruncatedRows  = "rows"
	TruncatedBytes = "bytes"
)

// OrderedRow is one result row as a JSON object whose keys keep the
// column order (a Go map would sort them).
type OrderedRow struct {
	keys []string
	vals []any
}

// Objects returns the rows as objects keyed by column name. Duplicate or
// empty column names ("SELECT 1 AS a, 2 AS a") get a suffix so that no key
// is lost: a, a_2.
func (r *Result) Objects() []OrderedRow {
	keys := uniqueNames(r.Columns)
	out := make([]OrderedRow, len(r.Rows))
	for i, row := range r.Rows {
		out[i] = OrderedRow{keys: keys, vals: row}
	}
	return out
}

// Get returns the value of column key, for tests and callers that look
// up one field.
func (o OrderedRow) Get(key string) (any, bool) {
	for i, k := range o.keys {
		if k == key {
			return o.vals[i], true
		}
	}
	return nil, false
}

// MarshalJSON writes the row as an object in column order.
func (o OrderedRow) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			buf.WriteByte(',')
		}
		kb, err := json.Marshal(k)
		if err != nil {
			return nil, err
		}
		buf.Write(kb)
		buf.WriteByte(':')
		var v any
		if i < len(o.vals) {
			v = o.vals[i]
		}
		vb, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		buf.Write(vb)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// uniqueNames makes names non-empty and unique, case-insensitively as SQL
// identifiers are: "" becomes column_N (1-based position), a repeated name
// gets _2, _3, ... until it is free.
func uniqueNames(names []string) []string {
	out := make([]string, len(names))
	seen := make(map[string]bool, len(names))
	for _, n := range names {
		if n != "" {
			seen[foldName(n)] = true
		}
	}
	used := make(map[string]bool, len(names))
	for i, n := range names {
		base := n
		if base == "" {
			base = "column_" + strconv.Itoa(i+1)
		}
		name := base
		if used[foldName(name)] || (n == "" && seen[foldName(name)]) {
			for k := 2; ; k++ {
				name = base + "_" + strconv.Itoa(k)
				if !used[foldName(name)] && !seen[foldName(name)] {
					break
				}
			}
		}
		used[foldName(name)] = true
		out[i] = name
	}
	return out
}

// collect reads at most limit rows and maxBytes of values from stmt.
// With a layout (see prepareBounded) cut values come from their preview
// column and end with CutMarker. Bytes are counted cell by cell (strings
// by length, numbers as 8) and reading stops at the first cell that
// passes maxBytes; that row is dropped.
func collect(ctx context.Context, stmt *sql.Stmt, limit, maxBytes int, lay *layout, s *scrubber) (*Result, error) {
	rows, err := stmt.QueryContext(ctx)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	cts, err := rows.ColumnTypes()
	if err != nil {
		return nil, err
	}
	n := len(cols)
	if lay != nil {
		n = len(lay.names)
		cols = lay.names
	}
	res := &Result{Columns: make([]string, n), Types: make([]string, n), Rows: [][]any{}}
	for i := range n {
		res.Columns[i] = s.clean(cols[i])
		res.Types[i] = cts[i].DatabaseTypeName()
	}
	vals := make([]any, len(cts))
	ptrs := make([]any, len(cts))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	size := 0
rows:
	for rows.Next() {
		if len(res.Rows) >= limit {
			res.Truncated, res.TruncatedReason = true, TruncatedRows
			break
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, &convertError{err}
		}
		row := make([]any, n)
		cut := 0
		for i := range n {
			if lay != nil && lay.preview[i] >= 0 {
				if p, ok := vals[lay.preview[i]].(string); ok {
					row[i] = s.clean(p) + CutMarker
					size += len(p) + 8
					cut++
					if size > maxBytes {
						res.Truncated, res.TruncatedReason = true, TruncatedBytes
						break rows
					}
					continue
				}
			}
			row[i] = cleanValue(jsonValue(vals[i], res.Types[i]), s)
			size += approxSize(row[i])
			if size > maxBytes {
				res.Truncated, res.TruncatedReason = true, TruncatedBytes
				break rows
			}
		}
		res.CutCells += int64(cut)
		res.Rows = append(res.Rows, row)
	}
	if err := rows.Err(); err != nil {
		return nil, asConvertError(err)
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	res.RowCount = int64(len(res.Rows))
	return res, nil
}

// cleanValue scrubs host paths from strings in a result: a setting or a
// catalog function can print the session's own file path.
func cleanValue(v any, s *scrubber) any {
	switch x := v.(type) {
	case string:
		return s.clean(x)
	case []any:
		for i := range x {
			x[i] = cleanValue(x[i], s)
		}
	case map[string]any:
		for k, e := range x {
			x[k] = cleanValue(e, s)
		}
	}
	return v
}

func approxSize(v any) int {
	switch x := v.(type) {
	case string:
		return len(x) + 8
	case []any:
		n := 8
		for _, e := range x {
			n += approxSize(e)
		}
		return n
	case map[string]any:
		n := 8
		for k, e := range x {
			n += len(k) + approxSize(e)
		}
		return n
	}
	return 8
}

// asConvertError marks an error of the driver's own (not DuckDB's, not the
// context's) while reading rows as a conversion failure.
func asConvertError(err error) error {
	var de *duckdb.Error
	if errors.As(err, &de) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return &convertError{err}
}

// convertError is a value the driver cannot turn into Go (a MAP with BLOB
// keys, say): the user can cast the column.
type convertError struct{ err error }

func (c *convertError) Error() string { return c.err.Error() }
func (c *convertError) Unwrap() error { return c.err }
