package storage

import (
	"context"
	"testing"
	"time"
)

func TestModelUsage(t *testing.T) { eachBackend(t, testModelUsage) }

func testModelUsage(t *testing.T, b backend) {
	ctx := context.Background()
	db := b.migrated(t)
	u, err := db.CreateUser(ctx, "m@b.co", "password1")
	if err != nil {
		t.Fatal(err)
	}
	sess := &Session{ID: NewSessionID(), UserID: u.ID, Title: "t"}
	if err := db.CreateSession(ctx, sess, &File{Filename: "a.csv"}); err != nil {
		t.Fatal(err)
	}

	// Per-session totals add every answer part, replaced ones included;
	// an unknown cost is counted apart and does not lower the sum.
	parts := []Message{
		{Role: "assistant", Type: "tool_call", Provider: "anthropic", Model: "claude-sonnet-4-5", InputTokens: 100, OutputTokens: 20, CacheReadTokens: 50, CacheWriteTokens: 10, CostNanoUSD: 652_500},
		{Role: "assistant", Type: "text", Provider: "anthropic", Model: "claude-sonnet-4-5", InputTokens: 100, OutputTokens: 20, CostNanoUSD: 600_000},
		{Role: "assistant", Type: "text", Provider: "openai", Model: "mystery", InputTokens: 7, OutputTokens: 3, CostNanoUSD: UnknownCost},
	}
	for i := range parts {
		parts[i].SessionID = sess.ID
		if err := db.AddMessage(ctx, &parts[i]); err != nil {
			t.Fatal(err)
		}
	}
	by := parts[0].ID
	if err := db.Supersede(ctx, sess.ID, []string{parts[1].ID}, by); err != nil {
		t.Fatal(err)
	}
	tot, err := db.SessionUsage(ctx, sess.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := UsageTotals{InputTokens: 207, OutputTokens: 43, CacheReadTokens: 50, CacheWriteTokens: 10, CostNanoUSD: 1_252_500, Unpriced: 1}
	if tot != want {
		t.Fatalf("session usage %+v, want %+v", tot, want)
	}
	stored, err := db.GetMessage(ctx, sess.ID, parts[0].ID)
	if err != nil || stored.Provider != "anthropic" || stored.CacheWriteTokens != 10 || stored.CostNanoUSD != 652_500 {
		t.Fatalf("stored %+v %v", stored, err)
	}

	// The month's tokens add up per user and month and outlive the session.
	month := Month(time.Date(2026, 12, 31, 23, 0, 0, 0, time.UTC))
	for _, n := range []int64{180, 20, 0} {
		if err := db.AddMonthlyTokens(ctx, u.ID, month, n); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.AddMonthlyTokens(ctx, u.ID, "2027-01", 5); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteSession(ctx, u.ID, sess.ID); err != nil {
		t.Fatal(err)
	}
	if n, err := db.MonthlyTokens(ctx, u.ID, "2026-12"); err != nil || n != 200 {
		t.Fatalf("December's tokens %d %v, want 200", n, err)
	}
	if n, err := db.MonthlyTokens(ctx, "someone-else", "2026-12"); err != nil || n != 0 {
		t.Fatalf("another user's tokens %d %v", n, err)
	}

	// A session's model choice; an administrator.
	s2 := &Session{ID: NewSessionID(), UserID: u.ID, Title: "t2"}
	if err := db.CreateSession(ctx, s2, &File{Filename: "b.csv"}); err != nil {
		t.Fatal(err)
	}
	if c, err := db.ModelChoice(ctx, s2.ID); err != nil || c != "" {
		t.Fatalf("new session's choice %q %v", c, err)
	}
	if err := db.SetModelChoice(ctx, s2.ID, "local:11434:llama3.1:8b"); err != nil {
		t.Fatal(err)
	}
	if c, _ := db.ModelChoice(ctx, s2.ID); c != "local:11434:llama3.1:8b" {
		t.Fatalf("choice %q", c)
	}
	if err := db.SetAdmin(ctx, "M@B.co", true); err != nil {
		t.Fatal(err)
	}
	if got, err := db.UserByID(ctx, u.ID); err != nil || !got.IsAdmin {
		t.Fatalf("admin %+v %v", got, err)
	}
}
