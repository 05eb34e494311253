package server

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/duck"
)

func TestTurnTimeLimit(t *testing.T) {
	env := newTestEnv(t, withLimits(Limits{TurnTimeout: time.Second}), withQueryTimeout(time.Minute))
	addr := env.listen()
	alice := env.register("alice@example.com")
	sess := env.upload(alice, "people.csv", peopleCSV)
	c, _, err := dialWS(t, addr, sess.SessionID, alice)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	c.send(map[string]string{"type": "message", "text": slowQuery})
	events := c.until("done", 10*time.Second)
	if took := time.Since(start); took > 4*time.Second {
		t.Fatalf("the turn ended after %v, limit 1s", took)
	}
	ev := find(events, "error")
	if ev == nil || !strings.Contains(string(ev.Data), "took longer than the 1 second limit") {
		t.Fatalf("events %v, error %v", names(events), ev)
	}
	var done struct {
		Stopped  bool `json:"stopped"`
		TimedOut bool `json:"timed_out"`
	}
	json.Unmarshal(events[len(events)-1].Data, &done)
	if !done.Stopped || !done.TimedOut {
		t.Fatalf("done %s", events[len(events)-1].Data)
	}
	// What was produced is kept: the user's message, the query's outcome
	// and the timeout.
	_, body := env.doJSON("GET", "/api/sessions/"+sess.SessionID, alice, nil)
	var d struct {
		Messages []struct{ Role, Type, Text string }
	}
	json.Unmarshal(body, &d)
	if n := len(d.Messages); n < 2 || d.Messages[0].Text != slowQuery || d.Messages[n-1].Type != "error" || !strings.Contains(d.Messages[n-1].Text, "took longer") {
		t.Fatalf("stored %+v", d.Messages)
	}
	// The socket and the user's reply slot are free again.
	c.send(map[string]string{"type": "message", "text": "SELECT count(*) AS n FROM data"})
	if qr := find(c.until("done", 10*time.Second), "query_result"); qr == nil || !strings.Contains(string(qr.Data), `"n":3`) {
		t.Fatal("no answer after the timeout")
	}
}

// stuckAnalyst ignores cancellation for a while, as a turn stuck in
// something uninterruptible would.
type stuckAnalyst struct{ for_ time.Duration }

func (stuckAnalyst) Info() agent.Info { return agent.Info{Name: "stuck"} }

func (a stuckAnalyst) Answer(ctx context.Context, req agent.Request, reply *agent.Reply) (agent.Usage, error) {
	time.Sleep(a.for_)
	reply.Text("late")
	return agent.Usage{}, ctx.Err()
}

func (stuckAnalyst) Title(context.Context, agent.Request) (string, error) { return "", nil }

func TestTurnStuckPastItsLimitEndsForTheClient(t *testing.T) {
	env := newTestEnv(t, withLimits(Limits{TurnTimeout: 300 * time.Millisecond}),
		withAnalyst(func(*duck.Engine) agent.Analyst { return stuckAnalyst{for_: 3 * time.Second} }))
	addr := env.listen()
	alice := env.register("alice@example.com")
	sess := env.upload(alice, "people.csv", peopleCSV)
	c, _, err := dialWS(t, addr, sess.SessionID, alice)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	c.send(map[string]string{"type": "message", "text": "what is the average age?"})
	events := c.until("done", 5*time.Second)
	if took := time.Since(start); took > 2*time.Second {
		t.Fatalf("done after %v", took)
	}
	if ev := find(events, "error"); ev == nil || !strings.Contains(string(ev.Data), "took longer") {
		t.Fatalf("events %v", names(events))
	}
	// The stuck turn's late output is not sent after `done`.
	c.conn.SetReadDeadline(time.Now().Add(3500 * time.Millisecond))
	var ev wsEvent
	if err := c.conn.ReadJSON(&ev); err == nil {
		t.Fatalf("event after done: %s %s", ev.Event, ev.Data)
	}
}
