package duck

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/analyzerhq/analyzer/apperr"
)

// TestEscapes runs statements that try to leave the sandbox: each must be
// refused, or succeed without revealing a host path or changing anything,
// and a normal query must work right after.
func TestEscapes(t *testing.T) {
	e := newTestEngine(t, func(c *Config) { c.QueryTimeout = 5 * time.Second; c.QueryMemoryLimit = "128MB" })
	id, _ := mustIngest(t, e, "a.csv", []byte("x,y\n1,a\n2,b\n3,c\n"))
	other, _ := mustIngest(t, e, "b.csv", []byte("secret\nhunter2\n"))
	dir := filepath.Join(e.dataDir, id)
	otherParquet := filepath.Join(e.dataDir, other, parquetName)
	home, _ := os.UserHomeDir()
	cwd, _ := os.Getwd()

	refused := []apperr.Kind{apperr.Invalid, apperr.Forbidden}
	own := dataPathFor(t, e, id) // the name the sandbox reads data.parquet by
	before, err := os.ReadFile(filepath.Join(dir, parquetName))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		sql  string
		// want lists acceptable error kinds; nil means the query must succeed.
		want []apperr.Kind
	}{
		{"read_csv host file", "SELECT * FROM read_csv('/etc/passwd')", refused},
		{"read_text host file", "SELECT * FROM read_text('/etc/passwd')", refused},
		{"read_blob host file", "SELECT * FROM read_blob('/etc/hostname')", refused},
		{"replacement scan", "SELECT * FROM '/etc/passwd'", refused},
		{"glob root", "SELECT * FROM glob('/*')", refused},
		{"glob data dir", "SELECT * FROM glob(" + QuoteString(e.dataDir+"/*") + ")", refused},
		{"glob own dir", "SELECT * FROM glob(" + QuoteString(dir+"/*") + ")", refused},
		{"other session", "SELECT * FROM read_parquet(" + QuoteString(otherParquet) + ")", refused},
		{"own original", "SELECT * FROM read_csv(" + QuoteString(filepath.Join(dir, "original.csv")) + ")", refused},
		{"sniff_csv", "SELECT * FROM sniff_csv('/etc/passwd')", refused},
		{"relative path", "SELECT * FROM read_csv('go.mod')", refused},
		{"http", "SELECT * FROM read_csv('https://example.com/a.csv')", refused},
		{"copy to", "COPY data TO " + QuoteString(filepath.Join(dir, "out.csv")), refused},
		{"copy query to", "COPY (SELECT 1) TO '/tmp/duck-escape.csv'", refused},
		{"export database", "EXPORT DATABASE " + QuoteString(filepath.Join(dir, "export")), refused},
		{"attach", "ATTACH " + QuoteString(filepath.Join(dir, "x.db")) + " AS x", refused},
		{"attach memory", "ATTACH ':memory:' AS m", refused},
		{"detach", "DETACH memory", refused},
		{"install", "INSTALL httpfs", refused},
		{"load", "LOAD httpfs", refused},
		{"set", "SET memory_limit = '10GB'", refused},
		{"set external access", "SET enable_external_access = true", refused},
		{"unlock", "SET lock_configuration = false", refused},
		{"reset", "RESET memory_limit", refused},
		{"pragma", "PRAGMA memory_limit = '10GB'", refused},
		{"set variable", "SET VARIABLE v = 1", refused},
		{"create table", "CREATE TABLE t AS SELECT * FROM data", refused},
		{"create temp table", "CREATE TEMP TABLE t (a INT)", refused},
		{"create view", "CREATE VIEW v AS SELECT 1", refused},
		{"create or replace data", "CREATE OR REPLACE VIEW data AS SELECT 42 AS x", refused},
		{"create macro", "CREATE MACRO m(a) AS a + 1", refused},
		{"create secret", "CREATE SECRET s (TYPE s3, KEY_ID 'a', SECRET 'b')", refused},
		{"drop view", "DROP VIEW data", refused},
		{"alter view", "ALTER VIEW data RENAME TO d2", refused},
		{"insert", "INSERT INTO data VALUES (1, 'a')", refused},
		{"update", "UPDATE data SET x = 1", refused},
		{"delete", "DELETE FROM data", refused},
		{"transaction", "BEGIN TRANSACTION", refused},
		{"checkpoint", "CHECKPOINT", refused},
		{"vacuum", "VACUUM", refused},
		{"call", "CALL pragma_version()", refused},
		{"prepare", "PREPARE p AS SELECT 1", refused},
		{"use", "USE memory", refused},
		{"two statements", "SELECT 1; SELECT 2", refused},
		{"select then copy", "SELECT 1; COPY data TO " + QuoteString(filepath.Join(dir, "two.csv")), refused},
		{"query() table function", "SELECT * FROM query('CREATE TABLE t2 AS SELECT 1')", refused},
		{"getenv", "SELECT getenv('HOME')", refused},
		// Accepted, but run on a throwaway instance: nothing survives them.
		{"enable_logging to file", "SELECT * FROM enable_logging(storage = 'file', storage_path = " + QuoteString(filepath.Join(dir, "logs")) + ")", nil},
		{"enable_logging", "SELECT * FROM enable_logging()", nil},
		{"explain analyze create", "EXPLAIN ANALYZE CREATE TABLE t3 AS SELECT 1", refused},
		{"explain analyze copy over own file", "EXPLAIN ANALYZE COPY (SELECT 42 AS x) TO " + QuoteString(filepath.Join(dir, parquetName)) + " (FORMAT parquet, USE_TMP_FILE false)", refused},
		{"explain analyze options copy", "EXPLAIN ANALYZE (FORMAT json) COPY (SELECT 42 AS x) TO " + QuoteString(filepath.Join(dir, parquetName)) + " (FORMAT parquet, USE_TMP_FILE false)", refused},
		{"explain comment copy", "/* x */ EXPLAIN /* ANALYZE */ ANALYZE -- y\n COPY (SELECT 42 AS x) TO " + QuoteString(filepath.Join(dir, parquetName)) + " (FORMAT parquet, USE_TMP_FILE false)", refused},
		{"explain copy", "EXPLAIN COPY (SELECT 42 AS x) TO " + QuoteString(filepath.Join(dir, parquetName)) + " (FORMAT parquet, USE_TMP_FILE false)", refused},
		{"explain analyze select", "EXPLAIN ANALYZE SELECT count(*) FROM data", nil},
		{"enable_logging to own file", "SELECT * FROM enable_logging(storage = 'file', storage_path = " + QuoteString(filepath.Join(dir, parquetName)) + "), data", nil},
		// Accepted; host paths in the output are scrubbed (checked below).
		{"temp_directory setting", "SELECT current_setting('temp_directory') AS v", nil},
		{"settings", "SELECT name, value FROM duckdb_settings()", nil},
		{"view definition", "SELECT sql FROM duckdb_views()", nil},
		{"databases", "SELECT * FROM duckdb_databases()", nil},
		{"parquet metadata", "SELECT file_name, path_in_schema FROM parquet_metadata(" + QuoteString(own) + ")", nil},
		{"unscannable map", "SELECT * FROM parquet_metadata(" + QuoteString(own) + ")", []apperr.Kind{apperr.Invalid}},
		{"temporary files", "SELECT * FROM duckdb_temporary_files()", nil},
		// DuckDB rewrites it to a SELECT that does not nest in the
		// wrapper bounding the result: refused, pragma_table_info works.
		{"pragma table_info", "PRAGMA table_info('data')", []apperr.Kind{apperr.Invalid}},
		{"pragma_table_info", "SELECT * FROM pragma_table_info('data')", nil},
		{"explain", "EXPLAIN SELECT * FROM data", nil},
		{"extensions", "SELECT * FROM duckdb_extensions()", append(refused, apperr.Internal)},
		// Resource limits.
		{"cross join timeout", "SELECT count(*) FROM range(1000000) a, range(1000000) b", []apperr.Kind{apperr.Timeout}},
		{"memory limit", "SELECT count(*) FROM (SELECT DISTINCT range::VARCHAR || repeat('x', 40) FROM range(20000000))", []apperr.Kind{apperr.TooLarge}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			res, err := e.Query(context.Background(), id, tc.sql)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("want success, got %v", err)
				}
			} else {
				if err == nil {
					b, _ := json.Marshal(res.Objects())
					t.Fatalf("want one of %v, got success: %.300s", tc.want, b)
				}
				k := kindOf(err)
				ok := false
				for _, w := range tc.want {
					ok = ok || k == w
				}
				if !ok {
					t.Fatalf("kind = %s, want one of %v (%v)", k, tc.want, err)
				}
			}
			shown := ""
			if err != nil {
				shown = apperr.MessageOf(err)
				t.Logf("%s: %s", kindOf(err), shown)
			} else {
				b, _ := json.Marshal(res)
				o, _ := json.Marshal(res.Objects())
				shown = string(b) + string(o)
			}
			for _, secret := range []string{e.dataDir, home, cwd, "hunter2"} {
				if secret != "" && secret != "/" && strings.Contains(shown, secret) {
					t.Errorf("output reveals %q: %.500s", secret, shown)
				}
			}
			// Generous: the machine may be loaded; TestQueryCancel checks
			// the one-second stop.
			if d := time.Since(start); d > 5*time.Second+3*time.Second {
				t.Errorf("took %v", d)
			}
			// The sandbox is unchanged and healthy.
			res = mustQuery(t, e, id, "SELECT count(*) AS n, (SELECT count(*) FROM duckdb_tables()) AS tables FROM data")
			if n, tables := res.Rows[0][0], res.Rows[0][1]; n != int64(3) || tables != int64(0) {
				t.Errorf("after: n=%v tables=%v", n, tables)
			}
		})
	}
	// Nothing was written anywhere we can see.
	for _, f := range listFiles(t, dir) {
		switch f {
		case "original.csv", parquetName, previewName, profileName, valuesName:
		default:
			t.Errorf("unexpected file in the session dir: %s", f)
		}
	}
	if after, err := os.ReadFile(filepath.Join(dir, parquetName)); err != nil || !bytes.Equal(before, after) {
		t.Errorf("data.parquet changed (%v)", err)
	}
	if _, err := os.Stat("/tmp/duck-escape.csv"); err == nil {
		t.Error("/tmp/duck-escape.csv was written")
	}
	runtime.GC()
}
