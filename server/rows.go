package server

import (
	"encoding/json"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/apperr"
	"github.com/analyzerhq/analyzer/chat"
	"github.com/analyzerhq/analyzer/storage"
)

// A session's detail serves each stored query result's rows a page at a
// time: at most detailRows rows and about detailRowBytes of them. The
// stored record (agent.QueryResult) gains:
//
//   - row_offset: the index of the first row served (0 in the detail);
//   - stored_row_count: the rows kept in the store for this result;
//   - has_more: rows after this page are stored: GET
//     /api/sessions/{id}/messages/{messageID}/rows?offset=&limit= pages them.
const (
	detailRows     = 100
	detailRowBytes = 64 << 10
	maxPageRows    = 1000
	maxPageBytes   = 1 << 20
)

// rowsPage is the answer of the rows endpoint.
type rowsPage struct {
	Columns         []string          `json:"columns"`
	Types           []string          `json:"types,omitempty"`
	Rows            []json.RawMessage `json:"rows"`
	RowOffset       int               `json:"row_offset"`
	StoredRowCount  int               `json:"stored_row_count"`
	HasMore         bool              `json:"has_more"`
	RowCount        int64             `json:"row_count"`
	Truncated       bool              `json:"truncated"`
	StoredTruncated bool              `json:"stored_truncated"`
}

// storedResult is the part of a stored query result that paging reads.
type storedResult struct {
	Result          []json.RawMessage `json:"result"`
	Columns         []string          `json:"columns"`
	Types           []string          `json:"types"`
	RowCount        int64             `json:"row_count"`
	Truncated       bool              `json:"truncated"`
	StoredTruncated bool              `json:"stored_truncated"`
}

// page returns rows [offset, offset+limit) within maxBytes (at least one
// row), and whether more follow.
func page(rows []json.RawMessage, offset, limit, maxBytes int) ([]json.RawMessage, bool) {
	if offset >= len(rows) {
		return []json.RawMessage{}, false
	}
	out := make([]json.RawMessage, 0, min(limit, len(rows)-offset))
	size := 0
	for _, r := range rows[offset:] {
		if len(out) >= limit || (len(out) > 0 && size+len(r) > maxBytes) {
			break
		}
		size += len(r) + 1
		out = append(out, r)
	}
	return out, offset+len(out) < len(rows)
}

// pageStoredResults cuts the rows of every stored query result to the
// detail's first page, adding row_offset, stored_row_count and has_more.
// A record that cannot be read is left as it is.
func pageStoredResults(msgs []chat.Message) {
	for i := range msgs {
		m := &msgs[i]
		if m.Type != agent.TypeQueryResult || len(m.Data) == 0 {
			continue
		}
		var fields map[string]json.RawMessage
		if json.Unmarshal(m.Data, &fields) != nil {
			continue
		}
		var rows []json.RawMessage
		if raw, ok := fields["result"]; ok && json.Unmarshal(raw, &rows) != nil {
			continue
		}
		first, more := page(rows, 0, detailRows, detailRowBytes)
		if first == nil {
			first = []json.RawMessage{}
		}
		fields["result"], _ = json.Marshal(first)
		fields["row_offset"] = json.RawMessage("0")
		fields["stored_row_count"] = json.RawMessage(strconv.Itoa(len(rows)))
		fields["has_more"], _ = json.Marshal(more)
		if b, err := json.Marshal(fields); err == nil {
			m.Data = b
		}
	}
}

// resultRows pages one stored query result of the caller's session.
func (s *Server) resultRows(c *fiber.Ctx) error {
	sess, err := s.ownedSession(c)
	if err != nil {
		return err
	}
	offset, err := queryInt(c, "offset", 0)
	if err != nil {
		return err
	}
	limit, err := queryInt(c, "limit", detailRows)
	if err != nil {
		return err
	}
	if limit == 0 || limit > maxPageRows {
		return apperr.Newf(apperr.Invalid, "limit must be between 1 and %d", maxPageRows)
	}
	var res storedResult
	if err := s.readStoredResult(c, sess, &res); err != nil {
		return err
	}
	rows, more := page(res.Result, offset, limit, maxPageBytes)
	if res.Columns == nil {
		res.Columns = []string{}
	}
	return c.JSON(rowsPage{
		Columns:         res.Columns,
		Types:           res.Types,
		Rows:            rows,
		RowOffset:       offset,
		StoredRowCount:  len(res.Result),
		HasMore:         more,
		RowCount:        res.RowCount,
		Truncated:       res.Truncated,
		StoredTruncated: res.StoredTruncated,
	})
}

// queryInt reads a non-negative integer query parameter.
func queryInt(c *fiber.Ctx, name string, def int) (int, error) {
	raw := c.Query(name)
	if raw == "" {
		return def, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 0 || n > 1<<30 {
		return 0, apperr.Newf(apperr.Invalid, "%s must be a non-negative integer", name)
	}
	return n, nil
}

// readStoredResult reads the stored query result named by the route's
// messageID in sess into out, each endpoint with the fields it needs. Any
// other message, or one of another session, is "not found".
func (s *Server) readStoredResult(c *fiber.Ctx, sess *storage.Session, out any) error {
	notFound := apperr.New(apperr.NotFound, "query result not found")
	mid := c.Params("messageID")
	if _, err := uuid.Parse(mid); err != nil {
		return notFound
	}
	m, err := s.store.GetMessage(c.UserContext(), sess.ID, mid)
	if apperr.KindOf(err) == apperr.NotFound {
		return notFound
	}
	if err != nil {
		return err
	}
	if agent.RecordType(m.Type) != agent.TypeQueryResult || len(m.Data) == 0 {
		return notFound
	}
	if err := json.Unmarshal(m.Data, out); err != nil {
		return apperr.Wrap(apperr.Internal, "could not read the stored result", err)
	}
	return nil
}
