package duck

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"sync"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/analyzerhq/analyzer/apperr"
)

// sandbox is one session's cache of locked-down, in-memory DuckDB
// instances. None holds data of its own: the view `data` reads the
// session's Parquet copy, the only file an instance may open.
//
// Untrusted SQL never runs twice on the same instance. Even a SELECT can
// change an instance: `FROM enable_logging(...)` reconfigures logging
// despite lock_configuration (and can break every later query), and
// `EXPLAIN ANALYZE CREATE TABLE ...` creates a table. So each query takes
// the pre-opened spare instance and closes it afterwards, and a new spare
// is opened in the background (opening costs ~20 ms, which the query then
// does not wait for). Our own read-only SQL (Preview) runs on a shared
// instance that untrusted SQL never touches.
type sandbox struct {
	open   func() (*sql.DB, error) // holds a ref on file; closeInstance drops it
	file   *pinnedFile
	ctx    context.Context // cancelled when the sandbox closes
	cancel context.CancelCauseFunc
	scrub  *scrubber
	slots  chan struct{} // bounds the session's concurrent queries

	mu       sync.Mutex
	shared   *sql.DB // trusted reads only
	spare    *sql.DB // clean instance for the next untrusted query
	filling  bool
	refs     int
	lastUsed time.Time
	inflight sync.WaitGroup // queries and background opens
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

// openInstance configures an instance before anything else can run on it:
// the connector's config turns extensions off and caps resources; the first
// statements then allow exactly one file, disable external access, create
// the view, and lock the configuration.
//
// There is no temp directory: spilling needs a writable directory, which
// DuckDB adds to allowed_directories (COPY could write there) and reports
// in settings. A query that needs more than its memory share fails with a
// clear error instead.
//
// path is the pinned name of data.parquet (/proc/self/fd/N on Linux), so
// neither allowed_paths nor the view's SQL holds DATA_DIR.
func (e *Engine) openInstance(path string, memory int64) (*sql.DB, error) {
	q := url.Values{}
	q.Set("threads", strconv.Itoa(e.cfg.Threads))
	q.Set("memory_limit", memoryLimit(memory))
	q.Set("max_temp_directory_size", e.cfg.MaxTempDirSize)
	q.Set("temp_directory", "")
	q.Set("autoinstall_known_extensions", "false")
	q.Set("autoload_known_extensions", "false")
	q.Set("allow_community_extensions", "false")
	q.Set("allow_unsigned_extensions", "false")
	q.Set("extension_directory", neutralDir)
	q.Set("secret_directory", neutralDir)
	connector, err := duckdb.NewConnector("?"+q.Encode(), nil)
	if err != nil {
		return nil, fmt.Errorf("duck: sandbox open: %w", err)
	}
	db := sql.OpenDB(connector)
	setup := []string{
		"SET allowed_paths = [" + sqlString(path) + "]",
		"SET enable_external_access = false",
		"SET parquet_metadata_cache = true",
		"CREATE VIEW data AS SELECT * FROM read_parquet(" + sqlString(path) + ")",
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
	db.SetMaxIdleConns(2)
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
		// query it: have a clean instance ready.
		b.refill()
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

// takeClean hands out a never-used instance for one untrusted query (the
// caller closes it) and starts opening the next spare.
func (b *sandbox) takeClean(ctx context.Context) (*sql.DB, error) {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return nil, apperr.New(apperr.Canceled, "the session was closed")
	}
	db := b.spare
	b.spare = nil
	b.mu.Unlock()
	if db == nil {
		var err error
		if db, err = b.open(); err != nil {
			return nil, err
		}
	}
	b.refill()
	return db, nil
}

// refill opens a spare instance in the background, unless one exists or
// is being opened. It runs inside a caller's acquire, so inflight is > 0
// and close waits for it.
func (b *sandbox) refill() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed || b.spare != nil || b.filling {
		return
	}
	b.filling = true
	b.inflight.Add(1)
	go func() {
		defer b.inflight.Done()
		db, err := b.open()
		b.mu.Lock()
		defer b.mu.Unlock()
		b.filling = false
		if err != nil {
			return // the next query opens one itself and reports the error
		}
		if b.closed || b.spare != nil {
			b.closeInstance(db)
			return
		}
		b.spare = db
	}()
}

func (b *sandbox) idleSince(now time.Time) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.refs > 0 || b.filling {
		return 0
	}
	return now.Sub(b.lastUsed)
}

// close cancels the running queries (DuckDB is interrupted through their
// contexts), waits for them and any background open to return, then closes
// the cached instances. The caller has already removed b from the engine's
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
	var errs []error
	for _, db := range []*sql.DB{b.shared, b.spare} {
		if db != nil {
			errs = append(errs, b.closeInstance(db))
		}
	}
	b.shared, b.spare = nil, nil
	b.file.drop() // the sandbox's own ref; running instances keep theirs
	return errors.Join(errs...)
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
