package duck

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/analyzerhq/analyzer/apperr"
)

// Config tunes the engine. Zero values take the documented defaults.
type Config struct {
	DataDir          string        // root; each session has DataDir/{sessionID}/
	MemoryLimit      string        // ingest instance, default "512MB"
	QueryMemoryLimit string        // per sandbox instance, default "1GB"
	Threads          int           // default runtime.NumCPU()
	MaxTempDirSize   string        // default "4GB"
	QueryTimeout     time.Duration // default 30s
	MaxResultRows    int           // default 10000
	IdleTimeout      time.Duration // cached sandbox instances closed after this, default 5m

	// ProfileMemoryLimit is the memory_limit of the instance that
	// profiles a dataset after ingest (statistics, duplicate rows, value
	// index), default "256MB", at most the ingest's share. The duplicate
	// count hashes every row (30-60 bytes a row in DuckDB's table): within
	// this limit DuckDB spills what does not fit to the session's temp
	// directory instead of growing with the file.
	ProfileMemoryLimit string

	// MaxCachedSessions bounds how many sessions keep their sandbox
	// (a pinned file and, once a preview was read from data.parquet, an
	// instance of a few MiB) between queries; beyond it the least recently used idle
	// session's are closed (a session in use is never closed). Default:
	// MemoryBudget/64 MiB, between 4 and 64.
	MaxCachedSessions int

	// MaxQueryBytes bounds the SQL text a query may carry, default 256 KiB.
	MaxQueryBytes int
	// ProfileTimeout bounds the profile computed at ingest, default 2m,
	// per started 10M rows (a 50M-row file has five times as long); a
	// profile that takes longer is skipped and recomputed on demand.
	ProfileTimeout time.Duration
	// PreserveInsertionOrder keeps the rows of data.parquet in file order.
	// Off by default: DuckDB then streams the CSV to Parquet with bounded
	// memory and full parallelism, at the price of row order.
	PreserveInsertionOrder bool

	// MemoryBudget is what all DuckDB instances of the process may use
	// together, in bytes; 0 takes DefaultMemoryBudget(). A query instance
	// gets min(QueryMemoryLimit, MemoryBudget/4), an ingest
	// min(MemoryLimit, MemoryBudget/2); see MemoryShares.
	MemoryBudget int64
	// BudgetWait is how long a query waits for its memory share before it
	// is refused as busy (apperr.Unavailable), default 5s. Ingests wait up
	// to their timeout.
	BudgetWait time.Duration
	// IngestTimeout bounds a whole ingest (queueing, every retry) when
	// IngestOptions.Timeout is 0, default 10m.
	IngestTimeout time.Duration
	// MaxResultBytes bounds the values one result carries, default 8 MiB:
	// reading stops at the first cell that passes it (TruncatedBytes).
	MaxResultBytes int
	// MaxCellBytes bounds one value of a result, default 64 KiB: longer
	// text (and nested values whose text is longer) is cut in SQL, before
	// it reaches Go; see Result.
	MaxCellBytes int

	// Fetch, when set, brings a session's files into DataDir/{id}/ (and
	// keeps them current) before the engine reads them: with an object
	// store, DataDir is this instance's cache (package filestore).
	Fetch func(ctx context.Context, sessionID string) error
	// Refresh, when set, is Fetch without trusting a recent fetch: the
	// engine calls it when the catalog names a table whose files are not
	// here yet (another instance has just written them).
	Refresh func(ctx context.Context, sessionID string) error
}

func (c *Config) setDefaults() {
	if c.MemoryBudget <= 0 {
		c.MemoryBudget = DefaultMemoryBudget()
	}
	if c.MemoryLimit == "" {
		// DuckDB's COPY is as fast at 256 MB as at 2 GB (BENCHMARKS.md).
		c.MemoryLimit = "512MB"
	}
	if c.ProfileMemoryLimit == "" {
		// The profile's duplicate count would fill the ingest's share
		// on a 10M-row file, taking the process past 512 MB of RSS.
		c.ProfileMemoryLimit = "256MB"
	}
	if c.QueryMemoryLimit == "" {
		c.QueryMemoryLimit = "1GB"
	}
	if c.Threads <= 0 {
		c.Threads = runtime.NumCPU()
	}
	if c.MaxTempDirSize == "" {
		c.MaxTempDirSize = "4GB"
	}
	if c.QueryTimeout <= 0 {
		c.QueryTimeout = 30 * time.Second
	}
	if c.MaxResultRows <= 0 {
		c.MaxResultRows = 10000
	}
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = 5 * time.Minute
	}
	if c.MaxCachedSessions <= 0 {
		c.MaxCachedSessions = int(min(max(c.MemoryBudget/(64<<20), 4), 64))
	}
	if c.MaxQueryBytes <= 0 {
		c.MaxQueryBytes = 256 << 10
	}
	if c.ProfileTimeout <= 0 {
		c.ProfileTimeout = 2 * time.Minute
	}
	if c.BudgetWait <= 0 {
		c.BudgetWait = 5 * time.Second
	}
	if c.IngestTimeout <= 0 {
		c.IngestTimeout = 10 * time.Minute
	}
	if c.MaxResultBytes <= 0 {
		c.MaxResultBytes = 8 << 20
	}
	if c.MaxCellBytes <= 0 {
		c.MaxCellBytes = 64 << 10
	}
	c.MaxCellBytes = min(c.MaxCellBytes, c.MaxResultBytes)
}

// Engine owns the data directory layout and every DuckDB instance.
type Engine struct {
	cfg     Config
	log     *slog.Logger
	dataDir string // absolute and clean
	parser  *parser
	catalog Catalog // the sessions' tables; nil: each has its one dataset

	// pool keeps never-used sandbox instances ready for queries; it is
	// refilled when running (the untrusted queries in progress) drops to 0.
	pool    *pool
	running atomic.Int64

	// budget shares MemoryBudget among query and ingest instances and
	// admits one ingest per owner at a time.
	budget *budget

	mu        sync.Mutex
	boxes     map[string]*sandbox
	removing  map[string]bool // sessions whose directory is being deleted
	ingesting map[string]bool // sessions being ingested
	jobs      map[string]*profileJob
	closed    bool

	// background counts query goroutines that outlived their caller
	// (see runUntrusted) and sandboxes being closed after eviction; Close
	// waits for them.
	background sync.WaitGroup

	stopReaper chan struct{}
	reaperDone chan struct{}
}

// New prepares the data directory and starts the idle reaper.
func New(cfg Config, log *slog.Logger) (*Engine, error) {
	cfg.setDefaults()
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.DataDir == "" {
		return nil, errors.New("duck: DataDir is required")
	}
	dir, err := filepath.Abs(cfg.DataDir)
	if err != nil {
		return nil, fmt.Errorf("duck: data dir: %w", err)
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("duck: data dir: %w", err)
	}
	p, err := newParser()
	if err != nil {
		return nil, err
	}
	bud, err := newBudget(cfg)
	if err != nil {
		return nil, err
	}
	e := &Engine{
		cfg:        cfg,
		log:        log,
		dataDir:    dir,
		parser:     p,
		budget:     bud,
		boxes:      map[string]*sandbox{},
		removing:   map[string]bool{},
		ingesting:  map[string]bool{},
		jobs:       map[string]*profileJob{},
		stopReaper: make(chan struct{}),
		reaperDone: make(chan struct{}),
	}
	e.pool = newPool(func() (*sql.DB, error) { return e.openBare(e.budget.query) })
	go e.reap()
	return e, nil
}

// Close closes every cached DuckDB instance, cancelling running queries.
func (e *Engine) Close() error {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return nil
	}
	e.closed = true
	boxes := e.boxes
	e.boxes = map[string]*sandbox{}
	for _, j := range e.jobs {
		j.cancel()
	}
	e.mu.Unlock()

	close(e.stopReaper)
	<-e.reaperDone
	var errs []error
	for _, b := range boxes {
		errs = append(errs, b.close())
	}
	e.background.Wait()
	errs = append(errs, e.pool.close())
	e.parser.close()
	return errors.Join(errs...)
}

// fetch brings the session's files into the data directory first when
// they are kept elsewhere (Config.Fetch).
func (e *Engine) fetch(ctx context.Context, sessionID string) error {
	if e.cfg.Fetch == nil {
		return nil
	}
	if _, err := e.sessionDir(sessionID); err != nil {
		return err
	}
	if err := e.cfg.Fetch(ctx, sessionID); err != nil {
		if ctx.Err() != nil {
			return ctxError(ctx.Err())
		}
		e.log.Error("duck: fetching a session's files", "session", sessionID, "err", err)
		return apperr.Wrap(apperr.Unavailable, "the session's data could not be read from the file store", err)
	}
	return nil
}

// sessionDir validates id and returns its directory. Only canonical
// lower-case UUIDs pass, so an id can never name another path.
func (e *Engine) sessionDir(id string) (string, error) {
	u, err := uuid.Parse(id)
	if err != nil || u.String() != id {
		return "", apperr.New(apperr.Invalid, "invalid session id")
	}
	return filepath.Join(e.dataDir, id), nil
}

func (e *Engine) parquetPath(id string) (string, error) {
	dir, err := e.sessionDir(id)
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, parquetName), nil
}

const (
	parquetName = "data.parquet"
	profileName = "profile.json"
	tempName    = "tmp"
)

// Remove closes the session's cached instance (cancelling its queries) and
// deletes its directory. Removing an absent session is not an error.
func (e *Engine) Remove(ctx context.Context, sessionID string) error {
	dir, err := e.sessionDir(sessionID)
	if err != nil {
		return err
	}
	// While the directory goes away, acquire refuses the session, so no
	// query can reopen an instance on files being deleted.
	e.mu.Lock()
	b := e.boxes[sessionID]
	delete(e.boxes, sessionID)
	e.removing[sessionID] = true
	e.mu.Unlock()
	defer func() {
		e.mu.Lock()
		delete(e.removing, sessionID)
		e.mu.Unlock()
	}()
	if b != nil {
		if err := b.close(); err != nil {
			e.log.Warn("duck: closing sandbox", "session", sessionID, "err", err)
		}
	}
	e.stopProfile(sessionID)
	if err := os.RemoveAll(dir); err != nil {
		return apperr.Wrap(apperr.Internal, "could not delete the session's files", err)
	}
	return nil
}

// reap closes sandbox instances that have been idle for IdleTimeout.
func (e *Engine) reap() {
	defer close(e.reaperDone)
	tick := e.cfg.IdleTimeout / 4
	if tick < 100*time.Millisecond {
		tick = 100 * time.Millisecond
	}
	if tick > 30*time.Second {
		tick = 30 * time.Second
	}
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-e.stopReaper:
			return
		case now := <-t.C:
			e.closeIdle(now)
		}
	}
}

// evictLocked removes the least recently used idle sandboxes from the
// cache while it holds more than MaxCachedSessions, and returns them for
// closing (outside e.mu). A sandbox in use (refs > 0) is never evicted: the
// cache may then stay over the cap until one is released. e.mu is held, so
// no acquire can take a sandbox being evicted.
func (e *Engine) evictLocked() []*sandbox {
	var out []*sandbox
	for len(e.boxes) > e.cfg.MaxCachedSessions {
		var victim string
		var oldest time.Time
		for id, b := range e.boxes {
			b.mu.Lock()
			idle, last := b.refs == 0, b.lastUsed
			b.mu.Unlock()
			if idle && (victim == "" || last.Before(oldest)) {
				victim, oldest = id, last
			}
		}
		if victim == "" {
			break
		}
		out = append(out, e.boxes[victim])
		delete(e.boxes, victim)
	}
	return out
}

// closeEvicted closes evicted sandboxes in the background (a sandbox waits
// for its spare instance being opened); Close waits for them. e.mu is held
// and the engine is not closed, so Close cannot be waiting yet.
func (e *Engine) closeEvicted(boxes []*sandbox) {
	for _, b := range boxes {
		e.background.Add(1)
		go func() {
			defer e.background.Done()
			if err := b.close(); err != nil {
				e.log.Warn("duck: closing evicted sandbox", "err", err)
			}
		}()
	}
}

// trimCache evicts down to the cap, after a release made a sandbox idle.
func (e *Engine) trimCache() {
	e.mu.Lock()
	if e.closed || len(e.boxes) <= e.cfg.MaxCachedSessions {
		e.mu.Unlock()
		return
	}
	e.closeEvicted(e.evictLocked())
	e.mu.Unlock()
}

func (e *Engine) closeIdle(now time.Time) {
	var idle []*sandbox
	e.mu.Lock()
	for id, b := range e.boxes {
		if b.idleSince(now) >= e.cfg.IdleTimeout {
			delete(e.boxes, id)
			idle = append(idle, b)
		}
	}
	e.mu.Unlock()
	for _, b := range idle {
		if err := b.close(); err != nil {
			e.log.Warn("duck: closing idle sandbox", "err", err)
		}
	}
}
