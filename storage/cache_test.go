package storage

import (
	"context"
	"testing"

	"github.com/analyzerhq/analyzer/apperr"
)

// TestCachedReadsFollowChanges: every change made through DB is seen by
// the next read, although the reads are answered from memory.
func TestCachedReadsFollowChanges(t *testing.T) { eachBackend(t, testCachedReadsFollowChanges) }

func testCachedReadsFollowChanges(t *testing.T, b backend) {
	ctx := context.Background()
	db := b.migrated(t)
	u, err := db.CreateUser(ctx, "a@b.co", "password1")
	if err != nil {
		t.Fatal(err)
	}
	list := func() []Session {
		t.Helper()
		l, err := db.ListSessions(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	if len(list()) != 0 {
		t.Fatal("a new user has sessions")
	}
	s := &Session{ID: NewSessionID(), UserID: u.ID, Title: "data.csv"}
	if err := db.CreateSession(ctx, s, &File{Filename: "data.csv", RowCount: 3, ColCount: 2}); err != nil {
		t.Fatal(err)
	}
	if l := list(); len(l) != 1 || l[0].Title != "data.csv" || l[0].File == nil || l[0].File.RowCount != 3 {
		t.Fatalf("after create: %+v", l)
	}
	if err := db.SetTitle(ctx, s.ID, "Sales"); err != nil {
		t.Fatal(err)
	}
	if l := list(); l[0].Title != "Sales" {
		t.Fatalf("after retitle: %+v", l)
	}
	if got, err := db.UserByID(ctx, u.ID); err != nil || got.TokenVersion != 0 {
		t.Fatalf("user %+v %v", got, err)
	}
	if err := db.SetPassword(ctx, "a@b.co", "password2"); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.UserByID(ctx, u.ID); got.TokenVersion != 1 {
		t.Fatalf("after a password change: version %d", got.TokenVersion)
	}
	if err := db.DeleteSession(ctx, u.ID, s.ID); err != nil {
		t.Fatal(err)
	}
	if len(list()) != 0 {
		t.Fatal("a deleted session is listed")
	}
	if _, err := db.DeleteUser(ctx, "a@b.co"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.UserByID(ctx, u.ID); apperr.KindOf(err) != apperr.NotFound {
		t.Fatalf("deleted user: %v", err)
	}
}
