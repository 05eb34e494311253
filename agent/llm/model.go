package llm

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/analyzerhq/analyzer/agent"
)

// Model is one chat model behind a provider's API, reduced to what the tool
// loop needs. Analyst drives it; a provider package (llm/anthropic,
// llm/openai) implements it and nothing else: the prompt, the tools, the
// retries, the events and the records are the loop's business.
//
// Stream runs one model turn: the system prompt, the conversation so far and
// the tool specs go in; text deltas are reported through onText as they
// arrive (block is the index of the content block the delta belongs to, so
// two text blocks separated by a tool call are told apart; a provider with a
// single text part uses 0); the complete assistant message comes back as
// content blocks (text and tool_use, in order) with a stop reason and the
// call's token usage. onText is called from Stream's goroutine only.
//
// Errors: a provider returns an *apperr.Error with a plain message for every
// failure a user can see (rejected key: apperr.Unavailable "The model
// provider rejected the API key…"; timeout: apperr.Timeout; …), wrapped with
// Retryable when a later try may pass (HTTP 429, 529/503 overload, a
// connection lost before any output). The loop retries those with backoff
// and shows the wait as a status event; it never retries once text has been
// streamed. A cancelled ctx (the user's stop) must end the call promptly and
// return ctx's error, with the partial response if there is one.
//
// Complete is a plain, non-streaming completion for small jobs such as a
// session title; a provider may use a cheaper model for it.
type Model interface {
	Info() agent.Info
	Stream(ctx context.Context, req Request, onText func(block int, delta string)) (*Response, error)
	Complete(ctx context.Context, req CompletionRequest) (string, error)
}

// Request is one model call of the tool loop.
type Request struct {
	// System is the system prompt. It is stable for a session: a provider
	// that can cache a prompt prefix should mark it (with the tools) cacheable.
	System   string
	Messages []Message
	Tools    []ToolSpec
	// NoTools asks for a text answer now (tool_choice none): the tools stay
	// declared because the messages contain tool calls.
	NoTools   bool
	MaxTokens int64
}

// Message is one conversation message: RoleUser or RoleAssistant.
// Tool results travel in user messages, first in their message.
type Message struct {
	Role    agent.Role `json:"role"`
	Content []Block    `json:"content"`
}

// BlockType is the type of a content block, as Anthropic spells it.
type BlockType string

// Block types.
const (
	BlockText       BlockType = "text"
	BlockToolUse    BlockType = "tool_use"
	BlockToolResult BlockType = "tool_result"
)

// Block is one content block of a message.
type Block struct {
	Type BlockType `json:"type"`
	// Text is the text of a text block, or the content of a tool result.
	Text string `json:"text,omitempty"`
	// ID is a tool_use block's call id; a tool_result block's ToolUseID
	// names the call it answers.
	ID        string          `json:"id,omitempty"`
	ToolUseID string          `json:"tool_use_id,omitempty"`
	Name      string          `json:"name,omitempty"`  // tool_use: the tool
	Input     json.RawMessage `json:"input,omitempty"` // tool_use: its JSON object input
	IsError   bool            `json:"is_error,omitempty"`
}

// TextBlock returns a text block.
func TextBlock(text string) Block { return Block{Type: BlockText, Text: text} }

// ToolSpec declares a tool to the model.
type ToolSpec struct {
	Name        string          `json:"name"`
	Description string          `json:"description"`
	InputSchema json.RawMessage `json:"input_schema"` // a JSON schema of type object
}

// Stop reasons, as Anthropic spells them; other providers map theirs.
const (
	StopEndTurn   = "end_turn"
	StopToolUse   = "tool_use"
	StopMaxTokens = "max_tokens"
	StopRefusal   = "refusal"
)

// Response is the complete assistant message of one call.
type Response struct {
	Content    []Block
	StopReason string
	Usage      agent.Usage
}

// ToolUses returns the response's tool calls, in order.
func (r *Response) ToolUses() []Block {
	var out []Block
	for _, b := range r.Content {
		if b.Type == BlockToolUse {
			out = append(out, b)
		}
	}
	return out
}

// CompletionRequest is a small one-shot prompt.
type CompletionRequest struct {
	System    string
	Prompt    string
	MaxTokens int64
}

// ErrKeyRejected is wrapped (errors.Is) in the error of a call the
// provider refused for its API key (HTTP 401), so that health checks can
// tell a rejected key from a server that cannot be reached.
var ErrKeyRejected = errors.New("the API key was rejected")

// Retryable marks err as a failure that may pass if the call is made again
// later (rate limit, overload, a connection dropped before any output). The
// wrapped error keeps its kind and message for apperr; set RetryAfter on the
// *apperr.Error to pass on the provider's suggested wait.
func Retryable(err error) error {
	if err == nil {
		return nil
	}
	return &retryableError{err: err}
}

type retryableError struct{ err error }

func (e *retryableError) Error() string { return e.err.Error() }
func (e *retryableError) Unwrap() error { return e.err }

// IsRetryable reports whether err was marked with Retryable.
func IsRetryable(err error) bool {
	var r *retryableError
	return errors.As(err, &r)
}

// retryPolicy says how often and how long the loop waits before calling the
// model again after a retryable failure.
type retryPolicy struct {
	Attempts int           // total calls, first included
	Base     time.Duration // first wait; doubled each time
	Max      time.Duration // cap on one wait, the provider's hint included
}

func (p retryPolicy) wait(attempt int, hint time.Duration) time.Duration {
	d := p.Base << attempt
	if hint > d {
		d = hint
	}
	if d > p.Max {
		d = p.Max
	}
	return d
}
