package server

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/agent/llm"
	"github.com/analyzerhq/analyzer/agent/llm/anthropic"
	"github.com/analyzerhq/analyzer/agent/llm/anthropic/anthropictest"
	"github.com/analyzerhq/analyzer/duck"
	"github.com/analyzerhq/analyzer/storage"
)

// newClaudeEnv is newTestEnv with the Claude analyst answering, against a
// fake Anthropic API that plays script.
func newClaudeEnv(t *testing.T, script ...anthropictest.Reply) (*testEnv, *anthropictest.Server) {
	t.Helper()
	fake := anthropictest.New(t, script...)
	model, err := anthropic.New(anthropic.Config{APIKey: "sk-test", BaseURL: fake.URL, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	env := newTestEnv(t, withAnalyst(func(engine *duck.Engine) agent.Analyst {
		return llm.NewAnalyst(model, engine, llm.Options{SendRows: true, RetryBase: 10 * time.Millisecond})
	}))
	return env, fake
}

func TestWebSocketClaudeConversation(t *testing.T) {
	const (
		question = "which weather is most common? plot it"
		badSQL   = "SELECT wether, count(*) AS n FROM data GROUP BY 1"
		goodSQL  = "SELECT weather, count(*) AS n FROM data GROUP BY weather ORDER BY n DESC, weather"
	)
	spec := map[string]any{
		"mark": "bar",
		"encoding": map[string]any{
			"x": map[string]any{"field": "weather", "type": "nominal", "sort": "-y"},
			"y": map[string]any{"field": "n", "type": "quantitative"},
		},
	}
	env, fake := newClaudeEnv(t,
		// Turn 1: a bad query, its correction, a chart, the answer, a title.
		anthropictest.Stream(anthropictest.Text("Let me ", "count."), anthropictest.Tool("toolu_1", "generate_query", map[string]any{"sql": badSQL})),
		anthropictest.Stream(anthropictest.Tool("toolu_2", "generate_query", map[string]any{"sql": goodSQL})),
		anthropictest.Stream(anthropictest.Tool("toolu_3", "create_plot", map[string]any{"title": "Most common weather", "sql": goodSQL, "vega_lite_spec": spec})),
		anthropictest.Stream(anthropictest.Text("**Sun** is the most common: ", "70 of 120 days.")),
		anthropictest.Message("Most common weather"),
		// Turn 2, after a reconnect: a follow-up answered from memory.
		anthropictest.Stream(anthropictest.Text("Rain comes second.")),
		// Turn 3: stopped mid-stream.
		anthropictest.Reply{Frames: anthropictest.Partial("Let me think ", "about"), Hang: true},
	)
	addr := env.listen()
	token := env.register("alice@example.com")
	csv, err := os.ReadFile(filepath.Join("..", "agent", "llm", "testdata", "weather.csv"))
	if err != nil {
		t.Fatal(err)
	}
	sess := env.upload(token, "weather.csv", string(csv))

	// Turn 1.
	c, _, err := dialWS(t, addr, sess.SessionID, token)
	if err != nil {
		t.Fatal(err)
	}
	c.send(map[string]string{"type": "message", "text": question})
	events := c.until("done", 30*time.Second)
	var seq []string
	var text strings.Builder
	for _, ev := range events {
		if ev.Event == "text" {
			var d struct{ Text string }
			_ = json.Unmarshal(ev.Data, &d)
			text.WriteString(d.Text)
			if len(seq) > 0 && seq[len(seq)-1] == "text" {
				continue
			}
		}
		seq = append(seq, ev.Event)
	}
	if got, want := strings.Join(seq, " "), "user_message text status query_result status query_result status plot text session_update done"; got != want {
		t.Errorf("events:\n got %s\nwant %s", got, want)
	}
	if got := text.String(); got != "Let me count.**Sun** is the most common: 70 of 120 days." {
		t.Errorf("streamed text = %q", got)
	}
	var plot struct {
		Title string `json:"title"`
		Spec  struct {
			Data struct {
				Values []map[string]any `json:"values"`
			} `json:"data"`
		} `json:"vega_lite_spec"`
	}
	_ = json.Unmarshal(find(events, "plot").Data, &plot)
	if plot.Title != "Most common weather" || len(plot.Spec.Data.Values) != 5 || plot.Spec.Data.Values[0]["weather"] != "sun" || plot.Spec.Data.Values[0]["n"] != 70.0 {
		t.Errorf("plot = %+v", plot)
	}
	var done struct {
		Stopped bool
		Usage   *agent.Usage
	}
	_ = json.Unmarshal(find(events, "done").Data, &done)
	if done.Stopped || done.Usage == nil || done.Usage.OutputTokens != 80 {
		t.Errorf("done = %s", find(events, "done").Data)
	}
	c.conn.Close()

	// A reload shows the same conversation and the new title.
	stored, err := env.store.ListMessages(t.Context(), sess.SessionID)
	if err != nil || len(stored) != 9 {
		t.Fatalf("%d stored messages (tool calls included), want 9: %v", len(stored), err)
	}
	status, body := env.doJSON("GET", "/api/sessions/"+sess.SessionID, token, nil)
	if status != 200 {
		t.Fatalf("GET session: %d %s", status, body)
	}
	var detail struct {
		Title    string
		Messages []storage.Message
	}
	_ = json.Unmarshal(body, &detail)
	if detail.Title != "Most common weather" {
		t.Errorf("title = %q", detail.Title)
	}
	var kept []string
	for _, m := range detail.Messages {
		kept = append(kept, m.Role+":"+m.Type)
	}
	// Tool calls are stored for replay but not shown.
	want := "user:text assistant:text assistant:query_result assistant:query_result assistant:plot assistant:text"
	if got := strings.Join(kept, " "); got != want {
		t.Errorf("stored messages:\n got %s\nwant %s", got, want)
	}

	// Turn 2, on a new connection: the model sees the earlier exchange.
	c2, _, err := dialWS(t, addr, sess.SessionID, token)
	if err != nil {
		t.Fatal(err)
	}
	c2.send(map[string]string{"type": "message", "text": "and the second most common?"})
	events = c2.until("done", 30*time.Second)
	if find(events, "error") != nil || find(events, "session_update") != nil {
		t.Errorf("turn 2 events = %v", names(events))
	}
	reqs := fake.Requests()
	if len(reqs) != 6 {
		t.Fatalf("%d model requests, want 6", len(reqs))
	}
	replay := string(reqs[5].Raw)
	for _, want := range []string{question, `"tool_use_id":"toolu_1"`, `"tool_use_id":"toolu_2"`, `"tool_use_id":"toolu_3"`, `\"weather\"`, "70 of 120 days", "and the second most common?"} {
		if !strings.Contains(replay, want) {
			t.Errorf("the follow-up request lacks %s", want)
		}
	}

	// Turn 3: stop while the answer streams.
	c2.send(map[string]string{"type": "message", "text": "think hard"})
	first := c2.until("text", 30*time.Second)
	if find(first, "error") != nil {
		t.Fatalf("turn 3 events = %v", names(first))
	}
	start := time.Now()
	c2.send(map[string]string{"type": "stop"})
	events = c2.until("done", 5*time.Second)
	if d := time.Since(start); d > time.Second {
		t.Errorf("stop took %v", d)
	}
	_ = json.Unmarshal(find(events, "done").Data, &done)
	if !done.Stopped {
		t.Errorf("done = %s", find(events, "done").Data)
	}
	_, body = env.doJSON("GET", "/api/sessions/"+sess.SessionID, token, nil)
	_ = json.Unmarshal(body, &detail)
	last := detail.Messages[len(detail.Messages)-1]
	if last.Type != "text" || !last.Stopped || !strings.HasPrefix(last.Text, "Let me think") {
		t.Errorf("last stored message = %+v", last)
	}
}
