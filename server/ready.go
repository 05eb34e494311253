package server

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"
)

// readyResponse is GET /api/ready's answer.
type readyResponse struct {
	Status string `json:"status"` // "ready", or "unavailable" with a 503
	Detail string `json:"detail,omitempty"`
}

// ready is for load balancers: 200 while this instance can serve (its
// database and file store answer within two seconds), 503 once it is
// shutting down (it drains; new requests belong elsewhere) or when either
// does not answer. /api/health stays the human-readable check.
func (s *Server) ready(c *fiber.Ctx) error {
	unavailable := func(detail string) error {
		return c.Status(fiber.StatusServiceUnavailable).JSON(readyResponse{Status: "unavailable", Detail: detail})
	}
	if s.draining.Load() || s.base.Err() != nil {
		return unavailable("shutting down")
	}
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		return unavailable("database unavailable")
	}
	if err := s.opts.Files.Ping(ctx); err != nil {
		return unavailable("file store unavailable")
	}
	return c.JSON(readyResponse{Status: "ready"})
}
