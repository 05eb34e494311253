package duck

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// DuckDB's sniffer applies one date format to a whole file, so a file with
// ISO dates in one column and 01/15/2024 in another keeps the second as
// text, and day-first dates are never recognised. detectDates looks at the
// text columns of a sample and converts a column when exactly one of these
// formats reads every sampled value; when two do (01/02/2024 is either
// day or month first) the column stays text rather than be misread.
var (
	dateFormats = []string{
		"%Y-%m-%d", "%Y/%m/%d", "%m/%d/%Y", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%m-%d-%Y",
		"%d %b %Y", "%b %d %Y", "%b %d, %Y", "%d-%b-%Y", "%d %B %Y", "%B %d, %Y", "%B %d %Y",
	}
	timestampFormats = []string{
		"%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M",
		"%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S.%fZ",
		"%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M",
		"%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p",
	}
)

const (
	dateSampleRows    = 20000
	datePrefilterRows = 100
	// maxDateColumns bounds the detection query of very wide files.
	maxDateColumns = 200
	// dateErrTag marks the error a converted column raises when a value
	// past the sample does not parse: the conversion is then dropped.
	dateErrTag = "duck-date-conversion"
)

// dateConversion turns one text column into DATE or TIMESTAMP.
type dateConversion struct {
	format string
	typ    string // DATE or TIMESTAMP
}

// expr converts column ref; a value that does not parse fails the whole
// statement, so nothing is silently turned into NULL.
func (d dateConversion) expr(ref string) string {
	parsed := "try_strptime(" + ref + ", " + sqlString(d.format) + ")"
	if d.typ == "DATE" {
		parsed += "::DATE"
	}
	return "CASE WHEN " + ref + " IS NULL THEN NULL ELSE coalesce(" + parsed + ", error(" + sqlString(dateErrTag) + ")) END"
}

// detectDates runs in two steps because try_strptime is slow when it
// fails: every format on the first rows, then only the formats that read
// all of those on the whole sample.
func detectDates(ctx context.Context, db *sql.DB, sample string, cols []Column) (map[int]dateConversion, error) {
	formats := append(append([]string{}, dateFormats...), timestampFormats...)
	cand := map[int][]int{}
	for i, c := range cols {
		if c.Type == "VARCHAR" && len(cand) < maxDateColumns {
			cand[i] = make([]int, len(formats))
			for f := range formats {
				cand[i][f] = f
			}
		}
	}
	for _, rows := range []int{datePrefilterRows, dateSampleRows} {
		if len(cand) == 0 {
			return nil, nil
		}
		var err error
		if cand, err = dateCandidates(ctx, db, sample, rows, formats, cand); err != nil {
			return nil, err
		}
	}
	out := map[int]dateConversion{}
	for i, fs := range cand {
		if len(fs) != 1 {
			continue // none, or ambiguous
		}
		d := dateConversion{format: formats[fs[0]], typ: "DATE"}
		if fs[0] >= len(dateFormats) {
			d.typ = "TIMESTAMP"
		}
		out[i] = d
	}
	return out, nil
}

// dateCandidates keeps, for each column, the formats that read every
// non-null value of the first rows rows.
func dateCandidates(ctx context.Context, db *sql.DB, sample string, rows int, formats []string, cand map[int][]int) (map[int][]int, error) {
	type slot struct{ col, format int }
	var exprs []string
	var slots []slot
	for i, fs := range cand {
		ref := "#" + itoa(int64(i+1))
		exprs = append(exprs, "count("+ref+")")
		slots = append(slots, slot{i, -1})
		for _, f := range fs {
			exprs = append(exprs, "count(try_strptime("+ref+", "+sqlString(formats[f])+"))")
			slots = append(slots, slot{i, f})
		}
	}
	vals := make([]int64, len(exprs))
	ptrs := make([]any, len(exprs))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	q := "SELECT " + strings.Join(exprs, ", ") + " FROM (SELECT * FROM " + sample + " LIMIT " + itoa(int64(rows)) + ")"
	if err := db.QueryRowContext(ctx, q).Scan(ptrs...); err != nil {
		return nil, err
	}
	out := map[int][]int{}
	var nonNull int64
	for k, s := range slots {
		if s.format < 0 {
			nonNull = vals[k]
			continue
		}
		if nonNull > 0 && vals[k] == nonNull {
			out[s.col] = append(out[s.col], s.format)
		}
	}
	return out, nil
}

func isDateConversionError(err error) bool {
	var de *duckdb.Error
	return errors.As(err, &de) && strings.Contains(de.Msg, dateErrTag)
}
