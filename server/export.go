package server

import (
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/analyzerhq/analyzer/apperr"
	"github.com/analyzerhq/analyzer/duck"
)

// ExportLimits bound the full exports (GET .../export).
type ExportLimits struct {
	// MaxRows is the most rows an export may have (0: no limit); a bigger
	// result is refused with 413, never cut.
	MaxRows int64
	// Timeout bounds the query that writes one export (0: the query
	// timeout). The request timeout does not apply to exports.
	Timeout time.Duration
}

// exportSQL is the part of a stored query result an export reads.
type exportSQL struct {
	SQL     string   `json:"sql"`
	IsError bool     `json:"is_error"`
	Columns []string `json:"columns"`
	Caption string   `json:"caption"`
	Title   string   `json:"title"`
}

var exportContentTypes = map[duck.ExportFormat]string{
	duck.ExportCSV:     "text/csv; charset=utf-8",
	duck.ExportParquet: "application/vnd.apache.parquet",
	duck.ExportJSON:    "application/json; charset=utf-8",
}

// exportResult re-runs a stored query result's SQL in the session's
// sandbox and sends its whole result as CSV, Parquet or JSON:
// GET /api/sessions/{id}/messages/{messageID}/export?format=csv|parquet|json[&caption=…].
func (s *Server) exportResult(c *fiber.Ctx) error {
	format, err := duck.ParseExportFormat(c.Query("format", "csv"))
	if err != nil {
		return err
	}
	sess, err := s.ownedSession(c)
	if err != nil {
		return err
	}
	var res exportSQL
	if err := s.readStoredResult(c, sess, &res); err != nil {
		return err
	}
	if res.IsError || strings.TrimSpace(res.SQL) == "" {
		return apperr.New(apperr.Invalid, "this query failed: it has no result to export")
	}
	caption := c.Query("caption")
	if caption == "" {
		caption = firstNonEmpty(res.Caption, res.Title, strings.Join(res.Columns[:min(len(res.Columns), 3)], ", "), "result")
	}
	f, err := s.engine.Export(c.UserContext(), sess.ID, res.SQL, s.exportOptions(format))
	if err != nil {
		return err
	}
	return s.sendExport(c, f, format, exportFilename(sess.Title, caption, string(format)))
}

// exportData sends the session's dataset (its typed copy) as CSV or
// Parquet: GET /api/sessions/{id}/data/export?format=csv|parquet|json.
func (s *Server) exportData(c *fiber.Ctx) error {
	format, err := duck.ParseExportFormat(c.Query("format", "csv"))
	if err != nil {
		return err
	}
	sess, err := s.ownedSession(c)
	if err != nil {
		return err
	}
	name := "data"
	if sess.File != nil {
		name = strings.TrimSuffix(sess.File.Filename, extOf(sess.File.Filename))
	}
	f, err := s.engine.ExportData(c.UserContext(), sess.ID, s.exportOptions(format))
	if err != nil {
		return err
	}
	return s.sendExport(c, f, format, exportFilename(name, "", string(format)))
}

func (s *Server) exportOptions(format duck.ExportFormat) duck.ExportOptions {
	return duck.ExportOptions{Format: format, MaxRows: s.opts.Exports.MaxRows, Timeout: s.opts.Exports.Timeout}
}

// sendExport streams f (closed, and removed when temporary, once sent) as
// an attachment named filename.
func (s *Server) sendExport(c *fiber.Ctx, f *duck.ExportFile, format duck.ExportFormat, filename string) error {
	c.Set(fiber.HeaderContentType, exportContentTypes[format])
	c.Set(fiber.HeaderContentDisposition, contentDisposition(filename))
	if f.Rows >= 0 {
		c.Set("X-Export-Rows", strconv.FormatInt(f.Rows, 10))
	}
	// A big file over a slow link takes longer than one response's write
	// timeout: the deadline moves on while bytes flow.
	c.Context().SetBodyStream(&flowingBody{file: f, conn: c.Context().Conn(), stall: s.guard.limits.WriteTimeout}, int(f.Size))
	return nil
}

// flowingBody is an export being sent: each read pushes the connection's
// write deadline back, so only a stalled client times out; Close (fasthttp
// calls it once the body is sent or the connection fails) removes the file.
type flowingBody struct {
	file  *duck.ExportFile
	conn  net.Conn
	stall time.Duration
	next  time.Time
}

func (b *flowingBody) Read(p []byte) (int, error) {
	n, err := b.file.Read(p)
	if n > 0 && b.conn != nil && b.stall > 0 {
		if now := time.Now(); now.After(b.next) {
			_ = b.conn.SetWriteDeadline(now.Add(b.stall))
			b.next = now.Add(min(time.Second, b.stall/4))
		}
	}
	return n, err
}

func (b *flowingBody) Close() error { return b.file.Close() }

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}
