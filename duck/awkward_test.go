package duck

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/analyzerhq/analyzer/apperr"
)

// Outcomes of an awkward file, against DuckDB's own read_csv of it.
const (
	awkSame     = "same"                                  // same rows and columns as DuckDB
	awkColumns  = "improved: one column found as several" // DuckDB falls back to one column
	awkEncoding = "improved: encoding DuckDB's default refuses"
	awkRefused  = "refused, as by DuckDB"
)

// TestAwkwardCorpus ingests every public file in testdata/awkward (see
// its README for sources and licences) and reads it with DuckDB's own
// read_csv, defaults only, in the same test: a file DuckDB reads is read
// with the same row and column counts unless the difference is a named
// improvement; a file is refused only if DuckDB refuses it too, and then
// in plain words.
func TestAwkwardCorpus(t *testing.T) {
	want := map[string]string{
		"derived_latin1_as_utf16be_bom.csv":  awkEncoding,
		"derived_latin1_as_utf16le.csv":      awkEncoding,
		"duckdb_encodings_latin1.csv":        awkEncoding,
		"duckdb_comments_mid_line_quote.csv": awkColumns,
		"spectrum_location_coordinates.csv":  awkEncoding,
	}
	paths, err := filepath.Glob(filepath.Join("testdata", "awkward", "*.csv"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no corpus: %v", err)
	}
	ref, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer ref.Close()
	e := newTestEngine(t)
	counts := map[string]int{}
	for _, p := range paths {
		name := filepath.Base(p)
		t.Run(name, func(t *testing.T) {
			dRows, dCols, dErr := duckRead(ref, p)
			content, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			id := uuid.NewString()
			ds, err := e.Ingest(context.Background(), id, writeUpload(t, content), name)
			var got string
			switch {
			case err != nil:
				msg := apperr.MessageOf(err)
				if dErr == nil {
					t.Fatalf("refused a file DuckDB reads (%d rows, %d columns): %v", dRows, dCols, err)
				}
				for _, internal := range []string{"CSV Error on Line", "read_csv", "Possible fixes", "state machine", "sniff"} {
					if strings.Contains(msg, internal) {
						t.Errorf("refusal not in plain words: %s", msg)
					}
				}
				got = awkRefused
				t.Logf("refused: %s (DuckDB: %s)", msg, firstLine(dErr))
			default:
				defer e.Remove(context.Background(), id)
				rows, cols := ds.RowCount, len(ds.Columns)
				switch {
				case dErr == nil && rows == dRows && cols == dCols:
					got = awkSame
				case dErr == nil && dCols == 1 && cols > 1:
					got = awkColumns
				case dErr != nil && ds.Encoding != encUTF8:
					got = awkEncoding
				case dErr != nil:
					got = "improved: read where DuckDB refuses"
					t.Logf("DuckDB: %s", firstLine(dErr))
				default:
					t.Fatalf("read %d rows, %d columns; DuckDB reads %d rows, %d columns", rows, cols, dRows, dCols)
				}
				t.Logf("%s: %d rows, %d columns (DuckDB %d, %d, %v); encoding %s, skipped %d, rejected %d, notes %q",
					got, rows, cols, dRows, dCols, dErr != nil, ds.Encoding, ds.SkippedLines, ds.RejectedRows, ds.Notes)
			}
			counts[got]++
			w := want[name]
			if w == "" {
				w = awkSame
			}
			if got != w {
				t.Errorf("outcome %q, want %q", got, w)
			}
		})
	}
	var keys []string
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Logf("%3d %s", counts[k], k)
	}
}

// duckRead is what DuckDB's own read_csv, with its defaults, makes of path.
func duckRead(db *sql.DB, path string) (rows int64, cols int, err error) {
	src := "read_csv(" + QuoteString(path) + ")"
	if err = db.QueryRow("SELECT count(*) FROM " + src).Scan(&rows); err != nil {
		return 0, 0, err
	}
	err = db.QueryRow("SELECT count(*) FROM (DESCRIBE SELECT * FROM " + src + ")").Scan(&cols)
	return rows, cols, err
}

func firstLine(err error) string {
	s := fmt.Sprint(err)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}
