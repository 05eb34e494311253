package llm

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/vegalite"
)

func TestCreatePlotSpec(t *testing.T) {
	spec := NewCreatePlot(nil, 0).Spec()
	var schema struct {
		Type       string                    `json:"type"`
		Properties map[string]map[string]any `json:"properties"`
		Required   []string                  `json:"required"`
	}
	if err := json.Unmarshal(spec.InputSchema, &schema); err != nil {
		t.Fatal(err)
	}
	if spec.Name != ToolCreatePlot || schema.Type != "object" {
		t.Fatalf("spec = %+v", spec)
	}
	for name, typ := range map[string]string{"title": "string", "sql": "string", "vega_lite_spec": "object"} {
		if schema.Properties[name]["type"] != typ {
			t.Errorf("%s: type %v, want %s", name, schema.Properties[name]["type"], typ)
		}
	}
	if strings.Join(schema.Required, ",") != "title,sql,vega_lite_spec" {
		t.Errorf("required = %v", schema.Required)
	}
}

func TestCreatePlot(t *testing.T) {
	eng, ds := MustDataset(t, "weather.csv")
	env := toolEnv{SessionID: ds.SessionID, Dataset: ds, ToolUseID: "toolu_p"}
	countSQL := "SELECT weather, count(*) AS n FROM data GROUP BY weather ORDER BY n DESC, weather"

	tests := []struct {
		name      string
		input     string // testdata/plots/NAME.json when empty
		maxPoints int
		isError   bool
		model     []string // substrings of what the model reads
		points    int
	}{
		{name: "bar", points: 5, model: []string{`"Most common weather" is drawn`, `["sun",70]`}},
		{name: "model data replaced", points: 5},
		{name: "external references", points: 5},
		{name: "layered", points: 4},
		{name: "invalid mark", isError: true, model: []string{"not valid Vega-Lite", "/mark", "'bar'"}},
		{name: "unknown encoding property", isError: true, model: []string{"not valid Vega-Lite", "/encoding/x", "colour"}},
		{name: "too many points", maxPoints: 100, isError: true, model: []string{"120 rows", "at most 100 points", "Aggregate"}},
		{name: "bad sql", isError: true, model: []string{"query failed", `Closest column names: "weather"`}},
		{name: "no rows", isError: true, model: []string{"no rows"}},
		{name: "missing spec", input: `{"title": "x", "sql": "` + countSQL + `"}`, isError: true, model: []string{"vega_lite_spec"}},
		{name: "unknown argument", input: `{"title": "x", "sql": "SELECT 1", "vega_lite_spec": {}, "data": []}`, isError: true, model: []string{"not valid"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			input := tc.input
			if input == "" {
				b, err := os.ReadFile(filepath.Join("testdata", "plots", strings.ReplaceAll(tc.name, " ", "_")+".json"))
				if err != nil {
					t.Fatal(err)
				}
				input = string(b)
			}
			out := NewCreatePlot(eng, tc.maxPoints).Call(context.Background(), env, json.RawMessage(input))
			t.Logf("model reads:\n%s", out.Content)
			if out.IsError != tc.isError {
				t.Fatalf("IsError = %v, want %v: %s", out.IsError, tc.isError, out.Content)
			}
			for _, want := range tc.model {
				if !strings.Contains(out.Content, want) {
					t.Errorf("model reads %q, want it to contain %q", out.Content, want)
				}
			}
			sink := &RecordingSink{}
			if err := out.deliver(agent.NewReply(context.Background(), sink), env.ToolUseID); err != nil {
				t.Fatal(err)
			}
			events, records := sink.events, sink.Records()
			if tc.isError {
				if len(events) != 0 || len(records) != 1 || records[0].Type != agent.TypeToolResult {
					t.Fatalf("events %v records %+v, want one tool_result record", events, records)
				}
				var d agent.ToolResultData
				_ = json.Unmarshal(records[0].Data, &d)
				if d.ToolUseID != "toolu_p" || !d.IsError || records[0].Text != out.Content {
					t.Errorf("record = %+v %+v", records[0], d)
				}
				return
			}
			if len(events) != 1 || events[0].Event != agent.EventPlot || len(records) != 1 {
				t.Fatalf("events %v records %+v", events, records)
			}
			rec := records[0]
			if rec.Type != agent.TypePlot || rec.Role != agent.RoleAssistant {
				t.Errorf("record = %+v", rec)
			}
			evData, _ := json.Marshal(events[0].Data)
			if string(evData) != string(rec.PlotData) {
				t.Errorf("event data and stored plot_data differ:\n%s\n%s", evData, rec.PlotData)
			}
			var plot struct {
				Title string         `json:"title"`
				Spec  map[string]any `json:"vega_lite_spec"`
			}
			if err := json.Unmarshal(rec.PlotData, &plot); err != nil {
				t.Fatal(err)
			}
			if plot.Title == "" || len(plot.Spec) == 0 {
				t.Fatalf("plot = %s", rec.PlotData)
			}
			var meta agent.PlotMeta
			_ = json.Unmarshal(rec.Data, &meta)
			if meta.ToolUseID != "toolu_p" || meta.Points != tc.points || meta.SQL == "" {
				t.Errorf("meta = %+v", meta)
			}
			values := plot.Spec["data"].(map[string]any)["values"].([]any)
			if len(values) != tc.points {
				t.Errorf("%d values, want %d", len(values), tc.points)
			}
			// The values are the query's rows, whatever the model wrote.
			var sql struct {
				SQL string `json:"sql"`
			}
			_ = json.Unmarshal([]byte(input), &sql)
			want := agent.RunQuery(context.Background(), eng, ds.SessionID, sql.SQL)
			wantJSON, _ := json.Marshal(want.Result)
			gotJSON, _ := json.Marshal(values)
			if !jsonEqual(t, wantJSON, gotJSON) {
				t.Errorf("values = %s\nwant the rows %s", gotJSON, wantJSON)
			}
			if plot.Spec["$schema"] != vegalite.SchemaURL {
				t.Errorf("$schema = %v", plot.Spec["$schema"])
			}
			// Nothing external survives anywhere.
			raw := string(rec.PlotData)
			for _, bad := range []string{`"url"`, `"href"`, `"usermeta"`, `"datasets"`, "example.com", "javascript:", `"lookup"`} {
				if strings.Contains(raw, bad) {
					t.Errorf("plot keeps %s: %s", bad, raw)
				}
			}
			if err := vegalite.Validate(plot.Spec); err != nil {
				t.Errorf("stored spec is not valid: %v", err)
			}
		})
	}
}

func jsonEqual(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatal(err)
	}
	xb, _ := json.Marshal(x)
	yb, _ := json.Marshal(y)
	return string(xb) == string(yb)
}
