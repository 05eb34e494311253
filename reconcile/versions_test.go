package reconcile

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/duck"
	"github.com/analyzerhq/analyzer/tables"
)

// TestReconcileVersions: a version directory no row names (a change whose
// commit was interrupted) is removed with its files; a committed version
// and the first upload stay; a committed version whose files are gone is
// reported.
func TestReconcileVersions(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	id := f.ingest(true)
	svc := tables.New(f.store, f.engine, tables.Options{})
	ch, err := svc.Change(ctx, id, agent.Change{Table: "people", SQL: "SELECT * FROM people WHERE v > 1", Author: agent.AuthorUser})
	if err != nil {
		t.Fatal(err)
	}
	committed := filepath.Join(id, duck.VersionDir(ch.VersionID))
	// What a crash between writing a version and naming it leaves.
	orphanID := uuid.NewString()
	if _, err := f.engine.Transform(ctx, id, orphanID, "SELECT * FROM people"); err != nil {
		t.Fatal(err)
	}
	uncommitted := filepath.Join(id, duck.VersionDir(orphanID))
	f.write(filepath.Join(committed, "profile.json.tmp"), "{", 0)

	rep, err := Run(ctx, f.store, f.dataDir, Options{Exclusive: true})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rep.RemovedVersions, []string{uncommitted}) || f.exists(uncommitted) {
		t.Fatalf("removed versions: %v", rep.RemovedVersions)
	}
	if !f.exists(filepath.Join(committed, "data.parquet")) || !f.exists(filepath.Join(id, "data.parquet")) {
		t.Fatal("a committed version or the upload was removed")
	}
	if f.exists(filepath.Join(committed, "profile.json.tmp")) {
		t.Fatal("a version's temporary file stayed")
	}
	if len(rep.MissingVersions) != 0 {
		t.Fatalf("missing: %v", rep.MissingVersions)
	}
	// Files of a committed version gone: reported, nothing removed.
	if err := f.engine.RemoveDataset(id, duck.VersionDir(ch.VersionID)); err != nil {
		t.Fatal(err)
	}
	rep, err = Run(ctx, f.store, f.dataDir, Options{Exclusive: true})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rep.MissingVersions, []string{committed}) || !rep.Problems() {
		t.Fatalf("missing versions: %v", rep.MissingVersions)
	}
}
