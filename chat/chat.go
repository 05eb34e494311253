// Package chat owns a conversation: it loads and replays its history,
// stores the user's message, runs the turn through the agent with a reply
// that sends and keeps each part once, names the session after its first
// exchange, and replaces the answers a retry or an edit supersedes. It maps
// stored messages to what the agent replays (Records) and to what a client
// reloads (Transcript).
//
// The server hands it authenticated commands; chat never sees a socket.
package chat

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/apperr"
	"github.com/analyzerhq/analyzer/duck"
	"github.com/analyzerhq/analyzer/storage"
)

// CommandType names a client → server message.
type CommandType string

// Client commands. message, auto_analyze and stop are the contract's;
// retry and edit are additions.
const (
	CommandMessage     CommandType = "message"
	CommandAutoAnalyze CommandType = "auto_analyze"
	CommandStop        CommandType = "stop"
	// CommandRetry answers the user message MessageID again: the answers
	// after it are replaced.
	CommandRetry CommandType = "retry"
	// CommandEdit replaces the user message MessageID with Text and
	// answers it: that message and everything after it are replaced.
	CommandEdit CommandType = "edit"
)

// Command is a validated client command.
type Command struct {
	Type      CommandType `json:"type"`
	Text      string      `json:"text,omitempty"`
	MessageID string      `json:"message_id,omitempty"`
}

// CommandTypes lists the client commands, for validation messages and
// the client's types.
var CommandTypes = []CommandType{CommandMessage, CommandAutoAnalyze, CommandStop, CommandRetry, CommandEdit}

// AutoAnalyzeText is the text stored for an auto_analyze request.
const AutoAnalyzeText = "Auto-analyze"

// ErrTurnTimeout is the cause of a turn's context when its time ran out.
var ErrTurnTimeout = errors.New("turn time limit")

// saveTimeout bounds storing one record once the turn's own time is up:
// what was produced before the limit is kept, as after a stop.
const saveTimeout = 10 * time.Second

// Profiler gives a session's column statistics (*duck.Engine).
type Profiler interface {
	Profile(ctx context.Context, sessionID string) (*duck.Profile, error)
}

// Tables describes a session's tables when it has several or changed
// one (*tables.Service); nil: each session has its one dataset.
type Tables interface {
	Describe(ctx context.Context, sessionID string) ([]agent.TableInfo, []agent.JoinKey, error)
}

// Options configures Chats.
type Options struct {
	Tables Tables
	// TurnTimeout bounds a turn, from loading its history to storing its
	// last record.
	TurnTimeout time.Duration
	Log         *slog.Logger
	// Analysts picks who answers each session's turns; nil: the agent's
	// own analyst answers every turn.
	Analysts Analysts
	// MonthlyTokenBudget is each user's model tokens per calendar month;
	// past it the built-in analyst answers. 0 = no budget.
	MonthlyTokenBudget int64
}

// Chats runs the conversations of every session.
type Chats struct {
	tables   Tables
	store    *storage.DB
	agent    *agent.Agent
	engine   Profiler
	limit    time.Duration
	log      *slog.Logger
	analysts Analysts
	budget   int64
}

// New returns the conversations over store, answered by ag.
func New(store *storage.DB, ag *agent.Agent, engine Profiler, opts Options) *Chats {
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.TurnTimeout <= 0 {
		opts.TurnTimeout = 5 * time.Minute
	}
	return &Chats{store: store, agent: ag, engine: engine, tables: opts.Tables, limit: opts.TurnTimeout, log: opts.Log,
		analysts: opts.Analysts, budget: opts.MonthlyTokenBudget}
}

// Info describes the analyst that answers by default.
func (c *Chats) Info() agent.Info {
	if c.analysts != nil {
		d := c.analysts.Default()
		info := d.Info()
		info.Local = d.Local
		return info
	}
	return c.agent.Info()
}

// Begin prepares a turn for cmd (message, auto_analyze, retry or edit):
// the user's message is stored (or, for a retry, found) and what it
// replaces is marked so before Begin returns; the reply runs in Run. send
// delivers events to the client; it must not block for long. The turn's
// context derives from parent and ends with ErrTurnTimeout after the turn
// time limit. A returned error's message is safe to show.
func (c *Chats) Begin(parent context.Context, sess *storage.Session, cmd Command, send func(agent.Event)) (*Turn, error) {
	timed, cancelTimer := context.WithTimeoutCause(parent, c.limit, ErrTurnTimeout)
	ctx, cancel := context.WithCancel(timed)
	stop := func() { cancel(); cancelTimer() }
	t, err := c.begin(ctx, sess, cmd, send)
	if err != nil {
		stop()
		return nil, err
	}
	t.ctx, t.stop = ctx, stop
	return t, nil
}

func (c *Chats) begin(ctx context.Context, sess *storage.Session, cmd Command, send func(agent.Event)) (*Turn, error) {
	history, err := c.store.ListMessages(ctx, sess.ID)
	if err != nil {
		return nil, err
	}
	var user *storage.Message
	var replaced []string // ids of the messages this turn replaces
	replaces := ""
	switch cmd.Type {
	case CommandMessage, CommandAutoAnalyze:
		user = newUserMessage(sess.ID, cmd)
	case CommandRetry, CommandEdit:
		i, err := findUserMessage(history, cmd.MessageID)
		if err != nil {
			return nil, err
		}
		replaces = history[i].ID
		if cmd.Type == CommandRetry {
			user = &history[i]
			replaced = ids(history[i+1:])
		} else {
			user = newUserMessage(sess.ID, cmd)
			replaced = ids(history[i:])
		}
		history = history[:i]
	default:
		return nil, apperr.Newf(apperr.Invalid, "a turn cannot start with %q", cmd.Type)
	}
	if user.ID == "" {
		if err := c.store.AddMessage(ctx, user); err != nil {
			return nil, err
		}
	}
	if err := c.store.Supersede(ctx, sess.ID, replaced, user.ID); err != nil {
		return nil, err
	}
	send(agent.Event{Event: agent.EventUserMessage, Data: agent.UserMessageData{
		ID: user.ID, Text: user.Text, Kind: agent.Kind(user.Kind),
		CreatedAt: user.CreatedAt.UTC().Format(time.RFC3339Nano), Replaces: replaces,
	}})
	req := agent.Request{
		Kind:    agent.Kind(user.Kind),
		Dataset: c.dataset(ctx, sess),
		History: Records(history),
	}
	if req.Kind == agent.KindMessage {
		req.Text = user.Text
	}
	t := &Turn{
		c:          c,
		session:    sess,
		req:        req,
		needsTitle: len(history) == 0,
		over:       make(chan struct{}),
		sqlMode:    c.agent.IsSQL(ctx, req),
	}
	t.agent, t.choice, t.notice = c.pick(ctx, sess, t.sqlMode)
	t.sink = &turnSink{t: t, send: send, trace: newAnswerTrace(req)}
	return t, nil
}

func newUserMessage(sessionID string, cmd Command) *storage.Message {
	m := &storage.Message{SessionID: sessionID, Role: string(agent.RoleUser), Type: string(agent.TypeText),
		Kind: string(agent.KindMessage), Text: cmd.Text}
	if cmd.Type == CommandAutoAnalyze {
		m.Kind, m.Text = string(agent.KindAutoAnalyze), AutoAnalyzeText
	}
	return m
}

// findUserMessage returns the index of the current user message id.
func findUserMessage(history []storage.Message, id string) (int, error) {
	for i, m := range history {
		if m.ID == id {
			if m.Role != string(agent.RoleUser) {
				return 0, apperr.New(apperr.Invalid, "only a question can be retried or edited")
			}
			return i, nil
		}
	}
	return 0, apperr.New(apperr.NotFound, "that message is not in this conversation any more")
}

func ids(msgs []storage.Message) []string {
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = m.ID
	}
	return out
}

// dataset describes the session's data for the agent.
func (c *Chats) dataset(ctx context.Context, sess *storage.Session) agent.Dataset {
	ds := agent.Dataset{SessionID: sess.ID}
	f := sess.File
	if f == nil {
		return ds
	}
	ds.Filename, ds.RowCount = f.Filename, f.RowCount
	names, types, err := f.ColumnList()
	if err != nil {
		c.log.Error("stored columns unreadable", "session", sess.ID, "err", err)
	}
	for i, n := range names {
		col := duck.Column{Name: n}
		if i < len(types) {
			col.Type = types[i]
		}
		ds.Columns = append(ds.Columns, col)
	}
	if p, err := c.engine.Profile(ctx, sess.ID); err == nil {
		ds.Profile = p
	} else {
		c.log.Warn("profile unavailable", "session", sess.ID, "err", err)
	}
	c.describeTables(ctx, &ds)
	return ds
}

// describeTables adds the session's tables, when it has several or
// changed one: the first table's current version then replaces the
// upload's counts and columns.
func (c *Chats) describeTables(ctx context.Context, ds *agent.Dataset) {
	if c.tables == nil {
		return
	}
	infos, keys, err := c.tables.Describe(ctx, ds.SessionID)
	if err != nil {
		c.log.Warn("tables unavailable", "session", ds.SessionID, "err", err)
		return
	}
	if len(infos) == 0 {
		return
	}
	ds.Tables, ds.JoinKeys = infos, keys
	if first := infos[0]; len(first.Columns) > 0 {
		ds.RowCount, ds.Columns = first.RowCount, first.Columns
	}
}

// timeoutMessage is what the user reads when a reply ran out of time.
func timeoutMessage(limit time.Duration) string {
	return fmt.Sprintf("this reply took longer than the %s limit and was stopped; what it produced so far is kept", durationText(limit))
}

func durationText(d time.Duration) string {
	switch {
	case d >= time.Minute && d%time.Minute == 0:
		if d == time.Minute {
			return "1 minute"
		}
		return fmt.Sprintf("%d minutes", d/time.Minute)
	case d >= time.Second && d%time.Second == 0:
		if d == time.Second {
			return "1 second"
		}
		return fmt.Sprintf("%d seconds", d/time.Second)
	}
	return d.String()
}
