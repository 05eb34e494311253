package duck

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// csvRead is one attempt at reading a CSV. The sniffer decides delimiter,
// quoting, header and types; we only add what it cannot know.
type csvRead struct {
	path      string
	encoding  string
	sampleAll bool // sniff types on the whole file, not a sample
	maxLine   int  // max_line_size in bytes; 0 keeps DuckDB's default
	noDates   bool // keep text columns as text (a date conversion failed)
	// sniffed is DuckDB's own read_csv call for what sniff_csv detected,
	// without its closing parenthesis; "" until sniffed.
	sniffed string
	attempt int // names this attempt's rejects tables
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

// source is the read_csv call. null_padding reads ragged rows (missing
// trailing fields become NULL); store_rejects skips rows DuckDB cannot
// parse or cast, records why, and keeps the rest.
func (r csvRead) source() string {
	return r.call(
		"store_rejects = true",
		"rejects_table = "+sqlString(r.rejectsTable()),
		"rejects_scan = "+sqlString(r.rejectsScan()),
		"rejects_limit = "+itoa(rejectsLimit),
	)
}

// sample reads like source but records no rejects: it is only looked at.
func (r csvRead) sample() string { return r.call("ignore_errors = true") }

func (r csvRead) call(extra ...string) string {
	if r.sniffed != "" {
		return r.sniffed + ", " + strings.Join(extra, ", ") + ")"
	}
	return r.sniffCall("read_csv", extra...)
}

// sniffCall is fn (read_csv or sniff_csv) with the options that shape
// what the sniffer finds.
func (r csvRead) sniffCall(fn string, extra ...string) string {
	opts := append([]string{sqlString(r.path), "null_padding = true"}, extra...)
	if r.encoding != encUTF8 {
		opts = append(opts, "encoding = "+sqlString(r.encoding))
	}
	if r.sampleAll {
		opts = append(opts, "sample_size = -1")
	}
	if r.maxLine > 0 {
		opts = append(opts, "max_line_size = "+itoa(int64(r.maxLine)), "buffer_size = "+itoa(int64(2*r.maxLine)))
	}
	return fn + "(" + strings.Join(opts, ", ") + ")"
}

// sniff runs DuckDB's sniffer once and keeps the explicit read_csv call it
// reports (its "Prompt": dialect, header, column names and types, date
// formats, our options). The reads that follow skip sniffing, which is
// slow on wide files and files with huge fields. If the prompt is not
// the expected shape, the reads sniff for themselves.
func (r *csvRead) sniff(ctx context.Context, db *sql.DB) error {
	var prompt string
	if err := db.QueryRowContext(ctx, "SELECT Prompt FROM "+r.sniffCall("sniff_csv")).Scan(&prompt); err != nil {
		return err
	}
	prompt = strings.TrimSpace(prompt)
	const head, tail = "FROM read_csv(", ");"
	if strings.HasPrefix(prompt, head) && strings.HasSuffix(prompt, tail) && strings.Contains(prompt, "auto_detect=false") {
		r.sniffed = strings.TrimSuffix(strings.TrimPrefix(prompt, "FROM "), tail)
		// The prompt does not escape quotes inside column names
		// (Customer's Name): when it does not parse, sniff on each read.
		if _, err := db.ExecContext(ctx, "DESCRIBE SELECT * FROM "+r.sample()); err != nil {
			r.sniffed = ""
		}
	}
	return nil
}

// rejectStats summarises one attempt's rejects table.
type rejectStats struct {
	rows     int64 // distinct rejected lines
	encoding bool  // some line was not valid in the encoding used
	cast     int64 // lines rejected because a value did not fit the sniffed type
	lineSize bool  // some line was longer than max_line_size
	samples  []Reject
}

// convertCSV writes out from the CSV at orig, retrying with what the first
// attempt taught: Latin-1 when UTF-8 fails, a whole-file type sniff when
// many values do not fit the sampled types, a bigger line limit for huge
// fields.
func (e *Engine) convertCSV(ctx context.Context, db *sql.DB, dir, orig, out string, sn sniffed) (conversion, error) {
	enc := sn.encoding
	path := orig
	if enc == encUTF16BE {
		// DuckDB reads UTF-16 little-endian only; transcode to UTF-8.
		path = filepath.Join(dir, tempName, "utf8.csv")
		if err := transcodeUTF16BE(orig, path); err != nil {
			return conversion{}, err
		}
		enc = encUTF8
	}
	r := csvRead{path: path, encoding: enc}
	if sn.longLines {
		r.maxLine = lineSize1
	}
	var last error
	var done *conversion // the last attempt that produced a file
	for r.attempt = 1; r.attempt <= maxCSVAttempts; r.attempt++ {
		_ = os.Remove(out)
		done = nil
		t0 := time.Now()
		rows, rej, err := copyCSV(ctx, db, r, out)
		e.log.Debug("duck: csv attempt", "attempt", r.attempt, "encoding", r.encoding, "sample_all", r.sampleAll,
			"max_line", r.maxLine, "no_dates", r.noDates, "rows", rows, "rejected", rej.rows, "took", time.Since(t0), "err", err)
		if err != nil {
			if ctx.Err() != nil {
				return conversion{}, err
			}
			last = err
			switch {
			case !r.noDates && isDateConversionError(err):
				r.noDates = true
				continue
			case r.encoding == encUTF8 && isEncodingError(err):
				r.encoding = encLatin1
				continue
			case r.maxLine < lineSize1 && isLineSizeError(err):
				r.maxLine = lineSize1
				continue
			}
			return conversion{}, err
		}
		done = &conversion{rejected: rej.rows, rejects: rej.samples}
		if r.attempt == maxCSVAttempts {
			break
		}
		switch {
		case rej.encoding && r.encoding == encUTF8:
			r.encoding = encLatin1
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

// copyCSV is the one pass: sniff (DESCRIBE), then COPY to zstd Parquet,
// then read the rejects table.
func copyCSV(ctx context.Context, db *sql.DB, r csvRead, out string) (int64, rejectStats, error) {
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
	q := "COPY (SELECT " + projection(cols, conv) + " FROM " + src + ") TO " + sqlString(out) +
		" (FORMAT parquet, COMPRESSION zstd)"
	if err := db.QueryRowContext(ctx, q).Scan(&rows); err != nil {
		return 0, rejectStats{}, err
	}
	rej, err := readRejects(ctx, db, r.rejectsTable())
	return rows, rej, err
}

func readRejects(ctx context.Context, db *sql.DB, table string) (rejectStats, error) {
	var st rejectStats
	t := sqlIdent(table)
	err := db.QueryRowContext(ctx, `SELECT
		count(DISTINCT (file_id, line)),
		count(*) FILTER (WHERE error_type = 'INVALID ENCODING') > 0,
		count(DISTINCT (file_id, line)) FILTER (WHERE error_type = 'CAST'),
		count(*) FILTER (WHERE error_type = 'LINE SIZE OVER MAXIMUM') > 0
		FROM `+t).Scan(&st.rows, &st.encoding, &st.cast, &st.lineSize)
	if err != nil {
		return st, err
	}
	// A line can fail several ways; show each line once, its first error.
	rows, err := db.QueryContext(ctx, `SELECT line,
		coalesce(arg_min(column_name, byte_position), ''), arg_min(error_message, byte_position)
		FROM `+t+` GROUP BY line ORDER BY line LIMIT `+itoa(rejectSamples))
	if err != nil {
		return st, err
	}
	defer rows.Close()
	for rows.Next() {
		var rj Reject
		var msg string
		if err := rows.Scan(&rj.Line, &rj.Column, &msg); err != nil {
			return st, err
		}
		rj.Error = plainMessage(msg)
		st.samples = append(st.samples, rj)
	}
	return st, rows.Err()
}

func isEncodingError(err error) bool {
	var de *duckdb.Error
	return errors.As(err, &de) && (strings.Contains(de.Msg, "Invalid unicode") || strings.Contains(de.Msg, "not utf-8 encoded"))
}

func isLineSizeError(err error) bool {
	var de *duckdb.Error
	return errors.As(err, &de) && strings.Contains(strings.ToLower(de.Msg), "maximum line size")
}

// transcodeUTF16BE streams a big-endian UTF-16 file (BOM optional) into
// UTF-8. Unpaired surrogates become U+FFFD.
func transcodeUTF16BE(src, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return err
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	br := bufio.NewReaderSize(in, 1<<20)
	bw := bufio.NewWriterSize(out, 1<<20)
	var pair [2]byte
	var high rune = -1
	first := true
	var buf [utf8.UTFMax]byte
	for {
		if _, err = io.ReadFull(br, pair[:]); err != nil {
			break
		}
		u := rune(pair[0])<<8 | rune(pair[1])
		if first {
			first = false
			if u == 0xfeff {
				continue
			}
		}
		var r rune
		switch {
		case high >= 0 && utf16.IsSurrogate(u) && u >= 0xdc00:
			r = utf16.DecodeRune(high, u)
			high = -1
		case utf16.IsSurrogate(u) && u < 0xdc00:
			if high >= 0 {
				bw.WriteRune(utf8.RuneError)
			}
			high = u
			continue
		default:
			if high >= 0 {
				bw.WriteRune(utf8.RuneError)
				high = -1
			}
			r = u
		}
		n := utf8.EncodeRune(buf[:], r)
		bw.Write(buf[:n])
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		err = nil
	}
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}
