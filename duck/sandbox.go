package duck

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/analyzerhq/analyzer/apperr"
)

// sandbox is one session's hold on its data file and its locked-down,
// in-memory DuckDB instances. None holds data of its own: the view `data`
// reads the session's Parquet copy, the only file an instance may open.
//
// Untrusted SQL never runs twice on the same instance. Even a SELECT can
// change an instance: `FROM enable_logging(...)` reconfigures logging
// despite lock_configuration (and can break every later query), and
// `EXPLAIN ANALYZE CREATE TABLE ...` creates a table. So each query takes
// a never-used instance from the engine's pool (see pool), binds it to
// the file, and closes it afterwards. Our own read-only SQL (Preview of a
// session without a stored preview) runs on a shared instance that
// untrusted SQL never touches.
type sandbox struct {
	open   func() (*sql.DB, error) // holds a ref on files; closeInstance drops it
	files  pinnedSet
	mounts []Mount         // what it was opened on; a change opens a new sandbox
	ctx    context.Context // cancelled when the sandbox closes
	cancel context.CancelCauseFunc
	scrub  *scrubber
	slots  chan struct{} // bounds the session's concurrent queries

	mu       sync.Mutex
	shared   *sql.DB // trusted reads only
	refs     int
	lastUsed time.Time
	inflight sync.WaitGroup // queries and previews
	closed   bool
}

// maxSessionQueries bounds how many queries of one session run at once;
// each has its own instance and memory limit.
const maxSessionQueries = 4

// neutralDir is given to settings that default to the user's home directory
// (extensions, secrets) so that neither a path nor a file can come from them.
const neutralDir = "/nonexistent"

func (e *Engine) newSandbox(sessionID string, mounts []Mount) (*sandbox, error) {
	files := make(pinnedSet, 0, len(mounts))
	for _, m := range mounts {
		dir, err := e.datasetDir(sessionID, m.Dir)
		if err != nil {
			files.dropAll()
			return nil, err
		}
		path := filepath.Join(dir, parquetName)
		if _, err := os.Stat(path); err != nil {
			files.dropAll()
			if errors.Is(err, os.ErrNotExist) {
				return nil, apperr.New(apperr.NotFound, "this session has no data")
			}
			return nil, apperr.Wrap(apperr.Internal, "internal error", err)
		}
		file, err := openPinned(path)
		if err != nil {
			files.dropAll()
			return nil, apperr.Wrap(apperr.Internal, "internal error", err)
		}
		file.view = m.Name
		files = append(files, file)
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	return &sandbox{
		open: func() (*sql.DB, error) {
			if !files.holdAll() {
				return nil, apperr.New(apperr.Canceled, "the session was closed")
			}
			db, err := e.openInstance(files, e.budget.query, "")
			if err != nil {
				files.dropAll()
			}
			return db, err
		},
		files:    files,
		mounts:   mounts,
		ctx:      ctx,
		cancel:   cancel,
		scrub:    newScrubber(e.dataDir),
		slots:    make(chan struct{}, maxSessionQueries),
		lastUsed: time.Now(),
	}, nil
}

// openInstance binds a never-used instance (pooled, see pool, or new
// when the pool is empty or memory is not a query share) to the session's
// files before anything else can run on it: the connector's config has
// turned extensions off and capped resources; these statements allow
// exactly those files (and out, the one file a change may write, when
// set), disable external access, create one view per table (the first
// also as `data`), and lock the configuration.
//
// Each path is the pinned name of a data.parquet (/proc/self/fd/N on
// Linux), so neither allowed_paths nor a view's SQL holds DATA_DIR.
func (e *Engine) openInstance(files pinnedSet, memory int64, out string) (*sql.DB, error) {
	var db *sql.DB
	var err error
	if memory == e.budget.query {
		db, err = e.pool.take()
	} else {
		db, err = e.openBare(memory)
	}
	if err != nil {
		return nil, err
	}
	allowed := make([]string, 0, len(files)+1)
	for _, f := range files {
		allowed = append(allowed, QuoteString(f.path))
	}
	if out != "" {
		allowed = append(allowed, QuoteString(out))
	}
	setup := []string{
		"SET allowed_paths = [" + strings.Join(allowed, ", ") + "]",
		"SET enable_external_access = false",
		"SET parquet_metadata_cache = true",
	}
	for i, f := range files {
		setup = append(setup, "CREATE VIEW "+QuoteIdent(f.view)+" AS SELECT * FROM read_parquet("+QuoteString(f.path)+")")
		if i == 0 && !strings.EqualFold(f.view, PrimaryView) {
			setup = append(setup, "CREATE VIEW "+PrimaryView+" AS SELECT * FROM "+QuoteIdent(f.view))
		}
	}
	setup = append(setup, "SET lock_configuration = true")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, stmt := range setup {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			db.Close()
			return nil, fmt.Errorf("duck: sandbox setup %q: %w", stmt, err)
		}
	}
	return db, nil
}

// acquire returns the session's sandbox, creating it if needed, and counts
// the caller in; release must be called when done.
func (e *Engine) acquire(ctx context.Context, sessionID string) (*sandbox, func(), error) {
	if _, err := e.sessionDir(sessionID); err != nil {
		return nil, nil, err
	}
	// The tables are read from the catalog on every use: another
	// process may have changed them.
	mounts, err := e.mounts(ctx, sessionID)
	if err != nil {
		return nil, nil, err
	}
	if err := e.refreshMissing(ctx, sessionID, mounts); err != nil {
		return nil, nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return nil, nil, apperr.New(apperr.Unavailable, "the data engine is shutting down")
	}
	if e.removing[sessionID] {
		return nil, nil, apperr.New(apperr.NotFound, "this session has no data")
	}
	b := e.boxes[sessionID]
	if b != nil && !sameMounts(b.mounts, mounts) {
		// The tables changed: queries in progress finish on what they
		// started with, new ones get the new tables.
		delete(e.boxes, sessionID)
		e.retire(b)
		b = nil
	}
	var evicted []*sandbox
	if b == nil {
		var err error
		if b, err = e.newSandbox(sessionID, mounts); err != nil {
			return nil, nil, err
		}
		e.boxes[sessionID] = b
		// The least recently used idle sessions make room (b is not idle
		// once counted in below, but is the newest anyway).
		b.mu.Lock()
		b.refs++
		b.mu.Unlock()
		evicted = e.evictLocked()
		b.mu.Lock()
		b.refs--
		b.mu.Unlock()
		// Whoever opens a session (its detail page, say) is about to
		// query it: have clean instances ready.
		e.pool.fill()
	}
	b.mu.Lock()
	b.refs++
	b.inflight.Add(1)
	b.mu.Unlock()
	if len(evicted) > 0 {
		e.closeEvicted(evicted)
	}
	return b, func() {
		b.mu.Lock()
		b.refs--
		b.lastUsed = time.Now()
		b.mu.Unlock()
		b.inflight.Done()
		e.trimCache()
	}, nil
}

// sharedDB returns the instance for our own read-only SQL.
func (b *sandbox) sharedDB() (*sql.DB, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil, apperr.New(apperr.Canceled, "the session was closed")
	}
	if b.shared == nil {
		db, err := b.open()
		if err != nil {
			return nil, err
		}
		b.shared = db
	}
	return b.shared, nil
}

// takeClean hands out a never-used instance bound to the session's file,
// for one untrusted query (the caller closes it with closeInstance).
func (b *sandbox) takeClean(ctx context.Context) (*sql.DB, error) {
	b.mu.Lock()
	closed := b.closed
	b.mu.Unlock()
	if closed {
		return nil, apperr.New(apperr.Canceled, "the session was closed")
	}
	return b.open()
}

func (b *sandbox) idleSince(now time.Time) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.refs > 0 {
		return 0
	}
	return now.Sub(b.lastUsed)
}

// close cancels the running queries (DuckDB is interrupted through their
// contexts), waits for them to return, then closes the shared instance. The caller has already removed b from the engine's
// map, so no one can acquire it again.
func (b *sandbox) close() error {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return nil
	}
	b.closed = true
	b.mu.Unlock()
	b.cancel(errSessionClosed)
	b.inflight.Wait()
	b.mu.Lock()
	defer b.mu.Unlock()
	var err error
	if b.shared != nil {
		err = b.closeInstance(b.shared)
	}
	b.shared = nil
	b.files.dropAll() // the sandbox's own ref; running instances keep theirs
	return err
}

// retire closes a sandbox whose tables changed once the queries that
// use it have returned, without cancelling them. e.mu is held and b is no
// longer in e.boxes.
func (e *Engine) retire(b *sandbox) {
	e.background.Add(1)
	go func() {
		defer e.background.Done()
		b.inflight.Wait()
		if err := b.close(); err != nil {
			e.log.Warn("duck: closing a sandbox after a change", "err", err)
		}
	}()
}

// closeInstance closes an instance opened by b.open and lets go of the
// data file it could read.
func (b *sandbox) closeInstance(db *sql.DB) error {
	err := db.Close()
	b.files.dropAll()
	return err
}

// queryContext derives the context of one query: the caller's, bounded by
// timeout, and cancelled when the sandbox closes. context.Cause tells which.
func (b *sandbox) queryContext(parent context.Context, timeout time.Duration) (context.Context, context.CancelFunc) {
	ctx, cancelCause := context.WithCancelCause(parent)
	tctx, tcancel := context.WithTimeoutCause(ctx, timeout, errQueryTimeout)
	stop := context.AfterFunc(b.ctx, func() { cancelCause(errSessionClosed) })
	return tctx, func() {
		stop()
		tcancel()
		cancelCause(context.Canceled)
	}
}

// refreshMissing fetches the session's files again, past the store's
// trust window, when a table the catalog names has no local copy yet.
func (e *Engine) refreshMissing(ctx context.Context, sessionID string, mounts []Mount) error {
	if e.cfg.Refresh == nil {
		return nil
	}
	for _, m := range mounts {
		dir, err := e.datasetDir(sessionID, m.Dir)
		if err != nil {
			return err
		}
		if _, err := os.Stat(filepath.Join(dir, parquetName)); !errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err := e.cfg.Refresh(ctx, sessionID); err != nil {
			if ctx.Err() != nil {
				return ctxError(ctx.Err())
			}
			e.log.Error("duck: fetching a session's files", "session", sessionID, "err", err)
			return apperr.Wrap(apperr.Unavailable, "the session's data could not be read from the file store", err)
		}
		return nil
	}
	return nil
}
