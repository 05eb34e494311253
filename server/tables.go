package server

import (
	"context"
	"errors"
	"mime"
	"os"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/apperr"
	"github.com/analyzerhq/analyzer/duck"
	"github.com/analyzerhq/analyzer/storage"
	"github.com/analyzerhq/analyzer/tables"
)

// tableRoutes serves a session's tables and their versions (package
// tables): adding a file, changes, undo, redo, previews and downloads.
func (s *Server) tableRoutes(api fiber.Router) {
	if s.opts.Tables == nil {
		return
	}
	api.Get("/sessions/:id/tables", s.requireUser, s.tablesState)
	api.Post("/sessions/:id/tables", s.requireUser, s.addTable)
	api.Delete("/sessions/:id/tables/:name", s.requireUser, s.removeTable)
	api.Get("/sessions/:id/tables/:name/preview", s.requireUser, s.tablePreview)
	api.Get("/sessions/:id/tables/:name/profile", s.requireUser, s.tableProfile)
	api.Post("/sessions/:id/changes", s.requireUser, s.applyChange)
	api.Post("/sessions/:id/undo", s.requireUser, s.undoChange)
	api.Post("/sessions/:id/redo", s.requireUser, s.redoChange)
	api.Post("/sessions/:id/versions/:versionID/restore", s.requireUser, s.restoreVersion)
	api.Get("/sessions/:id/versions/:versionID/preview", s.requireUser, s.versionPreview)
	api.Get("/sessions/:id/versions/:versionID/download", s.requireUser, s.downloadVersion)
}

func (s *Server) tablesState(c *fiber.Ctx) error {
	sess, err := s.ownedSession(c)
	if err != nil {
		return err
	}
	st, err := s.opts.Tables.State(c.UserContext(), sess)
	if err != nil {
		return err
	}
	return c.JSON(st)
}

// addTableRequest picks one of the user's earlier uploads.
type addTableRequest struct {
	FromSessionID string `json:"from_session_id"`
}

type addTableResponse struct {
	Table   string            `json:"table"`
	Version any               `json:"version"`
	Notice  string            `json:"notice,omitempty"`
	Tables  *tables.State     `json:"tables"`
	File    *addedFileSummary `json:"file,omitempty"`
}

type addedFileSummary struct {
	Filename     string   `json:"filename"`
	RejectedRows int64    `json:"rejected_rows"`
	Notes        []string `json:"notes,omitempty"`
}

// addTable adds a file to the session: a multipart upload (field "file",
// as POST /api/upload) or, as JSON, one of the user's earlier uploads by
// its session id, which is not copied again.
func (s *Server) addTable(c *fiber.Ctx) error {
	sess, err := s.ownedSession(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	mediaType, params, _ := mime.ParseMediaType(c.Get(fiber.HeaderContentType))
	var added *tables.Added
	if mediaType == fiber.MIMEMultipartForm {
		if added, err = s.addUploadedTable(c, params["boundary"]); err != nil {
			return err
		}
	} else {
		var req addTableRequest
		if err := decodeJSON(c, &req); err != nil {
			return err
		}
		if _, err := uuid.Parse(req.FromSessionID); err != nil {
			return apperr.New(apperr.Invalid, "from_session_id must name one of your uploads")
		}
		if err := s.checkQuota(ctx, currentUser(c).ID); err != nil {
			return err
		}
		from, err := s.store.GetSession(ctx, currentUser(c).ID, req.FromSessionID)
		if err != nil {
			return err
		}
		if added, err = s.opts.Tables.AddFrom(ctx, sess, from); err != nil {
			return err
		}
	}
	st, err := s.opts.Tables.State(ctx, sess)
	if err != nil {
		return err
	}
	out := addTableResponse{Table: added.Table.Name, Version: added.Version, Notice: added.Notice, Tables: st}
	if ds := added.Dataset; ds != nil {
		out.File = &addedFileSummary{Filename: added.Table.SourceFilename, RejectedRows: ds.RejectedRows, Notes: ds.Notes}
	}
	return c.JSON(out)
}

// addUploadedTable receives a file as POST /api/upload does, under the
// same limits, and adds it to the session.
func (s *Server) addUploadedTable(c *fiber.Ctx, boundary string) (*tables.Added, error) {
	ctx := c.UserContext()
	if boundary == "" {
		return nil, apperr.New(apperr.Invalid, "expected a multipart/form-data body with a file field")
	}
	if cl := c.Request().Header.ContentLength(); cl > 0 && int64(cl) > s.opts.MaxUploadSize+multipartOverhead {
		return nil, s.tooLarge()
	}
	slot, err := s.beginUpload(ctx, currentUser(c).ID, int64(c.Request().Header.ContentLength()))
	if err != nil {
		return nil, err
	}
	defer slot.release()
	form := newFormReader(s.uploadBody(c), boundary)
	part, err := fileField(form)
	if err != nil {
		return nil, err
	}
	defer part.Close()
	filename, err := cleanFilename(part.FileName())
	if err != nil {
		return nil, err
	}
	tmpPath, pre, err := s.receive(slot.limit(part), filename)
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmpPath)
	if err := drainForm(form); err != nil {
		return nil, err
	}
	sess, err := s.ownedSession(c)
	if err != nil {
		return nil, err
	}
	ingestCtx, stopWatch := watchDisconnect(c, ctx)
	defer stopWatch()
	added, err := s.opts.Tables.AddUpload(ingestCtx, sess, tmpPath, filename, duck.IngestOptions{Owner: currentUser(c).ID, Prescan: pre})
	if err != nil {
		if errors.Is(context.Cause(ingestCtx), errClientGone) {
			s.log.Info("added file abandoned by its client during import", "request_id", requestID(c))
		}
		return nil, err
	}
	return added, nil
}

func (s *Server) removeTable(c *fiber.Ctx) error {
	sess, err := s.ownedSession(c)
	if err != nil {
		return err
	}
	if err := s.opts.Tables.RemoveTable(c.UserContext(), sess, c.Params("name")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

type previewResponse struct {
	Table    string   `json:"table,omitempty"`
	Columns  []string `json:"columns"`
	Types    []string `json:"types"`
	RowCount int64    `json:"row_count"`
	Rows     any      `json:"rows"`
}

func (s *Server) tablePreview(c *fiber.Ctx) error {
	return s.preview(c, c.Params("name"), "")
}

func (s *Server) versionPreview(c *fiber.Ctx) error {
	return s.preview(c, "", c.Params("versionID"))
}

func (s *Server) preview(c *fiber.Ctx, name, versionID string) error {
	sess, err := s.ownedSession(c)
	if err != nil {
		return err
	}
	limit, err := queryInt(c, "limit", previewRows)
	if err != nil {
		return err
	}
	res, err := s.opts.Tables.Preview(c.UserContext(), sess, name, versionID, limit)
	if err != nil {
		return err
	}
	return c.JSON(previewResponse{Table: name, Columns: res.Columns, Types: res.Types, RowCount: res.RowCount, Rows: res.Objects()})
}

func (s *Server) tableProfile(c *fiber.Ctx) error {
	sess, err := s.ownedSession(c)
	if err != nil {
		return err
	}
	p, err := s.opts.Tables.Profile(c.UserContext(), sess, c.Params("name"))
	if err != nil {
		return err
	}
	return c.JSON(p)
}

// changeRequest is a change typed by the user: SQL is one SELECT that
// yields the table's new rows.
type changeRequest struct {
	Table       string `json:"table"`
	SQL         string `json:"sql"`
	Description string `json:"description"`
}

type changeResponse struct {
	*agent.Changed
	Tables *tables.State `json:"tables"`
}

func (s *Server) applyChange(c *fiber.Ctx) error {
	sess, err := s.ownedSession(c)
	if err != nil {
		return err
	}
	var req changeRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.Table == "" || req.SQL == "" {
		return apperr.New(apperr.Invalid, "table and sql are required")
	}
	ctx := c.UserContext()
	if err := s.checkQuota(ctx, currentUser(c).ID); err != nil {
		return err
	}
	ch, err := s.opts.Tables.Change(ctx, sess.ID, agent.Change{Table: req.Table, SQL: req.SQL, Description: req.Description, Author: agent.AuthorUser})
	if err != nil {
		return err
	}
	st, err := s.opts.Tables.State(ctx, sess)
	if err != nil {
		return err
	}
	return c.JSON(changeResponse{Changed: ch, Tables: st})
}

// undoRequest names the table to undo on; empty: the last change.
type undoRequest struct {
	Table string `json:"table"`
}

type moveResponse struct {
	*tables.Move
	Tables *tables.State `json:"tables"`
}

func (s *Server) undoChange(c *fiber.Ctx) error { return s.move(c, (*tables.Service).Undo) }
func (s *Server) redoChange(c *fiber.Ctx) error { return s.move(c, (*tables.Service).Redo) }

func (s *Server) move(c *fiber.Ctx, step func(*tables.Service, context.Context, *storage.Session, string) (*tables.Move, error)) error {
	sess, err := s.ownedSession(c)
	if err != nil {
		return err
	}
	var req undoRequest
	if len(c.Request().Body()) > 0 || c.Request().Header.ContentLength() > 0 {
		if err := decodeJSON(c, &req); err != nil {
			return err
		}
	}
	mv, err := step(s.opts.Tables, c.UserContext(), sess, req.Table)
	if err != nil {
		return err
	}
	return s.moved(c, sess, mv)
}

func (s *Server) moved(c *fiber.Ctx, sess *storage.Session, mv *tables.Move) error {
	st, err := s.opts.Tables.State(c.UserContext(), sess)
	if err != nil {
		return err
	}
	return c.JSON(moveResponse{Move: mv, Tables: st})
}

func (s *Server) restoreVersion(c *fiber.Ctx) error {
	sess, err := s.ownedSession(c)
	if err != nil {
		return err
	}
	mv, err := s.opts.Tables.Pick(c.UserContext(), sess, c.Params("versionID"))
	if err != nil {
		return err
	}
	return s.moved(c, sess, mv)
}

func (s *Server) downloadVersion(c *fiber.Ctx) error {
	sess, err := s.ownedSession(c)
	if err != nil {
		return err
	}
	path, name, err := s.opts.Tables.Download(c.UserContext(), sess, c.Params("versionID"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/vnd.apache.parquet")
	c.Set(fiber.HeaderContentDisposition, mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	return c.SendFile(path)
}
