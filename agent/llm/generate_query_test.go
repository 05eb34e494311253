package llm

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/analyzerhq/analyzer/agent"
)

func TestGenerateQuerySpec(t *testing.T) {
	spec := NewGenerateQuery(nil).Spec()
	if spec.Name != ToolGenerateQuery || spec.Description == "" {
		t.Fatalf("spec = %+v", spec)
	}
	var schema map[string]any
	if err := json.Unmarshal(spec.InputSchema, &schema); err != nil {
		t.Fatal(err)
	}
	props, _ := schema["properties"].(map[string]any)
	sql, _ := props["sql"].(map[string]any)
	if schema["type"] != "object" || sql["type"] != "string" || sql["description"] == nil {
		t.Errorf("schema = %s", spec.InputSchema)
	}
	if req, _ := schema["required"].([]any); len(req) != 1 || req[0] != "sql" {
		t.Errorf("required = %v", schema["required"])
	}
	if _, ok := schema["$schema"]; ok {
		t.Errorf("schema keeps $schema: %s", spec.InputSchema)
	}
}

func TestGenerateQuery(t *testing.T) {
	eng, ds := MustDataset(t, "weather.csv")
	tool := NewGenerateQuery(eng)
	env := toolEnv{SessionID: ds.SessionID, Dataset: ds, ToolUseID: "toolu_q"}

	tests := []struct {
		name      string
		input     string
		isError   bool
		model     []string // substrings of what the model reads
		rowCount  float64
		noRecords bool
	}{
		{
			name:     "aggregate",
			input:    `{"sql": "SELECT weather, count(*) AS n FROM data GROUP BY weather ORDER BY n DESC, weather"}`,
			model:    []string{"columns: weather VARCHAR, n BIGINT", "row_count: 5", `["sun",`},
			rowCount: 5,
		},
		{
			name:    "misspelt column",
			input:   `{"sql": "SELECT wether, count(*) FROM data GROUP BY 1"}`,
			isError: true,
			model:   []string{"Query failed:", "wether", `Closest column names: "weather"`},
		},
		{
			name:    "unknown table",
			input:   `{"sql": "SELECT * FROM weather_table"}`,
			isError: true,
			model:   []string{"Query failed:", "table data"},
		},
		{
			name:    "write refused",
			input:   `{"sql": "DROP TABLE data"}`,
			isError: true,
			model:   []string{"Query failed:"},
		},
		{
			name:      "bad input",
			input:     `{"query": "SELECT 1"}`,
			isError:   true,
			model:     []string{"not valid"},
			noRecords: true,
		},
		{
			name:      "empty sql",
			input:     `{"sql": "  "}`,
			isError:   true,
			model:     []string{"empty"},
			noRecords: true,
		},
		{
			name:     "many rows are cut for the model",
			input:    `{"sql": "SELECT * FROM data"}`,
			model:    []string{"row_count: 120", "of the rows shown"},
			rowCount: 120,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := tool.Call(context.Background(), env, json.RawMessage(tc.input))
			t.Logf("model reads:\n%s", out.Content)
			if out.IsError != tc.isError {
				t.Errorf("IsError = %v, want %v: %s", out.IsError, tc.isError, out.Content)
			}
			for _, want := range tc.model {
				if !strings.Contains(out.Content, want) {
					t.Errorf("model reads %q, want it to contain %q", out.Content, want)
				}
			}
			if len(out.Content) > modelResultChars+500 {
				t.Errorf("model result is %d chars", len(out.Content))
			}
			sink := &RecordingSink{}
			if err := out.deliver(agent.NewReply(context.Background(), sink), "toolu_q"); err != nil {
				t.Fatal(err)
			}
			events, records := sink.events, sink.Records()
			if tc.noRecords {
				if len(events) != 0 {
					t.Errorf("events = %v, want none", events)
				}
				if len(records) != 1 || records[0].Type != agent.TypeToolResult {
					t.Errorf("records = %+v, want one tool_result", records)
				}
				return
			}
			if len(events) != 1 || events[0].Event != agent.EventQueryResult {
				t.Fatalf("events = %+v", events)
			}
			if len(records) != 1 || records[0].Type != agent.TypeQueryResult {
				t.Fatalf("records = %+v", records)
			}
			var stored map[string]any
			if err := json.Unmarshal(records[0].Data, &stored); err != nil {
				t.Fatal(err)
			}
			if stored["tool_use_id"] != "toolu_q" || stored["is_error"] != tc.isError {
				t.Errorf("stored = %v", stored)
			}
			if !tc.isError && stored["row_count"] != tc.rowCount {
				t.Errorf("row_count = %v, want %v", stored["row_count"], tc.rowCount)
			}
			if tc.isError && (records[0].Text == "" || stored["error"] == "") {
				t.Errorf("error record without message: %+v", records[0])
			}
		})
	}
}

func TestClosestColumns(t *testing.T) {
	cols := []string{"weather", "temp_max", "temp_min", "precipitation", "wind", "date"}
	tests := []struct {
		name string
		want string
	}{
		{"wether", "weather"},
		{"Weather", "weather"},
		{"temp", "temp_max,temp_min"},
		{"precip", "precipitation"},
		{"zzzzzz", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := strings.Join(closestColumns(tc.name, cols), ","); got != tc.want {
				t.Errorf("closestColumns(%q) = %q, want %q", tc.name, got, tc.want)
			}
		})
	}
}
