package server

import (
	"strconv"
	"testing"
	"time"
)

func TestLimiterSlidingWindow(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	l := newLimiter(Rate{Max: 3, Per: time.Minute}, func() time.Time { return now })
	type step struct {
		advance time.Duration
		op      string // take, undo, reset
		key     string
		wait    time.Duration // expected from take
	}
	steps := []step{
		{0, "take", "a", 0},
		{10 * time.Second, "take", "a", 0},
		{10 * time.Second, "take", "a", 0},
		{0, "take", "a", 40 * time.Second}, // full until the first leaves the window
		{0, "take", "b", 0},                // other keys are independent
		{0, "undo", "a", 0},
		{0, "take", "a", 0}, // the undone slot is free again
		{0, "take", "a", 40 * time.Second},
		{40 * time.Second, "take", "a", 0}, // the first event left the window
		{0, "take", "a", 10 * time.Second},
		{0, "reset", "a", 0},
		{0, "take", "a", 0},
	}
	for i, s := range steps {
		now = now.Add(s.advance)
		switch s.op {
		case "take":
			if got := l.take(s.key); got != s.wait {
				t.Fatalf("step %d: take(%s) = %v, want %v", i, s.key, got, s.wait)
			}
		case "undo":
			l.undo(s.key)
		case "reset":
			l.reset(s.key)
		}
	}
}

func TestLimiterOffAndNil(t *testing.T) {
	tests := []struct {
		name string
		l    *limiter
	}{
		{"nil", nil},
		{"zero rate", newLimiter(Rate{}, time.Now)},
		{"no window", newLimiter(Rate{Max: 1}, time.Now)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for range 10 {
				if w := tt.l.take("k"); w != 0 {
					t.Fatalf("an off limiter refused: %v", w)
				}
			}
			tt.l.undo("k")
			tt.l.reset("k")
		})
	}
}

func TestLimiterMemoryIsBounded(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	l := newLimiter(Rate{Max: 2, Per: time.Hour}, func() time.Time { return now })
	for i := range maxLimiterKeys * 2 {
		l.take(strconv.Itoa(i))
		now = now.Add(time.Millisecond)
	}
	if n := len(l.hits); n > maxLimiterKeys {
		t.Fatalf("%d keys kept, bound is %d", n, maxLimiterKeys)
	}
}
