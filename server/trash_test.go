package server

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func listSessions(t *testing.T, env *testEnv, token, query string) []sessionSummary {
	t.Helper()
	status, body := env.doJSON("GET", "/api/sessions"+query, token, nil)
	if status != 200 {
		t.Fatalf("list: %d %s", status, body)
	}
	var out []sessionSummary
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestSessionRename(t *testing.T) {
	env := newTestEnv(t)
	alice, bob := env.register("alice@example.com"), env.register("bob@example.com")
	up := env.upload(alice, "people.csv", peopleCSV)
	path := "/api/sessions/" + up.SessionID

	status, body := env.doJSON("PATCH", path, alice, map[string]string{"title": "  Ages   by city  "})
	if status != 200 {
		t.Fatalf("rename: %d %s", status, body)
	}
	var sum sessionSummary
	json.Unmarshal(body, &sum)
	if sum.Title != "Ages by city" || sum.Filename != "people.csv" {
		t.Errorf("answer %+v", sum)
	}
	if got := listSessions(t, env, alice, ""); got[0].Title != "Ages by city" {
		t.Errorf("listed as %q", got[0].Title)
	}
	// The analyst's proposed title no longer replaces the user's.
	if changed, err := env.store.SetProposedTitle(t.Context(), up.SessionID, "Proposed"); err != nil || changed {
		t.Errorf("proposed title applied: %v %v", changed, err)
	}
	for name, tt := range map[string]struct {
		token  string
		body   any
		status int
	}{
		"empty":          {alice, map[string]string{"title": "   "}, 400},
		"missing":        {alice, map[string]string{}, 400},
		"too long":       {alice, map[string]string{"title": strings.Repeat("é", maxTitleRunes+1)}, 400},
		"not json":       {alice, "title=x", 400},
		"someone else's": {bob, map[string]string{"title": "Mine"}, 404},
	} {
		t.Run(name, func(t *testing.T) {
			status, body := env.doJSON("PATCH", path, tt.token, tt.body)
			if status != tt.status || detail(body) == "" {
				t.Errorf("got %d %s", status, body)
			}
		})
	}
	if got := listSessions(t, env, alice, ""); got[0].Title != "Ages by city" {
		t.Errorf("a refused rename changed the title to %q", got[0].Title)
	}
}

func TestSessionSearch(t *testing.T) {
	env := newTestEnv(t)
	alice, bob := env.register("alice@example.com"), env.register("bob@example.com")
	a := env.upload(alice, "Seattle weather.csv", "date,rain\n2024-01-01,1.5\n")
	b := env.upload(alice, "cars.csv", "name,mpg\nvw,30\n")
	env.upload(bob, "bob weather.csv", "date,rain\n2024-01-01,1.5\n")
	if status, _ := env.doJSON("PATCH", "/api/sessions/"+b.SessionID, alice, map[string]string{"title": "Fuel économie"}); status != 200 {
		t.Fatal("rename failed")
	}
	ids := func(list []sessionSummary) []string {
		var out []string
		for _, s := range list {
			out = append(out, s.ID)
		}
		return out
	}
	for q, want := range map[string][]string{
		"":                 {b.SessionID, a.SessionID},
		"?q=weather":       {a.SessionID},
		"?q=SEATTLE":       {a.SessionID},
		"?q=cars.csv":      {b.SessionID},
		"?q=%C3%89CONOMIE": {b.SessionID},
		"?q=fuel+cars":     {b.SessionID},
		"?q=fuel+weather":  nil,
		"?q=bob":           nil,
		"?q=%20%20":        {b.SessionID, a.SessionID},
	} {
		got := ids(listSessions(t, env, alice, q))
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s: got %v, want %v", q, got, want)
		}
	}
	list := listSessions(t, env, alice, "?q=weather")
	if list[0].SizeBytes != int64(len("date,rain\n2024-01-01,1.5\n")) || list[0].Format != "csv" || list[0].CreatedAt.IsZero() {
		t.Errorf("file facts %+v", list[0])
	}
	if status, _ := env.doJSON("GET", "/api/sessions?q="+strings.Repeat("x", maxSearchBytes+1), alice, nil); status != 400 {
		t.Errorf("a huge search answers %d", status)
	}
}

func TestSessionDeleteUndo(t *testing.T) {
	env := newTestEnv(t)
	alice, bob := env.register("alice@example.com"), env.register("bob@example.com")
	keep := env.upload(alice, "keep.csv", peopleCSV)
	gone := env.upload(alice, "gone.csv", peopleCSV)
	path := "/api/sessions/" + gone.SessionID
	dir := filepath.Join(env.dataDir, gone.SessionID)
	del := func() {
		t.Helper()
		if status, body := env.doJSON("DELETE", path, alice, nil); status != 204 {
			t.Fatalf("delete: %d %s", status, body)
		}
	}

	t.Run("deleted is hidden at once but its files stay", func(t *testing.T) {
		del()
		if got := listSessions(t, env, alice, ""); len(got) != 1 || got[0].ID != keep.SessionID {
			t.Errorf("listed %+v", got)
		}
		for _, p := range []string{"", "/profile", "/data/export?format=csv"} {
			if status, _ := env.doJSON("GET", path+p, alice, nil); status != 404 {
				t.Errorf("GET %s answers %d", p, status)
			}
		}
		if status, _ := env.doJSON("DELETE", path, alice, nil); status != 404 {
			t.Errorf("a second delete answers %d", status)
		}
		if _, err := os.Stat(dir); err != nil {
			t.Errorf("files gone before the window ended: %v", err)
		}
	})
	t.Run("someone else cannot restore it", func(t *testing.T) {
		if status, _ := env.doJSON("POST", path+"/restore", bob, nil); status != 404 {
			t.Errorf("got %d", status)
		}
	})
	t.Run("undo within the window brings it back whole", func(t *testing.T) {
		env.now = env.now.Add(UndoWindow - time.Second)
		env.srv.purgeDeleted(t.Context())
		status, body := env.doJSON("POST", path+"/restore", alice, nil)
		if status != 200 {
			t.Fatalf("restore: %d %s", status, body)
		}
		var sum sessionSummary
		json.Unmarshal(body, &sum)
		if sum.ID != gone.SessionID || sum.Filename != "gone.csv" || sum.RowCount != 3 {
			t.Errorf("restored %+v", sum)
		}
		if got := listSessions(t, env, alice, ""); len(got) != 2 {
			t.Errorf("listed %d", len(got))
		}
		if status, body := env.doJSON("GET", path, alice, nil); status != 200 || !strings.Contains(string(body), "Carol") {
			t.Errorf("detail after restore: %d %s", status, body)
		}
		if status, _ := env.doJSON("POST", path+"/restore", alice, nil); status != 404 {
			t.Errorf("restoring a live session answers %d", status)
		}
	})
	t.Run("after the window the files and the row go", func(t *testing.T) {
		del()
		env.now = env.now.Add(UndoWindow + time.Second)
		if status, _ := env.doJSON("POST", path+"/restore", alice, nil); status != 404 {
			t.Errorf("late restore answers %d", status)
		}
		env.srv.purgeDeleted(t.Context())
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Errorf("files still there: %v", err)
		}
		if ids, _ := env.store.DeletedBefore(t.Context(), env.now.Add(time.Hour)); len(ids) != 0 {
			t.Errorf("rows left: %v", ids)
		}
		if status, _ := env.doJSON("POST", path+"/restore", alice, nil); status != 404 {
			t.Errorf("restore after the purge answers %d", status)
		}
		if status, _ := env.doJSON("GET", "/api/sessions/"+keep.SessionID, alice, nil); status != 200 {
			t.Errorf("the other session answers %d", status)
		}
		if _, err := os.Stat(filepath.Join(env.dataDir, keep.SessionID)); err != nil {
			t.Errorf("the other session's files: %v", err)
		}
	})
}
