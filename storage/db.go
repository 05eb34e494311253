// Package storage owns the metadata database: users, sessions, the files
// they hold and the messages exchanged. SQLite is the embedded default;
// PostgreSQL (postgres.go) serves several instances. Queries go through
// Bun's builder so that both dialects run the same code.
package storage

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	_ "modernc.org/sqlite" // registers the "sqlite" driver: pure Go, no second copy of C symbols beside DuckDB's
)

// DB is the metadata database.
type DB struct {
	bun      *bun.DB
	stmts    stmtCache // prepared.go
	cache    readCache // cache.go
	postgres bool      // postgres.go; SQLite otherwise
	dsn      string    // PostgreSQL's, for the listener
}

// Open opens (creating if needed) the SQLite database at path. Pragmas go in
// the DSN so that every pooled connection gets them: busy_timeout first so
// that the others wait instead of failing, WAL for readers beside a writer,
// foreign keys for the cascades, and immediate transactions so that two
// writers queue instead of deadlocking on upgrade.
func Open(ctx context.Context, path string) (*DB, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("create database directory: %w", err)
		}
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	dsn := "file:" + path + "?" + q.Encode()

	sqldb, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	sqldb.SetMaxOpenConns(8)
	sqldb.SetMaxIdleConns(8)
	sqldb.SetConnMaxIdleTime(5 * time.Minute)
	if err := sqldb.PingContext(ctx); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("open database %s: %w", filepath.Base(path), err)
	}
	return &DB{bun: bun.NewDB(sqldb, sqlitedialect.New())}, nil
}

// Close closes the database.
func (db *DB) Close() error {
	db.resetStatements()
	return db.bun.Close()
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.bun.PingContext(ctx) }
