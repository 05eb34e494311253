package duck_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/analyzerhq/analyzer/duck"
)

// FuzzIsSQL checks the statement classification that decides whether a
// chat message runs as SQL, and that whatever runs stays in the sandbox:
//
//   - IsSQL is a function of the text, blind to surrounding blanks;
//   - text that IsSQL takes for one statement is no longer one when a
//     second statement follows it: "SELECT 1; COPY ..." can never pass;
//   - running it through Query never panics and writes nothing: the data
//     directory holds exactly what ingest wrote.
func FuzzIsSQL(f *testing.F) {
	for _, s := range []string{
		"SELECT * FROM data",
		"FROM data LIMIT 3",
		"select count(*) from data;",
		"WITH t AS (SELECT 1) SELECT * FROM t",
		"SUMMARIZE data",
		"PIVOT data ON city USING sum(v)",
		"show me the top 10",
		"SELECT 1; COPY data TO '/tmp/x.csv'",
		"COPY data TO '/tmp/x.csv'",
		"SELECT 'a;b' AS s -- ; COPY data TO 'x'",
		"SELECT $$;$$",
		"/* ; */ SELECT 1",
		"SELECT \"a\"\"; DROP TABLE data; --\" FROM data",
		"EXPLAIN ANALYZE SELECT 1",
		"ATTACH 'x.db'",
		"SELECT * FROM read_text('/etc/passwd')",
		"",
		"\x00",
	} {
		f.Add(s)
	}
	dir := f.TempDir()
	e, err := duck.New(duck.Config{DataDir: dir, MemoryLimit: "256MB", QueryMemoryLimit: "128MB", Threads: 1, QueryTimeout: 2 * time.Second, MaxResultRows: 100}, nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { e.Close() })
	ctx := context.Background()
	src := filepath.Join(f.TempDir(), "upload.csv")
	if err := os.WriteFile(src, []byte("city,v\nParis,1\nBerlin,2\n"), 0o600); err != nil {
		f.Fatal(err)
	}
	session := uuid.NewString()
	if _, err := e.Ingest(ctx, session, src, "data.csv"); err != nil {
		f.Fatal(err)
	}
	before := listFiles(f, dir)
	for _, s := range []string{
		"SELECT 1\x00; COPY data TO '" + filepath.Join(dir, "x.csv") + "'",
		"COPY data TO '" + filepath.Join(dir, session, "y.csv") + "'",
	} {
		f.Add(s)
	}

	f.Fuzz(func(t *testing.T, text string) {
		one := e.IsSQL(ctx, text)
		if e.IsSQL(ctx, text) != one || e.IsSQL(ctx, " \n\t"+text+"\n ") != one {
			t.Fatalf("IsSQL(%q) depends on more than the text", text)
		}
		if !one {
			return
		}
		if strings.TrimSpace(text) == "" {
			t.Fatal("blank text taken for SQL")
		}
		// DuckDB's parser reads a C string: it stops at a NUL, and so does
		// the engine that runs the text, so what follows a NUL is never
		// seen by either (the Query check below holds for those too).
		if !strings.ContainsRune(text, 0) && e.IsSQL(ctx, text+"\n;\nSELECT 42") {
			t.Fatalf("%q followed by a second statement still counts as one", text)
		}
		qctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		_, _ = e.Query(qctx, session, text)
		if after := listFiles(t, dir); after != before {
			t.Fatalf("%q changed the data directory:\n%s\nwas\n%s", text, after, before)
		}
	})
}

func listFiles(tb testing.TB, dir string) string {
	tb.Helper()
	var out []string
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, path)
			out = append(out, rel)
		}
		return nil
	})
	return strings.Join(out, "\n")
}
