package duck

import (
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"testing"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// TestPlainCSVErrors makes DuckDB refuse small files for each reason its
// reader gives and checks the words a user sees: the line, the column when
// known, what was expected; none of DuckDB's own wording.
func TestPlainCSVErrors(t *testing.T) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	dir := t.TempDir()
	strict := "auto_detect = false, delim = ',', quote = '\"', header = true, strict_mode = true, "
	cases := []struct {
		name, content, opts, want string
	}{
		{"unclosed quote", "a,b\n1,\"x\n", strict + "columns = {'a': 'INT', 'b': 'VARCHAR'}",
			`line 2: a quoted field is not closed (a " is missing, or a quote inside a field is not doubled)`},
		{"too many fields", "a,b\n1,2\n3,4,5\n", strict + "columns = {'a': 'INT', 'b': 'INT'}",
			"line 3: expected 2 fields, found more"},
		{"too few fields", "a,b\n1,2\n3\n", strict + "columns = {'a': 'INT', 'b': 'INT'}",
			"line 3: expected 2 fields, found 1"},
		{"not a number", "a,b\n1,2\nx,4\n", strict + "columns = {'a': 'INT', 'b': 'INT'}",
			`line 3: column "a": "x" is not a whole number like the rest of the column`},
		{"no layout", "a,b\n1,\"x\n", "delim = ',', quote = '\"', strict_mode = true",
			"no consistent CSV layout (delimiter, quoting, columns) was found"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(dir, "f.csv")
			if err := os.WriteFile(p, []byte(tc.content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := db.Exec("SELECT * FROM read_csv(" + QuoteString(p) + ", " + tc.opts + ")")
			var de *duckdb.Error
			if !errors.As(err, &de) {
				t.Fatalf("DuckDB read it: %v", err)
			}
			if got := plainCSVError(de.Msg); got != tc.want {
				t.Errorf("got  %q\nwant %q\nfrom %q", got, tc.want, de.Msg)
			}
		})
	}
}
