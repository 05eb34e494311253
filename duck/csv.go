package duck

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// csvRead is one attempt at reading a CSV. DuckDB's sniffer decides
// delimiter, quoting, header, preamble, comments and types; we only add
// what it cannot know.
type csvRead struct {
	path      string
	sampleAll bool // sniff types on the whole file, not a sample
	maxLine   int  // max_line_size in bytes; 0 keeps DuckDB's default
	noDates   bool // keep text columns as text (a date conversion failed)
	// ragged: the last attempt found rows with missing fields, so this one
	// reads the same dialect with null_padding.
	ragged bool
	// serial reads with parallel=false: DuckDB's parallel reader cannot
	// pad rows when a quoted field holds a newline.
	serial bool
	// Set by sniff: the dialect chosen, whether rows are padded, and
	// DuckDB's own read_csv call for it without its closing parenthesis
	// ("" when the reads sniff for themselves).
	dialect dialect
	padding bool
	sniffed string
	attempt int // names this attempt's rejects tables
	// firstRows reads the first rows in file order, as this attempt
	// typed them (see csvFirstRowsSQL).
	firstRows string
	// groupSkip: the header is two rows, group headings above the column
	// names (groupheader.go); the reads skip this many lines to start at
	// the second. 0 for a header of one row.
	groupSkip int64
	groups    []string // the group headings, for the skipped-lines note
}

// dialect is what sniff_csv found.
type dialect struct {
	columns int
	skip    int64    // preamble lines skipped above the header
	comment string   // comment character, "" for none
	quote   string   // quote character, "" for none
	prompt  string   // "read_csv(...": the explicit call, without ")"
	names   []string // column names, as DuckDB made them unique
}

const (
	// rejectsLimit bounds the rows DuckDB records per file (each keeps its
	// raw line in memory); rows beyond it are still skipped, and counted.
	rejectsLimit = 10000
	// lineSize1 is the max_line_size retry for files with huge fields
	// (MaxCSVLineBytes: longer lines are refused before DuckDB reads the
	// file, so a larger retry could not succeed). Not the first try: a big
	// limit grows DuckDB's buffers, and with them the time and memory of
	// every ingest.
	lineSize1      = MaxCSVLineBytes
	maxCSVAttempts = 6
	rejectSamples  = 5
)

func (r csvRead) rejectsTable() string { return "rejects_errors_" + itoa(int64(r.attempt)) }
func (r csvRead) rejectsScan() string  { return "rejects_scans_" + itoa(int64(r.attempt)) }

// source is the read_csv call. store_rejects skips rows DuckDB cannot
// parse or cast, records why, and keeps the rest.
func (r csvRead) source() string {
	return r.call(
		"store_rejects = true",
		"rejects_table = "+QuoteString(r.rejectsTable()),
		"rejects_scan = "+QuoteString(r.rejectsScan()),
		"rejects_limit = "+itoa(rejectsLimit),
	)
}

// sample reads like source but records no rejects: it is only looked at.
func (r csvRead) sample() string { return r.call("ignore_errors = true") }

func (r csvRead) call(extra ...string) string {
	base := r.sniffed
	if base == "" {
		base = "read_csv(" + strings.Join(r.options(r.padding), ", ")
	} else if r.padding && !strings.Contains(base, "null_padding=true") {
		extra = append([]string{"null_padding = true"}, extra...)
	}
	if r.serial {
		extra = append([]string{"parallel = false"}, extra...)
	}
	return base + ", " + strings.Join(extra, ", ") + ")"
}

// options shape what the sniffer finds (and a read that sniffs itself).
func (r csvRead) options(padding bool) []string {
	opts := []string{QuoteString(r.path)}
	if padding {
		opts = append(opts, "null_padding = true")
	}
	if r.sampleAll {
		opts = append(opts, "sample_size = -1")
	}
	if r.maxLine > 0 {
		opts = append(opts, "max_line_size = "+itoa(int64(r.maxLine)), "buffer_size = "+itoa(int64(2*r.maxLine)))
	}
	if r.groupSkip > 0 {
		opts = append(opts, "skip = "+itoa(r.groupSkip))
	}
	return opts
}

// sniff chooses the reader. First DuckDB's sniffer with its defaults, as
// DuckDB's own read_csv would read the file (preamble, comments, quoted
// newlines). If that finds a single column (DuckDB falls back to one
// column when rows have different numbers of fields) the sniffer runs
// again with null_padding, and its answer is taken when it finds more
// columns. After rows with missing fields the defaults' dialect is read
// with null_padding. Padding reads are serial when fields may be quoted.
//
// The read_csv call the sniffer reports (its "Prompt": dialect, header,
// column names and types, date formats) is kept: the reads that follow
// skip sniffing, which is slow on wide files and files with huge fields.
// If the prompt is not the expected shape, the reads sniff for themselves.
func (r *csvRead) sniff(ctx context.Context, db *sql.DB) error {
	d, err := r.sniffWith(ctx, db, false)
	padding := r.ragged
	if !r.ragged && (err != nil || d.columns <= 1) {
		p, perr := r.sniffWith(ctx, db, true)
		if perr == nil && (err != nil || p.columns > d.columns) {
			d, err, padding = p, nil, true
		}
	}
	if err != nil {
		return err
	}
	if r.groupSkip == 0 {
		if skip, groups := r.groupHeader(ctx, db, d); skip > 0 {
			r.groupSkip = skip
			if g, gerr := r.sniffWith(ctx, db, padding); gerr == nil && g.columns == d.columns && strings.Contains(g.prompt, "header=true") {
				d, r.groups = g, groups
			} else {
				r.groupSkip = 0
			}
		}
	}
	r.dialect, r.padding, r.sniffed = d, padding, d.prompt
	if padding && d.quote != "" {
		r.serial = true
	}
	if r.sniffed != "" {
		// The prompt does not escape quotes inside column names
		// (Customer's Name): when it does not parse, sniff on each read.
		if _, err := db.ExecContext(ctx, "DESCRIBE SELECT * FROM "+r.sample()); err != nil {
			r.sniffed = ""
		}
	}
	return nil
}

func (r csvRead) sniffWith(ctx context.Context, db *sql.DB, padding bool) (dialect, error) {
	var d dialect
	var prompt string
	var cols int64
	var names string
	err := db.QueryRowContext(ctx, "SELECT Prompt, len(Columns), SkipRows, Comment, Quote, "+
		"to_json(list_transform(Columns, c -> c.name))::VARCHAR FROM sniff_csv("+
		strings.Join(r.options(padding), ", ")+")").Scan(&prompt, &cols, &d.skip, &d.comment, &d.quote, &names)
	if err != nil {
		return d, err
	}
	if err := json.Unmarshal([]byte(names), &d.names); err != nil {
		return d, err
	}
	d.columns = int(cols)
	if d.comment == "(empty)" {
		d.comment = ""
	}
	if d.quote == "(empty)" {
		d.quote = ""
	}
	prompt = strings.TrimSpace(prompt)
	const head, tail = "FROM read_csv(", ");"
	if strings.HasPrefix(prompt, head) && strings.HasSuffix(prompt, tail) && strings.Contains(prompt, "auto_detect=false") {
		d.prompt = clockAsText(strings.TrimSuffix(strings.TrimPrefix(prompt, "FROM "), tail))
	}
	return d, nil
}

// rejectStats summarises one attempt's rejects table.
type rejectStats struct {
	rows     int64 // distinct rejected lines
	cast     int64 // lines rejected because a value did not fit the sniffed type
	missing  int64 // lines rejected because they had too few fields
	lineSize bool  // some line was longer than max_line_size
	samples  []Reject
}

// convertCSV writes out from the CSV at orig. A file that is not clean
// UTF-8 is first converted once (sn.encoding, invalid bytes replaced, NUL
// bytes removed). Retries cover what an attempt teaches: rows with
// missing fields (read again with null_padding), many values that do not
// fit the sampled types (whole-file type sniff), huge fields (a bigger
// line limit), a date format that stops matching (text), and padding
// with quoted newlines (serial reader).
func (e *Engine) convertCSV(ctx context.Context, db *sql.DB, dir, orig, out string, sn sniffed) (conversion, error) {
	text := conversion{encoding: sn.encoding}
	path := orig
	lines := sn.scan.lines
	if sn.scan.needsConversion(sn.encoding) {
		path = filepath.Join(dir, tempName, "utf8.csv")
		t0 := time.Now()
		tc, err := transcode(ctx, orig, path, sn.encoding)
		if err != nil {
			return conversion{}, err
		}
		e.log.Debug("duck: csv converted to utf-8", "from", tc.encoding, "replaced", tc.replaced, "nul", tc.nul, "took", time.Since(t0))
		text.encoding, text.replaced, text.nul = tc.encoding, tc.replaced, tc.nul
		lines = tc.lines
	}
	r := csvRead{path: path}
	if lines.long {
		r.maxLine = lineSize1
	}
	var last error
	var done *conversion // the last attempt that produced a file
	for r.attempt = 1; r.attempt <= maxCSVAttempts; r.attempt++ {
		_ = os.Remove(out)
		done = nil
		t0 := time.Now()
		rows, rej, err := copyCSV(ctx, db, &r, out)
		e.log.Debug("duck: csv attempt", "attempt", r.attempt, "padding", r.padding, "serial", r.serial,
			"sample_all", r.sampleAll, "max_line", r.maxLine, "no_dates", r.noDates, "rows", rows,
			"rejected", rej.rows, "took", time.Since(t0), "err", err)
		if err != nil {
			if ctx.Err() != nil {
				return conversion{}, err
			}
			last = err
			switch {
			case !r.noDates && isDateConversionError(err):
				r.noDates = true
				continue
			case r.maxLine < lineSize1 && isLineSizeError(err):
				r.maxLine = lineSize1
				continue
			case !r.serial && isPaddingNewlineError(err):
				r.serial = true
				continue
			}
			return conversion{}, err
		}
		c := text
		c.rejected, c.rejects, c.padded = rej.rows, rej.samples, r.padding
		c.firstRows = r.firstRows
		c.skipped = skippedLines(r.dialect, &lines, r.groupSkip > 0, r.groups)
		done = &c
		if r.attempt == maxCSVAttempts {
			break
		}
		switch {
		case rej.missing > 0 && !r.padding:
			r.ragged = true
			continue
		case rej.lineSize && r.maxLine < lineSize1:
			r.maxLine = lineSize1
			continue
		case !r.sampleAll && rej.cast > 0 && rej.cast*100 > rows+rej.rows:
			// Over 1% of lines do not fit: the sample guessed the types
			// wrong (numbers first, text later), these are not bad rows.
			r.sampleAll = true
			continue
		}
		return *done, nil
	}
	if done != nil {
		return *done, nil
	}
	return conversion{}, last
}

// skippedLines says which lines DuckDB's reader left out as it was told
// by the sniffer: the preamble above the header (DuckDB's skip counts
// lines that are not comments), and comment lines, wherever they are.
func skippedLines(d dialect, lines *lineCounter, grouped bool, groups []string) []Skip {
	var comments []int64 // first line numbers of comment lines
	var n int64
	if d.comment != "" {
		for i, ch := range commentChars {
			if ch == d.comment[0] {
				comments, n = lines.commentAt[i], lines.comment[i]
			}
		}
	}
	var out []Skip
	first := int64(1)
	for _, l := range comments {
		if l == first {
			first++
		}
	}
	pre := d.skip
	if grouped {
		pre-- // the group headings' line is told apart below
	}
	if pre > 0 {
		out = append(out, Skip{Kind: SkipPreamble, Lines: pre, FirstLine: first,
			Reason: plural(pre, "line") + " above the header, not part of the table"})
	}
	if grouped {
		out = append(out, Skip{Kind: SkipGroupHeader, Lines: 1, FirstLine: first + pre,
			Reason: "a first header row of group headings (" + strings.Join(groups, ", ") + ") above the column names"})
	}
	if n > 0 {
		out = append(out, Skip{Kind: SkipComment, Lines: n, FirstLine: comments[0],
			Reason: plural(n, "comment line") + " starting with " + d.comment})
	}
	return out
}

// copyCSV is the one pass: sniff (DESCRIBE), then COPY to zstd Parquet,
// then read the rejects table.
func copyCSV(ctx context.Context, db *sql.DB, r *csvRead, out string) (int64, rejectStats, error) {
	if err := r.sniff(ctx, db); err != nil {
		return 0, rejectStats{}, err
	}
	src := r.source()
	cols, err := describe(ctx, db, "SELECT * FROM "+src)
	if err != nil {
		return 0, rejectStats{}, err
	}
	var conv map[int]dateConversion
	if !r.noDates {
		if conv, err = detectDates(ctx, db, r.sample(), cols); err != nil {
			return 0, rejectStats{}, err
		}
	}
	var rows int64
	proj := projection(cols, conv)
	r.firstRows = csvFirstRowsSQL(*r, proj)
	q := "COPY (SELECT " + proj + " FROM " + src + ") TO " + QuoteString(out) +
		" (FORMAT parquet, COMPRESSION zstd)"
	if err := db.QueryRowContext(ctx, q).Scan(&rows); err != nil {
		return 0, rejectStats{}, err
	}
	rej, err := readRejects(ctx, db, r.rejectsTable())
	return rows, rej, err
}

func readRejects(ctx context.Context, db *sql.DB, table string) (rejectStats, error) {
	var st rejectStats
	t := QuoteIdent(table)
	err := db.QueryRowContext(ctx, `SELECT
		count(DISTINCT (file_id, line)),
		count(DISTINCT (file_id, line)) FILTER (WHERE error_type = 'CAST'),
		count(DISTINCT (file_id, line)) FILTER (WHERE error_type = 'MISSING COLUMNS'),
		count(*) FILTER (WHERE error_type = 'LINE SIZE OVER MAXIMUM') > 0
		FROM `+t).Scan(&st.rows, &st.cast, &st.missing, &st.lineSize)
	if err != nil {
		return st, err
	}
	// A line can fail several ways; show each line once, its first error.
	rows, err := db.QueryContext(ctx, `SELECT line,
		coalesce(arg_min(column_name, byte_position), ''), arg_min(error_type::VARCHAR, byte_position),
		arg_min(error_message, byte_position)
		FROM `+t+` GROUP BY line ORDER BY line LIMIT `+itoa(rejectSamples))
	if err != nil {
		return st, err
	}
	defer rows.Close()
	for rows.Next() {
		var rj Reject
		var kind, msg string
		if err := rows.Scan(&rj.Line, &rj.Column, &kind, &msg); err != nil {
			return st, err
		}
		rj.Error = rejectText(kind, rj.Column, msg)
		st.samples = append(st.samples, rj)
	}
	return st, rows.Err()
}

func isLineSizeError(err error) bool {
	var de *duckdb.Error
	return errors.As(err, &de) && strings.Contains(strings.ToLower(de.Msg), "maximum line size")
}

func isPaddingNewlineError(err error) bool {
	var de *duckdb.Error
	return errors.As(err, &de) && strings.Contains(de.Msg, "null_padding in conjunction with quoted new lines")
}

// timeTypeRe is a column typed TIME in the sniffer's columns={...}.
var timeTypeRe = regexp.MustCompile(`(': )'TIME'([,}])`)

// clockAsText keeps columns the sniffer types TIME as the text they are:
// "4:25" in a track list is four minutes and a half, not 04:25:00, and a
// TIME column computes nothing the analysts use. The profile reads such
// text as durations (Reading.Duration), in the same order as the times
// of day they may also be.
func clockAsText(prompt string) string {
	return timeTypeRe.ReplaceAllString(prompt, "$1'VARCHAR'$2")
}
