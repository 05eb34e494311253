package server

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestChartThis(t *testing.T) {
	env := newTestEnv(t)
	addr := env.listen()
	alice := env.register("alice@example.com")
	bob := env.register("bob@example.com")
	sess := env.upload(alice, "people.csv", peopleCSV)
	c, _, err := dialWS(t, addr, sess.SessionID, alice)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"SELECT city, count(*) FROM data GROUP BY city ORDER BY city", "SELECT nope FROM data"} {
		c.send(map[string]string{"type": "message", "text": q})
		c.until("done", 20*time.Second)
	}
	status, body := env.doJSON("GET", "/api/sessions/"+sess.SessionID, alice, nil)
	if status != 200 {
		t.Fatalf("%d %s", status, body)
	}
	var d struct {
		Messages []struct {
			ID   string `json:"id"`
			Type string `json:"type"`
		} `json:"messages"`
	}
	json.Unmarshal(body, &d)
	var results []string
	for _, m := range d.Messages {
		if m.Type == "query_result" {
			results = append(results, m.ID)
		}
	}
	if len(results) != 2 {
		t.Fatalf("results %v in %s", results, body)
	}
	chartPath := func(id, q string) string {
		return "/api/sessions/" + sess.SessionID + "/messages/" + id + "/chart" + q
	}
	var got struct {
		Title    string         `json:"title"`
		Mark     string         `json:"mark"`
		Marks    []string       `json:"marks"`
		Rows     int            `json:"rows"`
		RowCount int64          `json:"row_count"`
		Spec     map[string]any `json:"vega_lite_spec"`
	}

	t.Run("proposes a bar chart of a count per category with readable titles", func(t *testing.T) {
		status, body := env.doJSON("GET", chartPath(results[0], ""), alice, nil)
		if status != 200 {
			t.Fatalf("%d %s", status, body)
		}
		json.Unmarshal(body, &got)
		if got.Title != "Count per city" || got.Mark != "bar" || strings.Join(got.Marks, ",") != "bar,point" || int64(got.Rows) != got.RowCount || got.Rows < 2 {
			t.Fatalf("%s", body)
		}
		if strings.Contains(string(body), `"title":"count_star()"`) || !strings.Contains(string(body), `"values":[{`) {
			t.Fatalf("spec %s", body)
		}
	})
	t.Run("switches to another fitting mark", func(t *testing.T) {
		status, body := env.doJSON("GET", chartPath(results[0], "?mark=point"), alice, nil)
		json.Unmarshal(body, &got)
		if status != 200 || got.Mark != "point" || !strings.Contains(string(body), `"type":"point"`) {
			t.Fatalf("%d %s", status, body)
		}
	})

	refusals := []struct {
		name, token, path string
		status            int
	}{
		{"another user's result", bob, chartPath(results[0], ""), 404},
		{"a failed query", alice, chartPath(results[1], ""), 400},
		{"not a result", alice, chartPath(d.Messages[0].ID, ""), 404},
		{"malformed message id", alice, chartPath("nope", ""), 404},
		{"unknown mark", alice, chartPath(results[0], "?mark=pie"), 400},
		{"no token", "", chartPath(results[0], ""), 401},
	}
	for _, r := range refusals {
		t.Run(r.name, func(t *testing.T) {
			if status, body := env.doJSON("GET", r.path, r.token, nil); status != r.status {
				t.Fatalf("%d %s, want %d", status, body, r.status)
			}
		})
	}
}

func TestProfileBins(t *testing.T) {
	env := newTestEnv(t)
	alice := env.register("alice@example.com")
	bob := env.register("bob@example.com")
	sess := env.upload(alice, "people.csv", peopleCSV)
	path := "/api/sessions/" + sess.SessionID + "/profile/bins"
	status, body := env.doJSON("GET", path, alice, nil)
	if status != 200 {
		t.Fatalf("%d %s", status, body)
	}
	var got struct {
		Columns []struct {
			Name  string `json:"name"`
			Scale string `json:"scale"`
			Bins  []struct {
				Start float64 `json:"start"`
				End   float64 `json:"end"`
				Count int64   `json:"count"`
			} `json:"bins"`
		} `json:"columns"`
	}
	json.Unmarshal(body, &got)
	if len(got.Columns) != 1 || got.Columns[0].Name != "age" || got.Columns[0].Scale != "number" {
		t.Fatalf("%s", body)
	}
	var n int64
	for _, b := range got.Columns[0].Bins {
		n += b.Count
	}
	if n != 3 {
		t.Fatalf("bins hold %d values: %s", n, body)
	}
	if status, _ := env.doJSON("GET", path, bob, nil); status != 404 {
		t.Fatalf("another user's session: %d", status)
	}
}
