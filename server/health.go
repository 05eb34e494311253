package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/analyzerhq/analyzer/apperr"
)

// health answers once the database is reachable (migrations run before the
// server listens). It also tells the UI which analyst answers and whether
// it can be reached, and the upload limit, so that it can check a file
// before sending it.
func (s *Server) health(c *fiber.Ctx) error {
	if err := s.store.Ping(c.UserContext()); err != nil {
		return apperr.Wrap(apperr.Unavailable, "database unavailable", err)
	}
	if err := s.opts.Files.Ping(c.UserContext()); err != nil {
		return apperr.Wrap(apperr.Unavailable, "file store unavailable", err)
	}
	out := fiber.Map{
		"status":          "ok",
		"database":        s.store.Dialect(),
		"file_store":      s.opts.Files.Kind(),
		"version":         s.opts.Version,
		"provider":        s.chats.Info(),
		"max_upload_size": s.opts.MaxUploadSize,
	}
	// Whether the configured model answers, with the reason in plain
	// words when it does not (a rejected key, nothing listening).
	if s.opts.Analysts != nil {
		out["provider_health"] = s.opts.Analysts.Health()
	}
	return c.JSON(out)
}
