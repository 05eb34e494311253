package storage

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/analyzerhq/analyzer/apperr"
	"github.com/analyzerhq/analyzer/storage/migrations"
)

// mustOpen returns a migrated database in a temporary file.
func mustOpen(tb testing.TB) *DB {
	tb.Helper()
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(tb.TempDir(), "meta.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	return db
}

func mustUser(tb testing.TB, db *DB, email string) *User {
	tb.Helper()
	u, err := db.CreateUser(context.Background(), email, "correct horse")
	if err != nil {
		tb.Fatal(err)
	}
	return u
}

func mustSession(tb testing.TB, db *DB, userID string) *Session {
	tb.Helper()
	s := &Session{ID: NewSessionID(), UserID: userID, Title: "t"}
	f := &File{Filename: "a.csv", PathOnDisk: "x/original.csv", RowCount: 2, ColCount: 1, Columns: JSON(`["a"]`)}
	if err := db.CreateSession(context.Background(), s, f); err != nil {
		tb.Fatal(err)
	}
	return s
}

// wantMigrations is the number of migrations the package holds: every
// one of them must apply and roll back.
var wantMigrations = len(migrations.All.Sorted())

func TestMigrate(t *testing.T) { eachBackend(t, testMigrate) }

func testMigrate(t *testing.T, b backend) {
	ctx := context.Background()
	db := b.open(t)

	t.Run("empty database gets every migration", func(t *testing.T) {
		applied, err := db.Migrate(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(applied) != wantMigrations {
			t.Fatalf("applied %v, want %d migrations", applied, wantMigrations)
		}
	})
	t.Run("migrated database gets none", func(t *testing.T) {
		applied, err := db.Migrate(ctx)
		if err != nil || len(applied) != 0 {
			t.Fatalf("applied %v, err %v; want none", applied, err)
		}
	})
	t.Run("status lists all as applied", func(t *testing.T) {
		st, err := db.MigrationStatuses(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range st {
			if !m.Applied {
				t.Errorf("%s not applied", m.Name)
			}
		}
	})
	t.Run("rollback then up again", func(t *testing.T) {
		rolled, err := db.Rollback(ctx)
		if err != nil || len(rolled) != wantMigrations {
			t.Fatalf("rolled %v, err %v", rolled, err)
		}
		if _, err := db.CreateUser(ctx, "a@b.co", "password1"); err == nil {
			t.Fatal("users table still exists after rollback")
		}
		if applied, err := db.Migrate(ctx); err != nil || len(applied) != wantMigrations {
			t.Fatalf("applied %v, err %v", applied, err)
		}
	})
}

func TestUsers(t *testing.T) { eachBackend(t, testUsers) }

func testUsers(t *testing.T, b backend) {
	db := b.migrated(t)
	ctx := context.Background()
	mustUser(t, db, "  Alice@Example.COM ")

	tests := []struct {
		name     string
		email    string
		password string
		want     apperr.Kind
	}{
		{"duplicate after normalising", "alice@example.com", "password1", apperr.Conflict},
		{"invalid email", "not-an-email", "password1", apperr.Invalid},
		{"email without domain dot", "a@localhost", "password1", apperr.Invalid},
		{"empty email", "   ", "password1", apperr.Invalid},
		{"short password", "bob@example.com", "short", apperr.Invalid},
		{"password over 72 bytes", "bob@example.com", string(make([]byte, 73)), apperr.Invalid},
		{"unicode password counts runes", "carol@example.com", "ééééééé", apperr.Invalid},
		{"valid", "dave@example.com", "пароль-длинный", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := db.CreateUser(ctx, tt.email, tt.password)
			if got := apperr.KindOf(err); got != tt.want {
				t.Fatalf("kind %q, want %q (err %v)", got, tt.want, err)
			}
		})
	}

	t.Run("authenticate", func(t *testing.T) {
		if _, err := db.Authenticate(ctx, "ALICE@example.com", "correct horse"); err != nil {
			t.Fatalf("good credentials refused: %v", err)
		}
		_, wrong := db.Authenticate(ctx, "alice@example.com", "wrong horse")
		_, unknown := db.Authenticate(ctx, "nobody@example.com", "correct horse")
		if apperr.KindOf(wrong) != apperr.Unauthorized || apperr.MessageOf(wrong) != apperr.MessageOf(unknown) || apperr.KindOf(unknown) != apperr.Unauthorized {
			t.Fatalf("wrong password %v and unknown email %v must look the same", wrong, unknown)
		}
	})
	t.Run("set password", func(t *testing.T) {
		before, err := db.UserByEmail(ctx, "alice@example.com")
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SetPassword(ctx, "alice@example.com", "new password"); err != nil {
			t.Fatal(err)
		}
		after, err := db.UserByEmail(ctx, "alice@example.com")
		if err != nil || after.TokenVersion != before.TokenVersion+1 {
			t.Fatalf("token version %d → %d (err %v): older tokens would keep working", before.TokenVersion, after.TokenVersion, err)
		}
		if _, err := db.Authenticate(ctx, "alice@example.com", "new password"); err != nil {
			t.Fatal(err)
		}
		if err := db.SetPassword(ctx, "nobody@example.com", "new password"); apperr.KindOf(err) != apperr.NotFound {
			t.Fatalf("got %v", err)
		}
	})
}

func TestSessionsAreOwnedAndCascade(t *testing.T) { eachBackend(t, testSessionsAreOwnedAndCascade) }

func testSessionsAreOwnedAndCascade(t *testing.T, b backend) {
	db := b.migrated(t)
	ctx := context.Background()
	alice := mustUser(t, db, "alice@example.com")
	bob := mustUser(t, db, "bob@example.com")
	first := mustSession(t, db, alice.ID)
	second := mustSession(t, db, alice.ID)
	for _, text := range []string{"one", "two", "three"} {
		if err := db.AddMessage(ctx, &Message{SessionID: first.ID, Role: "user", Type: "text", Text: text}); err != nil {
			t.Fatal(err)
		}
	}

	list, err := db.ListSessions(ctx, alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].ID != second.ID || list[0].File == nil || list[0].File.Filename != "a.csv" {
		t.Fatalf("list = %+v, want second first with its file", list)
	}
	if list, _ := db.ListSessions(ctx, bob.ID); len(list) != 0 {
		t.Fatalf("bob sees %d sessions", len(list))
	}
	if _, err := db.GetSession(ctx, bob.ID, first.ID); apperr.KindOf(err) != apperr.NotFound {
		t.Fatalf("bob got alice's session: %v", err)
	}
	if err := db.DeleteSession(ctx, bob.ID, first.ID); apperr.KindOf(err) != apperr.NotFound {
		t.Fatalf("bob deleted alice's session: %v", err)
	}
	msgs, err := db.ListMessages(ctx, first.ID)
	if err != nil || len(msgs) != 3 || msgs[0].Text != "one" || msgs[2].Text != "three" {
		t.Fatalf("messages %+v, err %v", msgs, err)
	}

	if err := db.DeleteSession(ctx, alice.ID, first.ID); err != nil {
		t.Fatal(err)
	}
	if msgs, _ := db.ListMessages(ctx, first.ID); len(msgs) != 0 {
		t.Fatalf("messages survived their session: %d", len(msgs))
	}
	var files int
	if err := db.bun.NewSelect().Model((*File)(nil)).ColumnExpr("count(*)").Where("session_id = ?", first.ID).Scan(ctx, &files); err != nil || files != 0 {
		t.Fatalf("files left: %d, %v", files, err)
	}

	ids, err := db.DeleteUser(ctx, "alice@example.com")
	if err != nil || len(ids) != 1 || ids[0] != second.ID {
		t.Fatalf("DeleteUser = %v, %v", ids, err)
	}
	if _, err := db.GetSession(ctx, alice.ID, second.ID); apperr.KindOf(err) != apperr.NotFound {
		t.Fatalf("session survived its user: %v", err)
	}
}

func TestMessageBytesAndGetMessage(t *testing.T) { eachBackend(t, testMessageBytesAndGetMessage) }

func testMessageBytesAndGetMessage(t *testing.T, b backend) {
	db := b.migrated(t)
	ctx := context.Background()
	alice := mustUser(t, db, "alice@example.com")
	bob := mustUser(t, db, "bob@example.com")
	a1, a2, b1 := mustSession(t, db, alice.ID), mustSession(t, db, alice.ID), mustSession(t, db, bob.ID)
	add := func(sessionID, text string, data JSON) *Message {
		m := &Message{SessionID: sessionID, Role: "assistant", Type: "query_result", Text: text, Data: data}
		if err := db.AddMessage(ctx, m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	m := add(a1.ID, "héllo", JSON(`{"a":1}`)) // 6 + 7 bytes
	add(a2.ID, "", JSON(`[1,2,3]`))           // 7
	add(b1.ID, "bob's words", nil)

	if n, err := db.MessageBytes(ctx, alice.ID); err != nil || n != 20 {
		t.Fatalf("alice's messages: %d bytes, err %v; want 20", n, err)
	}
	if n, err := db.MessageBytes(ctx, "nobody"); err != nil || n != 0 {
		t.Fatalf("nobody's messages: %d, %v", n, err)
	}
	got, err := db.GetMessage(ctx, a1.ID, m.ID)
	if err != nil || got.Text != "héllo" {
		t.Fatalf("GetMessage = %+v, %v", got, err)
	}
	if _, err := db.GetMessage(ctx, b1.ID, m.ID); apperr.KindOf(err) != apperr.NotFound {
		t.Fatalf("message found under another session: %v", err)
	}
}
