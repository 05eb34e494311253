// Package anthropic is the llm.Model for Anthropic's Claude models, over the
// official Go SDK with streaming.
package anthropic

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"time"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/agent/llm"
	"github.com/analyzerhq/analyzer/apperr"
)

// Defaults for Config.
const (
	DefaultModel      = "claude-sonnet-5-5"
	DefaultTitleModel = "claude-haiku-5-5"
	DefaultTimeout    = 5 * time.Minute
)

// Config says how to reach the API. Nothing is read from the environment:
// the caller's config package maps ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL,
// ANTHROPIC_MODEL and ANTHROPIC_TITLE_MODEL onto it.
type Config struct {
	APIKey     string
	BaseURL    string // empty: the SDK's production URL
	Model      string // default DefaultModel
	TitleModel string // default DefaultTitleModel
	// Timeout bounds one model call, stream included (default DefaultTimeout).
	Timeout time.Duration
	// HTTPClient replaces the default client (tests, proxies).
	HTTPClient *http.Client
}

// Model is the llm.Model for Claude.
type Model struct {
	client     sdk.Client
	model      string
	titleModel string
	timeout    time.Duration
}

var _ llm.Model = (*Model)(nil)

// New returns a Claude model. The SDK's own retries are off: the agent's
// loop retries rate limits and overloads itself and tells the user.
func New(cfg Config) (*Model, error) {
	if cfg.APIKey == "" {
		return nil, errors.New("anthropic: no API key")
	}
	if cfg.Model == "" {
		cfg.Model = DefaultModel
	}
	if cfg.TitleModel == "" {
		cfg.TitleModel = DefaultTitleModel
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			TLSHandshakeTimeout:   15 * time.Second,
			ResponseHeaderTimeout: 2 * time.Minute,
			IdleConnTimeout:       90 * time.Second,
			ForceAttemptHTTP2:     true,
		}}
	}
	opts := []option.RequestOption{
		option.WithoutEnvironmentDefaults(),
		option.WithAPIKey(cfg.APIKey),
		option.WithHTTPClient(hc),
		option.WithMaxRetries(0),
	}
	if cfg.BaseURL != "" {
		opts = append(opts, option.WithBaseURL(cfg.BaseURL))
	}
	return &Model{
		client:     sdk.NewClient(opts...),
		model:      cfg.Model,
		titleModel: cfg.TitleModel,
		timeout:    cfg.Timeout,
	}, nil
}

// CheckKey makes the cheapest call that proves cfg.APIKey works (the model
// list costs nothing) and returns the models the key may use, newest
// first. A rejected key is an *apperr.Error saying so in plain words.
func CheckKey(ctx context.Context, cfg Config) ([]string, error) {
	m, err := New(cfg)
	if err != nil {
		return nil, apperr.Wrap(apperr.Invalid, "Enter an Anthropic API key.", err)
	}
	callCtx, cancel := context.WithTimeoutCause(ctx, 20*time.Second, errCallTimeout)
	defer cancel()
	page, err := m.client.Models.List(callCtx, sdk.ModelListParams{Limit: sdk.Int(100)})
	if err != nil {
		var aerr *sdk.Error
		if errors.As(err, &aerr) && aerr.StatusCode == http.StatusNotFound {
			// A gateway without the model list: the key was not refused.
			return nil, nil
		}
		if errors.Is(context.Cause(callCtx), errCallTimeout) && ctx.Err() == nil {
			return nil, apperr.Wrap(apperr.Timeout, "Anthropic did not answer in time; check the internet connection and try again.", err)
		}
		return nil, m.classify(ctx, callCtx, err)
	}
	var out []string
	for _, mi := range page.Data {
		out = append(out, mi.ID)
	}
	return out, nil
}

// Info names the provider and the answering model.
func (m *Model) Info() agent.Info { return agent.Info{Name: "anthropic", Model: m.model} }

// errCallTimeout is the cause of a call's own deadline, told apart from the
// caller's cancellation.
var errCallTimeout = errors.New("model call timed out")

// Stream runs one streamed model call.
func (m *Model) Stream(ctx context.Context, req llm.Request, onText func(block int, delta string)) (*llm.Response, error) {
	params, err := m.params(req)
	if err != nil {
		return nil, apperr.Wrap(apperr.Internal, "could not build the model request", err)
	}
	callCtx, cancel := context.WithTimeoutCause(ctx, m.timeout, errCallTimeout)
	defer cancel()

	stream := m.client.Messages.NewStreaming(callCtx, params)
	defer stream.Close()

	var msg sdk.Message
	stopped := false
	for stream.Next() {
		ev := stream.Current()
		if err := msg.Accumulate(ev); err != nil {
			return response(&msg), apperr.Wrap(apperr.Unavailable, "The model sent an answer that could not be read.", err)
		}
		switch ev.Type {
		case "content_block_delta":
			if ev.Delta.Type == "text_delta" && ev.Delta.Text != "" && onText != nil {
				onText(int(ev.Index), ev.Delta.Text)
			}
		case "message_stop":
			stopped = true
		}
	}
	if err := stream.Err(); err != nil {
		return response(&msg), m.classify(ctx, callCtx, err)
	}
	if !stopped {
		if err := ctx.Err(); err != nil {
			return response(&msg), err
		}
		return response(&msg), llm.Retryable(apperr.New(apperr.Unavailable, "The connection to the model was lost before the answer was complete."))
	}
	return response(&msg), nil
}

// Complete answers a small prompt with the title model.
func (m *Model) Complete(ctx context.Context, req llm.CompletionRequest) (string, error) {
	maxTokens := req.MaxTokens
	if maxTokens <= 0 {
		maxTokens = 64
	}
	params := sdk.MessageNewParams{
		Model:     m.titleModel,
		MaxTokens: maxTokens,
		Messages:  []sdk.MessageParam{sdk.NewUserMessage(sdk.NewTextBlock(req.Prompt))},
	}
	if req.System != "" {
		params.System = []sdk.TextBlockParam{{Text: req.System}}
	}
	callCtx, cancel := context.WithTimeoutCause(ctx, m.timeout, errCallTimeout)
	defer cancel()
	msg, err := m.client.Messages.New(callCtx, params)
	if err != nil {
		return "", m.classify(ctx, callCtx, err)
	}
	var b strings.Builder
	for _, c := range msg.Content {
		if c.Type == "text" {
			b.WriteString(c.Text)
		}
	}
	return b.String(), nil
}

// params maps a provider-neutral request onto the SDK's. The tools and the
// system prompt carry cache breakpoints (the stable prefix), and so does the
// last block of the conversation, so that each round of a turn reads the
// previous rounds from the cache.
func (m *Model) params(req llm.Request) (sdk.MessageNewParams, error) {
	p := sdk.MessageNewParams{
		Model:     m.model,
		MaxTokens: req.MaxTokens,
	}
	if req.System != "" {
		p.System = []sdk.TextBlockParam{{Text: req.System, CacheControl: sdk.NewCacheControlEphemeralParam()}}
	}
	for i, t := range req.Tools {
		tp, err := toolParam(t)
		if err != nil {
			return p, err
		}
		if i == len(req.Tools)-1 {
			tp.CacheControl = sdk.NewCacheControlEphemeralParam()
		}
		p.Tools = append(p.Tools, sdk.ToolUnionParam{OfTool: &tp})
	}
	if req.NoTools && len(p.Tools) > 0 {
		p.ToolChoice = sdk.ToolChoiceUnionParam{OfNone: &sdk.ToolChoiceNoneParam{}}
	}
	for _, msg := range req.Messages {
		var blocks []sdk.ContentBlockParamUnion
		for _, b := range msg.Content {
			switch b.Type {
			case llm.BlockText:
				if b.Text != "" {
					blocks = append(blocks, sdk.NewTextBlock(b.Text))
				}
			case llm.BlockToolUse:
				input := b.Input
				if !json.Valid(input) {
					input = json.RawMessage(`{}`)
				}
				blocks = append(blocks, sdk.NewToolUseBlock(b.ID, input, b.Name))
			case llm.BlockToolResult:
				content := b.Text
				if content == "" {
					content = "(empty)"
				}
				blocks = append(blocks, sdk.NewToolResultBlock(b.ToolUseID, content, b.IsError))
			}
		}
		if len(blocks) == 0 {
			continue
		}
		if msg.Role == agent.RoleAssistant {
			p.Messages = append(p.Messages, sdk.NewAssistantMessage(blocks...))
		} else {
			p.Messages = append(p.Messages, sdk.NewUserMessage(blocks...))
		}
	}
	if n := len(p.Messages); n > 0 {
		last := p.Messages[n-1]
		var blocks []sdk.ContentBlockParamUnion
		if last.OfUser != nil {
			blocks = last.OfUser.Content
		} else if last.OfAssistant != nil {
			blocks = last.OfAssistant.Content
		}
		if k := len(blocks); k > 0 {
			if cc := blocks[k-1].GetCacheControl(); cc != nil {
				*cc = sdk.NewCacheControlEphemeralParam()
			}
		}
	}
	return p, nil
}

// toolParam turns a JSON-schema tool spec into the SDK's tool definition.
func toolParam(t llm.ToolSpec) (sdk.ToolParam, error) {
	var schema map[string]any
	if err := json.Unmarshal(t.InputSchema, &schema); err != nil {
		return sdk.ToolParam{}, fmt.Errorf("tool %s: input schema: %w", t.Name, err)
	}
	in := sdk.ToolInputSchemaParam{ExtraFields: map[string]any{}}
	for k, v := range schema {
		switch k {
		case "properties":
			in.Properties = v
		case "required":
			if list, ok := v.([]any); ok {
				for _, r := range list {
					if s, ok := r.(string); ok {
						in.Required = append(in.Required, s)
					}
				}
			}
		case "type", "$schema", "$id":
		default:
			in.ExtraFields[k] = v
		}
	}
	return sdk.ToolParam{
		Name:        t.Name,
		Description: sdk.String(t.Description),
		InputSchema: in,
	}, nil
}

// response converts the accumulated SDK message into the loop's shape. A
// tool call cut off mid-input gets an empty object.
func response(msg *sdk.Message) *llm.Response {
	out := &llm.Response{
		StopReason: string(msg.StopReason),
		Usage: agent.Usage{
			InputTokens:      msg.Usage.InputTokens,
			OutputTokens:     msg.Usage.OutputTokens,
			CacheReadTokens:  msg.Usage.CacheReadInputTokens,
			CacheWriteTokens: msg.Usage.CacheCreationInputTokens,
		},
	}
	for _, c := range msg.Content {
		switch c.Type {
		case "text":
			out.Content = append(out.Content, llm.Block{Type: llm.BlockText, Text: c.Text})
		case "tool_use":
			input := json.RawMessage(c.Input)
			if len(input) == 0 || !json.Valid(input) {
				input = json.RawMessage(`{}`)
			}
			out.Content = append(out.Content, llm.Block{Type: llm.BlockToolUse, ID: c.ID, Name: c.Name, Input: input})
		}
	}
	return out
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
	var nerr net.Error
	if errors.As(err, &nerr) && nerr.Timeout() {
		return llm.Retryable(apperr.Wrap(apperr.Timeout, "The model did not answer in time.", err))
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, io.EOF) || errors.As(err, new(*net.OpError)) {
		return llm.Retryable(apperr.Wrap(apperr.Unavailable, "The connection to the model was lost.", err))
	}
	return apperr.Wrap(apperr.Unavailable, "The model could not be reached.", err)
}

// apiError maps an API error response (or an error event in a stream) by
// its type first, then by its HTTP status.
func (m *Model) apiError(aerr *sdk.Error) error {
	typ := string(aerr.Type())
	status := aerr.StatusCode
	wait := llm.RetryAfter(aerr.Response)
	switch {
	case typ == "authentication_error" || status == http.StatusUnauthorized:
		return apperr.Wrap(apperr.Unavailable, "The Anthropic API key was rejected: check the key in Settings (or ANTHROPIC_API_KEY).", errors.Join(llm.ErrKeyRejected, aerr))
	case typ == "permission_error" || status == http.StatusForbidden:
		return apperr.Wrap(apperr.Unavailable, "The Anthropic API key is not allowed to use this model.", aerr)
	case typ == "billing_error" || status == http.StatusPaymentRequired:
		return apperr.Wrap(apperr.Unavailable, "The Anthropic account has a billing problem; the model cannot answer.", aerr)
	case typ == "not_found_error" || status == http.StatusNotFound:
		return apperr.Wrap(apperr.Unavailable, fmt.Sprintf("The model %q was not found. Check ANTHROPIC_MODEL.", m.model), aerr)
	case typ == "rate_limit_error" || status == http.StatusTooManyRequests:
		switch aerr.ErrorCode() {
		case sdk.ErrorCodeContractSpendLimitReached, sdk.ErrorCodeEnforcedSpendLimitReached:
			return apperr.Wrap(apperr.TooMany, "The Anthropic account has reached its spend limit.", aerr)
		}
		e := apperr.Wrap(apperr.TooMany, "The model's rate limit was reached. Wait a moment and try again.", aerr)
		e.RetryAfter = wait
		return llm.Retryable(e)
	case typ == "overloaded_error" || status == 529 || status == http.StatusServiceUnavailable:
		e := apperr.Wrap(apperr.Unavailable, "The model is overloaded right now. Try again in a moment.", aerr)
		e.RetryAfter = wait
		return llm.Retryable(e)
	case typ == "timeout_error" || status == http.StatusGatewayTimeout || status == http.StatusRequestTimeout:
		return llm.Retryable(apperr.Wrap(apperr.Timeout, "The model took too long to answer.", aerr))
	case typ == "api_error" || status >= 500:
		return llm.Retryable(apperr.Wrap(apperr.Unavailable, "The model service had an internal error.", aerr))
	case status == http.StatusRequestEntityTooLarge:
		return apperr.Wrap(apperr.TooLarge, "The conversation is too large for the model. Start a new session.", aerr)
	}
	msg := "The model rejected the request."
	if aerr.Message != "" {
		msg = "The model rejected the request: " + aerr.Message
	}
	return apperr.Wrap(apperr.Invalid, msg, aerr)
}
