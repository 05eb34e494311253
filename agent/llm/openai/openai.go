// Package openai is the llm.Model for servers that speak OpenAI's Chat
// Completions API: OpenAI itself and the local servers that copy it (Ollama,
// llama.cpp's server, vLLM, LM Studio). It streams over the official Go SDK
// and declares the agent's tools as functions; the tool loop, the prompt and
// the retries are llm.Analyst's.
package openai

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	sdk "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/packages/ssestream"
	"github.com/openai/openai-go/v3/shared"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/agent/llm"
	"github.com/analyzerhq/analyzer/apperr"
)

// Defaults for Config.
const (
	DefaultBaseURL = "https://api.openai.com/v1"
	DefaultTimeout = 10 * time.Minute
)

// Config says how to reach the server. Nothing is read from the
// environment: the caller maps OPENAI_BASE_URL, OPENAI_API_KEY and
// OPENAI_MODEL onto it.
type Config struct {
	// BaseURL is the API root, ending in /v1 for most servers:
	// http://localhost:11434/v1 (Ollama), http://localhost:8080/v1
	// (llama.cpp), http://localhost:8000/v1 (vLLM), http://localhost:1234/v1
	// (LM Studio). Default DefaultBaseURL.
	BaseURL string
	// APIKey is sent as a bearer token when set; local servers need none.
	APIKey string
	// Model names the model, as the server knows it ("llama3.1:8b",
	// "qwen2.5-coder", "gpt-4.1-mini"). Required.
	Model string
	// TitleModel answers the small title prompt (default Model).
	TitleModel string
	// Timeout bounds one model call, stream included (default
	// DefaultTimeout: a local model on a CPU can be slow).
	Timeout time.Duration
	// HTTPClient replaces the default client (tests, proxies).
	HTTPClient *http.Client
}

// Model is the llm.Model for an OpenAI-compatible server.
type Model struct {
	svc        sdk.ChatCompletionService
	models     sdk.ModelService
	baseURL    string
	model      string
	titleModel string
	timeout    time.Duration
	// completionTokens sends max_completion_tokens (OpenAI's current name)
	// instead of max_tokens (what every compatible server reads).
	completionTokens bool
}

var _ llm.Model = (*Model)(nil)

// New returns a model on the server cfg names. The SDK's own retries are
// off: the agent's loop retries rate limits and overloads itself and tells
// the user; and no OPENAI_* variable is read behind the caller's back.
func New(cfg Config) (*Model, error) {
	if strings.TrimSpace(cfg.Model) == "" {
		return nil, errors.New("openai: no model name (OPENAI_MODEL)")
	}
	base := strings.TrimSpace(cfg.BaseURL)
	if base == "" {
		base = DefaultBaseURL
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("openai: base URL %q is not an http(s) URL", base)
	}
	if cfg.TitleModel == "" {
		cfg.TitleModel = cfg.Model
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 15 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			TLSHandshakeTimeout:   15 * time.Second,
			IdleConnTimeout:       90 * time.Second,
			ForceAttemptHTTP2:     true,
			MaxIdleConnsPerHost:   4,
			ExpectContinueTimeout: time.Second,
		}}
	}
	opts := []option.RequestOption{
		option.WithHTTPClient(hc),
		option.WithBaseURL(base),
		option.WithMaxRetries(0),
		option.WithMiddleware(normalizeErrors),
	}
	if cfg.APIKey != "" {
		opts = append(opts, option.WithAPIKey(cfg.APIKey))
	}
	return &Model{
		svc:              sdk.NewChatCompletionService(opts...),
		models:           sdk.NewModelService(opts...),
		baseURL:          strings.TrimRight(base, "/"),
		model:            cfg.Model,
		titleModel:       cfg.TitleModel,
		timeout:          cfg.Timeout,
		completionTokens: strings.EqualFold(u.Hostname(), "api.openai.com"),
	}, nil
}

// ListModels returns the ids of the models the server at cfg.BaseURL
// serves (GET /models), sorted; cfg.Model is not needed. Its errors are in
// plain words, like the model calls': a rejected key, nothing listening.
func ListModels(ctx context.Context, cfg Config) ([]string, error) {
	if strings.TrimSpace(cfg.Model) == "" {
		cfg.Model = "-"
	}
	m, err := New(cfg)
	if err != nil {
		return nil, apperr.Wrap(apperr.Invalid, "The base URL must be an http(s) address, such as http://localhost:11434/v1.", err)
	}
	callCtx, cancel := context.WithTimeoutCause(ctx, m.timeout, errCallTimeout)
	defer cancel()
	page, err := m.models.List(callCtx)
	if err != nil {
		var aerr *sdk.Error
		if errors.As(err, &aerr) && aerr.StatusCode == http.StatusNotFound {
			return nil, apperr.Wrap(apperr.Unavailable, fmt.Sprintf("The server at %s does not list models: check the base URL (it usually ends in /v1).", m.baseURL), err)
		}
		return nil, m.classify(ctx, callCtx, err)
	}
	var out []string
	for _, mod := range page.Data {
		if mod.ID != "" {
			out = append(out, mod.ID)
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// Info names the provider and the answering model.
func (m *Model) Info() agent.Info { return agent.Info{Name: "openai", Model: m.model} }

// errCallTimeout is the cause of a call's own deadline, told apart from the
// caller's cancellation.
var errCallTimeout = errors.New("model call timed out")

// toolCall accumulates one streamed tool call.
type toolCall struct {
	id, name string
	args     strings.Builder
}

// Stream runs one streamed Chat Completions call. Text deltas go to onText
// as block 0 (a chat message has one text part); tool calls are put
// together from their deltas, arguments split across chunks included.
func (m *Model) Stream(ctx context.Context, req llm.Request, onText func(block int, delta string)) (*llm.Response, error) {
	params, err := m.params(req)
	if err != nil {
		return nil, apperr.Wrap(apperr.Internal, "could not build the model request", err)
	}
	callCtx, cancel := context.WithTimeoutCause(ctx, m.timeout, errCallTimeout)
	defer cancel()

	stream := m.svc.NewStreaming(callCtx, params)
	defer stream.Close()

	var (
		text   strings.Builder
		calls  []*toolCall
		byIdx  = map[int64]*toolCall{}
		finish string
		usage  agent.Usage
		think  thinkFilter
	)
	emit := func(s string) {
		if s = think.feed(s); s != "" {
			text.WriteString(s)
			if onText != nil {
				onText(0, s)
			}
		}
	}
	for stream.Next() {
		chunk := stream.Current()
		if chunk.JSON.Usage.Valid() {
			usage = usageOf(chunk.Usage)
		}
		for _, c := range chunk.Choices {
			if c.Index != 0 {
				continue
			}
			emit(c.Delta.Content)
			emit(c.Delta.Refusal)
			for _, d := range c.Delta.ToolCalls {
				tc := byIdx[d.Index]
				if tc == nil {
					tc = &toolCall{}
					byIdx[d.Index] = tc
					calls = append(calls, tc)
				}
				if d.ID != "" && tc.id == "" {
					tc.id = d.ID
				}
				if d.Function.Name != "" && tc.name == "" {
					tc.name = d.Function.Name
				}
				tc.args.WriteString(d.Function.Arguments)
			}
			if c.FinishReason != "" {
				finish = c.FinishReason
			}
		}
	}
	emit(think.flush())
	resp := response(text.String(), calls, finish, usage)
	if err := stream.Err(); err != nil {
		return resp, m.classify(ctx, callCtx, err)
	}
	if finish == "" {
		// The stream ended (EOF or [DONE]) without saying why: cut off.
		if err := ctx.Err(); err != nil {
			return resp, err
		}
		if errors.Is(context.Cause(callCtx), errCallTimeout) {
			return resp, apperr.New(apperr.Timeout, "The model took too long to answer. Try again, or ask a narrower question.")
		}
		return resp, llm.Retryable(apperr.New(apperr.Unavailable, "The connection to the model was lost before the answer was complete."))
	}
	return resp, nil
}

// Complete answers a small prompt with the title model, without streaming.
func (m *Model) Complete(ctx context.Context, req llm.CompletionRequest) (string, error) {
	maxTokens := req.MaxTokens
	if maxTokens <= 0 {
		maxTokens = 64
	}
	p := sdk.ChatCompletionNewParams{Model: shared.ChatModel(m.titleModel)}
	if req.System != "" {
		p.Messages = append(p.Messages, sdk.SystemMessage(req.System))
	}
	p.Messages = append(p.Messages, sdk.UserMessage(req.Prompt))
	m.setMaxTokens(&p, maxTokens)
	callCtx, cancel := context.WithTimeoutCause(ctx, m.timeout, errCallTimeout)
	defer cancel()
	out, err := m.svc.New(callCtx, p)
	if err != nil {
		return "", m.classify(ctx, callCtx, err)
	}
	if len(out.Choices) == 0 {
		return "", apperr.New(apperr.Unavailable, "The model returned no answer.")
	}
	return stripThink(out.Choices[0].Message.Content), nil
}

func (m *Model) setMaxTokens(p *sdk.ChatCompletionNewParams, n int64) {
	if n <= 0 {
		return
	}
	if m.completionTokens {
		p.MaxCompletionTokens = sdk.Int(n)
	} else {
		p.MaxTokens = sdk.Int(n)
	}
}

// params maps a provider-neutral request onto Chat Completions: the system
// prompt first, tool results as "tool" messages right after the assistant
// message that asked for them, tool calls with their JSON arguments.
func (m *Model) params(req llm.Request) (sdk.ChatCompletionNewParams, error) {
	p := sdk.ChatCompletionNewParams{
		Model:         shared.ChatModel(m.model),
		StreamOptions: sdk.ChatCompletionStreamOptionsParam{IncludeUsage: sdk.Bool(true)},
	}
	m.setMaxTokens(&p, req.MaxTokens)
	if req.System != "" {
		p.Messages = append(p.Messages, sdk.SystemMessage(req.System))
	}
	for _, t := range req.Tools {
		var schema map[string]any
		if err := json.Unmarshal(t.InputSchema, &schema); err != nil {
			return p, fmt.Errorf("tool %s: input schema: %w", t.Name, err)
		}
		delete(schema, "$schema")
		delete(schema, "$id")
		p.Tools = append(p.Tools, sdk.ChatCompletionToolUnionParam{OfFunction: &sdk.ChatCompletionFunctionToolParam{
			Function: shared.FunctionDefinitionParam{
				Name:        t.Name,
				Description: sdk.String(t.Description),
				Parameters:  shared.FunctionParameters(schema),
			},
		}})
	}
	if req.NoTools && len(p.Tools) > 0 {
		p.ToolChoice = sdk.ChatCompletionToolChoiceOptionUnionParam{OfAuto: sdk.String("none")}
	}
	for _, msg := range req.Messages {
		if msg.Role == agent.RoleAssistant {
			if a, ok := assistantMessage(msg); ok {
				p.Messages = append(p.Messages, a)
			}
			continue
		}
		var texts []string
		for _, b := range msg.Content {
			switch b.Type {
			case llm.BlockToolResult:
				content := b.Text
				if content == "" {
					content = "(empty)"
				}
				if b.IsError {
					content = "Error: " + content
				}
				p.Messages = append(p.Messages, sdk.ToolMessage(content, b.ToolUseID))
			case llm.BlockText:
				if b.Text != "" {
					texts = append(texts, b.Text)
				}
			}
		}
		if len(texts) > 0 {
			p.Messages = append(p.Messages, sdk.UserMessage(strings.Join(texts, "\n\n")))
		}
	}
	return p, nil
}

func assistantMessage(msg llm.Message) (sdk.ChatCompletionMessageParamUnion, bool) {
	var a sdk.ChatCompletionAssistantMessageParam
	var texts []string
	for _, b := range msg.Content {
		switch b.Type {
		case llm.BlockText:
			if b.Text != "" {
				texts = append(texts, b.Text)
			}
		case llm.BlockToolUse:
			args := string(b.Input)
			if args == "" || !json.Valid(b.Input) {
				args = "{}"
			}
			a.ToolCalls = append(a.ToolCalls, sdk.ChatCompletionMessageToolCallUnionParam{
				OfFunction: &sdk.ChatCompletionMessageFunctionToolCallParam{
					ID:       b.ID,
					Function: sdk.ChatCompletionMessageFunctionToolCallFunctionParam{Name: b.Name, Arguments: args},
				},
			})
		}
	}
	if len(texts) == 0 && len(a.ToolCalls) == 0 {
		return sdk.ChatCompletionMessageParamUnion{}, false
	}
	if len(texts) > 0 {
		a.Content = sdk.ChatCompletionAssistantMessageParamContentUnion{OfString: sdk.String(strings.Join(texts, "\n\n"))}
	}
	return sdk.ChatCompletionMessageParamUnion{OfAssistant: &a}, true
}

// response builds the loop's view of a streamed message: its text, then its
// tool calls in the order they started.
func response(text string, calls []*toolCall, finish string, usage agent.Usage) *llm.Response {
	out := &llm.Response{Usage: usage}
	if text != "" {
		out.Content = append(out.Content, llm.TextBlock(text))
	}
	for _, c := range calls {
		if c.name == "" {
			continue // a fragment without a name cannot be run
		}
		id := c.id
		if id == "" {
			id = newCallID()
		}
		out.Content = append(out.Content, llm.Block{Type: llm.BlockToolUse, ID: id, Name: c.name, Input: arguments(c.args.String())})
	}
	out.StopReason = stopReason(finish, len(out.ToolUses()) > 0)
	return out
}

// stopReason maps finish_reason onto the loop's stop reasons. Some servers
// say "stop" after tool calls: the calls decide.
func stopReason(finish string, hasCalls bool) string {
	switch {
	case finish == "length":
		return llm.StopMaxTokens
	case hasCalls && (finish == "tool_calls" || finish == "function_call" || finish == "stop" || finish == ""):
		return llm.StopToolUse
	case finish == "content_filter":
		return llm.StopRefusal
	}
	return llm.StopEndTurn
}

// arguments returns a tool call's arguments as a JSON value: the object as
// sent, the first complete object in text that has more around it (small
// models add prose or a code fence), or, failing that, the text as a JSON
// string so that the tool reports it as invalid input to the model.
func arguments(s string) json.RawMessage {
	s = strings.TrimSpace(s)
	if s == "" {
		return json.RawMessage(`{}`)
	}
	if json.Valid([]byte(s)) {
		return json.RawMessage(s)
	}
	if i := strings.IndexByte(s, '{'); i >= 0 {
		dec := json.NewDecoder(strings.NewReader(s[i:]))
		var obj json.RawMessage
		if err := dec.Decode(&obj); err == nil && len(obj) > 0 && obj[0] == '{' {
			return obj
		}
	}
	b, _ := json.Marshal(s) // a string always marshals
	return b
}

func newCallID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return "call_" + hex.EncodeToString(b[:])
}

func usageOf(u sdk.CompletionUsage) agent.Usage {
	cached := u.PromptTokensDetails.CachedTokens
	in := u.PromptTokens - cached
	if in < 0 {
		in = 0
	}
	return agent.Usage{InputTokens: in, OutputTokens: u.CompletionTokens, CacheReadTokens: cached}
}

// classify turns a failed call into an error the user can read. ctx is the
// caller's context (a stop), callCtx the call's own (its timeout).
func (m *Model) classify(ctx, callCtx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if errors.Is(context.Cause(callCtx), errCallTimeout) {
		return apperr.Wrap(apperr.Timeout, "The model took too long to answer. Try again, or ask a narrower question.", err)
	}
	var aerr *sdk.Error
	if errors.As(err, &aerr) {
		return m.apiError(aerr)
	}
	var serr *ssestream.StreamError
	if errors.As(err, &serr) {
		msg := streamErrorMessage(serr)
		return llm.Retryable(apperr.Wrap(apperr.Unavailable, "The model server reported an error: "+msg, err))
	}
	if errors.Is(err, syscall.ECONNREFUSED) {
		return llm.Retryable(apperr.Wrap(apperr.Unavailable,
			fmt.Sprintf("Nothing answers at %s: is the model server running? Check OPENAI_BASE_URL.", m.baseURL), err))
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return apperr.Wrap(apperr.Unavailable, fmt.Sprintf("The model server's host in %s was not found. Check OPENAI_BASE_URL.", m.baseURL), err)
	}
	var nerr net.Error
	if errors.As(err, &nerr) && nerr.Timeout() {
		return llm.Retryable(apperr.Wrap(apperr.Timeout, "The model did not answer in time.", err))
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF) ||
		errors.As(err, new(*net.OpError)) {
		return llm.Retryable(apperr.Wrap(apperr.Unavailable, "The connection to the model was lost.", err))
	}
	return apperr.Wrap(apperr.Unavailable, "The model could not be reached.", err)
}

// streamErrorMessage reads the message of an error event in the stream.
func streamErrorMessage(serr *ssestream.StreamError) string {
	var body struct {
		Error json.RawMessage `json:"error"`
	}
	if json.Unmarshal(serr.Event.Data, &body) == nil && len(body.Error) > 0 {
		var obj struct {
			Message string `json:"message"`
		}
		if json.Unmarshal(body.Error, &obj) == nil && obj.Message != "" {
			return obj.Message
		}
		var s string
		if json.Unmarshal(body.Error, &s) == nil && s != "" {
			return s
		}
	}
	return "unknown error"
}

// apiError maps an error response by its HTTP status and OpenAI's error
// code; local servers send the status and a message, seldom a code.
func (m *Model) apiError(aerr *sdk.Error) error {
	status := aerr.StatusCode
	msg := serverMessage(aerr)
	wait := llm.RetryAfter(aerr.Response)
	switch {
	case status == http.StatusUnauthorized:
		return apperr.Wrap(apperr.Unavailable, "The model server rejected the API key: check the key in Settings (or OPENAI_API_KEY).", errors.Join(llm.ErrKeyRejected, aerr))
	case status == http.StatusForbidden:
		return apperr.Wrap(apperr.Unavailable, "The API key is not allowed to use this model.", aerr)
	case status == http.StatusNotFound:
		return apperr.Wrap(apperr.Unavailable, fmt.Sprintf("The model %q was not found at %s. Check OPENAI_MODEL (for Ollama, pull the model first) and OPENAI_BASE_URL (it usually ends in /v1).", m.model, m.baseURL), aerr)
	case status == http.StatusTooManyRequests && (aerr.Code == "insufficient_quota" || aerr.Type == "insufficient_quota"):
		return apperr.Wrap(apperr.TooMany, "The account has no quota left for this model.", aerr)
	case status == http.StatusTooManyRequests:
		e := apperr.Wrap(apperr.TooMany, "The model's rate limit was reached. Wait a moment and try again.", aerr)
		e.RetryAfter = wait
		return llm.Retryable(e)
	case status == http.StatusServiceUnavailable || status == 529:
		e := apperr.Wrap(apperr.Unavailable, "The model server is overloaded or still loading the model. Try again in a moment.", aerr)
		e.RetryAfter = wait
		return llm.Retryable(e)
	case status == http.StatusGatewayTimeout || status == http.StatusRequestTimeout:
		return llm.Retryable(apperr.Wrap(apperr.Timeout, "The model took too long to answer.", aerr))
	case status >= 500:
		text := "The model server had an internal error."
		if msg != "" {
			text = "The model server had an internal error: " + msg
		}
		return llm.Retryable(apperr.Wrap(apperr.Unavailable, text, aerr))
	case status == http.StatusRequestEntityTooLarge || aerr.Code == "context_length_exceeded" ||
		strings.Contains(strings.ToLower(msg), "context length") || strings.Contains(strings.ToLower(msg), "context window"):
		return apperr.Wrap(apperr.TooLarge, "The conversation is too long for the model's context. Start a new session, or use a model with a larger context.", aerr)
	}
	text := "The model rejected the request."
	if msg != "" {
		text = "The model rejected the request: " + msg
	}
	return apperr.Wrap(apperr.Invalid, text, aerr)
}

// serverMessage is the error message the server sent.
func serverMessage(aerr *sdk.Error) string { return limit(aerr.Message) }

// maxErrorBody bounds the error body read from a server.
const maxErrorBody = 64 << 10

// normalizeErrors rewrites an error response into OpenAI's shape,
// {"error": {"message": …}}, so that the SDK reads it as an API error with
// its status whatever the server sent: {"error": "…"} (Ollama),
// {"message": …} or {"detail": …} (some proxies), or plain text (a wrong
// path answered by a generic 404 page).
func normalizeErrors(req *http.Request, next option.MiddlewareNext) (*http.Response, error) {
	res, err := next(req)
	if err != nil || res.StatusCode < 400 {
		return res, err
	}
	raw, rerr := io.ReadAll(io.LimitReader(res.Body, maxErrorBody))
	res.Body.Close()
	if rerr != nil {
		raw = nil
	}
	body := normalizeErrorBody(raw, res.StatusCode)
	res.Body = io.NopCloser(strings.NewReader(string(body)))
	res.ContentLength = int64(len(body))
	res.Header.Del("Content-Length")
	res.Header.Set("Content-Type", "application/json")
	return res, nil
}

func normalizeErrorBody(raw []byte, status int) []byte {
	var body map[string]json.RawMessage
	if json.Unmarshal(raw, &body) == nil {
		if e, ok := body["error"]; ok {
			var obj map[string]any
			if json.Unmarshal(e, &obj) == nil {
				if _, ok := obj["message"].(string); ok {
					return raw // already OpenAI's shape
				}
				if m, ok := obj["msg"].(string); ok {
					obj["message"] = m
				} else {
					obj["message"] = ""
				}
				return mustJSON(map[string]any{"error": obj})
			}
			var s string
			if json.Unmarshal(e, &s) == nil {
				return mustJSON(map[string]any{"error": map[string]any{"message": s}})
			}
		}
		for _, k := range []string{"message", "detail"} {
			var s string
			if json.Unmarshal(body[k], &s) == nil && s != "" {
				return mustJSON(map[string]any{"error": map[string]any{"message": s}})
			}
		}
	}
	msg := strings.TrimSpace(string(raw))
	if msg == "" || !utf8.ValidString(msg) || strings.HasPrefix(msg, "<") {
		msg = http.StatusText(status)
	}
	return mustJSON(map[string]any{"error": map[string]any{"message": msg}})
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v) // maps of strings: cannot fail
	return b
}

func limit(s string) string {
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > 300 {
		return string(r[:300]) + "…"
	}
	return s
}
