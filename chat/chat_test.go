package chat

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/agent/llm/anthropic/anthropictest"
	"github.com/analyzerhq/analyzer/apperr"
	"github.com/analyzerhq/analyzer/storage"
)

const (
	goodSQL   = "SELECT weather, count(*) AS n FROM data GROUP BY weather ORDER BY n DESC"
	badSQL    = "SELECT wether, count(*) AS n FROM data GROUP BY wether"
	slowQuery = "SELECT count(*) FROM range(1000000000000) t(i) WHERE i % 7 = 123"
)

var barSpec = map[string]any{
	"mark": "bar",
	"encoding": map[string]any{
		"x": map[string]any{"field": "weather", "type": "nominal"},
		"y": map[string]any{"field": "n", "type": "quantitative"},
	},
}

// stopOn returns a callback that stops the turn at the first event named.
func stopOn(name agent.EventName) func(*Turn, agent.Event) {
	return func(t *Turn, ev agent.Event) {
		if ev.Event == name {
			t.Stop()
		}
	}
}

// TestReloadShowsWhatWasSent: for every way a turn is answered, what a
// reload returns is exactly what the events showed, the stop included.
func TestReloadShowsWhatWasSent(t *testing.T) {
	tests := []struct {
		name    string
		analyst analystFor
		cmd     Command
		onSend  func(*Turn, agent.Event)
		stopped bool
	}{
		{name: "SQL mode", analyst: builtinAnalyst, cmd: Command{Type: CommandMessage, Text: goodSQL}},
		{name: "SQL mode, failing", analyst: builtinAnalyst, cmd: Command{Type: CommandMessage, Text: badSQL}},
		{name: "built-in analyst", analyst: builtinAnalyst, cmd: Command{Type: CommandMessage, Text: "average temp_max by weather"}},
		{name: "built-in auto-analysis", analyst: builtinAnalyst, cmd: Command{Type: CommandAutoAnalyze}},
		{name: "tool-using model turn", analyst: claude(
			anthropictest.Stream(anthropictest.Text("Let me ", "count the weather."),
				anthropictest.Tool("toolu_1", "generate_query", map[string]any{"sql": badSQL})),
			anthropictest.Stream(anthropictest.Tool("toolu_2", "generate_query", map[string]any{"sql": goodSQL})),
			anthropictest.Stream(anthropictest.Tool("toolu_3", "create_plot", map[string]any{"title": "Weather", "sql": goodSQL, "vega_lite_spec": barSpec})),
			anthropictest.Stream(anthropictest.Text("**Sun** is the most common ", "weather.")),
			anthropictest.Message("Most common weather"),
		), cmd: Command{Type: CommandMessage, Text: "What is the most common weather?"}},
		{name: "model stopped mid-answer", analyst: claude(
			anthropictest.Reply{Frames: anthropictest.Partial("The most ", "common"), Hang: true},
		), cmd: Command{Type: CommandMessage, Text: "What is the most common weather?"}, onSend: stopOn(agent.EventText), stopped: true},
		{name: "stopped during a query", analyst: builtinAnalyst, cmd: Command{Type: CommandMessage, Text: slowQuery},
			onSend: stopOn(agent.EventStatus), stopped: true},
		{name: "model stopped during a tool call", analyst: claude(
			anthropictest.Stream(anthropictest.Text("Counting."),
				anthropictest.Tool("toolu_1", "generate_query", map[string]any{"sql": slowQuery})),
		), cmd: Command{Type: CommandMessage, Text: "count"}, onSend: stopOn(agent.EventStatus), stopped: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, tc.analyst, 0)
			evs := f.turn(tc.cmd, tc.onSend)
			sameAsReload(t, evs, f.transcript())
			if _, stopped := liveParts(t, evs); stopped != tc.stopped {
				t.Errorf("stopped = %v: %s", stopped, eventNames(evs))
			}
			// The user's message comes first, with the id the event gave.
			var um agent.UserMessageData
			mustUnmarshal(t, evs[0].Data.(json.RawMessage), &um)
			msgs := f.transcript()
			if msgs[0].ID != um.ID || msgs[0].Role != agent.RoleUser || msgs[0].Kind != um.Kind {
				t.Errorf("user message %+v, event %+v", msgs[0], um)
			}
		})
	}
}

// TestAutoAnalyzeKind: an auto-analysis is stored with its kind, shown as
// such, and replayed as a request for an overview.
func TestAutoAnalyzeKind(t *testing.T) {
	f := newFixture(t, builtinAnalyst, 0)
	f.turn(Command{Type: CommandAutoAnalyze}, nil)
	msgs := f.transcript()
	if msgs[0].Kind != agent.KindAutoAnalyze || msgs[0].Text != AutoAnalyzeText || len(msgs[0].Data) != 0 {
		t.Fatalf("user message %+v", msgs[0])
	}
	all, err := f.store.ListMessages(context.Background(), f.session.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r := Records(all)[0]; r.Kind != agent.KindAutoAnalyze {
		t.Errorf("record %+v", r)
	}
}

func userIDs(msgs []Message) []string {
	var out []string
	for _, m := range msgs {
		if m.Role == agent.RoleUser {
			out = append(out, m.ID)
		}
	}
	return out
}

// TestRetry: a retried question keeps its message; the answers after it
// are replaced in the conversation and marked so in storage.
func TestRetry(t *testing.T) {
	f := newFixture(t, builtinAnalyst, 0)
	f.turn(Command{Type: CommandMessage, Text: goodSQL}, nil)
	f.turn(Command{Type: CommandMessage, Text: "SELECT count(*) AS n FROM data"}, nil)
	before := f.transcript()
	q1 := userIDs(before)[0]

	evs := f.turn(Command{Type: CommandRetry, MessageID: q1}, nil)
	var um agent.UserMessageData
	mustUnmarshal(t, evs[0].Data.(json.RawMessage), &um)
	if um.ID != q1 || um.Replaces != q1 || um.Text != goodSQL {
		t.Errorf("user_message %+v", um)
	}
	after := f.transcript()
	if ids := userIDs(after); len(ids) != 1 || ids[0] != q1 {
		t.Fatalf("questions after the retry: %v", ids)
	}
	sameAsReload(t, evs, after)

	all, err := f.store.ListAllMessages(context.Background(), f.session.ID)
	if err != nil {
		t.Fatal(err)
	}
	replaced := 0
	for _, m := range all {
		if m.SupersededBy != nil {
			replaced++
			if *m.SupersededBy != q1 {
				t.Errorf("%s replaced by %s", m.ID, *m.SupersededBy)
			}
		}
	}
	// The first answer, the second question and its answer.
	if replaced != len(before)-1 {
		t.Errorf("%d messages marked replaced, want %d", replaced, len(before)-1)
	}
}

// TestEditResend: an edited question replaces the old one and everything
// after it; the new one is answered as the first of the conversation.
func TestEditResend(t *testing.T) {
	f := newFixture(t, builtinAnalyst, 0)
	f.turn(Command{Type: CommandMessage, Text: "SELECT 1 AS one"}, nil)
	f.turn(Command{Type: CommandMessage, Text: "SELECT 2 AS two"}, nil)
	q1 := userIDs(f.transcript())[0]

	evs := f.turn(Command{Type: CommandEdit, MessageID: q1, Text: goodSQL}, nil)
	var um agent.UserMessageData
	mustUnmarshal(t, evs[0].Data.(json.RawMessage), &um)
	if um.ID == q1 || um.Replaces != q1 || um.Text != goodSQL {
		t.Errorf("user_message %+v", um)
	}
	msgs := f.transcript()
	if ids := userIDs(msgs); len(ids) != 1 || ids[0] != um.ID || msgs[0].Text != goodSQL {
		t.Fatalf("conversation after the edit: %+v", msgs)
	}
	sameAsReload(t, evs, msgs)
	// A first exchange again: the session is named after it.
	if !hasEvent(evs, agent.EventSessionUpdate) {
		t.Errorf("no new title: %s", eventNames(evs))
	}
	all, _ := f.store.ListAllMessages(context.Background(), f.session.ID)
	for _, m := range all {
		current := isAfter(all, m.ID, um.ID)
		if current != (m.SupersededBy == nil) || (!current && *m.SupersededBy != um.ID) {
			t.Errorf("message %s %q: superseded_by %v", m.ID, m.Text, m.SupersededBy)
		}
	}
}

// isAfter reports whether id comes after (or is) ref in stored order.
func isAfter(all []storage.Message, id, ref string) bool {
	seen := false
	for _, m := range all {
		if m.ID == ref {
			seen = true
		}
		if m.ID == id {
			return seen
		}
	}
	return false
}

func hasEvent(evs []agent.Event, name agent.EventName) bool {
	for _, ev := range evs {
		if ev.Event == name {
			return true
		}
	}
	return false
}

// TestStopDuringRetry: a retry stopped mid-answer keeps what it produced,
// marked stopped, and the answer it replaced stays replaced.
func TestStopDuringRetry(t *testing.T) {
	f := newFixture(t, claude(
		anthropictest.Stream(anthropictest.Text("Sun, mostly.")),
		anthropictest.Message("Weather"),
		anthropictest.Reply{Frames: anthropictest.Partial("Looking ", "again"), Hang: true},
	), 0)
	f.turn(Command{Type: CommandMessage, Text: "What is the most common weather?"}, nil)
	q1 := userIDs(f.transcript())[0]
	evs := f.turn(Command{Type: CommandRetry, MessageID: q1}, stopOn(agent.EventText))
	msgs := f.transcript()
	sameAsReload(t, evs, msgs)
	if len(msgs) != 2 || !msgs[1].Stopped || msgs[1].Text == "Sun, mostly." {
		t.Fatalf("conversation after a stopped retry: %+v", msgs)
	}
}

// TestRetryRefusals: only a question of the current conversation can be
// retried or edited.
func TestRetryRefusals(t *testing.T) {
	f := newFixture(t, builtinAnalyst, 0)
	f.turn(Command{Type: CommandMessage, Text: "SELECT 1 AS one"}, nil)
	msgs := f.transcript()
	ctx := context.Background()
	for _, tc := range []struct {
		cmd  Command
		kind apperr.Kind
	}{
		{Command{Type: CommandRetry, MessageID: msgs[1].ID}, apperr.Invalid},
		{Command{Type: CommandRetry, MessageID: "0190a0a0-0000-7000-8000-000000000001"}, apperr.NotFound},
		{Command{Type: CommandEdit, MessageID: msgs[1].ID, Text: "x"}, apperr.Invalid},
	} {
		if _, err := f.chats.Begin(ctx, f.session, tc.cmd, func(agent.Event) {}); apperr.KindOf(err) != tc.kind {
			t.Errorf("%+v: %v, want %v", tc.cmd, err, tc.kind)
		}
	}
	if got := f.transcript(); len(got) != len(msgs) {
		t.Errorf("a refused retry changed the conversation: %d messages", len(got))
	}
}
