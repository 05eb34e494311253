package duck

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/analyzerhq/analyzer/apperr"
)

// CutMarker ends every value of a result that was cut to MaxCellBytes;
// Result.CutCells counts them.
const CutMarker = "…"

// layout says how the columns of a bounded statement map to the result:
// the first len(names) columns are the values (NULL where cut), and
// preview[i] >= 0 is the column holding column i's cut text (NULL where
// the value was whole).
type layout struct {
	names   []string // from DuckDB, before the wrapper renamed them
	preview []int
}

// fixedSize lists the types whose values are small whatever they hold;
// every other type (VARCHAR, BLOB, JSON, BIT, BIGNUM, LIST, STRUCT, MAP,
// ARRAY, UNION, VARIANT, GEOMETRY, ...) is measured and cut in SQL.
var fixedSize = map[duckdb.Type]bool{
	duckdb.TYPE_BOOLEAN: true, duckdb.TYPE_TINYINT: true, duckdb.TYPE_SMALLINT: true,
	duckdb.TYPE_INTEGER: true, duckdb.TYPE_BIGINT: true, duckdb.TYPE_UTINYINT: true,
	duckdb.TYPE_USMALLINT: true, duckdb.TYPE_UINTEGER: true, duckdb.TYPE_UBIGINT: true,
	duckdb.TYPE_HUGEINT: true, duckdb.TYPE_UHUGEINT: true, duckdb.TYPE_FLOAT: true,
	duckdb.TYPE_DOUBLE: true, duckdb.TYPE_DECIMAL: true, duckdb.TYPE_DATE: true,
	duckdb.TYPE_TIME: true, duckdb.TYPE_TIME_TZ: true, duckdb.TYPE_TIMESTAMP: true,
	duckdb.TYPE_TIMESTAMP_S: true, duckdb.TYPE_TIMESTAMP_MS: true, duckdb.TYPE_TIMESTAMP_NS: true,
	duckdb.TYPE_TIMESTAMP_TZ: true, duckdb.TYPE_INTERVAL: true, duckdb.TYPE_UUID: true,
	duckdb.TYPE_ENUM: true, duckdb.TYPE_SQLNULL: true,
}

// columnsOf prepares q on conn (running nothing) and returns its column
// names and types.
func columnsOf(ctx context.Context, conn *sql.Conn, q string) ([]string, []duckdb.Type, error) {
	var names []string
	var types []duckdb.Type
	err := withPrepared(ctx, conn, q, func(s *duckdb.Stmt) error {
		n, err := s.ColumnCount()
		if err != nil {
			return err
		}
		for i := range n {
			name, err := s.ColumnName(i)
			if err != nil {
				return err
			}
			t, err := s.ColumnType(i)
			if err != nil {
				return err
			}
			names = append(names, name)
			types = append(types, t)
		}
		return nil
	})
	return names, types, err
}

// prepareBounded prepares capped (a statement that already stops after
// the rows we keep) nested in a projection that cuts every value of a
// variable-size type to the cell limit, by position (#i), so that no value
// longer than the limit is ever turned into a Go string:
//
//	text:  CASE WHEN strlen(#i) <= L THEN #i END, and as preview
//	       CASE WHEN strlen(#i) > L THEN left(#i, L) END
//	other: the same on #i::VARCHAR for the preview; the value itself is
//	       kept as #i (same type) when its text fits, else NULL
//
// left() counts characters, so a cut that still has more than L bytes is
// cut again to L/4 characters. L is MaxCellBytes, or less when the columns
// are many: one row never holds more than MaxResultBytes.
func (e *Engine) prepareBounded(ctx context.Context, conn *sql.Conn, capped string) (*sql.Stmt, *layout, error) {
	names, types, err := columnsOf(ctx, conn, capped)
	if err != nil {
		return nil, nil, err
	}
	lay := &layout{names: names, preview: make([]int, len(names))}
	limit := e.cellLimit(len(names))
	l := itoa(int64(limit))
	cut := func(x string) string {
		return "CASE WHEN strlen(left(" + x + ", " + l + ")) <= " + l + " THEN left(" + x + ", " + l + ") ELSE left(" + x + ", " + itoa(int64(limit/4)) + ") END"
	}
	var vals, previews []string
	for i, t := range types {
		ref := "#" + itoa(int64(i+1))
		out := "c" + itoa(int64(i+1))
		lay.preview[i] = -1
		if fixedSize[t] {
			vals = append(vals, ref+" AS "+out)
			continue
		}
		text := ref
		if t != duckdb.TYPE_VARCHAR {
			text = "CAST(" + ref + " AS VARCHAR)"
		}
		vals = append(vals, "CASE WHEN strlen("+text+") <= "+l+" THEN "+ref+" END AS "+out)
		lay.preview[i] = len(names) + len(previews)
		previews = append(previews, "CASE WHEN strlen("+text+") > "+l+" THEN "+cut(text)+" END AS p"+itoa(int64(i+1)))
	}
	if len(previews) == 0 {
		stmt, err := conn.PrepareContext(ctx, capped)
		return stmt, lay, err
	}
	q := "SELECT " + strings.Join(append(vals, previews...), ", ") + " FROM (\n" + capped + "\n)"
	stmt, err := conn.PrepareContext(ctx, q)
	if err != nil {
		return nil, nil, err
	}
	return stmt, lay, nil
}

// cellLimit is the byte limit of one cell in a result of n columns.
func (e *Engine) cellLimit(n int) int {
	l := e.cfg.MaxCellBytes
	if n > 0 {
		// Room for the marker and the per-cell count of collect.
		l = min(l, e.cfg.MaxResultBytes/n-16)
	}
	return max(l, 64)
}

// errUnbounded refuses a SELECT whose result cannot be bounded.
var errUnbounded = apperr.New(apperr.Invalid, "this statement cannot be run with a bounded result size; write it as a plain SELECT (a PRAGMA x(...) as SELECT * FROM pragma_x(...))")

// cappedQuery is text nested in "SELECT * FROM (...) LIMIT n+1".
func cappedQuery(text string, limit int) string {
	return "SELECT * FROM (\n" + trimStatement(text) + "\n) LIMIT " + strconv.Itoa(limit+1)
}
