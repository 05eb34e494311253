package duck

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/analyzerhq/analyzer/apperr"
)

// corpusCase is one upload: a clear error of kind wantErr, or a dataset
// that check accepts. Never a panic, never a leftover file.
type corpusCase struct {
	name     string
	file     string                  // under testdata/, or
	gen      func(testing.TB) []byte // generated content
	filename string                  // the user's file name; defaults to file
	wantErr  apperr.Kind
	check    func(t *testing.T, e *Engine, id string, ds *Dataset)
	slow     bool // skipped under -short
}

func TestIngestCorpus(t *testing.T) {
	cases := []corpusCase{
		{name: "empty", file: "empty.csv", wantErr: apperr.Invalid},
		{name: "blank lines", file: "blank_lines.csv", wantErr: apperr.Invalid},
		{name: "header only", file: "header_only.csv", check: shape(0, "id", "name", "amount")},
		{name: "header only without newline", file: "header_only_no_newline.csv", check: shape(0, "id", "name", "amount")},
		{name: "utf-8 bom", file: "bom_utf8.csv", check: all(shape(2, "id", "name"), cell("SELECT name FROM data WHERE id = 1", "Zoë"))},
		{name: "semicolon", file: "semicolon.csv", check: all(shape(3, "id", "name", "price"), cell("SELECT name FROM data WHERE id = 2", "Pear"))},
		{name: "tab", file: "tab.csv", check: all(shape(3, "id", "name", "score"), cell("SELECT score FROM data WHERE name = 'Cy'", 8.25))},
		{name: "quoted newlines", file: "quoted_newlines.csv", check: all(shape(3, "id", "comment", "n"),
			cell("SELECT comment FROM data WHERE id = 1", "line one\nline two"),
			cell("SELECT comment FROM data WHERE id = 2", `has "quotes", and, commas`))},
		{name: "latin-1", file: "latin1.csv", check: all(shape(3, "name", "city"), cell("SELECT city FROM data WHERE name = 'José'", "Zürich"),
			meta(func(ds *Dataset) bool { return ds.Encoding == "latin-1" }))},
		{name: "utf-16le bom", file: "utf16le_bom.csv", check: all(shape(2, "name", "city", "amount"), cell("SELECT city FROM data WHERE name = 'Åsa'", "Malmö"))},
		{name: "utf-16be bom", file: "utf16be_bom.csv", check: all(shape(2, "name", "city", "amount"), cell("SELECT city FROM data WHERE name = 'Åsa'", "Malmö"),
			meta(func(ds *Dataset) bool { return ds.Encoding == "utf-16be" }))},
		{name: "utf-16le no bom", file: "utf16le_nobom.csv", check: all(shape(2, "name", "city", "amount"), cell("SELECT amount FROM data WHERE name = 'José'", 1.5))},
		{name: "ragged rows", file: "ragged.csv", check: all(shape(4, "a", "b", "c"), cell("SELECT count(*) FROM data WHERE c IS NULL", int64(2)))},
		{name: "duplicate and empty names", file: "dup_names.csv", check: all(uniqueNonEmptyNames, cell("SELECT count(*) FROM data", int64(1)))},
		{name: "names with symbols", file: "symbol_names.csv", check: all(
			shape(2, "first name", "amount ($)", `say "hi"`, "select", "ünï"),
			cell(`SELECT sum("amount ($)") FROM data WHERE "say ""hi""" IN ('x', 'y') AND "select" > 0`, int64(30)))},
		{name: "dates as text", file: "dates_text.csv", check: all(
			types(map[string]string{"iso": "DATE", "us": "DATE", "ts": "TIMESTAMP", "month": "DATE", "eu": "DATE", "ambiguous": "VARCHAR"}),
			cell("SELECT eu FROM data WHERE iso = '2024-02-29'", "2024-02-29"),
			cell("SELECT max(iso) FROM data", "2024-02-29"),
			profileCol("month", func(c ColumnProfile) bool { return c.Granularity == "month" }))},
		{name: "apostrophes in names", file: "apostrophe_names.csv", check: all(
			shape(2, "Customer's Name", `it's "x"`, "amount"),
			cell(`SELECT "Customer's Name" FROM data WHERE amount = 2`, "O'Brien"))},
		{name: "crlf", file: "crlf.csv", check: shape(2, "a", "b")},
		{name: "single column", file: "single_column.csv", check: shape(3, "value")},
		{name: "no header", file: "no_header_numbers.csv", check: all(uniqueNonEmptyNames, cell("SELECT count(*) FROM data", int64(3)))},
		{name: "quoted newline, 2 rows", file: "quoted_newline_2rows.csv", check: all(shape(2, "id", "comment"),
			cell("SELECT comment FROM data WHERE id = 1", "first line\nsecond line"), noSkips)},
		{name: "ragged rows with a quoted newline", file: "ragged_quoted_newline.csv", check: all(shape(4, "a", "b", "c"),
			cell("SELECT b FROM data WHERE a = 4", "x\ny"), cell("SELECT count(*) FROM data WHERE c IS NULL", int64(2)),
			meta(func(ds *Dataset) bool { return ds.PaddedRows && ds.RejectedRows == 0 }))},
		{name: "preamble above the header", file: "preamble.csv", check: all(shape(2, "id", "name", "amount"),
			cell("SELECT sum(amount) FROM data", 5.5),
			meta(func(ds *Dataset) bool {
				return ds.SkippedLines == 1 && len(ds.Skipped) == 1 && ds.Skipped[0].Kind == SkipPreamble && ds.Skipped[0].FirstLine == 1
			}))},
		{name: "header of two rows: group headings above the names", file: "group_header.csv", check: all(
			shape(3, "Week", "Date", "Opponent", "Final score", "Team record", "Attendance"),
			types(map[string]string{"Week": "BIGINT"}),
			cell("SELECT Date FROM data WHERE Week = 1", "Saturday, April 14"),
			meta(func(ds *Dataset) bool {
				return ds.SkippedLines == 1 && len(ds.Skipped) == 1 && ds.Skipped[0].Kind == SkipGroupHeader &&
					ds.Skipped[0].FirstLine == 1 && strings.Contains(ds.Skipped[0].Reason, "(Results)")
			}))},
		{name: "header of two rows below a preamble", file: "group_header_preamble.csv", check: all(
			shape(3, "Title", "Year", "US", "US R&B", "Album"),
			types(map[string]string{"Year": "BIGINT"}),
			meta(func(ds *Dataset) bool {
				return ds.SkippedLines == 2 && len(ds.Skipped) == 2 && ds.Skipped[0].Kind == SkipPreamble &&
					ds.Skipped[1].Kind == SkipGroupHeader && ds.Skipped[1].FirstLine == 2
			}))},
		// A first row that repeats the names but with values under the
		// repeated ones (two "10"s), or that is values, stays a row.
		{name: "repeated names over a row of values", file: "group_header_not_names.csv", check: all(
			cell("SELECT count(*) FROM data", int64(2)), noSkips)},
		{name: "repeated names over numbers", file: "repeated_names_values.csv", check: all(
			cell("SELECT count(*) FROM data", int64(2)), noSkips)},
		{name: "comment lines", file: "comments.csv", check: all(shape(2, "id", "name", "amount"),
			cell("SELECT name FROM data WHERE id = 2", "Bob"),
			meta(func(ds *Dataset) bool {
				return ds.SkippedLines == 3 && len(ds.Skipped) == 1 && ds.Skipped[0].Kind == SkipComment && ds.Skipped[0].FirstLine == 1
			}))},
		{name: "one stray NUL", file: "stray_nul.csv", check: all(shape(3, "id", "name"),
			cell("SELECT name FROM data WHERE id = 2", "Bob"),
			meta(func(ds *Dataset) bool { return ds.RemovedNULs == 1 && ds.Encoding == "utf-8" }))},
		{name: "one invalid byte among utf-8 accents", file: "invalid_utf8_byte.csv", check: all(shape(3, "name", "city"),
			cell("SELECT city FROM data WHERE name = 'José'", "Zürich"),
			cell("SELECT name FROM data WHERE city = 'Genève'", "Bad\uFFFD"),
			meta(func(ds *Dataset) bool { return ds.Encoding == "utf-8" && ds.ReplacedBytes == 1 }))},
		{name: "windows-1252 bank list with an en dash", file: "windows1252_bank.csv", check: all(shape(2, "Date", "Description", "Amount"),
			cell("SELECT Description FROM data WHERE Amount < -700", "Transfer – rent"),
			cell("SELECT Description FROM data WHERE Amount > -10", "Café “Le Nord”"),
			meta(func(ds *Dataset) bool { return ds.Encoding == "windows-1252" && ds.ReplacedBytes == 0 }))},
		{name: "bad rows in plain words", gen: genBadRowsPlain, filename: "bad_plain.csv", check: meta(func(ds *Dataset) bool {
			return ds.RowCount == 25000 && ds.RejectedRows == 2 && len(ds.Rejects) == 2 &&
				ds.Rejects[0].Line == 25002 && ds.Rejects[0].Error == "expected 3 fields, found more" &&
				ds.Rejects[1].Line == 25003 && ds.Rejects[1].Error == `column "amount": "x" is not a whole number like the rest of the column`
		})},
		{name: "binary junk", file: "junk.csv", wantErr: apperr.Invalid},
		{name: "zip named csv", file: "zip_named.csv", wantErr: apperr.Invalid},
		{name: "gzip named csv", file: "gzip_named.csv", wantErr: apperr.Invalid},
		{name: "csv named parquet", file: "not_parquet.parquet", wantErr: apperr.Invalid},
		{name: "parquet magic, no footer", file: "truncated_magic.parquet", wantErr: apperr.Invalid},
		{name: "unsupported extension", file: "text.txt", wantErr: apperr.Unsupported},
		{name: "latin-1 after the sample", gen: genLatin1Late, filename: "late.csv", check: all(
			func(t *testing.T, e *Engine, id string, ds *Dataset) {
				if ds.RowCount != 30001 || ds.RejectedRows != 0 {
					t.Errorf("rows=%d rejected=%d", ds.RowCount, ds.RejectedRows)
				}
			}, cell("SELECT city FROM data WHERE name = 'José'", "Zürich"))},
		{name: "few bad rows among many", gen: genBadRows, filename: "bad.csv", check: func(t *testing.T, e *Engine, id string, ds *Dataset) {
			if ds.RowCount != 200000-3 || ds.RejectedRows != 3 || len(ds.Rejects) != 3 {
				t.Fatalf("rows=%d rejected=%d rejects=%+v", ds.RowCount, ds.RejectedRows, ds.Rejects)
			}
			for _, r := range ds.Rejects {
				if r.Line == 0 || r.Error == "" {
					t.Errorf("reject %+v", r)
				}
			}
			if ds.Columns[2].Type != "DOUBLE" {
				t.Errorf("amount type = %s", ds.Columns[2].Type)
			}
		}},
		{name: "short rows past the sample", gen: genLateShortRows, filename: "late_short.csv", check: func(t *testing.T, e *Engine, id string, ds *Dataset) {
			if ds.RowCount != 30002 || ds.RejectedRows != 0 || !ds.PaddedRows || len(ds.Columns) != 3 {
				t.Errorf("rows=%d rejected=%d padded=%v cols=%v", ds.RowCount, ds.RejectedRows, ds.PaddedRows, ds.Columns)
			}
			cell("SELECT count(*) FROM data WHERE c IS NULL", int64(2))(t, e, id, ds)
			cell(`SELECT b FROM data WHERE a = 30001`, "two\nlines")(t, e, id, ds)
		}},
		{name: "numbers then text", gen: genTypeChange, filename: "late_text.csv", check: func(t *testing.T, e *Engine, id string, ds *Dataset) {
			if ds.RowCount != 50000 || ds.RejectedRows != 0 || ds.Columns[1].Type != "VARCHAR" {
				t.Errorf("rows=%d rejected=%d cols=%v", ds.RowCount, ds.RejectedRows, ds.Columns)
			}
		}},
		{name: "2000 columns", slow: true, gen: genWide, filename: "wide.csv", check: func(t *testing.T, e *Engine, id string, ds *Dataset) {
			if len(ds.Columns) != 2000 || ds.RowCount != 3 {
				t.Fatalf("cols=%d rows=%d", len(ds.Columns), ds.RowCount)
			}
			cell(`SELECT "c1999" FROM data WHERE c0 = 2`, int64(2*2000+1999))(t, e, id, ds)
		}},
		{name: "10 MB single field", slow: true, gen: genHugeField, filename: "huge.csv", check: all(shape(2, "id", "text"),
			cell("SELECT length(text) FROM data WHERE id = 1", int64(10<<20)))},
		{name: "10 MB field after 32 MB", slow: true, gen: genLateHugeField, filename: "late_huge.csv", check: func(t *testing.T, e *Engine, id string, ds *Dataset) {
			// The sample has no quotes, so DuckDB keeps them as text: 2 more.
			cell("SELECT max(length(text)) FROM data", int64(10<<20+2))(t, e, id, ds)
			if ds.RejectedRows != 0 {
				t.Errorf("rejected %d: %+v", ds.RejectedRows, ds.Rejects)
			}
		}},
		{name: "parquet", gen: genParquet, filename: "typed.PQ", check: all(
			types(map[string]string{"i": "INTEGER", "s": "VARCHAR", "d": "DATE", "ts": "TIMESTAMP", "dec": "DECIMAL(10,2)", "l": "INTEGER[]", "st": "STRUCT(a INTEGER, b VARCHAR)"}),
			func(t *testing.T, e *Engine, id string, ds *Dataset) {
				if ds.Format != formatParquet || ds.RowCount != 100 {
					t.Errorf("format=%s rows=%d", ds.Format, ds.RowCount)
				}
			},
			cell("SELECT dec FROM data WHERE i = 3", json.Number("3.5")),
			cell("SELECT l FROM data WHERE i = 3", []any{int64(3), int64(4)}))},
		{name: "parquet named csv", gen: genParquet, filename: "actually.csv", check: func(t *testing.T, e *Engine, id string, ds *Dataset) {
			if ds.Format != formatParquet || filepath.Base(ds.OriginalPath) != "original.parquet" {
				t.Errorf("format=%s original=%s", ds.Format, ds.OriginalPath)
			}
		}},
		{name: "parquet duplicate names", gen: genParquetDupNames, filename: "dups.parquet", check: uniqueNonEmptyNames},
		{name: "truncated parquet", gen: func(tb testing.TB) []byte { b := genParquet(tb); return b[:len(b)/2] }, filename: "cut.parquet", wantErr: apperr.Invalid},
		{name: "damaged parquet pages", gen: genDamagedParquet, filename: "damaged.parquet", wantErr: apperr.Invalid},
		{name: "parquet footer claims absurd rows", gen: func(tb testing.TB) []byte { return patchNumRows(tb, genParquet(tb), 5_000_000_000_000) }, filename: "liar.parquet", wantErr: apperr.Invalid},
		{name: "parquet footer row counts disagree", gen: func(tb testing.TB) []byte { return patchNumRows(tb, genParquet(tb), 1000) }, filename: "liar2.parquet", wantErr: apperr.Invalid},
	}
	e := newTestEngine(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.slow && testing.Short() {
				t.Skip("slow")
			}
			var content []byte
			if tc.gen != nil {
				content = tc.gen(t)
			} else {
				b, err := os.ReadFile(filepath.Join("testdata", tc.file))
				if err != nil {
					t.Fatal(err)
				}
				content = b
			}
			filename := tc.filename
			if filename == "" {
				filename = tc.file
			}
			src := writeUpload(t, content)
			id := uuid.NewString()
			ds, err := e.Ingest(context.Background(), id, src, filename)
			if _, statErr := os.Stat(src); statErr == nil {
				t.Error("the upload was not consumed")
			}
			dir := filepath.Join(e.dataDir, id)
			if tc.wantErr != "" {
				if err == nil {
					t.Fatalf("want %s, got a dataset: %+v", tc.wantErr, ds)
				}
				if k := kindOf(err); k != tc.wantErr {
					t.Fatalf("kind = %s, want %s (%v)", k, tc.wantErr, err)
				}
				msg := apperr.MessageOf(err)
				t.Logf("message: %s", msg)
				if strings.Contains(msg, e.dataDir) || strings.Contains(msg, os.TempDir()) || strings.Contains(msg, "read_csv") {
					t.Errorf("message leaks internals: %s", msg)
				}
				if _, statErr := os.Stat(dir); statErr == nil {
					t.Errorf("left behind: %v", listFiles(t, dir))
				}
				return
			}
			if err != nil {
				t.Fatalf("ingest: %v", err)
			}
			t.Cleanup(func() { e.Remove(context.Background(), id) })
			if p, err := e.Profile(context.Background(), id); err != nil || p.RowCount != ds.RowCount {
				t.Errorf("profile: %v", err)
			} else {
				ds.Profile = p
			}
			files := listFiles(t, dir)
			want := []string{"original." + ds.Format, parquetName, previewName, profileName, valuesName}
			if fmt.Sprint(sorted(files)) != fmt.Sprint(sorted(want)) {
				t.Errorf("files = %v, want %v", files, want)
			}
			if tc.check != nil {
				tc.check(t, e, id, ds)
			}
			if _, err := e.Preview(context.Background(), id, 5); err != nil {
				t.Errorf("preview: %v", err)
			}
			if err := e.Remove(context.Background(), id); err != nil {
				t.Fatal(err)
			}
		})
	}
	if files := listFiles(t, e.dataDir); len(files) != 0 {
		t.Errorf("left in the data dir: %v", files)
	}
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

type checkFn = func(t *testing.T, e *Engine, id string, ds *Dataset)

func all(fs ...checkFn) checkFn {
	return func(t *testing.T, e *Engine, id string, ds *Dataset) {
		for _, f := range fs {
			f(t, e, id, ds)
		}
	}
}

func shape(rows int64, names ...string) checkFn {
	return func(t *testing.T, e *Engine, id string, ds *Dataset) {
		t.Helper()
		var got []string
		for _, c := range ds.Columns {
			got = append(got, c.Name)
		}
		if ds.RowCount != rows || fmt.Sprint(got) != fmt.Sprint(names) {
			t.Errorf("rows=%d columns=%q, want %d %q", ds.RowCount, got, rows, names)
		}
	}
}

// meta checks the dataset's description.
func meta(ok func(*Dataset) bool) checkFn {
	return func(t *testing.T, e *Engine, id string, ds *Dataset) {
		t.Helper()
		if !ok(ds) {
			b, _ := json.Marshal(ds)
			t.Errorf("dataset: %s", b)
		}
	}
}

func noSkips(t *testing.T, e *Engine, id string, ds *Dataset) {
	t.Helper()
	if ds.SkippedLines != 0 || ds.RejectedRows != 0 || ds.Encoding != "utf-8" {
		t.Errorf("skipped=%d rejected=%d encoding=%q", ds.SkippedLines, ds.RejectedRows, ds.Encoding)
	}
}

func types(want map[string]string) checkFn {
	return func(t *testing.T, e *Engine, id string, ds *Dataset) {
		t.Helper()
		for _, c := range ds.Columns {
			if w, ok := want[c.Name]; ok && w != c.Type {
				t.Errorf("column %q type = %s, want %s", c.Name, c.Type, w)
			}
		}
	}
}

// cell runs q in the sandbox and compares its single value.
func cell(q string, want any) checkFn {
	return func(t *testing.T, e *Engine, id string, ds *Dataset) {
		t.Helper()
		res := mustQuery(t, e, id, q)
		if len(res.Rows) != 1 || len(res.Rows[0]) != 1 {
			t.Fatalf("%s: %d rows", q, len(res.Rows))
		}
		if got := res.Rows[0][0]; fmt.Sprintf("%#v", got) != fmt.Sprintf("%#v", want) {
			t.Errorf("%s = %#v, want %#v", q, got, want)
		}
	}
}

func profileCol(name string, ok func(ColumnProfile) bool) checkFn {
	return func(t *testing.T, e *Engine, id string, ds *Dataset) {
		t.Helper()
		for _, c := range ds.Profile.Columns {
			if c.Name == name {
				if !ok(c) {
					t.Errorf("profile of %q: %+v", name, c)
				}
				return
			}
		}
		t.Errorf("no profile for %q", name)
	}
}

func uniqueNonEmptyNames(t *testing.T, e *Engine, id string, ds *Dataset) {
	t.Helper()
	seen := map[string]bool{}
	for _, c := range ds.Columns {
		k := strings.ToLower(c.Name)
		if c.Name == "" || seen[k] {
			t.Errorf("columns not unique/non-empty: %+v", ds.Columns)
		}
		seen[k] = true
		// Every name is usable, quoted, in SQL.
		mustQuery(t, e, id, "SELECT "+QuoteIdent(c.Name)+" FROM data")
	}
	t.Logf("columns: %+v", ds.Columns)
}

func genLatin1Late(testing.TB) []byte {
	var b bytes.Buffer
	b.WriteString("name,city\n")
	for i := 0; i < 30000; i++ {
		b.WriteString("a,b\n")
	}
	b.Write([]byte("Jos\xe9,Z\xfcrich\n"))
	return b.Bytes()
}

// genLateShortRows: rows with missing fields past the sniffer's sample,
// one of them with a quoted newline.
func genLateShortRows(testing.TB) []byte {
	var b bytes.Buffer
	b.WriteString("a,b,c\n")
	for i := 1; i <= 30000; i++ {
		fmt.Fprintf(&b, "%d,\"n %d\",%d\n", i, i, i)
	}
	b.WriteString("30001,\"two\nlines\"\n30002\n")
	return b.Bytes()
}

// genBadRowsPlain: bad rows past the sniffer's sample, one with too many
// fields, one with text in a number column.
func genBadRowsPlain(testing.TB) []byte {
	var b bytes.Buffer
	b.WriteString("id,name,amount\n")
	for i := 1; i <= 25000; i++ {
		fmt.Fprintf(&b, "%d,n%d,%d\n", i, i, i)
	}
	b.WriteString("25001,Bob,3,extra,fields\n25002,Cy,x\n")
	return b.Bytes()
}

// genBadRows: 200,000 good rows and 3 bad ones far past the sniffer's sample.
func genBadRows(testing.TB) []byte {
	var b bytes.Buffer
	b.WriteString("id,name,amount\n")
	for i := 0; i < 200000; i++ {
		switch i {
		case 100000:
			b.WriteString("100000,x,not-a-number\n")
		case 150000:
			b.WriteString("150000,x,1.5,extra,fields\n")
		case 199990:
			b.WriteString("199990,x,oops\n")
		default:
			fmt.Fprintf(&b, "%d,name %d,%d.25\n", i, i%100, i)
		}
	}
	return b.Bytes()
}

// genTypeChange: a column of numbers for 40,000 rows, then text: the
// sample's guess is wrong, nothing should be rejected.
func genTypeChange(testing.TB) []byte {
	var b bytes.Buffer
	b.WriteString("id,code\n")
	for i := 0; i < 50000; i++ {
		if i < 40000 {
			fmt.Fprintf(&b, "%d,%d\n", i, i)
		} else {
			fmt.Fprintf(&b, "%d,A-%d\n", i, i)
		}
	}
	return b.Bytes()
}

func genWide(testing.TB) []byte {
	var b bytes.Buffer
	for c := 0; c < 2000; c++ {
		if c > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "c%d", c)
	}
	b.WriteByte('\n')
	for r := 0; r < 3; r++ {
		for c := 0; c < 2000; c++ {
			if c > 0 {
				b.WriteByte(',')
			}
			if c == 0 {
				fmt.Fprintf(&b, "%d", r)
			} else {
				fmt.Fprintf(&b, "%d", r*2000+c)
			}
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

func genHugeField(testing.TB) []byte {
	var b bytes.Buffer
	b.WriteString("id,text\n1,\"")
	b.Write(bytes.Repeat([]byte("x"), 10<<20))
	b.WriteString("\"\n2,short\n")
	return b.Bytes()
}

// genLateHugeField puts the huge field past what hasLongLine reads, so
// DuckDB's own line-size error drives the retry.
func genLateHugeField(testing.TB) []byte {
	var b bytes.Buffer
	b.WriteString("id,text\n")
	for i := 0; b.Len() < longLineScan+1<<20; i++ {
		fmt.Fprintf(&b, "%d,some text that pads the file to beyond the scan %d\n", i, i)
	}
	n := bytes.Count(b.Bytes(), []byte("\n")) - 1
	fmt.Fprintf(&b, "%d,\"", n)
	b.Write(bytes.Repeat([]byte("y"), 10<<20))
	fmt.Fprintf(&b, "\"\n%d,short\n", n+1)
	return b.Bytes()
}

func genParquet(tb testing.TB) []byte {
	return writeParquet(tb, `SELECT range::INTEGER AS i, 'row ' || range AS s,
		DATE '2024-01-01' + range::INTEGER AS d, TIMESTAMP '2024-01-01 10:00:00' + INTERVAL (range) HOUR AS ts,
		(range + 0.5)::DECIMAL(10,2) AS dec, [range::INTEGER, range::INTEGER + 1] AS l,
		{'a': range::INTEGER, 'b': 'x'} AS st
		FROM range(100)`)
}

func genParquetDupNames(tb testing.TB) []byte {
	return writeParquet(tb, `SELECT 1 AS a, 2 AS "A", 3 AS b`)
}

// genDamagedParquet overwrites the middle of the data pages, keeping the
// footer intact.
func genDamagedParquet(tb testing.TB) []byte {
	b := writeParquet(tb, `SELECT range AS i, md5(range::VARCHAR) AS s FROM range(50000)`)
	for i := 100; i < len(b)/2; i++ {
		b[i] = 0xff
	}
	return b
}
