package agent

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/uuid"

	"github.com/analyzerhq/analyzer/duck"
)

// mustSession returns an engine holding one small ingested dataset and its
// session id; both are gone when the test ends.
func mustSession(tb testing.TB) (*duck.Engine, string) {
	tb.Helper()
	dir := tb.TempDir()
	eng, err := duck.New(duck.Config{DataDir: dir, MemoryLimit: "512MB", QueryMemoryLimit: "256MB", Threads: 2}, nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = eng.Close() })
	src := filepath.Join(dir, "upload-small.csv")
	if err := os.WriteFile(src, []byte("city,n\nParis,3\nLyon,5\n"), 0o600); err != nil {
		tb.Fatal(err)
	}
	sid := uuid.NewString()
	if _, err := eng.Ingest(context.Background(), sid, src, "small.csv"); err != nil {
		tb.Fatalf("ingest: %v", err)
	}
	return eng, sid
}
