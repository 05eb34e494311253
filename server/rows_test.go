package server

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"
)

func TestSessionDetailPagesStoredResults(t *testing.T) {
	env := newTestEnv(t)
	addr := env.listen()
	alice := env.register("alice@example.com")
	bob := env.register("bob@example.com")
	sess := env.upload(alice, "people.csv", peopleCSV)
	c, _, err := dialWS(t, addr, sess.SessionID, alice)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"SELECT range AS i FROM range(250)", "SELECT repeat('x', 2000000) AS s FROM range(3)"} {
		c.send(map[string]string{"type": "message", "text": q})
		c.until("done", 20*time.Second)
	}

	status, body := env.doJSON("GET", "/api/sessions/"+sess.SessionID, alice, nil)
	if status != 200 {
		t.Fatalf("%d %s", status, body)
	}
	if len(body) > 128<<10 {
		t.Fatalf("the detail is %d bytes", len(body))
	}
	var d struct {
		Messages []struct {
			ID   string `json:"id"`
			Type string `json:"type"`
			Data struct {
				Result          []map[string]any `json:"result"`
				RowCount        int64            `json:"row_count"`
				RowOffset       *int             `json:"row_offset"`
				StoredRowCount  int              `json:"stored_row_count"`
				HasMore         bool             `json:"has_more"`
				StoredTruncated bool             `json:"stored_truncated"`
			} `json:"data"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(body, &d); err != nil || len(d.Messages) != 4 {
		t.Fatalf("%v %s", err, body)
	}
	first, big := d.Messages[1], d.Messages[3]
	if first.Type != "query_result" || len(first.Data.Result) != detailRows || !first.Data.HasMore ||
		first.Data.StoredRowCount != 250 || first.Data.RowCount != 250 || first.Data.RowOffset == nil || *first.Data.RowOffset != 0 {
		t.Fatalf("first result: %d rows, %+v", len(first.Data.Result), first.Data)
	}
	if !big.Data.StoredTruncated || len(big.Data.Result) == 0 {
		t.Fatalf("big result: %+v", big.Data)
	}

	rowsPath := func(id, q string) string {
		return "/api/sessions/" + sess.SessionID + "/messages/" + id + "/rows" + q
	}
	var p rowsPage
	next := 100
	for page := 0; ; page++ {
		status, body := env.doJSON("GET", rowsPath(first.ID, fmt.Sprintf("?offset=%d&limit=100", next)), alice, nil)
		if status != 200 {
			t.Fatalf("%d %s", status, body)
		}
		p = rowsPage{}
		json.Unmarshal(body, &p)
		var row map[string]any
		json.Unmarshal(p.Rows[0], &row)
		if p.RowOffset != next || row["i"] != float64(next) || p.StoredRowCount != 250 || len(p.Columns) != 1 {
			t.Fatalf("page at %d: %s", next, body)
		}
		next += len(p.Rows)
		if !p.HasMore {
			break
		}
	}
	if next != 250 {
		t.Fatalf("paged %d rows", next)
	}

	refusals := []struct {
		name, token, path string
		status            int
	}{
		{"another user's", bob, rowsPath(first.ID, ""), 404},
		{"not a result", alice, rowsPath(d.Messages[0].ID, ""), 404},
		{"unknown message", alice, rowsPath("0190a0a0-0000-7000-8000-000000000000", ""), 404},
		{"malformed message id", alice, rowsPath("nope", ""), 404},
		{"negative offset", alice, rowsPath(first.ID, "?offset=-1"), 400},
		{"zero limit", alice, rowsPath(first.ID, "?limit=0"), 400},
		{"huge limit", alice, rowsPath(first.ID, "?limit=100000"), 400},
		{"no token", "", rowsPath(first.ID, ""), 401},
	}
	for _, r := range refusals {
		t.Run(r.name, func(t *testing.T) {
			if status, body := env.doJSON("GET", r.path, r.token, nil); status != r.status {
				t.Fatalf("%d %s, want %d", status, body, r.status)
			}
		})
	}
}
