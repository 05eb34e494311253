package agent

import (
	"context"
	"errors"
	"log/slog"
	"time"
)

// Agent runs turns: plain SQL straight through the sandbox, everything else
// through the configured analyst.
type Agent struct {
	engine  Engine
	analyst Analyst
	changer Changer // nil: the data cannot be changed
	log     *slog.Logger
}

// SetChanger lets SQL mode change the data (CREATE OR REPLACE TABLE …
// AS SELECT …); it is set once, before the agent serves.
func (a *Agent) SetChanger(c Changer) { a.changer = c }

// New returns an agent answering with analyst and querying through engine.
func New(engine Engine, analyst Analyst, log *slog.Logger) *Agent {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Agent{engine: engine, analyst: analyst, log: log}
}

// With returns an agent like a that answers with analyst: the model a
// session chose, or the built-in analyst when the budget is spent.
func (a *Agent) With(analyst Analyst) *Agent {
	b := *a
	b.analyst = analyst
	return &b
}

// IsSQL reports whether req is plain SQL (a query, or a CREATE TABLE that
// makes a new version), which runs without an analyst.
func (a *Agent) IsSQL(ctx context.Context, req Request) bool {
	if req.Kind != KindMessage {
		return false
	}
	if a.changer != nil {
		if _, ok := ParseCreateTable(req.Text); ok {
			return true
		}
	}
	return a.engine.IsSQL(ctx, req.Text)
}

// Info describes the analyst that answers natural-language turns.
func (a *Agent) Info() Info { return a.analyst.Info() }

// Turn answers one request through reply and returns the model tokens it
// used and why it failed, if it did. The text still pending when it ends is
// kept, marked stopped when the user stopped the turn. Reporting the error
// and ending the turn (`done`) is the caller's: it knows why a context
// ended. Cancelling ctx is how the user stops a turn.
func (a *Agent) Turn(ctx context.Context, req Request, reply *Reply) (Usage, error) {
	start := time.Now()
	var usage Usage
	var err error
	ct, isChange := CreateTable{}, false
	if req.Kind == KindMessage && a.changer != nil {
		ct, isChange = ParseCreateTable(req.Text)
	}
	sqlMode := isChange || req.Kind == KindMessage && a.engine.IsSQL(ctx, req.Text)
	switch {
	case isChange:
		err = a.runChange(ctx, req, reply, ct)
	case sqlMode:
		err = a.runSQL(ctx, req, reply)
	default:
		usage, err = a.analyst.Answer(ctx, req, reply)
	}
	if cerr := reply.Close(UserStopped(ctx)); cerr != nil && err == nil {
		err = cerr
	}
	a.log.Debug("turn", "session", req.Dataset.SessionID, "kind", req.Kind, "sql", sqlMode,
		"elapsed", time.Since(start), "input_tokens", usage.InputTokens, "output_tokens", usage.OutputTokens, "err", err)
	return usage, err
}

// Title asks the analyst for a session title after the first exchange.
func (a *Agent) Title(ctx context.Context, req Request) (string, error) {
	return a.analyst.Title(ctx, req)
}

// UserStopped reports whether ctx ended because the turn was stopped (a
// plain cancel), not because its time ran out.
func UserStopped(ctx context.Context) bool {
	return ctx.Err() != nil && errors.Is(context.Cause(ctx), context.Canceled)
}
