package storage

import (
	"context"
	"testing"

	"github.com/analyzerhq/analyzer/apperr"
)

// TestTablesAndVersions runs the tables' data model on every backend:
// versions, the current pointer, undone versions dropped by a new one,
// the cap's deletions, the quota's bytes and the cascades.
func TestTablesAndVersions(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.migrated(t)
		u := mustUser(t, db, "a@example.com")
		s := mustSession(t, db, u.ID)

		primary := &Table{SessionID: s.ID, Name: "orders", SourceFilename: "orders.csv"}
		if err := db.CreateTable(ctx, primary, &TableVersion{Dir: "", Author: AuthorUpload, Description: "Uploaded", RowCount: 5, ColumnCount: 2}); err != nil {
			t.Fatal(err)
		}
		other := &Table{SessionID: s.ID, Name: "customers", Position: 1, SourceFilename: "c.csv"}
		if err := db.CreateTable(ctx, other, &TableVersion{Dir: "v/c1", Author: AuthorUpload, DiskBytes: 100}); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateTable(ctx, &Table{SessionID: s.ID, Name: "ORDERS"}, &TableVersion{Dir: "v/x"}); apperr.KindOf(err) != apperr.Conflict {
			t.Fatalf("a second table named orders: %v", err)
		}
		v2 := &TableVersion{Dir: "v/o2", Author: AuthorUser, Description: "filter", RowCount: 4, ColumnCount: 2, DiskBytes: 50}
		if _, err := db.AddVersion(ctx, primary.ID, 1, v2); err != nil || v2.Seq != 2 {
			t.Fatalf("add version: %+v %v", v2, err)
		}
		if _, err := db.AddVersion(ctx, primary.ID, 1, &TableVersion{Dir: "v/late"}); apperr.KindOf(err) != apperr.Conflict {
			t.Fatalf("a version computed on an older one: %v", err)
		}
		mounts, err := db.CurrentDirs(ctx, s.ID)
		if err != nil || len(mounts) != 2 || mounts[0] != (TableMount{"orders", "v/o2"}) || mounts[1] != (TableMount{"customers", "v/c1"}) {
			t.Fatalf("mounts: %+v %v", mounts, err)
		}
		if shapes, err := db.ChangedShapes(ctx, u.ID); err != nil || shapes[s.ID].RowCount != 4 || len(shapes) != 1 {
			t.Fatalf("changed shapes: %+v %v", shapes, err)
		}
		if n, err := db.VersionBytes(ctx, u.ID); err != nil || n != 150 {
			t.Fatalf("version bytes: %d %v", n, err)
		}
		// Undo, then a new version drops the undone one.
		if err := db.SetCurrent(ctx, primary.ID, 2, 1); err != nil {
			t.Fatal(err)
		}
		if err := db.SetCurrent(ctx, primary.ID, 2, 1); apperr.KindOf(err) != apperr.Conflict {
			t.Fatalf("a move from a stale pointer: %v", err)
		}
		dropped, err := db.AddVersion(ctx, primary.ID, 1, &TableVersion{Dir: "v/o3", Author: AuthorModel, AuthorDetail: "m"})
		if err != nil || len(dropped) != 1 || dropped[0].Dir != "v/o2" {
			t.Fatalf("dropped: %+v %v", dropped, err)
		}
		vs, err := db.Versions(ctx, s.ID)
		if err != nil || len(vs) != 3 {
			t.Fatalf("versions: %d %v", len(vs), err)
		}
		// The cap never deletes a current version.
		var ids []string
		for _, v := range vs {
			ids = append(ids, v.ID)
		}
		gone, err := db.DeleteVersions(ctx, ids)
		if err != nil || len(gone) != 1 || gone[0].Dir != "" {
			t.Fatalf("deleted: %+v %v", gone, err)
		}
		dirs, err := db.VersionDirs(ctx)
		if err != nil || len(dirs[s.ID]) != 2 {
			t.Fatalf("dirs: %v %v", dirs, err)
		}
		if gone, err := db.RemoveTable(ctx, other.ID); err != nil || len(gone) != 1 {
			t.Fatalf("remove table: %+v %v", gone, err)
		}
		if owner, err := db.SessionOwner(ctx, s.ID); err != nil || owner != u.ID {
			t.Fatalf("owner: %s %v", owner, err)
		}
		if err := db.DeleteSession(ctx, u.ID, s.ID); err != nil {
			t.Fatal(err)
		}
		if vs, _ := db.Versions(ctx, s.ID); len(vs) != 0 {
			t.Fatalf("versions after the session was deleted: %d", len(vs))
		}
	})
}
