package anthropic_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/agent/llm"
	"github.com/analyzerhq/analyzer/agent/llm/anthropic"
	"github.com/analyzerhq/analyzer/agent/llm/anthropic/anthropictest"
	"github.com/analyzerhq/analyzer/apperr"
)

func newModel(t *testing.T, srv *anthropictest.Server, timeout time.Duration) *anthropic.Model {
	t.Helper()
	m, err := anthropic.New(anthropic.Config{APIKey: "sk-test", BaseURL: srv.URL, Timeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

var tools = []llm.ToolSpec{
	{Name: "generate_query", Description: "run sql", InputSchema: json.RawMessage(`{"type":"object","properties":{"sql":{"type":"string"}},"required":["sql"],"additionalProperties":false}`)},
	{Name: "create_plot", Description: "draw", InputSchema: json.RawMessage(`{"type":"object","properties":{"title":{"type":"string"}},"required":["title"]}`)},
}

func TestNewNeedsKey(t *testing.T) {
	if _, err := anthropic.New(anthropic.Config{}); err == nil {
		t.Fatal("New without a key: want an error")
	}
}

func TestStreamWireFormat(t *testing.T) {
	srv := anthropictest.New(t, anthropictest.Stream(
		anthropictest.Text("Let me ", "look."),
		anthropictest.Tool("toolu_1", "generate_query", map[string]any{"sql": "SELECT weather, count(*) AS n FROM data GROUP BY 1"}),
	))
	m := newModel(t, srv, 0)
	var deltas []string
	var blocks []int
	req := llm.Request{
		System: "You are an analyst.",
		Messages: []llm.Message{
			{Role: agent.RoleUser, Content: []llm.Block{llm.TextBlock("first question")}},
			{Role: agent.RoleAssistant, Content: []llm.Block{{Type: llm.BlockToolUse, ID: "toolu_0", Name: "generate_query", Input: json.RawMessage(`{"sql":"SELECT 1"}`)}}},
			{Role: agent.RoleUser, Content: []llm.Block{{Type: llm.BlockToolResult, ToolUseID: "toolu_0", Text: "Query failed: boom", IsError: true}, llm.TextBlock("and now?")}},
		},
		Tools:     tools,
		MaxTokens: 1000,
	}
	resp, err := m.Stream(context.Background(), req, func(block int, d string) {
		deltas = append(deltas, d)
		blocks = append(blocks, block)
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(deltas, "|"); got != "Let me |look." {
		t.Errorf("deltas = %q", got)
	}
	if blocks[0] != 0 || blocks[1] != 0 {
		t.Errorf("delta blocks = %v, want 0s", blocks)
	}
	if resp.StopReason != llm.StopToolUse {
		t.Errorf("stop reason = %q", resp.StopReason)
	}
	if len(resp.Content) != 2 || resp.Content[0].Text != "Let me look." {
		t.Fatalf("content = %+v", resp.Content)
	}
	call := resp.Content[1]
	var in map[string]string
	if err := json.Unmarshal(call.Input, &in); err != nil || call.ID != "toolu_1" || call.Name != "generate_query" ||
		in["sql"] != "SELECT weather, count(*) AS n FROM data GROUP BY 1" {
		t.Errorf("tool call = %+v (%v)", call, err)
	}
	want := agent.Usage{InputTokens: 100, OutputTokens: 20, CacheReadTokens: 50, CacheWriteTokens: 10}
	if resp.Usage != want {
		t.Errorf("usage = %+v, want %+v", resp.Usage, want)
	}

	reqs := srv.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	r := reqs[0]
	if got := r.Header.Get("Authorization"); got != "Bearer sk-test" && r.Header.Get("X-Api-Key") != "sk-test" {
		t.Errorf("no API key sent: Authorization %q", got)
	}
	if r.Header.Get("Anthropic-Version") == "" {
		t.Error("no anthropic-version header")
	}
	if !r.Stream() || r.Model() != anthropic.DefaultModel {
		t.Errorf("stream %v model %q", r.Stream(), r.Model())
	}
	if mt, _ := r.Body["max_tokens"].(float64); mt != 1000 {
		t.Errorf("max_tokens = %v", r.Body["max_tokens"])
	}
	system, _ := r.Body["system"].([]any)
	if len(system) != 1 || !hasCacheControl(system[0]) {
		t.Errorf("system = %v, want one cached block", r.Body["system"])
	}
	ts, _ := r.Body["tools"].([]any)
	if len(ts) != 2 || hasCacheControl(ts[0]) || !hasCacheControl(ts[1]) {
		t.Errorf("tools = %v, want the last one cached", ts)
	}
	if _, ok := r.Body["tool_choice"]; ok {
		t.Errorf("tool_choice sent without NoTools: %v", r.Body["tool_choice"])
	}
	msgs := r.Messages()
	if len(msgs) != 3 {
		t.Fatalf("messages = %v", msgs)
	}
	last := msgs[2]["content"].([]any)
	result := last[0].(map[string]any)
	if result["type"] != "tool_result" || result["tool_use_id"] != "toolu_0" || result["is_error"] != true {
		t.Errorf("tool result = %v", result)
	}
	if !hasCacheControl(last[1]) {
		t.Errorf("last block not cached: %v", last[1])
	}
	use := msgs[1]["content"].([]any)[0].(map[string]any)
	if use["type"] != "tool_use" || use["id"] != "toolu_0" || use["input"].(map[string]any)["sql"] != "SELECT 1" {
		t.Errorf("tool use = %v", use)
	}
}

func hasCacheControl(v any) bool {
	m, _ := v.(map[string]any)
	cc, _ := m["cache_control"].(map[string]any)
	return cc["type"] == "ephemeral"
}

func TestNoToolsSetsToolChoice(t *testing.T) {
	srv := anthropictest.New(t, anthropictest.Stream(anthropictest.Text("done")))
	m := newModel(t, srv, 0)
	_, err := m.Stream(context.Background(), llm.Request{
		Messages: []llm.Message{{Role: agent.RoleUser, Content: []llm.Block{llm.TextBlock("hi")}}},
		Tools:    tools, NoTools: true, MaxTokens: 10,
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	tc, _ := srv.Requests()[0].Body["tool_choice"].(map[string]any)
	if tc["type"] != "none" {
		t.Errorf("tool_choice = %v, want none", tc)
	}
}

func TestComplete(t *testing.T) {
	srv := anthropictest.New(t, anthropictest.Message("Most common weather"))
	m, err := anthropic.New(anthropic.Config{APIKey: "k", BaseURL: srv.URL, TitleModel: "claude-title"})
	if err != nil {
		t.Fatal(err)
	}
	out, err := m.Complete(context.Background(), llm.CompletionRequest{System: "s", Prompt: "name it", MaxTokens: 20})
	if err != nil || out != "Most common weather" {
		t.Fatalf("Complete = %q, %v", out, err)
	}
	r := srv.Requests()[0]
	if r.Stream() || r.Model() != "claude-title" {
		t.Errorf("stream %v model %q", r.Stream(), r.Model())
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name      string
		reply     anthropictest.Reply
		timeout   time.Duration
		kind      apperr.Kind
		retryable bool
		message   string
		wait      time.Duration
	}{
		{"rejected key", anthropictest.Unauthorized(), 0, apperr.Unavailable, false, "API key was rejected", 0},
		{"forbidden", anthropictest.Error(403, "permission_error", "no", nil), 0, apperr.Unavailable, false, "not allowed", 0},
		{"unknown model", anthropictest.Error(404, "not_found_error", "model: x", nil), 0, apperr.Unavailable, false, "was not found", 0},
		{"rate limited", anthropictest.RateLimited("3"), 0, apperr.TooMany, true, "rate limit", 3 * time.Second},
		{"overloaded", anthropictest.Overloaded(), 0, apperr.Unavailable, true, "overloaded", 0},
		{"internal", anthropictest.Error(500, "api_error", "oops", nil), 0, apperr.Unavailable, true, "internal error", 0},
		{"bad request", anthropictest.Error(400, "invalid_request_error", "prompt is too long", nil), 0, apperr.Invalid, false, "prompt is too long", 0},
		{"overloaded mid-stream", anthropictest.Reply{Frames: []anthropictest.Frame{anthropictest.StreamError("overloaded_error", "Overloaded")}}, 0, apperr.Unavailable, true, "overloaded", 0},
		{"timeout", anthropictest.Reply{HangHeaders: true}, 300 * time.Millisecond, apperr.Timeout, false, "took too long", 0},
		{"stalled stream", anthropictest.Reply{Frames: anthropictest.Partial("Hel"), Hang: true}, 300 * time.Millisecond, apperr.Timeout, false, "took too long", 0},
		{"dropped connection", anthropictest.Reply{Frames: anthropictest.Partial("Hel"), Drop: true}, 0, apperr.Unavailable, true, "connection to the model was lost", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := anthropictest.New(t, tc.reply)
			m := newModel(t, srv, tc.timeout)
			start := time.Now()
			_, err := m.Stream(context.Background(), llm.Request{
				Messages:  []llm.Message{{Role: agent.RoleUser, Content: []llm.Block{llm.TextBlock("hi")}}},
				MaxTokens: 10,
			}, nil)
			if err == nil {
				t.Fatal("want an error")
			}
			if time.Since(start) > 5*time.Second {
				t.Errorf("took %v", time.Since(start))
			}
			if got := apperr.KindOf(err); got != tc.kind {
				t.Errorf("kind = %s, want %s (%v)", got, tc.kind, err)
			}
			if got := llm.IsRetryable(err); got != tc.retryable {
				t.Errorf("retryable = %v, want %v", got, tc.retryable)
			}
			if msg := apperr.MessageOf(err); !strings.Contains(msg, tc.message) {
				t.Errorf("message = %q, want it to contain %q", msg, tc.message)
			}
			if e, _ := apperr.As(err); e.RetryAfter != tc.wait {
				t.Errorf("retry after = %v, want %v", e.RetryAfter, tc.wait)
			}
			if n := len(srv.Requests()); n != 1 {
				t.Errorf("%d requests: the SDK must not retry on its own", n)
			}
		})
	}
}

func TestStopCancelsStream(t *testing.T) {
	srv := anthropictest.New(t, anthropictest.Reply{Frames: anthropictest.Partial("Hello", " wor"), Hang: true})
	m := newModel(t, srv, 0)
	ctx, cancel := context.WithCancel(context.Background())
	var got strings.Builder
	start := time.Now()
	resp, err := m.Stream(ctx, llm.Request{
		Messages:  []llm.Message{{Role: agent.RoleUser, Content: []llm.Block{llm.TextBlock("hi")}}},
		MaxTokens: 10,
	}, func(_ int, d string) {
		got.WriteString(d)
		if got.String() == "Hello wor" {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if time.Since(start) > time.Second {
		t.Errorf("stop took %v", time.Since(start))
	}
	if resp == nil || len(resp.Content) != 1 || resp.Content[0].Text != "Hello wor" {
		t.Errorf("partial response = %+v", resp)
	}
}
