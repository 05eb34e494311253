package server

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"github.com/analyzerhq/analyzer/apperr"
	"github.com/analyzerhq/analyzer/chat"
	"github.com/analyzerhq/analyzer/duck"
	"github.com/analyzerhq/analyzer/storage"
)

// previewRows is how many rows the upload answer and the detail show.
const previewRows = 100

// fileInfo is the contract's file object, with the engine's extra facts.
type fileInfo struct {
	Filename     string   `json:"filename"`
	RowCount     int64    `json:"row_count"`
	ColumnCount  int      `json:"column_count"`
	Columns      []string `json:"columns"`
	ColumnTypes  []string `json:"column_types"`
	Preview      any      `json:"preview"`
	Format       string   `json:"format"`
	SizeBytes    int64    `json:"size_bytes"`
	RejectedRows int64    `json:"rejected_rows"`
	// PreviewError says why the preview is empty when the data could not
	// be read (for instance, its files were removed by hand).
	PreviewError string `json:"preview_error,omitempty"`
	readReport
}

type sessionSummary struct {
	ID          string    `json:"id"`
	Title       string    `json:"title"`
	CreatedAt   time.Time `json:"created_at"`
	Filename    string    `json:"filename"`
	RowCount    int64     `json:"row_count"`
	ColumnCount int       `json:"column_count"`
	// SizeBytes is the uploaded file's size; the session's created_at is
	// when it was uploaded.
	SizeBytes int64  `json:"size_bytes"`
	Format    string `json:"format,omitempty"`
}

func summaryOf(ss *storage.Session) sessionSummary {
	sum := sessionSummary{ID: ss.ID, Title: ss.Title, CreatedAt: ss.CreatedAt}
	if ss.File != nil {
		sum.Filename, sum.RowCount, sum.ColumnCount = ss.File.Filename, ss.File.RowCount, ss.File.ColCount
		sum.SizeBytes, sum.Format = ss.File.SizeBytes, ss.File.Format
	}
	return sum
}

type sessionDetail struct {
	ID        string         `json:"id"`
	Title     string         `json:"title"`
	CreatedAt time.Time      `json:"created_at"`
	File      *fileInfo      `json:"file"`
	Messages  []chat.Message `json:"messages"`
}

// listSessions lists the caller's sessions, most recent first; ?q= keeps
// those whose title or file name holds every word of it (trash.go's
// matchSession).
func (s *Server) listSessions(c *fiber.Ctx) error {
	uid := currentUser(c).ID
	sessions, err := s.store.ListSessions(c.UserContext(), uid)
	if err != nil {
		return err
	}
	changed, err := s.store.ChangedShapes(c.UserContext(), uid) // tables.go
	if err != nil {
		return err
	}
	q := c.Query("q")
	if len(q) > maxSearchBytes {
		return apperr.Newf(apperr.Invalid, "the search is longer than %d bytes", maxSearchBytes)
	}
	terms := searchTerms(q)
	out := make([]sessionSummary, 0, len(sessions))
	for i := range sessions {
		if !matchSession(&sessions[i], terms) {
			continue
		}
		sum := summaryOf(&sessions[i])
		if cs, ok := changed[sum.ID]; ok {
			sum.RowCount, sum.ColumnCount = cs.RowCount, int(cs.ColumnCount)
		}
		out = append(out, sum)
	}
	return c.JSON(out)
}

// ownedSession loads the caller's session named by the :id parameter. A
// malformed id, a missing session and another user's session are the same
// 404.
func (s *Server) ownedSession(c *fiber.Ctx) (*storage.Session, error) {
	id := c.Params("id")
	if _, err := uuid.Parse(id); err != nil {
		return nil, apperr.New(apperr.NotFound, "session not found")
	}
	return s.store.GetSession(c.UserContext(), currentUser(c).ID, id)
}

func (s *Server) sessionDetail(c *fiber.Ctx) error {
	sess, err := s.ownedSession(c)
	if err != nil {
		return err
	}
	msgs, err := s.chats.Transcript(c.UserContext(), sess.ID)
	if err != nil {
		return err
	}
	pageStoredResults(msgs) // rows.go
	return c.JSON(sessionDetail{
		ID:        sess.ID,
		Title:     sess.Title,
		CreatedAt: sess.CreatedAt,
		File:      s.fileInfo(c, sess),
		Messages:  msgs,
	})
}

// fileInfo describes the session's file with a fresh preview read from the
// data engine.
func (s *Server) fileInfo(c *fiber.Ctx, sess *storage.Session) *fileInfo {
	f := sess.File
	if f == nil {
		return nil
	}
	info := &fileInfo{
		Filename:     f.Filename,
		RowCount:     f.RowCount,
		ColumnCount:  f.ColCount,
		Columns:      []string{},
		ColumnTypes:  []string{},
		Preview:      []any{},
		Format:       f.Format,
		SizeBytes:    f.SizeBytes,
		RejectedRows: f.RejectedRows,
	}
	if r, err := fileReport(f); err != nil {
		s.log.Error("stored read report unreadable", "request_id", requestID(c), "session", sess.ID, "err", err)
	} else {
		info.readReport = r
	}
	if names, types, err := f.ColumnList(); err != nil {
		s.log.Error("stored columns unreadable", "request_id", requestID(c), "session", sess.ID, "err", err)
	} else {
		info.Columns = append(info.Columns, names...)
		info.ColumnTypes = append(info.ColumnTypes, types...)
	}
	preview, err := s.engine.Preview(c.UserContext(), sess.ID, previewRows)
	if err != nil {
		s.log.Warn("preview failed", "request_id", requestID(c), "session", sess.ID, "err", err)
		info.PreviewError = apperr.MessageOf(err)
		return info
	}
	info.Preview = preview.Objects()
	s.currentShape(c, sess, info, preview)
	return info
}

// currentShape gives the file's counts and columns from the preview once
// the session's first table was changed (tables.go): the stored ones are
// the upload's.
func (s *Server) currentShape(c *fiber.Ctx, sess *storage.Session, info *fileInfo, preview *duck.Result) {
	if s.opts.Tables == nil {
		return
	}
	ms, err := s.engine.CurrentMounts(c.UserContext(), sess.ID)
	if err != nil || len(ms) == 0 || ms[0].Dir == "" {
		return
	}
	info.RowCount = preview.RowCount
	info.Columns = append([]string{}, preview.Columns...)
	info.ColumnTypes = append([]string{}, preview.Types...)
	info.ColumnCount = len(info.Columns)
}

func (s *Server) sessionProfile(c *fiber.Ctx) error {
	sess, err := s.ownedSession(c)
	if err != nil {
		return err
	}
	p, err := s.engine.Profile(c.UserContext(), sess.ID)
	if err != nil {
		return err
	}
	return c.JSON(p)
}

// deleteSession marks the caller's session deleted: it is gone from every
// API at once and may be restored for UndoWindow, after which the purge
// (trash.go) removes its files and its row.
func (s *Server) deleteSession(c *fiber.Ctx) error {
	sess, err := s.ownedSession(c)
	if err != nil {
		return err
	}
	if err := s.store.SoftDeleteSession(c.UserContext(), currentUser(c).ID, sess.ID, s.opts.Now()); err != nil {
		return err
	}
	c.Set("X-Undo-Seconds", strconv.Itoa(int(UndoWindow/time.Second)))
	return c.SendStatus(fiber.StatusNoContent)
}
