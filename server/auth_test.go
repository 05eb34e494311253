package server

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func TestRegisterAndLogin(t *testing.T) {
	env := newTestEnv(t)
	env.register("taken@example.com")

	tests := []struct {
		name   string
		path   string
		body   any
		status int
		detail string
	}{
		{"register ok, email normalised", "/api/auth/register", map[string]string{"email": "  New@Example.com ", "password": "password123"}, 200, ""},
		{"register duplicate", "/api/auth/register", map[string]string{"email": "TAKEN@example.com", "password": "password123"}, 409, "an account with this email already exists"},
		{"register invalid email", "/api/auth/register", map[string]string{"email": "nope", "password": "password123"}, 400, "email is not a valid address"},
		{"register short password", "/api/auth/register", map[string]string{"email": "a@example.com", "password": "short"}, 400, "password must be at least 8 characters"},
		{"register unicode email and password", "/api/auth/register", map[string]string{"email": "zoë@example.com", "password": "ñññññññññ"}, 200, ""},
		{"register wrong type", "/api/auth/register", `{"email": 5, "password": "password123"}`, 400, "email must be a string"},
		{"register malformed", "/api/auth/register", `{"email": `, 400, "request body is not a valid JSON object"},
		{"register empty body", "/api/auth/register", "", 400, "request body is empty: expected a JSON object"},
		{"register too big", "/api/auth/register", `{"email":"` + strings.Repeat("a", 70000) + `"}`, 413, "request body is too large"},
		{"login ok", "/api/auth/login", map[string]string{"email": "taken@EXAMPLE.com", "password": "password123"}, 200, ""},
		{"login wrong password", "/api/auth/login", map[string]string{"email": "taken@example.com", "password": "password124"}, 401, "incorrect email or password"},
		{"login unknown email", "/api/auth/login", map[string]string{"email": "ghost@example.com", "password": "password123"}, 401, "incorrect email or password"},
		{"login missing fields", "/api/auth/login", map[string]string{"email": "taken@example.com"}, 400, "email and password are required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := env.doJSON("POST", tt.path, "", tt.body)
			if status != tt.status {
				t.Fatalf("status %d, want %d: %s", status, tt.status, body)
			}
			if tt.detail != "" && detail(body) != tt.detail {
				t.Fatalf("detail %q, want %q", detail(body), tt.detail)
			}
			if tt.status == 200 {
				var out struct{ Token string }
				if json.Unmarshal(body, &out); out.Token == "" {
					t.Fatalf("no token in %s", body)
				}
			}
		})
	}
}

func TestTokensAreChecked(t *testing.T) {
	env := newTestEnv(t)
	good := env.register("alice@example.com")
	doomed := env.register("doomed@example.com")
	if _, err := env.store.DeleteUser(t.Context(), "doomed@example.com"); err != nil {
		t.Fatal(err)
	}
	sub := func() string {
		claims := jwt.MapClaims{}
		jwt.NewParser().ParseUnverified(good, claims)
		return claims["sub"].(string)
	}()
	sign := func(method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
		s, err := jwt.NewWithClaims(method, claims).SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	future := time.Now().Add(time.Hour).Unix()
	parts := strings.Split(good, ".")
	header := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`))

	tests := []struct {
		name   string
		header string
		status int
	}{
		{"valid", "Bearer " + good, 200},
		{"lower-case scheme", "bearer " + good, 200},
		{"missing", "", 401},
		{"not bearer", "Basic " + good, 401},
		{"garbage", "Bearer not.a.token", 401},
		{"tampered payload", "Bearer " + parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"x","exp":9999999999}`)) + "." + parts[2], 401},
		{"alg none", "Bearer " + header + "." + parts[1] + ".", 401},
		{"wrong key", "Bearer " + sign(jwt.SigningMethodHS256, []byte("another-key-of-enough-length!!"), jwt.MapClaims{"sub": sub, "exp": future}), 401},
		{"HS384 with the right key", "Bearer " + sign(jwt.SigningMethodHS384, env.secret, jwt.MapClaims{"sub": sub, "exp": future}), 401},
		{"no exp", "Bearer " + sign(jwt.SigningMethodHS256, env.secret, jwt.MapClaims{"sub": sub}), 401},
		{"expired", "Bearer " + sign(jwt.SigningMethodHS256, env.secret, jwt.MapClaims{"sub": sub, "exp": time.Now().Add(-time.Minute).Unix()}), 401},
		{"deleted user", "Bearer " + doomed, 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", "/api/sessions", nil)
			if tt.header != "" {
				req.Header.Set("Authorization", tt.header)
			}
			status, body := env.do(req)
			if status != tt.status {
				t.Fatalf("status %d, want %d: %s", status, tt.status, body)
			}
		})
	}

	t.Run("expiry follows the clock", func(t *testing.T) {
		env.now = env.now.Add(25 * time.Hour) // TokenTTL is 24h
		status, body := env.doJSON("GET", "/api/sessions", good, nil)
		if status != 401 || detail(body) != "your session has expired: sign in again" {
			t.Fatalf("got %d %s", status, body)
		}
	})
}

func TestRegistrationCanBeClosed(t *testing.T) {
	env := newTestEnv(t, withoutRegistration())
	status, body := env.doJSON("POST", "/api/auth/register", "", map[string]string{"email": "a@example.com", "password": "password123"})
	if status != 403 || detail(body) != "registration is closed: ask an administrator for an account" {
		t.Fatalf("got %d %s", status, body)
	}
	// Accounts made by an administrator still sign in.
	if _, err := env.store.CreateUser(t.Context(), "a@example.com", "password123"); err != nil {
		t.Fatal(err)
	}
	if status, body := env.doJSON("POST", "/api/auth/login", "", map[string]string{"email": "a@example.com", "password": "password123"}); status != 200 {
		t.Fatalf("login: %d %s", status, body)
	}
}
