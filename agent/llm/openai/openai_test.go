package openai

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/agent/llm"
	"github.com/analyzerhq/analyzer/apperr"
)

// ---- a fake server speaking Chat Completions --------------------------

// reply answers one request.
type reply func(w http.ResponseWriter, r *http.Request)

// fakeServer plays scripted replies in order and keeps the requests.
type fakeServer struct {
	t       *testing.T
	srv     *httptest.Server
	mu      sync.Mutex
	replies []reply
	bodies  []map[string]any
	headers []http.Header
	paths   []string
}

func newFake(t *testing.T, replies ...reply) *fakeServer {
	t.Helper()
	f := &fakeServer{t: t, replies: replies}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			t.Errorf("request body is not JSON: %v: %s", err, body)
		}
		f.mu.Lock()
		n := len(f.bodies)
		f.bodies = append(f.bodies, m)
		f.headers = append(f.headers, r.Header.Clone())
		f.paths = append(f.paths, r.URL.Path)
		f.mu.Unlock()
		if n >= len(f.replies) {
			t.Errorf("unexpected request %d", n+1)
			http.Error(w, `{"error":{"message":"no more replies"}}`, http.StatusInternalServerError)
			return
		}
		f.replies[n](w, r)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeServer) model(t *testing.T, mod ...func(*Config)) *Model {
	t.Helper()
	cfg := Config{BaseURL: f.srv.URL + "/v1", APIKey: "sk-test", Model: "local-model", Timeout: 10 * time.Second}
	for _, fn := range mod {
		fn(&cfg)
	}
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func (f *fakeServer) body(i int) map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.bodies[i]
}

func (f *fakeServer) calls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.bodies)
}

// chunk is one Chat Completions stream chunk with the given delta.
func chunk(delta map[string]any, finish string) string {
	var fr any
	if finish != "" {
		fr = finish
	}
	b, _ := json.Marshal(map[string]any{
		"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1700000000, "model": "local-model",
		"choices": []any{map[string]any{"index": 0, "delta": delta, "finish_reason": fr}},
	})
	return string(b)
}

func textChunk(s string) string { return chunk(map[string]any{"content": s}, "") }

func roleChunk() string { return chunk(map[string]any{"role": "assistant", "content": ""}, "") }

// toolChunk is a tool_calls delta: id and name on the first one, argument
// fragments on the rest.
func toolChunk(index int, id, name, args string) string {
	tc := map[string]any{"index": index, "function": map[string]any{"arguments": args}}
	if id != "" {
		tc["id"] = id
		tc["type"] = "function"
	}
	if name != "" {
		tc["function"].(map[string]any)["name"] = name
	}
	return chunk(map[string]any{"tool_calls": []any{tc}}, "")
}

func finishChunk(reason string) string { return chunk(map[string]any{}, reason) }

func usageChunk(prompt, completion, cached int) string {
	b, _ := json.Marshal(map[string]any{
		"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1700000000, "model": "local-model",
		"choices": []any{},
		"usage": map[string]any{"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion,
			"prompt_tokens_details": map[string]any{"cached_tokens": cached}},
	})
	return string(b)
}

const done = "[DONE]"

// sse replies with the frames as a text/event-stream, one data line each,
// flushed one by one as a real server streams them.
func sse(frames ...string) reply {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		w.WriteHeader(http.StatusOK)
		fl, _ := w.(http.Flusher)
		for _, f := range frames {
			fmt.Fprintf(w, "data: %s\n\n", f)
			if fl != nil {
				fl.Flush()
			}
		}
	}
}

// fail replies with an error status and body.
func fail(status int, body string, headers ...string) reply {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

func simpleRequest() llm.Request {
	return llm.Request{
		System:    "You are a data analyst.",
		Messages:  []llm.Message{{Role: agent.RoleUser, Content: []llm.Block{llm.TextBlock("How many rows?")}}},
		Tools:     []llm.ToolSpec{{Name: "generate_query", Description: "Run SQL.", InputSchema: json.RawMessage(`{"type":"object","properties":{"sql":{"type":"string"}},"required":["sql"]}`)}},
		MaxTokens: 1000,
	}
}

// ---- the stream ---------------------------------------------------------

func TestStream(t *testing.T) {
	type block struct {
		typ               llm.BlockType
		text, name, input string
	}
	cases := []struct {
		name   string
		frames []string
		deltas []string
		blocks []block
		stop   string
		usage  agent.Usage
	}{
		{
			name:   "text",
			frames: []string{roleChunk(), textChunk("There are "), textChunk("3 rows."), finishChunk("stop"), usageChunk(120, 7, 100), done},
			deltas: []string{"There are ", "3 rows."},
			blocks: []block{{typ: "text", text: "There are 3 rows."}},
			stop:   llm.StopEndTurn,
			usage:  agent.Usage{InputTokens: 20, OutputTokens: 7, CacheReadTokens: 100},
		},
		{
			name: "tool call with arguments split across chunks",
			frames: []string{roleChunk(),
				toolChunk(0, "call_abc", "generate_query", ""),
				toolChunk(0, "", "", `{"sq`), toolChunk(0, "", "", `l": "SELECT count(*)`), toolChunk(0, "", "", ` FROM data"}`),
				finishChunk("tool_calls"), done},
			blocks: []block{{typ: "tool_use", name: "generate_query", input: `{"sql": "SELECT count(*) FROM data"}`}},
			stop:   llm.StopToolUse,
		},
		{
			name: "text then two parallel tool calls",
			frames: []string{textChunk("Let me look."),
				toolChunk(0, "call_1", "generate_query", `{"sql":`), toolChunk(1, "call_2", "create_plot", `{"title":"T",`),
				toolChunk(0, "", "", `"SELECT 1"}`), toolChunk(1, "", "", `"sql":"SELECT 2","vega_lite_spec":{}}`),
				finishChunk("tool_calls"), done},
			deltas: []string{"Let me look."},
			blocks: []block{
				{typ: "text", text: "Let me look."},
				{typ: "tool_use", name: "generate_query", input: `{"sql":"SELECT 1"}`},
				{typ: "tool_use", name: "create_plot", input: `{"title":"T","sql":"SELECT 2","vega_lite_spec":{}}`},
			},
			stop: llm.StopToolUse,
		},
		{
			name:   "tool call ending with finish_reason stop, as some servers send",
			frames: []string{toolChunk(0, "call_x", "generate_query", `{"sql":"SELECT 1"}`), finishChunk("stop"), done},
			blocks: []block{{typ: "tool_use", name: "generate_query", input: `{"sql":"SELECT 1"}`}},
			stop:   llm.StopToolUse,
		},
		{
			name:   "tool call without an id",
			frames: []string{toolChunk(0, "", "generate_query", `{"sql":"SELECT 1"}`), finishChunk("tool_calls"), done},
			blocks: []block{{typ: "tool_use", name: "generate_query", input: `{"sql":"SELECT 1"}`}},
			stop:   llm.StopToolUse,
		},
		{
			name:   "length",
			frames: []string{textChunk("It is a long"), finishChunk("length"), done},
			deltas: []string{"It is a long"},
			blocks: []block{{typ: "text", text: "It is a long"}},
			stop:   llm.StopMaxTokens,
		},
		{
			name:   "thinking is not the answer",
			frames: []string{textChunk("<thi"), textChunk("nk>the user wants"), textChunk(" a count</think>\n\nThere are"), textChunk(" 3."), finishChunk("stop"), done},
			deltas: []string{"There are", " 3."},
			blocks: []block{{typ: "text", text: "There are 3."}},
			stop:   llm.StopEndTurn,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, sse(tc.frames...))
			var deltas []string
			resp, err := f.model(t).Stream(context.Background(), simpleRequest(), func(block int, d string) {
				if block != 0 {
					t.Errorf("block %d, want 0", block)
				}
				deltas = append(deltas, d)
			})
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(deltas, "|") != strings.Join(tc.deltas, "|") {
				t.Errorf("deltas %q, want %q", deltas, tc.deltas)
			}
			if resp.StopReason != tc.stop {
				t.Errorf("stop %q, want %q", resp.StopReason, tc.stop)
			}
			if resp.Usage != tc.usage {
				t.Errorf("usage %+v, want %+v", resp.Usage, tc.usage)
			}
			if len(resp.Content) != len(tc.blocks) {
				t.Fatalf("%d blocks, want %d: %+v", len(resp.Content), len(tc.blocks), resp.Content)
			}
			ids := map[string]bool{}
			for i, want := range tc.blocks {
				got := resp.Content[i]
				if got.Type != want.typ || got.Text != want.text || got.Name != want.name {
					t.Errorf("block %d = %+v, want %+v", i, got, want)
				}
				if want.typ == llm.BlockToolUse {
					if string(got.Input) != want.input {
						t.Errorf("block %d input %s, want %s", i, got.Input, want.input)
					}
					if got.ID == "" || ids[got.ID] {
						t.Errorf("block %d has a missing or repeated id %q", i, got.ID)
					}
					ids[got.ID] = true
				}
			}
		})
	}
}

func TestStreamErrors(t *testing.T) {
	cases := []struct {
		name      string
		reply     reply
		kind      apperr.Kind
		retryable bool
		msg       string
		wait      time.Duration
	}{
		{"401 rejected key", fail(401, `{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"}}`),
			apperr.Unavailable, false, "rejected the API key", 0},
		{"403", fail(403, `{"error":{"message":"no access"}}`), apperr.Unavailable, false, "not allowed", 0},
		{"404 unknown model", fail(404, `{"error":"model \"local-model\" not found, try pulling it first"}`),
			apperr.Unavailable, false, `"local-model" was not found`, 0},
		{"429 rate limit with Retry-After", fail(429, `{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}`, "Retry-After", "3"),
			apperr.TooMany, true, "rate limit", 3 * time.Second},
		{"429 no quota", fail(429, `{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","code":"insufficient_quota"}}`),
			apperr.TooMany, false, "no quota", 0},
		{"500", fail(500, `{"error":{"message":"CUDA out of memory"}}`), apperr.Unavailable, true, "internal error: CUDA out of memory", 0},
		{"503 loading", fail(503, `{"error":{"message":"Loading model"}}`), apperr.Unavailable, true, "still loading", 0},
		{"400 without tool support", fail(400, `{"error":{"message":"registry.ollama.ai/library/gemma:2b does not support tools","type":"api_error"}}`),
			apperr.Invalid, false, "does not support tools", 0},
		{"400 context length", fail(400, `{"error":{"message":"This model's maximum context length is 8192 tokens","code":"context_length_exceeded"}}`),
			apperr.TooLarge, false, "too long", 0},
		{"error event in the stream", sse(textChunk(""), `{"error":{"message":"upstream exploded","type":"server_error"}}`),
			apperr.Unavailable, true, "upstream exploded", 0},
		{"stream cut before the end", sse(textChunk("There are")),
			apperr.Unavailable, true, "lost before the answer was complete", 0},
		{"not an event stream", fail(200, `not json at all`), apperr.Unavailable, true, "lost", 0},
		{"wrong path: a plain-text 404", fail(404, `404 page not found`), apperr.Unavailable, false, "ends in /v1", 0},
		{"400 with a detail body", fail(400, `{"detail":"tools are not supported"}`), apperr.Invalid, false, "tools are not supported", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, tc.reply)
			_, err := f.model(t).Stream(context.Background(), simpleRequest(), nil)
			if err == nil {
				t.Fatal("no error")
			}
			if k := apperr.KindOf(err); k != tc.kind {
				t.Errorf("kind %s, want %s (%v)", k, tc.kind, err)
			}
			if llm.IsRetryable(err) != tc.retryable {
				t.Errorf("retryable %v, want %v (%v)", llm.IsRetryable(err), tc.retryable, err)
			}
			msg := apperr.MessageOf(err)
			if !strings.Contains(msg, tc.msg) {
				t.Errorf("message %q does not say %q", msg, tc.msg)
			}
			if e, ok := apperr.As(err); ok && e.RetryAfter != tc.wait {
				t.Errorf("RetryAfter %s, want %s", e.RetryAfter, tc.wait)
			}
			if strings.Contains(msg, "sk-test") {
				t.Errorf("the message shows the key: %q", msg)
			}
		})
	}
}

func TestUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there now
	m, err := New(Config{BaseURL: url + "/v1", Model: "m"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = m.Stream(context.Background(), simpleRequest(), nil)
	if !llm.IsRetryable(err) || apperr.KindOf(err) != apperr.Unavailable || !strings.Contains(apperr.MessageOf(err), "is the model server running") {
		t.Errorf("err = %v (%q)", err, apperr.MessageOf(err))
	}
}

// TestRequestShape checks what goes on the wire: the system prompt, the
// history's tool calls and results as Chat Completions spells them, the
// tools as functions, tool_choice none when the loop wants text, usage in
// the stream, and the key only when there is one.
func TestRequestShape(t *testing.T) {
	req := llm.Request{
		System: "SYSTEM",
		Messages: []llm.Message{
			{Role: agent.RoleUser, Content: []llm.Block{llm.TextBlock("How many rows?")}},
			{Role: agent.RoleAssistant, Content: []llm.Block{
				llm.TextBlock("Counting."),
				{Type: llm.BlockToolUse, ID: "call_1", Name: "generate_query", Input: json.RawMessage(`{"sql":"SELECT count(*) FROM data"}`)},
			}},
			{Role: agent.RoleUser, Content: []llm.Block{
				{Type: llm.BlockToolResult, ToolUseID: "call_1", Text: "n\n3"},
				llm.TextBlock("And per region?"),
			}},
			{Role: agent.RoleAssistant, Content: []llm.Block{
				{Type: llm.BlockToolUse, ID: "call_2", Name: "generate_query", Input: json.RawMessage(`{"sql":"bad"}`)},
			}},
			{Role: agent.RoleUser, Content: []llm.Block{{Type: llm.BlockToolResult, ToolUseID: "call_2", Text: "syntax error", IsError: true}}},
		},
		Tools:     simpleRequest().Tools,
		NoTools:   true,
		MaxTokens: 512,
	}
	cases := []struct {
		name    string
		key     string
		wantKey bool
	}{{"with a key", "sk-test", true}, {"without a key", "", false}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, sse(textChunk("ok"), finishChunk("stop"), done))
			m := f.model(t, func(c *Config) { c.APIKey = tc.key })
			if _, err := m.Stream(context.Background(), req, nil); err != nil {
				t.Fatal(err)
			}
			if got := f.headers[0].Get("Authorization"); (got == "Bearer "+tc.key) != tc.wantKey || (!tc.wantKey && got != "") {
				t.Errorf("Authorization %q", got)
			}
			if f.paths[0] != "/v1/chat/completions" {
				t.Errorf("path %s", f.paths[0])
			}
			b := f.body(0)
			want := `[{"content":"SYSTEM","role":"system"},` +
				`{"content":"How many rows?","role":"user"},` +
				`{"content":"Counting.","role":"assistant","tool_calls":[{"function":{"arguments":"{\"sql\":\"SELECT count(*) FROM data\"}","name":"generate_query"},"id":"call_1","type":"function"}]},` +
				`{"content":"n\n3","role":"tool","tool_call_id":"call_1"},` +
				`{"content":"And per region?","role":"user"},` +
				`{"role":"assistant","tool_calls":[{"function":{"arguments":"{\"sql\":\"bad\"}","name":"generate_query"},"id":"call_2","type":"function"}]},` +
				`{"content":"Error: syntax error","role":"tool","tool_call_id":"call_2"}]`
			if got := canonical(t, b["messages"]); got != want {
				t.Errorf("messages\n got %s\nwant %s", got, want)
			}
			wantTools := `[{"function":{"description":"Run SQL.","name":"generate_query","parameters":{"properties":{"sql":{"type":"string"}},"required":["sql"],"type":"object"}},"type":"function"}]`
			if got := canonical(t, b["tools"]); got != wantTools {
				t.Errorf("tools\n got %s\nwant %s", got, wantTools)
			}
			for k, want := range map[string]string{
				"tool_choice":    `"none"`,
				"stream":         `true`,
				"stream_options": `{"include_usage":true}`,
				"max_tokens":     `512`,
				"model":          `"local-model"`,
			} {
				if got := canonical(t, b[k]); got != want {
					t.Errorf("%s = %s, want %s", k, got, want)
				}
			}
			if _, ok := b["max_completion_tokens"]; ok {
				t.Error("max_completion_tokens sent to a compatible server")
			}
		})
	}
}

func canonical(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestStop cancels a call mid-stream: it returns the context's error
// promptly, with the text streamed so far.
func TestStop(t *testing.T) {
	release := make(chan struct{})
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprintf(w, "data: %s\n\n", textChunk("Partial answer"))
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	defer close(release)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stoppedAt time.Time
	resp, err := f.model(t).Stream(ctx, simpleRequest(), func(_ int, d string) {
		stoppedAt = time.Now()
		cancel()
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if d := time.Since(stoppedAt); d > time.Second {
		t.Errorf("returned %s after the stop", d)
	}
	if resp == nil || len(resp.Content) != 1 || resp.Content[0].Text != "Partial answer" {
		t.Errorf("partial response %+v", resp)
	}
}

func TestTimeout(t *testing.T) {
	release := make(chan struct{})
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	defer close(release)
	m := f.model(t, func(c *Config) { c.Timeout = 200 * time.Millisecond })
	_, err := m.Stream(context.Background(), simpleRequest(), nil)
	if apperr.KindOf(err) != apperr.Timeout || llm.IsRetryable(err) {
		t.Errorf("err = %v, want a timeout the loop does not retry", err)
	}
}

func TestComplete(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":"c1","object":"chat.completion","created":1,"model":"small","choices":[{"index":0,"finish_reason":"stop",`+
			`"message":{"role":"assistant","content":"<think>short and specific</think>\nSales by region"}}],"usage":{"prompt_tokens":30,"completion_tokens":5,"total_tokens":35}}`)
	})
	m := f.model(t, func(c *Config) { c.TitleModel = "small" })
	got, err := m.Complete(context.Background(), llm.CompletionRequest{System: "Name it.", Prompt: "A chat about sales.", MaxTokens: 30})
	if err != nil {
		t.Fatal(err)
	}
	if got != "Sales by region" {
		t.Errorf("Complete = %q", got)
	}
	b := f.body(0)
	if b["model"] != "small" || b["stream"] != nil {
		t.Errorf("request %v", b)
	}
	if got := canonical(t, b["messages"]); got != `[{"content":"Name it.","role":"system"},{"content":"A chat about sales.","role":"user"}]` {
		t.Errorf("messages %s", got)
	}
}

func TestNew(t *testing.T) {
	cases := []struct {
		name string
		cfg  Config
		ok   bool
		info agent.Info
	}{
		{"ollama", Config{BaseURL: "http://localhost:11434/v1", Model: "llama3.1"}, true, agent.Info{Name: "openai", Model: "llama3.1"}},
		{"openai default url", Config{APIKey: "k", Model: "gpt-4.1-mini"}, true, agent.Info{Name: "openai", Model: "gpt-4.1-mini"}},
		{"no model", Config{BaseURL: "http://localhost:11434/v1"}, false, agent.Info{}},
		{"not a url", Config{BaseURL: "localhost:11434", Model: "m"}, false, agent.Info{}},
		{"ftp", Config{BaseURL: "ftp://example.com/v1", Model: "m"}, false, agent.Info{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, err := New(tc.cfg)
			if (err == nil) != tc.ok {
				t.Fatalf("err = %v, want ok=%v", err, tc.ok)
			}
			if err == nil && m.Info() != tc.info {
				t.Errorf("Info = %+v", m.Info())
			}
		})
	}
	m, _ := New(Config{APIKey: "k", Model: "gpt-4.1-mini"})
	if !m.completionTokens {
		t.Error("api.openai.com should get max_completion_tokens")
	}
}

func TestArguments(t *testing.T) {
	cases := []struct{ in, want string }{
		{``, `{}`},
		{`  `, `{}`},
		{`{"sql":"SELECT 1"}`, `{"sql":"SELECT 1"}`},
		{"```json\n{\"sql\":\"SELECT 1\"}\n```", `{"sql":"SELECT 1"}`},
		{`Here you go: {"sql":"SELECT 1"} hope it helps`, `{"sql":"SELECT 1"}`},
		{`{"sql": "SELECT 1"`, `"{\"sql\": \"SELECT 1\""`},
		{`not json`, `"not json"`},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got := arguments(tc.in)
			if string(got) != tc.want {
				t.Errorf("arguments(%q) = %s, want %s", tc.in, got, tc.want)
			}
			if !json.Valid(got) {
				t.Errorf("not valid JSON: %s", got)
			}
		})
	}
}

func TestThinkFilter(t *testing.T) {
	cases := []struct {
		name   string
		deltas []string
		want   string
	}{
		{"no tags", []string{"plain ", "text"}, "plain text"},
		{"whole span", []string{"<think>hmm</think>Answer"}, "Answer"},
		{"split tags", []string{"<", "thi", "nk>a", "b</th", "ink>", "\nAnswer"}, "Answer"},
		{"a lone angle bracket", []string{"x < y and ", "a <b> tag"}, "x < y and a <b> tag"},
		{"unclosed think", []string{"<think>never ends"}, ""},
		{"text before", []string{"Sure. <think>x</think> Done"}, "Sure.  Done"},
		{"held back at the end", []string{"ends with <thi"}, "ends with <thi"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var f thinkFilter
			var b strings.Builder
			for _, d := range tc.deltas {
				b.WriteString(f.feed(d))
			}
			b.WriteString(f.flush())
			if b.String() != tc.want {
				t.Errorf("got %q, want %q", b.String(), tc.want)
			}
		})
	}
}
