package server

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fasthttp/websocket"
)

// listen serves env's app on a loopback port and returns its host:port.
func (e *testEnv) listen() string {
	e.t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		e.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); e.srv.Serve(ctx, ln, 5*time.Second) }()
	e.t.Cleanup(func() { cancel(); <-done })
	return ln.Addr().String()
}

type wsEvent struct {
	Event string          `json:"event"`
	Data  json.RawMessage `json:"data"`
}

type wsClient struct {
	t    *testing.T
	conn *websocket.Conn
}

func dialWS(t *testing.T, addr, sessionID, token string) (*wsClient, *http.Response, error) {
	t.Helper()
	url := "ws://" + addr + "/api/sessions/" + sessionID + "/ws?token=" + token
	conn, resp, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		return nil, resp, err
	}
	t.Cleanup(func() { conn.Close() })
	return &wsClient{t: t, conn: conn}, resp, nil
}

func (c *wsClient) send(v any) {
	c.t.Helper()
	var err error
	if s, ok := v.(string); ok {
		err = c.conn.WriteMessage(websocket.TextMessage, []byte(s))
	} else {
		err = c.conn.WriteJSON(v)
	}
	if err != nil {
		c.t.Fatal(err)
	}
}

// until reads events up to and including the first one named last.
func (c *wsClient) until(last string, timeout time.Duration) []wsEvent {
	c.t.Helper()
	var events []wsEvent
	c.conn.SetReadDeadline(time.Now().Add(timeout))
	for {
		var ev wsEvent
		if err := c.conn.ReadJSON(&ev); err != nil {
			c.t.Fatalf("reading events (got %v so far): %v", names(events), err)
		}
		events = append(events, ev)
		if ev.Event == last {
			return events
		}
	}
}

func names(events []wsEvent) []string {
	var out []string
	for _, ev := range events {
		out = append(out, ev.Event)
	}
	return out
}

func find(events []wsEvent, name string) *wsEvent {
	for i := range events {
		if events[i].Event == name {
			return &events[i]
		}
	}
	return nil
}

// openPeopleChat serves a fresh environment on loopback where alice has
// uploaded peopleCSV, and opens her chat on it.
func openPeopleChat(t *testing.T) (*testEnv, *wsClient, string, uploadResult) {
	t.Helper()
	env := newTestEnv(t)
	addr := env.listen()
	alice := env.register("alice@example.com")
	sess := env.upload(alice, "people.csv", peopleCSV)
	c, _, err := dialWS(t, addr, sess.SessionID, alice)
	if err != nil {
		t.Fatal(err)
	}
	return env, c, alice, sess
}

func TestWebSocketRefusesBeforeUpgrade(t *testing.T) {
	env := newTestEnv(t)
	addr := env.listen()
	alice := env.register("alice@example.com")
	bob := env.register("bob@example.com")
	sess := env.upload(alice, "people.csv", peopleCSV)

	tests := []struct {
		name, id, token string
		status          int
	}{
		{"no token", sess.SessionID, "", 401},
		{"bad token", sess.SessionID, "garbage", 401},
		{"another user's session", sess.SessionID, bob, 404},
		{"unknown session", "0190a0a0-0000-7000-8000-000000000000", alice, 404},
		{"malformed id", "nope", alice, 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, resp, err := dialWS(t, addr, tt.id, tt.token)
			if err == nil || resp == nil || resp.StatusCode != tt.status {
				t.Fatalf("err %v, resp %+v; want status %d", err, resp, tt.status)
			}
		})
	}
	t.Run("cross-origin", func(t *testing.T) {
		url := "ws://" + addr + "/api/sessions/" + sess.SessionID + "/ws?token=" + alice
		_, resp, err := websocket.DefaultDialer.Dial(url, http.Header{"Origin": {"https://evil.example"}})
		if err == nil || resp.StatusCode != 403 {
			t.Fatalf("err %v resp %+v", err, resp)
		}
	})
	t.Run("plain GET", func(t *testing.T) {
		status, _ := env.doJSON("GET", "/api/sessions/"+sess.SessionID+"/ws?token="+alice, "", nil)
		if status != 426 {
			t.Fatalf("got %d", status)
		}
	})
}

func TestWebSocketSQLMode(t *testing.T) {
	env, c, alice, sess := openPeopleChat(t)

	c.send(map[string]string{"type": "message", "text": "SELECT city, count(*) AS n FROM data GROUP BY city ORDER BY n DESC, city"})
	events := c.until("done", 10*time.Second)
	qr := find(events, "query_result")
	if qr == nil || events[0].Event != "user_message" || events[1].Event != "status" {
		t.Fatalf("events %v", names(events))
	}
	var res struct {
		Result    []map[string]any `json:"result"`
		IsError   bool             `json:"is_error"`
		Columns   []string         `json:"columns"`
		RowCount  int64            `json:"row_count"`
		Truncated bool             `json:"truncated"`
	}
	json.Unmarshal(qr.Data, &res)
	if res.IsError || res.RowCount != 2 || len(res.Result) != 2 || res.Result[0]["city"] != "Paris" || res.Result[0]["n"] != float64(2) || res.Truncated {
		t.Fatalf("query_result %s", qr.Data)
	}
	var done struct {
		DataUpdated *bool `json:"data_updated"`
		Stopped     bool  `json:"stopped"`
	}
	json.Unmarshal(events[len(events)-1].Data, &done)
	if done.DataUpdated == nil || *done.DataUpdated || done.Stopped {
		t.Fatalf("done %s", events[len(events)-1].Data)
	}

	t.Run("a failing query is an error result, not a dead socket", func(t *testing.T) {
		c.send(map[string]string{"type": "message", "text": "SELECT nope FROM data"})
		events := c.until("done", 10*time.Second)
		qr := find(events, "query_result")
		if qr == nil || !strings.Contains(string(qr.Data), `"is_error":true`) {
			t.Fatalf("events %v %s", names(events), qr.Data)
		}
	})

	t.Run("writes are refused", func(t *testing.T) {
		c.send(map[string]string{"type": "message", "text": "COPY (SELECT 1) TO '/tmp/x.csv'"})
		events := c.until("done", 10*time.Second)
		qr := find(events, "query_result")
		if qr == nil || !strings.Contains(string(qr.Data), `"is_error":true`) {
			t.Fatalf("events %v", names(events))
		}
	})

	t.Run("bad client messages get error events", func(t *testing.T) {
		for _, msg := range []any{
			"not json",
			map[string]string{"type": "shout"},
			map[string]any{"type": "message", "text": 5},
			map[string]string{"type": "message", "text": "   "},
			map[string]string{},
		} {
			c.send(msg)
			events := c.until("error", 5*time.Second)
			if len(events) != 1 {
				t.Fatalf("%v: events %v", msg, names(events))
			}
		}
	})

	t.Run("everything was stored in order", func(t *testing.T) {
		_, body := env.doJSON("GET", "/api/sessions/"+sess.SessionID, alice, nil)
		var d struct {
			Messages []struct {
				Role, Type, Text string
				Data             json.RawMessage
			}
		}
		json.Unmarshal(body, &d)
		if len(d.Messages) != 6 {
			t.Fatalf("%d messages: %s", len(d.Messages), body)
		}
		want := []struct{ role, typ string }{
			{"user", "text"}, {"assistant", "query_result"},
			{"user", "text"}, {"assistant", "query_result"},
			{"user", "text"}, {"assistant", "query_result"},
		}
		for i, w := range want {
			m := d.Messages[i]
			if m.Role != w.role || m.Type != w.typ {
				t.Fatalf("message %d is %s/%s, want %s/%s", i, m.Role, m.Type, w.role, w.typ)
			}
		}
		if !strings.Contains(string(d.Messages[1].Data), `"city":"Paris"`) {
			t.Fatalf("stored result %s", d.Messages[1].Data)
		}
	})
}

func TestWebSocketStop(t *testing.T) {
	_, c, _, _ := openPeopleChat(t)
	// A query that runs in little memory: a cross join may be refused by
	// the memory budget before the stop arrives.
	c.send(map[string]string{"type": "message", "text": slowQuery})
	c.until("status", 5*time.Second)
	time.Sleep(200 * time.Millisecond)
	start := time.Now()
	c.send(map[string]string{"type": "stop"})
	events := c.until("done", 5*time.Second)
	if took := time.Since(start); took > 2*time.Second {
		t.Fatalf("stop took %v", took)
	}
	var done struct{ Stopped bool }
	json.Unmarshal(events[len(events)-1].Data, &done)
	if !done.Stopped {
		t.Fatalf("done %s", events[len(events)-1].Data)
	}
	// The connection still works.
	c.send(map[string]string{"type": "message", "text": "SELECT count(*) AS n FROM data"})
	events = c.until("done", 10*time.Second)
	if qr := find(events, "query_result"); qr == nil || !strings.Contains(string(qr.Data), `"n":3`) {
		t.Fatalf("after stop: %v", names(events))
	}
}

func TestWebSocketNaturalLanguage(t *testing.T) {
	env, c, alice, sess := openPeopleChat(t)
	c.send(map[string]string{"type": "message", "text": "average age by city"})
	events := c.until("done", 20*time.Second)
	if find(events, "text") == nil || find(events, "error") != nil {
		t.Fatalf("events %v", names(events))
	}
	if su := find(events, "session_update"); su == nil {
		t.Fatalf("no title after the first exchange: %v", names(events))
	}
	_, body := env.doJSON("GET", "/api/sessions/"+sess.SessionID, alice, nil)
	var d struct{ Title string }
	json.Unmarshal(body, &d)
	if d.Title == "people.csv" || d.Title == "" {
		t.Fatalf("title not stored: %q", d.Title)
	}
}

// TestWebSocketRetryAndEdit: retry and edit name a stored question by the
// id its user_message event gave; the reload shows the conversation they
// left, with a user message's kind.
func TestWebSocketRetryAndEdit(t *testing.T) {
	env, c, alice, sess := openPeopleChat(t)
	ask := func(msg map[string]string) []wsEvent {
		t.Helper()
		c.send(msg)
		evs := c.until("done", 10*time.Second)
		if evs[0].Event != "user_message" {
			t.Fatalf("events %v", names(evs))
		}
		return evs
	}
	var q struct {
		ID       string `json:"id"`
		Replaces string `json:"replaces"`
	}
	json.Unmarshal(ask(map[string]string{"type": "message", "text": "SELECT 1 AS one"})[0].Data, &q)
	ask(map[string]string{"type": "message", "text": "SELECT 2 AS two"})
	retried := ask(map[string]string{"type": "retry", "message_id": q.ID})
	var r struct{ ID, Replaces string }
	json.Unmarshal(retried[0].Data, &r)
	if r.ID != q.ID || r.Replaces != q.ID {
		t.Fatalf("retry user_message %s", retried[0].Data)
	}
	edited := ask(map[string]string{"type": "edit", "message_id": q.ID, "text": "SELECT 3 AS three"})
	json.Unmarshal(edited[0].Data, &r)
	if r.ID == q.ID || r.Replaces != q.ID {
		t.Fatalf("edit user_message %s", edited[0].Data)
	}
	_, body := env.doJSON("GET", "/api/sessions/"+sess.SessionID, alice, nil)
	var detail struct {
		Messages []struct {
			ID, Role, Text, Type, Kind string
		} `json:"messages"`
	}
	json.Unmarshal(body, &detail)
	if len(detail.Messages) != 2 || detail.Messages[0].ID != r.ID || detail.Messages[0].Text != "SELECT 3 AS three" ||
		detail.Messages[0].Kind != "message" || detail.Messages[1].Type != "query_result" {
		t.Fatalf("conversation %s", body)
	}
	// A retry of a message that is gone is refused with an error event.
	c.send(map[string]string{"type": "retry", "message_id": q.ID})
	if ev := c.next(5 * time.Second); ev.Event != "error" {
		t.Fatalf("retry of a replaced question: %s %s", ev.Event, ev.Data)
	}
}
