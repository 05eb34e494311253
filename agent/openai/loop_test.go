package openai

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/duck"
)

// These tests drive the model through agent.ModelAnalyst, the loop every
// provider shares, against a real data engine: what the user sees and what
// is stored must be the same as with any other provider.

func testDataset(t *testing.T) (*duck.Engine, agent.Dataset) {
	t.Helper()
	e, err := duck.New(duck.Config{DataDir: t.TempDir(), MemoryLimit: "256MB", QueryMemoryLimit: "128MB", Threads: 1},
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	src := filepath.Join(t.TempDir(), "upload")
	if err := os.WriteFile(src, []byte("region,amount\nWest,10\nWest,5\nEast,7\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	id := uuid.NewString()
	ds, err := e.Ingest(context.Background(), id, src, "sales.csv")
	if err != nil {
		t.Fatal(err)
	}
	return e, agent.Dataset{SessionID: id, Filename: "sales.csv", RowCount: ds.RowCount, Columns: ds.Columns, Profile: ds.Profile}
}

// sink records a turn's output.
type sink struct {
	mu      sync.Mutex
	events  []agent.Event
	records []agent.Record
	title   string
}

func (s *sink) Emit(ev agent.Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.events = append(s.events, ev)
}

func (s *sink) Save(_ context.Context, r agent.Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.records = append(s.records, r)
	return nil
}

func (s *sink) SaveTitle(_ context.Context, title string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.title = title
	return nil
}

func (s *sink) eventsOf(name string) []agent.Event {
	var out []agent.Event
	for _, ev := range s.events {
		if ev.Event == name {
			out = append(out, ev)
		}
	}
	return out
}

func (s *sink) text() string {
	var b strings.Builder
	for _, ev := range s.eventsOf(agent.EventText) {
		b.WriteString(ev.Data.(map[string]string)["text"])
	}
	return b.String()
}

func TestThroughModelAnalyst(t *testing.T) {
	engine, ds := testDataset(t)
	f := newFake(t,
		sse(roleChunk(), textChunk("Let me count."),
			toolChunk(0, "call_q1", "generate_query", ""),
			toolChunk(0, "", "", `{"sql": "SELECT region, count(*) AS n `),
			toolChunk(0, "", "", `FROM data GROUP BY region ORDER BY n DESC"}`),
			finishChunk("tool_calls"), usageChunk(900, 40, 0), done),
		sse(textChunk("West has "), textChunk("2 rows, East 1."), finishChunk("stop"), usageChunk(1000, 12, 800), done),
	)
	a := agent.NewModelAnalyst(f.model(t), engine, agent.ModelOptions{RetryBase: 10 * time.Millisecond})
	out := &sink{}
	usage, err := a.Answer(context.Background(), agent.Request{Kind: agent.KindMessage, Text: "How many rows per region?", Dataset: ds}, out)
	if err != nil {
		t.Fatal(err)
	}
	if want := (agent.Usage{InputTokens: 900 + 200, OutputTokens: 52, CacheReadTokens: 800}); usage != want {
		t.Errorf("usage %+v, want %+v", usage, want)
	}
	if got := out.text(); got != "Let me count.West has 2 rows, East 1." {
		t.Errorf("streamed text %q", got)
	}
	qrs := out.eventsOf(agent.EventQueryResult)
	if len(qrs) != 1 {
		t.Fatalf("%d query results", len(qrs))
	}
	qr := qrs[0].Data.(*agent.QueryResult)
	if qr.IsError || qr.RowCount != 2 || !strings.Contains(qr.SQL, "GROUP BY region") {
		t.Errorf("query result %+v", qr)
	}
	var types []string
	for _, r := range out.records {
		types = append(types, r.Type)
	}
	if got := strings.Join(types, ","); got != "text,tool_call,query_result,text" {
		t.Errorf("records %s", got)
	}
	// The second call carried the tool result, paired with its call.
	msgs := f.body(1)["messages"].([]any)
	var tool map[string]any
	for _, m := range msgs {
		if mm := m.(map[string]any); mm["role"] == "tool" {
			tool = mm
		}
	}
	if tool == nil || tool["tool_call_id"] != "call_q1" || !strings.Contains(tool["content"].(string), "West") {
		t.Errorf("tool message %v", tool)
	}
	if msgs[0].(map[string]any)["role"] != "system" {
		t.Errorf("first message %v", msgs[0])
	}
}

func TestThroughModelAnalystRetries(t *testing.T) {
	engine, ds := testDataset(t)
	f := newFake(t,
		fail(429, `{"error":{"message":"slow down"}}`, "retry-after-ms", "10"),
		fail(503, `{"error":"model is loading"}`),
		sse(textChunk("Done."), finishChunk("stop"), done),
	)
	a := agent.NewModelAnalyst(f.model(t), engine, agent.ModelOptions{RetryBase: 5 * time.Millisecond, RetryMax: 20 * time.Millisecond})
	out := &sink{}
	if _, err := a.Answer(context.Background(), agent.Request{Kind: agent.KindMessage, Text: "hi", Dataset: ds}, out); err != nil {
		t.Fatal(err)
	}
	if f.calls() != 3 {
		t.Errorf("%d calls, want 3", f.calls())
	}
	var statuses []string
	for _, ev := range out.eventsOf(agent.EventStatus) {
		statuses = append(statuses, ev.Data.(map[string]string)["message"])
	}
	joined := strings.Join(statuses, " | ")
	if !strings.Contains(joined, "Rate limited, retrying") || !strings.Contains(joined, "Model busy, retrying") {
		t.Errorf("statuses %q", statuses)
	}
	if out.text() != "Done." {
		t.Errorf("text %q", out.text())
	}
}

// TestThroughTurn checks a rejected key end to end: an error event in plain
// words, an error record, and done.
func TestThroughTurn(t *testing.T) {
	engine, ds := testDataset(t)
	f := newFake(t, fail(401, `{"error":{"message":"invalid key sk-te**","type":"invalid_request_error","code":"invalid_api_key"}}`))
	ag := agent.New(engine, agent.NewModelAnalyst(f.model(t), engine, agent.ModelOptions{}), nil)
	out := &sink{}
	ag.Turn(context.Background(), agent.Request{Kind: agent.KindMessage, Text: "How many rows?", Dataset: ds}, out)
	errs := out.eventsOf(agent.EventError)
	if len(errs) != 1 || !strings.Contains(errs[0].Data.(map[string]string)["message"], "OPENAI_API_KEY") {
		t.Fatalf("error events %v", errs)
	}
	if last := out.events[len(out.events)-1]; last.Event != agent.EventDone {
		t.Errorf("last event %s", last.Event)
	}
	if len(out.records) != 1 || out.records[0].Type != agent.TypeError {
		t.Errorf("records %+v", out.records)
	}
	if f.calls() != 1 {
		t.Errorf("a rejected key was retried: %d calls", f.calls())
	}
	b, _ := json.Marshal(out.events)
	if strings.Contains(string(b), "sk-test") {
		t.Error("the key reached the client")
	}
}
