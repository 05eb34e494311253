package chat

import (
	"context"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/agent/llm/anthropic/anthropictest"
	"github.com/analyzerhq/analyzer/agent/llm/openai/openaitest"
	"github.com/analyzerhq/analyzer/analysts"
	"github.com/analyzerhq/analyzer/config"
	"github.com/analyzerhq/analyzer/storage"
)

// withAnalysts answers the fixture's turns through an analysts set built
// from cfg, as the application does.
func (f *fixture) withAnalysts(cfg config.Config, budget int64) *analysts.Set {
	f.t.Helper()
	set := analysts.New(cfg, f.engine, analysts.Options{DiscoveryTimeout: 2 * time.Second})
	an, _ := set.Resolve("")
	f.chats = New(f.store, agent.New(f.engine, an, nil), f.engine, Options{TurnTimeout: time.Minute, Analysts: set, MonthlyTokenBudget: budget})
	return set
}

func claudeConfig(url string) config.Config {
	return config.Config{Anthropic: config.Anthropic{APIKey: "sk-ant-test-0000", BaseURL: url,
		Model: "claude-sonnet-4-5", TitleModel: "claude-haiku-4-5"}}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// The fake's usage (input 100, output 20, cache read 50, cache write 10
// per call) priced at Sonnet 4's list price.
const sonnetCallUSD = (100*3 + 20*15 + 50*0.30 + 10*3.75) / 1e6

func TestUsageAndCostPerAnswerAndPerSession(t *testing.T) {
	srv := anthropictest.New(t,
		// A first answer of two model calls: a query, then the text.
		anthropictest.Stream(anthropictest.Tool("toolu_1", "generate_query", map[string]any{"sql": "SELECT count(*) AS n FROM data"})),
		anthropictest.Stream(anthropictest.Text("There are ", "rows.")),
		anthropictest.Message("Weather"),
		// A second answer of one call.
		anthropictest.Stream(anthropictest.Text("Again.")),
	)
	f := newFixture(t, builtinAnalyst, time.Minute)
	f.withAnalysts(claudeConfig(srv.URL), 0)

	d := doneOf(t, f.turn(Command{Type: CommandMessage, Text: "how many rows?"}, nil))
	perCall := agent.Usage{InputTokens: 100, OutputTokens: 20, CacheReadTokens: 50, CacheWriteTokens: 10}
	two := perCall
	two.Add(perCall)
	if d.Usage == nil || *d.Usage != two {
		t.Fatalf("answer usage %+v, want %+v", d.Usage, two)
	}
	if d.Model == nil || d.Model.Name != "anthropic" || d.Model.Model != "claude-sonnet-4-5" || d.Model.Local {
		t.Fatalf("answer model %+v", d.Model)
	}
	if d.Cost == nil || !near(d.Cost.USD, 2*sonnetCallUSD) || d.Cost.Local || d.Cost.Unknown {
		t.Fatalf("answer cost %+v, want %v", d.Cost, 2*sonnetCallUSD)
	}
	if d.SessionUsage == nil || d.SessionUsage.Usage != two || !near(d.SessionUsage.Cost.USD, 2*sonnetCallUSD) {
		t.Fatalf("session usage %+v", d.SessionUsage)
	}

	d = doneOf(t, f.turn(Command{Type: CommandMessage, Text: "and again?"}, nil))
	if d.Usage == nil || *d.Usage != perCall || !near(d.Cost.USD, sonnetCallUSD) {
		t.Fatalf("second answer %+v %+v", d.Usage, d.Cost)
	}
	three := two
	three.Add(perCall)
	if d.SessionUsage.Usage != three || !near(d.SessionUsage.Cost.USD, 3*sonnetCallUSD) {
		t.Fatalf("session after two answers %+v", d.SessionUsage)
	}

	// A reload shows each answer's model, tokens and cost on its last part.
	var answers []*agent.AnswerUsage
	for _, m := range f.transcript() {
		if m.Answer != nil {
			answers = append(answers, m.Answer)
		}
	}
	if len(answers) != 2 {
		t.Fatalf("%d answers carry usage, want 2", len(answers))
	}
	if answers[0].Usage != two || !near(answers[0].Cost.USD, 2*sonnetCallUSD) || answers[0].Model.Model != "claude-sonnet-4-5" {
		t.Fatalf("first answer on reload %+v", answers[0])
	}
	if answers[1].Usage != perCall {
		t.Fatalf("second answer on reload %+v", answers[1])
	}
	// The month's count for the budget has every token.
	used, err := f.store.MonthlyTokens(context.Background(), f.session.UserID, storage.Month(time.Now()))
	if err != nil || used != three.Tokens() {
		t.Fatalf("month's tokens %d (%v), want %d", used, err, three.Tokens())
	}
}

func TestBudgetRefusalFallsBackToBuiltin(t *testing.T) {
	srv := anthropictest.New(t, anthropictest.Stream(anthropictest.Text("Hello.")), anthropictest.Message("Weather"))
	f := newFixture(t, builtinAnalyst, time.Minute)
	f.withAnalysts(claudeConfig(srv.URL), 150) // one call uses 180 tokens

	d := doneOf(t, f.turn(Command{Type: CommandMessage, Text: "hello"}, nil))
	if d.Model == nil || d.Model.Name != "anthropic" {
		t.Fatalf("first turn answered by %+v", d.Model)
	}
	// Past the budget: no model call (the fake's script is spent, a call
	// would fail the test), a notice, and the built-in analyst answers.
	evs := f.turn(Command{Type: CommandMessage, Text: "how many rows are there?"}, nil)
	var notice *agent.NoticeData
	for _, ev := range evs {
		if ev.Event == agent.EventNotice {
			notice = new(agent.NoticeData)
			mustUnmarshal(t, ev.Data.(json.RawMessage), notice)
		}
	}
	if notice == nil || !containsAll(notice.Message, "budget", "180", "150", "built-in analyst") {
		t.Fatalf("notice %+v in %s", notice, eventNames(evs))
	}
	d = doneOf(t, evs)
	if d.Model == nil || d.Model.Name != "builtin" || d.Cost == nil || !d.Cost.Local {
		t.Fatalf("over budget answered by %+v at %+v", d.Model, d.Cost)
	}
	if n := len(srv.Requests()); n != 2 {
		t.Fatalf("%d requests to the model, want 2 (the first answer and its title)", n)
	}
	// Plain SQL needs no model: no notice.
	evs = f.turn(Command{Type: CommandMessage, Text: "SELECT 1"}, nil)
	for _, ev := range evs {
		if ev.Event == agent.EventNotice {
			t.Fatal("a SQL turn got the budget notice")
		}
	}
	if d := doneOf(t, evs); d.Model != nil {
		t.Fatalf("a SQL turn names a model: %+v", d.Model)
	}
}

func TestSessionSwitchesModelBetweenTurns(t *testing.T) {
	srv := anthropictest.New(t, anthropictest.Stream(anthropictest.Text("From Claude.")), anthropictest.Message("Weather"))
	local := openaitest.New(t, []string{"llama3.1:8b", "qwen2.5"},
		openaitest.Answer(openaitest.Usage{Prompt: 1200, Completion: 40}, "From ", "llama."))
	f := newFixture(t, builtinAnalyst, time.Minute)
	cfg := claudeConfig(srv.URL)
	cfg.Models.LocalModelPorts = []int{local.Port()}
	set := f.withAnalysts(cfg, 0)
	if found := set.Discover(context.Background()); len(found) != 1 || len(found[0].Models) != 2 {
		t.Fatalf("found %+v", found)
	}
	ctx := context.Background()

	d := doneOf(t, f.turn(Command{Type: CommandMessage, Text: "hello"}, nil))
	if d.Model.Name != "anthropic" {
		t.Fatalf("default answered by %+v", d.Model)
	}

	id := "local:" + strconv.Itoa(local.Port()) + ":llama3.1:8b"
	if !set.Offers(id) {
		t.Fatalf("%s not offered among %+v", id, set.Choices())
	}
	if err := f.store.SetModelChoice(ctx, f.session.ID, id); err != nil {
		t.Fatal(err)
	}
	d = doneOf(t, f.turn(Command{Type: CommandMessage, Text: "hello again"}, nil))
	if d.Model == nil || d.Model.Name != "openai" || d.Model.Model != "llama3.1:8b" || !d.Model.Local {
		t.Fatalf("switched turn answered by %+v", d.Model)
	}
	if d.Usage == nil || d.Usage.InputTokens != 1200 || d.Usage.OutputTokens != 40 || d.Cost == nil || !d.Cost.Local || d.Cost.USD != 0 {
		t.Fatalf("local answer usage %+v cost %+v", d.Usage, d.Cost)
	}
	if reqs := local.Requests(); reqs[len(reqs)-1].Model() != "llama3.1:8b" {
		t.Fatalf("the local server was asked for %q", reqs[len(reqs)-1].Model())
	}
	// The session's cost is Claude's answer alone: the local one is free.
	if !near(d.SessionUsage.Cost.USD, sonnetCallUSD) || d.SessionUsage.Usage.InputTokens != 100+1200 {
		t.Fatalf("session %+v", d.SessionUsage)
	}

	if err := f.store.SetModelChoice(ctx, f.session.ID, analysts.BuiltinID); err != nil {
		t.Fatal(err)
	}
	d = doneOf(t, f.turn(Command{Type: CommandMessage, Text: "how many rows are there?"}, nil))
	if d.Model.Name != "builtin" || d.Usage != nil {
		t.Fatalf("built-in turn %+v usage %+v", d.Model, d.Usage)
	}
	// Each answer keeps who answered it.
	var names []string
	for _, m := range f.transcript() {
		if m.Answer != nil {
			names = append(names, m.Answer.Model.Name+"/"+m.Answer.Model.Model)
		}
	}
	if got := strings.Join(names, " "); got != "anthropic/claude-sonnet-4-5 openai/llama3.1:8b builtin/" {
		t.Fatalf("answers by %s", got)
	}
}

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}
