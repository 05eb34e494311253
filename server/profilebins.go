package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/analyzerhq/analyzer/duck"
)

// GET /api/sessions/{id}/profile/bins: the mini histograms of the
// profile's number and time columns (duck.Histograms), computed on
// request through the sandboxed query path.

type profileBins struct {
	Columns []duck.ColumnBins `json:"columns"`
}

func (s *Server) sessionProfileBins(c *fiber.Ctx) error {
	sess, err := s.ownedSession(c)
	if err != nil {
		return err
	}
	p, err := s.engine.Profile(c.UserContext(), sess.ID)
	if err != nil {
		return err
	}
	cols, err := s.engine.Histograms(c.UserContext(), sess.ID, p)
	if err != nil {
		return err
	}
	return c.JSON(profileBins{Columns: cols})
}
