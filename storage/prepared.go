package storage

import (
	"context"
	"database/sql"
	"sync"
)

// The queries every authenticated request runs (the account behind a
// token) and the most frequent page (a user's session list) are prepared
// once and reused: SQLite then skips parsing and planning them each time.
// The cache belongs to the database handle: migrations empty it, since a
// schema change can invalidate a plan, and Close releases it.
type stmtCache struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// prepared returns the prepared statement for query, preparing it on
// first use. A *sql.Stmt is safe for concurrent use over the pool.
func (db *DB) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	c := &db.stmts
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.m[query]; ok {
		return st, nil
	}
	text := query
	if db.postgres {
		text = dollarParams(query)
	}
	st, err := db.bun.DB.PrepareContext(ctx, text)
	if err != nil {
		return nil, err
	}
	if c.m == nil {
		c.m = map[string]*sql.Stmt{}
	}
	c.m[query] = st
	return st, nil
}

// resetStatements closes every prepared statement; the next use prepares
// it again against the current schema.
func (db *DB) resetStatements() {
	c := &db.stmts
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		_ = st.Close()
	}
	clear(c.m)
}
