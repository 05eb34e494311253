package server

import (
	"crypto/rand"
	"encoding/hex"
	"net"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/golang-jwt/jwt/v5"

	"github.com/analyzerhq/analyzer/apperr"
)

// Desktop mode signs the user in through the address it opens in the
// browser: /?login=TOKEN, where TOKEN is a one-time login token that the
// page exchanges for an ordinary JWT at POST /api/auth/local.
//
// A login token is a JWT with its own audience, signed with the server's
// key, so that a second launch of the program (which reads the same key)
// can mint one for the instance already running. It is accepted once, from
// loopback only, within a few minutes, and only if minted after the running
// server started: a token seen by an earlier process cannot be replayed.
const (
	localAudience = "local-login"
	localTokenTTL = 5 * time.Minute
)

// NewLocalLoginToken mints a one-time login token for userID.
func NewLocalLoginToken(key []byte, userID string, now time.Time) (string, error) {
	jti := make([]byte, 16)
	if _, err := rand.Read(jti); err != nil {
		return "", err
	}
	claims := jwt.RegisteredClaims{
		Subject:   userID,
		Audience:  jwt.ClaimStrings{localAudience},
		ID:        hex.EncodeToString(jti),
		IssuedAt:  jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(now.Add(localTokenTTL)),
	}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(key)
}

// usedLoginTokens remembers the ids of login tokens already exchanged.
type usedLoginTokens struct {
	mu   sync.Mutex
	seen map[string]time.Time // id → expiry
}

// claim records id and reports whether it was new.
func (u *usedLoginTokens) claim(id string, expires, now time.Time) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.seen == nil {
		u.seen = map[string]time.Time{}
	}
	for k, exp := range u.seen {
		if now.After(exp) {
			delete(u.seen, k)
		}
	}
	if _, dup := u.seen[id]; dup {
		return false
	}
	u.seen[id] = expires
	return true
}

func (s *Server) localLogin(c *fiber.Ctx) error {
	if !s.opts.LocalLogin {
		return fiber.NewError(fiber.StatusNotFound, "not found")
	}
	// The peer address itself, never a forwarded header.
	if ip := net.IP(c.Context().RemoteIP()); !ip.IsLoopback() {
		return apperr.New(apperr.Forbidden, "sign-in links work only on this computer")
	}
	var in struct {
		Token string `json:"token"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	invalid := apperr.New(apperr.Unauthorized, "this sign-in link is invalid or was already used: start analyzer again for a new one")
	claims := new(jwt.RegisteredClaims)
	_, err := jwt.ParseWithClaims(in.Token, claims, func(*jwt.Token) (any, error) { return s.opts.SecretKey, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithAudience(localAudience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithTimeFunc(s.opts.Now),
	)
	if err != nil || claims.ID == "" || claims.IssuedAt == nil || claims.IssuedAt.Before(s.startedAt.Add(-time.Second)) {
		return invalid
	}
	if !s.usedLogins.claim(claims.ID, claims.ExpiresAt.Time, s.opts.Now()) {
		return invalid
	}
	u, err := s.store.UserByID(c.UserContext(), claims.Subject)
	if err != nil {
		return invalid
	}
	tok, err := s.tokens.issue(u.ID, u.TokenVersion)
	if err != nil {
		return err
	}
	return c.JSON(tokenResponse{Token: tok})
}
