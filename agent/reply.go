package agent

import (
	"context"
	"encoding/json"
	"strings"
	"sync"

	"github.com/analyzerhq/analyzer/apperr"
)

// Sink is where a reply's parts go: Emit sends an event to the client, Save
// keeps a record. The chat package implements it over the socket and the
// database; tests implement it in memory. Only a Reply calls it.
type Sink interface {
	Emit(ev Event)
	Save(ctx context.Context, r Record) error
}

// Reply is the one way a turn produces output. Each part (text, a query
// result, a chart, an error) is sent to the client and kept as a record by
// one method, once; status lines are only sent, tool calls and tool results
// only kept. Text is streamed as it comes and kept as one record when the
// next part begins or the reply closes, so that a reload shows the parts in
// the order they were given.
//
// Records are saved even after the turn's context is cancelled: what was
// produced before a stop is kept.
type Reply struct {
	sink Sink
	keep context.Context

	mu          sync.Mutex
	text        strings.Builder // streamed, not yet kept
	usage       Usage           // not yet attached to a record
	dataUpdated bool            // a change was applied (Changed)
}

// NewReply returns a reply writing to sink; ctx's values (not its
// cancellation) reach the saves.
func NewReply(ctx context.Context, sink Sink) *Reply {
	return &Reply{sink: sink, keep: context.WithoutCancel(ctx)}
}

// Status tells the user what is happening; it is not kept.
func (r *Reply) Status(msg string) { r.sink.Emit(StatusEvent(msg)) }

// Text streams a piece of the answer's Markdown.
func (r *Reply) Text(delta string) {
	if delta == "" {
		return
	}
	r.mu.Lock()
	r.text.WriteString(delta)
	r.mu.Unlock()
	r.sink.Emit(TextEvent(delta))
}

// Usage adds a model call's tokens; the next text or tool call record
// carries them.
func (r *Reply) Usage(u Usage) {
	r.mu.Lock()
	r.usage.Add(u)
	r.mu.Unlock()
}

// EndText keeps the text streamed since the last part as one record.
func (r *Reply) EndText() error { return r.flush(false) }

// Close keeps the pending text, marked stopped when stopped is set. It is
// called once the turn has nothing more to say.
func (r *Reply) Close(stopped bool) error { return r.flush(stopped) }

// Result sends a query result and keeps it, bounded (QueryResult.Record).
func (r *Reply) Result(q *QueryResult) error {
	if err := r.flush(false); err != nil {
		return err
	}
	r.sink.Emit(Event{Event: EventQueryResult, Data: q})
	return r.save(q.Record())
}

// Plot sends a chart and keeps it with what it was drawn from.
func (r *Reply) Plot(p PlotData, meta PlotMeta) error {
	if err := r.flush(false); err != nil {
		return err
	}
	plot, err := json.Marshal(p)
	if err != nil {
		return apperr.Wrap(apperr.Internal, "internal error", err)
	}
	data, _ := json.Marshal(meta) // plain data: cannot fail
	r.sink.Emit(Event{Event: EventPlot, Data: p})
	return r.save(Record{Type: TypePlot, Text: p.Title, PlotData: plot, Data: data})
}

// ToolCall keeps a model's tool request, for replay; the user does not see it.
func (r *Reply) ToolCall(c ToolCallData) error {
	if err := r.flush(false); err != nil {
		return err
	}
	data, _ := json.Marshal(c) // plain data: cannot fail
	return r.save(Record{Type: TypeToolCall, Data: data})
}

// ToolResult keeps a tool outcome that is neither a result nor a chart,
// for replay; the user does not see it.
func (r *Reply) ToolResult(d ToolResultData, text string) error {
	if err := r.flush(false); err != nil {
		return err
	}
	data, _ := json.Marshal(d) // plain data: cannot fail
	return r.save(Record{Type: TypeToolResult, Text: text, Data: data})
}

// Suggest offers questions the user can send with one click, and keeps
// them.
func (r *Reply) Suggest(s []Suggestion) error {
	if len(s) == 0 {
		return nil
	}
	if err := r.flush(false); err != nil {
		return err
	}
	d := SuggestionsData{Suggestions: s}
	data, _ := json.Marshal(d) // plain data: cannot fail
	r.sink.Emit(Event{Event: EventSuggestions, Data: d})
	return r.save(Record{Type: TypeSuggestions, Data: data})
}

// Changed reports a change applied to the session's data: its note is
// sent and kept as text, and the turn's `done` says data_updated.
func (r *Reply) Changed(ch *Changed) error {
	r.mu.Lock()
	r.dataUpdated = true
	r.mu.Unlock()
	if err := r.flush(false); err != nil {
		return err
	}
	r.Text(ChangeNote(ch))
	return r.flush(false)
}

// DataUpdated reports whether the turn changed the session's data.
func (r *Reply) DataUpdated() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.dataUpdated
}

// Error reports a failure to the user and keeps it.
func (r *Reply) Error(msg string) error {
	if err := r.flush(false); err != nil {
		return err
	}
	r.sink.Emit(ErrorEvent(msg))
	return r.save(Record{Type: TypeError, Text: msg})
}

func (r *Reply) flush(stopped bool) error {
	r.mu.Lock()
	text := strings.TrimSpace(r.text.String())
	r.text.Reset()
	r.mu.Unlock()
	if text == "" {
		return nil
	}
	return r.save(Record{Type: TypeText, Text: text, Stopped: stopped})
}

// save keeps an assistant record; text and tool calls carry the model
// tokens not yet attached to a record.
func (r *Reply) save(rec Record) error {
	rec.Role = RoleAssistant
	if rec.Type == TypeText || rec.Type == TypeToolCall {
		r.mu.Lock()
		if r.usage != (Usage{}) {
			u := r.usage
			rec.Usage = &u
			r.usage = Usage{}
		}
		r.mu.Unlock()
	}
	if err := r.sink.Save(r.keep, rec); err != nil {
		return apperr.Wrap(apperr.Internal, "could not save the answer", err)
	}
	return nil
}
