package duck

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
)

// The profile runs on an instance of its own whose memory_limit is
// ProfileMemoryLimit, not the ingest's: the instances opened for one upload
// are the ingest's (512 MB here) and then the profile's (64 MiB), and the
// duplicate count, whose hash of every row needs about 175 MB for 3M rows
// without a limit, is still exact within it.
func TestProfileRunsUnderItsMemoryLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests 3M rows")
	}
	const rows, dups = 3_000_000, 1234
	var b bytes.Buffer
	b.Grow(rows * 16)
	b.WriteString("a,b\n")
	for i := 0; i < rows-dups; i++ {
		b.WriteString(strconv.Itoa(i))
		b.WriteByte(',')
		b.WriteString(strconv.Itoa(i * 7 % 1000))
		b.WriteByte('\n')
	}
	for i := 0; i < dups; i++ { // copies of rows 0..dups-1
		b.WriteString(strconv.Itoa(i) + "," + strconv.Itoa(i*7%1000) + "\n")
	}
	var limits []int64
	var mu sync.Mutex
	logger := slog.New(recordHandler(func(r slog.Record) {
		if r.Message != "duck: work instance" {
			return
		}
		r.Attrs(func(a slog.Attr) bool {
			if a.Key == "memory_limit" {
				mu.Lock()
				limits = append(limits, a.Value.Int64())
				mu.Unlock()
			}
			return true
		})
	}))
	e, err := New(Config{DataDir: t.TempDir(), MemoryLimit: "512MB", ProfileMemoryLimit: "64MiB", Threads: 2}, logger)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	id := uuid.NewString()
	if _, err := e.Ingest(context.Background(), id, writeUpload(t, b.Bytes()), "dups.csv"); err != nil {
		t.Fatal(err)
	}
	p, err := e.Profile(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if p.RowCount != rows || p.DuplicateRows != dups {
		t.Fatalf("rows %d duplicates %d, want %d and %d", p.RowCount, p.DuplicateRows, rows, dups)
	}
	mu.Lock()
	defer mu.Unlock()
	if want := []int64{512_000_000, 64 << 20}; !slices.Equal(limits, want) {
		t.Fatalf("instances opened with memory_limit %v, want %v", limits, want)
	}
	dir, _ := e.sessionDir(id)
	if _, err := os.Stat(filepath.Join(dir, tempName)); !os.IsNotExist(err) {
		t.Fatalf("the temp directory is still there: %v", err)
	}
}

// recordHandler passes every record to f.
type recordHandler func(slog.Record)

func (h recordHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h recordHandler) Handle(_ context.Context, r slog.Record) error {
	h(r)
	return nil
}
func (h recordHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h recordHandler) WithGroup(string) slog.Handler      { return h }

// The profile's memory limit is at most the ingest's share, and at least
// the smallest share an instance gets.
func TestProfileMemoryLimitWithinIngestShare(t *testing.T) {
	for _, tc := range []struct {
		ingest, profile string
		want            int64
	}{
		{"512MB", "256MB", 256_000_000},
		{"128MB", "256MB", 128_000_000},
		{"512MB", "1MB", minShare},
	} {
		e := newTestEngine(t, func(c *Config) { c.MemoryLimit, c.ProfileMemoryLimit = tc.ingest, tc.profile })
		if e.budget.profile != tc.want {
			t.Errorf("ingest %s profile %s: %d, want %d", tc.ingest, tc.profile, e.budget.profile, tc.want)
		}
	}
}

// The profile's timeout grows with the rows it scans.
func TestProfileTimeoutGrowsWithRows(t *testing.T) {
	e := newTestEngine(t, func(c *Config) { c.ProfileTimeout = time.Minute })
	for _, tc := range []struct {
		rows int64
		want time.Duration
	}{
		{0, time.Minute},
		{10_000_000, time.Minute},
		{10_000_001, 2 * time.Minute},
		{50_000_000, 5 * time.Minute},
	} {
		if got := e.profileTimeout(tc.rows); got != tc.want {
			t.Errorf("%d rows: %v, want %v", tc.rows, got, tc.want)
		}
	}
}

// The answer waits for the profile only when it can be ready in time.
func TestProfileWaitFor(t *testing.T) {
	for _, tc := range []struct {
		rows int64
		want time.Duration
	}{
		{0, profileWait},
		{3, profileWait},
		{profileWaitRows, profileWait},
		{profileWaitRows + 1, 0},
		{10_000_000, 0},
	} {
		if got := profileWaitFor(tc.rows); got != tc.want {
			t.Errorf("%d rows: %v, want %v", tc.rows, got, tc.want)
		}
	}
}
