package duck

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/analyzerhq/analyzer/apperr"
)

// Column is one column of a dataset with its DuckDB type name.
type Column struct {
	Name string `json:"name"`
	Type string `json:"type"` // DuckDB type name, e.g. "BIGINT", "VARCHAR", "DATE"
}

// Reject is a sample of a CSV row that was skipped at ingest.
type Reject struct {
	Line   int64  `json:"line"`             // 1-based line in the file
	Column string `json:"column,omitempty"` // column at fault, when known
	Error  string `json:"error"`            // in plain words: what was expected
}

// Skip is a run of CSV lines that are not rows of the table, left out as
// DuckDB's own reader leaves them out.
type Skip struct {
	Kind      string `json:"kind"`       // SkipPreamble, SkipGroupHeader or SkipComment
	Lines     int64  `json:"lines"`      // how many
	FirstLine int64  `json:"first_line"` // 1-based line of the first one in the file
	Reason    string `json:"reason"`     // e.g. "2 lines above the header, not part of the table"
}

// Kinds of skipped lines.
const (
	SkipPreamble = "preamble" // lines above the header (notes, titles)
	SkipComment  = "comment"  // lines starting with the comment character
	// SkipGroupHeader: the first of a header of two rows, headings over
	// groups of columns ("Results" over "Final score" and "Team
	// record"); the second row names the columns.
	SkipGroupHeader = "group_header"
)

// Dataset describes a session's ingested data.
type Dataset struct {
	Format       string   `json:"format"`     // "csv" or "parquet"
	OriginalPath string   `json:"-"`          // DATA_DIR/{id}/original.csv|original.parquet (absolute)
	ParquetPath  string   `json:"-"`          // DATA_DIR/{id}/data.parquet
	SizeBytes    int64    `json:"size_bytes"` // of the original
	RowCount     int64    `json:"row_count"`
	Columns      []Column `json:"columns"`
	RejectedRows int64    `json:"rejected_rows"`
	Rejects      []Reject `json:"rejects,omitempty"` // a few samples
	// SkippedLines counts the CSV lines that are not rows (preamble,
	// comments); Skipped says which and why.
	SkippedLines int64  `json:"skipped_lines"`
	Skipped      []Skip `json:"skipped,omitempty"`
	// Encoding is what a CSV was read as: "utf-8", "utf-16le",
	// "utf-16be", "windows-1252" or "latin-1"; "" for Parquet.
	Encoding string `json:"encoding,omitempty"`
	// ReplacedBytes counts invalid bytes (or UTF-16 units) of a CSV that
	// were read as U+FFFD (the file is otherwise valid in its encoding).
	ReplacedBytes int64 `json:"replaced_bytes"`
	// RemovedNULs counts NUL bytes removed from a CSV's text.
	RemovedNULs int64 `json:"removed_nul_bytes"`
	// PaddedRows: some rows had fewer fields than the header and were
	// read with the missing values NULL (as DuckDB's null_padding).
	PaddedRows bool `json:"padded_rows,omitempty"`
	// Notes says the above in plain sentences, for the dataset card.
	Notes   []string `json:"notes,omitempty"`
	Profile *Profile `json:"profile,omitempty"`
}

// conversion is what a format's converter reports besides the Parquet file.
type conversion struct {
	rejected int64
	rejects  []Reject
	skipped  []Skip
	encoding string
	replaced int64 // bytes read as U+FFFD
	nul      int64 // NUL bytes removed
	padded   bool  // read with null_padding
	// firstRows is the SELECT of the file's first rows in file order,
	// for the stored preview.
	firstRows string
}

// notes words what the reading of a file did besides reading rows.
func (c conversion) notes() []string {
	var out []string
	switch c.encoding {
	case "", encUTF8:
	case encWindows1252:
		out = append(out, "read as Windows-1252")
	case encLatin1:
		out = append(out, "read as Latin-1 (ISO-8859-1)")
	default:
		out = append(out, "read as "+strings.ToUpper(c.encoding))
	}
	if c.replaced > 0 {
		out = append(out, plural(c.replaced, "invalid byte")+" replaced by \uFFFD")
	}
	if c.nul > 0 {
		out = append(out, plural(c.nul, "NUL byte")+" removed")
	}
	for _, s := range c.skipped {
		out = append(out, "skipped "+s.Reason)
	}
	if c.padded {
		out = append(out, "rows with fewer fields than the header were read with the missing values empty")
	}
	return out
}

// IngestOptions tunes one ingest.
type IngestOptions struct {
	// Owner runs at most one ingest at a time: a second ingest of the
	// same owner waits for the first (within Timeout) while other owners
	// proceed. Empty: not limited per owner.
	Owner string
	// Timeout bounds the whole ingest: waiting for the owner's turn and
	// for memory, every CSV retry; 0 takes Config.IngestTimeout. The
	// profile that follows in the background has ProfileTimeout.
	Timeout time.Duration
	// Prescan is the text pass over the file done while it was received
	// (closed). Nil, or one that saw other bytes: the file is read again.
	Prescan *Prescan
}

// Ingest is IngestWith without an owner and with the default timeout.
func (e *Engine) Ingest(ctx context.Context, sessionID, src, filename string) (*Dataset, error) {
	return e.IngestWith(ctx, sessionID, src, filename, IngestOptions{})
}

// IngestWith takes the uploaded temp file at src (consumed: moved or
// removed), checks what it really is, keeps it as
// DATA_DIR/{id}/original.csv|parquet, writes the typed zstd Parquet copy
// data.parquet in one DuckDB pass and profiles it. On any error, timeout or
// cancellation of ctx (which interrupts DuckDB) the session directory is
// removed (unless it already held another dataset, which is refused with
// Conflict). It waits for the owner's turn and an ingest memory share (see
// MemoryShares); if none comes within the timeout it is refused as busy.
func (e *Engine) IngestWith(ctx context.Context, sessionID, src, filename string, opt IngestOptions) (ds *Dataset, err error) {
	defer os.Remove(src) // a no-op once moved
	dir, err := e.sessionDir(sessionID)
	if err != nil {
		return nil, err
	}
	timeout := opt.Timeout
	if timeout <= 0 {
		timeout = e.cfg.IngestTimeout
	}
	ctx, cancel := context.WithTimeoutCause(ctx, timeout, errIngestTimeout)
	defer cancel()
	defer func() {
		if err != nil && errors.Is(context.Cause(ctx), errIngestTimeout) {
			if apperr.KindOf(err) != apperr.Unavailable {
				err = apperr.Wrap(apperr.Timeout, "importing the file took longer than "+timeout.String()+" and was stopped", err)
			}
		}
	}()
	name := filepath.Base(filepath.Clean("/" + strings.ReplaceAll(filename, `\`, "/")))
	sn, err := detectFormat(ctx, src, name, opt.Prescan)
	if err != nil {
		return nil, err
	}
	releaseGoMemory(src)

	if err := e.beginIngest(sessionID); err != nil {
		return nil, err
	}
	defer e.endIngest(sessionID)
	if err := e.claimDir(dir); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			if rmErr := os.RemoveAll(dir); rmErr != nil {
				e.log.Error("duck: cleaning up a failed ingest", "session", sessionID, "err", rmErr)
			}
		}
	}()
	releaseOwner, err := e.budget.acquireOwner(ctx, opt.Owner)
	if err != nil {
		return nil, e.waitError(ctx, err)
	}
	defer releaseOwner()
	grant, err := e.budget.acquireIngest(ctx)
	if err != nil {
		return nil, e.waitError(ctx, err)
	}
	defer func() {
		if grant != nil {
			grant()
		}
	}()

	orig := filepath.Join(dir, "original."+sn.format)
	size, err := moveFile(src, orig)
	if err != nil {
		return nil, apperr.Wrap(apperr.Internal, "could not store the file", err)
	}
	out := filepath.Join(dir, parquetName)
	scrub := newScrubber(e.dataDir, orig, name, src, name)

	db, err := e.openWorkDB(ctx, dir, e.budget.ingest)
	if err != nil {
		if ctx.Err() != nil { // stopped while the instance was being set up
			return nil, ctxError(ctx.Err())
		}
		return nil, apperr.Wrap(apperr.Internal, "internal error", err)
	}
	handedOver := false // to the profile job
	defer func() {
		if !handedOver {
			db.Close()
		}
	}()

	t0 := time.Now()
	var conv conversion
	switch sn.format {
	case formatCSV:
		conv, err = e.convertCSV(ctx, db, dir, orig, out, sn)
	default:
		var cols []Column
		cols, err = convertParquet(ctx, db, orig, out)
		conv.firstRows = parquetFirstRowsSQL(orig, cols)
	}
	if err != nil {
		return nil, ingestError(ctx, err, scrub, sn.format)
	}
	rows, cols, err := parquetShape(ctx, db, out)
	if err != nil {
		return nil, ingestError(ctx, err, scrub, sn.format)
	}
	if runtime.GOOS != "windows" {
		// Defence in depth: the sandbox may open this one file, and
		// DuckDB would let a COPY write it; the mode says no (to
		// anyone but root). Windows would then refuse to delete it.
		if err := os.Chmod(out, 0o440); err != nil {
			return nil, apperr.Wrap(apperr.Internal, "internal error", err)
		}
	}
	if rows == 0 && conv.rejected > 0 {
		msg := "none of the rows could be read"
		if len(conv.rejects) > 0 {
			r := conv.rejects[0]
			msg += ": line " + itoa(r.Line) + ": " + r.Error
			if conv.rejected > 1 {
				msg += " (and " + plural(conv.rejected-1, "more line") + ")"
			}
		}
		return nil, apperr.New(apperr.Invalid, scrub.clean(msg))
	}
	for i := range conv.rejects {
		conv.rejects[i].Error = scrub.clean(conv.rejects[i].Error)
	}
	// The detail page shows these rows without asking DuckDB. Should
	// they fail, Preview stores them from data.parquet when first asked.
	tp := time.Now()
	perr := e.storePreview(ctx, db, dir, conv.firstRows, rows)
	e.log.Debug("duck: preview stored", "session", sessionID, "took", time.Since(tp), "err", perr)
	if perr != nil {
		if ctx.Err() != nil {
			return nil, ingestError(ctx, perr, scrub, sn.format)
		}
		e.log.Warn("duck: storing the preview", "session", sessionID, "err", perr)
	}
	ds = &Dataset{
		Format:       sn.format,
		OriginalPath: orig,
		ParquetPath:  out,
		SizeBytes:    size,
		RowCount:     rows,
		Columns:      cols,
		RejectedRows: conv.rejected,
		Rejects:      conv.rejects,

		Skipped:       conv.skipped,
		Encoding:      conv.encoding,
		ReplacedBytes: conv.replaced,
		RemovedNULs:   conv.nul,
		PaddedRows:    conv.padded,
		Notes:         conv.notes(),
	}
	for _, s := range conv.skipped {
		ds.SkippedLines += s.Lines
	}
	e.log.Debug("duck: ingested", "session", sessionID, "format", sn.format, "bytes", size,
		"rows", rows, "columns", len(cols), "rejected", conv.rejected, "took", time.Since(t0))

	// The data is queryable now. The profile costs about as much as the
	// conversion (SUMMARIZE-like aggregates, a hash of every row), so it is
	// computed in the background, on an instance of its own with a
	// smaller memory_limit (the job closes this one first); a small file's
	// profile is usually done within the short wait below and comes with
	// the answer.
	job, err := e.startProfile(sessionID, dir, db, grant, rows, cols)
	if err != nil {
		return nil, err
	}
	handedOver, grant = true, nil
	e.pool.fill() // the user's first questions come next
	if wait := profileWaitFor(rows); wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-job.done:
			if job.err == nil {
				ds.Profile = job.p
			}
		case <-t.C:
		case <-ctx.Done():
		}
	}
	return ds, nil
}

// profileWaitFor is how long the answer for a file of rows rows waits for
// its profile: profileWait, or nothing above profileWaitRows, whose profile
// (several reads of every row, about a million rows a second on two
// cores) cannot be ready by then: on the 1 GB file the wait was 200 ms of
// an 8 s answer, for nothing.
func profileWaitFor(rows int64) time.Duration {
	if rows > profileWaitRows {
		return 0
	}
	return profileWait
}

const profileWaitRows = 1_000_000

var errIngestTimeout = errors.New("ingest timeout")

// waitError is the answer to an ingest that got no turn or memory share.
func (e *Engine) waitError(ctx context.Context, err error) error {
	if errors.Is(context.Cause(ctx), errIngestTimeout) {
		return errBusy("uploads")
	}
	return ctxError(err)
}

// beginIngest refuses a second ingest of a session that is importing.
func (e *Engine) beginIngest(sessionID string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.ingesting[sessionID] {
		return apperr.New(apperr.Conflict, "this session is already importing a file")
	}
	e.ingesting[sessionID] = true
	return nil
}

func (e *Engine) endIngest(sessionID string) {
	e.mu.Lock()
	delete(e.ingesting, sessionID)
	e.mu.Unlock()
}

// profileWait is how long Ingest waits for the profile before answering
// without it: a small file's profile is ready by then; a big file's answer
// must not wait (Profile waits for the job instead).
const profileWait = 200 * time.Millisecond

// claimDir creates the session directory. An existing directory is
// accepted only if it holds no dataset (the server may have streamed the
// upload into it); one with data is refused and left untouched.
func (e *Engine) claimDir(dir string) error {
	if err := os.MkdirAll(e.dataDir, 0o750); err != nil {
		return apperr.Wrap(apperr.Internal, "internal error", err)
	}
	err := os.Mkdir(dir, 0o750)
	if err == nil {
		return nil
	}
	if !errors.Is(err, os.ErrExist) {
		return apperr.Wrap(apperr.Internal, "internal error", err)
	}
	for _, n := range []string{parquetName, "original." + formatCSV, "original." + formatParquet} {
		if _, err := os.Stat(filepath.Join(dir, n)); err == nil {
			return apperr.New(apperr.Conflict, "this session already has data")
		}
	}
	return nil
}

// moveFile renames src to dst, copying when they are on different file
// systems, and returns the size.
func moveFile(src, dst string) (int64, error) {
	if err := os.Rename(src, dst); err == nil {
		st, err := os.Stat(dst)
		if err != nil {
			return 0, err
		}
		return st.Size(), nil
	}
	in, err := os.Open(src)
	if err != nil {
		return 0, err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o640)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(out, in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, err
	}
	return n, os.Remove(src)
}

// parquetShape reads the row count from the footer and the column types
// from the schema: both cost a footer read, not a scan.
func parquetShape(ctx context.Context, db *sql.DB, path string) (int64, []Column, error) {
	var rows int64
	if err := db.QueryRowContext(ctx, "SELECT num_rows FROM parquet_file_metadata("+QuoteString(path)+")").Scan(&rows); err != nil {
		return 0, nil, err
	}
	cols, err := describe(ctx, db, "SELECT * FROM read_parquet("+QuoteString(path)+")")
	return rows, cols, err
}

// describe returns the columns a query would produce, without running it.
func describe(ctx context.Context, db *sql.DB, query string) ([]Column, error) {
	rows, err := db.QueryContext(ctx, "SELECT column_name, column_type FROM (DESCRIBE "+query+")")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cols []Column
	for rows.Next() {
		var c Column
		if err := rows.Scan(&c.Name, &c.Type); err != nil {
			return nil, err
		}
		cols = append(cols, c)
	}
	return cols, rows.Err()
}

// projection selects every column by position, renaming those whose names
// are empty or repeat another's (case-insensitively, as SQL sees them) and
// converting the ones in conv; names with spaces or symbols are kept and
// quoted. It is "*" when nothing needs doing.
func projection(cols []Column, conv map[int]dateConversion) string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	fixed := uniqueNames(names)
	same := len(conv) == 0
	for i := range names {
		if names[i] != fixed[i] {
			same = false
			break
		}
	}
	if same {
		return "*"
	}
	var b strings.Builder
	for i, n := range fixed {
		if i > 0 {
			b.WriteString(", ")
		}
		ref := "#" + itoa(int64(i+1))
		if d, ok := conv[i]; ok {
			ref = d.expr(ref)
		}
		b.WriteString(ref + " AS " + QuoteIdent(n))
	}
	return b.String()
}

// ingestError maps a conversion failure to a client-facing error.
func ingestError(ctx context.Context, err error, s *scrubber, format string) error {
	if _, ok := apperr.As(err); ok {
		return err
	}
	if ctx.Err() != nil {
		return ctxError(ctx.Err())
	}
	var de *duckdb.Error
	if !errors.As(err, &de) {
		return apperr.Wrap(apperr.Internal, "internal error", err)
	}
	switch de.Type {
	case duckdb.ErrorTypeInterrupt:
		return apperr.Wrap(apperr.Canceled, "the upload was stopped", err)
	case duckdb.ErrorTypeOutOfMemory:
		return apperr.Wrap(apperr.TooLarge, "the file needs more memory or temporary disk space than allowed to import", err)
	case duckdb.ErrorTypeFatal, duckdb.ErrorTypeInternal:
		return apperr.Wrap(apperr.Internal, "internal error", err)
	}
	what := "CSV"
	if format == formatParquet {
		what = "Parquet"
	}
	msg := plainMessage(de.Msg)
	if format == formatCSV {
		msg = plainCSVError(de.Msg)
	}
	return apperr.Wrap(apperr.Invalid, "the file could not be read as "+what+": "+s.clean(msg), err)
}

func ctxError(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return apperr.Wrap(apperr.Timeout, "the operation took too long", err)
	}
	return apperr.Wrap(apperr.Canceled, "the operation was stopped", err)
}

func writeProfile(dir string, p *Profile) error {
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, profileName+".tmp")
	if err := os.WriteFile(tmp, b, 0o640); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, profileName))
}

// releaseGoMemory returns the Go heap's garbage to the system before a
// large file's conversion: receiving an upload leaves some behind, and the
// conversion, DuckDB's largest use of memory, would otherwise start on top
// of it (measured: about 50 MB more at the upload's peak RSS when the
// conversion follows the last byte at once). A full collection of a small
// heap takes a few milliseconds.
func releaseGoMemory(src string) {
	if st, err := os.Stat(src); err == nil && st.Size() >= releaseAbove {
		debug.FreeOSMemory()
	}
}

// releaseAbove is the file size from which releaseGoMemory is worth its
// milliseconds.
const releaseAbove = 64 << 20
