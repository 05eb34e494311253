package llm

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/apperr"
	"github.com/analyzerhq/analyzer/vegalite"
)

// DefaultMaxPlotPoints is the most rows a chart may draw.
const DefaultMaxPlotPoints = 5000

// CreatePlot draws a Vega-Lite chart from the rows of the model's SQL. The
// rows replace whatever data the model wrote; every URL, link and external
// reference is removed; the result must be valid Vega-Lite v5; a query with
// too many rows is refused with a hint to aggregate.
type CreatePlot struct {
	engine    agent.Engine
	maxPoints int
}

// NewCreatePlot returns the tool over engine; maxPoints <= 0 takes
// DefaultMaxPlotPoints.
func NewCreatePlot(engine agent.Engine, maxPoints int) *CreatePlot {
	if maxPoints <= 0 {
		maxPoints = DefaultMaxPlotPoints
	}
	return &CreatePlot{engine: engine, maxPoints: maxPoints}
}

// CreatePlotArgs is the tool's input.
type CreatePlotArgs struct {
	Title        string         `json:"title" jsonschema_description:"A short title for the chart, shown above it."`
	SQL          string         `json:"sql" jsonschema_description:"One read-only DuckDB query over the table data whose rows are the chart's data. Aggregate so that it returns at most a few thousand rows."`
	VegaLiteSpec map[string]any `json:"vega_lite_spec" jsonschema_description:"A Vega-Lite v5 spec without data: the query's rows become data.values. Refer to the query's column names in encoding fields."`
}

// CreatePlotResult is one call's outcome: a chart, or an error for the model.
type CreatePlotResult struct {
	Plot     *agent.PlotData // nil when refused
	Points   int
	ForModel string
	IsError  bool
}

// Spec declares the tool to the model.
func (t *CreatePlot) Spec() ToolSpec {
	return ToolSpec{
		Name: ToolCreatePlot,
		Description: "Draw a chart for the user. Give a DuckDB query whose rows are the chart's data and a Vega-Lite v5 spec " +
			"(mark, encoding, transforms) that uses the query's column names; do not put data or URLs in the spec, the rows are added for you. " +
			fmt.Sprintf("At most %d rows: aggregate or bin first.", t.maxPoints),
		InputSchema: schemaOf(&CreatePlotArgs{}),
	}
}

// Status is shown while the chart is made.
func (t *CreatePlot) Status() string { return "Drawing chart…" }

// Handle runs the chart's query and builds the checked spec.
func (t *CreatePlot) Handle(ctx context.Context, env toolEnv, args CreatePlotArgs) CreatePlotResult {
	fail := func(msg string) CreatePlotResult { return CreatePlotResult{ForModel: msg, IsError: true} }
	title := strings.TrimSpace(args.Title)
	if title == "" {
		title = "Chart"
	}
	if strings.TrimSpace(args.SQL) == "" {
		return fail("the sql argument is empty: give the query whose rows the chart draws")
	}
	if args.VegaLiteSpec == nil {
		return fail("the vega_lite_spec argument is missing: give a Vega-Lite v5 spec object")
	}
	res, err := t.engine.Query(ctx, env.SessionID, args.SQL)
	if err != nil {
		msg := apperr.MessageOf(err)
		return fail("The chart's query failed: " + msg + queryHint(msg, env.Dataset))
	}
	if res.Truncated || len(res.Rows) > t.maxPoints {
		n := fmt.Sprintf("%d", res.RowCount)
		if res.Truncated {
			n = "more than " + n
		}
		return fail(fmt.Sprintf("The chart's query returned %s rows; a chart takes at most %d points. "+
			"Aggregate (GROUP BY a category, date_trunc('month', …) for time, floor(x / width) * width to bin numbers) "+
			"or filter, then call create_plot again.", n, t.maxPoints))
	}
	if len(res.Rows) == 0 {
		return fail("The chart's query returned no rows: nothing to draw. Check its filters.")
	}
	values, err := jsonValues(res.Objects())
	if err != nil {
		return fail("the query's rows could not be turned into chart data")
	}
	// Validate with a few rows (checking thousands adds nothing but time),
	// then keep them all.
	spec := vegalite.Sanitize(args.VegaLiteSpec, values[:min(len(values), 5)])
	if err := vegalite.Validate(spec); err != nil {
		return fail(err.Error() + ". Fix the spec and call create_plot again.")
	}
	spec["data"] = map[string]any{"values": values}
	var rows [][]any = res.Rows
	summary := compactResult(args.SQL, res.Columns, res.Types, res.RowCount, false, rows, false, "", 20, 3000)
	return CreatePlotResult{
		Plot:     &agent.PlotData{Title: title, VegaLiteSpec: spec},
		Points:   len(values),
		ForModel: fmt.Sprintf("The chart %q is drawn and shown to the user (%d points). Its data:\n%s", title, len(values), summary),
	}
}

// Call decodes the model's input and runs the tool.
func (t *CreatePlot) Call(ctx context.Context, env toolEnv, input json.RawMessage) toolOutput {
	var args CreatePlotArgs
	if err := decodeArgs(input, &args); err != nil {
		return errorOutput(err.Error())
	}
	res := t.Handle(ctx, env, args)
	if res.IsError {
		return errorOutput(res.ForModel)
	}
	return toolOutput{
		Content: res.ForModel,
		Plot:    res.Plot,
		Meta:    agent.PlotMeta{ToolUseID: env.ToolUseID, SQL: args.SQL, Points: res.Points},
	}
}

// jsonValues turns result rows into plain JSON values (objects keyed by
// column), the shape both the schema validator and Vega-Lite read.
func jsonValues(rows any) ([]any, error) {
	b, err := json.Marshal(rows)
	if err != nil {
		return nil, err
	}
	var out []any
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, err
	}
	return out, nil
}
