package chat

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/analysts"
	"github.com/analyzerhq/analyzer/apperr"
	"github.com/analyzerhq/analyzer/storage"
	"github.com/analyzerhq/analyzer/trace"
)

// Turn is one reply being produced. Run produces it; Stop ends it early
// (what was produced is kept).
type Turn struct {
	c          *Chats
	session    *storage.Session
	req        agent.Request
	needsTitle bool
	sink       *turnSink
	agent      *agent.Agent    // answers with the analyst chosen for this turn
	choice     analysts.Choice // who that is
	sqlMode    bool            // plain SQL: no analyst answers
	notice     string          // said before the answer (the budget is spent)

	ctx  context.Context
	stop context.CancelFunc
	over chan struct{} // closed when Run's agent call returned

	// BeforeDone, when set, runs once just before `done` is sent: the
	// client may send its next message as soon as it reads `done`. stuck
	// is set when the turn has not returned (its time limit passed and it
	// does not heed cancellation).
	BeforeDone func(stuck bool)
}

// Stop ends the turn as the user asked.
func (t *Turn) Stop() { t.stop() }

// turnGrace is how long past its limit a turn that does not return is
// given before the client is told it ended anyway.
func turnGrace(limit time.Duration) time.Duration { return min(10*time.Second, limit) }

// Run produces the reply and ends it with `done`, whatever happens: a
// failure is reported and kept, a stop keeps what was produced and says
// so in the stored history, the time limit ends it with a message. A turn
// stuck past its limit in something that does not heed cancellation still
// ends for the client; Run returns when it really returns.
func (t *Turn) Run() {
	defer t.stop()
	go t.watch(time.Now().Add(t.c.limit + turnGrace(t.c.limit)))
	defer close(t.over)

	ctx := t.ctx
	if t.notice != "" {
		t.sink.Emit(agent.Event{Event: agent.EventNotice, Data: agent.NoticeData{Message: t.notice}})
	}
	reply := agent.NewReply(ctx, t.sink)
	usage, err := t.agent.Turn(ctx, t.req, reply)
	if err != nil && t.c.analysts != nil {
		t.c.analysts.Failed(t.choice, err)
	}
	stopped := agent.UserStopped(ctx)
	timedOut := errors.Is(context.Cause(ctx), ErrTurnTimeout)
	switch {
	case timedOut:
		err = reply.Error(timeoutMessage(t.c.limit))
		stopped = true
	case stopped:
		err = t.sink.markStopped()
	case err != nil:
		if apperr.KindOf(err) == apperr.Internal {
			t.c.log.Error("turn failed", "session", t.session.ID, "err", err)
		}
		err = reply.Error(apperr.MessageOf(err))
	case t.needsTitle:
		t.retitle(ctx)
	}
	if err != nil {
		t.c.log.Error("end of turn not kept", "session", t.session.ID, "err", err)
	}
	done := agent.DoneData{Stopped: stopped, TimedOut: timedOut, Trace: t.sink.trace.result(), DataUpdated: reply.DataUpdated()}
	if usage != (agent.Usage{}) {
		done.Usage = &usage
	}
	t.account(ctx, usage, &done)
	if tr := done.Trace; tr != nil && tr.Figures > 0 {
		level := slog.LevelDebug
		if tr.Untraced > 0 {
			level = slog.LevelInfo
		}
		t.c.log.Log(ctx, level, "answer traced", "session", t.session.ID, "analyst", t.choice.Provider,
			"figures", tr.Figures, "traced", tr.Traced, "untraced", tr.Untraced)
	}
	t.sink.done(done, false)
}

// retitle asks the analyst for a title after the first exchange. A failure
// here is not the user's concern: the session keeps its old title.
func (t *Turn) retitle(ctx context.Context) {
	req := t.req
	title, err := t.agent.Title(ctx, req)
	if err != nil || title == "" {
		if err != nil {
			t.c.log.Warn("title generation failed", "session", t.session.ID, "err", err)
		}
		return
	}
	changed, err := t.c.store.SetProposedTitle(ctx, t.session.ID, title)
	if err != nil {
		t.c.log.Error("save title", "session", t.session.ID, "err", err)
		return
	}
	if !changed { // the user named the session
		return
	}
	t.sink.Emit(agent.SessionUpdateEvent(title))
}

// watch ends the turn for the client at deadline if it has not returned
// by then: the timeout error and `done` are sent, and whatever it emits
// afterwards is dropped.
func (t *Turn) watch(deadline time.Time) {
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	select {
	case <-t.over:
		return
	case <-timer.C:
	}
	t.c.log.Error("turn did not return after its time limit", "session", t.session.ID, "limit", t.c.limit)
	t.sink.Emit(agent.ErrorEvent(timeoutMessage(t.c.limit)))
	t.sink.done(agent.DoneData{Stopped: true, TimedOut: true}, true)
}

// turnSink sends a turn's events and stores its records. After `done`,
// events are dropped (records are still kept).
type turnSink struct {
	t     *Turn
	send  func(agent.Event)
	trace *answerTrace

	mu      sync.Mutex
	ended   bool
	lastID  string // the last stored record the client shows
	flagged bool   // a stored record is marked stopped
}

var _ agent.Sink = (*turnSink)(nil)

func (k *turnSink) Emit(ev agent.Event) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if !k.ended {
		k.send(ev)
	}
}

// done sends `done` once, after BeforeDone.
func (k *turnSink) done(d agent.DoneData, stuck bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.ended {
		return
	}
	k.ended = true
	if k.t.BeforeDone != nil {
		k.t.BeforeDone(stuck)
	}
	k.send(agent.DoneEvent(d))
}

// Save stores a record, bounded (agent.BoundRecord). Past the turn's time
// limit or after a stop it still stores, within saveTimeout.
func (k *turnSink) Save(ctx context.Context, r agent.Record) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), saveTimeout)
	defer cancel()
	r = agent.BoundRecord(r)
	var traced *trace.Part
	if r.Type == agent.TypeText && r.Text != "" {
		t, data := k.trace.text(r.Text)
		traced, r.Data = &t, data
	}
	m := toMessage(k.t.session.ID, r)
	k.t.annotate(m, r)
	if err := k.t.c.store.AddMessage(ctx, m); err != nil {
		return err
	}
	k.trace.kept(r, m.ID, traced)
	k.mu.Lock()
	defer k.mu.Unlock()
	if visible(r.Type) {
		k.lastID = m.ID
	}
	k.flagged = k.flagged || r.Stopped
	return nil
}

// markStopped makes a stopped turn say so in the stored history: its last
// shown record is flagged, or an empty stopped text is kept when it showed
// nothing, so that a reload shows "Stopped" where the user stopped.
func (k *turnSink) markStopped() error {
	k.mu.Lock()
	flagged, last := k.flagged, k.lastID
	k.mu.Unlock()
	switch {
	case flagged:
		return nil
	case last != "":
		ctx, cancel := context.WithTimeout(context.WithoutCancel(k.t.ctx), saveTimeout)
		defer cancel()
		return k.t.c.store.MarkStopped(ctx, k.t.session.ID, last)
	default:
		return k.Save(k.t.ctx, agent.Record{Role: agent.RoleAssistant, Type: agent.TypeText, Stopped: true})
	}
}
