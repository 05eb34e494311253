// Package agent answers a turn of a conversation about a dataset: plain
// SQL straight through the data engine, everything else through the
// configured analyst (a model's tool loop, agent/llm, or the built-in
// analyst, agent/builtin).
//
// The conversation itself (history, the user's message, titles, storage)
// belongs to the chat package, which hands a turn to Agent.Turn with a
// Reply. Whatever the turn produces goes through that Reply, which sends
// each part to the client and keeps it, once (reply.go).
package agent

import (
	"context"
	"encoding/json"

	"github.com/analyzerhq/analyzer/duck"
	"github.com/analyzerhq/analyzer/trace"
)

// EventName names a server → client event, as the API contract spells it.
type EventName string

// Event names.
const (
	EventText          EventName = "text"
	EventPlot          EventName = "plot"
	EventQueryResult   EventName = "query_result"
	EventStatus        EventName = "status"
	EventDone          EventName = "done"
	EventError         EventName = "error"
	EventSessionUpdate EventName = "session_update"
	// EventUserMessage confirms a stored user message (an addition to the
	// contract): its id is what retry and edit name.
	EventUserMessage EventName = "user_message"
	// EventSuggestions offers questions to send with one click (an
	// addition to the contract): the built-in analyst's rephrasings of a
	// question it declined.
	EventSuggestions EventName = "suggestions"
	// EventNotice tells the user something about the turn that is not part
	// of the answer (an addition): the monthly token budget is spent and
	// the built-in analyst answers instead.
	EventNotice EventName = "notice"
)

// RecordType is the `type` column of a stored message.
type RecordType string

// Record types.
const (
	TypeText        RecordType = "text"
	TypeQueryResult RecordType = "query_result"
	TypePlot        RecordType = "plot"
	TypeError       RecordType = "error"
	// TypeToolCall keeps a model's tool request, for history replay.
	TypeToolCall RecordType = "tool_call"
	// TypeToolResult keeps a tool outcome which is neither a query result
	// nor a plot (a chart that could not be drawn), so that replay pairs it
	// with its call. Like tool_call, the UI does not show it.
	TypeToolResult RecordType = "tool_result"
	// TypeSuggestions keeps the questions offered after an answer
	// (SuggestionsData), so that a reload shows them again.
	TypeSuggestions RecordType = "suggestions"
)

// Role is who wrote a message.
type Role string

// Roles.
const (
	RoleUser      Role = "user"
	RoleAssistant Role = "assistant"
)

// Kind is what a user's message asks for.
type Kind string

// Request kinds, as the client sends them.
const (
	KindMessage     Kind = "message"
	KindAutoAnalyze Kind = "auto_analyze"
)

// Event is one message to the client: {"event": ..., "data": ...}. Data is
// one of the payload types of EventPayloads.
type Event struct {
	Event EventName `json:"event"`
	Data  any       `json:"data"`
}

// TextData is a piece of the answer's Markdown, streamed.
type TextData struct {
	Text string `json:"text"`
}

// StatusData says what is happening ("Running query…").
type StatusData struct {
	Message string `json:"message"`
}

// ErrorData is a failure the user reads.
type ErrorData struct {
	Message string `json:"message"`
}

// SessionUpdateData carries a session's new title.
type SessionUpdateData struct {
	Title string `json:"title"`
}

// DoneData is the payload of the `done` event that ends every turn.
type DoneData struct {
	// DataUpdated is set when the turn changed the session's data (a new
	// version of a table: SQL mode's CREATE OR REPLACE TABLE, a model's
	// transform_data, a built-in change): the client refreshes the
	// preview, the profile and the tables.
	DataUpdated bool `json:"data_updated"`
	// Stopped is set when the user stopped the turn or its time ran out.
	Stopped bool `json:"stopped"`
	// TimedOut is set when the turn's time limit ended it.
	TimedOut bool   `json:"timed_out,omitempty"`
	Usage    *Usage `json:"usage,omitempty"`
	// Model is who answered (absent for a plain SQL turn, which no
	// analyst answers).
	Model *Info `json:"model,omitempty"`
	// Cost is the answer's estimated cost; SessionUsage the session's
	// tokens and cost so far, replaced answers included.
	Cost         *Cost         `json:"cost,omitempty"`
	SessionUsage *SessionUsage `json:"session_usage,omitempty"`
	// Trace says where each figure of the answer's text came from, text
	// part by text part; absent when the answer wrote no text.
	Trace *trace.Answer `json:"trace,omitempty"`
}

// NoticeData is a notice about the turn.
type NoticeData struct {
	Message string `json:"message"`
}

// Cost is an estimated price in US dollars.
type Cost struct {
	USD float64 `json:"usd"`
	// Local is set when the answer came from this computer (the built-in
	// analyst, a local model): nothing to pay.
	Local bool `json:"local,omitempty"`
	// Unknown is set when a model's price is not in the price table: USD
	// leaves its tokens out.
	Unknown bool `json:"unknown,omitempty"`
}

// SessionUsage is what a session's answers used, all together.
type SessionUsage struct {
	Usage Usage `json:"usage"`
	Cost  Cost  `json:"cost"`
}

// Tokens is every token counted, cache included.
func (u Usage) Tokens() int64 {
	return u.InputTokens + u.OutputTokens + u.CacheReadTokens + u.CacheWriteTokens
}

// UserMessageData describes a user message once it is stored.
type UserMessageData struct {
	ID        string `json:"id"`
	Text      string `json:"text"`
	Kind      Kind   `json:"kind"`
	CreatedAt string `json:"created_at"`
	// Replaces names the message a retry or an edit replaced: the answers
	// after it (and, for an edit, the question itself) are gone from the
	// conversation.
	Replaces string `json:"replaces,omitempty"`
}

// Suggestion is a question offered to the user as a button: Kind message
// sends Text as a question, auto_analyze runs the automatic analysis.
type Suggestion struct {
	Label string `json:"label"`
	Text  string `json:"text,omitempty"`
	Kind  Kind   `json:"kind"`
}

// SuggestionsData is the payload of a suggestions event and the Data of
// its record.
type SuggestionsData struct {
	Suggestions []Suggestion `json:"suggestions"`
}

// EventPayloads maps each event to the type of its data: the wire
// protocol in one place, from which the client's TypeScript types are
// checked (chat's events test).
var EventPayloads = map[EventName]any{
	EventText:          TextData{},
	EventPlot:          PlotData{},
	EventQueryResult:   QueryResult{},
	EventStatus:        StatusData{},
	EventDone:          DoneData{},
	EventError:         ErrorData{},
	EventSessionUpdate: SessionUpdateData{},
	EventUserMessage:   UserMessageData{},
	EventSuggestions:   SuggestionsData{},
	EventNotice:        NoticeData{},
}

// StatusEvent, ErrorEvent, … build the events whose payload is one field.
func StatusEvent(msg string) Event { return Event{Event: EventStatus, Data: StatusData{Message: msg}} }

// ErrorEvent reports a failure to the client.
func ErrorEvent(msg string) Event { return Event{Event: EventError, Data: ErrorData{Message: msg}} }

// TextEvent streams a piece of text.
func TextEvent(text string) Event { return Event{Event: EventText, Data: TextData{Text: text}} }

// SessionUpdateEvent announces a new title.
func SessionUpdateEvent(title string) Event {
	return Event{Event: EventSessionUpdate, Data: SessionUpdateData{Title: title}}
}

// DoneEvent ends a turn.
func DoneEvent(d DoneData) Event { return Event{Event: EventDone, Data: d} }

// Record is one completed piece of the conversation, as it is stored;
// history for later turns is rebuilt from these.
type Record struct {
	Role     Role            `json:"role"`
	Type     RecordType      `json:"type"`
	Kind     Kind            `json:"kind,omitempty"` // user messages
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

// Dataset is what the agent knows of the session's data.
type Dataset struct {
	SessionID string
	Filename  string
	RowCount  int64
	Columns   []duck.Column
	Profile   *duck.Profile
	// Tables lists every table of the session, first the primary one
	// (the one above, also `data`), when it has more than one or one was
	// changed; JoinKeys the column pairs of two tables that share values.
	Tables   []TableInfo
	JoinKeys []JoinKey
}

// Request is one user turn.
type Request struct {
	Kind    Kind   // KindMessage or KindAutoAnalyze
	Text    string // the user's message (empty for auto_analyze)
	Dataset Dataset
	// History holds the session's earlier records, oldest first, without
	// this turn's user message.
	History []Record
}

// Info says which analyst answers, for the UI.
type Info struct {
	Name  string `json:"name"`  // "builtin", "anthropic", "openai"
	Model string `json:"model"` // empty for builtin
	// Local is set when it runs on this computer (the built-in analyst, a
	// model server on loopback): its answers cost nothing.
	Local bool `json:"local,omitempty"`
}

// AnswerUsage is what one answer used: who answered, its tokens and its
// estimated cost.
type AnswerUsage struct {
	Model Info  `json:"model"`
	Usage Usage `json:"usage"`
	Cost  Cost  `json:"cost"`
}

// Analyst answers turns that are not plain SQL. Implementations stream text
// and results through the reply and return the usage they incurred.
type Analyst interface {
	Info() Info
	Answer(ctx context.Context, req Request, reply *Reply) (Usage, error)
	// Title proposes a short session title after the first exchange.
	Title(ctx context.Context, req Request) (string, error)
}

// Engine is the part of the data engine the agent uses.
type Engine interface {
	Query(ctx context.Context, sessionID, sql string) (*duck.Result, error)
	IsSQL(ctx context.Context, text string) bool
}
