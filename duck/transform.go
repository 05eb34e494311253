package duck

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/analyzerhq/analyzer/apperr"
)

// Version describes a dataset directory written after the first upload:
// another file of the session, or a change to one of its tables.
type Version struct {
	Dir       string   `json:"dir"` // VersionDir(id)
	RowCount  int64    `json:"row_count"`
	Columns   []Column `json:"columns"`
	DiskBytes int64    `json:"disk_bytes"` // what its files take
}

// Transform writes the result of sel, one read-only SELECT over the
// session's current tables, as the new dataset directory VersionDir(id)
// (data.parquet, its profile, value index and preview). No file of the
// session is modified: a change is a new version, the caller decides
// whether it becomes current.
//
// sel runs in the sandbox like a query: a never-used, locked-down instance
// that may read the session's tables and write exactly one file, the new
// version's data.parquet (pinned like the inputs, so neither its path nor
// DATA_DIR appears in a setting). Anything but a SELECT is refused before
// it runs. On any failure nothing is left behind.
func (e *Engine) Transform(ctx context.Context, sessionID, id, sel string) (v *Version, err error) {
	dir, err := e.datasetDir(sessionID, VersionDir(id))
	if err != nil {
		return nil, err
	}
	sel = trimStatement(sel)
	switch {
	case sel == "":
		return nil, apperr.New(apperr.Invalid, "the change has no query")
	case len(sel) > e.cfg.MaxQueryBytes:
		return nil, apperr.Newf(apperr.TooLarge, "the query is longer than %d bytes", e.cfg.MaxQueryBytes)
	}
	if err := e.oneStatement(sel); err != nil {
		return nil, err
	}
	b, release, err := e.acquire(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	defer release()
	if err := os.MkdirAll(filepath.Dir(dir), 0o750); err != nil {
		return nil, apperr.Wrap(apperr.Internal, "could not store the change", err)
	}
	if err := os.Mkdir(dir, 0o750); err != nil {
		return nil, apperr.Wrap(apperr.Internal, "could not store the change", err)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(dir)
		}
	}()
	out := filepath.Join(dir, parquetName)
	if err := os.WriteFile(out, nil, 0o640); err != nil {
		return nil, apperr.Wrap(apperr.Internal, "could not store the change", err)
	}
	target, err := openPinned(out)
	if err != nil {
		return nil, apperr.Wrap(apperr.Internal, "could not store the change", err)
	}
	defer target.drop()

	timeout := max(e.cfg.QueryTimeout, transformTimeout)
	qctx, cancel := b.queryContext(ctx, timeout)
	defer cancel()
	if err := e.runTransform(qctx, b, sel, target.path); err != nil {
		return nil, queryError(err, context.Cause(qctx), b.scrub, timeout)
	}
	if runtime.GOOS != "windows" {
		if err := os.Chmod(out, 0o440); err != nil {
			return nil, apperr.Wrap(apperr.Internal, "could not store the change", err)
		}
	}
	return e.describeVersion(ctx, sessionID, dir, VersionDir(id))
}

// transformTimeout bounds a change: it rewrites a table, as an ingest
// does, so it gets longer than a query.
const transformTimeout = 5 * time.Minute

func (e *Engine) runTransform(ctx context.Context, b *sandbox, sel, out string) error {
	select {
	case b.slots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-b.slots }()
	grant, err := e.budget.acquireQuery(ctx)
	if err != nil {
		return err
	}
	defer grant()
	if !b.files.holdAll() {
		return apperr.New(apperr.Canceled, "the session was closed")
	}
	db, err := e.openInstance(b.files, e.budget.query, out)
	if err != nil {
		b.files.dropAll()
		return err
	}
	// The instance served this change only.
	defer b.closeInstance(db)
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	st, err := statementType(ctx, conn, sel)
	if err != nil {
		return err
	}
	if st != duckdb.STATEMENT_TYPE_SELECT {
		return apperr.New(apperr.Invalid, "a change is one SELECT that defines the table's new rows")
	}
	// The SELECT was parsed alone as exactly one statement; the line
	// break keeps a trailing comment from swallowing the parenthesis.
	copySQL := "COPY (\n" + sel + "\n) TO " + QuoteString(out) + " (FORMAT parquet, COMPRESSION zstd, USE_TMP_FILE false)"
	_, err = conn.ExecContext(ctx, copySQL)
	return err
}

// describeVersion reads back what a version directory holds and stores
// its profile, value index and preview.
func (e *Engine) describeVersion(ctx context.Context, sessionID, dir, rel string) (*Version, error) {
	grant, err := e.budget.acquireIngest(ctx)
	if err != nil {
		return nil, ctxError(err)
	}
	defer grant()
	db, err := e.openWorkDB(ctx, dir, e.budget.profile)
	if err != nil {
		return nil, apperr.Wrap(apperr.Internal, "internal error", err)
	}
	defer db.Close()
	defer os.RemoveAll(filepath.Join(dir, tempName))
	out := filepath.Join(dir, parquetName)
	rows, cols, err := parquetShape(ctx, db, out)
	if err != nil {
		return nil, profileError(ctx, err)
	}
	if perr := e.storePreview(ctx, db, dir, parquetFirstRowsSQL(out, cols), rows); perr != nil {
		e.log.Warn("duck: storing a version's preview", "session", sessionID, "err", perr)
	}
	pctx, cancel := context.WithTimeout(ctx, e.profileTimeout(rows))
	defer cancel()
	if p, idx, perr := computeProfile(pctx, db, out, rows, cols, nil); perr == nil {
		if err := writeValueIndex(dir, idx); err != nil {
			e.log.Warn("duck: saving a version's value index", "session", sessionID, "err", err)
		}
		if err := writeProfile(dir, p); err != nil {
			e.log.Warn("duck: saving a version's profile", "session", sessionID, "err", err)
		}
	} else if ctx.Err() != nil {
		return nil, ctxError(ctx.Err())
	} else {
		// Computed again when first asked for.
		e.log.Warn("duck: profiling a version", "session", sessionID, "err", perr)
	}
	if err := syncDir(dir); err != nil {
		return nil, apperr.Wrap(apperr.Internal, "could not store the change", err)
	}
	return &Version{Dir: rel, RowCount: rows, Columns: cols, DiskBytes: dirBytes(dir)}, nil
}

// AdoptDataset makes the dataset ingested under the scratch id (see
// IngestWith; its profile is waited for) the session's version
// VersionDir(id): its directory is moved, not copied.
func (e *Engine) AdoptDataset(ctx context.Context, sessionID, id, scratchID string) (*Version, error) {
	dir, err := e.datasetDir(sessionID, VersionDir(id))
	if err != nil {
		return nil, err
	}
	from, err := e.sessionDir(scratchID)
	if err != nil {
		return nil, err
	}
	if _, err := e.Profile(ctx, scratchID); err != nil && ctx.Err() != nil {
		return nil, ctxError(ctx.Err())
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o750); err != nil {
		return nil, apperr.Wrap(apperr.Internal, "could not store the file", err)
	}
	if err := os.Rename(from, dir); err != nil {
		return nil, apperr.Wrap(apperr.Internal, "could not store the file", err)
	}
	return e.describeVersion(ctx, sessionID, dir, VersionDir(id))
}

// LinkDataset makes a dataset of another session (fromDir of fromSession,
// both already checked to be the caller's) the session's version
// VersionDir(id) without copying its data: data.parquet is hard-linked
// (copied only where links are not possible), its description copied.
func (e *Engine) LinkDataset(ctx context.Context, sessionID, id, fromSession, fromDir string) (v *Version, err error) {
	dir, err := e.datasetDir(sessionID, VersionDir(id))
	if err != nil {
		return nil, err
	}
	src, err := e.datasetDir(fromSession, fromDir)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(src, parquetName)); err != nil {
		return nil, apperr.New(apperr.NotFound, "that file's data is not available")
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o750); err != nil {
		return nil, apperr.Wrap(apperr.Internal, "could not store the file", err)
	}
	if err := os.Mkdir(dir, 0o750); err != nil {
		return nil, apperr.Wrap(apperr.Internal, "could not store the file", err)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(dir)
		}
	}()
	if err := os.Link(filepath.Join(src, parquetName), filepath.Join(dir, parquetName)); err != nil {
		if _, err := copyFile(filepath.Join(src, parquetName), filepath.Join(dir, parquetName)); err != nil {
			return nil, apperr.Wrap(apperr.Internal, "could not store the file", err)
		}
	}
	for _, name := range []string{profileName, valuesName, previewName} {
		_, _ = copyFile(filepath.Join(src, name), filepath.Join(dir, name)) // recomputed when missing
	}
	return e.describeVersion(ctx, sessionID, dir, VersionDir(id))
}

// RemoveDataset deletes the version directory dir of a session (never
// the session's own directory: the first upload goes with the session).
func (e *Engine) RemoveDataset(sessionID, dir string) error {
	if dir == "" {
		return apperr.New(apperr.Invalid, "the first upload is kept with its session")
	}
	abs, err := e.datasetDir(sessionID, dir)
	if err != nil {
		return err
	}
	if err := os.RemoveAll(abs); err != nil {
		return apperr.Wrap(apperr.Internal, "could not delete a version's files", err)
	}
	return nil
}

// DatasetFile is the Parquet file of one of a session's datasets, for
// download.
func (e *Engine) DatasetFile(sessionID, dir string) (string, error) {
	abs, err := e.datasetDir(sessionID, dir)
	if err != nil {
		return "", err
	}
	path := filepath.Join(abs, parquetName)
	if _, err := os.Stat(path); err != nil {
		return "", apperr.New(apperr.NotFound, "this version's data is not available")
	}
	return path, nil
}

// DatasetProfile is Profile of one of a session's datasets.
func (e *Engine) DatasetProfile(ctx context.Context, sessionID, dir string) (*Profile, error) {
	abs, err := e.datasetDir(sessionID, dir)
	if err != nil {
		return nil, err
	}
	return e.profileAt(ctx, sessionID, abs)
}

// DatasetValues is Values of one of a session's datasets.
func (e *Engine) DatasetValues(ctx context.Context, sessionID, dir string) (*ValueIndex, error) {
	abs, err := e.datasetDir(sessionID, dir)
	if err != nil {
		return nil, err
	}
	return e.valuesAt(ctx, sessionID, abs)
}

// DatasetPreview returns the first rows of one of a session's datasets
// (up to StoredPreviewRows, stored when the version was written).
func (e *Engine) DatasetPreview(ctx context.Context, sessionID, dir string, limit int) (*Result, error) {
	abs, err := e.datasetDir(sessionID, dir)
	if err != nil {
		return nil, err
	}
	if limit <= 0 || limit > StoredPreviewRows {
		limit = StoredPreviewRows
	}
	if res, ok := readStoredPreview(abs, limit); ok {
		return res, nil
	}
	// Stored when written; rebuilt here when it was lost.
	if _, err := e.describeVersion(ctx, sessionID, abs, dir); err != nil {
		return nil, err
	}
	if res, ok := readStoredPreview(abs, limit); ok {
		return res, nil
	}
	return nil, apperr.New(apperr.Internal, "the preview could not be read")
}

func copyFile(src, dst string) (int64, error) {
	in, err := os.Open(src)
	if err != nil {
		return 0, err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return 0, err
	}
	n, err := out.ReadFrom(in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(dst)
	}
	return n, err
}

// syncDir makes a version's files durable before the database names it:
// a crash after the commit must not find them missing.
func syncDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, en := range entries {
		if en.IsDir() {
			continue
		}
		f, err := os.Open(filepath.Join(dir, en.Name()))
		if err != nil {
			return err
		}
		err = f.Sync()
		f.Close()
		if err != nil && !errors.Is(err, os.ErrPermission) {
			return err
		}
	}
	for _, d := range []string{dir, filepath.Dir(dir)} {
		if f, err := os.Open(d); err == nil {
			_ = f.Sync() // not possible everywhere (Windows)
			f.Close()
		}
	}
	return nil
}

// dirBytes is what the files directly in dir take.
func dirBytes(dir string) int64 {
	var n int64
	entries, _ := os.ReadDir(dir)
	for _, en := range entries {
		if info, err := en.Info(); err == nil && !en.IsDir() && !strings.HasSuffix(en.Name(), ".tmp") {
			n += info.Size()
		}
	}
	return n
}
