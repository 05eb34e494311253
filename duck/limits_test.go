package duck

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/analyzerhq/analyzer/apperr"
)

// TestMemoryShares checks the split of the budget and that an instance's
// memory_limit is its share.
func TestMemoryShares(t *testing.T) {
	e := newTestEngine(t, func(c *Config) {
		c.MemoryBudget = 1 << 30
		c.QueryMemoryLimit = "1GB"
		c.MemoryLimit = "2GB"
	})
	q, in := e.MemoryShares()
	if q != 1<<28 || in != 1<<29 || e.MemoryBudget() != 1<<30 {
		t.Fatalf("shares = %d, %d of %d", q, in, e.MemoryBudget())
	}
	id, _ := mustIngest(t, e, "a.csv", []byte("x\n1\n"))
	res := mustQuery(t, e, id, "SELECT current_setting('memory_limit') AS m")
	got, err := parseBytes(res.Rows[0][0].(string))
	if err != nil || got < q*99/100 || got > q {
		t.Fatalf("memory_limit = %v (%v), want %d", res.Rows[0][0], err, q)
	}
	// A smaller limit than the share wins.
	e2 := newTestEngine(t, func(c *Config) { c.MemoryBudget = 8 << 30; c.QueryMemoryLimit = "100MB" })
	if q, _ := e2.MemoryShares(); q != 100e6 {
		t.Fatalf("query share = %d, want 100MB", q)
	}
	if DefaultMemoryBudget() <= 0 {
		t.Fatal("no default budget")
	}
}

// TestBudgetRefusesWhenFull: with the budget taken, a query waits
// BudgetWait and is refused as busy; once a share is free it runs; a
// query's share is held while it runs, also after its caller gave up.
func TestBudgetRefusesWhenFull(t *testing.T) {
	e := newTestEngine(t, func(c *Config) {
		c.MemoryBudget = 256 << 20 // four query shares of 64 MiB
		c.QueryMemoryLimit = "1GB"
		c.BudgetWait = 300 * time.Millisecond
		c.QueryTimeout = 20 * time.Second
	})
	id, _ := mustIngest(t, e, "a.csv", []byte("x\n1\n2\n"))
	var grants []func()
	for range 4 {
		g, err := e.budget.acquireQuery(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		grants = append(grants, g)
	}
	start := time.Now()
	_, err := e.Query(context.Background(), id, "SELECT count(*) FROM data")
	if kindOf(err) != apperr.Unavailable || !strings.Contains(apperr.MessageOf(err), "busy") {
		t.Fatalf("err = %v, want unavailable/busy", err)
	}
	if d := time.Since(start); d < 250*time.Millisecond || d > 5*time.Second {
		t.Errorf("refused after %v, want about BudgetWait", d)
	}
	// The stored preview needs no DuckDB and no share; one read from
	// the data does.
	if _, err := e.Preview(context.Background(), id, 5); err != nil {
		t.Fatalf("stored preview: %v", err)
	}
	if err := os.Remove(filepath.Join(e.dataDir, id, previewName)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Preview(context.Background(), id, 5); kindOf(err) != apperr.Unavailable {
		t.Fatalf("preview err = %v, want unavailable", err)
	}
	grants[0]()
	mustQuery(t, e, id, "SELECT count(*) FROM data")
	for _, g := range grants[1:] {
		g()
	}
	// The instance is closed (and the share released) right after the
	// answer.
	waitFree := func(what string, d time.Duration) {
		t.Helper()
		deadline := time.Now().Add(d)
		for !e.budget.sem.TryAcquire(e.budget.total) {
			if time.Now().After(deadline) {
				t.Fatal(what)
			}
			time.Sleep(20 * time.Millisecond)
		}
		e.budget.sem.Release(e.budget.total)
	}
	waitFree("a finished query kept its share", 2*time.Second)

	// A query that outlives its caller keeps its share until its
	// instance is closed.
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err = e.Query(ctx, id, "SELECT count(*) FROM range(3000000000) a")
	if err == nil {
		t.Fatal("the long query finished")
	}
	waitFree("the cancelled query's share was never released", 15*time.Second)
}

// TestIngestOwners: one owner's second ingest waits for the first (and is
// refused as busy when its timeout passes, its files removed); another
// owner's ingest proceeds meanwhile.
func TestIngestOwners(t *testing.T) {
	e := newTestEngine(t)
	release, err := e.budget.acquireOwner(context.Background(), "alice")
	if err != nil {
		t.Fatal(err)
	}
	id := uuid.NewString()
	start := time.Now()
	_, err = e.IngestWith(context.Background(), id, writeUpload(t, []byte("a\n1\n")), "a.csv", IngestOptions{Owner: "alice", Timeout: 500 * time.Millisecond})
	if kindOf(err) != apperr.Unavailable {
		t.Fatalf("err = %v, want unavailable", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
	if _, err := os.Stat(filepath.Join(e.dataDir, id)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the refused ingest left its directory (%v)", err)
	}
	bob := uuid.NewString()
	if _, err := e.IngestWith(context.Background(), bob, writeUpload(t, []byte("a\n1\n")), "a.csv", IngestOptions{Owner: "bob"}); err != nil {
		t.Fatalf("other owner: %v", err)
	}
	// Alice's turn comes when her first ingest ends.
	done := make(chan error, 1)
	go func() {
		_, err := e.IngestWith(context.Background(), uuid.NewString(), writeUpload(t, []byte("a\n1\n")), "a.csv", IngestOptions{Owner: "alice"})
		done <- err
	}()
	select {
	case err := <-done:
		t.Fatalf("ran before the owner's slot was free: %v", err)
	case <-time.After(300 * time.Millisecond):
	}
	release()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// TestIngestCancelRemovesFiles: cancelling the caller's context stops
// DuckDB and removes the session's files.
func TestIngestCancelRemovesFiles(t *testing.T) {
	e := newTestEngine(t)
	var b strings.Builder
	b.WriteString("id,name,amount,day\n")
	for i := 0; b.Len() < 60<<20; i++ {
		fmt.Fprintf(&b, "%d,name %d,%d.5,2024-01-%02d\n", i, i%1000, i, i%28+1)
	}
	src := writeUpload(t, []byte(b.String()))
	id := uuid.NewString()
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	start := time.Now()
	_, err := e.IngestWith(ctx, id, src, "big.csv", IngestOptions{Owner: "x"})
	if err == nil {
		t.Skip("the machine ingested 60 MB in 300 ms")
	}
	if k := kindOf(err); k != apperr.Canceled {
		t.Fatalf("err = %v, want canceled", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("stopping took %v", d)
	}
	if _, err := os.Stat(filepath.Join(e.dataDir, id)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the cancelled ingest left its directory (%v)", err)
	}
	// The owner and the memory are free again.
	if _, err := e.IngestWith(context.Background(), uuid.NewString(), writeUpload(t, []byte("a\n1\n")), "a.csv", IngestOptions{Owner: "x", Timeout: 10 * time.Second}); err != nil {
		t.Fatal(err)
	}
}

// TestIngestTimeout: the whole ingest is bounded by its timeout.
func TestIngestTimeout(t *testing.T) {
	e := newTestEngine(t)
	var b strings.Builder
	b.WriteString("id,name\n")
	for i := 0; b.Len() < 60<<20; i++ {
		fmt.Fprintf(&b, "%d,name %d\n", i, i)
	}
	id := uuid.NewString()
	_, err := e.IngestWith(context.Background(), id, writeUpload(t, []byte(b.String())), "big.csv", IngestOptions{Timeout: 200 * time.Millisecond})
	if err == nil {
		t.Skip("the machine ingested 60 MB in 200 ms")
	}
	if kindOf(err) != apperr.Timeout || !strings.Contains(apperr.MessageOf(err), "longer than 200ms") {
		t.Fatalf("err = %v, want timeout", err)
	}
	if _, err := os.Stat(filepath.Join(e.dataDir, id)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the timed-out ingest left its directory (%v)", err)
	}
}

// TestLongLineRefused: a CSV that is one 200 MB line is refused in
// seconds with a plain reason, while another owner's small upload and a
// query complete.
func TestLongLineRefused(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 200 MB file")
	}
	e := newTestEngine(t)
	qid, _ := mustIngest(t, e, "q.csv", []byte("x\n1\n2\n"))
	path := filepath.Join(t.TempDir(), "line.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	chunk := []byte(strings.Repeat("abcdefgh,", 1<<17))
	for n := 0; n < 200<<20; n += len(chunk) {
		if _, err := f.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
	f.WriteString("\n")
	f.Close()

	var wg sync.WaitGroup
	var bigErr error
	var bigTook time.Duration
	wg.Add(1)
	go func() {
		defer wg.Done()
		start := time.Now()
		_, bigErr = e.IngestWith(context.Background(), uuid.NewString(), path, "line.csv", IngestOptions{Owner: "mallory"})
		bigTook = time.Since(start)
	}()
	start := time.Now()
	if _, err := e.IngestWith(context.Background(), uuid.NewString(), writeUpload(t, []byte("a,b\n1,2\n")), "s.csv", IngestOptions{Owner: "alice"}); err != nil {
		t.Fatalf("small upload: %v", err)
	}
	mustQuery(t, e, qid, "SELECT sum(x) FROM data")
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("the small upload and query took %v", d)
	}
	wg.Wait()
	if kindOf(bigErr) != apperr.Invalid || !strings.Contains(apperr.MessageOf(bigErr), "line 1 is longer than 16 MB") {
		t.Fatalf("err = %v, want the line refused", bigErr)
	}
	if bigTook > 10*time.Second {
		t.Errorf("refusing took %v", bigTook)
	}
}

// heapGrowth runs f and returns how many bytes the Go heap allocated.
func heapGrowth(f func()) uint64 {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestHugeCells: the single huge values come back cut to the cell
// limit, and Go never holds them.
func TestHugeCells(t *testing.T) {
	e := newTestEngine(t, func(c *Config) { c.QueryMemoryLimit = "2GB"; c.MemoryBudget = 8 << 30; c.QueryTimeout = time.Minute })
	id, _ := mustIngest(t, e, "a.csv", []byte("x\n1\n"))
	cases := []struct {
		sql, typ, prefix string
	}{
		{"SELECT repeat('x', 300000000) AS s", "VARCHAR", "xxxx"},
		{"SELECT list_transform(range(1000), i -> repeat('x',100000)) AS l", "VARCHAR[]", "[xxxx"},
		{"SELECT repeat('é', 100000) AS s", "VARCHAR", "éé"},
		{"SELECT repeat('ab', 100000)::BLOB AS b", "BLOB", "abab"},
		{"SELECT {'a': repeat('x', 100000)} AS st", `STRUCT("a" VARCHAR)`, "{'a': xxx"},
	}
	for _, tc := range cases {
		var res *Result
		grew := heapGrowth(func() { res = mustQuery(t, e, id, tc.sql) })
		if grew > 40<<20 {
			t.Errorf("%s: Go allocated %d MB", tc.sql, grew>>20)
		}
		if len(res.Rows) != 1 || res.CutCells != 1 || res.Types[0] != tc.typ {
			t.Fatalf("%s: rows=%d cut=%d types=%v", tc.sql, len(res.Rows), res.CutCells, res.Types)
		}
		s, _ := res.Rows[0][0].(string)
		if len(s) > e.cfg.MaxCellBytes+len(CutMarker) || len(s) < e.cfg.MaxCellBytes/4 || !strings.HasSuffix(s, CutMarker) || !strings.HasPrefix(s, tc.prefix) {
			t.Errorf("%s: cell of %d bytes: %.40q…%q", tc.sql, len(s), s, s[max(0, len(s)-8):])
		}
	}
	// Normal values keep their shape.
	res := mustQuery(t, e, id, "SELECT 'abc' AS s, [1, 2] AS l, {'a': 1} AS st, 'x'::BLOB AS b, 42 AS n")
	b, _ := json.Marshal(res.Objects())
	if res.CutCells != 0 || string(b) != `[{"s":"abc","l":[1,2],"st":{"a":1},"b":"eA==","n":42}]` {
		t.Fatalf("normal row = %s (cut %d), types %v", b, res.CutCells, res.Types)
	}
	if strings.Join(res.Columns, ",") != "s,l,st,b,n" || strings.Join(res.Types, ",") != `VARCHAR,INTEGER[],STRUCT("a" INTEGER),BLOB,INTEGER` {
		t.Fatalf("shape = %v %v", res.Columns, res.Types)
	}
}

// TestResultBytes: a result stops at MaxResultBytes (TruncatedBytes), and
// at MaxResultRows (TruncatedRows).
func TestResultBytes(t *testing.T) {
	e := newTestEngine(t, func(c *Config) { c.MaxResultBytes = 1 << 20; c.MaxResultRows = 5000 })
	id, _ := mustIngest(t, e, "a.csv", []byte("x\n1\n"))
	res := mustQuery(t, e, id, "SELECT repeat('x', 1000) AS s FROM range(100000)")
	if !res.Truncated || res.TruncatedReason != TruncatedBytes || len(res.Rows) < 900 || len(res.Rows) > 1100 {
		t.Fatalf("truncated=%v reason=%q rows=%d", res.Truncated, res.TruncatedReason, len(res.Rows))
	}
	res = mustQuery(t, e, id, "SELECT range AS n FROM range(100000)")
	if !res.Truncated || res.TruncatedReason != TruncatedRows || len(res.Rows) != 5000 || res.RowCount != 100000 {
		t.Fatalf("truncated=%v reason=%q rows=%d count=%d", res.Truncated, res.TruncatedReason, len(res.Rows), res.RowCount)
	}
	// Many wide columns: each cell's limit shrinks so one row fits.
	cols := make([]string, 100)
	for i := range cols {
		cols[i] = fmt.Sprintf("repeat('y', 50000) AS c%d", i)
	}
	res = mustQuery(t, e, id, "SELECT "+strings.Join(cols, ", "))
	if len(res.Rows) != 1 || res.CutCells != 100 {
		t.Fatalf("wide: rows=%d cut=%d reason=%q", len(res.Rows), res.CutCells, res.TruncatedReason)
	}
	res = mustQuery(t, e, id, "SELECT 1 AS one")
	if res.Truncated || res.TruncatedReason != "" {
		t.Fatalf("whole result marked truncated: %+v", res)
	}
}

// TestDataDirUnknowable: no query learns DATA_DIR, in any encoding: on
// Linux the sandbox reads data.parquet through a descriptor, so no
// setting, view or file name holds it (asked of DuckDB itself, before any
// scrubbing); elsewhere only scrubbing hides the plain form.
func TestDataDirUnknowable(t *testing.T) {
	e := newTestEngine(t)
	id, _ := mustIngest(t, e, "a.csv", []byte("x\n1\n"))
	other, _ := mustIngest(t, e, "b.csv", []byte("secret\nhunter2\n"))
	dd := e.dataDir
	forms := []string{dd, strings.ReplaceAll(dd, "/", "|"), strings.ToUpper(dd), reverse(dd)}
	queries := []string{
		"SELECT replace(current_setting('allowed_paths')::VARCHAR,'/','|') AS v",
		"SELECT upper(current_setting('allowed_paths')::VARCHAR) AS v",
		"SELECT to_base64(encode(current_setting('allowed_paths')::VARCHAR)) AS v",
		"SELECT reverse(current_setting('allowed_paths')::VARCHAR) AS v",
		"SELECT sql FROM duckdb_views()",
		"SELECT to_base64(encode(sql)) AS v FROM duckdb_views()",
		"SELECT name, value, to_base64(encode(value)) AS b FROM duckdb_settings()",
		"SELECT * FROM duckdb_databases()",
	}
	for _, q := range queries {
		res := mustQuery(t, e, id, q)
		b, _ := json.Marshal(res.Objects())
		shown := string(b)
		for _, row := range res.Rows {
			for _, v := range row {
				if s, ok := v.(string); ok {
					if d, err := base64.StdEncoding.DecodeString(s); err == nil {
						shown += " " + string(d)
					}
				}
			}
		}
		for _, f := range forms {
			if strings.Contains(shown, f) {
				t.Errorf("%s reveals DATA_DIR as %q: %.300s", q, f, shown)
			}
		}
	}
	if !pinnedPaths {
		t.Skip("the data path is hidden by scrubbing only on this OS")
	}
	// DuckDB's own view of its settings, views and files.
	lit := QuoteString(dd)
	res := mustQuery(t, e, id, `SELECT
		(SELECT count(*) FROM duckdb_settings() WHERE contains(value, `+lit+`)) AS settings,
		(SELECT count(*) FROM duckdb_views() WHERE contains(sql, `+lit+`)) AS views,
		(SELECT count(*) FROM parquet_metadata(`+QuoteString(dataPathFor(t, e, id))+`) WHERE contains(file_name, `+lit+`)) AS files`)
	for i, v := range res.Rows[0] {
		if v != int64(0) {
			t.Errorf("%s hold DATA_DIR: %v", res.Columns[i], v)
		}
	}
	// The file is not readable by its real path, and one session cannot
	// read another's descriptor.
	for _, p := range []string{filepath.Join(dd, id, parquetName), dataPathFor(t, e, other)} {
		_, err := e.Query(context.Background(), id, "SELECT * FROM read_parquet("+QuoteString(p)+")")
		if kindOf(err) != apperr.Forbidden {
			t.Errorf("reading %s: %v, want forbidden", p, err)
		}
	}
}

func reverse(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}

// TestPinnedFileClosed: the descriptor lives until the sandbox and every
// instance that could read it are closed.
func TestPinnedFileClosed(t *testing.T) {
	if !pinnedPaths {
		t.Skip("no descriptor on this OS")
	}
	e := newTestEngine(t)
	id, _ := mustIngest(t, e, "a.csv", []byte("x\n1\n"))
	dataPathFor(t, e, id)
	e.mu.Lock()
	b := e.boxes[id]
	e.mu.Unlock()
	b.files[0].mu.Lock()
	f := b.files[0].f
	b.files[0].mu.Unlock()
	if f == nil {
		t.Fatal("no descriptor")
	}
	if err := e.Remove(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	// Query instances close in the background, right after their answer.
	deadline := time.Now().Add(3 * time.Second)
	for {
		b.files[0].mu.Lock()
		open, refs := b.files[0].f != nil, b.files[0].refs
		b.files[0].mu.Unlock()
		if !open && refs == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("descriptor still open: refs=%d", refs)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, err := f.Stat(); err == nil {
		t.Fatal("the file is still open")
	}
}
