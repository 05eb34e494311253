package agent

import (
	"context"
	"encoding/json"

	"github.com/analyzerhq/analyzer/apperr"
	"github.com/analyzerhq/analyzer/duck"
)

// storedRows caps the rows kept with a stored query result: enough to show
// the table again after a reload without making the session heavy.
const storedRows = 1000

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
	ElapsedMS int64             `json:"elapsed_ms"`
	// StoredTruncated marks a stored copy that keeps fewer rows than were sent.
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
		SQL:       sql,
		Result:    res.Objects(),
		Columns:   res.Columns,
		Types:     res.Types,
		RowCount:  res.RowCount,
		Truncated: res.Truncated,
		ElapsedMS: res.ElapsedMS,
		res:       res,
	}
}

// Rows returns the underlying result, nil when the query failed.
func (q *QueryResult) Rows() *duck.Result { return q.res }

// Record returns the record to keep for this result, with at most
// storedRows rows.
func (q *QueryResult) Record() Record {
	stored := *q
	if len(stored.Result) > storedRows {
		stored.Result = stored.Result[:storedRows]
		stored.StoredTruncated = true
	}
	data, _ := json.Marshal(stored) // plain data: cannot fail
	text := ""
	if q.IsError {
		text = q.Error
	}
	return Record{Role: RoleAssistant, Type: TypeQueryResult, Text: text, Data: data}
}
