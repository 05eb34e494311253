package server

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/golang-jwt/jwt/v5"

	"github.com/analyzerhq/analyzer/apperr"
	"github.com/analyzerhq/analyzer/chat"
)

// Fuzz targets: `make fuzz` runs each for a few seconds; plain `go test`
// runs their seeds (f.Add and testdata/fuzz/<name>/) as unit tests.

// fuzzUser returns a token for a user of env, made without the HTTP API.
func fuzzUser(tb testing.TB, env *testEnv) string {
	tb.Helper()
	u, err := env.store.CreateUser(tb.Context(), "fuzz@example.com", "password123")
	if err != nil {
		tb.Fatal(err)
	}
	tok, err := env.srv.tokens.issue(u.ID, u.TokenVersion)
	if err != nil {
		tb.Fatal(err)
	}
	return tok
}

// checkAnswer fails on a 5xx, an answer that is not {"detail": ...} JSON
// for an error, or a detail that leaks a path.
func checkAnswer(t *testing.T, env *testEnv, req *http.Request) (int, []byte) {
	t.Helper()
	resp, err := env.srv.App().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body bytes.Buffer
	body.ReadFrom(resp.Body)
	if resp.StatusCode >= 500 {
		t.Fatalf("status %d: %s", resp.StatusCode, body.Bytes())
	}
	if resp.StatusCode >= 300 {
		var out struct{ Detail string }
		if json.Unmarshal(body.Bytes(), &out) != nil || out.Detail == "" {
			t.Fatalf("status %d without a detail: %q", resp.StatusCode, body.Bytes())
		}
		if strings.Contains(out.Detail, env.dataDir) || strings.Contains(out.Detail, "/tmp/") {
			t.Fatalf("detail leaks a path: %q", out.Detail)
		}
	}
	return resp.StatusCode, body.Bytes()
}

// FuzzUpload sends any bytes under any file name through the real upload:
// the answer is never a 5xx, and nothing is left behind.
func FuzzUpload(f *testing.F) {
	f.Add("people.csv", []byte(peopleCSV))
	f.Add("a.parquet", []byte("PAR1\x00\x00PAR1"))
	f.Add("x.csv", []byte("a;b;c\n1;2;3\n4;5\n\"unterminated\n"))
	f.Add("../../x.pq", []byte{0xff, 0xfe, 'a', 0, ',', 0, 'b', 0, '\n', 0})
	f.Add("d.csv", []byte("date,v\n2024-01-01,1\n01/02/2024,2\nnot a date,3\n"))
	env := buildEnv(f, withLimits(Limits{UploadsPerUser: 100}), func(c *envConfig) { c.opts.MaxUploadSize = 256 << 10 })
	token := fuzzUser(f, env)
	f.Fuzz(func(t *testing.T, filename string, content []byte) {
		status, body := checkAnswer(t, env, uploadRequest(token, "file", filename, content))
		if status == 200 {
			var out uploadResult
			if err := json.Unmarshal(body, &out); err != nil || out.SessionID == "" {
				t.Fatalf("200 without a session: %s", body)
			}
			req := httptest.NewRequest("DELETE", "/api/sessions/"+out.SessionID, nil)
			req.Header.Set("Authorization", "Bearer "+token)
			if s, _ := checkAnswer(t, env, req); s != 204 {
				t.Fatalf("delete: %d", s)
			}
		}
		if n := uploadsInProgress(env.dataDir); n != 0 {
			t.Fatalf("%d temporary uploads left", n)
		}
	})
}

// FuzzUploadBody sends any body as multipart/form-data: the multipart
// parsing, the field search and the file-name checks never give a 5xx.
func FuzzUploadBody(f *testing.F) {
	const boundary = "fuzzboundary"
	f.Add([]byte("--fuzzboundary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\na,b\n1,2\n\r\n--fuzzboundary--\r\n"))
	f.Add([]byte("--fuzzboundary\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nx\r\n--fuzzboundary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"b.csv\"\r\n\r\nq\n1\n\r\n--fuzzboundary--\r\n"))
	f.Add([]byte("--fuzzboundary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\x00.csv\"\r\n\r\n"))
	f.Add([]byte("--fuzzboundary--"))
	f.Add([]byte(""))
	env := buildEnv(f, withLimits(Limits{UploadsPerUser: 100}), func(c *envConfig) { c.opts.MaxUploadSize = 256 << 10 })
	token := fuzzUser(f, env)
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest("POST", "/api/upload", bytes.NewReader(body))
		req.Header.Set("Content-Type", "multipart/form-data; boundary="+boundary)
		req.Header.Set("Authorization", "Bearer "+token)
		status, out := checkAnswer(t, env, req)
		if status == 200 {
			var res uploadResult
			json.Unmarshal(out, &res)
			env.engine.Remove(t.Context(), res.SessionID)
		}
		if n := uploadsInProgress(env.dataDir); n != 0 {
			t.Fatalf("%d temporary uploads left", n)
		}
	})
}

// FuzzClientMessage checks what the WebSocket accepts: a valid request, or
// an Invalid error with a message fit to show.
func FuzzClientMessage(f *testing.F) {
	for _, s := range []string{
		`{"type":"message","text":"average price by city"}`,
		`{"type":"message","text":"  "}`,
		`{"type":"message","text":5}`,
		`{"type":"auto_analyze"}`,
		`{"type":"stop","text":"x"}`,
		`{"type":"retry","message_id":"0190a0a0-0000-7000-8000-000000000001"}`,
		`{"type":"edit","message_id":"0190a0a0-0000-7000-8000-000000000001","text":"again"}`,
		`{"type":"edit","message_id":"x","text":"again"}`,
		`{"type":"shout"}`,
		`{}`,
		`[]`,
		`null`,
		`{"type":"message","text":"\ud800"}`,
		`{"type":"message","text":"a","type":"stop"}`,
		"{\"type\":\"message\",\"text\":\"\xff\xfe\"}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		req, err := decodeClientMessage(raw)
		if err != nil {
			e, ok := apperr.As(err)
			if !ok || e.Kind != apperr.Invalid || e.Message == "" || !utf8.ValidString(e.Message) || len(e.Message) > 200 {
				t.Fatalf("error %#v", err)
			}
			if req != (chat.Command{}) {
				t.Fatalf("a request with an error: %+v", req)
			}
			return
		}
		switch req.Type {
		case chat.CommandMessage, chat.CommandEdit:
			if req.Text == "" || req.Text != strings.TrimSpace(req.Text) || !utf8.ValidString(req.Text) || utf8.RuneCountInString(req.Text) > wsMaxText {
				t.Fatalf("accepted text %q", req.Text)
			}
		case chat.CommandAutoAnalyze, chat.CommandStop, chat.CommandRetry:
			if req.Text != "" {
				t.Fatalf("%s with text %q", req.Type, req.Text)
			}
		default:
			t.Fatalf("accepted type %q", req.Type)
		}
		if (req.Type == chat.CommandRetry || req.Type == chat.CommandEdit) != (req.MessageID != "") {
			t.Fatalf("message id %q with %s", req.MessageID, req.Type)
		}
		// Decoding is a function of the bytes alone.
		if again, err2 := decodeClientMessage(raw); again != req || (err2 == nil) != (err == nil) {
			t.Fatal("not deterministic")
		}
	})
}

// FuzzTokenParse feeds any string to the token check: it never panics,
// and what it accepts is an unexpired HS256 token signed with the key.
func FuzzTokenParse(f *testing.F) {
	now := time.Unix(1_800_000_000, 0)
	key := []byte("test-secret-key-0123456789abcdef")
	tk := tokens{key: key, ttl: time.Hour, now: func() time.Time { return now }}
	good, _ := tk.issue("0190a0a0-0000-7000-8000-000000000001", 0)
	b64 := base64.RawURLEncoding.EncodeToString
	f.Add(good)
	f.Add(good[:len(good)-1])
	f.Add(b64([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + strings.Split(good, ".")[1] + ".")
	f.Add(b64([]byte(`{"alg":"HS256","typ":"JWT","crit":["x"]}`)) + "." + strings.Split(good, ".")[1] + "." + strings.Split(good, ".")[2])
	f.Add("")
	f.Add("...")
	f.Add("eyJ.eyJ.x")
	f.Fuzz(func(t *testing.T, raw string) {
		tc, err := tk.parse(raw)
		sub := tc.userID
		if err != nil {
			if apperr.KindOf(err) != apperr.Unauthorized {
				t.Fatalf("kind %v for %q", apperr.KindOf(err), raw)
			}
			return
		}
		// Accepted: verify independently.
		claims := jwt.RegisteredClaims{}
		tok, verr := jwt.ParseWithClaims(raw, &claims, func(*jwt.Token) (any, error) { return key, nil },
			jwt.WithValidMethods([]string{"HS256"}), jwt.WithTimeFunc(func() time.Time { return now }))
		if verr != nil || !tok.Valid || tok.Method.Alg() != "HS256" || claims.Subject != sub || sub == "" ||
			claims.ExpiresAt == nil || !claims.ExpiresAt.After(now) || len(claims.Audience) > 0 {
			t.Fatalf("accepted %q (sub %q): %v", raw, sub, verr)
		}
	})
}
