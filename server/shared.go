package server

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/analyzerhq/analyzer/storage"
)

// With PostgreSQL, several instances serve the same users: the sign-in
// and registration throttles and the per-user counts of running replies
// and uploads (with the quota bytes uploads hold) are kept in the
// database (storage/shared.go) instead of this process's memory.

// throttle is a rate limit by key: a limiter in memory, or sharedLimiter.
type throttle interface {
	take(key string) time.Duration
	undo(key string)
	reset(key string)
}

// sharedTimeout bounds one decision taken in the database.
const sharedTimeout = 5 * time.Second

// sharedLimiter is a throttle kept in the database under scope.
type sharedLimiter struct {
	db    *storage.DB
	scope string
	rate  Rate
	log   *slog.Logger
}

// take fails open: when the database does not answer, the sign-in that
// follows fails on it anyway.
func (l *sharedLimiter) take(key string) time.Duration {
	if l.rate.off() {
		return 0
	}
	ctx, cancel := context.WithTimeout(context.Background(), sharedTimeout)
	defer cancel()
	wait, err := l.db.RateTake(ctx, l.scope, key, l.rate.Max, l.rate.Per)
	if err != nil {
		l.log.Error("shared rate limit", "scope", l.scope, "err", err)
		return 0
	}
	return wait
}

func (l *sharedLimiter) undo(key string) {
	if l.rate.off() {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), sharedTimeout)
	defer cancel()
	if err := l.db.RateUndo(ctx, l.scope, key); err != nil {
		l.log.Error("shared rate limit", "scope", l.scope, "err", err)
	}
}

func (l *sharedLimiter) reset(key string) {
	if l.rate.off() {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), sharedTimeout)
	defer cancel()
	if err := l.db.RateReset(ctx, l.scope, key); err != nil {
		l.log.Error("shared rate limit", "scope", l.scope, "err", err)
	}
}

// slotLease is how long a slot outlives an instance that died holding
// it; a running slot's lease is renewed every slotLease/3.
const slotLease = 3 * time.Minute

// sharedSlots holds this process's slots in the database.
type sharedSlots struct {
	db  *storage.DB
	log *slog.Logger

	mu    sync.Mutex
	turns map[string][]*heldSlot // user id → this process's running replies
}

type heldSlot struct {
	id   string
	stop chan struct{}
}

// acquire takes a slot of kind for user, or returns nil when max are
// running; the slot's lease is renewed until release.
func (s *sharedSlots) acquire(ctx context.Context, userID, kind string, max int, bytes int64) (*heldSlot, int64, error) {
	ctx, cancel := context.WithTimeout(ctx, sharedTimeout)
	defer cancel()
	slot, err := s.db.AcquireSlot(ctx, userID, kind, max, bytes, slotLease)
	if err != nil || slot == nil {
		return nil, 0, err
	}
	h := &heldSlot{id: slot.ID, stop: make(chan struct{})}
	go func() {
		t := time.NewTicker(slotLease / 3)
		defer t.Stop()
		for {
			select {
			case <-h.stop:
				return
			case <-t.C:
				ctx, cancel := context.WithTimeout(context.Background(), sharedTimeout)
				if err := s.db.RenewSlot(ctx, h.id, slotLease); err != nil {
					s.log.Warn("renew a running slot", "err", err)
				}
				cancel()
			}
		}
	}()
	return h, slot.Others, nil
}

func (s *sharedSlots) release(h *heldSlot) {
	close(h.stop)
	ctx, cancel := context.WithTimeout(context.Background(), sharedTimeout)
	defer cancel()
	if err := s.db.ReleaseSlot(ctx, h.id); err != nil {
		s.log.Error("release a running slot (it expires by itself)", "err", err)
	}
}

func (s *sharedSlots) beginTurn(userID string, max int) (bool, error) {
	h, _, err := s.acquire(context.Background(), userID, "turn", max, 0)
	if err != nil || h == nil {
		return false, err
	}
	s.mu.Lock()
	s.turns[userID] = append(s.turns[userID], h)
	s.mu.Unlock()
	return true, nil
}

func (s *sharedSlots) endTurn(userID string) {
	s.mu.Lock()
	list := s.turns[userID]
	if len(list) == 0 {
		s.mu.Unlock()
		return
	}
	h := list[len(list)-1]
	if len(list) == 1 {
		delete(s.turns, userID)
	} else {
		s.turns[userID] = list[:len(list)-1]
	}
	s.mu.Unlock()
	s.release(h)
}

// share moves the guard's state to the database.
func (g *guard) share(db *storage.DB, log *slog.Logger) {
	g.loginAccount = &sharedLimiter{db: db, scope: "login-account", rate: g.limits.LoginPerAccount, log: log}
	g.loginIP = &sharedLimiter{db: db, scope: "login-ip", rate: g.limits.LoginPerIP, log: log}
	g.registerIP = &sharedLimiter{db: db, scope: "register-ip", rate: g.limits.RegisterPerIP, log: log}
	g.shared = &sharedSlots{db: db, log: log, turns: map[string][]*heldSlot{}}
}
