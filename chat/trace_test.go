package chat

import (
	"encoding/json"
	"testing"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/agent/llm/anthropic/anthropictest"
	"github.com/analyzerhq/analyzer/trace"
)

// TestTraceModelAnswer: a model's answer with two figures from its query
// result and one invented is traced when its text is kept; done carries
// the trace, the stored text keeps it, and a reload returns it.
func TestTraceModelAnswer(t *testing.T) {
	f := newFixture(t, claude(
		anthropictest.Stream(anthropictest.Text("Counting the weather."),
			anthropictest.Tool("toolu_1", "generate_query", map[string]any{"sql": goodSQL})),
		anthropictest.Stream(anthropictest.Text("**Sun** is the most common weather with ", "**70** days, then rain with 30; hail fell on 999 days.")),
		anthropictest.Message("Most common weather"),
	), 0)
	evs := f.turn(Command{Type: CommandMessage, Text: "What is the most common weather in 2024?"}, nil)
	d := doneOf(t, evs)
	if d.Trace == nil || d.Trace.Figures != 3 || d.Trace.Traced != 2 || d.Trace.Untraced != 1 || len(d.Trace.Parts) != 2 {
		t.Fatalf("done's trace: %+v", d.Trace)
	}
	if n := len(d.Trace.Parts[0].Figures); n != 0 {
		t.Errorf("the first text has %d figures", n)
	}
	figs := d.Trace.Parts[1].Figures
	got := []string{}
	for _, fg := range figs {
		s := fg.Text + "→"
		if fg.Source != nil {
			s += fg.Source.Column
		}
		got = append(got, s)
	}
	if want := []string{"70→n", "30→n", "999→"}; !equal(got, want) {
		t.Errorf("figures %q, want %q", got, want)
	}
	if src := figs[0].Source; src.Row != 0 || src.Result != 0 || src.MessageID == "" || src.Kind != trace.KindCell {
		t.Errorf("source of 70: %+v", src)
	}

	// The reload: each text carries its trace as its data, the result it
	// names is the turn's query result.
	msgs := f.transcript()
	sameAsReload(t, evs, msgs)
	var texts []trace.Part
	resultIDs := map[string]bool{}
	for _, m := range msgs {
		switch m.Type {
		case agent.TypeText:
			if m.Role == agent.RoleAssistant {
				var p trace.Part
				mustUnmarshal(t, m.Data, &p)
				if d.Trace.Parts[len(texts)].MessageID != m.ID {
					t.Errorf("done names text %q, stored as %q", d.Trace.Parts[len(texts)].MessageID, m.ID)
				}
				p.MessageID = m.ID
				texts = append(texts, p)
			}
		case agent.TypeQueryResult:
			resultIDs[m.ID] = true
		}
	}
	live, _ := json.Marshal(d.Trace.Parts)
	stored, _ := json.Marshal(texts)
	if string(live) != string(stored) {
		t.Errorf("the reload's traces differ from done's:\nsent   %s\nstored %s", live, stored)
	}
	if !resultIDs[figs[0].Source.MessageID] {
		t.Errorf("the source names %q, not a stored result", figs[0].Source.MessageID)
	}
}

// TestTraceNothingToTrace: SQL typed by the user has no text to trace.
func TestTraceNothingToTrace(t *testing.T) {
	f := newFixture(t, builtinAnalyst, 0)
	if d := doneOf(t, f.turn(Command{Type: CommandMessage, Text: goodSQL}, nil)); d.Trace != nil {
		t.Errorf("trace %+v", d.Trace)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
