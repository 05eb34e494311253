package server

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/storage"
)

func withExports(l ExportLimits) envOption { return func(c *envConfig) { c.opts.Exports = l } }

// exportCSV is a dataset of n rows with a text column holding commas and
// quotes, so that the CSV writer's quoting is exercised.
func exportCSV(n int) string {
	var b strings.Builder
	b.WriteString("id,name,score\n")
	for i := range n {
		fmt.Fprintf(&b, "%d,\"Name, %d \"\"q\"\"\",%d.5\n", i, i, i%97)
	}
	return b.String()
}

// storeResult stores a query result of sql in the session, as a turn
// would, and returns its message id.
func (e *testEnv) storeResult(sessionID, sql string) string {
	e.t.Helper()
	q := &agent.QueryResult{SQL: sql, Columns: []string{"id"}}
	rec := q.Record()
	m := &storage.Message{SessionID: sessionID, Role: string(rec.Role), Type: string(rec.Type), Data: storage.JSON(rec.Data)}
	if err := e.store.AddMessage(context.Background(), m); err != nil {
		e.t.Fatal(err)
	}
	return m.ID
}

// get fetches url from the live server with the token.
func get(t *testing.T, url, token string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func countLines(t *testing.T, r io.Reader) int {
	t.Helper()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	n := 0
	for sc.Scan() {
		n++
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestExportResult(t *testing.T) {
	const rows = 30000
	env := newTestEnv(t, withExports(ExportLimits{MaxRows: 50000}))
	addr := env.listen()
	token := env.register("export@example.com")
	up := env.upload(token, "scores.csv", exportCSV(rows))
	if err := env.store.SetTitle(context.Background(), up.SessionID, "Scores: 2024/25 ✓"); err != nil {
		t.Fatal(err)
	}
	all := env.storeResult(up.SessionID, "SELECT * FROM data ORDER BY id")
	some := env.storeResult(up.SessionID, "SELECT id, name FROM data WHERE id < 10 ORDER BY id -- ten rows")
	base := "http://" + addr + "/api/sessions/" + up.SessionID + "/messages/"

	t.Run("csv has a line per row and a header", func(t *testing.T) {
		resp := get(t, base+all+"/export?format=csv", token)
		if resp.StatusCode != 200 {
			body, _ := io.ReadAll(resp.Body)
			t.Fatalf("status %d: %s", resp.StatusCode, body)
		}
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Errorf("content type %q", ct)
		}
		if got := resp.Header.Get("X-Export-Rows"); got != fmt.Sprint(rows) {
			t.Errorf("X-Export-Rows = %q", got)
		}
		cd := resp.Header.Get("Content-Disposition")
		if !strings.Contains(cd, `filename="Scores 2024 25 _ - id.csv"`) ||
			!strings.Contains(cd, "filename*=UTF-8''Scores%202024%2025%20%E2%9C%93%20-%20id.csv") {
			t.Errorf("Content-Disposition %q", cd)
		}
		if n := countLines(t, resp.Body); n != rows+1 {
			t.Errorf("%d lines, want %d", n, rows+1)
		}
	})
	t.Run("csv quotes and orders as the query says", func(t *testing.T) {
		resp := get(t, base+some+"/export?format=csv&caption=First+ten", token)
		body, _ := io.ReadAll(resp.Body)
		want := "id,name\n0,\"Name, 0 \"\"q\"\"\"\n1,\"Name, 1 \"\"q\"\"\"\n"
		if !strings.HasPrefix(string(body), want) || strings.Count(string(body), "\n") != 11 {
			t.Errorf("body:\n%s", body)
		}
		if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, "First ten.csv") {
			t.Errorf("Content-Disposition %q", cd)
		}
	})
	t.Run("parquet is read back by DuckDB", func(t *testing.T) {
		resp := get(t, base+all+"/export?format=parquet", token)
		if resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		path := filepath.Join(t.TempDir(), "out.parquet")
		body, _ := io.ReadAll(resp.Body)
		os.WriteFile(path, body, 0o600)
		db, err := sql.Open("duckdb", "")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var n, sum int64
		var name string
		if err := db.QueryRow("SELECT count(*), sum(id), min(name) FROM read_parquet(?)", path).Scan(&n, &sum, &name); err != nil {
			t.Fatal(err)
		}
		if n != rows || sum != int64(rows)*(rows-1)/2 || name != `Name, 0 "q"` {
			t.Errorf("parquet: %d rows, sum %d, min name %q", n, sum, name)
		}
	})
	t.Run("json is one valid array of row objects", func(t *testing.T) {
		resp := get(t, base+some+"/export?format=json", token)
		var out []map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
			t.Fatal(err)
		}
		if len(out) != 10 || out[3]["id"] != float64(3) || out[3]["name"] != `Name, 3 "q"` {
			t.Errorf("json: %d rows, %v", len(out), out[3])
		}
	})
	t.Run("a result over the limit is refused, not cut", func(t *testing.T) {
		over := env.storeResult(up.SessionID, "SELECT * FROM data, range(2)")
		resp := get(t, base+over+"/export?format=csv", token)
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(detail(body), "more than 50000 rows") {
			t.Errorf("status %d: %s", resp.StatusCode, body)
		}
	})
	t.Run("leaves no file behind", func(t *testing.T) {
		for _, f := range env.leftovers() {
			if strings.Contains(f, "export-") {
				t.Errorf("left behind: %s", f)
			}
		}
	})
	t.Run("someone else's result is not found", func(t *testing.T) {
		other := env.register("other@example.com")
		resp := get(t, base+all+"/export?format=csv", other)
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 404 || detail(body) != "session not found" {
			t.Errorf("status %d: %s", resp.StatusCode, body)
		}
		resp = get(t, "http://"+addr+"/api/sessions/"+up.SessionID+"/data/export?format=csv", other)
		if resp.StatusCode != 404 {
			t.Errorf("dataset of another: status %d", resp.StatusCode)
		}
	})
	t.Run("without a token", func(t *testing.T) {
		if resp := get(t, base+all+"/export?format=csv", ""); resp.StatusCode != 401 {
			t.Errorf("status %d", resp.StatusCode)
		}
	})
	t.Run("bad requests", func(t *testing.T) {
		for url, want := range map[string]int{
			base + all + "/export?format=xls":          400,
			base + "not-an-id/export?format=csv":       404,
			base + up.SessionID + "/export?format=csv": 404, // not a message
		} {
			resp := get(t, url, token)
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != want || detail(body) == "" {
				t.Errorf("%s: status %d %s", url, resp.StatusCode, body)
			}
		}
	})
	t.Run("a write is refused", func(t *testing.T) {
		bad := env.storeResult(up.SessionID, "COPY data TO 'x.csv'")
		resp := get(t, base+bad+"/export?format=csv", token)
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 400 && resp.StatusCode != 403 {
			t.Errorf("status %d: %s", resp.StatusCode, body)
		}
	})
}

func TestExportDataset(t *testing.T) {
	env := newTestEnv(t, withExports(ExportLimits{MaxRows: 1000}))
	addr := env.listen()
	token := env.register("data@example.com")
	up := env.upload(token, "Résumé data.csv", exportCSV(500))
	base := "http://" + addr + "/api/sessions/" + up.SessionID + "/data/export"

	resp := get(t, base+"?format=csv", token)
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || countLines(t, bytes.NewReader(body)) != 501 {
		t.Fatalf("status %d, %d lines", resp.StatusCode, countLines(t, bytes.NewReader(body)))
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, "R%C3%A9sum%C3%A9%20data.csv") {
		t.Errorf("Content-Disposition %q", cd)
	}
	resp = get(t, base+"?format=parquet", token)
	pq, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !bytes.HasPrefix(pq, []byte("PAR1")) || !bytes.HasSuffix(pq, []byte("PAR1")) {
		t.Fatalf("status %d, %d bytes", resp.StatusCode, len(pq))
	}
	// The dataset is still there after its copy was sent.
	if resp := get(t, base+"?format=parquet", token); resp.StatusCode != 200 {
		t.Errorf("second export: %d", resp.StatusCode)
	}

	small := newTestEnv(t, withExports(ExportLimits{MaxRows: 100}))
	saddr := small.listen()
	stoken := small.register("small@example.com")
	sup := small.upload(stoken, "big.csv", exportCSV(500))
	resp = get(t, "http://"+saddr+"/api/sessions/"+sup.SessionID+"/data/export?format=csv", stoken)
	if resp.StatusCode != 413 {
		t.Errorf("over the limit: %d", resp.StatusCode)
	}
}
