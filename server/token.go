package server

import (
	"errors"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/analyzerhq/analyzer/apperr"
)

// tokens issues and checks the API's bearer tokens: HS256 JWTs whose
// subject is the user id.
type tokens struct {
	key []byte
	ttl time.Duration
	now func() time.Time
}

func (t tokens) issue(userID string) (string, error) {
	now := t.now()
	claims := jwt.RegisteredClaims{
		Subject:   userID,
		IssuedAt:  jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(now.Add(t.ttl)),
	}
	signed, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(t.key)
	if err != nil {
		return "", apperr.Wrap(apperr.Internal, "could not issue a token", err)
	}
	return signed, nil
}

// parse returns the user id of a valid token. Only HS256 is accepted, so
// "alg: none" and key-confusion tricks fail, and exp is required.
func (t tokens) parse(raw string) (string, error) {
	claims := new(jwt.RegisteredClaims)
	_, err := jwt.ParseWithClaims(raw, claims, func(*jwt.Token) (any, error) { return t.key, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(t.now),
	)
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return "", apperr.New(apperr.Unauthorized, "your session has expired: sign in again")
	case err != nil || claims.Subject == "" || len(claims.Audience) > 0:
		// A token with an audience is a one-time login token, not a
		// bearer token.
		return "", apperr.New(apperr.Unauthorized, "invalid token")
	}
	return claims.Subject, nil
}

// bearer extracts the token of an "Authorization: Bearer ..." header.
func bearer(header string) string {
	scheme, tok, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(tok)
}
