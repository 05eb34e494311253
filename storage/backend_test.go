package storage

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/analyzerhq/analyzer/storage/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// backend is one kind of metadata database the tests run against.
type backend struct {
	name string
	open func(tb testing.TB) *DB // empty, not migrated
}

// migrated opens an empty database and applies every migration.
func (b backend) migrated(tb testing.TB) *DB {
	tb.Helper()
	db := b.open(tb)
	if _, err := db.Migrate(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return db
}

var backends = []backend{
	{"sqlite", func(tb testing.TB) *DB {
		tb.Helper()
		db, err := Open(context.Background(), filepath.Join(tb.TempDir(), "sub", "meta.db"))
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { db.Close() })
		return db
	}},
	{"postgres", func(tb testing.TB) *DB {
		tb.Helper()
		db, err := OpenPostgres(context.Background(), pgtest.URL(tb))
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { db.Close() })
		return db
	}},
}

// eachBackend runs fn once per backend, as subtests named after them.
func eachBackend(t *testing.T, fn func(t *testing.T, b backend)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { fn(t, b) })
	}
}
