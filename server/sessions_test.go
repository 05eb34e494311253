package server

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestSessions(t *testing.T) {
	env := newTestEnv(t)
	alice := env.register("alice@example.com")
	bob := env.register("bob@example.com")
	first := env.upload(alice, "first.csv", peopleCSV)
	second := env.upload(alice, "second.csv", "x\n1\n2\n")

	t.Run("list is recent first and only mine", func(t *testing.T) {
		status, body := env.doJSON("GET", "/api/sessions", alice, nil)
		var list []sessionSummary
		json.Unmarshal(body, &list)
		if status != 200 || len(list) != 2 || list[0].ID != second.SessionID || list[1].Filename != "first.csv" || list[1].RowCount != 3 {
			t.Fatalf("got %d %s", status, body)
		}
		_, body = env.doJSON("GET", "/api/sessions", bob, nil)
		if string(body) != "[]" {
			t.Fatalf("bob sees %s", body)
		}
	})

	t.Run("detail has file, fresh preview and messages", func(t *testing.T) {
		status, body := env.doJSON("GET", "/api/sessions/"+first.SessionID, alice, nil)
		var d struct {
			ID    string
			Title string
			File  struct {
				Filename    string
				RowCount    int64 `json:"row_count"`
				Preview     []map[string]any
				ColumnTypes []string `json:"column_types"`
			}
			Messages []any
		}
		json.Unmarshal(body, &d)
		if status != 200 || d.ID != first.SessionID || d.Title != "first.csv" || d.File.RowCount != 3 || len(d.File.Preview) != 3 || d.Messages == nil || len(d.File.ColumnTypes) != 3 {
			t.Fatalf("got %d %s", status, body)
		}
	})

	t.Run("profile", func(t *testing.T) {
		status, body := env.doJSON("GET", "/api/sessions/"+first.SessionID+"/profile", alice, nil)
		if status != 200 || len(body) < 10 {
			t.Fatalf("got %d %s", status, body)
		}
	})

	for _, path := range []string{"", "/profile"} {
		for _, tt := range []struct{ name, id, token string }{
			{"another user's", first.SessionID, bob},
			{"unknown", "0190a0a0-0000-7000-8000-000000000000", alice},
			{"malformed", "..%2F..%2Fetc", alice},
			{"unicode", "séance", alice},
		} {
			t.Run(tt.name+" session"+path+" is 404", func(t *testing.T) {
				status, body := env.doJSON("GET", "/api/sessions/"+tt.id+path, tt.token, nil)
				if status != 404 || detail(body) != "session not found" {
					t.Fatalf("got %d %s", status, body)
				}
			})
		}
	}

	t.Run("bob cannot delete it", func(t *testing.T) {
		if status, _ := env.doJSON("DELETE", "/api/sessions/"+first.SessionID, bob, nil); status != 404 {
			t.Fatalf("got %d", status)
		}
	})

	t.Run("delete removes row and files", func(t *testing.T) {
		status, body := env.doJSON("DELETE", "/api/sessions/"+first.SessionID, alice, nil)
		if status != 204 {
			t.Fatalf("got %d %s", status, body)
		}
		env.now = env.now.Add(UndoWindow + time.Second)
		env.srv.purgeDeleted(t.Context())
		if _, err := os.Stat(filepath.Join(env.dataDir, first.SessionID)); !os.IsNotExist(err) {
			t.Fatalf("directory still there: %v", err)
		}
		if status, _ := env.doJSON("GET", "/api/sessions/"+first.SessionID, alice, nil); status != 404 {
			t.Fatalf("deleted session answers %d", status)
		}
		if status, _ := env.doJSON("DELETE", "/api/sessions/"+first.SessionID, alice, nil); status != 404 {
			t.Fatalf("second delete answers %d", status)
		}
	})
}
