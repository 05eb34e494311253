package storage

import (
	"context"
	"fmt"

	"github.com/analyzerhq/analyzer/apperr"
)

// StoredSession is a session as the start-up reconciliation sees it.
type StoredSession struct {
	ID      string
	HasFile bool // the session has its files row
	// Versions are the directories of the session's table versions
	// written after its first upload ("v/<id>", tables.go).
	Versions []string
	// Deleted: the user deleted it and its purge is due (trash.go); its
	// files may already be gone.
	Deleted bool
}

// StoredSessions lists every session and whether it has a file row, for
// reconciling the data directory with the database.
func (db *DB) StoredSessions(ctx context.Context) ([]StoredSession, error) {
	var rows []struct {
		ID      string `bun:"id"`
		Files   int    `bun:"files"`
		Deleted bool   `bun:"deleted"`
	}
	err := db.bun.NewSelect().TableExpr("sessions AS s").
		ColumnExpr("s.id AS id").
		ColumnExpr("(SELECT count(*) FROM files AS f WHERE f.session_id = s.id) AS files").
		ColumnExpr("s.deleted_at IS NOT NULL AS deleted").
		Scan(ctx, &rows)
	if err != nil {
		return nil, apperr.Wrap(apperr.Internal, "could not list sessions", err)
	}
	dirs, err := db.VersionDirs(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]StoredSession, len(rows))
	for i, r := range rows {
		out[i] = StoredSession{ID: r.ID, HasFile: r.Files > 0, Deleted: r.Deleted}
		for _, d := range dirs[r.ID] {
			if d != "" {
				out[i].Versions = append(out[i].Versions, d)
			}
		}
	}
	return out, nil
}

// Check runs SQLite's quick integrity check and its foreign key check and
// returns the problems they report; none means the file is sound.
// PostgreSQL checks its own pages and enforces its foreign keys on every
// write: there is nothing to ask it.
func (db *DB) Check(ctx context.Context) ([]string, error) {
	if db.postgres {
		return nil, nil
	}
	var problems []string
	rows, err := db.bun.QueryContext(ctx, "PRAGMA quick_check")
	if err != nil {
		return nil, fmt.Errorf("integrity check: %w", err)
	}
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			rows.Close()
			return nil, fmt.Errorf("integrity check: %w", err)
		}
		if line != "ok" {
			problems = append(problems, "integrity: "+line)
		}
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	fk, err := db.bun.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return nil, fmt.Errorf("foreign key check: %w", err)
	}
	defer fk.Close()
	for fk.Next() {
		var table, parent string
		var rowid, fkid any
		if err := fk.Scan(&table, &rowid, &parent, &fkid); err != nil {
			return nil, fmt.Errorf("foreign key check: %w", err)
		}
		problems = append(problems, fmt.Sprintf("foreign key: a row of %s (rowid %v) names a missing %s", table, rowid, parent))
	}
	return problems, fk.Err()
}
