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
// text columns of a sample and converts a column when exactly one of the
// ingest formats reads every sampled value; when two do (01/02/2024 is
// either day or month first) the column stays text rather than be misread.
// The profile then looks again (detectTextColumns): a text column is
// temporal when one format of DateFormats reads at least TextParseShare of
// its sampled values, the first such format in the list winning.

// DateFormat is one strptime format dates may be written in.
type DateFormat struct {
	Format string
	// Timestamp: the format has a time of day (the value is a TIMESTAMP,
	// else a DATE).
	Timestamp bool
	// Ingest: the CSV ingest converts a column written in it. Formats
	// too loose to convert on their own (two-digit years, months without
	// a day) are only recognised by the profile.
	Ingest bool
}

// DateFormats is the one list of date formats, in order of preference when
// several read a column (month-first before day-first).
var DateFormats = []DateFormat{
	{"%Y-%m-%d", false, true}, {"%Y/%m/%d", false, true}, {"%m/%d/%Y", false, true}, {"%d/%m/%Y", false, true},
	{"%d.%m.%Y", false, true}, {"%d-%m-%Y", false, true}, {"%m-%d-%Y", false, true},
	{"%d %b %Y", false, true}, {"%b %d %Y", false, true}, {"%b %d, %Y", false, true}, {"%d-%b-%Y", false, true},
	{"%d %B %Y", false, true}, {"%B %d, %Y", false, true}, {"%B %d %Y", false, true},
	{"%Y-%m-%d %H:%M:%S", true, true}, {"%Y-%m-%dT%H:%M:%S", true, true}, {"%Y-%m-%d %H:%M", true, true},
	{"%Y-%m-%dT%H:%M", true, true}, {"%Y-%m-%d %H:%M:%S.%f", true, true}, {"%Y-%m-%dT%H:%M:%S.%f", true, true},
	{"%Y-%m-%dT%H:%M:%SZ", true, true}, {"%Y-%m-%dT%H:%M:%S.%fZ", true, true},
	{"%m/%d/%Y %H:%M:%S", true, true}, {"%m/%d/%Y %H:%M", true, true}, {"%d/%m/%Y %H:%M:%S", true, true},
	{"%d/%m/%Y %H:%M", true, true}, {"%d.%m.%Y %H:%M:%S", true, true}, {"%d.%m.%Y %H:%M", true, true},
	{"%m/%d/%Y %I:%M:%S %p", true, true}, {"%m/%d/%Y %I:%M %p", true, true},
	{"%m/%d/%y", false, false}, {"%d/%m/%y", false, false}, {"%Y-%m", false, false}, {"%b %Y", false, false}, {"%B %Y", false, false},
}

// TextParseShare is the share of a text column's sampled non-empty values
// that must read as dates (or as numbers) for the profile to call it
// temporal (or numeric).
const TextParseShare = 0.9

// ingestFormats are the formats the CSV ingest converts.
func ingestFormats() []DateFormat {
	var out []DateFormat
	for _, f := range DateFormats {
		if f.Ingest {
			out = append(out, f)
		}
	}
	return out
}

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
	parsed := "try_strptime(" + ref + ", " + QuoteString(d.format) + ")"
	if d.typ == "DATE" {
		parsed += "::DATE"
	}
	return "CASE WHEN " + ref + " IS NULL THEN NULL ELSE coalesce(" + parsed + ", error(" + QuoteString(dateErrTag) + ")) END"
}

// detectDates runs in two steps because try_strptime is slow when it
// fails: every format on the first rows, then only the formats that read
// all of those on the whole sample.
func detectDates(ctx context.Context, db *sql.DB, sample string, cols []Column) (map[int]dateConversion, error) {
	formats := ingestFormats()
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
		d := dateConversion{format: formats[fs[0]].Format, typ: "DATE"}
		if formats[fs[0]].Timestamp {
			d.typ = "TIMESTAMP"
		}
		out[i] = d
	}
	return out, nil
}

// dateCandidates keeps, for each column, the formats that read every
// non-null value of the first rows rows.
func dateCandidates(ctx context.Context, db *sql.DB, sample string, rows int, formats []DateFormat, cand map[int][]int) (map[int][]int, error) {
	type slot struct{ col, format int }
	var exprs []string
	var slots []slot
	for i, fs := range cand {
		ref := "#" + itoa(int64(i+1))
		exprs = append(exprs, "count("+ref+")")
		slots = append(slots, slot{i, -1})
		for _, f := range fs {
			exprs = append(exprs, "count(try_strptime("+ref+", "+QuoteString(formats[f].Format)+"))")
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
