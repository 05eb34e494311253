package server

import (
	"errors"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/analyzerhq/analyzer/apperr"
)

// tokens issues and checks the API's bearer tokens: HS256 JWTs whose
// subject is the user id and whose "tv" claim is the user's token version
// when issued (storage.User.TokenVersion): a password change raises the
// version, so that older tokens stop working.
type tokens struct {
	key []byte
	ttl time.Duration
	now func() time.Time
}

// claims are a bearer token's claims.
type claims struct {
	jwt.RegisteredClaims
	// Version is the user's token version; absent (0) in tokens issued
	// before versions existed, which match accounts never changed since.
	Version int64 `json:"tv,omitempty"`
}

// tokenClaims is what a valid token says.
type tokenClaims struct {
	userID  string
	version int64
}

func (t tokens) issue(userID string, version int64) (string, error) {
	now := t.now()
	claims := claims{RegisteredClaims: jwt.RegisteredClaims{
		Subject:   userID,
		IssuedAt:  jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(now.Add(t.ttl)),
	}, Version: version}
	signed, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(t.key)
	if err != nil {
		return "", apperr.Wrap(apperr.Internal, "could not issue a token", err)
	}
	return signed, nil
}

// parse returns the user id and token version of a valid token. Only
// HS256 is accepted, so "alg: none" and key-confusion tricks fail, and exp
// is required.
func (t tokens) parse(raw string) (tokenClaims, error) {
	claims := new(claims)
	_, err := jwt.ParseWithClaims(raw, claims, func(*jwt.Token) (any, error) { return t.key, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(t.now),
	)
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return tokenClaims{}, apperr.New(apperr.Unauthorized, "your session has expired: sign in again")
	case err != nil || claims.Subject == "" || len(claims.Audience) > 0:
		// A token with an audience is a one-time login token, not a
		// bearer token.
		return tokenClaims{}, apperr.New(apperr.Unauthorized, "invalid token")
	}
	return tokenClaims{userID: claims.Subject, version: claims.Version}, nil
}

// bearer extracts the token of an "Authorization: Bearer ..." header.
func bearer(header string) string {
	scheme, tok, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(tok)
}
