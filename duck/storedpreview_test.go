package duck

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// previewIDs returns the id column of a preview, as integers.
func previewIDs(t *testing.T, res *Result) []int64 {
	t.Helper()
	var ids []int64
	for _, row := range res.Rows {
		id, ok := row[0].(int64)
		if !ok {
			t.Fatalf("id %v is %T, not int64", row[0], row[0])
		}
		ids = append(ids, id)
	}
	return ids
}

func wantFirstIDs(t *testing.T, res *Result, n int, total int64) {
	t.Helper()
	ids := previewIDs(t, res)
	if len(ids) != n {
		t.Fatalf("%d rows, want %d", len(ids), n)
	}
	for i, id := range ids {
		if id != int64(i) {
			t.Fatalf("row %d has id %d: the preview is not the file's first rows in order (%v...)", i, id, ids[:min(len(ids), 12)])
		}
	}
	if res.RowCount != total || !res.Truncated || res.TruncatedReason != TruncatedRows {
		t.Errorf("row_count %d truncated %v %q, want %d rows truncated", res.RowCount, res.Truncated, res.TruncatedReason, total)
	}
}

// TestStoredPreviewInFileOrder: the preview is the upload's first rows in
// file order, although data.parquet is written without insertion order by
// two threads over many row groups, and it is read from preview.json.
func TestStoredPreviewInFileOrder(t *testing.T) {
	e := newTestEngine(t, func(c *Config) { c.Threads = 2 })
	const rows = 600_000 // several of DuckDB's 122,880-row groups and CSV buffers
	var b bytes.Buffer
	b.WriteString("id,category,amount,note\n")
	for i := range rows {
		fmt.Fprintf(&b, "%d,c%d,%d.25,\"text, with a comma %d\"\n", i, i%7, i%1000, i)
	}
	id, ds := mustIngest(t, e, "big.csv", b.Bytes())
	if ds.RowCount != rows {
		t.Fatalf("rows = %d", ds.RowCount)
	}
	dir := filepath.Join(e.dataDir, id)
	if _, err := os.Stat(filepath.Join(dir, previewName)); err != nil {
		t.Fatalf("no stored preview: %v", err)
	}
	res, err := e.Preview(context.Background(), id, 100)
	if err != nil {
		t.Fatal(err)
	}
	wantFirstIDs(t, res, 100, rows)
	if got := fmt.Sprint(res.Columns, res.Types); got != "[id category amount note] [BIGINT VARCHAR DOUBLE VARCHAR]" {
		t.Errorf("columns %s", got)
	}
	if v := res.Rows[3][2]; v != 3.25 {
		t.Errorf("amount %v (%T), want 3.25", v, v)
	}
	if v := res.Rows[2][3]; v != "text, with a comma 2" {
		t.Errorf("note %q", v)
	}
	// A shorter preview is the start of the same rows.
	res, err = e.Preview(context.Background(), id, 5)
	if err != nil {
		t.Fatal(err)
	}
	wantFirstIDs(t, res, 5, rows)

	// The stored rows are what is shown: no DuckDB read is involved.
	raw, err := os.ReadFile(filepath.Join(dir, previewName))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, previewName), bytes.Replace(raw, []byte(`"c0"`), []byte(`"stored"`), 1), 0o640)
	res, _ = e.Preview(context.Background(), id, 10)
	if res.Rows[0][1] != "stored" {
		t.Errorf("row 0 = %v: not read from %s", res.Rows[0], previewName)
	}
}

// TestStoredPreviewParquetOrder: a Parquet upload's preview is its first
// rows by row number, across many row groups.
func TestStoredPreviewParquetOrder(t *testing.T) {
	e := newTestEngine(t, func(c *Config) { c.Threads = 2 })
	const rows = 300_000
	file := writeParquet(t, fmt.Sprintf("SELECT range AS id, 'v' || (range %% 13) AS v FROM range(%d)", rows))
	id, _ := mustIngest(t, e, "x.parquet", file)
	res, err := e.Preview(context.Background(), id, 100)
	if err != nil {
		t.Fatal(err)
	}
	wantFirstIDs(t, res, 100, rows)
}

// TestStoredPreviewLazy: a session stored before preview.json existed
// gets one on its first preview, with the same rows a read of
// data.parquet gives.
func TestStoredPreviewLazy(t *testing.T) {
	e := newTestEngine(t)
	id, _ := mustIngest(t, e, "p.csv", []byte("name,n,day\nada,1,2024-01-02\nbob,2,2024-02-03\ncy,,\n"))
	path := filepath.Join(e.dataDir, id, previewName)
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	res, err := e.Preview(context.Background(), id, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 3 || res.RowCount != 3 || res.Truncated {
		t.Fatalf("preview %+v", res)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("not stored: %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("stored lazily:\n%s\nat ingest:\n%s", got, want)
	}
	if v := res.Rows[0][1]; v != int64(1) {
		t.Errorf("n = %v (%T)", v, v)
	}
	if v := res.Rows[2][1]; v != nil {
		t.Errorf("NULL = %v", v)
	}
}
