package duck

import (
	"database/sql"
	"fmt"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// PooledInstances is how many opened, never-used DuckDB instances the
// engine keeps ready for sandboxed queries.
const PooledInstances = 2

// pool keeps a few DuckDB instances opened with the sandbox's start-up
// configuration (threads, memory limit, no temp directory, extensions
// off), so that a query does not wait for DuckDB to start one (~10 ms of
// CPU). They are bound to no session: at take-time openInstance gives one
// its session's file (allowed_paths, the view) and locks its
// configuration, ~2 ms, before any other SQL runs on it. An instance is
// handed out once and never comes back: the query's caller closes it, and
// the pool opens a replacement after that query, not during it.
//
// An idle pooled instance holds no memory share: it has allocated next to
// nothing (a few MiB of DuckDB's own structures, see BENCHMARKS.md) and
// takes its share, as any query instance, before it runs anything.
type pool struct {
	open func() (*sql.DB, error)

	mu      sync.Mutex
	ready   []*sql.DB
	filling int
	closed  bool
	wg      sync.WaitGroup

	opened atomic.Int64 // instances opened, for tests
}

func newPool(open func() (*sql.DB, error)) *pool { return &pool{open: open} }

// take returns a never-used instance: a pooled one, or a new one when
// the pool is empty. It does not refill the pool (fill does).
func (p *pool) take() (*sql.DB, error) {
	p.mu.Lock()
	if n := len(p.ready); n > 0 && !p.closed {
		db := p.ready[n-1]
		p.ready = p.ready[:n-1]
		p.mu.Unlock()
		return db, nil
	}
	p.mu.Unlock()
	p.opened.Add(1)
	return p.open()
}

// fill opens instances in the background until the pool holds
// PooledInstances (counting those being opened).
func (p *pool) fill() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for !p.closed && len(p.ready)+p.filling < PooledInstances {
		p.filling++
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.opened.Add(1)
			db, err := p.open()
			p.mu.Lock()
			defer p.mu.Unlock()
			p.filling--
			if err != nil {
				return // take opens one itself and reports the error
			}
			if p.closed {
				db.Close()
				return
			}
			p.ready = append(p.ready, db)
		}()
	}
}

// close waits for the instances being opened and closes every pooled one.
func (p *pool) close() error {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	p.wg.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	var first error
	for _, db := range p.ready {
		if err := db.Close(); err != nil && first == nil {
			first = err
		}
	}
	p.ready = nil
	return first
}

// openBare starts an instance with the sandbox's start-up configuration:
// extensions off, resources capped, no temp directory, no home
// directory. It is not yet bound to a file nor locked (openInstance does
// both before anything else runs on it).
//
// There is no temp directory: spilling needs a writable directory, which
// DuckDB adds to allowed_directories (COPY could write there) and reports
// in settings. A query that needs more than its memory share fails with a
// clear error instead.
func (e *Engine) openBare(memory int64) (*sql.DB, error) {
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
	db.SetMaxIdleConns(2)
	return db, nil
}
