package duck

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/analyzerhq/analyzer/apperr"
)

// newTestEngine returns an engine on a temp data dir, closed with the test.
func newTestEngine(tb testing.TB, mod ...func(*Config)) *Engine {
	tb.Helper()
	cfg := Config{
		DataDir:          tb.TempDir(),
		MemoryLimit:      "512MB",
		QueryMemoryLimit: "256MB",
		Threads:          2,
		QueryTimeout:     10 * time.Second,
	}
	for _, m := range mod {
		m(&cfg)
	}
	var out io.Writer = io.Discard
	if os.Getenv("DUCK_TEST_LOG") != "" {
		out = os.Stderr
	}
	e, err := New(cfg, slog.New(slog.NewTextHandler(out, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := e.Close(); err != nil {
			tb.Errorf("close: %v", err)
		}
	})
	return e
}

// writeUpload writes content to a fresh temp file, as the server would.
func writeUpload(tb testing.TB, content []byte) string {
	tb.Helper()
	f, err := os.CreateTemp(tb.TempDir(), "upload-*")
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := f.Write(content); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return f.Name()
}

// mustIngest ingests content under a new session id and fails the test on error.
func mustIngest(tb testing.TB, e *Engine, filename string, content []byte) (string, *Dataset) {
	tb.Helper()
	id := uuid.NewString()
	ds, err := e.Ingest(context.Background(), id, writeUpload(tb, content), filename)
	if err != nil {
		tb.Fatalf("ingest %s: %v", filename, err)
	}
	return id, ds
}

func mustQuery(tb testing.TB, e *Engine, id, q string) *Result {
	tb.Helper()
	res, err := e.Query(context.Background(), id, q)
	if err != nil {
		tb.Fatalf("query %q: %v", q, err)
	}
	return res
}

// listFiles returns every path under dir, relative to it.
func listFiles(tb testing.TB, dir string) []string {
	tb.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && p != dir {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, rel)
		}
		return nil
	})
	return out
}

func kindOf(err error) apperr.Kind { return apperr.KindOf(err) }

// dataPathFor returns the name under which the session's sandbox reads
// data.parquet (/proc/self/fd/N on Linux).
func dataPathFor(tb testing.TB, e *Engine, id string) string {
	tb.Helper()
	mustQuery(tb, e, id, "SELECT 1")
	e.mu.Lock()
	defer e.mu.Unlock()
	b := e.boxes[id]
	if b == nil {
		tb.Fatal("no sandbox")
	}
	return b.files[0].path
}
