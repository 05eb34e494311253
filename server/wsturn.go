package server

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/storage"
)

// errTurnTimeout is the cause of a turn's context when TurnTimeout expired.
var errTurnTimeout = errors.New("turn time limit")

// saveTimeout bounds storing one record once the turn's own time is up:
// what was produced before the limit is kept, as after a stop.
const saveTimeout = 10 * time.Second

// turnGrace is how long past its limit a turn that does not return is
// given before the client is told it ended anyway.
func turnGrace(limit time.Duration) time.Duration { return min(10*time.Second, limit) }

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

// wsSink connects a turn to the socket and the database. When the turn's
// time limit expires, the error the agent reports becomes the timeout
// message (or one is added before `done` if the agent reported none), and
// `done` says stopped and timed_out.
type wsSink struct {
	w          *wsConn
	ctx        context.Context // the turn's
	limit      time.Duration
	beforeDone func() // marks the turn finished before `done` is sent

	mu        sync.Mutex
	errorSent bool
	ended     bool // `done` was sent: later events are dropped
	over      chan struct{}
	overOnce  sync.Once
}

// doneData is the `done` event's payload with what the server adds.
type doneData struct {
	agent.DoneData
	TimedOut bool `json:"timed_out,omitempty"`
}

func (k *wsSink) timedOut() bool { return errors.Is(context.Cause(k.ctx), errTurnTimeout) }

func (k *wsSink) overCh() chan struct{} {
	k.overOnce.Do(func() { k.over = make(chan struct{}) })
	return k.over
}

// finish tells the watchdog that the turn returned.
func (k *wsSink) finish() { close(k.overCh()) }

// watch ends the turn for the client at deadline if it has not returned
// by then: the timeout error and `done` are sent, and whatever it emits
// afterwards is dropped.
func (k *wsSink) watch(deadline time.Time, finished func()) {
	t := time.NewTimer(time.Until(deadline))
	defer t.Stop()
	select {
	case <-k.overCh():
		return
	case <-k.w.ctx.Done():
		return
	case <-t.C:
	}
	k.w.s.log.Error("turn did not return after its time limit", "request_id", k.w.requestID, "session", k.w.session.ID, "limit", k.limit)
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.ended {
		return
	}
	k.ended = true
	if !k.errorSent {
		k.errorSent = true
		k.w.sendError(timeoutMessage(k.limit))
	}
	finished()
	k.w.send(agent.Event{Event: agent.EventDone, Data: doneData{DoneData: agent.DoneData{Stopped: true}, TimedOut: true}})
}

func (k *wsSink) Emit(ev agent.Event) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.ended {
		return
	}
	switch ev.Event {
	case agent.EventError:
		if k.timedOut() {
			if k.errorSent {
				return
			}
			ev = agent.Event{Event: agent.EventError, Data: map[string]string{"message": timeoutMessage(k.limit)}}
		}
		k.errorSent = true
	case agent.EventDone:
		if k.timedOut() {
			if !k.errorSent {
				k.errorSent = true
				msg := timeoutMessage(k.limit)
				k.w.sendError(msg)
				if err := k.save(context.WithoutCancel(k.ctx), agent.Record{Role: agent.RoleAssistant, Type: agent.TypeError, Text: msg}); err != nil {
					k.w.s.log.Error("save timeout record", "session", k.w.session.ID, "err", err)
				}
			}
			d, _ := ev.Data.(agent.DoneData)
			d.Stopped = true
			ev.Data = doneData{DoneData: d, TimedOut: true}
		}
		k.ended = true
		if k.beforeDone != nil {
			k.beforeDone()
		}
	}
	k.w.send(ev)
}

// Save stores a record, bounded (agent.BoundRecord). Past the turn's time
// limit it still stores, within saveTimeout: what was produced is kept.
func (k *wsSink) Save(ctx context.Context, r agent.Record) error {
	if r.Type == agent.TypeError && k.timedOut() {
		r.Text = timeoutMessage(k.limit)
	}
	return k.save(ctx, r)
}

func (k *wsSink) save(ctx context.Context, r agent.Record) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), saveTimeout)
	defer cancel()
	r = agent.BoundRecord(r)
	m := &storage.Message{
		SessionID: k.w.session.ID,
		Role:      r.Role,
		Type:      r.Type,
		Text:      r.Text,
		PlotData:  storage.JSON(r.PlotData),
		Data:      storage.JSON(r.Data),
		Stopped:   r.Stopped,
	}
	if r.Usage != nil {
		m.Usage = storage.MustJSON(r.Usage)
	}
	return k.w.s.store.AddMessage(ctx, m)
}
