package server

import (
	"fmt"
	"runtime/debug"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"github.com/analyzerhq/analyzer/apperr"
)

const localRequestID = "request_id"

// requestIDs tags every request with an id, echoed in X-Request-ID and in
// the logs, so that a user's report can be matched to a log line.
func requestIDs(c *fiber.Ctx) error {
	id := uuid.NewString()
	c.Locals(localRequestID, id)
	c.Set(fiber.HeaderXRequestID, id)
	return c.Next()
}

func requestID(c *fiber.Ctx) string {
	id, _ := c.Locals(localRequestID).(string)
	return id
}

// logRequests logs one line per request. The path is logged without its
// query string: the WebSocket's token travels there.
func (s *Server) logRequests(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	status := c.Response().StatusCode()
	if err != nil {
		// The error handler runs after this middleware returns; log the
		// status it will choose.
		if fe, ok := err.(*fiber.Error); ok {
			status = fe.Code
		} else if st := statusOf[apperr.KindOf(err)]; st != 0 {
			status = st
		}
	}
	s.log.Info("request", "request_id", requestID(c), "method", c.Method(), "path", c.Path(),
		"status", status, "duration", time.Since(start).Round(time.Microsecond))
	return err
}

// recoverPanics turns a panic into a logged internal error.
func (s *Server) recoverPanics(c *fiber.Ctx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("panic", "request_id", requestID(c), "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			err = apperr.New(apperr.Internal, "internal error")
		}
	}()
	return c.Next()
}
