package llm

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/duck"
)

// Budgets of the result the model reads back from a query.
const (
	modelRows        = 50
	modelResultChars = 8000
)

// GenerateQuery runs the model's SQL in the session's sandbox. The user
// sees the result as a query_result event (and it is kept); the model reads
// a compact copy. A failing query is an error result carrying DuckDB's
// message, and for an unknown column the closest real names, so that the
// model corrects itself in the same turn.
type GenerateQuery struct {
	engine agent.Engine
}

// NewGenerateQuery returns the tool over engine.
func NewGenerateQuery(engine agent.Engine) *GenerateQuery { return &GenerateQuery{engine: engine} }

// GenerateQueryArgs is the tool's input.
type GenerateQueryArgs struct {
	SQL string `json:"sql" jsonschema_description:"One read-only DuckDB SQL statement (SELECT, WITH, SUMMARIZE, DESCRIBE) over the table data."`
}

// GenerateQueryResult is one call's outcome.
type GenerateQueryResult struct {
	Query    *agent.QueryResult // what the user sees and what is kept
	ForModel string             // what the model reads
}

// Spec declares the tool to the model.
func (t *GenerateQuery) Spec() ToolSpec {
	return ToolSpec{
		Name: ToolGenerateQuery,
		Description: "Run one read-only DuckDB SQL query on the user's dataset (the table is named data) and get back the columns, " +
			"the row count and the first rows. The user sees the full result as a table. Use it for every number you state. " +
			"Aggregate in SQL rather than reading raw rows; on an error, read the message and fix the query.",
		InputSchema: schemaOf(&GenerateQueryArgs{}),
	}
}

// Status is shown while the query runs.
func (t *GenerateQuery) Status() string { return "Running query…" }

// Handle runs args.SQL for the session.
func (t *GenerateQuery) Handle(ctx context.Context, env toolEnv, args GenerateQueryArgs) GenerateQueryResult {
	q := agent.RunQuery(ctx, t.engine, env.SessionID, args.SQL)
	q.ToolUseID = env.ToolUseID
	if q.IsError {
		return GenerateQueryResult{Query: q, ForModel: "Query failed: " + q.Error + queryHint(q.Error, env.Dataset)}
	}
	var rows [][]any
	if res := q.Rows(); res != nil {
		rows = res.Rows
	}
	return GenerateQueryResult{
		Query:    q,
		ForModel: compactResult(q.SQL, q.Columns, q.Types, q.RowCount, q.Truncated, rows, false, "", modelRows, modelResultChars),
	}
}

// Call decodes the model's input and runs the tool.
func (t *GenerateQuery) Call(ctx context.Context, env toolEnv, input json.RawMessage) toolOutput {
	var args GenerateQueryArgs
	if err := decodeArgs(input, &args); err != nil {
		return errorOutput(err.Error())
	}
	if strings.TrimSpace(args.SQL) == "" {
		return errorOutput("the sql argument is empty: pass one SQL statement")
	}
	res := t.Handle(ctx, env, args)
	return toolOutput{
		Content: res.ForModel,
		IsError: res.Query.IsError,
		Query:   res.Query,
	}
}

var (
	// DuckDB: `Referenced column "wether" not found in FROM clause!`,
	// `Table "data" does not have a column named "wether"`.
	unknownColumnRE = regexp.MustCompile(`(?i)column (?:named )?"([^"]+)"(?: not found| does not exist)?`)
	unknownTableRE  = regexp.MustCompile(`(?i)table with name "?([^" ]+)"? does not exist`)
)

// queryHint adds what the model needs to fix a failed query: the closest
// real column names, or the table's name.
func queryHint(msg string, ds agent.Dataset) string {
	if m := unknownTableRE.FindStringSubmatch(msg); m != nil {
		return "\nHint: the dataset is the table data (SELECT … FROM data)."
	}
	if !strings.Contains(strings.ToLower(msg), "not found") && !strings.Contains(strings.ToLower(msg), "does not have a column") {
		return ""
	}
	m := unknownColumnRE.FindStringSubmatch(msg)
	if m == nil {
		return ""
	}
	names := make([]string, len(ds.Columns))
	for i, c := range ds.Columns {
		names[i] = c.Name
	}
	if close := closestColumns(m[1], names); len(close) > 0 {
		return "\nClosest column names: " + quoteAll(close) + ". Quote names with spaces or capitals in double quotes."
	}
	if len(names) > 0 && len(names) <= 60 {
		return "\nThe columns are: " + quoteAll(names) + "."
	}
	return ""
}

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = duck.QuoteIdent(n)
	}
	return strings.Join(q, ", ")
}
