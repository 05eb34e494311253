package server

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/analyzerhq/analyzer/storage"
)

// What every authenticated request does, cached so that an authenticated
// GET costs little more than a static answer:
//
//   - the verdict on a token: a token string that passed the check is
//     remembered until its own expiry (the same bytes cannot be judged
//     otherwise before then); failures are never remembered;
//   - the account behind a token, for userTTL: an account deleted
//     meanwhile (only the CLI deletes accounts, from another process) or
//     whose password changed (its token version rose) is refused within
//     userTTL;
//   - each user's session list, as encoded JSON, until this process
//     changes it (upload, delete, new title). Sessions change only through
//     the server, so the list is never stale.
const (
	userTTL       = time.Second
	hotCacheLimit = 10_000 // entries per map; a full map is emptied
)

type hotCache struct {
	mu     sync.Mutex
	tokens map[string]cachedToken // token → subject, until its expiry
	users  map[string]cachedUser
}

type cachedToken struct {
	claims tokenClaims
	exp    time.Time
}

type cachedUser struct {
	user  *storage.User
	until time.Time
}

func newHotCache() *hotCache {
	return &hotCache{tokens: map[string]cachedToken{}, users: map[string]cachedUser{}}
}

// tokenClaims is tokens.parse through the cache. Whether the token's
// version is still the account's is checked against the (cached) account
// by the caller, not here: a token's own verdict never changes.
func (s *Server) tokenClaims(raw string) (tokenClaims, error) {
	h := s.hot
	now := s.opts.Now()
	h.mu.Lock()
	if c, ok := h.tokens[raw]; ok && now.Before(c.exp) {
		h.mu.Unlock()
		return c.claims, nil
	}
	h.mu.Unlock()
	tc, err := s.tokens.parse(raw)
	if err != nil {
		return tokenClaims{}, err
	}
	if exp, ok := expiryOf(raw); ok {
		h.mu.Lock()
		if len(h.tokens) >= hotCacheLimit {
			clear(h.tokens)
		}
		// raw may point into Fiber's reused request buffer: keep a copy.
		h.tokens[strings.Clone(raw)] = cachedToken{claims: tc, exp: exp}
		h.mu.Unlock()
	}
	return tc, nil
}

// expiryOf reads the exp claim of a token that has been verified.
func expiryOf(raw string) (time.Time, bool) {
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return time.Time{}, false
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return time.Time{}, false
	}
	var claims struct {
		Exp *jwt.NumericDate `json:"exp"`
	}
	if json.Unmarshal(payload, &claims) != nil || claims.Exp == nil {
		return time.Time{}, false
	}
	return claims.Exp.Time, true
}

// userByID is store.UserByID through the cache.
func (s *Server) userByID(ctx context.Context, id string) (*storage.User, error) {
	h := s.hot
	now := time.Now()
	h.mu.Lock()
	if c, ok := h.users[id]; ok && now.Before(c.until) {
		h.mu.Unlock()
		return c.user, nil
	}
	h.mu.Unlock()
	u, err := s.store.UserByID(ctx, id)
	if err != nil {
		return nil, err
	}
	h.mu.Lock()
	if len(h.users) >= hotCacheLimit {
		clear(h.users)
	}
	h.users[id] = cachedUser{user: u, until: now.Add(userTTL)}
	h.mu.Unlock()
	return u, nil
}
