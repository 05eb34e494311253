package server

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fasthttp/websocket"
)

func TestChatMessageWithNULIsRefusedAndLogged(t *testing.T) {
	logs, log := newLogBuffer()
	env := newTestEnv(t, withLogger(log))
	addr := env.listen()
	alice := env.register("alice@example.com")
	sess := env.upload(alice, "people.csv", peopleCSV)
	c, _, err := dialWS(t, addr, sess.SessionID, alice)
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"hello\x00world", "SELECT 1\x00", "SELECT count(*) FROM data WHERE name = 'a\x00b'"} {
		c.send(map[string]string{"type": "message", "text": text})
		events := c.until("error", 5*time.Second)
		if len(events) != 1 || !strings.Contains(string(events[0].Data), errNULMessage) {
			t.Fatalf("%q: events %v %s", text, names(events), events[len(events)-1].Data)
		}
	}
	out := logs.String()
	if !strings.Contains(out, `"level":"WARN","msg":"chat message refused"`) || !strings.Contains(out, `"session":"`+sess.SessionID+`"`) ||
		!strings.Contains(out, `"request_id":"`) || !strings.Contains(out, "NUL") {
		t.Fatalf("refusal not logged at warn with its ids:\n%s", out)
	}
	// The socket still answers.
	c.send(map[string]string{"type": "message", "text": "SELECT count(*) AS n FROM data"})
	if qr := find(c.until("done", 10*time.Second), "query_result"); qr == nil || !strings.Contains(string(qr.Data), `"n":3`) {
		t.Fatal("no answer after the refusals")
	}
}

func TestAPIAnswersAreNotCached(t *testing.T) {
	env := newTestEnv(t)
	addr := env.listen()
	alice := env.register("alice@example.com")
	sess := env.upload(alice, "people.csv", peopleCSV)
	requests := []struct {
		name, method, path, token, body string
	}{
		{"register", "POST", "/api/auth/register", "", `{"email":"bob@example.com","password":"password123"}`},
		{"login", "POST", "/api/auth/login", "", `{"email":"alice@example.com","password":"password123"}`},
		{"failed login", "POST", "/api/auth/login", "", `{"email":"alice@example.com","password":"wrong-password"}`},
		{"sessions", "GET", "/api/sessions", alice, ""},
		{"detail", "GET", "/api/sessions/" + sess.SessionID, alice, ""},
		{"unauthenticated", "GET", "/api/sessions", "", ""},
		{"unknown API path", "GET", "/api/nope", alice, ""},
		{"health", "GET", "/api/health", "", ""},
	}
	for _, r := range requests {
		t.Run(r.name, func(t *testing.T) {
			req, _ := http.NewRequest(r.method, "http://"+addr+r.path, strings.NewReader(r.body))
			req.Header.Set("Content-Type", "application/json")
			if r.token != "" {
				req.Header.Set("Authorization", "Bearer "+r.token)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if got := resp.Header.Get("Cache-Control"); got != "no-store" {
				t.Fatalf("status %d, Cache-Control %q", resp.StatusCode, got)
			}
		})
	}
}

func TestWebSocketOriginComparesScheme(t *testing.T) {
	dial := func(t *testing.T, addr, id, token string, h http.Header) int {
		url := "ws://" + addr + "/api/sessions/" + id + "/ws?token=" + token
		conn, resp, err := websocket.DefaultDialer.Dial(url, h)
		if err == nil {
			conn.Close()
			return resp.StatusCode
		}
		if resp == nil {
			t.Fatal(err)
		}
		return resp.StatusCode
	}
	t.Run("no trusted proxies", func(t *testing.T) {
		env := newTestEnv(t)
		addr := env.listen()
		alice := env.register("alice@example.com")
		sess := env.upload(alice, "people.csv", peopleCSV)
		tests := []struct {
			name   string
			header http.Header
			want   int
		}{
			{"same scheme and host", http.Header{"Origin": {"http://" + addr}}, 101},
			{"https page of this host over http", http.Header{"Origin": {"https://" + addr}}, 403},
			{"other port", http.Header{"Origin": {"http://127.0.0.1:1"}}, 403},
			{"proxy says https", http.Header{"Origin": {"https://" + addr}, "X-Forwarded-Proto": {"https"}}, 101},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if got := dial(t, addr, sess.SessionID, alice, tt.header); got != tt.want {
					t.Fatalf("status %d, want %d", got, tt.want)
				}
			})
		}
	})
	t.Run("forwarded scheme from an untrusted peer", func(t *testing.T) {
		env := newTestEnv(t, func(c *envConfig) { c.opts.TrustedProxies = []string{"10.9.9.9"} })
		addr := env.listen()
		alice := env.register("alice@example.com")
		sess := env.upload(alice, "people.csv", peopleCSV)
		h := http.Header{"Origin": {"https://" + addr}, "X-Forwarded-Proto": {"https"}}
		if got := dial(t, addr, sess.SessionID, alice, h); got != 403 {
			t.Fatalf("status %d, want 403", got)
		}
		if got := dial(t, addr, sess.SessionID, alice, http.Header{"Origin": {"http://" + addr}}); got != 101 {
			t.Fatalf("status %d, want 101", got)
		}
	})
}
