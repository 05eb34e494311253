package server

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestLocalLogin(t *testing.T) {
	env := newTestEnv(t)
	env.register("owner@example.com")
	u, _ := env.store.UserByEmail(t.Context(), "owner@example.com")
	mint := func(at time.Time) string {
		tok, err := NewLocalLoginToken(env.secret, u.ID, at)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	post := func(token string) (int, string) {
		req := httptest.NewRequest("POST", "/api/auth/local", strings.NewReader(`{"token":"`+token+`"}`))
		req.Header.Set("Content-Type", "application/json")
		status, body := env.do(req)
		return status, detail(body)
	}

	t.Run("disabled outside desktop mode", func(t *testing.T) {
		if status, _ := post(mint(env.now)); status != 404 {
			t.Fatalf("got %d", status)
		}
	})
	env.srv.opts.LocalLogin = true
	// app.Test's requests come from 0.0.0.0: not loopback.
	t.Run("refused from a non-loopback address", func(t *testing.T) {
		if status, d := post(mint(env.now)); status != 403 || d != "sign-in links work only on this computer" {
			t.Fatalf("got %d %q", status, d)
		}
	})
}
