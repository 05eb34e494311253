package server

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"github.com/analyzerhq/analyzer/apperr"
	"github.com/analyzerhq/analyzer/storage"
)

// UndoWindow is how long a deleted session can be restored; then its
// files and its row go.
const UndoWindow = 30 * time.Second

// purgeEvery is how often the server looks for deleted sessions whose
// window is over.
const purgeEvery = 5 * time.Second

// maxTitleRunes bounds a session's title as the user names it.
const maxTitleRunes = 200

// maxSearchBytes bounds the session list's search text.
const maxSearchBytes = 1 << 10

// restoreSession brings back the caller's session deleted less than
// UndoWindow ago: POST /api/sessions/{id}/restore.
func (s *Server) restoreSession(c *fiber.Ctx) error {
	id := c.Params("id")
	if _, err := uuid.Parse(id); err != nil {
		return apperr.New(apperr.NotFound, "session not found")
	}
	uid := currentUser(c).ID
	if err := s.store.RestoreSession(c.UserContext(), uid, id, s.opts.Now().Add(-UndoWindow)); err != nil {
		return err
	}
	sess, err := s.store.GetSession(c.UserContext(), uid, id)
	if err != nil {
		return err
	}
	return c.JSON(summaryOf(sess))
}

// renameSession sets the title of the caller's session: PATCH
// /api/sessions/{id} with {"title": "…"}.
func (s *Server) renameSession(c *fiber.Ctx) error {
	sess, err := s.ownedSession(c)
	if err != nil {
		return err
	}
	var body struct {
		Title *string `json:"title"`
	}
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	if body.Title == nil {
		return apperr.New(apperr.Invalid, `send {"title": "…"}`)
	}
	title := strings.Join(strings.Fields(*body.Title), " ")
	switch {
	case title == "":
		return apperr.New(apperr.Invalid, "the title is empty")
	case !utf8.ValidString(title):
		return apperr.New(apperr.Invalid, "the title is not valid text")
	case utf8.RuneCountInString(title) > maxTitleRunes:
		return apperr.Newf(apperr.Invalid, "the title is longer than %d characters", maxTitleRunes)
	}
	if err := s.store.RenameSession(c.UserContext(), currentUser(c).ID, sess.ID, title); err != nil {
		return err
	}
	sess.Title = title
	return c.JSON(summaryOf(sess))
}

// searchTerms splits a search into lower-case words.
func searchTerms(q string) []string {
	return strings.Fields(strings.ToLower(q))
}

// matchSession reports whether every term is in the session's title or
// its file's name (case-insensitive).
func matchSession(ss *storage.Session, terms []string) bool {
	if len(terms) == 0 {
		return true
	}
	hay := strings.ToLower(ss.Title)
	if ss.File != nil {
		hay += "\n" + strings.ToLower(ss.File.Filename)
	}
	for _, t := range terms {
		if !strings.Contains(hay, t) {
			return false
		}
	}
	return true
}

// purgeDeleted removes the sessions whose undo window is over: files
// first, then the row, so a crash between the two leaves a marked row the
// next purge finishes.
func (s *Server) purgeDeleted(ctx context.Context) {
	ids, err := s.store.DeletedBefore(ctx, s.opts.Now().Add(-UndoWindow))
	if err != nil {
		s.log.Error("list deleted sessions", "err", err)
		return
	}
	for _, id := range ids {
		if err := s.engine.Remove(ctx, id); err != nil {
			s.log.Error("remove a deleted session's files", "session", id, "err", err)
			continue
		}
		if err := s.opts.Files.Remove(ctx, id); err != nil {
			s.log.Error("remove a deleted session's stored files", "session", id, "err", err)
			continue
		}
		if err := s.store.PurgeSession(ctx, id); err != nil {
			s.log.Error("remove a deleted session", "session", id, "err", err)
			continue
		}
		s.log.Info("deleted session purged", "session", id)
	}
}

// purgeLoop runs purgeDeleted at once (sessions deleted before a restart)
// and then every purgeEvery until ctx ends.
func (s *Server) purgeLoop(ctx context.Context) {
	t := time.NewTicker(purgeEvery)
	defer t.Stop()
	for {
		s.purgeDeleted(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
