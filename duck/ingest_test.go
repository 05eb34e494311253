package duck

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/analyzerhq/analyzer/apperr"
)

// TestIngestCancel stops an ingest midway: the caller gets Canceled
// promptly and nothing is left behind.
func TestIngestCancel(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	e := newTestEngine(t, func(c *Config) { c.Threads = 1 })
	var b bytes.Buffer
	b.WriteString("id,name,amount,day\n")
	for i := 0; b.Len() < 60<<20; i++ {
		fmt.Fprintf(&b, "%d,name %d,%d.5,2024-01-%02d\n", i, i%977, i, 1+i%28)
	}
	src := writeUpload(t, b.Bytes())
	id := uuid.NewString()
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(400*time.Millisecond, cancel)
	start := time.Now()
	_, err := e.Ingest(ctx, id, src, "big.csv")
	if k := kindOf(err); k != apperr.Canceled {
		t.Fatalf("kind = %s (%v) after %v", k, err, time.Since(start))
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("stopped after %v", d)
	}
	if _, err := os.Stat(filepath.Join(e.dataDir, id)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("session dir left: %v", listFiles(t, filepath.Join(e.dataDir, id)))
	}
	if _, err := os.Stat(src); !errors.Is(err, os.ErrNotExist) {
		t.Error("upload left")
	}
}

// TestIngestIntoExistingEmptyDir accepts a session directory the server
// created (say, to stream the upload into it) as long as it holds no data.
func TestIngestIntoExistingEmptyDir(t *testing.T) {
	e := newTestEngine(t)
	id := uuid.NewString()
	dir := filepath.Join(e.dataDir, id)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(dir, "upload.tmp")
	if err := os.WriteFile(src, []byte("a,b\n1,2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ds, err := e.Ingest(context.Background(), id, src, "x.csv")
	if err != nil {
		t.Fatal(err)
	}
	if ds.RowCount != 1 {
		t.Errorf("rows = %d", ds.RowCount)
	}
	if _, err := os.Stat(src); !errors.Is(err, os.ErrNotExist) {
		t.Error("upload left")
	}
}
