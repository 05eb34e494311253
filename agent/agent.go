// Package agent owns the conversation about a dataset: it turns a user's
// message into events for the client and records to keep, using the data
// engine for every number it states.
//
// The server hands a turn to Agent.Turn together with a Sink; the agent never
// touches the metadata database itself: whatever must be kept goes through
// Sink.Save, whatever the user must see goes through Sink.Emit.
package agent

import (
	"context"
	"encoding/json"

	"github.com/analyzerhq/analyzer/duck"
)

// Event names sent to the client, as the API contract spells them.
const (
	EventText          = "text"
	EventPlot          = "plot"
	EventQueryResult   = "query_result"
	EventStatus        = "status"
	EventDone          = "done"
	EventError         = "error"
	EventSessionUpdate = "session_update"
)

// Record types: the `type` column of a stored message.
const (
	TypeText        = "text"
	TypeQueryResult = "query_result"
	TypePlot        = "plot"
	TypeError       = "error"
	TypeToolCall    = "tool_call" // a model's tool request, kept for history replay
)

// Roles of a stored message.
const (
	RoleUser      = "user"
	RoleAssistant = "assistant"
)

// Request kinds, as the client sends them.
const (
	KindMessage     = "message"
	KindAutoAnalyze = "auto_analyze"
)

// Event is one message to the client: {"event": ..., "data": ...}.
type Event struct {
	Event string `json:"event"`
	Data  any    `json:"data"`
}

// Record is one completed piece of the conversation. The caller persists it
// as a message row; history for later turns is rebuilt from these.
type Record struct {
	Role     string          `json:"role"`
	Type     string          `json:"type"`
	Text     string          `json:"text"`
	PlotData json.RawMessage `json:"plot_data,omitempty"` // type plot: {"title","vega_lite_spec"}
	Data     json.RawMessage `json:"data,omitempty"`      // type-specific payload (query result, tool call)
	Usage    *Usage          `json:"usage,omitempty"`
	Stopped  bool            `json:"stopped,omitempty"`
}

// Usage counts a turn's model tokens.
type Usage struct {
	InputTokens      int64 `json:"input_tokens"`
	OutputTokens     int64 `json:"output_tokens"`
	CacheReadTokens  int64 `json:"cache_read_tokens,omitempty"`
	CacheWriteTokens int64 `json:"cache_write_tokens,omitempty"`
}

// Add accumulates u2 into u.
func (u *Usage) Add(u2 Usage) {
	u.InputTokens += u2.InputTokens
	u.OutputTokens += u2.OutputTokens
	u.CacheReadTokens += u2.CacheReadTokens
	u.CacheWriteTokens += u2.CacheWriteTokens
}

// Sink receives a turn's output. Emit must be safe to call from the turn's
// goroutine only; Save persists a completed record and returns its error so
// the turn can stop if the database is gone.
type Sink interface {
	Emit(ev Event)
	Save(ctx context.Context, r Record) error
	SaveTitle(ctx context.Context, title string) error
}

// Dataset is what the agent knows of the session's data.
type Dataset struct {
	SessionID string
	Filename  string
	RowCount  int64
	Columns   []duck.Column
	Profile   *duck.Profile
}

// Request is one user turn.
type Request struct {
	Kind    string // KindMessage or KindAutoAnalyze
	Text    string // the user's message (empty for auto_analyze)
	Dataset Dataset
	// History holds the session's earlier records, oldest first, without
	// this turn's user message.
	History []Record
	// NeedsTitle is set when the session still has its default title.
	NeedsTitle bool
}

// Info says which analyst answers, for the UI.
type Info struct {
	Name  string `json:"name"`  // "builtin", "anthropic", "openai"
	Model string `json:"model"` // empty for builtin
}

// Analyst answers turns that are not plain SQL. Implementations stream text
// and results through the sink and return the usage they incurred.
type Analyst interface {
	Info() Info
	Answer(ctx context.Context, req Request, sink Sink) (Usage, error)
	// Title proposes a short session title after the first exchange.
	Title(ctx context.Context, req Request) (string, error)
}

// Engine is the part of the data engine the agent uses.
type Engine interface {
	Query(ctx context.Context, sessionID, sql string) (*duck.Result, error)
	IsSQL(ctx context.Context, text string) bool
}
