// Package pgtest gives tests a real PostgreSQL database: a fresh, empty
// database per call, on the server named by TEST_DATABASE_URL or, when it
// is not set, on a throwaway server started from the installed PostgreSQL
// binaries (Debian's postgresql package) in a temporary folder. Without
// either the test is skipped, except under CI=true, where it fails: CI
// must run the PostgreSQL tests.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun/driver/pgdriver"
)

// EnvURL names an existing server for the tests (its user must be
// allowed to create databases); unset, a throwaway server is started.
const EnvURL = "TEST_DATABASE_URL"

var (
	once    sync.Once
	admin   string // DSN of the server's maintenance database
	srv     *server
	initErr error
)

// URL returns the DSN of a new, empty database, dropped when tb ends.
func URL(tb testing.TB) string {
	tb.Helper()
	once.Do(func() {
		if u := os.Getenv(EnvURL); u != "" {
			admin = u
			return
		}
		srv, initErr = start()
		if initErr == nil {
			admin = srv.dsn("postgres")
		}
	})
	if initErr != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("PostgreSQL is needed in CI: %v", initErr)
		}
		tb.Skipf("no PostgreSQL for this test (set %s or install postgresql): %v", EnvURL, initErr)
	}
	name := "t_" + randomHex(8)
	if err := runSQL(admin, "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("create test database: %v", err)
	}
	tb.Cleanup(func() {
		// Connections still open (a server under test that has not
		// closed yet) are ended with the database.
		_ = runSQL(admin, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	u, err := url.Parse(admin)
	if err != nil {
		tb.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// Main runs the tests and stops the throwaway server, if one was started:
// func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }.
func Main(m interface{ Run() int }) int {
	code := m.Run()
	if srv != nil {
		srv.stop()
	}
	return code
}

func runSQL(dsn, stmt string) error {
	db := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(dsn)))
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := db.ExecContext(ctx, stmt)
	return err
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (s *server) dsn(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", s.port, db)
}

// Standalone starts a throwaway server for a program that is not a test
// (the load benchmark): the DSN of its maintenance database, whose user
// may create databases, and the function that stops it.
func Standalone() (dsn string, stop func(), err error) {
	s, err := start()
	if err != nil {
		return "", nil, err
	}
	return s.dsn("postgres"), s.stop, nil
}

// CreateDatabase creates a new, empty database on the server of the
// maintenance DSN admin and returns its DSN.
func CreateDatabase(admin string) (string, error) {
	name := "b_" + randomHex(8)
	if err := runSQL(admin, "CREATE DATABASE "+name); err != nil {
		return "", err
	}
	u, err := url.Parse(admin)
	if err != nil {
		return "", err
	}
	u.Path = "/" + name
	return u.String(), nil
}
