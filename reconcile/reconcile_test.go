package reconcile

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/analyzerhq/analyzer/datadir"
	"github.com/analyzerhq/analyzer/duck"
	"github.com/analyzerhq/analyzer/storage"
)

// fixture is a real metadata database and data directory with sessions
// ingested by the real engine.
type fixture struct {
	t       *testing.T
	store   *storage.DB
	dbPath  string
	engine  *duck.Engine
	dataDir string
	user    string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "meta.db")
	store, err := storage.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	dataDir := filepath.Join(dir, "data")
	engine, err := duck.New(duck.Config{DataDir: dataDir, MemoryLimit: "256MB", QueryMemoryLimit: "128MB", Threads: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { engine.Close(); store.Close() })
	u, err := store.CreateUser(ctx, "alice@example.com", "password123")
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, store: store, dbPath: dbPath, engine: engine, dataDir: dataDir, user: u.ID}
}

// ingest stores a dataset with the engine and, when commit is set, its
// session row, as the upload handler does.
func (f *fixture) ingest(commit bool) string {
	f.t.Helper()
	ctx := context.Background()
	src := filepath.Join(f.t.TempDir(), "upload.csv")
	os.WriteFile(src, []byte("city,v\nParis,1\nBerlin,2\n"), 0o600)
	id := storage.NewSessionID()
	ds, err := f.engine.Ingest(ctx, id, src, "people.csv")
	if err != nil {
		f.t.Fatal(err)
	}
	if commit {
		sess := &storage.Session{ID: id, UserID: f.user, Title: "people.csv"}
		file := &storage.File{Filename: "people.csv", PathOnDisk: ds.OriginalPath, RowCount: ds.RowCount, ColCount: len(ds.Columns), Format: ds.Format}
		if err := f.store.CreateSession(ctx, sess, file); err != nil {
			f.t.Fatal(err)
		}
		// The engine profiles in the background after an ingest; wait for it,
		// so that its own temporary files are gone before the test plants the
		// ones a crash would leave.
		if _, err := f.engine.Profile(ctx, id); err != nil {
			f.t.Fatal(err)
		}
	}
	return id
}

func (f *fixture) write(rel string, content string, age time.Duration) {
	f.t.Helper()
	p := filepath.Join(f.dataDir, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
		f.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		f.t.Fatal(err)
	}
	if age > 0 {
		old := time.Now().Add(-age)
		os.Chtimes(p, old, old)
		os.Chtimes(filepath.Dir(p), old, old)
	}
}

func (f *fixture) exists(rel string) bool {
	_, err := os.Stat(filepath.Join(f.dataDir, rel))
	return err == nil
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	sort.Strings(s)
	return s
}

func TestReconcileRepairsWhatACrashLeaves(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()

	committed := f.ingest(true)
	f.write(filepath.Join(committed, "tmp", "spill_0.tmp"), "spill", 0)
	f.write(filepath.Join(committed, "profile.json.tmp"), "{", 0)

	orphanComplete := f.ingest(false)

	orphanHalf := storage.NewSessionID()
	f.write(filepath.Join(orphanHalf, "original.csv"), "city,v\nParis,1\n", 0)
	f.write(filepath.Join(orphanHalf, "data.parquet"), "PAR1\x15\x04\x15", 0) // cut short

	vanished := f.ingest(true)
	os.RemoveAll(filepath.Join(f.dataDir, vanished))

	noFileRow := f.ingest(true)
	raw, err := sql.Open("sqlite", f.dbPath)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("DELETE FROM files WHERE session_id = ?", noFileRow); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	f.write(filepath.Join(datadir.Uploads, "upload-123456"), "name,age\nAli", 0)
	f.write(filepath.Join(datadir.Uploads, "notes.txt"), "mine", 0)
	f.write(".secret_key.98765", "half a key", 0)
	f.write(filepath.Join("backup", "keep.csv"), "not ours", 0)

	rep, err := Run(ctx, f.store, f.dataDir, Options{Exclusive: true})
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want []string
	}{
		{"removed uploads", rep.RemovedUploads, []string{filepath.Join(datadir.Uploads, "upload-123456")}},
		{"removed temp", rep.RemovedTemp, []string{".secret_key.98765", filepath.Join(committed, "profile.json.tmp"), filepath.Join(committed, "tmp")}},
		{"removed incomplete", rep.RemovedIncomplete, []string{orphanHalf}},
		{"quarantined", rep.Quarantined, []string{filepath.Join(datadir.Orphans, orphanComplete)}},
		{"missing data", rep.MissingData, []string{vanished}},
		{"missing file row", rep.MissingFileRow, []string{noFileRow}},
		{"unknown", rep.Unknown, []string{filepath.Join(datadir.Uploads, "notes.txt"), "backup"}},
		{"database problems", rep.DatabaseProblems, nil},
		{"skipped", rep.Skipped, nil},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			if !slices.Equal(sorted(c.got), sorted(c.want)) {
				t.Fatalf("got %q, want %q", c.got, c.want)
			}
		})
	}

	t.Run("complete data is kept", func(t *testing.T) {
		for _, rel := range []string{
			filepath.Join(committed, "data.parquet"), filepath.Join(committed, "original.csv"), filepath.Join(committed, "profile.json"),
			filepath.Join(datadir.Orphans, orphanComplete, "data.parquet"), filepath.Join(datadir.Orphans, orphanComplete, "original.csv"),
			filepath.Join(datadir.Uploads, "notes.txt"), filepath.Join("backup", "keep.csv"),
		} {
			if !f.exists(rel) {
				t.Errorf("%s is gone", rel)
			}
		}
		for _, rel := range []string{orphanHalf, orphanComplete, filepath.Join(committed, "tmp")} {
			if f.exists(rel) {
				t.Errorf("%s is still there", rel)
			}
		}
		ids, _ := f.store.SessionIDs(ctx)
		if len(ids) != 3 {
			t.Errorf("sessions %v: rows are never deleted", ids)
		}
		if _, err := f.engine.Preview(ctx, committed, 10); err != nil {
			t.Errorf("the committed session no longer reads: %v", err)
		}
	})

	t.Run("a second run finds nothing to repair", func(t *testing.T) {
		again, err := Run(ctx, f.store, f.dataDir, Options{Exclusive: true})
		if err != nil {
			t.Fatal(err)
		}
		if again.Repaired() {
			t.Fatalf("repaired again: %+v", again)
		}
		if len(again.MissingData) != 1 || len(again.MissingFileRow) != 1 {
			t.Fatalf("problems are reported each time: %+v", again)
		}
	})
}

func TestReconcileWithoutTheLockTouchesOnlyStaleLeftovers(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	committed := f.ingest(true)
	freshOrphan := f.ingest(false)
	oldOrphan := storage.NewSessionID()
	f.write(filepath.Join(oldOrphan, "original.csv"), "a\n1\n", 3*time.Hour)
	f.write(filepath.Join(datadir.Uploads, "upload-fresh"), "a,b\n", 0)
	f.write(filepath.Join(datadir.Uploads, "upload-old"), "a,b\n", 3*time.Hour)
	f.write(filepath.Join(committed, "tmp", "x"), "spill", 0)

	rep, err := Run(ctx, f.store, f.dataDir, Options{Exclusive: false, StaleAfter: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rep.RemovedUploads, []string{filepath.Join(datadir.Uploads, "upload-old")}) ||
		!slices.Equal(rep.RemovedIncomplete, []string{oldOrphan}) ||
		!slices.Equal(sorted(rep.Skipped), sorted([]string{filepath.Join(datadir.Uploads, "upload-fresh"), freshOrphan, filepath.Join(committed, "tmp")})) {
		t.Fatalf("report %+v", rep)
	}
	if !f.exists(filepath.Join(datadir.Uploads, "upload-fresh")) || !f.exists(freshOrphan) {
		t.Fatal("a fresh leftover, perhaps in use by another process, was touched")
	}
}

func TestLockIsExclusive(t *testing.T) {
	dir := t.TempDir()
	release, ok, err := Lock(dir)
	if err != nil || !ok {
		t.Skipf("no lock on this platform: %v", err)
	}
	_, second, err := Lock(dir)
	if err != nil || second {
		t.Fatalf("a second holder got the lock: %v %v", second, err)
	}
	release()
	release2, third, err := Lock(dir)
	if err != nil || !third {
		t.Fatalf("the released lock could not be taken: %v %v", third, err)
	}
	release2()
}

func TestCompleteParquet(t *testing.T) {
	f := newFixture(t)
	id := f.ingest(true)
	whole, _ := os.ReadFile(filepath.Join(f.dataDir, id, "data.parquet"))
	dir := t.TempDir()
	tests := []struct {
		name    string
		content []byte
		want    bool
	}{
		{"whole", whole, true},
		{"cut in half", whole[:len(whole)/2], false},
		{"last byte missing", whole[:len(whole)-1], false},
		{"magic only", []byte("PAR1PAR1"), false},
		{"footer too long", append([]byte("PAR1xxxx"), 0xff, 0xff, 0, 0, 'P', 'A', 'R', '1'), false},
		{"empty", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, tt.name)
			os.WriteFile(p, tt.content, 0o600)
			if got := completeParquet(p); got != tt.want {
				t.Fatalf("got %v", got)
			}
		})
	}
}

// TestReconcileLeavesDeletedSessionsToThePurge: a session its user deleted
// whose files the purge removed before a crash took its row is not
// reported as missing data; its row is the purge's to finish.
func TestReconcileLeavesDeletedSessionsToThePurge(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	id := f.ingest(true)
	if err := f.store.SoftDeleteSession(ctx, f.user, id, time.Now().Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(f.dataDir, id)); err != nil {
		t.Fatal(err)
	}
	rep, err := Run(ctx, f.store, f.dataDir, Options{Exclusive: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Problems() || len(rep.MissingData) > 0 {
		t.Errorf("report %+v", rep)
	}
	if ids, _ := f.store.DeletedBefore(ctx, time.Now()); len(ids) != 1 || ids[0] != id {
		t.Errorf("deleted sessions %v", ids)
	}
}
