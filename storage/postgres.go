package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/driver/pgdriver"
)

// PostgreSQL is the metadata database of several instances. Bun's own
// driver (pgdriver) is used rather than pgx: it is released with Bun, pure
// Go, and has the LISTEN/NOTIFY listener the instances use to reach each
// other (see Notify and Listen), without a second connection library.

// IsPostgresURL tells a PostgreSQL DATABASE_URL from a SQLite one.
func IsPostgresURL(u string) bool {
	return strings.HasPrefix(u, "postgres://") || strings.HasPrefix(u, "postgresql://")
}

// OpenPostgres connects to the PostgreSQL database named by dsn
// (postgres://user:password@host:port/db?sslmode=disable).
func OpenPostgres(ctx context.Context, dsn string) (*DB, error) {
	connector := pgdriver.NewConnector(pgdriver.WithDSN(dsn), pgdriver.WithTimeout(10*time.Second))
	sqldb := sql.OpenDB(connector)
	sqldb.SetMaxOpenConns(20)
	sqldb.SetMaxIdleConns(10)
	sqldb.SetConnMaxIdleTime(5 * time.Minute)
	if err := sqldb.PingContext(ctx); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("open database: %s", pgError(err))
	}
	return &DB{bun: bun.NewDB(sqldb, pgdialect.New()), postgres: true, dsn: dsn}, nil
}

// pgError is err without the DSN (which may carry a password).
func pgError(err error) string {
	s := err.Error()
	if i := strings.Index(s, "postgres://"); i >= 0 {
		return s[:i] + "…"
	}
	return s
}

// Postgres tells whether the database is PostgreSQL.
func (db *DB) Postgres() bool { return db.postgres }

// dollarParams rewrites the ? placeholders of a hand-written query as
// PostgreSQL's $1, $2, …; the queries passed here have no ? inside quotes.
func dollarParams(query string) string {
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Dialect names the database for /api/health: "postgres" or "sqlite".
func (db *DB) Dialect() string {
	if db.postgres {
		return "postgres"
	}
	return "sqlite"
}
