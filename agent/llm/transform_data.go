package llm

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/apperr"
)

// ToolTransformData is the name of the tool that changes the data.
const ToolTransformData = "transform_data"

// TransformData makes the model's SELECT the new version of one table
// (package tables does it: the query runs in the sandbox, its result is
// written as a new Parquet version, the original stays). The user sees a
// note of what changed and can undo it; the model reads the new shape.
type TransformData struct {
	changer agent.Changer
	model   string
}

// NewTransformData returns the tool over changer; model names who
// changes, in the history of versions.
func NewTransformData(changer agent.Changer, model string) *TransformData {
	return &TransformData{changer: changer, model: model}
}

// TransformDataArgs is the tool's input.
type TransformDataArgs struct {
	Table       string `json:"table" jsonschema_description:"The table to change (data is the first one); a new name creates a table."`
	SQL         string `json:"sql" jsonschema_description:"One read-only DuckDB SELECT over the session's tables whose result is the table's new rows, e.g. SELECT * FROM orders WHERE amount IS NOT NULL."`
	Description string `json:"description" jsonschema_description:"One line saying what the change does, shown in the history of versions, e.g. Removed rows where amount is empty."`
}

// Spec declares the tool to the model.
func (t *TransformData) Spec() ToolSpec {
	return ToolSpec{
		Name: ToolTransformData,
		Description: "Change the user's data when they ask for it (remove rows, add, rename or drop a column, cast a type, " +
			"split, fill, deduplicate, join in a column): give one SELECT that yields the table's complete new rows. " +
			"It becomes a new version of the table; the user can undo it. Never use it to answer a question: only when asked to change the data.",
		InputSchema: schemaOf(&TransformDataArgs{}),
	}
}

// Status is shown while the change is applied.
func (t *TransformData) Status() string { return "Changing the data…" }

// Handle applies the change.
func (t *TransformData) Handle(ctx context.Context, env toolEnv, args TransformDataArgs) (*agent.Changed, error) {
	return t.changer.Change(ctx, env.SessionID, agent.Change{
		Table: args.Table, SQL: args.SQL, Description: args.Description,
		Author: agent.AuthorModel, AuthorDetail: t.model,
	})
}

// Call decodes the model's input and applies the change.
func (t *TransformData) Call(ctx context.Context, env toolEnv, input json.RawMessage) toolOutput {
	var args TransformDataArgs
	if err := decodeArgs(input, &args); err != nil {
		return errorOutput(err.Error())
	}
	if strings.TrimSpace(args.Table) == "" || strings.TrimSpace(args.SQL) == "" {
		return errorOutput("table and sql are required")
	}
	ch, err := t.Handle(ctx, env, args)
	if err != nil {
		return errorOutput("The change was not applied: " + apperr.MessageOf(err))
	}
	content := fmt.Sprintf("Applied. Table %s is now version %d: %d rows, %d columns (before: %d rows, %d columns). "+
		"Later queries read the new version; the user can undo it.", ch.Table, ch.Version, ch.RowCount, ch.ColumnCount, ch.PrevRowCount, ch.PrevColumnCount)
	if ch.Notice != "" {
		content += " " + ch.Notice
	}
	return toolOutput{Content: content, Change: ch}
}
