package storage

import (
	"sync"
	"time"
)

// The reads every authenticated request makes (the account behind a
// token) and the most frequent page (a user's session list) are answered
// from memory. The cache belongs to the database handle, so it owns its
// invalidation: every method of DB that changes a user or a user's
// sessions drops what it changed, here and nowhere else.
//
// Another process writing the same database (the CLI deleting an account
// or changing a password, a second server on the same data) is not seen
// by these drops: an entry lives at most cacheTTL, so such a change is
// seen within that time.
const (
	cacheTTL = time.Second
	cacheMax = 10_000 // entries per map; a full map is emptied
)

type readCache struct {
	mu    sync.Mutex
	gen   uint64 // bumped by every drop: a read that raced a change is not kept
	users map[string]cacheEntry[User]
	lists map[string]cacheEntry[[]Session] // by user id
}

type cacheEntry[T any] struct {
	v     T
	until time.Time
}

// user returns a copy of the cached user id, and the generation to pass
// to putUser when it is not cached.
func (c *readCache) user(id string) (*User, uint64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.users[id]; ok && time.Now().Before(e.until) {
		u := e.v
		return &u, c.gen, true
	}
	return nil, c.gen, false
}

func (c *readCache) putUser(u *User, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.users == nil || len(c.users) >= cacheMax {
		c.users = map[string]cacheEntry[User]{}
	}
	c.users[u.ID] = cacheEntry[User]{v: *u, until: time.Now().Add(cacheTTL)}
}

// sessions returns a copy of the cached list of userID's sessions. The
// files they point to are shared: callers only read them.
func (c *readCache) sessions(userID string) ([]Session, uint64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.lists[userID]; ok && time.Now().Before(e.until) {
		return append([]Session(nil), e.v...), c.gen, true
	}
	return nil, c.gen, false
}

func (c *readCache) putSessions(userID string, list []Session, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.lists == nil || len(c.lists) >= cacheMax {
		c.lists = map[string]cacheEntry[[]Session]{}
	}
	c.lists[userID] = cacheEntry[[]Session]{v: append([]Session(nil), list...), until: time.Now().Add(cacheTTL)}
}

// dropSessions forgets userID's session list (every list when userID is
// empty).
func (c *readCache) dropSessions(userID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	if userID == "" {
		clear(c.lists)
		return
	}
	delete(c.lists, userID)
}

// dropUser forgets a user and their session list.
func (c *readCache) dropUser(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	delete(c.users, id)
	delete(c.lists, id)
}
