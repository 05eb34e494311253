package storage

import (
	"context"
	"database/sql"
	"errors"
	"net/mail"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
	"golang.org/x/crypto/bcrypt"

	"github.com/analyzerhq/analyzer/apperr"
)

// Password rules. bcrypt reads at most 72 bytes: a longer password would be
// silently cut, so it is refused instead.
const (
	MinPasswordLength = 8
	maxPasswordBytes  = 72
	bcryptCost        = 12
)

// dummyHash is compared against when an email is unknown, so that a login
// for an unknown account takes as long as one with a wrong password.
// Made on first use, not at start-up: every command would pay for it.
var dummyHash = sync.OnceValue(func() []byte {
	h, _ := bcrypt.GenerateFromPassword([]byte("timing-equaliser"), bcryptCost)
	return h
})

// NormalizeEmail trims and lower-cases an email address and checks that it
// is one.
func NormalizeEmail(raw string) (string, error) {
	email := strings.ToLower(strings.TrimSpace(raw))
	if email == "" {
		return "", apperr.New(apperr.Invalid, "email is required")
	}
	if len(email) > 254 {
		return "", apperr.New(apperr.Invalid, "email is too long")
	}
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || !strings.Contains(email[strings.LastIndex(email, "@")+1:], ".") {
		return "", apperr.New(apperr.Invalid, "email is not a valid address")
	}
	return email, nil
}

// CheckPasswordRules refuses passwords that are too short or too long.
func CheckPasswordRules(password string) error {
	if utf8.RuneCountInString(password) < MinPasswordLength {
		return apperr.Newf(apperr.Invalid, "password must be at least %d characters", MinPasswordLength)
	}
	if len(password) > maxPasswordBytes {
		return apperr.Newf(apperr.Invalid, "password must be at most %d bytes", maxPasswordBytes)
	}
	return nil
}

// CreateUser adds an account. The email is normalized; a taken email is a
// Conflict.
func (db *DB) CreateUser(ctx context.Context, email, password string) (*User, error) {
	email, err := NormalizeEmail(email)
	if err != nil {
		return nil, err
	}
	if err := CheckPasswordRules(password); err != nil {
		return nil, err
	}
	// The password is hashed before the email is tried, so that a taken
	// email costs the same time as a free one: the answer (Conflict) tells
	// the address is taken, its timing adds nothing.
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcryptCost)
	if err != nil {
		return nil, apperr.Wrap(apperr.Internal, "could not create the account", err)
	}
	u := &User{ID: newID(), Email: email, PasswordHash: string(hash), CreatedAt: now()}
	if _, err := db.bun.NewInsert().Model(u).Exec(ctx); err != nil {
		if isUniqueViolation(err) {
			return nil, apperr.New(apperr.Conflict, "an account with this email already exists")
		}
		return nil, apperr.Wrap(apperr.Internal, "could not create the account", err)
	}
	return u, nil
}

// Authenticate returns the user with this email and password. An unknown
// email and a wrong password give the same error and take the same time.
func (db *DB) Authenticate(ctx context.Context, email, password string) (*User, error) {
	denied := apperr.New(apperr.Unauthorized, "incorrect email or password")
	u, err := db.UserByEmail(ctx, email)
	if err != nil {
		if apperr.KindOf(err) != apperr.NotFound && apperr.KindOf(err) != apperr.Invalid {
			return nil, err
		}
		bcrypt.CompareHashAndPassword(dummyHash(), []byte(password)) //nolint:errcheck // timing only
		return nil, denied
	}
	if bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(password)) != nil {
		return nil, denied
	}
	return u, nil
}

// UserByEmail finds a user by (normalized) email.
func (db *DB) UserByEmail(ctx context.Context, email string) (*User, error) {
	email, err := NormalizeEmail(email)
	if err != nil {
		return nil, err
	}
	u := new(User)
	err = db.bun.NewSelect().Model(u).Where("email = ?", email).Scan(ctx)
	return u, notFound(err, "user not found")
}

// UserByID finds a user by id.
func (db *DB) UserByID(ctx context.Context, id string) (*User, error) {
	u, gen, ok := db.cache.user(id)
	if ok {
		return u, nil
	}
	u = new(User)
	if err := db.queryRow(ctx, userByIDSQL, u, id); err != nil {
		return u, notFound(err, "user not found")
	}
	db.cache.putUser(u, gen)
	return u, nil
}

// userByIDSQL runs for every authenticated request (prepared.go).
const userByIDSQL = `SELECT id, email, password_hash, created_at, token_version, is_admin FROM users WHERE id = ?`

// queryRow runs a prepared query and scans its first row into dest, a
// struct with bun tags; no row is sql.ErrNoRows.
func (db *DB) queryRow(ctx context.Context, query string, dest any, args ...any) error {
	st, err := db.prepared(ctx, query)
	if err != nil {
		return err
	}
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return err
		}
		return sql.ErrNoRows
	}
	if err := db.bun.ScanRow(ctx, rows, dest); err != nil {
		return err
	}
	return rows.Close()
}

// ListUsers returns every user, oldest first.
func (db *DB) ListUsers(ctx context.Context) ([]User, error) {
	var users []User
	err := db.bun.NewSelect().Model(&users).Order("created_at ASC", "email ASC").Scan(ctx)
	if err != nil {
		return nil, apperr.Wrap(apperr.Internal, "could not list users", err)
	}
	return users, nil
}

// DeleteUser removes a user; their sessions, files and messages go with it
// (the caller removes the data directories of the returned session ids).
func (db *DB) DeleteUser(ctx context.Context, email string) (sessionIDs []string, err error) {
	u, err := db.UserByEmail(ctx, email)
	if err != nil {
		return nil, err
	}
	defer db.cache.dropUser(u.ID)
	err = db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := tx.NewSelect().Model((*Session)(nil)).Column("id").Where("user_id = ?", u.ID).Scan(ctx, &sessionIDs); err != nil {
			return err
		}
		_, err := tx.NewDelete().Model((*User)(nil)).Where("id = ?", u.ID).Exec(ctx)
		return err
	})
	if err != nil {
		return nil, apperr.Wrap(apperr.Internal, "could not delete the user", err)
	}
	return sessionIDs, nil
}

// SetPassword changes a user's password and raises their token version:
// every token issued before stops working (the server rechecks open
// connections too).
func (db *DB) SetPassword(ctx context.Context, email, password string) error {
	u, err := db.UserByEmail(ctx, email)
	if err != nil {
		return err
	}
	if err := CheckPasswordRules(password); err != nil {
		return err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcryptCost)
	if err != nil {
		return apperr.Wrap(apperr.Internal, "could not change the password", err)
	}
	defer db.cache.dropUser(u.ID)
	_, err = db.bun.NewUpdate().Model((*User)(nil)).Set("password_hash = ?", string(hash)).
		Set("token_version = token_version + 1").Where("id = ?", u.ID).Exec(ctx)
	if err != nil {
		return apperr.Wrap(apperr.Internal, "could not change the password", err)
	}
	return nil
}

// newID returns a time-ordered UUID (v7), so that ids sort like creation.
func newID() string { return uuid.Must(uuid.NewV7()).String() }

// now is the time stored in created_at: UTC, so that text columns sort.
func now() time.Time { return time.Now().UTC() }

func notFound(err error, msg string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sql.ErrNoRows):
		return apperr.New(apperr.NotFound, msg)
	default:
		return apperr.Wrap(apperr.Internal, msg, err)
	}
}

// isUniqueViolation recognises SQLite's and PostgreSQL's duplicate-key errors.
func isUniqueViolation(err error) bool {
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "duplicate key value")
}
