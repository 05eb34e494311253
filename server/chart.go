package server

import (
	"encoding/json"
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/analyzerhq/analyzer/apperr"
	"github.com/analyzerhq/analyzer/vegalite"
)

// "Chart this": GET /api/sessions/{id}/messages/{messageID}/chart?mark=
// proposes a Vega-Lite chart of one stored query result of the caller's
// session, from its columns' types and its stored rows, with the builders
// the analysts draw with (package vegalite). mark picks one of the marks
// that fit; the answer lists them all.

// chartAnswer is the endpoint's answer: the proposal, and how many rows
// the result had (the chart shows the stored ones: Rows of RowCount).
type chartAnswer struct {
	vegalite.Proposal
	RowCount int64 `json:"row_count"`
}

// chartSource is the part of a stored query result a chart reads.
type chartSource struct {
	Result   []json.RawMessage `json:"result"`
	Columns  []string          `json:"columns"`
	Types    []string          `json:"types"`
	RowCount int64             `json:"row_count"`
	IsError  bool              `json:"is_error"`
}

func (s *Server) resultChart(c *fiber.Ctx) error {
	sess, err := s.ownedSession(c)
	if err != nil {
		return err
	}
	var src chartSource
	if err := s.readStoredResult(c, sess, &src); err != nil {
		return err
	}
	mark := vegalite.Mark(c.Query("mark"))
	switch mark {
	case "", vegalite.MarkBar, vegalite.MarkLine, vegalite.MarkPoint, vegalite.MarkArea, vegalite.MarkHeatmap:
	default:
		return apperr.New(apperr.Invalid, "mark must be one of bar, line, point, area, heatmap")
	}
	if src.IsError {
		return apperr.New(apperr.Invalid, "a failed query has nothing to chart")
	}
	rows := make([]map[string]any, 0, len(src.Result))
	for _, raw := range src.Result {
		var row map[string]any
		if json.Unmarshal(raw, &row) == nil && row != nil {
			rows = append(rows, row)
		}
	}
	cols := make([]vegalite.ResultColumn, len(src.Columns))
	for i, name := range src.Columns {
		cols[i].Name = name
		if i < len(src.Types) {
			cols[i].Type = src.Types[i]
		}
	}
	p, err := vegalite.Propose(cols, rows, mark)
	if errors.Is(err, vegalite.ErrNoChart) {
		return apperr.New(apperr.Invalid, "This result has no column a chart can show.")
	}
	if err != nil {
		return err
	}
	return c.JSON(chartAnswer{Proposal: p, RowCount: max(src.RowCount, int64(len(rows)))})
}
