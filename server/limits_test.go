package server

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fasthttp/websocket"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/agent/llm"
	"github.com/analyzerhq/analyzer/duck"
)

// slowQuery runs until stopped, in little memory.
const slowQuery = "SELECT count(*) FROM range(1000000000000) t(i) WHERE i % 7 = 123"

func TestWebSocketMessageSize(t *testing.T) {
	env := newTestEnv(t)
	addr := env.listen()
	token := env.register("alice@example.com")
	sess := env.upload(token, "people.csv", peopleCSV)

	tests := []struct {
		name    string
		size    int  // bytes of the whole message
		closed  bool // the server closes the socket (1009)
		errorEv bool // the server answers with an error event
	}{
		{"within the limit, text too long", wsMaxMessage - 100, false, true},
		{"exactly the limit", wsMaxMessage, false, true},
		{"one byte over", wsMaxMessage + 1, true, false},
		{"a megabyte", 1 << 20, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _, err := dialWS(t, addr, sess.SessionID, token)
			if err != nil {
				t.Fatal(err)
			}
			prefix, suffix := `{"type":"message","text":"`, `"}`
			msg := prefix + strings.Repeat("a", tt.size-len(prefix)-len(suffix)) + suffix
			werr := c.conn.WriteMessage(websocket.TextMessage, []byte(msg))
			c.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
			var ev wsEvent
			err = c.conn.ReadJSON(&ev)
			if tt.closed {
				// The server closes with 1009 as soon as the frame header
				// says too much; a client still writing may see the reset.
				if !websocket.IsCloseError(err, websocket.CloseMessageTooBig) && werr == nil {
					t.Fatalf("want close 1009, got event %+v err %v", ev, err)
				}
				if err == nil {
					t.Fatalf("the socket still answers: %+v", ev)
				}
				return
			}
			if werr != nil {
				t.Fatal(werr)
			}
			if err != nil || ev.Event != "error" || !strings.Contains(string(ev.Data), "longer than") {
				t.Fatalf("event %+v %s, err %v", ev, ev.Data, err)
			}
		})
	}
}

func TestWebSocketIdleTimeout(t *testing.T) {
	env := newTestEnv(t, withLimits(Limits{WSIdleTimeout: 400 * time.Millisecond}))
	addr := env.listen()
	token := env.register("alice@example.com")
	sess := env.upload(token, "people.csv", peopleCSV)

	t.Run("an idle socket is closed with 4000", func(t *testing.T) {
		c, _, err := dialWS(t, addr, sess.SessionID, token)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		c.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		_, _, err = c.conn.ReadMessage()
		if !websocket.IsCloseError(err, wsCloseIdle) {
			t.Fatalf("want close %d, got %v", wsCloseIdle, err)
		}
		if took := time.Since(start); took < 300*time.Millisecond || took > 3*time.Second {
			t.Fatalf("closed after %v", took)
		}
	})
	t.Run("a running reply keeps it open", func(t *testing.T) {
		c, _, err := dialWS(t, addr, sess.SessionID, token)
		if err != nil {
			t.Fatal(err)
		}
		c.send(map[string]string{"type": "message", "text": slowQuery})
		c.until("status", 5*time.Second)
		// Well past the idle limit, the reply still runs and the socket is open.
		c.conn.SetReadDeadline(time.Now().Add(1200 * time.Millisecond))
		for {
			_, raw, err := c.conn.ReadMessage()
			if err == nil {
				if strings.Contains(string(raw), `"done"`) {
					t.Fatalf("the reply ended: %s", raw)
				}
				continue
			}
			var ne net.Error
			if !errors.As(err, &ne) || !ne.Timeout() {
				t.Fatalf("socket closed during a reply: %v", err)
			}
			break
		}
		// A timed-out read poisons gorilla's conn: use a fresh one to stop.
		c.conn.Close()
	})
}

func TestTurnsPerUserAcrossConnections(t *testing.T) {
	env := newTestEnv(t, withLimits(Limits{TurnsPerUser: 1}))
	addr := env.listen()
	alice := env.register("alice@example.com")
	bob := env.register("bob@example.com")
	s1 := env.upload(alice, "people.csv", peopleCSV)
	s2 := env.upload(alice, "people.csv", peopleCSV)
	s3 := env.upload(bob, "people.csv", peopleCSV)
	a1, _, err := dialWS(t, addr, s1.SessionID, alice)
	if err != nil {
		t.Fatal(err)
	}
	a2, _, err := dialWS(t, addr, s2.SessionID, alice)
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := dialWS(t, addr, s3.SessionID, bob)
	if err != nil {
		t.Fatal(err)
	}

	a1.send(map[string]string{"type": "message", "text": slowQuery})
	a1.until("status", 5*time.Second)

	a2.send(map[string]string{"type": "message", "text": "SELECT 1"})
	events := a2.until("error", 5*time.Second)
	if len(events) != 1 || !strings.Contains(string(events[0].Data), "already have a reply running") {
		t.Fatalf("second turn: %v %s", names(events), events[0].Data)
	}
	// Nothing was stored for the refused turn.
	msgs, _ := env.store.ListMessages(t.Context(), s2.SessionID)
	if len(msgs) != 0 {
		t.Fatalf("a refused turn stored %d messages", len(msgs))
	}
	// Another user is not affected.
	b.send(map[string]string{"type": "message", "text": "SELECT 1 AS one"})
	if ev := find(b.until("done", 10*time.Second), "query_result"); ev == nil {
		t.Fatal("bob's turn did not run")
	}
	// Once the first reply stops, the second connection may go.
	a1.send(map[string]string{"type": "stop"})
	a1.until("done", 5*time.Second)
	a2.send(map[string]string{"type": "message", "text": "SELECT 1 AS one"})
	if ev := find(a2.until("done", 10*time.Second), "query_result"); ev == nil {
		t.Fatal("the turn after the stop did not run")
	}
}

func TestWebSocketOrigins(t *testing.T) {
	env := newTestEnv(t, withOrigins("https://app.example.com", "http://localhost:5173"))
	addr := env.listen()
	token := env.register("alice@example.com")
	sess := env.upload(token, "people.csv", peopleCSV)
	tests := []struct {
		origin string
		ok     bool
	}{
		{"", true},
		{"http://" + addr, true},
		{"https://app.example.com", true},
		{"https://APP.example.com:443", true},
		{"http://localhost:5173", true},
		{"http://app.example.com", false}, // another scheme is another origin
		{"https://app.example.com:8443", false},
		{"https://app.example.com.evil.example", false},
		{"https://evil.example", false},
		{"null", false},
		{"http://localhost:5174", false},
	}
	for _, tt := range tests {
		t.Run(tt.origin, func(t *testing.T) {
			h := http.Header{}
			if tt.origin != "" {
				h.Set("Origin", tt.origin)
			}
			conn, resp, err := websocket.DefaultDialer.Dial("ws://"+addr+"/api/sessions/"+sess.SessionID+"/ws?token="+token, h)
			if tt.ok {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				conn.Close()
				return
			}
			if err == nil || resp == nil || resp.StatusCode != 403 {
				t.Fatalf("err %v resp %+v", err, resp)
			}
		})
	}
}

// slowUpload starts an upload over the network whose body the caller
// feeds through the returned writer; the response arrives on the channel.
func slowUpload(t *testing.T, addr, token, filename string, contentLength int64) (*io.PipeWriter, *multipart.Writer, <-chan *http.Response) {
	t.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	req, _ := http.NewRequest("POST", "http://"+addr+"/api/upload", pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	req.ContentLength = contentLength
	done := make(chan *http.Response, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			done <- &http.Response{StatusCode: -1, Status: err.Error(), Body: io.NopCloser(strings.NewReader(""))}
			return
		}
		done <- resp
	}()
	return pw, mw, done
}

// waitFor polls cond for up to d.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func uploadsInProgress(dir string) int {
	entries, _ := os.ReadDir(filepath.Join(dir, ".uploads"))
	return len(entries)
}

func TestUploadsPerUser(t *testing.T) {
	env := newTestEnv(t, withLimits(Limits{UploadsPerUser: 1}))
	addr := env.listen()
	alice := env.register("alice@example.com")
	bob := env.register("bob@example.com")

	pw, mw, done := slowUpload(t, addr, alice, "slow.csv", -1)
	fw, _ := mw.CreateFormFile("file", "slow.csv")
	fw.Write([]byte("name,age,city\n"))
	waitFor(t, 5*time.Second, "the upload to start", func() bool { return uploadsInProgress(env.dataDir) == 1 })

	req := uploadRequest(alice, "file", "second.csv", []byte(peopleCSV))
	resp, err := env.srv.App().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("second upload: %d Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	env.upload(bob, "bob.csv", peopleCSV) // another user is not affected

	fw.Write([]byte("Alice,30,Paris\n"))
	mw.Close()
	pw.Close()
	if r := <-done; r.StatusCode != 200 {
		body, _ := io.ReadAll(r.Body)
		t.Fatalf("slow upload: %d %s", r.StatusCode, body)
	}
	env.upload(alice, "third.csv", peopleCSV) // the slot is free again
}

func TestUserQuota(t *testing.T) {
	const quota = 24 << 10
	env := newTestEnv(t, withLimits(Limits{UserQuota: quota}))
	addr := env.listen()
	alice := env.register("alice@example.com")
	bob := env.register("bob@example.com")

	t.Run("a file announced bigger than the quota is refused before it is read", func(t *testing.T) {
		big := bytes.Repeat([]byte("a,b\n1,2\n"), quota/4)
		status, body := env.do(uploadRequest(alice, "file", "big.csv", big))
		if status != 413 || !strings.Contains(detail(body), "left of your 24 KB of storage") {
			t.Fatalf("%d %s", status, body)
		}
	})
	t.Run("a streamed file over the quota is cut and leaves nothing", func(t *testing.T) {
		pw, mw, done := slowUpload(t, addr, alice, "big.csv", -1)
		fw, _ := mw.CreateFormFile("file", "big.csv")
		go func() {
			fw.Write([]byte("a,b\n"))
			for range quota / 4 {
				if _, err := fw.Write([]byte("1,2\n1,2\n")); err != nil {
					break
				}
			}
			mw.Close()
			pw.Close()
		}()
		r := <-done
		body, _ := io.ReadAll(r.Body)
		if r.StatusCode != 413 || !strings.Contains(detail(body), "does not fit in your 24 KB") {
			t.Fatalf("%d %s", r.StatusCode, body)
		}
		if n := uploadsInProgress(env.dataDir); n != 0 {
			t.Fatalf("%d temporary uploads left", n)
		}
	})
	t.Run("uploads until the quota is used up", func(t *testing.T) {
		var ids []string
		for i := 0; ; i++ {
			if i > 100 {
				t.Fatal("the quota never filled")
			}
			status, body := env.do(uploadRequest(alice, "file", "people.csv", []byte(peopleCSV)))
			if status == 413 {
				if d := detail(body); !strings.Contains(d, "used up") && !strings.Contains(d, "left of your") && !strings.Contains(d, "does not fit") {
					t.Fatalf("detail %q", detail(body))
				}
				break
			}
			if status != 200 {
				t.Fatalf("%d %s", status, body)
			}
			var out uploadResult
			json.Unmarshal(body, &out)
			ids = append(ids, out.SessionID)
		}
		if used, _ := env.srv.diskUsage(t.Context(), mustUserID(t, env, "alice@example.com")); used > quota+8<<10 {
			t.Fatalf("used %d bytes of a %d quota", used, quota)
		}
		if len(ids) == 0 {
			t.Fatal("the first upload was refused")
		}
		if status, body := env.do(uploadRequest(bob, "file", "people.csv", []byte(peopleCSV))); status != 200 {
			t.Fatalf("quotas are per user: %d %s", status, body)
		}
		// Deleting a session makes room.
		if status, _ := env.doJSON("DELETE", "/api/sessions/"+ids[0], alice, nil); status != 204 {
			t.Fatal("delete failed")
		}
		if status, body := env.do(uploadRequest(alice, "file", "people.csv", []byte(peopleCSV))); status != 200 {
			t.Fatalf("after a delete: %d %s", status, body)
		}
	})
}

func mustUserID(t *testing.T, env *testEnv, email string) string {
	u, err := env.store.UserByEmail(t.Context(), email)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

func TestRequestTimeout(t *testing.T) {
	env := newTestEnv(t, withLimits(Limits{RequestTimeout: time.Nanosecond}))
	token := func() string {
		// Registering needs the database too: sign the token directly.
		u, err := env.store.CreateUser(t.Context(), "alice@example.com", "password123")
		if err != nil {
			t.Fatal(err)
		}
		tok, err := env.srv.tokens.issue(u.ID, u.TokenVersion)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}()
	status, body := env.doJSON("GET", "/api/sessions", token, nil)
	if status != 504 || detail(body) != "the request took too long: try again" {
		t.Fatalf("%d %s", status, body)
	}
	// The upload is exempt: it has its own bounds.
	status, body = env.do(uploadRequest(token, "file", "people.csv", []byte(peopleCSV)))
	if status != 200 {
		t.Fatalf("upload under a 1ns request timeout: %d %s", status, body)
	}
}

func TestSlowClientsAreCut(t *testing.T) {
	env := newTestEnv(t, withLimits(Limits{HeaderTimeout: 300 * time.Millisecond, UploadStall: 400 * time.Millisecond}))
	addr := env.listen()
	token := env.register("alice@example.com")

	closedWithin := func(t *testing.T, conn net.Conn, d time.Duration) {
		t.Helper()
		conn.SetReadDeadline(time.Now().Add(d))
		_, err := io.Copy(io.Discard, conn) // returns at EOF: the server closed
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Fatalf("the connection was still open after %v", d)
		}
	}

	t.Run("a header that never ends", func(t *testing.T) {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		fmt.Fprintf(conn, "GET /api/health HTTP/1.1\r\nHost: %s\r\nX-Slow: ", addr)
		closedWithin(t, conn, 3*time.Second)
	})
	t.Run("a JSON body that never ends", func(t *testing.T) {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		fmt.Fprintf(conn, "POST /api/auth/login HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"email\":", addr)
		closedWithin(t, conn, 3*time.Second)
	})
	t.Run("a stalled upload", func(t *testing.T) {
		pw, mw, done := slowUpload(t, addr, token, "stalled.csv", -1)
		fw, _ := mw.CreateFormFile("file", "stalled.csv")
		fw.Write([]byte("a,b\n1,2\n"))
		select {
		case r := <-done:
			if r.StatusCode == 200 {
				t.Fatal("a stalled upload succeeded")
			}
		case <-time.After(5 * time.Second):
			t.Fatal("a stalled upload was not cut")
		}
		pw.CloseWithError(errors.New("gave up"))
		waitFor(t, 3*time.Second, "the temporary file to go", func() bool { return uploadsInProgress(env.dataDir) == 0 })
	})
	t.Run("a slow upload that keeps sending", func(t *testing.T) {
		pw, mw, done := slowUpload(t, addr, token, "slow.csv", -1)
		fw, _ := mw.CreateFormFile("file", "slow.csv")
		bw := bufio.NewWriter(fw)
		bw.WriteString("n,square\n")
		for i := range 12 { // 1.2 s in all: longer than both timeouts
			fmt.Fprintf(bw, "%d,%d\n", i, i*i)
			bw.Flush()
			time.Sleep(100 * time.Millisecond)
		}
		mw.Close()
		pw.Close()
		r := <-done
		if r.StatusCode != 200 {
			body, _ := io.ReadAll(r.Body)
			t.Fatalf("%d %s %s", r.StatusCode, r.Status, body)
		}
	})
}

// TestModelToolRoundsAreBounded drives a model that never stops asking for
// queries (and claims huge token counts) through the real socket.
func TestModelToolRoundsAreBounded(t *testing.T) {
	tests := []struct {
		name       string
		opts       llm.Options
		usage      int64 // output tokens the model claims per call
		maxQueries int
		maxCalls   int
	}{
		{"rounds", llm.Options{MaxRounds: 3}, 10, 3, 4},
		{"tokens", llm.Options{MaxRounds: 50, MaxTurnTokens: 1000}, 600, 2, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			model := &scriptedModel{reply: func(i int, req llm.Request) *llm.Response {
				return &llm.Response{
					Content:    []llm.Block{toolCall(fmt.Sprintf("call-%d", i), llm.ToolGenerateQuery, map[string]string{"sql": "SELECT count(*) FROM data"})},
					StopReason: llm.StopToolUse,
					Usage:      agent.Usage{InputTokens: 100, OutputTokens: tt.usage},
				}
			}}
			env := newTestEnv(t, withAnalyst(func(e *duck.Engine) agent.Analyst {
				o := tt.opts
				o.RetryAttempts = 1
				return llm.NewAnalyst(model, e, o)
			}))
			addr := env.listen()
			token := env.register("alice@example.com")
			sess := env.upload(token, "people.csv", peopleCSV)
			c, _, err := dialWS(t, addr, sess.SessionID, token)
			if err != nil {
				t.Fatal(err)
			}
			c.send(map[string]string{"type": "message", "text": "keep querying forever"})
			events := c.until("done", 20*time.Second)
			queries := 0
			for _, ev := range events {
				if ev.Event == "query_result" {
					queries++
				}
			}
			if queries > tt.maxQueries || model.count() > tt.maxCalls {
				t.Fatalf("%d queries and %d model calls, bounds %d and %d", queries, model.count(), tt.maxQueries, tt.maxCalls)
			}
			if !strings.Contains(string(events[len(events)-1].Data), `"usage"`) {
				t.Fatalf("done without usage: %s", events[len(events)-1].Data)
			}
		})
	}
}

// TestNextTurnRightAfterDone: once `done` arrives the turn is over, on this
// connection and for the user's limit, so a message sent at once runs.
func TestNextTurnRightAfterDone(t *testing.T) {
	env := newTestEnv(t, withLimits(Limits{TurnsPerUser: 1}))
	addr := env.listen()
	token := env.register("alice@example.com")
	s1 := env.upload(token, "people.csv", peopleCSV)
	s2 := env.upload(token, "people.csv", peopleCSV)
	a, _, err := dialWS(t, addr, s1.SessionID, token)
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := dialWS(t, addr, s2.SessionID, token)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 30 {
		c := []*wsClient{a, b}[i%2]
		c.send(map[string]string{"type": "message", "text": "SELECT 1 AS one"})
		events := c.until("done", 10*time.Second)
		if ev := find(events, "error"); ev != nil {
			t.Fatalf("turn %d: %s", i, ev.Data)
		}
	}
}
