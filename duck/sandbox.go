package duck

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
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
	open   func() (*sql.DB, error) // holds a ref on file; closeInstance drops it
	file   *pinnedFile
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

func (e *Engine) newSandbox(sessionID string) (*sandbox, error) {
	path, err := e.parquetPath(sessionID)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(path); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, apperr.New(apperr.NotFound, "this session has no data")
		}
		return nil, apperr.Wrap(apperr.Internal, "internal error", err)
	}
	file, err := openPinned(path)
	if err != nil {
		return nil, apperr.Wrap(apperr.Internal, "internal error", err)
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	return &sandbox{
		open: func() (*sql.DB, error) {
			if !file.hold() {
				return nil, apperr.New(apperr.Canceled, "the session was closed")
			}
			db, err := e.openInstance(file.path, e.budget.query)
			if err != nil {
				file.drop()
			}
			return db, err
		},
		file:     file,
		ctx:      ctx,
		cancel:   cancel,
		scrub:    newScrubber(e.dataDir),
		slots:    make(chan struct{}, maxSessionQueries),
		lastUsed: time.Now(),
	}, nil
}

// openInstance binds a never-used instance (pooled, see pool, or new
// when the pool is empty or memory is not a query share) to the session's
// file before anything else can run on it: the connector's config has
// turned extensions off and capped resources; these statements allow
// exactly one file, disable external access, create the view, and lock
// the configuration.
//
// path is the pinned name of data.parquet (/proc/self/fd/N on Linux), so
// neither allowed_paths nor the view's SQL holds DATA_DIR.
func (e *Engine) openInstance(path string, memory int64) (*sql.DB, error) {
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
	setup := []string{
		"SET allowed_paths = [" + QuoteString(path) + "]",
		"SET enable_external_access = false",
		"SET parquet_metadata_cache = true",
		"CREATE VIEW data AS SELECT * FROM read_parquet(" + QuoteString(path) + ")",
		"SET lock_configuration = true",
	}
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
func (e *Engine) acquire(sessionID string) (*sandbox, func(), error) {
	if _, err := e.sessionDir(sessionID); err != nil {
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
	var evicted []*sandbox
	if b == nil {
		var err error
		if b, err = e.newSandbox(sessionID); err != nil {
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
	b.file.drop() // the sandbox's own ref; running instances keep theirs
	return err
}

// closeInstance closes an instance opened by b.open and lets go of the
// data file it could read.
func (b *sandbox) closeInstance(db *sql.DB) error {
	err := db.Close()
	b.file.drop()
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
