package server

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/analysts"
	"github.com/analyzerhq/analyzer/apperr"
	"github.com/analyzerhq/analyzer/storage"
)

// The model routes: the Settings panel (GET/PUT /api/settings, POST
// /api/settings/models), and a session's model menu (GET/PUT
// /api/sessions/:id/model). In desktop mode the owner edits the settings;
// in server mode everyone reads them, administrators with the addresses
// and key hints, and the environment configures the models. No answer ever
// carries a key.

// settingsAccess says what the caller may do with the settings.
func (s *Server) settingsAccess(u *storage.User) (editable, detailed bool) {
	admin := u.IsAdmin
	for _, e := range s.opts.AdminEmails {
		if e == u.Email {
			admin = true
		}
	}
	return s.opts.LocalLogin && admin, admin
}

func (s *Server) getSettings(c *fiber.Ctx) error {
	if s.opts.Analysts == nil {
		return apperr.New(apperr.NotFound, "not found")
	}
	editable, detailed := s.settingsAccess(currentUser(c))
	if editable {
		// Opening Settings looks for local models again: one may have
		// started since.
		ctx, cancel := context.WithTimeout(c.UserContext(), 3*time.Second)
		defer cancel()
		s.opts.Analysts.Discover(ctx)
	}
	return c.JSON(s.opts.Analysts.View(editable, detailed))
}

func (s *Server) putSettings(c *fiber.Ctx) error {
	if s.opts.Analysts == nil {
		return apperr.New(apperr.NotFound, "not found")
	}
	if editable, _ := s.settingsAccess(currentUser(c)); !editable {
		return apperr.New(apperr.Forbidden, "the models are configured by the server's administrator, with environment variables")
	}
	var u analysts.Update
	if err := decodeJSON(c, &u); err != nil {
		return err
	}
	if err := s.opts.Analysts.Save(c.UserContext(), u); err != nil {
		return err
	}
	return c.JSON(s.opts.Analysts.View(true, true))
}

func (s *Server) listProviderModels(c *fiber.Ctx) error {
	if s.opts.Analysts == nil {
		return apperr.New(apperr.NotFound, "not found")
	}
	if editable, _ := s.settingsAccess(currentUser(c)); !editable {
		return apperr.New(apperr.Forbidden, "the models are configured by the server's administrator")
	}
	var in struct {
		Provider string `json:"provider"`
		BaseURL  string `json:"base_url"`
		APIKey   string `json:"api_key"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	models, err := s.opts.Analysts.ListModels(c.UserContext(), in.Provider, in.BaseURL, in.APIKey)
	if err != nil {
		return err
	}
	if models == nil {
		models = []string{}
	}
	return c.JSON(fiber.Map{"models": models})
}

// sessionModel is a session's model menu.
type sessionModel struct {
	// Choice is the id of the model that answers the session's next turn.
	Choice  string             `json:"choice"`
	Choices []analysts.Choice  `json:"choices"`
	Usage   agent.SessionUsage `json:"session_usage"`
	Budget  *budget            `json:"budget,omitempty"`
}

// budget is the caller's monthly token budget.
type budget struct {
	Tokens   int64     `json:"tokens"`
	Used     int64     `json:"used"`
	ResetsAt time.Time `json:"resets_at"`
}

func (s *Server) sessionModelView(ctx context.Context, u *storage.User, sess *storage.Session) (*sessionModel, error) {
	set := s.opts.Analysts
	choice, err := s.store.ModelChoice(ctx, sess.ID)
	if err != nil {
		return nil, err
	}
	if !set.Offers(choice) {
		choice = set.Default().ID
	}
	usage, err := s.chats.SessionUsage(ctx, sess.ID)
	if err != nil {
		return nil, err
	}
	out := &sessionModel{Choice: choice, Choices: set.Choices(), Usage: usage}
	if limit := s.opts.MonthlyTokenBudget; limit > 0 {
		now := time.Now().UTC()
		used, err := s.store.MonthlyTokens(ctx, u.ID, storage.Month(now))
		if err != nil {
			return nil, err
		}
		out.Budget = &budget{Tokens: limit, Used: used, ResetsAt: time.Date(now.Year(), now.Month()+1, 1, 0, 0, 0, 0, time.UTC)}
	}
	return out, nil
}

func (s *Server) getSessionModel(c *fiber.Ctx) error {
	if s.opts.Analysts == nil {
		return apperr.New(apperr.NotFound, "not found")
	}
	sess, err := s.ownedSession(c)
	if err != nil {
		return err
	}
	v, err := s.sessionModelView(c.UserContext(), currentUser(c), sess)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

func (s *Server) putSessionModel(c *fiber.Ctx) error {
	if s.opts.Analysts == nil {
		return apperr.New(apperr.NotFound, "not found")
	}
	sess, err := s.ownedSession(c)
	if err != nil {
		return err
	}
	var in struct {
		Choice string `json:"choice"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if !s.opts.Analysts.Offers(in.Choice) {
		return apperr.New(apperr.Invalid, "that model is not available any more: pick another")
	}
	if err := s.store.SetModelChoice(c.UserContext(), sess.ID, in.Choice); err != nil {
		return err
	}
	v, err := s.sessionModelView(c.UserContext(), currentUser(c), sess)
	if err != nil {
		return err
	}
	return c.JSON(v)
}
