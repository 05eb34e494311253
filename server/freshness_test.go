package server

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"
)

func listTitles(t *testing.T, env *testEnv, token string) []string {
	t.Helper()
	status, body := env.doJSON("GET", "/api/sessions", token, nil)
	if status != 200 {
		t.Fatalf("list: %d %s", status, body)
	}
	var out []struct{ Title string }
	json.Unmarshal(body, &out)
	titles := make([]string, len(out))
	for i, s := range out {
		titles[i] = s.Title
	}
	return titles
}

// TestSessionListStaysFresh: the list follows every change.
func TestSessionListStaysFresh(t *testing.T) {
	env := newTestEnv(t)
	addr := env.listen()
	alice := env.register("alice@example.com")
	bob := env.register("bob@example.com")
	steps := []struct {
		name   string
		act    func() string
		titles int
	}{
		{"empty", func() string { return "" }, 0},
		{"after an upload", func() string { return env.upload(alice, "a.csv", peopleCSV).SessionID }, 1},
		{"after a second", func() string { return env.upload(alice, "b.csv", peopleCSV).SessionID }, 2},
	}
	var ids []string
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			if id := s.act(); id != "" {
				ids = append(ids, id)
			}
			for range 3 { // the second read comes from the cache
				if got := listTitles(t, env, alice); len(got) != s.titles {
					t.Fatalf("titles %q, want %d", got, s.titles)
				}
			}
			if got := listTitles(t, env, bob); len(got) != 0 {
				t.Fatalf("bob sees %q", got)
			}
		})
	}
	t.Run("after a new title", func(t *testing.T) {
		c, _, err := dialWS(t, addr, ids[0], alice)
		if err != nil {
			t.Fatal(err)
		}
		c.send(map[string]string{"type": "message", "text": "average age by city"})
		events := c.until("done", 20*time.Second)
		su := find(events, "session_update")
		if su == nil {
			t.Fatalf("no new title: %v", names(events))
		}
		var upd struct{ Title string }
		json.Unmarshal(su.Data, &upd)
		got := listTitles(t, env, alice)
		if len(got) != 2 || got[1] != upd.Title {
			t.Fatalf("titles %q, want %q last", got, upd.Title)
		}
	})
	t.Run("after a delete", func(t *testing.T) {
		if status, _ := env.doJSON("DELETE", "/api/sessions/"+ids[1], alice, nil); status != 204 {
			t.Fatal("delete failed")
		}
		if got := listTitles(t, env, alice); len(got) != 1 {
			t.Fatalf("titles %q", got)
		}
	})
}

// TestDeletedAccountIsRefusedAtOnce: an account deleted while its token is
// in use (by the CLI, from another process) is refused on the next request.
func TestDeletedAccountIsRefusedAtOnce(t *testing.T) {
	env := newTestEnv(t)
	token := env.register("doomed@example.com")
	if status, _ := env.doJSON("GET", "/api/sessions", token, nil); status != 200 {
		t.Fatal("the token does not work")
	}
	if _, err := env.store.DeleteUser(t.Context(), "doomed@example.com"); err != nil {
		t.Fatal(err)
	}
	if status, body := env.doJSON("GET", "/api/sessions", token, nil); status != 401 || detail(body) != "this account no longer exists" {
		t.Fatalf("%d %s", status, body)
	}
}

// TestCachesNeverMixUsers alternates two users' tokens over one keep-alive
// connection, where Fiber reuses its request buffers: each must only ever
// see their own session.
func TestCachesNeverMixUsers(t *testing.T) {
	env := newTestEnv(t)
	addr := env.listen()
	tokens := map[string]string{"alice.csv": env.register("alice@example.com"), "bob.csv": env.register("bob@example.com")}
	for name, tok := range tokens {
		env.upload(tok, name, peopleCSV)
	}
	client := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 1}}
	defer client.CloseIdleConnections()
	for i := range 200 {
		name := []string{"alice.csv", "bob.csv"}[i%2]
		req, _ := http.NewRequest("GET", "http://"+addr+"/api/sessions", nil)
		req.Header.Set("Authorization", "Bearer "+tokens[name])
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var list []struct{ Filename string }
		json.Unmarshal(body, &list)
		if resp.StatusCode != 200 || len(list) != 1 || list[0].Filename != name {
			t.Fatalf("request %d as %s: %d %s", i, name, resp.StatusCode, body)
		}
	}
}
