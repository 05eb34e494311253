package agent

import (
	"context"
	"encoding/json"
	"strings"
	"unicode/utf8"

	"github.com/analyzerhq/analyzer/apperr"
	"github.com/analyzerhq/analyzer/duck"
)

// Bounds of what is kept of a conversation. The live event carries the
// result as the engine returned it (bounded by bytes there); what is
// stored for history is smaller still, since every later turn and every
// reload of the session reads it again.
const (
	// MaxStoredRows caps the rows kept with a stored query result.
	MaxStoredRows = 1000
	// StoredResultBytes caps the JSON of the rows kept with a stored
	// query result.
	StoredResultBytes = 256 << 10
	// StoredCellBytes caps one cell of a stored result: a longer string is
	// cut (and ends with "…"), a longer list or struct is kept as the
	// start of its JSON text.
	StoredCellBytes = 8 << 10
	// StoredSQLBytes and StoredErrorBytes cap a stored result's SQL and
	// error message.
	StoredSQLBytes   = 64 << 10
	StoredErrorBytes = 8 << 10
	// StoredTextBytes caps the text of any stored record.
	StoredTextBytes = 256 << 10
	// StoredPlotBytes caps a stored chart: past it, its inline data points
	// are thinned until it fits.
	StoredPlotBytes = 1 << 20
	// StoredDataBytes caps any other record's payload.
	StoredDataBytes = 1 << 20
)

// QueryResult is the payload of a query_result event and of its stored record.
type QueryResult struct {
	SQL       string            `json:"sql"`
	Result    []duck.OrderedRow `json:"result"`
	IsError   bool              `json:"is_error"`
	Error     string            `json:"error,omitempty"`
	Columns   []string          `json:"columns"`
	Types     []string          `json:"types,omitempty"`
	RowCount  int64             `json:"row_count"`
	Truncated bool              `json:"truncated"`
	// TruncatedReason says why the rows stop early (duck.TruncatedRows,
	// duck.TruncatedBytes); empty when the result is whole.
	TruncatedReason string `json:"truncated_reason,omitempty"`
	ElapsedMS       int64  `json:"elapsed_ms"`
	// StoredTruncated marks a stored copy that keeps less than was sent:
	// fewer rows, or cells cut (StoredCellBytes).
	StoredTruncated bool `json:"stored_truncated,omitempty"`
	// ToolUseID names the model's tool call this result answers, so that
	// history replay pairs them; empty for SQL the user ran.
	ToolUseID string `json:"tool_use_id,omitempty"`

	res *duck.Result
}

// RunQuery runs sql in the session's sandbox and describes the outcome; a
// failing query is a result with IsError, not an error: the user (or the
// model) reads the message and corrects the SQL.
func RunQuery(ctx context.Context, engine Engine, sessionID, sql string) *QueryResult {
	res, err := engine.Query(ctx, sessionID, sql)
	if err != nil {
		return &QueryResult{SQL: sql, Result: []duck.OrderedRow{}, Columns: []string{}, IsError: true, Error: apperr.MessageOf(err)}
	}
	return &QueryResult{
		SQL:             sql,
		Result:          res.Objects(),
		Columns:         res.Columns,
		Types:           res.Types,
		RowCount:        res.RowCount,
		Truncated:       res.Truncated,
		TruncatedReason: res.TruncatedReason,
		ElapsedMS:       res.ElapsedMS,
		res:             res,
	}
}

// Rows returns the underlying result, nil when the query failed.
func (q *QueryResult) Rows() *duck.Result { return q.res }

// Record returns the record to keep for this result: at most MaxStoredRows
// rows and about StoredResultBytes of them, cells over StoredCellBytes cut;
// StoredTruncated says when anything was left out.
func (q *QueryResult) Record() Record {
	stored := *q
	stored.res = nil
	stored.SQL, _ = cutString(q.SQL, StoredSQLBytes)
	stored.Error, _ = cutString(q.Error, StoredErrorBytes)
	stored.Result, stored.StoredTruncated = q.storedRows()
	data, _ := json.Marshal(stored) // plain data: cannot fail
	if len(data) > StoredResultBytes+StoredSQLBytes+StoredErrorBytes {
		// The column names themselves are huge: keep no rows, and cut the names.
		stored.Result, stored.StoredTruncated = []duck.OrderedRow{}, true
		stored.Columns = cutStrings(q.Columns, 256, 1000)
		stored.Types = cutStrings(q.Types, 64, 1000)
		data, _ = json.Marshal(stored)
	}
	text := ""
	if q.IsError {
		text = stored.Error
	}
	return Record{Role: RoleAssistant, Type: TypeQueryResult, Text: text, Data: data}
}

// storedRows returns the rows to store and whether any were left out or cut.
func (q *QueryResult) storedRows() ([]duck.OrderedRow, bool) {
	if q.res == nil || len(q.res.Rows) != len(q.Result) {
		// No underlying values to cut: keep whole rows while they fit.
		out := make([]duck.OrderedRow, 0, min(len(q.Result), MaxStoredRows))
		size := 2
		for _, row := range q.Result {
			b, err := json.Marshal(row)
			if err != nil || len(out) >= MaxStoredRows || size+len(b)+1 > StoredResultBytes {
				return out, true
			}
			size += len(b) + 1
			out = append(out, row)
		}
		return out, false
	}
	ncols := max(len(q.res.Columns), 1)
	// Every cell gets its share of the budget when the row is wide.
	cellMax := min(StoredCellBytes, max(64, StoredResultBytes/(2*ncols)))
	cut := false
	rows := make([][]any, 0, min(len(q.res.Rows), MaxStoredRows))
	size := 2
	keysSize := 0
	for _, c := range q.res.Columns {
		keysSize += len(c) + 4
	}
	for _, row := range q.res.Rows {
		if len(rows) >= MaxStoredRows {
			cut = true
			break
		}
		kept := make([]any, len(row))
		rowSize := keysSize + 2
		for i, v := range row {
			nv, n, c := cutValue(v, cellMax)
			kept[i], rowSize, cut = nv, rowSize+n+1, cut || c
		}
		if size+rowSize > StoredResultBytes {
			cut = true
			break
		}
		size += rowSize + 1
		rows = append(rows, kept)
	}
	stored := &duck.Result{Columns: q.res.Columns, Rows: rows}
	return stored.Objects(), cut
}

// cutValue bounds one cell to about limit bytes of JSON and returns the
// value to keep, its approximate JSON size and whether it was cut.
func cutValue(v any, limit int) (any, int, bool) {
	switch x := v.(type) {
	case nil:
		return nil, 4, false
	case string:
		s, cut := cutString(x, limit)
		return s, jsonStringSize(s), cut
	case []any, map[string]any:
		b, err := json.Marshal(x)
		if err != nil {
			return nil, 4, true
		}
		if len(b) <= limit {
			return x, len(b), false
		}
		s, _ := cutString(string(b), limit)
		return s, jsonStringSize(s), true
	default:
		b, err := json.Marshal(x)
		if err != nil {
			return nil, 4, true
		}
		if len(b) > limit {
			s, _ := cutString(string(b), limit)
			return s, jsonStringSize(s), true
		}
		return x, len(b), false
	}
}

// jsonStringSize is the length of s encoded as a JSON string, at most: a
// character may take up to six bytes escaped.
func jsonStringSize(s string) int {
	n := 2
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			n += 2
		case c < 0x20 || c == '<' || c == '>' || c == '&':
			n += 6
		default:
			n++
		}
	}
	return n
}

// cutString keeps at most limit bytes of s, on a character boundary, and
// marks a cut with "…".
func cutString(s string, limit int) (string, bool) {
	if len(s) <= limit {
		return s, false
	}
	end := max(limit-len("…"), 0)
	for end > 0 && !utf8.RuneStart(s[end]) {
		end--
	}
	return strings.ToValidUTF8(s[:end], "") + "…", true
}

// cutStrings cuts each of at most n strings to limit bytes.
func cutStrings(ss []string, limit, n int) []string {
	if ss == nil {
		return nil
	}
	out := make([]string, 0, min(len(ss), n))
	for _, s := range ss[:min(len(ss), n)] {
		c, _ := cutString(s, limit)
		out = append(out, c)
	}
	return out
}

// BoundRecord returns r as it may be stored: text cut to StoredTextBytes,
// a chart whose spec is over StoredPlotBytes thinned (its inline data
// points halved until it fits, "stored_truncated" set) or, when that
// cannot help, kept as its title only; any other payload over
// StoredDataBytes is dropped. Query results are bounded by Record already.
func BoundRecord(r Record) Record {
	if t, cut := cutString(r.Text, StoredTextBytes); cut {
		r.Text = t
	}
	if len(r.PlotData) > StoredPlotBytes {
		r.PlotData = thinPlot(r.PlotData)
	}
	if len(r.Data) > StoredDataBytes && r.Type != TypeQueryResult {
		r.Data = json.RawMessage(`{"stored_truncated":true}`)
	}
	if len(r.Data) > StoredResultBytes+StoredSQLBytes+StoredErrorBytes+(64<<10) && r.Type == TypeQueryResult {
		r.Data = json.RawMessage(`{"result":[],"columns":[],"is_error":false,"row_count":0,"truncated":true,"stored_truncated":true}`)
	}
	return r
}

// thinPlot halves a chart's inline data until its JSON fits StoredPlotBytes.
func thinPlot(raw json.RawMessage) json.RawMessage {
	var plot map[string]any
	if json.Unmarshal(raw, &plot) != nil {
		return nil
	}
	spec, _ := plot["vega_lite_spec"].(map[string]any)
	data, _ := spec["data"].(map[string]any)
	values, _ := data["values"].([]any)
	for len(values) > 0 {
		values = values[:len(values)/2]
		data["values"] = values
		plot["stored_truncated"] = true
		if b, err := json.Marshal(plot); err == nil && len(b) <= StoredPlotBytes {
			return b
		}
	}
	title, _ := plot["title"].(string)
	title, _ = cutString(title, 1000)
	b, _ := json.Marshal(map[string]any{"title": title, "vega_lite_spec": map[string]any{}, "stored_truncated": true})
	return b
}
