package duck

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"
	"github.com/google/uuid"

	"github.com/analyzerhq/analyzer/apperr"
)

// ExportFormat is a file format a result or a dataset can be exported as.
type ExportFormat string

const (
	ExportCSV     ExportFormat = "csv"
	ExportParquet ExportFormat = "parquet"
	// ExportJSON is one JSON array of row objects.
	ExportJSON ExportFormat = "json"
)

// ParseExportFormat reads a format name; an unknown one is Invalid.
func ParseExportFormat(s string) (ExportFormat, error) {
	switch f := ExportFormat(strings.ToLower(strings.TrimSpace(s))); f {
	case ExportCSV, ExportParquet, ExportJSON:
		return f, nil
	}
	return "", apperr.Newf(apperr.Invalid, "unknown export format %q: use csv, parquet or json", s)
}

// copyOptions is DuckDB's COPY option list for the format.
func (f ExportFormat) copyOptions() string {
	switch f {
	case ExportParquet:
		return "FORMAT parquet, COMPRESSION zstd"
	case ExportJSON:
		return "FORMAT json, ARRAY true"
	default:
		return "FORMAT csv, HEADER true"
	}
}

// ExportOptions bound one export.
type ExportOptions struct {
	Format ExportFormat
	// MaxRows is the most rows an export may have; a result with more is
	// refused (TooLarge) rather than cut, so that no file silently lacks
	// rows. 0 means no limit.
	MaxRows int64
	// Timeout bounds the query that writes the file; 0 takes QueryTimeout.
	Timeout time.Duration
}

// ExportFile is a finished export: an open file to stream, its size and
// row count. Close closes it and removes it from the disk.
type ExportFile struct {
	*os.File
	Size int64
	Rows int64
	// temporary files are removed on Close; the dataset's own Parquet copy
	// is not.
	temporary bool
}

// Close closes the file and removes a temporary one.
func (f *ExportFile) Close() error {
	err := f.File.Close()
	if f.temporary {
		if rerr := os.Remove(f.Name()); rerr != nil && !errors.Is(rerr, os.ErrNotExist) {
			err = errors.Join(err, rerr)
		}
	}
	return err
}

// Export runs untrusted SQL (one read-only statement over the view `data`)
// in the session's sandbox and writes its whole result in opts.Format to a
// temporary file in the session's directory, which the caller streams and
// closes. DuckDB writes the file itself (COPY): rows stream from the query
// to the disk, and memory stays within the query's share whatever the size
// of the result. The instance may write that one file and read the data,
// nothing else; it is closed afterwards like any query's.
func (e *Engine) Export(ctx context.Context, sessionID, text string, opts ExportOptions) (*ExportFile, error) {
	if _, err := e.sessionDir(sessionID); err != nil {
		return nil, err
	}
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, apperr.New(apperr.Invalid, "the query is empty")
	}
	if len(text) > e.cfg.MaxQueryBytes {
		return nil, apperr.Newf(apperr.TooLarge, "the query is longer than %d bytes", e.cfg.MaxQueryBytes)
	}
	if err := e.oneStatement(text); err != nil {
		return nil, err
	}
	return e.export(ctx, sessionID, text, opts)
}

// ExportData exports the session's dataset: its primary table (the view
// `data`) in its current version. As Parquet it is the stored typed copy
// itself, whatever its size; as CSV or JSON it is converted like a
// query's result, within opts.MaxRows.
func (e *Engine) ExportData(ctx context.Context, sessionID string, opts ExportOptions) (*ExportFile, error) {
	if opts.Format != ExportParquet {
		return e.export(ctx, sessionID, "SELECT * FROM data", opts)
	}
	dir, err := e.primaryDir(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(filepath.Join(dir, parquetName))
	if errors.Is(err, os.ErrNotExist) {
		return nil, apperr.New(apperr.NotFound, "this session has no data")
	}
	if err != nil {
		return nil, apperr.Wrap(apperr.Internal, "internal error", err)
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, apperr.Wrap(apperr.Internal, "internal error", err)
	}
	return &ExportFile{File: f, Size: info.Size(), Rows: -1}, nil
}

func (e *Engine) export(ctx context.Context, sessionID, text string, opts ExportOptions) (*ExportFile, error) {
	dir, err := e.sessionDir(sessionID)
	if err != nil {
		return nil, err
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = e.cfg.QueryTimeout
	}
	b, release, err := e.acquire(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	defer release()
	qctx, cancel := b.queryContext(ctx, timeout)
	defer cancel()

	// The name ends in .tmp: a crash leaves a file the start-up
	// reconciliation removes.
	out := filepath.Join(dir, "export-"+uuid.NewString()+"."+string(opts.Format)+".tmp")
	rows, err := e.copyUntrusted(qctx, b, text, out, opts)
	if err != nil {
		_ = os.Remove(out)
		return nil, queryError(err, context.Cause(qctx), b.scrub, timeout)
	}
	f, err := os.Open(out)
	if err != nil {
		_ = os.Remove(out)
		return nil, apperr.Wrap(apperr.Internal, "internal error", err)
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		_ = os.Remove(out)
		return nil, apperr.Wrap(apperr.Internal, "internal error", err)
	}
	return &ExportFile{File: f, Size: info.Size(), Rows: rows, temporary: true}, nil
}

// copyUntrusted writes text's result to out with COPY on a clean instance
// of its own, holding a query slot and a query's memory share like Query.
func (e *Engine) copyUntrusted(ctx context.Context, b *sandbox, text, out string, opts ExportOptions) (int64, error) {
	select {
	case b.slots <- struct{}{}:
	case <-ctx.Done():
		return 0, ctx.Err()
	}
	defer func() { <-b.slots }()
	grant, err := e.budget.acquireQuery(ctx)
	if err != nil {
		return 0, err
	}
	defer grant()
	e.running.Add(1)
	defer func() {
		if e.running.Add(-1) == 0 {
			e.pool.fill()
		}
	}()
	if !b.files.holdAll() {
		return 0, apperr.New(apperr.Canceled, "the session was closed")
	}
	db, err := e.openInstance(b.files, e.budget.query, out)
	if err != nil {
		b.files.dropAll()
		return 0, err
	}
	defer func() {
		if cerr := b.closeInstance(db); cerr != nil {
			e.log.Warn("duck: closing an export instance", "err", cerr)
		}
	}()
	conn, err := db.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()

	st, err := statementType(ctx, conn, text)
	if err != nil {
		return 0, err
	}
	if st != duckdb.STATEMENT_TYPE_SELECT {
		return 0, apperr.New(apperr.Invalid, "only a SELECT's result can be exported")
	}
	stmt, err := e.copyStatement(ctx, conn, text, out, opts)
	if err != nil {
		return 0, err
	}
	res, err := conn.ExecContext(ctx, stmt)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, err
	}
	if opts.MaxRows > 0 && n > opts.MaxRows {
		return 0, apperr.Newf(apperr.TooLarge,
			"the result has more than %d rows, the export limit (ANALYZER_EXPORT_MAX_ROWS): add filters or aggregate", opts.MaxRows)
	}
	return n, nil
}

// copyStatement nests text in COPY (SELECT * FROM (...) LIMIT max+1) TO
// out, and checks, as the capped query does, that the wrapper parses as
// the same number of statements as text: a comment or a semicolon cannot
// end the nesting early. DuckDB's own rendering of text is tried when the
// text as written does not nest.
func (e *Engine) copyStatement(ctx context.Context, conn *sql.Conn, text, out string, opts ExportOptions) (string, error) {
	build := func(q string) (string, bool) {
		inner := trimStatement(q)
		if opts.MaxRows > 0 {
			inner = "SELECT * FROM (\n" + inner + "\n) LIMIT " + itoa(opts.MaxRows+1)
		}
		w := "COPY (\n" + inner + "\n) TO " + QuoteString(out) + " (" + opts.Format.copyOptions() + ")"
		n, err := e.parser.count(w)
		if err != nil || n < 1 {
			return "", false
		}
		if n0, err := e.parser.count(q); err != nil || n0 != n {
			return "", false
		}
		return w, true
	}
	if w, ok := build(text); ok {
		return w, nil
	}
	if canon, ok := canonicalSQL(ctx, conn, text); ok {
		if w, ok := build(canon); ok {
			return w, nil
		}
	}
	return "", errUnbounded
}

// String names the format's file extension.
func (f ExportFormat) String() string { return string(f) }
