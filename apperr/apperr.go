// Package apperr is the one error type of the application: a kind that says
// what went wrong in terms a client can act on, a message that is safe to show,
// and the internal cause that is only logged.
//
// Every package returns *Error for failures a user can cause or see; the
// server maps the kind to an HTTP status or a WebSocket error event in one
// place, so no handler decides on its own what leaks.
package apperr

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Kind classifies an error for the client.
type Kind string

const (
	Invalid      Kind = "invalid"      // malformed or unacceptable input (400)
	Unauthorized Kind = "unauthorized" // missing or bad credentials (401)
	Forbidden    Kind = "forbidden"    // authenticated but not allowed (403)
	NotFound     Kind = "not_found"    // absent, or not the caller's (404)
	Conflict     Kind = "conflict"     // already exists (409)
	TooLarge     Kind = "too_large"    // over a size limit (413)
	Unsupported  Kind = "unsupported"  // wrong media type (415)
	TooMany      Kind = "too_many"     // rate or concurrency limit (429)
	Timeout      Kind = "timeout"      // took longer than allowed (504 over HTTP)
	Canceled     Kind = "canceled"     // stopped by the caller
	Unavailable  Kind = "unavailable"  // a dependency is down or overloaded (503)
	Internal     Kind = "internal"     // our fault; the message is generic (500)
)

// Error is the application's error value.
type Error struct {
	Kind    Kind
	Message string // safe to show to the client
	Err     error  // internal cause: logged, never shown
	// RetryAfter, when set, tells the client how long to wait (429, 503).
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Kind, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Kind, e.Message)
}

func (e *Error) Unwrap() error { return e.Err }

// New returns an error of the given kind with a client-safe message.
func New(kind Kind, msg string) *Error { return &Error{Kind: kind, Message: msg} }

// Newf is New with formatting.
func Newf(kind Kind, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns an error of the given kind that keeps err as its internal cause.
func Wrap(kind Kind, msg string, err error) *Error {
	return &Error{Kind: kind, Message: msg, Err: err}
}

// As returns the *Error in err's chain, if any.
func As(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

// KindOf returns the kind of err: the first *Error in its chain, Canceled for
// context cancellation, Timeout for a deadline, Internal otherwise.
func KindOf(err error) Kind {
	if err == nil {
		return ""
	}
	if e, ok := As(err); ok {
		return e.Kind
	}
	switch {
	case errors.Is(err, context.Canceled):
		return Canceled
	case errors.Is(err, context.DeadlineExceeded):
		return Timeout
	}
	return Internal
}

// MessageOf returns the message a client may see for err.
func MessageOf(err error) string {
	if e, ok := As(err); ok && e.Kind != Internal {
		return e.Message
	}
	switch KindOf(err) {
	case Canceled:
		return "stopped"
	case Timeout:
		return "the operation took too long"
	}
	return "internal error"
}
