package duck

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/analyzerhq/analyzer/apperr"
)

const salesCSV = "id,name,amount,day\n1,Alice,10.5,2024-01-01\n2,Bob,20,2024-02-01\n3,Alice,,2024-03-01\n"

func TestIsSQL(t *testing.T) {
	e := newTestEngine(t)
	cases := []struct {
		text string
		want bool
	}{
		{"SELECT * FROM data", true},
		{"FROM data LIMIT 3", true},
		{"  select count(*) from data;  ", true},
		{"WITH t AS (SELECT 1) SELECT * FROM t", true},
		{"DESCRIBE data", true},
		{"SUMMARIZE data", true},
		{"PIVOT data ON name USING sum(amount)", true},
		{"PIVOT data ON name USING sum(amount);", true},
		{"CREATE TYPE t AS ENUM ('a'); SELECT 1", false},
		{"DROP VIEW data", true}, // SQL, refused later by Query
		{"show me the top 10", false},
		{"what is the average amount?", false},
		{"Plot sales by month", false},
		{"SELECT 1; SELECT 2", false},
		{"", false},
		{"   ", false},
		{"SELECT * FROM", false},
	}
	for _, tc := range cases {
		t.Run(tc.text, func(t *testing.T) {
			if got := e.IsSQL(context.Background(), tc.text); got != tc.want {
				t.Errorf("IsSQL(%q) = %v, want %v", tc.text, got, tc.want)
			}
		})
	}
}

func TestQueryStatements(t *testing.T) {
	e := newTestEngine(t)
	id, _ := mustIngest(t, e, "sales.csv", []byte(salesCSV))
	cases := []struct {
		name    string
		sql     string
		rows    int
		columns string
	}{
		{"select", "SELECT id, name FROM data ORDER BY id", 3, "id,name"},
		{"from first", "FROM data LIMIT 2", 2, "id,name,amount,day"},
		{"with", "WITH a AS (SELECT * FROM data WHERE name = 'Alice') SELECT count(*) AS n FROM a", 1, "n"},
		{"trailing semicolon and comment", "SELECT 1 AS one; -- done", 1, "one"},
		{"describe", "DESCRIBE data", 4, "column_name,column_type,null,key,default,extra"},
		{"show tables", "SHOW TABLES", 1, "name"},
		{"summarize", "SUMMARIZE data", 4, ""},
		{"pivot", "PIVOT data ON name USING sum(amount) GROUP BY day ORDER BY day", 3, "day,Alice,Bob"},
		{"explain", "EXPLAIN SELECT * FROM data", 1, "explain_key,explain_value"},
		{"explain analyze", "EXPLAIN ANALYZE SELECT count(*) FROM data", 1, "explain_key,explain_value"},
		{"union", "SELECT 1 AS x UNION ALL SELECT 2", 2, "x"},
		{"pivot with values", "PIVOT data ON name IN ('Alice', 'Bob') USING sum(amount) GROUP BY day", 3, "day,Alice,Bob"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := mustQuery(t, e, id, tc.sql)
			if len(res.Rows) != tc.rows || res.RowCount != int64(tc.rows) || res.Truncated {
				t.Errorf("rows=%d row_count=%d truncated=%v", len(res.Rows), res.RowCount, res.Truncated)
			}
			if tc.columns != "" && strings.Join(res.Columns, ",") != tc.columns {
				t.Errorf("columns = %v", res.Columns)
			}
			if len(res.Types) != len(res.Columns) {
				t.Errorf("types = %v", res.Types)
			}
		})
	}
}

func TestQueryErrors(t *testing.T) {
	e := newTestEngine(t)
	id, _ := mustIngest(t, e, "sales.csv", []byte(salesCSV))
	cases := []struct {
		name    string
		id, sql string
		kind    apperr.Kind
		msg     string // part of the message
	}{
		{"syntax", id, "SELEC 1", apperr.Invalid, "syntax error"},
		{"unknown column", id, "SELECT nope FROM data", apperr.Invalid, "nope"},
		{"unknown table", id, "SELECT * FROM other", apperr.Invalid, "other"},
		{"empty", id, "  ", apperr.Invalid, "empty"},
		{"comment only", id, "-- nothing", apperr.Invalid, "exactly one"},
		{"too long", id, "SELECT '" + strings.Repeat("x", 300<<10) + "'", apperr.TooLarge, "longer"},
		{"division by zero is fine", id, "SELECT 1 / 0 AS x", "", ""},
		{"conversion", id, "SELECT 'abc'::INTEGER", apperr.Invalid, "abc"},
		{"bad session id", "../../etc", "SELECT 1", apperr.Invalid, "session"},
		{"upper-case session id", strings.ToUpper(id), "SELECT 1", apperr.Invalid, "session"},
		{"unknown session", uuid.NewString(), "SELECT 1", apperr.NotFound, "no data"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.Query(context.Background(), tc.id, tc.sql)
			if tc.kind == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if k := kindOf(err); k != tc.kind {
				t.Fatalf("kind = %s, want %s (%v)", k, tc.kind, err)
			}
			msg := apperr.MessageOf(err)
			if !strings.Contains(strings.ToLower(msg), strings.ToLower(tc.msg)) {
				t.Errorf("message %q does not mention %q", msg, tc.msg)
			}
			if strings.Contains(msg, "\n") || strings.Contains(msg, "LINE 1") {
				t.Errorf("message is not plain: %q", msg)
			}
		})
	}
}

func TestQueryCapsRows(t *testing.T) {
	e := newTestEngine(t, func(c *Config) { c.MaxResultRows = 100 })
	id, _ := mustIngest(t, e, "n.csv", []byte("n\n"+strings.Repeat("1\n", 1000)))
	cases := []struct {
		sql       string
		rows      int
		rowCount  int64
		truncated bool
	}{
		{"SELECT * FROM data", 100, 1000, true},
		{"SELECT * FROM range(1000000)", 100, 1000000, true},
		{"SELECT * FROM data LIMIT 100", 100, 100, false},
		{"SELECT * FROM data LIMIT 101", 100, 101, true},
		{"SELECT * FROM data LIMIT 5", 5, 5, false},
	}
	for _, tc := range cases {
		t.Run(tc.sql, func(t *testing.T) {
			res := mustQuery(t, e, id, tc.sql)
			if len(res.Rows) != tc.rows || res.RowCount != tc.rowCount || res.Truncated != tc.truncated {
				t.Errorf("rows=%d row_count=%d truncated=%v, want %d %d %v", len(res.Rows), res.RowCount, res.Truncated, tc.rows, tc.rowCount, tc.truncated)
			}
		})
	}
}

func TestQueryCancel(t *testing.T) {
	e := newTestEngine(t, func(c *Config) { c.QueryTimeout = time.Minute })
	id, _ := mustIngest(t, e, "a.csv", []byte("x\n1\n"))
	slow := "SELECT count(*) FROM range(1000000) a, range(1000000) b"

	t.Run("caller cancels", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(300*time.Millisecond, cancel)
		start := time.Now()
		_, err := e.Query(ctx, id, slow)
		if k := kindOf(err); k != apperr.Canceled {
			t.Fatalf("kind = %s (%v)", k, err)
		}
		if d := time.Since(start); d > 1300*time.Millisecond {
			t.Errorf("stopped after %v", d)
		}
	})
	t.Run("caller deadline", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		_, err := e.Query(ctx, id, slow)
		if k := kindOf(err); k != apperr.Canceled && k != apperr.Timeout {
			t.Fatalf("kind = %s (%v)", k, err)
		}
	})
	t.Run("uninterruptible expression", func(t *testing.T) {
		// A constant repeat() is folded while planning, where DuckDB does
		// not check for interrupts: the caller still gets its answer on
		// time and the instance finishes in the background.
		if testing.Short() {
			t.Skip("slow: Close waits for the runaway expression")
		}
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := e.Query(ctx, id, "SELECT length(repeat('x', 300000000)) AS n")
		if err == nil {
			t.Skip("the machine built a 300 MB string within 300 ms")
		}
		if d := time.Since(start); d > 1500*time.Millisecond {
			t.Errorf("returned after %v", d)
		}
	})
	t.Run("remove while running", func(t *testing.T) {
		done := make(chan error, 1)
		go func() {
			_, err := e.Query(context.Background(), id, slow)
			done <- err
		}()
		time.Sleep(300 * time.Millisecond)
		start := time.Now()
		if err := e.Remove(context.Background(), id); err != nil {
			t.Fatal(err)
		}
		err := <-done
		if k := kindOf(err); k != apperr.Canceled {
			t.Errorf("kind = %s (%v)", k, err)
		}
		if d := time.Since(start); d > 1500*time.Millisecond {
			t.Errorf("remove took %v", d)
		}
		if _, err := os.Stat(filepath.Join(e.dataDir, id)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("session dir still there: %v", err)
		}
		if _, err := e.Query(context.Background(), id, "SELECT 1"); kindOf(err) != apperr.NotFound {
			t.Errorf("query after remove: %v", err)
		}
		if err := e.Remove(context.Background(), id); err != nil {
			t.Errorf("second remove: %v", err)
		}
	})
}

func TestResultJSON(t *testing.T) {
	e := newTestEngine(t)
	id, _ := mustIngest(t, e, "a.csv", []byte("x\n1\n"))
	res := mustQuery(t, e, id, `SELECT 1 AS a, 2 AS a, 9007199254740993::BIGINT AS big,
		170141183460469231731687303715884105727::HUGEINT AS huge, 12.5::HUGEINT AS small_huge,
		123.45::DECIMAL(10,2) AS dec, 12345678901234567890.12::DECIMAL(38,2) AS bigdec,
		'nan'::DOUBLE AS nan, 'inf'::DOUBLE AS inf, 0.1::FLOAT AS f,
		DATE '2024-02-29' AS d, TIMESTAMP '2024-02-29 13:14:15.5' AS ts, TIMESTAMPTZ '2024-02-29 13:14:15+00' AS tstz,
		TIME '01:02:03' AS t, INTERVAL 1 MONTH + INTERVAL 2 DAY + INTERVAL 3 HOUR AS iv,
		'\xAA\xBB'::BLOB AS b, '6ba7b810-9dad-11d1-80b4-00c04fd430c8'::UUID AS u,
		[1, 2, NULL] AS l, [DATE '2024-01-01'] AS ld, {'k': 'v', 'n': 1} AS s, MAP {'a': 1} AS m,
		true AS yes, NULL AS nothing, 'ünï' AS text`)
	b, err := json.Marshal(res.Objects())
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"a":1,"a_1":2,"big":"9007199254740993","huge":"170141183460469231731687303715884105727","small_huge":13,` +
		`"dec":123.45,"bigdec":"12345678901234567890.12","nan":null,"inf":null,"f":0.1,` +
		`"d":"2024-02-29","ts":"2024-02-29T13:14:15.5","tstz":"2024-02-29T13:14:15Z","t":"01:02:03","iv":"1 month 2 days 03:00:00",` +
		`"b":"qrs=","u":"6ba7b810-9dad-11d1-80b4-00c04fd430c8","l":[1,2,null],"ld":["2024-01-01"],"s":{"k":"v","n":1},"m":{"a":1},` +
		`"yes":true,"nothing":null,"text":"ünï"}]`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
	rb, _ := json.Marshal(res)
	if !strings.Contains(string(rb), `"columns":["a","a_1","big"`) || strings.Contains(string(rb), `"Rows"`) {
		t.Errorf("result JSON = %s", rb)
	}
}

func TestPreviewAndProfile(t *testing.T) {
	e := newTestEngine(t)
	id, ds := mustIngest(t, e, "Sales.CSV", []byte(salesCSV))
	// The profile may or may not be ready within the ingest's short wait (it
	// depends on the machine's load); Profile below waits for it.
	if ds.Format != "csv" || ds.RowCount != 3 || ds.SizeBytes != int64(len(salesCSV)) {
		t.Fatalf("dataset = %+v", ds)
	}
	pv, err := e.Preview(context.Background(), id, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(pv.Rows) != 2 || pv.RowCount != 3 || !pv.Truncated || strings.Join(pv.Columns, ",") != "id,name,amount,day" {
		t.Errorf("preview = %+v", pv)
	}
	// The profile survives a lost file: it is recomputed. (Wait for the
	// one computed after the ingest first, so that its file exists.)
	if _, err := e.Profile(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(e.dataDir, id, profileName)); err != nil {
		t.Fatal(err)
	}
	p, err := e.Profile(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(p)
	for _, want := range []string{`"row_count":3`, `"duplicate_rows":0`,
		`{"name":"amount","type":"DOUBLE","kind":"number","null_count":1,"distinct_approx":2,"min":10.5,"max":20,"mean":15.25,`,
		`"top_values":[{"value":"Alice","count":2},{"value":"Bob","count":1}]`,
		`"min":"2024-01-01","max":"2024-03-01","granularity":"month"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("profile lacks %s:\n%s", want, b)
		}
	}
	if _, err := os.Stat(filepath.Join(e.dataDir, id, profileName)); err != nil {
		t.Errorf("profile not stored again: %v", err)
	}
}

func TestIngestRefusesExistingSession(t *testing.T) {
	e := newTestEngine(t)
	id, _ := mustIngest(t, e, "a.csv", []byte("x\n1\n"))
	src := writeUpload(t, []byte("y\n2\n"))
	_, err := e.Ingest(context.Background(), id, src, "b.csv")
	if kindOf(err) != apperr.Conflict {
		t.Fatalf("err = %v", err)
	}
	if _, err := os.Stat(src); !errors.Is(err, os.ErrNotExist) {
		t.Error("upload not removed")
	}
	res := mustQuery(t, e, id, "SELECT x FROM data")
	if len(res.Rows) != 1 {
		t.Errorf("existing data damaged: %+v", res)
	}
	for _, bad := range []string{"..", "../x", "", "not-a-uuid", "/etc"} {
		src := writeUpload(t, []byte("y\n2\n"))
		if _, err := e.Ingest(context.Background(), bad, src, "b.csv"); kindOf(err) != apperr.Invalid {
			t.Errorf("Ingest(%q) = %v", bad, err)
		}
	}
}

func TestIdleInstancesClose(t *testing.T) {
	e := newTestEngine(t, func(c *Config) { c.IdleTimeout = 200 * time.Millisecond })
	id, _ := mustIngest(t, e, "a.csv", []byte("x\n1\n"))
	mustQuery(t, e, id, "SELECT * FROM data")
	deadline := time.Now().Add(5 * time.Second)
	for {
		e.mu.Lock()
		n := len(e.boxes)
		e.mu.Unlock()
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("sandbox not closed when idle")
		}
		time.Sleep(50 * time.Millisecond)
	}
	mustQuery(t, e, id, "SELECT * FROM data") // reopens
}
