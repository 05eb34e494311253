package chat

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/agent/builtin"
	"github.com/analyzerhq/analyzer/agent/llm"
	"github.com/analyzerhq/analyzer/agent/llm/anthropic"
	"github.com/analyzerhq/analyzer/agent/llm/anthropic/anthropictest"
	"github.com/analyzerhq/analyzer/duck"
	"github.com/analyzerhq/analyzer/storage"
)

// fixture is one session over testdata's weather.csv, with its database,
// engine and conversations.
type fixture struct {
	t       *testing.T
	store   *storage.DB
	engine  *duck.Engine
	chats   *Chats
	session *storage.Session
}

// analystFor picks who answers: the built-in analyst, or Claude behind a
// fake server speaking real SSE.
type analystFor func(t *testing.T, e *duck.Engine) agent.Analyst

func builtinAnalyst(t *testing.T, e *duck.Engine) agent.Analyst { return builtin.New(e) }

func claude(script ...anthropictest.Reply) analystFor {
	return func(t *testing.T, e *duck.Engine) agent.Analyst {
		srv := anthropictest.New(t, script...)
		m, err := anthropic.New(anthropic.Config{APIKey: "sk-test", BaseURL: srv.URL, Timeout: 10 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		return llm.NewAnalyst(m, e, llm.Options{RetryBase: 10 * time.Millisecond, RetryMax: 50 * time.Millisecond})
	}
}

func newFixture(t *testing.T, analyst analystFor, limit time.Duration) *fixture {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	store, err := storage.Open(ctx, filepath.Join(dir, "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if _, err := store.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	eng, err := duck.New(duck.Config{DataDir: filepath.Join(dir, "data"), MemoryLimit: "512MB", QueryMemoryLimit: "256MB", Threads: 2}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	src := filepath.Join(dir, "upload-weather.csv")
	copyFile(t, filepath.Join("..", "agent", "llm", "testdata", "weather.csv"), src)
	u, err := store.CreateUser(ctx, "a@b.co", "password1")
	if err != nil {
		t.Fatal(err)
	}
	sess := &storage.Session{ID: storage.NewSessionID(), UserID: u.ID, Title: "weather.csv"}
	ds, err := eng.Ingest(ctx, sess.ID, src, "weather.csv")
	if err != nil {
		t.Fatal(err)
	}
	var names, types []string
	for _, c := range ds.Columns {
		names, types = append(names, c.Name), append(types, c.Type)
	}
	f := &storage.File{Filename: "weather.csv", RowCount: ds.RowCount, ColCount: len(names),
		Columns: storage.MustJSON(names), ColumnTypes: storage.MustJSON(types)}
	if err := store.CreateSession(ctx, sess, f); err != nil {
		t.Fatal(err)
	}
	ag := agent.New(eng, analyst(t, eng), nil)
	return &fixture{t: t, store: store, engine: eng, chats: New(store, ag, eng, Options{TurnTimeout: limit}), session: sess}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// stream keeps the events of a turn as the client receives them (JSON).
type stream struct {
	mu     sync.Mutex
	events []agent.Event
	onSend func(agent.Event)
}

func (s *stream) send(ev agent.Event) {
	b, err := json.Marshal(ev.Data)
	if err != nil {
		panic(err)
	}
	s.mu.Lock()
	s.events = append(s.events, agent.Event{Event: ev.Event, Data: json.RawMessage(b)})
	f := s.onSend
	s.mu.Unlock()
	if f != nil {
		f(ev)
	}
}

func (s *stream) all() []agent.Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]agent.Event(nil), s.events...)
}

// turn runs one command to its end and returns what the client received.
func (f *fixture) turn(cmd Command, onSend func(*Turn, agent.Event)) []agent.Event {
	f.t.Helper()
	s := &stream{}
	var turn *Turn
	var ready sync.WaitGroup
	ready.Add(1)
	if onSend != nil {
		s.onSend = func(ev agent.Event) {
			if ev.Event == agent.EventUserMessage {
				return // sent by Begin, before the turn exists
			}
			ready.Wait()
			onSend(turn, ev)
		}
	}
	turn, err := f.chats.Begin(context.Background(), f.session, cmd, s.send)
	ready.Done()
	if err != nil {
		f.t.Fatalf("begin %+v: %v", cmd, err)
	}
	turn.Run()
	evs := s.all()
	if len(evs) == 0 || evs[0].Event != agent.EventUserMessage || evs[len(evs)-1].Event != agent.EventDone {
		f.t.Fatalf("events %v", eventNames(evs))
	}
	return evs
}

func (f *fixture) transcript() []Message {
	f.t.Helper()
	msgs, err := f.chats.Transcript(context.Background(), f.session.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	return msgs
}

func eventNames(evs []agent.Event) string {
	var out []string
	for _, ev := range evs {
		out = append(out, string(ev.Event))
	}
	return strings.Join(out, " ")
}

// part is one piece of an answer as the user sees it, live or reloaded.
type part struct {
	Kind string // text, query_result, plot, error
	Body string // normalized
}

// liveParts reads the parts of the last turn from its events: text deltas
// between two other parts join into one.
func liveParts(t *testing.T, evs []agent.Event) (parts []part, stopped bool) {
	t.Helper()
	var text strings.Builder
	flush := func() {
		if s := norm(text.String()); s != "" {
			parts = append(parts, part{"text", s})
		}
		text.Reset()
	}
	for _, ev := range evs {
		raw := ev.Data.(json.RawMessage)
		switch ev.Event {
		case agent.EventText:
			var d agent.TextData
			mustUnmarshal(t, raw, &d)
			text.WriteString(d.Text)
		case agent.EventQueryResult:
			flush()
			parts = append(parts, part{"query_result", resultKey(t, raw)})
		case agent.EventPlot:
			flush()
			parts = append(parts, part{"plot", plotKey(t, raw)})
		case agent.EventError:
			flush()
			var d agent.ErrorData
			mustUnmarshal(t, raw, &d)
			parts = append(parts, part{"error", d.Message})
		case agent.EventDone:
			var d agent.DoneData
			mustUnmarshal(t, raw, &d)
			stopped = d.Stopped && !d.TimedOut
		}
	}
	flush()
	return parts, stopped
}

// storedParts reads the parts after the last user message of a reload.
func storedParts(t *testing.T, msgs []Message) (parts []part, stopped bool) {
	t.Helper()
	last := -1
	for i, m := range msgs {
		if m.Role == agent.RoleUser {
			last = i
		}
	}
	var text []string
	flush := func() {
		if s := norm(strings.Join(text, " ")); s != "" {
			parts = append(parts, part{"text", s})
		}
		text = nil
	}
	for _, m := range msgs[last+1:] {
		stopped = stopped || m.Stopped
		switch m.Type {
		case agent.TypeText:
			text = append(text, m.Text)
		case agent.TypeQueryResult:
			flush()
			parts = append(parts, part{"query_result", resultKey(t, m.Data)})
		case agent.TypePlot:
			flush()
			parts = append(parts, part{"plot", plotKey(t, m.PlotData)})
		case agent.TypeError:
			flush()
			parts = append(parts, part{"error", m.Text})
		default:
			t.Errorf("the reload shows a %s record", m.Type)
		}
	}
	flush()
	return parts, stopped
}

func norm(s string) string { return strings.Join(strings.Fields(s), " ") }

func mustUnmarshal(t *testing.T, raw []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("%s: %v", raw, err)
	}
}

// resultKey is what a user reads of a query result: its SQL, columns,
// counts, error and rows.
func resultKey(t *testing.T, raw []byte) string {
	var q struct {
		SQL       string            `json:"sql"`
		Result    []json.RawMessage `json:"result"`
		IsError   bool              `json:"is_error"`
		Error     string            `json:"error"`
		Columns   []string          `json:"columns"`
		RowCount  int64             `json:"row_count"`
		Truncated bool              `json:"truncated"`
	}
	mustUnmarshal(t, raw, &q)
	b, _ := json.Marshal(q)
	return string(b)
}

func plotKey(t *testing.T, raw []byte) string {
	var p agent.PlotData
	mustUnmarshal(t, raw, &p)
	b, _ := json.Marshal(p)
	return string(b)
}

// sameAsReload checks that a reload shows exactly what the events showed.
func sameAsReload(t *testing.T, evs []agent.Event, msgs []Message) {
	t.Helper()
	live, liveStopped := liveParts(t, evs)
	stored, storedStopped := storedParts(t, msgs)
	if len(live) == 0 {
		t.Fatalf("the turn showed nothing: %s", eventNames(evs))
	}
	lb, _ := json.MarshalIndent(live, "", " ")
	sb, _ := json.MarshalIndent(stored, "", " ")
	if string(lb) != string(sb) {
		t.Errorf("the reload differs from what was sent:\nsent   %s\nstored %s", lb, sb)
	}
	if liveStopped != storedStopped {
		t.Errorf("stopped: sent %v, stored %v", liveStopped, storedStopped)
	}
}
