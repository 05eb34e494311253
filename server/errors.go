package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/analyzerhq/analyzer/apperr"
)

// statusOf maps an application error kind to its HTTP status: the one place
// where that decision is made.
var statusOf = map[apperr.Kind]int{
	apperr.Invalid:      http.StatusBadRequest,
	apperr.Unauthorized: http.StatusUnauthorized,
	apperr.Forbidden:    http.StatusForbidden,
	apperr.NotFound:     http.StatusNotFound,
	apperr.Conflict:     http.StatusConflict,
	apperr.TooLarge:     http.StatusRequestEntityTooLarge,
	apperr.Unsupported:  http.StatusUnsupportedMediaType,
	apperr.TooMany:      http.StatusTooManyRequests,
	apperr.Timeout:      http.StatusGatewayTimeout,
	apperr.Canceled:     499, // the client went away; nobody reads it
	apperr.Unavailable:  http.StatusServiceUnavailable,
	apperr.Internal:     http.StatusInternalServerError,
}

// handleError is Fiber's ErrorHandler: every failure leaves as
// {"detail": message} with the status of its kind. Internal causes are
// logged with the request id and never sent.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	status, detail := http.StatusInternalServerError, "internal error"
	var fe *fiber.Error
	switch {
	case errors.As(err, &fe):
		// Raised by Fiber itself: unknown route, method, oversized body.
		status, detail = fe.Code, fe.Message
		if status >= 500 {
			detail = "internal error"
		}
	default:
		kind := apperr.KindOf(err)
		status = statusOf[kind]
		if status == 0 {
			status = http.StatusInternalServerError
		}
		detail = apperr.MessageOf(err)
		if e, ok := apperr.As(err); ok && e.RetryAfter > 0 {
			c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(e.RetryAfter.Seconds()+0.999)))
		}
	}
	if c.Request().Header.ContentLength() != 0 {
		// The body may be partly unread (a refused upload): the connection
		// cannot carry another request after it.
		c.Context().SetConnectionClose()
	}
	if status >= 500 {
		s.log.Error("request failed", "request_id", requestID(c), "method", c.Method(), "path", c.Path(), "status", status, "err", err)
	}
	return c.Status(status).JSON(fiber.Map{"detail": detail})
}
