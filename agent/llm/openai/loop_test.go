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
	"github.com/analyzerhq/analyzer/agent/llm"
	"github.com/analyzerhq/analyzer/apperr"
	"github.com/analyzerhq/analyzer/duck"
)

// These tests drive the model through llm.Analyst, the loop every
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

// answer runs one turn of a through s, as agent.Turn does.
func answer(ctx context.Context, a agent.Analyst, req agent.Request, s *sink) (agent.Usage, error) {
	reply := agent.NewReply(ctx, s)
	u, err := a.Answer(ctx, req, reply)
	if cerr := reply.Close(agent.UserStopped(ctx)); cerr != nil && err == nil {
		err = cerr
	}
	return u, err
}

func (s *sink) eventsOf(name agent.EventName) []agent.Event {
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
		b.WriteString(ev.Data.(agent.TextData).Text)
	}
	return b.String()
}

func TestThroughAnalyst(t *testing.T) {
	engine, ds := testDataset(t)
	f := newFake(t,
		sse(roleChunk(), textChunk("Let me count."),
			toolChunk(0, "call_q1", "generate_query", ""),
			toolChunk(0, "", "", `{"sql": "SELECT region, count(*) AS n `),
			toolChunk(0, "", "", `FROM data GROUP BY region ORDER BY n DESC"}`),
			finishChunk("tool_calls"), usageChunk(900, 40, 0), done),
		sse(textChunk("West has "), textChunk("2 rows, East 1."), finishChunk("stop"), usageChunk(1000, 12, 800), done),
	)
	a := llm.NewAnalyst(f.model(t), engine, llm.Options{RetryBase: 10 * time.Millisecond})
	out := &sink{}
	usage, err := answer(context.Background(), a, agent.Request{Kind: agent.KindMessage, Text: "How many rows per region?", Dataset: ds}, out)
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
		types = append(types, string(r.Type))
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

func TestThroughAnalystRetries(t *testing.T) {
	engine, ds := testDataset(t)
	f := newFake(t,
		fail(429, `{"error":{"message":"slow down"}}`, "retry-after-ms", "10"),
		fail(503, `{"error":"model is loading"}`),
		sse(textChunk("Done."), finishChunk("stop"), done),
	)
	a := llm.NewAnalyst(f.model(t), engine, llm.Options{RetryBase: 5 * time.Millisecond, RetryMax: 20 * time.Millisecond})
	out := &sink{}
	if _, err := answer(context.Background(), a, agent.Request{Kind: agent.KindMessage, Text: "hi", Dataset: ds}, out); err != nil {
		t.Fatal(err)
	}
	if f.calls() != 3 {
		t.Errorf("%d calls, want 3", f.calls())
	}
	var statuses []string
	for _, ev := range out.eventsOf(agent.EventStatus) {
		statuses = append(statuses, ev.Data.(agent.StatusData).Message)
	}
	joined := strings.Join(statuses, " | ")
	if !strings.Contains(joined, "Rate limited, retrying") || !strings.Contains(joined, "Model busy, retrying") {
		t.Errorf("statuses %q", statuses)
	}
	if out.text() != "Done." {
		t.Errorf("text %q", out.text())
	}
}

// TestThroughTurn checks a rejected key end to end: the turn fails with a
// message in plain words, nothing is kept, and the key is never shown.
func TestThroughTurn(t *testing.T) {
	engine, ds := testDataset(t)
	f := newFake(t, fail(401, `{"error":{"message":"invalid key sk-te**","type":"invalid_request_error","code":"invalid_api_key"}}`))
	ag := agent.New(engine, llm.NewAnalyst(f.model(t), engine, llm.Options{}), nil)
	out := &sink{}
	ctx := context.Background()
	_, err := ag.Turn(ctx, agent.Request{Kind: agent.KindMessage, Text: "How many rows?", Dataset: ds}, agent.NewReply(ctx, out))
	if msg := apperr.MessageOf(err); !strings.Contains(msg, "OPENAI_API_KEY") || strings.Contains(msg, "sk-test") {
		t.Fatalf("error %q", msg)
	}
	if len(out.records) != 0 {
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
