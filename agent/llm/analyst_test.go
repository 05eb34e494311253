package llm_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/agent/llm"
	"github.com/analyzerhq/analyzer/agent/llm/anthropic"
	"github.com/analyzerhq/analyzer/agent/llm/anthropic/anthropictest"
)

type setup struct {
	agent *agent.Agent
	ds    agent.Dataset
	srv   *anthropictest.Server
}

func newSetup(t *testing.T, opts llm.Options, timeout time.Duration, script ...anthropictest.Reply) setup {
	t.Helper()
	eng, ds := llm.MustDataset(t, "weather.csv")
	srv := anthropictest.New(t, script...)
	if timeout == 0 {
		timeout = 10 * time.Second
	}
	m, err := anthropic.New(anthropic.Config{APIKey: "sk-test", BaseURL: srv.URL, Timeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	if opts.RetryBase == 0 {
		opts.RetryBase = 10 * time.Millisecond
	}
	if opts.RetryMax == 0 {
		opts.RetryMax = 50 * time.Millisecond
	}
	opts.SendRows = true
	return setup{agent: agent.New(eng, llm.NewAnalyst(m, eng, opts), nil), ds: ds, srv: srv}
}

func (s setup) turn(t *testing.T, ctx context.Context, req agent.Request, sink *llm.RecordingSink) {
	t.Helper()
	req.Dataset = s.ds
	if req.Kind == "" {
		req.Kind = agent.KindMessage
	}
	llm.RunTurn(ctx, s.agent, req, sink)
	names := sink.EventNames()
	if len(names) == 0 || names[len(names)-1] != string(agent.EventDone) {
		t.Fatalf("turn did not end with done: %v", names)
	}
}

// collapse merges runs of text events: "text status query_result …".
func collapse(names []string) string {
	var out []string
	for _, n := range names {
		if n == string(agent.EventText) && len(out) > 0 && out[len(out)-1] == n {
			continue
		}
		out = append(out, n)
	}
	return strings.Join(out, " ")
}

func statuses(sink *llm.RecordingSink) []string {
	var out []string
	for _, d := range sink.Of(agent.EventStatus) {
		out = append(out, d["message"].(string))
	}
	return out
}

func recordTypes(records []agent.Record) string {
	var out []string
	for _, r := range records {
		out = append(out, string(r.Type))
	}
	return strings.Join(out, " ")
}

func lastUserContent(t *testing.T, r anthropictest.Request) []map[string]any {
	t.Helper()
	msgs := r.Messages()
	last := msgs[len(msgs)-1]
	if last["role"] != "user" {
		t.Fatalf("last message is %v", last["role"])
	}
	var out []map[string]any
	for _, c := range last["content"].([]any) {
		out = append(out, c.(map[string]any))
	}
	return out
}

func blockText(b map[string]any) string {
	if s, ok := b["text"].(string); ok {
		return s
	}
	var parts []string
	if list, ok := b["content"].([]any); ok {
		for _, c := range list {
			parts = append(parts, c.(map[string]any)["text"].(string))
		}
	}
	if s, ok := b["content"].(string); ok {
		parts = append(parts, s)
	}
	return strings.Join(parts, "")
}

const (
	badSQL   = "SELECT wether, count(*) AS n FROM data GROUP BY 1"
	goodSQL  = "SELECT weather, count(*) AS n FROM data GROUP BY weather ORDER BY n DESC, weather"
	question = "which weather is most common? plot it"
)

var barSpec = map[string]any{
	"data": map[string]any{"url": "https://example.com/evil.csv"},
	"mark": "bar",
	"encoding": map[string]any{
		"x": map[string]any{"field": "weather", "type": "nominal", "sort": "-y"},
		"y": map[string]any{"field": "n", "type": "quantitative"},
	},
}

func TestTurnQueryCorrectPlotAnswer(t *testing.T) {
	s := newSetup(t, llm.Options{}, 0,
		anthropictest.Stream(anthropictest.Text("Let me ", "count the weather."),
			anthropictest.Tool("toolu_1", "generate_query", map[string]any{"sql": badSQL})),
		anthropictest.Stream(anthropictest.Tool("toolu_2", "generate_query", map[string]any{"sql": goodSQL})),
		anthropictest.Stream(anthropictest.Tool("toolu_3", "create_plot", map[string]any{"title": "Most common weather", "sql": goodSQL, "vega_lite_spec": barSpec})),
		anthropictest.Stream(anthropictest.Text("**Sun** is the most common weather: ", "70 of 120 days.")),
		anthropictest.Message("Most common weather"),
	)
	sink := &llm.RecordingSink{NeedsTitle: true}
	s.turn(t, context.Background(), agent.Request{Text: question}, sink)

	// What the user saw.
	if got, want := collapse(sink.EventNames()), "text status query_result status query_result status plot text session_update done"; got != want {
		t.Errorf("events:\n got %s\nwant %s", got, want)
	}
	if got := strings.Join(statuses(sink), "|"); got != "Running query…|Running query…|Drawing chart…" {
		t.Errorf("statuses = %s", got)
	}
	if got, want := sink.Text(), "Let me count the weather.**Sun** is the most common weather: 70 of 120 days."; got != want {
		t.Errorf("text = %q, want %q", got, want)
	}
	qr := sink.Of(agent.EventQueryResult)
	if qr[0]["is_error"] != true || !strings.Contains(qr[0]["error"].(string), "wether") {
		t.Errorf("first query result = %v", qr[0])
	}
	rows := qr[1]["result"].([]any)
	if qr[1]["is_error"] != false || len(rows) != 5 || rows[0].(map[string]any)["weather"] != "sun" || rows[0].(map[string]any)["n"] != 70.0 {
		t.Errorf("second query result = %v", qr[1])
	}
	plot := sink.Of(agent.EventPlot)[0]
	spec := plot["vega_lite_spec"].(map[string]any)
	values := spec["data"].(map[string]any)["values"].([]any)
	if plot["title"] != "Most common weather" || len(values) != 5 || values[0].(map[string]any)["n"] != 70.0 {
		t.Errorf("plot = %v", plot)
	}
	if b, _ := json.Marshal(spec); strings.Contains(string(b), "example.com") {
		t.Errorf("plot keeps the model's URL: %s", b)
	}
	if u := sink.Of(agent.EventSessionUpdate); len(u) != 1 || u[0]["title"] != "Most common weather" {
		t.Errorf("session_update = %v", u)
	}
	done := sink.Of(agent.EventDone)[0]
	usage := done["usage"].(map[string]any)
	if done["stopped"] != false || done["data_updated"] != false || usage["input_tokens"] != 400.0 || usage["output_tokens"] != 80.0 ||
		usage["cache_read_tokens"] != 200.0 || usage["cache_write_tokens"] != 40.0 {
		t.Errorf("done = %v", done)
	}

	// What was kept.
	records := sink.Records()
	if got, want := recordTypes(records), "text tool_call query_result tool_call query_result tool_call plot text"; got != want {
		t.Errorf("records:\n got %s\nwant %s", got, want)
	}
	var sum agent.Usage
	for _, r := range records {
		if r.Role != agent.RoleAssistant {
			t.Errorf("record role %q", r.Role)
		}
		if r.Usage != nil {
			sum.Add(*r.Usage)
		}
	}
	if sum != (agent.Usage{InputTokens: 400, OutputTokens: 80, CacheReadTokens: 200, CacheWriteTokens: 40}) {
		t.Errorf("usage kept on records sums to %+v", sum)
	}
	if records[0].Text != "Let me count the weather." || records[7].Text != "**Sun** is the most common weather: 70 of 120 days." {
		t.Errorf("text records = %q, %q", records[0].Text, records[7].Text)
	}
	var call agent.ToolCallData
	_ = json.Unmarshal(records[1].Data, &call)
	if call.ID != "toolu_1" || call.Name != "generate_query" || !strings.Contains(string(call.Input), "wether") {
		t.Errorf("tool call record = %+v", call)
	}
	var stored agent.QueryResult
	_ = json.Unmarshal(records[2].Data, &stored)
	if stored.ToolUseID != "toolu_1" || !stored.IsError {
		t.Errorf("stored query = %+v", stored)
	}
	if string(records[6].PlotData) == "" || !strings.Contains(string(records[6].PlotData), `"vega_lite_spec"`) {
		t.Errorf("plot record = %s", records[6].PlotData)
	}
	if got := sink.Titles(); len(got) != 1 || got[0] != "Most common weather" {
		t.Errorf("titles = %v", got)
	}

	// What the model was sent.
	reqs := s.srv.Requests()
	if len(reqs) != 5 {
		t.Fatalf("%d requests, want 5", len(reqs))
	}
	first := reqs[0]
	system := first.Body["system"].([]any)[0].(map[string]any)
	if !strings.Contains(system["text"].(string), "Every number you state must come from a query") || system["cache_control"] == nil {
		t.Errorf("system = %v", system)
	}
	if content := lastUserContent(t, first); blockText(content[0]) != question {
		t.Errorf("first user message = %v", content)
	}
	failed := lastUserContent(t, reqs[1])[0]
	if failed["type"] != "tool_result" || failed["tool_use_id"] != "toolu_1" || failed["is_error"] != true ||
		!strings.Contains(blockText(failed), `Closest column names: "weather"`) {
		t.Errorf("error result sent = %v", failed)
	}
	okResult := lastUserContent(t, reqs[2])[0]
	if okResult["tool_use_id"] != "toolu_2" || okResult["is_error"] == true || !strings.Contains(blockText(okResult), `["sun",70]`) {
		t.Errorf("result sent = %v", okResult)
	}
	if plotResult := lastUserContent(t, reqs[3])[0]; plotResult["tool_use_id"] != "toolu_3" || !strings.Contains(blockText(plotResult), "is drawn") {
		t.Errorf("plot result sent = %v", plotResult)
	}
	if n := len(reqs[3].Messages()); n != 7 {
		t.Errorf("last round sent %d messages, want 7", n)
	}
	title := reqs[4]
	if title.Stream() || title.Model() != anthropic.DefaultTitleModel || !strings.Contains(string(title.Raw), "which weather is most common") {
		t.Errorf("title request: stream %v model %s body %s", title.Stream(), title.Model(), title.Raw)
	}
}

func TestHistoryReplay(t *testing.T) {
	s := newSetup(t, llm.Options{}, 0,
		anthropictest.Stream(anthropictest.Tool("toolu_1", "generate_query", map[string]any{"sql": goodSQL})),
		anthropictest.Stream(anthropictest.Text("Sun: 70 days.")),
		anthropictest.Stream(anthropictest.Text("Rain: 30 days.")),
	)
	sink1 := &llm.RecordingSink{}
	s.turn(t, context.Background(), agent.Request{Text: "Q1: most common weather?"}, sink1)

	// The caller keeps the user's message and the turn's records.
	history := append([]agent.Record{{Role: agent.RoleUser, Type: agent.TypeText, Text: "Q1: most common weather?"}}, sink1.Records()...)
	sink2 := &llm.RecordingSink{}
	s.turn(t, context.Background(), agent.Request{Text: "Q2: and the second?", History: history}, sink2)
	if sink2.Text() != "Rain: 30 days." {
		t.Errorf("second answer = %q", sink2.Text())
	}

	reqs := s.srv.Requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests", len(reqs))
	}
	msgs := reqs[2].Messages()
	var got []string
	for _, m := range msgs {
		for _, c := range m["content"].([]any) {
			b := c.(map[string]any)
			switch b["type"] {
			case "text":
				got = append(got, fmt.Sprintf("%s:text:%s", m["role"], b["text"]))
			case "tool_use":
				got = append(got, fmt.Sprintf("%s:tool_use:%s:%s", m["role"], b["id"], b["input"].(map[string]any)["sql"]))
			case "tool_result":
				got = append(got, fmt.Sprintf("%s:tool_result:%s:%v", m["role"], b["tool_use_id"], strings.Contains(blockText(b), `["sun",70]`)))
			}
		}
	}
	want := []string{
		"user:text:Q1: most common weather?",
		"assistant:tool_use:toolu_1:" + goodSQL,
		"user:tool_result:toolu_1:true",
		"assistant:text:Sun: 70 days.",
		"user:text:Q2: and the second?",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("replayed conversation:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestStopMidStream(t *testing.T) {
	s := newSetup(t, llm.Options{}, 0,
		anthropictest.Reply{Frames: anthropictest.Partial("The most ", "common"), Hang: true},
	)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stoppedAt time.Time
	sink := &llm.RecordingSink{OnEmit: func(ev agent.Event) {
		if ev.Event == agent.EventText && stoppedAt.IsZero() {
			stoppedAt = time.Now()
			cancel()
		}
	}, NeedsTitle: true}
	s.turn(t, ctx, agent.Request{Text: question}, sink)
	if d := time.Since(stoppedAt); d > time.Second {
		t.Errorf("the turn ended %v after the stop", d)
	}
	if got := collapse(sink.EventNames()); got != "text done" {
		t.Errorf("events = %s", got)
	}
	if done := sink.Of(agent.EventDone)[0]; done["stopped"] != true {
		t.Errorf("done = %v", done)
	}
	records := sink.Records()
	if len(records) != 1 || records[0].Type != agent.TypeText || !records[0].Stopped || !strings.HasPrefix(records[0].Text, "The most") {
		t.Fatalf("records = %+v", records)
	}
	// What is kept is what was streamed, less surrounding blanks.
	if records[0].Text != strings.TrimSpace(sink.Text()) {
		t.Errorf("kept %q, streamed %q", records[0].Text, sink.Text())
	}
	if len(sink.Titles()) != 0 {
		t.Error("a stopped turn got a title")
	}
}

func TestStopDuringQuery(t *testing.T) {
	slow := "SELECT sum(a.range * b.range) FROM range(200000) a, range(200000) b"
	s := newSetup(t, llm.Options{}, 0,
		anthropictest.Stream(anthropictest.Tool("toolu_1", "generate_query", map[string]any{"sql": slow})),
	)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stoppedAt time.Time
	sink := &llm.RecordingSink{OnEmit: func(ev agent.Event) {
		if ev.Event == agent.EventStatus {
			time.AfterFunc(300*time.Millisecond, func() { stoppedAt = time.Now(); cancel() })
		}
	}}
	start := time.Now()
	s.turn(t, ctx, agent.Request{Text: "sum everything"}, sink)
	if stoppedAt.IsZero() {
		t.Fatalf("the query finished before the stop (%v)", time.Since(start))
	}
	if d := time.Since(stoppedAt); d > time.Second {
		t.Errorf("the turn ended %v after the stop", d)
	}
	if done := sink.Of(agent.EventDone)[0]; done["stopped"] != true {
		t.Errorf("done = %v", done)
	}
	if got := recordTypes(sink.Records()); got != "tool_call query_result" {
		t.Errorf("records = %s", got)
	}
	if len(s.srv.Requests()) != 1 {
		t.Errorf("the model was called again after the stop")
	}
	// The replay of a stopped turn is still a valid conversation.
	msgs := llm.History(sink.Records())
	if len(msgs) != 3 || msgs[2].Content[0].Type != llm.BlockToolResult {
		t.Errorf("replay = %+v", msgs)
	}
}

func TestModelFailures(t *testing.T) {
	tests := []struct {
		name     string
		script   []anthropictest.Reply
		timeout  time.Duration
		statuses []string
		errMsg   string // "" for success
		text     string // streamed and kept
		requests int
	}{
		{
			name:     "overloaded, retried, then fails",
			script:   []anthropictest.Reply{anthropictest.Overloaded(), anthropictest.Overloaded(), anthropictest.Overloaded(), anthropictest.Overloaded()},
			statuses: []string{"Model busy, retrying in 10ms…", "Model busy, retrying in 20ms…", "Model busy, retrying in 40ms…"},
			errMsg:   "The model is overloaded right now",
			requests: 4,
		},
		{
			name:     "overloaded once, then answers",
			script:   []anthropictest.Reply{anthropictest.Overloaded(), anthropictest.Stream(anthropictest.Text("Fine."))},
			statuses: []string{"Model busy, retrying in 10ms…"},
			text:     "Fine.",
			requests: 2,
		},
		{
			name:     "rate limited with retry-after, then answers",
			script:   []anthropictest.Reply{anthropictest.RateLimited("1"), anthropictest.Stream(anthropictest.Text("Fine."))},
			statuses: []string{"Rate limited, retrying in 50ms…"},
			text:     "Fine.",
			requests: 2,
		},
		{
			name:     "rejected key",
			script:   []anthropictest.Reply{anthropictest.Unauthorized()},
			errMsg:   "The Anthropic API key was rejected",
			requests: 1,
		},
		{
			name:     "timeout",
			script:   []anthropictest.Reply{{HangHeaders: true}},
			timeout:  300 * time.Millisecond,
			errMsg:   "The model took too long",
			requests: 1,
		},
		{
			name:     "connection dropped mid-answer",
			script:   []anthropictest.Reply{{Frames: anthropictest.Partial("Partial ", "answer"), Drop: true}},
			errMsg:   "The connection to the model was lost",
			text:     "Partial answer",
			requests: 1,
		},
		{
			name: "overloaded mid-answer is not retried",
			script: []anthropictest.Reply{{Frames: append(anthropictest.Partial("Hi"),
				anthropictest.StreamError("overloaded_error", "Overloaded"))}},
			errMsg:   "The model is overloaded right now",
			text:     "Hi",
			requests: 1,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newSetup(t, llm.Options{}, tc.timeout, tc.script...)
			sink := &llm.RecordingSink{}
			s.turn(t, context.Background(), agent.Request{Text: question}, sink)
			if got := strings.Join(statuses(sink), "|"); got != strings.Join(tc.statuses, "|") {
				t.Errorf("statuses = %q, want %q", got, strings.Join(tc.statuses, "|"))
			}
			if sink.Text() != tc.text {
				t.Errorf("streamed %q, want %q", sink.Text(), tc.text)
			}
			errs := sink.Of(agent.EventError)
			records := sink.Records()
			var texts []string
			var errRecords []string
			for _, r := range records {
				switch r.Type {
				case agent.TypeText:
					texts = append(texts, r.Text)
					if r.Stopped {
						t.Errorf("text marked stopped: %+v", r)
					}
				case agent.TypeError:
					errRecords = append(errRecords, r.Text)
				}
			}
			if strings.Join(texts, "") != tc.text {
				t.Errorf("kept text %q, want %q", texts, tc.text)
			}
			if tc.errMsg == "" {
				if len(errs) != 0 || len(errRecords) != 0 {
					t.Errorf("errors %v %v", errs, errRecords)
				}
			} else {
				if len(errs) != 1 || !strings.Contains(errs[0]["message"].(string), tc.errMsg) {
					t.Errorf("error events = %v, want %q", errs, tc.errMsg)
				}
				if len(errRecords) != 1 || !strings.Contains(errRecords[0], tc.errMsg) {
					t.Errorf("error records = %v", errRecords)
				}
			}
			if n := len(s.srv.Requests()); n != tc.requests {
				t.Errorf("%d requests, want %d", n, tc.requests)
			}
		})
	}
}

func TestAutoAnalyze(t *testing.T) {
	s := newSetup(t, llm.Options{}, 0,
		anthropictest.Stream(anthropictest.Text("This is daily weather for four months."),
			anthropictest.Tool("toolu_1", "create_plot", map[string]any{"title": "Weather", "sql": goodSQL, "vega_lite_spec": barSpec})),
		anthropictest.Stream(anthropictest.Text("Sun dominates.")),
		anthropictest.Message("Weather overview"),
	)
	sink := &llm.RecordingSink{NeedsTitle: true}
	s.turn(t, context.Background(), agent.Request{Kind: agent.KindAutoAnalyze}, sink)
	if st := statuses(sink); len(st) == 0 || st[0] != "Looking for patterns…" {
		t.Errorf("statuses = %v", st)
	}
	if got := collapse(sink.EventNames()); got != "status text status plot text session_update done" {
		t.Errorf("events = %s", got)
	}
	first := s.srv.Requests()[0]
	prompt := blockText(lastUserContent(t, first)[0])
	for _, want := range []string{"computed with SQL", `"weather" is dominated by “sun” (58.3% of non-null values`, `"wind" is missing`, "create_plot"} {
		if !strings.Contains(prompt, want) {
			t.Errorf("auto-analyze prompt lacks %q:\n%s", want, prompt)
		}
	}
	if !strings.Contains(string(s.srv.Requests()[2].Raw), "automatic overview") {
		t.Errorf("title request = %s", s.srv.Requests()[2].Raw)
	}
}

func TestToolRoundsAreBounded(t *testing.T) {
	q := func(id string) anthropictest.Reply {
		return anthropictest.Stream(anthropictest.Tool(id, "generate_query", map[string]any{"sql": "SELECT 1"}))
	}
	s := newSetup(t, llm.Options{MaxRounds: 2}, 0,
		q("toolu_1"), q("toolu_2"),
		anthropictest.Stream(anthropictest.Text("Enough.")),
	)
	sink := &llm.RecordingSink{}
	s.turn(t, context.Background(), agent.Request{Text: question}, sink)
	reqs := s.srv.Requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests", len(reqs))
	}
	for i, r := range reqs {
		tc, _ := r.Body["tool_choice"].(map[string]any)
		if none := tc["type"] == "none"; none != (i == 2) {
			t.Errorf("request %d: tool_choice %v", i, r.Body["tool_choice"])
		}
	}
	if sink.Text() != "Enough." {
		t.Errorf("text = %q", sink.Text())
	}
}

// The values a question names go to the model beside it (schema linking),
// never when rows may not be sent.
func TestValueLinksInQuestion(t *testing.T) {
	for _, sendRows := range []bool{true, false} {
		t.Run(fmt.Sprintf("send_rows=%v", sendRows), func(t *testing.T) {
			s := newSetup(t, llm.Options{}, 0, anthropictest.Stream(anthropictest.Text("Snow, three days.")))
			m, err := anthropic.New(anthropic.Config{APIKey: "sk-test", BaseURL: s.srv.URL, Timeout: 10 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			eng, _ := llm.MustDataset(t, "weather.csv")
			s.agent = agent.New(eng, llm.NewAnalyst(m, eng, llm.Options{SendRows: sendRows}), nil)
			s.turn(t, context.Background(), agent.Request{Text: "how many days of Snow or drizzle?"}, &llm.RecordingSink{})
			content := lastUserContent(t, s.srv.Requests()[0])
			if got := blockText(content[0]); got != "how many days of Snow or drizzle?" {
				t.Errorf("question = %q", got)
			}
			if !sendRows {
				if len(content) != 1 {
					t.Errorf("values sent without send_rows: %v", content)
				}
				return
			}
			if len(content) != 2 {
				t.Fatalf("content = %v", content)
			}
			links := blockText(content[1])
			for _, want := range []string{"Values in the question found in the data", `"Snow": "weather" = 'snow' (3 rows)`, `"drizzle": "weather" = 'drizzle' (5 rows)`} {
				if !strings.Contains(links, want) {
					t.Errorf("links lack %q:\n%s", want, links)
				}
			}
		})
	}
}
