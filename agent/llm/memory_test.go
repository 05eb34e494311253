package llm

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/analyzerhq/analyzer/agent"
)

func toolCall(id, name, input string) agent.Record {
	data, _ := json.Marshal(agent.ToolCallData{ID: id, Name: name, Input: json.RawMessage(input)})
	return agent.Record{Role: agent.RoleAssistant, Type: agent.TypeToolCall, Data: data}
}

func queryRecord(toolUseID, sql string, isError bool) agent.Record {
	q := &agent.QueryResult{SQL: sql, ToolUseID: toolUseID, Columns: []string{"weather", "n"}, Types: []string{"VARCHAR", "BIGINT"}, RowCount: 2}
	if isError {
		q.IsError, q.Error, q.Columns, q.Types, q.RowCount = true, `Referenced column "wether" not found`, []string{}, nil, 0
	}
	r := q.Record()
	if !isError {
		// Rows as stored: objects in column order.
		var m map[string]any
		_ = json.Unmarshal(r.Data, &m)
		m["result"] = []any{json.RawMessage(`{"weather":"sun","n":70}`), json.RawMessage(`{"weather":"rain","n":30}`)}
		r.Data, _ = json.Marshal(m)
	}
	return r
}

func plotRecord(toolUseID string) agent.Record {
	plot, _ := json.Marshal(agent.PlotData{Title: "Weather", VegaLiteSpec: map[string]any{"mark": "bar"}})
	meta, _ := json.Marshal(agent.PlotMeta{ToolUseID: toolUseID, SQL: "SELECT 1", Points: 5})
	return agent.Record{Role: agent.RoleAssistant, Type: agent.TypePlot, Text: "Weather", PlotData: plot, Data: meta}
}

// toolResultRecord is what a failed tool call keeps, through a reply.
func toolResultRecord(toolUseID, msg string) agent.Record {
	sink := &RecordingSink{}
	if err := errorOutput(msg).deliver(agent.NewReply(context.Background(), sink), toolUseID); err != nil {
		panic(err)
	}
	return sink.Records()[0]
}

func text(role agent.Role, s string) agent.Record {
	return agent.Record{Role: role, Type: agent.TypeText, Text: s}
}

// shape renders messages compactly: "user[text:Q1] assistant[tool_use:t1] …".
func shape(msgs []Message) string {
	var parts []string
	for _, m := range msgs {
		var bs []string
		for _, b := range m.Content {
			switch b.Type {
			case BlockText:
				bs = append(bs, "text:"+strings.SplitN(b.Text, "\n", 2)[0])
			case BlockToolUse:
				bs = append(bs, "tool_use:"+b.ID)
			case BlockToolResult:
				s := "tool_result:" + b.ToolUseID
				if b.IsError {
					s += "!"
				}
				bs = append(bs, s)
			}
		}
		parts = append(parts, string(m.Role)+"["+strings.Join(bs, " ")+"]")
	}
	return strings.Join(parts, " ")
}

func TestHistory(t *testing.T) {
	tests := []struct {
		name    string
		records []agent.Record
		want    string
	}{
		{
			name:    "empty",
			records: nil,
			want:    "",
		},
		{
			name: "a full exchange",
			records: []agent.Record{
				text(agent.RoleUser, "Q1"),
				text(agent.RoleAssistant, "Let me check."),
				toolCall("t1", ToolGenerateQuery, `{"sql":"SELECT wether FROM data"}`),
				queryRecord("t1", "SELECT wether FROM data", true),
				toolCall("t2", ToolGenerateQuery, `{"sql":"SELECT weather FROM data"}`),
				queryRecord("t2", "SELECT weather FROM data", false),
				toolCall("t3", ToolCreatePlot, `{"title":"W","sql":"SELECT 1","vega_lite_spec":{"mark":"bar","data":{"values":[1,2,3]}}}`),
				plotRecord("t3"),
				text(agent.RoleAssistant, "Sun is most common."),
				text(agent.RoleUser, "Q2"),
			},
			want: "user[text:Q1] assistant[text:Let me check. tool_use:t1] user[tool_result:t1!] assistant[tool_use:t2] user[tool_result:t2] " +
				"assistant[tool_use:t3] user[tool_result:t3] assistant[text:Sun is most common.] user[text:Q2]",
		},
		{
			name: "parallel calls keep their order",
			records: []agent.Record{
				text(agent.RoleUser, "Q"),
				toolCall("a", ToolGenerateQuery, `{"sql":"SELECT 1"}`),
				toolCall("b", ToolGenerateQuery, `{"sql":"SELECT 2"}`),
				queryRecord("b", "SELECT 2", false),
				queryRecord("a", "SELECT 1", false),
				text(agent.RoleAssistant, "done"),
			},
			want: "user[text:Q] assistant[tool_use:a tool_use:b] user[tool_result:a tool_result:b] assistant[text:done]",
		},
		{
			name: "a stopped turn gets error results",
			records: []agent.Record{
				text(agent.RoleUser, "Q1"),
				toolCall("t1", ToolGenerateQuery, `{"sql":"SELECT 1"}`),
				text(agent.RoleUser, "Q2"),
			},
			want: "user[text:Q1] assistant[tool_use:t1] user[tool_result:t1! text:Q2]",
		},
		{
			name: "orphan results and errors are dropped",
			records: []agent.Record{
				text(agent.RoleUser, "Q1"),
				queryRecord("nobody", "SELECT 1", false),
				{Role: agent.RoleAssistant, Type: agent.TypeError, Text: "The model is overloaded right now."},
				text(agent.RoleUser, "Q2"),
			},
			want: "user[text:Q1 text:Q2]",
		},
		{
			name: "auto-analyze first: a user message is put before",
			records: []agent.Record{
				text(agent.RoleAssistant, "Overview"),
				text(agent.RoleUser, "Q"),
			},
			want: "user[text:Give me an overview of this dataset (automatic analysis).] assistant[text:Overview] user[text:Q]",
		},
		{
			name: "an auto-analyze request as the server stores it",
			records: []agent.Record{
				{Role: agent.RoleUser, Type: agent.TypeText, Text: "Auto-analyze", Kind: agent.KindAutoAnalyze},
				text(agent.RoleAssistant, "Overview"),
			},
			want: "user[text:Give me an overview of this dataset (automatic analysis).] assistant[text:Overview]",
		},
		{
			name: "SQL the user ran is context",
			records: []agent.Record{
				queryRecord("", "SELECT weather, count(*) FROM data GROUP BY 1", false),
				text(agent.RoleUser, "Q"),
			},
			want: "user[text:I ran this SQL myself: text:Q]",
		},
		{
			name: "a failed chart is replayed from its tool_result record",
			records: []agent.Record{
				text(agent.RoleUser, "Q"),
				toolCall("p1", ToolCreatePlot, `{"title":"x"}`),
				toolResultRecord("p1", "the spec is not valid"),
				text(agent.RoleAssistant, "Sorry"),
			},
			want: "user[text:Q] assistant[tool_use:p1] user[tool_result:p1!] assistant[text:Sorry]",
		},
		{
			name: "stopped text is marked",
			records: []agent.Record{
				text(agent.RoleUser, "Q"),
				{Role: agent.RoleAssistant, Type: agent.TypeText, Text: "Half an ans", Stopped: true},
			},
			want: "user[text:Q] assistant[text:Half an ans]",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := History(tc.records)
			if s := shape(got); s != tc.want {
				t.Errorf("history:\n got %s\nwant %s", s, tc.want)
			}
			assertValidConversation(t, got)
		})
	}
}

func TestHistoryContent(t *testing.T) {
	msgs := History([]agent.Record{
		text(agent.RoleUser, "Q1"),
		toolCall("t1", ToolGenerateQuery, `{"sql":"SELECT wether FROM data"}`),
		queryRecord("t1", "SELECT wether FROM data", true),
		toolCall("t2", ToolGenerateQuery, `{"sql":"SELECT weather FROM data"}`),
		queryRecord("t2", "SELECT weather FROM data", false),
		toolCall("t3", ToolCreatePlot, `{"title":"W","sql":"SELECT 1","vega_lite_spec":{"mark":"bar","data":{"values":[1,2,3]}}}`),
		plotRecord("t3"),
		{Role: agent.RoleAssistant, Type: agent.TypeText, Text: "Half", Stopped: true},
	})
	failed := msgs[2].Content[0]
	if !failed.IsError || !strings.Contains(failed.Text, "wether") {
		t.Errorf("failed query result = %+v", failed)
	}
	ok := msgs[4].Content[0].Text
	for _, want := range []string{"columns: weather VARCHAR, n BIGINT", "row_count: 2", `["sun",70]`, `["rain",30]`} {
		if !strings.Contains(ok, want) {
			t.Errorf("query result %q lacks %q", ok, want)
		}
	}
	if in := string(msgs[5].Content[0].Input); strings.Contains(in, "values") || !strings.Contains(in, `"mark":"bar"`) {
		t.Errorf("plot input not compacted: %s", in)
	}
	if plot := msgs[6].Content[0].Text; !strings.Contains(plot, `"Weather"`) || !strings.Contains(plot, "5 rows") {
		t.Errorf("plot result = %q", plot)
	}
	if last := msgs[7].Content[0].Text; !strings.Contains(last, "Half") || !strings.Contains(last, "stopped") {
		t.Errorf("stopped text = %q", last)
	}
}

func TestHistoryBudget(t *testing.T) {
	var records []agent.Record
	for i := range 100 {
		records = append(records, text(agent.RoleUser, fmt.Sprintf("Q%d", i)), text(agent.RoleAssistant, strings.Repeat("x", 5000)))
	}
	msgs := History(records)
	size := 0
	for _, m := range msgs {
		for _, b := range m.Content {
			size += len(b.Text)
		}
	}
	if size > historyChars {
		t.Errorf("history is %d chars, over %d", size, historyChars)
	}
	if !strings.HasPrefix(msgs[0].Content[0].Text, "Q") || msgs[len(msgs)-2].Content[0].Text != "Q99" {
		t.Errorf("kept %s … %s", shape(msgs[:1]), shape(msgs[len(msgs)-2:len(msgs)-1]))
	}
	assertValidConversation(t, msgs)
}

// assertValidConversation checks the API's rules: user first, roles
// alternate, every tool_use answered first thing in the next message, no
// result without its call.
func assertValidConversation(t *testing.T, msgs []Message) {
	t.Helper()
	for i, m := range msgs {
		if i == 0 && m.Role != agent.RoleUser {
			t.Errorf("first message is %s", m.Role)
		}
		if i > 0 && msgs[i-1].Role == m.Role {
			t.Errorf("messages %d and %d are both %s", i-1, i, m.Role)
		}
		if len(m.Content) == 0 {
			t.Errorf("message %d is empty", i)
		}
		var uses []string
		for _, b := range m.Content {
			if b.Type == BlockToolUse {
				uses = append(uses, b.ID)
			}
		}
		calls := map[string]bool{}
		if i > 0 {
			for _, b := range msgs[i-1].Content {
				if b.Type == BlockToolUse {
					calls[b.ID] = true
				}
			}
		}
		for k, b := range m.Content {
			if b.Type == BlockToolResult && !calls[b.ToolUseID] {
				t.Errorf("message %d answers %s, which the previous message did not call", i, b.ToolUseID)
			}
			if b.Type == BlockToolResult && k > 0 && m.Content[k-1].Type != BlockToolResult {
				t.Errorf("message %d: a tool_result after other content", i)
			}
		}
		if len(uses) > 0 {
			if i+1 >= len(msgs) {
				t.Errorf("message %d calls tools and nothing answers", i)
				continue
			}
			for k, id := range uses {
				next := msgs[i+1].Content
				if k >= len(next) || next[k].Type != BlockToolResult || next[k].ToolUseID != id {
					t.Errorf("tool_use %s is not answered in order by message %d", id, i+1)
				}
			}
		}
	}
}
