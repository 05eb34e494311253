package llm

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/analyzerhq/analyzer/agent"
)

// Replay budgets: earlier results are compacted harder than fresh ones.
const (
	replayRows        = 10
	replayResultChars = 1500
	historyChars      = 200_000 // about 50k tokens; older exchanges are dropped
)

// autoAnalyzeReplay stands for an auto_analyze request in replay.
const autoAnalyzeReplay = "Give me an overview of this dataset (automatic analysis)."

// noResult answers a tool call whose result was never kept (the turn was
// stopped or failed while it ran).
const noResult = "No result was recorded: the turn was stopped or failed before this call finished."

// History rebuilds the conversation the model saw from a session's stored
// records, oldest first: texts, tool calls and their (compacted) results. The
// result always obeys the API's rules: it starts with a user message, roles
// alternate, and every tool_use is answered by a tool_result in the next
// message, first in it; a call whose result is missing gets an error result.
func History(records []agent.Record) []Message {
	var msgs []Message
	add := func(role agent.Role, b Block) { msgs = appendMessage(msgs, role, b) }
	for _, r := range records {
		switch {
		case r.Role == agent.RoleUser:
			if r.Kind == agent.KindAutoAnalyze {
				add(agent.RoleUser, TextBlock(autoAnalyzeReplay))
			} else if strings.TrimSpace(r.Text) != "" {
				add(agent.RoleUser, TextBlock(r.Text))
			}
		case r.Type == agent.TypeText:
			text := r.Text
			if r.Stopped {
				text += "\n\n[The user stopped this answer here.]"
			}
			if strings.TrimSpace(text) != "" {
				add(agent.RoleAssistant, TextBlock(text))
			}
		case r.Type == agent.TypeToolCall:
			var c agent.ToolCallData
			if json.Unmarshal(r.Data, &c) != nil || c.ID == "" {
				continue
			}
			add(agent.RoleAssistant, Block{Type: BlockToolUse, ID: c.ID, Name: c.Name, Input: replayInput(c.Name, c.Input)})
		case r.Type == agent.TypeQueryResult:
			var q storedQuery
			if json.Unmarshal(r.Data, &q) != nil {
				continue
			}
			content := compactResult(q.SQL, q.Columns, q.Types, q.RowCount, q.Truncated, q.rows(), q.IsError, q.Error, replayRows, replayResultChars)
			if q.ToolUseID != "" {
				add(agent.RoleUser, Block{Type: BlockToolResult, ToolUseID: q.ToolUseID, Text: content, IsError: q.IsError})
			} else {
				add(agent.RoleUser, TextBlock("I ran this SQL myself:\n"+q.SQL+"\nResult: "+content))
			}
		case r.Type == agent.TypePlot:
			var meta agent.PlotMeta
			var plot agent.PlotData
			_ = json.Unmarshal(r.PlotData, &plot)
			if json.Unmarshal(r.Data, &meta) != nil || meta.ToolUseID == "" {
				continue
			}
			add(agent.RoleUser, Block{Type: BlockToolResult, ToolUseID: meta.ToolUseID, Text: plotSummary(plot.Title, meta.Points)})
		case r.Type == agent.TypeToolResult:
			var d agent.ToolResultData
			if json.Unmarshal(r.Data, &d) != nil || d.ToolUseID == "" {
				continue
			}
			add(agent.RoleUser, Block{Type: BlockToolResult, ToolUseID: d.ToolUseID, Text: r.Text, IsError: d.IsError})
		}
		// Error records are not replayed: the user saw them, the model need not.
	}
	return trimHistory(repairHistory(msgs))
}

// repairHistory pairs every tool_use with a tool_result in the next message,
// drops results that answer nothing, and merges messages of the same role.
func repairHistory(msgs []Message) []Message {
	var out []Message
	for i := 0; i < len(msgs); i++ {
		m := msgs[i]
		if m.Role != agent.RoleAssistant {
			out = append(out, withoutResults(m))
			continue
		}
		out = append(out, m)
		var ids []string
		for _, b := range m.Content {
			if b.Type == BlockToolUse {
				ids = append(ids, b.ID)
			}
		}
		if len(ids) == 0 {
			continue
		}
		next := Message{Role: agent.RoleUser}
		if i+1 < len(msgs) && msgs[i+1].Role == agent.RoleUser {
			next = msgs[i+1]
			i++
		}
		out = append(out, pairResults(ids, next))
	}

	var merged []Message
	for _, m := range out {
		if len(m.Content) > 0 {
			merged = appendMessage(merged, m.Role, m.Content...)
		}
	}
	if len(merged) > 0 && merged[0].Role != agent.RoleUser {
		merged = append([]Message{{Role: agent.RoleUser, Content: []Block{TextBlock(autoAnalyzeReplay)}}}, merged...)
	}
	return merged
}

// pairResults returns next with one tool_result per id first, in call
// order, and its other content after.
func pairResults(ids []string, next Message) Message {
	byID := map[string]Block{}
	var rest []Block
	for _, b := range next.Content {
		if b.Type == BlockToolResult {
			if _, dup := byID[b.ToolUseID]; !dup {
				byID[b.ToolUseID] = b
			}
			continue
		}
		rest = append(rest, b)
	}
	content := make([]Block, 0, len(ids)+len(rest))
	for _, id := range ids {
		b, ok := byID[id]
		if !ok {
			b = Block{Type: BlockToolResult, ToolUseID: id, Text: noResult, IsError: true}
		}
		content = append(content, b)
	}
	return Message{Role: agent.RoleUser, Content: append(content, rest...)}
}

func withoutResults(m Message) Message {
	out := Message{Role: m.Role}
	for _, b := range m.Content {
		if b.Type != BlockToolResult {
			out.Content = append(out.Content, b)
		}
	}
	return out
}

// trimHistory drops the oldest exchanges while the history is over its
// budget, cutting only before a user message that starts a new question.
func trimHistory(msgs []Message) []Message {
	size := func(ms []Message) int {
		n := 0
		for _, m := range ms {
			for _, b := range m.Content {
				n += len(b.Text) + len(b.Input)
			}
		}
		return n
	}
	for size(msgs) > historyChars {
		cut := -1
		for k := 1; k < len(msgs); k++ {
			if msgs[k].Role == agent.RoleUser && (len(msgs[k].Content) == 0 || msgs[k].Content[0].Type != BlockToolResult) {
				cut = k
				break
			}
		}
		if cut < 0 {
			break
		}
		msgs = msgs[cut:]
	}
	return msgs
}

// replayInput shrinks a stored tool input for replay: a chart's data values
// (which we replace anyway) are dropped.
func replayInput(name string, input json.RawMessage) json.RawMessage {
	if !json.Valid(input) || len(bytes.TrimSpace(input)) == 0 || input[0] != '{' {
		return json.RawMessage(`{}`)
	}
	if name != ToolCreatePlot {
		return input
	}
	var args map[string]any
	if json.Unmarshal(input, &args) != nil {
		return input
	}
	if spec, ok := args["vega_lite_spec"].(map[string]any); ok {
		delete(spec, "data")
		delete(spec, "datasets")
	}
	out, err := json.Marshal(args)
	if err != nil {
		return input
	}
	return out
}

// appendMessage adds blocks as a message of role, merged into the last
// message when it has the same role: the one place where messages of the
// same role are merged (the providers' APIs want them alternating). The
// last message is copied, never changed in place.
func appendMessage(msgs []Message, role agent.Role, blocks ...Block) []Message {
	if n := len(msgs); n > 0 && msgs[n-1].Role == role {
		msgs[n-1].Content = append(append([]Block(nil), msgs[n-1].Content...), blocks...)
		return msgs
	}
	return append(msgs, Message{Role: role, Content: append([]Block(nil), blocks...)})
}

func plotSummary(title string, points int) string {
	return fmt.Sprintf("The chart %q was drawn from %d rows and shown to the user.", title, points)
}

// storedQuery reads a stored QueryResult back, rows as raw objects.
type storedQuery struct {
	SQL       string            `json:"sql"`
	Result    []json.RawMessage `json:"result"`
	IsError   bool              `json:"is_error"`
	Error     string            `json:"error"`
	Columns   []string          `json:"columns"`
	Types     []string          `json:"types"`
	RowCount  int64             `json:"row_count"`
	Truncated bool              `json:"truncated"`
	ToolUseID string            `json:"tool_use_id"`
}

// rows returns the first replayRows stored rows as value lists in column
// order, reading each object's keys in the order they were written.
func (q storedQuery) rows() [][]any {
	var out [][]any
	for i, raw := range q.Result {
		if i >= replayRows {
			break
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
			continue
		}
		var row []any
		for dec.More() {
			if _, err := dec.Token(); err != nil { // key
				break
			}
			var v any
			if err := dec.Decode(&v); err != nil {
				break
			}
			row = append(row, v)
		}
		out = append(out, row)
	}
	return out
}
