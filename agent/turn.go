package agent

import (
	"context"
	"errors"
	"log/slog"

	"github.com/analyzerhq/analyzer/apperr"
)

// Agent runs turns: plain SQL straight through the sandbox, everything else
// through the configured analyst.
type Agent struct {
	engine  Engine
	analyst Analyst
	log     *slog.Logger
}

// New returns an agent answering with analyst and querying through engine.
func New(engine Engine, analyst Analyst, log *slog.Logger) *Agent {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Agent{engine: engine, analyst: analyst, log: log}
}

// Info describes the analyst that answers natural-language turns.
func (a *Agent) Info() Info { return a.analyst.Info() }

// DoneData is the payload of the `done` event.
type DoneData struct {
	DataUpdated bool   `json:"data_updated"`
	Stopped     bool   `json:"stopped"`
	Usage       *Usage `json:"usage,omitempty"`
}

// Turn answers one request. It always ends with a `done` event, whatever
// happened; failures are reported to the client as an `error` event and kept
// as an error record. Cancelling ctx is how the user stops a turn.
func (a *Agent) Turn(ctx context.Context, req Request, sink Sink) {
	// Records written after a stop must still reach the database.
	keep := context.WithoutCancel(ctx)

	var usage Usage
	var err error
	if req.Kind == KindMessage && a.engine.IsSQL(ctx, req.Text) {
		err = a.runSQL(ctx, req, sink)
	} else {
		usage, err = a.analyst.Answer(ctx, req, sink)
	}

	stopped := ctx.Err() != nil && errors.Is(context.Cause(ctx), context.Canceled)
	switch {
	case stopped:
		// The user asked for it: what was produced so far is already saved.
	case err != nil:
		msg := apperr.MessageOf(err)
		if apperr.KindOf(err) == apperr.Internal {
			a.log.Error("turn failed", "session", req.Dataset.SessionID, "err", err)
		}
		sink.Emit(Event{Event: EventError, Data: map[string]string{"message": msg}})
		if serr := sink.Save(keep, Record{Role: RoleAssistant, Type: TypeError, Text: msg}); serr != nil {
			a.log.Error("save error record", "err", serr)
		}
	case req.NeedsTitle:
		a.retitle(ctx, req, sink)
	}

	done := DoneData{Stopped: stopped}
	if usage != (Usage{}) {
		done.Usage = &usage
	}
	sink.Emit(Event{Event: EventDone, Data: done})
}

// retitle asks the analyst for a title after the first exchange. A failure
// here is not the user's concern: the session keeps its old title.
func (a *Agent) retitle(ctx context.Context, req Request, sink Sink) {
	title, err := a.analyst.Title(ctx, req)
	if err != nil || title == "" {
		if err != nil {
			a.log.Warn("title generation failed", "session", req.Dataset.SessionID, "err", err)
		}
		return
	}
	if err := sink.SaveTitle(ctx, title); err != nil {
		a.log.Error("save title", "err", err)
		return
	}
	sink.Emit(Event{Event: EventSessionUpdate, Data: map[string]string{"title": title}})
}
