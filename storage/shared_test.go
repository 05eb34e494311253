package storage

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestSharedLimits(t *testing.T) { eachBackend(t, testSharedLimits) }

func testSharedLimits(t *testing.T, b backend) {
	ctx := context.Background()
	db := b.migrated(t)

	t.Run("rate limit counts concurrent attempts exactly", func(t *testing.T) {
		var allowed atomic.Int32
		var wg sync.WaitGroup
		for range 12 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				wait, err := db.RateTake(ctx, "login", "a@b.co", 3, time.Minute)
				if err != nil {
					t.Error(err)
				}
				if wait == 0 {
					allowed.Add(1)
				}
			}()
		}
		wg.Wait()
		if n := allowed.Load(); n != 3 {
			t.Fatalf("%d attempts allowed, want 3", n)
		}
		wait, _ := db.RateTake(ctx, "login", "a@b.co", 3, time.Minute)
		if wait < 50*time.Second || wait > time.Minute {
			t.Fatalf("wait %v, want about a minute", wait)
		}
		if wait, _ := db.RateTake(ctx, "login", "other@b.co", 3, time.Minute); wait != 0 {
			t.Fatal("another key was throttled")
		}
	})
	t.Run("undo and reset give attempts back", func(t *testing.T) {
		if err := db.RateUndo(ctx, "login", "a@b.co"); err != nil {
			t.Fatal(err)
		}
		if wait, _ := db.RateTake(ctx, "login", "a@b.co", 3, time.Minute); wait != 0 {
			t.Fatal("an undone attempt still counts")
		}
		if err := db.RateReset(ctx, "login", "a@b.co"); err != nil {
			t.Fatal(err)
		}
		for range 3 {
			if wait, _ := db.RateTake(ctx, "login", "a@b.co", 3, time.Minute); wait != 0 {
				t.Fatal("a reset key is still throttled")
			}
		}
	})
	t.Run("the window slides", func(t *testing.T) {
		for range 2 {
			db.RateTake(ctx, "register", "10.0.0.1", 2, 300*time.Millisecond)
		}
		if wait, _ := db.RateTake(ctx, "register", "10.0.0.1", 2, 300*time.Millisecond); wait == 0 {
			t.Fatal("a third event within the window was allowed")
		}
		time.Sleep(350 * time.Millisecond)
		if wait, _ := db.RateTake(ctx, "register", "10.0.0.1", 2, 300*time.Millisecond); wait != 0 {
			t.Fatal("the window did not pass")
		}
	})
	t.Run("slots: at most max at once, bytes held, expiry", func(t *testing.T) {
		var got []*Slot
		var mu sync.Mutex
		var wg sync.WaitGroup
		for range 6 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s, err := db.AcquireSlot(ctx, "u1", "upload", 2, 100, time.Minute)
				if err != nil {
					t.Error(err)
				}
				if s != nil {
					mu.Lock()
					got = append(got, s)
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if len(got) != 2 {
			t.Fatalf("%d slots granted, want 2", len(got))
		}
		if n, err := db.ReservedBytes(ctx, "u1", got[0].ID); err != nil || n != 100 {
			t.Fatalf("others hold %d bytes (err %v), want 100", n, err)
		}
		if s, _ := db.AcquireSlot(ctx, "u1", "turn", 1, 0, time.Minute); s == nil || s.Others != 200 {
			t.Fatalf("a turn was refused or saw wrong bytes: %+v", s)
		}
		if err := db.ReleaseSlot(ctx, got[0].ID); err != nil {
			t.Fatal(err)
		}
		if s, _ := db.AcquireSlot(ctx, "u1", "upload", 2, 0, 200*time.Millisecond); s == nil {
			t.Fatal("a released slot was not given back")
		}
		time.Sleep(250 * time.Millisecond)
		if s, _ := db.AcquireSlot(ctx, "u1", "upload", 2, 0, time.Minute); s == nil {
			t.Fatal("an expired slot still counts")
		}
	})
}

// TestSharedLimitsAcrossHandles: two handles on one PostgreSQL database,
// as two instances have, count the same attempts.
func TestSharedLimitsAcrossHandles(t *testing.T) {
	b := backends[1]
	first := b.migrated(t)
	second, err := OpenPostgres(context.Background(), first.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	ctx := context.Background()
	for i, db := range []*DB{first, second, first} {
		if wait, err := db.RateTake(ctx, "login", "x@y.co", 3, time.Minute); err != nil || wait != 0 {
			t.Fatalf("attempt %d refused: %v %v", i, wait, err)
		}
	}
	if wait, _ := second.RateTake(ctx, "login", "x@y.co", 3, time.Minute); wait == 0 {
		t.Fatal("the second handle did not see the first's attempts")
	}
}
