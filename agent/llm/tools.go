package llm

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	invopop "github.com/invopop/jsonschema"

	"github.com/analyzerhq/analyzer/agent"
)

// Tool names, as the model calls them.
const (
	ToolGenerateQuery = "generate_query"
	ToolCreatePlot    = "create_plot"
)

// toolEnv is what a tool call knows of its turn.
type toolEnv struct {
	SessionID string
	Dataset   agent.Dataset
	ToolUseID string
}

// toolOutput is what a tool call produced: the tool_result for the model
// and, for the user, a query result or a chart (a failure the user does not
// see is kept as a tool_result record for replay).
type toolOutput struct {
	Content string
	IsError bool
	Query   *agent.QueryResult
	Plot    *agent.PlotData
	Meta    agent.PlotMeta // with Plot
	Change  *agent.Changed // a change applied to the data
}

// deliver hands a tool's output to the reply: the user sees the result
// or the chart, and it is kept.
func (o toolOutput) deliver(reply *agent.Reply, toolUseID string) error {
	switch {
	case o.Query != nil:
		return reply.Result(o.Query)
	case o.Plot != nil:
		return reply.Plot(*o.Plot, o.Meta)
	case o.Change != nil:
		// The result first, for replay (it answers the call); then the
		// note the user reads.
		if err := reply.ToolResult(agent.ToolResultData{ToolUseID: toolUseID}, o.Content); err != nil {
			return err
		}
		return reply.Changed(o.Change)
	default:
		return reply.ToolResult(agent.ToolResultData{ToolUseID: toolUseID, IsError: o.IsError}, o.Content)
	}
}

// tool is the loop's view of a tool: each one has a typed Handle too.
type tool interface {
	Spec() ToolSpec
	// Status is the status line shown while the tool runs.
	Status() string
	Call(ctx context.Context, env toolEnv, input json.RawMessage) toolOutput
}

// schemaOf reflects the JSON schema of a tool's typed arguments: json tags
// name the properties, jsonschema_description describes them.
func schemaOf(args any) json.RawMessage {
	r := &invopop.Reflector{DoNotReference: true, ExpandedStruct: true}
	s := r.Reflect(args)
	s.Version = ""
	s.ID = ""
	b, err := json.Marshal(s)
	if err != nil {
		panic(fmt.Sprintf("agent: tool schema: %v", err)) // static types: a programming error
	}
	return b
}

// decodeArgs reads a tool input into its typed arguments; a failure is an
// error result the model can act on.
func decodeArgs(input json.RawMessage, args any) error {
	if len(input) == 0 {
		input = json.RawMessage(`{}`)
	}
	dec := json.NewDecoder(strings.NewReader(string(input)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(args); err != nil {
		return fmt.Errorf("the tool input is not valid: %v", err)
	}
	return nil
}

func errorOutput(msg string) toolOutput {
	return toolOutput{Content: msg, IsError: true}
}

// compactResult describes a query result for the model: columns with their
// types, the row count and the first rows as JSON arrays, within maxRows and
// about maxChars.
func compactResult(sql string, columns, types []string, rowCount int64, truncated bool, rows [][]any, isError bool, errMsg string, maxRows, maxChars int) string {
	if isError {
		return "Query failed: " + errMsg
	}
	var b strings.Builder
	cols := make([]string, len(columns))
	for i, c := range columns {
		if i < len(types) && types[i] != "" {
			cols[i] = c + " " + types[i]
		} else {
			cols[i] = c
		}
	}
	fmt.Fprintf(&b, "columns: %s\n", strings.Join(cols, ", "))
	count := fmt.Sprintf("%d", rowCount)
	if truncated {
		count = fmt.Sprintf("more than %d (result cut off)", rowCount)
	}
	fmt.Fprintf(&b, "row_count: %s\n", count)
	shown := 0
	for _, row := range rows {
		if shown >= maxRows {
			break
		}
		line, err := json.Marshal(row)
		if err != nil {
			continue
		}
		if b.Len()+len(line) > maxChars && shown > 0 {
			break
		}
		if shown == 0 {
			b.WriteString("rows:\n")
		}
		b.Write(line)
		b.WriteByte('\n')
		shown++
	}
	if shown < len(rows) || int64(shown) < rowCount {
		fmt.Fprintf(&b, "(%d of the rows shown; aggregate or add LIMIT to see what matters)\n", shown)
	}
	return strings.TrimRight(b.String(), "\n")
}

// closestColumns returns up to three of the dataset's column names nearest
// to name, for a model that misspelt one.
func closestColumns(name string, columns []string) []string {
	type cand struct {
		name string
		dist int
	}
	target := strings.ToLower(name)
	var cands []cand
	for _, c := range columns {
		lc := strings.ToLower(c)
		limit := max(2, len([]rune(target))/3)
		d := agent.EditDistance(target, lc, limit)
		if strings.Contains(lc, target) || strings.Contains(target, lc) {
			d = min(d, 1)
		}
		if d <= limit {
			cands = append(cands, cand{c, d})
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].dist < cands[j].dist })
	var out []string
	for i, c := range cands {
		if i == 3 {
			break
		}
		out = append(out, c.name)
	}
	return out
}
