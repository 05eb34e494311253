package llm

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/apperr"
	"github.com/analyzerhq/analyzer/duck"
)

// The tests share one engine: it only reads the ingested datasets.
var (
	sharedDir    string
	sharedEngine *duck.Engine
	sharedMu     sync.Mutex
	datasets     = map[string]agent.Dataset{}
)

func TestMain(m *testing.M) {
	code := m.Run()
	if sharedEngine != nil {
		_ = sharedEngine.Close()
	}
	if sharedDir != "" {
		_ = os.RemoveAll(sharedDir)
	}
	os.Exit(code)
}

// MustDataset returns the shared engine and the dataset of testdata/file,
// ingested once per test binary.
func MustDataset(tb testing.TB, file string) (*duck.Engine, agent.Dataset) {
	tb.Helper()
	sharedMu.Lock()
	defer sharedMu.Unlock()
	if sharedEngine == nil {
		dir, err := os.MkdirTemp("", "agent-test-")
		if err != nil {
			tb.Fatal(err)
		}
		sharedDir = dir
		eng, err := duck.New(duck.Config{DataDir: dir, MemoryLimit: "512MB", QueryMemoryLimit: "256MB", Threads: 2}, nil)
		if err != nil {
			tb.Fatal(err)
		}
		sharedEngine = eng
	}
	if ds, ok := datasets[file]; ok {
		return sharedEngine, ds
	}
	src := filepath.Join(sharedDir, "upload-"+file)
	if err := copyFile(filepath.Join("testdata", file), src); err != nil {
		tb.Fatal(err)
	}
	sid := uuid.NewString()
	got, err := sharedEngine.Ingest(context.Background(), sid, src, file)
	if err != nil {
		tb.Fatalf("ingest %s: %v", file, err)
	}
	prof := got.Profile
	if prof == nil { // still being computed
		if prof, err = sharedEngine.Profile(context.Background(), sid); err != nil {
			tb.Fatalf("profile %s: %v", file, err)
		}
	}
	ds := agent.Dataset{SessionID: sid, Filename: file, RowCount: got.RowCount, Columns: got.Columns, Profile: prof}
	datasets[file] = ds
	return sharedEngine, ds
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// RecordingSink keeps what a turn emits and saves.
type RecordingSink struct {
	mu      sync.Mutex
	events  []agent.Event
	records []agent.Record
	titles  []string
	// OnEmit, when set, sees each event as it is emitted (to stop a turn).
	OnEmit func(agent.Event)
	// SaveErr, when set, is returned by Save.
	SaveErr error
	// NeedsTitle asks RunTurn to title the session after the turn.
	NeedsTitle bool
}

// RunTurn runs a turn the way the chat package ends one, without a
// database: a failure is reported through the reply, a first exchange is
// titled when NeedsTitle is set, and `done` ends it.
func RunTurn(ctx context.Context, a *agent.Agent, req agent.Request, sink *RecordingSink) {
	reply := agent.NewReply(ctx, sink)
	usage, err := a.Turn(ctx, req, reply)
	stopped := agent.UserStopped(ctx)
	switch {
	case stopped:
	case err != nil:
		_ = reply.Error(apperr.MessageOf(err))
	case sink.NeedsTitle:
		if title, terr := a.Title(ctx, req); terr == nil && title != "" {
			sink.mu.Lock()
			sink.titles = append(sink.titles, title)
			sink.mu.Unlock()
			sink.Emit(agent.SessionUpdateEvent(title))
		}
	}
	done := agent.DoneData{Stopped: stopped}
	if usage != (agent.Usage{}) {
		done.Usage = &usage
	}
	sink.Emit(agent.DoneEvent(done))
}

func (s *RecordingSink) Emit(ev agent.Event) {
	s.mu.Lock()
	s.events = append(s.events, ev)
	f := s.OnEmit
	s.mu.Unlock()
	if f != nil {
		f(ev)
	}
}

func (s *RecordingSink) Save(_ context.Context, r agent.Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.SaveErr != nil {
		return s.SaveErr
	}
	s.records = append(s.records, r)
	return nil
}

// Events returns the events as plain JSON values: {"event", "data"}.
func (s *RecordingSink) Events() []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]map[string]any, 0, len(s.events))
	for _, ev := range s.events {
		b, err := json.Marshal(ev)
		if err != nil {
			panic(fmt.Sprintf("event %s does not marshal: %v", ev.Event, err))
		}
		var m map[string]any
		_ = json.Unmarshal(b, &m)
		out = append(out, m)
	}
	return out
}

// Records returns the saved records.
func (s *RecordingSink) Records() []agent.Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]agent.Record(nil), s.records...)
}

// Titles returns the saved titles.
func (s *RecordingSink) Titles() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.titles...)
}

// EventNames lists the events' names, in order.
func (s *RecordingSink) EventNames() []string {
	var out []string
	for _, ev := range s.Events() {
		out = append(out, ev["event"].(string))
	}
	return out
}

// Text joins the text deltas emitted.
func (s *RecordingSink) Text() string {
	var out string
	for _, ev := range s.Events() {
		if ev["event"] == string(agent.EventText) {
			out += ev["data"].(map[string]any)["text"].(string)
		}
	}
	return out
}

// Of returns the data of the events named name.
func (s *RecordingSink) Of(name agent.EventName) []map[string]any {
	var out []map[string]any
	for _, ev := range s.Events() {
		if ev["event"] == string(name) {
			d, _ := ev["data"].(map[string]any)
			out = append(out, d)
		}
	}
	return out
}
