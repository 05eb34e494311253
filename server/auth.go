package server

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/analyzerhq/analyzer/apperr"
	"github.com/analyzerhq/analyzer/storage"
)

type credentials struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

type tokenResponse struct {
	Token string `json:"token"`
}

func (s *Server) register(c *fiber.Ctx) error {
	if !s.opts.AllowRegistration {
		return apperr.New(apperr.Forbidden, "registration is closed: ask an administrator for an account")
	}
	var in credentials
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if err := s.beforeRegister(c); err != nil {
		return err
	}
	u, err := s.store.CreateUser(c.UserContext(), in.Email, in.Password)
	if err != nil {
		return err
	}
	tok, err := s.tokens.issue(u.ID, u.TokenVersion)
	if err != nil {
		return err
	}
	s.log.Info("user registered", "request_id", requestID(c), "user", u.ID)
	return c.JSON(tokenResponse{Token: tok})
}

func (s *Server) login(c *fiber.Ctx) error {
	var in credentials
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.Email == "" || in.Password == "" {
		return apperr.New(apperr.Invalid, "email and password are required")
	}
	// Failed sign-ins are throttled per account and per address (limits.go).
	if err := s.beforeLogin(c, in.Email); err != nil {
		return err
	}
	u, err := s.store.Authenticate(c.UserContext(), in.Email, in.Password)
	s.afterLogin(c, in.Email, err)
	if err != nil {
		return err
	}
	tok, err := s.tokens.issue(u.ID, u.TokenVersion)
	if err != nil {
		return err
	}
	return c.JSON(tokenResponse{Token: tok})
}

const localUser = "user"

// requireUser admits requests with a valid bearer token whose user still
// exists.
func (s *Server) requireUser(c *fiber.Ctx) error {
	u, err := s.userFromToken(c, bearer(c.Get(fiber.HeaderAuthorization)))
	if err != nil {
		return err
	}
	c.Locals(localUser, u)
	return c.Next()
}

func (s *Server) userFromToken(c *fiber.Ctx, raw string) (*storage.User, error) {
	if raw == "" {
		return nil, apperr.New(apperr.Unauthorized, "not authenticated")
	}
	tc, err := s.tokens.parse(raw)
	if err != nil {
		return nil, err
	}
	return s.checkAccount(c.UserContext(), tc)
}

// checkAccount returns the account a token names if the token still holds
// for it: the account exists and its token version is the token's.
func (s *Server) checkAccount(ctx context.Context, tc tokenClaims) (*storage.User, error) {
	u, err := s.store.UserByID(ctx, tc.userID)
	switch {
	case apperr.KindOf(err) == apperr.NotFound:
		return nil, apperr.New(apperr.Unauthorized, "this account no longer exists")
	case err != nil:
		return nil, err
	case u.TokenVersion != tc.version:
		return nil, apperr.New(apperr.Unauthorized, "the password of this account was changed: sign in again")
	}
	return u, nil
}

func currentUser(c *fiber.Ctx) *storage.User {
	u, _ := c.Locals(localUser).(*storage.User)
	return u
}
