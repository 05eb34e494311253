package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/fasthttp/websocket"
)

// eventually polls cond every 50ms for up to d.
func eventually(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if cond() {
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return cond()
}

// closedWith reads from c until the server closes it and returns the close
// frame, failing after timeout.
func (c *wsClient) closedWith(timeout time.Duration) *websocket.CloseError {
	c.t.Helper()
	c.conn.SetReadDeadline(time.Now().Add(timeout))
	for {
		_, _, err := c.conn.ReadMessage()
		if err == nil {
			continue
		}
		var ce *websocket.CloseError
		if errors.As(err, &ce) {
			return ce
		}
		c.t.Fatalf("socket not closed by the server: %v", err)
	}
}

func TestPasswordChangeRevokesTokens(t *testing.T) {
	env := newTestEnv(t, withLimits(Limits{WSAccountCheck: 200 * time.Millisecond}))
	addr := env.listen()
	alice := env.register("alice@example.com")
	sess := env.upload(alice, "people.csv", peopleCSV)
	c, _, err := dialWS(t, addr, sess.SessionID, alice)
	if err != nil {
		t.Fatal(err)
	}
	if status, _ := env.doJSON("GET", "/api/sessions", alice, nil); status != 200 {
		t.Fatalf("token refused before the change: %d", status)
	}

	// As `analyzer user passwd` does, from outside the server.
	if err := env.store.SetPassword(context.Background(), "alice@example.com", "another password"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	ce := c.closedWith(5 * time.Second)
	if ce.Code != wsCloseSignedOut || ce.Text != "signed out" {
		t.Fatalf("closed with %d %q, want %d signed out", ce.Code, ce.Text, wsCloseSignedOut)
	}
	t.Logf("socket closed %v after the change", time.Since(start).Round(time.Millisecond))

	var last []byte
	if !eventually(2*time.Second, func() bool {
		var status int
		status, last = env.doJSON("GET", "/api/sessions", alice, nil)
		return status == http.StatusUnauthorized
	}) {
		t.Fatalf("old token still works after the password change: %s", last)
	}
	if d := detail(last); d != "the password of this account was changed: sign in again" {
		t.Fatalf("detail %q", d)
	}
	if _, resp, err := dialWS(t, addr, sess.SessionID, alice); err == nil || resp == nil || resp.StatusCode != 401 {
		t.Fatalf("socket opened with the old token: %v %+v", err, resp)
	}

	// The new password gives a token that works, sockets included.
	status, body := env.doJSON("POST", "/api/auth/login", "", map[string]string{"email": "alice@example.com", "password": "another password"})
	if status != 200 {
		t.Fatalf("login: %d %s", status, body)
	}
	fresh := tokenOf(body)
	if status, _ := env.doJSON("GET", "/api/sessions/"+sess.SessionID, fresh, nil); status != 200 {
		t.Fatalf("new token refused: %d", status)
	}
	c2, _, err := dialWS(t, addr, sess.SessionID, fresh)
	if err != nil {
		t.Fatal(err)
	}
	c2.send(map[string]string{"type": "message", "text": "SELECT count(*) AS n FROM data"})
	if qr := find(c2.until("done", 10*time.Second), "query_result"); qr == nil {
		t.Fatal("no answer on the new token's socket")
	}
}

func TestDeletedAccountLosesItsSocketAndTurn(t *testing.T) {
	env := newTestEnv(t, withLimits(Limits{WSAccountCheck: 200 * time.Millisecond}), withQueryTimeout(time.Minute))
	addr := env.listen()
	alice := env.register("alice@example.com")
	sess := env.upload(alice, "people.csv", peopleCSV)
	c, _, err := dialWS(t, addr, sess.SessionID, alice)
	if err != nil {
		t.Fatal(err)
	}
	c.send(map[string]string{"type": "message", "text": slowQuery})
	c.until("status", 5*time.Second)
	time.Sleep(300 * time.Millisecond)
	if turnsRunning(env) != 1 {
		t.Fatal("the reply is not running")
	}
	if _, err := env.store.DeleteUser(context.Background(), "alice@example.com"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	ce := c.closedWith(5 * time.Second)
	if ce.Code != wsCloseSignedOut {
		t.Fatalf("closed with %d %q", ce.Code, ce.Text)
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Fatalf("closed only after %v", took)
	}
	// The running reply was stopped: the user holds no reply any more.
	if !eventually(5*time.Second, func() bool { return turnsRunning(env) == 0 }) {
		t.Fatal("the deleted account's reply is still running")
	}
}

func tokenOf(body []byte) string {
	var out struct{ Token string }
	_ = json.Unmarshal(body, &out)
	return out.Token
}

// turnsRunning counts the replies running on env's server.
func turnsRunning(env *testEnv) int {
	env.srv.guard.mu.Lock()
	defer env.srv.guard.mu.Unlock()
	n := 0
	for _, k := range env.srv.guard.turns {
		n += k
	}
	return n
}

func TestRegistrationOfATakenEmailTakesAsLong(t *testing.T) {
	env := newTestEnv(t)
	timed := func(email string) (time.Duration, int) {
		start := time.Now()
		status, _ := env.doJSON("POST", "/api/auth/register", "", map[string]string{"email": email, "password": "password123"})
		return time.Since(start), status
	}
	fresh, status := timed("alice@example.com")
	if status != 200 {
		t.Fatalf("register: %d", status)
	}
	taken, status := timed("Alice@Example.com")
	if status != 409 {
		t.Fatalf("taken email: %d", status)
	}
	// Both hash the password (bcrypt, hundreds of milliseconds): a taken
	// email must not answer in a fraction of that.
	if taken < fresh/2 {
		t.Fatalf("taken email answered in %v, a new one in %v", taken, fresh)
	}
	t.Logf("new %v, taken %v", fresh, taken)
}
