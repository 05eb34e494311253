package server

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fasthttp/websocket"
	"github.com/golang-jwt/jwt/v5"
)

// login posts credentials and returns the status and the Retry-After header.
func (e *testEnv) login(email, password string, header ...string) (int, string) {
	e.t.Helper()
	raw, _ := json.Marshal(map[string]string{"email": email, "password": password})
	req := httptest.NewRequest("POST", "/api/auth/login", bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := e.srv.App().Test(req, -1)
	if err != nil {
		e.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Retry-After")
}

func TestLoginIsThrottledPerAccount(t *testing.T) {
	env := newTestEnv(t, withLimits(Limits{LoginPerAccount: Rate{Max: 5, Per: 5 * time.Minute}}))
	env.register("alice@example.com")
	env.register("bob@example.com")

	type attempt struct {
		advance  time.Duration
		email    string
		password string
		status   int
	}
	steps := []attempt{
		{0, "alice@example.com", "wrong-password", 401},
		{0, "alice@example.com", "wrong-password", 401},
		{0, "alice@example.com", "wrong-password", 401},
		{0, "ALICE@example.com ", "wrong-password", 401}, // the same account, however spelt
		{0, "alice@example.com", "wrong-password", 401},
		{0, "alice@example.com", "wrong-password", 429},
		{0, "alice@example.com", "password123", 429}, // the right password does not get through either
		{0, "bob@example.com", "password123", 200},   // other accounts are unaffected
		{5*time.Minute + time.Second, "alice@example.com", "password123", 200},
		// A success clears the failures: four more are still 401.
		{0, "alice@example.com", "wrong-password", 401},
		{0, "alice@example.com", "wrong-password", 401},
		{0, "alice@example.com", "wrong-password", 401},
		{0, "alice@example.com", "wrong-password", 401},
		{0, "alice@example.com", "password123", 200},
		// Unknown accounts are throttled alike (no enumeration by status).
		{0, "ghost@example.com", "x-password", 401},
		{0, "ghost@example.com", "x-password", 401},
		{0, "ghost@example.com", "x-password", 401},
		{0, "ghost@example.com", "x-password", 401},
		{0, "ghost@example.com", "x-password", 401},
		{0, "ghost@example.com", "x-password", 429},
	}
	for i, s := range steps {
		env.now = env.now.Add(s.advance)
		status, retry := env.login(s.email, s.password)
		if status != s.status {
			t.Fatalf("step %d (%s): status %d, want %d", i, s.email, status, s.status)
		}
		if status == 429 {
			secs, err := time.ParseDuration(retry + "s")
			if err != nil || secs < time.Second || secs > 5*time.Minute {
				t.Fatalf("step %d: Retry-After %q", i, retry)
			}
		}
	}
}

func TestLoginIsThrottledPerAddress(t *testing.T) {
	env := newTestEnv(t, withLimits(Limits{LoginPerIP: Rate{Max: 3, Per: 5 * time.Minute}}))
	env.register("alice@example.com")
	// Different accounts, one address: the fourth failure is refused.
	for i, email := range []string{"a@example.com", "b@example.com", "c@example.com"} {
		if status, _ := env.login(email, "wrong-password"); status != 401 {
			t.Fatalf("attempt %d: %d", i, status)
		}
	}
	status, retry := env.login("d@example.com", "wrong-password")
	if status != 429 || retry == "" {
		t.Fatalf("got %d, Retry-After %q", status, retry)
	}
	// X-Forwarded-For is not believed without TRUSTED_PROXIES.
	if status, _ := env.login("alice@example.com", "password123", "X-Forwarded-For", "203.0.113.9"); status != 429 {
		t.Fatalf("a forged X-Forwarded-For escaped the limit: %d", status)
	}
}

func TestConcurrentGuessesAreCounted(t *testing.T) {
	env := newTestEnv(t, withLimits(Limits{LoginPerAccount: Rate{Max: 3, Per: 5 * time.Minute}}))
	env.register("alice@example.com")
	const n = 12
	statuses := make(chan int, n)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, _ := env.login("alice@example.com", "wrong-password")
			statuses <- s
		}()
	}
	wg.Wait()
	close(statuses)
	counts := map[int]int{}
	for s := range statuses {
		counts[s]++
	}
	if counts[401] != 3 || counts[429] != n-3 {
		t.Fatalf("statuses %v: only 3 guesses may be checked", counts)
	}
}

func TestRegistrationIsThrottledPerAddress(t *testing.T) {
	env := newTestEnv(t, withLimits(Limits{RegisterPerIP: Rate{Max: 2, Per: time.Hour}}))
	env.register("a@example.com")
	env.register("b@example.com")
	req := httptest.NewRequest("POST", "/api/auth/register", strings.NewReader(`{"email":"c@example.com","password":"password123"}`))
	req.Header.Set("Content-Type", "application/json")
	resp, err := env.srv.App().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("third registration: %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	env.now = env.now.Add(time.Hour + time.Second)
	env.register("c@example.com")
}

// TestTokenAbuse complements TestTokensAreChecked: more forgeries, and the
// same checks on the WebSocket's ?token=.
func TestTokenAbuse(t *testing.T) {
	env := newTestEnv(t)
	addr := env.listen()
	good := env.register("alice@example.com")
	sess := env.upload(good, "people.csv", peopleCSV)
	sub := func() string {
		claims := jwt.MapClaims{}
		jwt.NewParser().ParseUnverified(good, claims)
		return claims["sub"].(string)
	}()
	future := time.Now().Add(time.Hour).Unix()
	sign := func(method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
		s, err := jwt.NewWithClaims(method, claims).SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	b64 := base64.RawURLEncoding.EncodeToString
	payload := b64([]byte(`{"sub":"` + sub + `","exp":` + jsonNum(future) + `}`))
	loginToken, _ := NewLocalLoginToken(env.secret, sub, time.Now())

	tests := []struct {
		name  string
		token string
		ok    bool
	}{
		{"valid", good, true},
		{"alg none, no signature", b64([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + payload + ".", false},
		{"alg NONE", b64([]byte(`{"alg":"NONE","typ":"JWT"}`)) + "." + payload + ".", false},
		{"alg none via the library", sign(jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, jwt.MapClaims{"sub": sub, "exp": future}), false},
		{"HS512 with the right key", sign(jwt.SigningMethodHS512, env.secret, jwt.MapClaims{"sub": sub, "exp": future}), false},
		{"RS256", sign(jwt.SigningMethodRS256, rsaKey, jwt.MapClaims{"sub": sub, "exp": future}), false},
		{"ES256", sign(jwt.SigningMethodES256, ecKey, jwt.MapClaims{"sub": sub, "exp": future}), false},
		{"signature of another token", strings.Join(append(strings.Split(good, ".")[:2:2], strings.Split(sign(jwt.SigningMethodHS256, env.secret, jwt.MapClaims{"sub": "x", "exp": future}), ".")[2]), "."), false},
		{"unknown user, right key", sign(jwt.SigningMethodHS256, env.secret, jwt.MapClaims{"sub": "0190a0a0-0000-7000-8000-000000000000", "exp": future}), false},
		{"empty subject", sign(jwt.SigningMethodHS256, env.secret, jwt.MapClaims{"sub": "", "exp": future}), false},
		{"not yet valid", sign(jwt.SigningMethodHS256, env.secret, jwt.MapClaims{"sub": sub, "exp": future, "nbf": future - 60}), false},
		{"expired", sign(jwt.SigningMethodHS256, env.secret, jwt.MapClaims{"sub": sub, "exp": env.now.Add(-time.Second).Unix()}), false},
		{"one-time login token as a bearer", loginToken, false},
		{"truncated", good[:len(good)-4], false},
		{"two dots only", "..", false},
		{"huge", strings.Repeat("a", 8000) + "." + payload + ".x", false},
	}
	for _, tt := range tests {
		t.Run("header/"+tt.name, func(t *testing.T) {
			status, body := env.doJSON("GET", "/api/sessions", tt.token, nil)
			if (status == 200) != tt.ok || (!tt.ok && status != 401) {
				t.Fatalf("status %d: %s", status, body)
			}
			if !tt.ok && strings.Contains(string(body), "jwt") {
				t.Fatalf("the library's error leaked: %s", body)
			}
		})
		t.Run("websocket/"+tt.name, func(t *testing.T) {
			c, resp, err := dialWS(t, addr, sess.SessionID, tt.token)
			if tt.ok {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				c.conn.Close()
				return
			}
			if err == nil || resp == nil || resp.StatusCode != 401 {
				t.Fatalf("err %v, resp %+v", err, resp)
			}
		})
	}
	t.Run("the REST API ignores ?token=", func(t *testing.T) {
		status, _ := env.doJSON("GET", "/api/sessions?token="+good, "", nil)
		if status != 401 {
			t.Fatalf("status %d", status)
		}
	})
}

func jsonNum(n int64) string { b, _ := json.Marshal(n); return string(b) }

// TestTokenNeverLogged runs a socket's life (good and bad tokens, a turn,
// an error) with debug logging on and looks for the tokens in the output.
func TestTokenNeverLogged(t *testing.T) {
	logs, log := newLogBuffer()
	env := newTestEnv(t, withLogger(log))
	addr := env.listen()
	token := env.register("alice@example.com")
	sess := env.upload(token, "people.csv", peopleCSV)

	c, _, err := dialWS(t, addr, sess.SessionID, token)
	if err != nil {
		t.Fatal(err)
	}
	c.send(map[string]string{"type": "message", "text": "SELECT count(*) FROM data"})
	c.until("done", 10*time.Second)
	c.send(map[string]string{"type": "message", "text": "average age by city"})
	c.until("done", 20*time.Second)
	c.conn.Close()

	forged := token[:len(token)-3] + "abc"
	if _, resp, err := dialWS(t, addr, sess.SessionID, forged); err == nil || resp.StatusCode != 401 {
		t.Fatalf("forged token: %v", err)
	}
	// Unknown session and a failing upgrade also log a request line.
	dialWS(t, addr, "0190a0a0-0000-7000-8000-000000000000", token)
	if _, resp, _ := websocket.DefaultDialer.Dial("ws://"+addr+"/api/sessions/"+sess.SessionID+"/ws?token="+token,
		http.Header{"Origin": {"https://evil.example"}}); resp == nil || resp.StatusCode != 403 {
		t.Fatalf("cross-origin dial: %+v", resp)
	}
	time.Sleep(100 * time.Millisecond) // the last request lines

	out := logs.String()
	if !strings.Contains(out, `"path":"/api/sessions/`+sess.SessionID+`/ws"`) {
		t.Fatalf("the socket's request was not logged at all:\n%s", out)
	}
	sig := func(tok string) string { return tok[strings.LastIndex(tok, ".")+1:] }
	for _, secret := range []string{token, forged, sig(token), sig(forged), "token="} {
		if strings.Contains(out, secret) {
			t.Fatalf("the log holds %q:\n%s", secret, out)
		}
	}
}
