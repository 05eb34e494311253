package duck

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// TestMeasureExactLimit times exact against approximate distinct counts
// and quartiles on the Parquet copy of a generated CSV, the measurement
// behind exactStatsRows. It runs only when asked:
//
//	go run ./bench/gen -rows 1000000 -out /tmp/b1m.csv
//	DUCK_EXACT_CSV=/tmp/b1m.csv go test -count=1 -run TestMeasureExactLimit -v ./duck/
func TestMeasureExactLimit(t *testing.T) {
	csv := os.Getenv("DUCK_EXACT_CSV")
	if csv == "" {
		t.Skip("DUCK_EXACT_CSV not set")
	}
	pq := strings.TrimSuffix(csv, filepath.Ext(csv)) + ".parquet"
	connector, err := duckdb.NewConnector("?threads=2&memory_limit=2GB", nil)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(connector)
	defer db.Close()
	db.SetMaxOpenConns(1)
	ctx := context.Background()
	if _, err := os.Stat(pq); err != nil {
		t0 := time.Now()
		if _, err := db.ExecContext(ctx, "COPY (FROM read_csv("+QuoteString(csv)+")) TO "+QuoteString(pq)+" (FORMAT parquet, COMPRESSION zstd)"); err != nil {
			t.Fatal(err)
		}
		t.Logf("parquet copy: %v", time.Since(t0))
	}
	src := "read_parquet(" + QuoteString(pq) + ")"
	var rows int64
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM "+src).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	rs, err := db.QueryContext(ctx, "SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM "+src+")")
	if err != nil {
		t.Fatal(err)
	}
	var cols []Column
	for rs.Next() {
		var c Column
		if err := rs.Scan(&c.Name, &c.Type); err != nil {
			t.Fatal(err)
		}
		cols = append(cols, c)
	}
	rs.Close()
	build := func(exact bool) string {
		var exprs []string
		for _, c := range cols {
			q := QuoteIdent(c.Name)
			if exact {
				exprs = append(exprs, "count(DISTINCT "+q+")")
			} else {
				exprs = append(exprs, "approx_count_distinct("+q+")")
			}
			if storageOf(c.Type) == storageNumber {
				if exact {
					exprs = append(exprs, "quantile_cont("+q+", [0.25, 0.5, 0.75])")
				} else {
					exprs = append(exprs, "approx_quantile("+q+", [0.25, 0.5, 0.75])")
				}
			}
		}
		return "SELECT " + strings.Join(exprs, ", ") + " FROM " + src
	}
	run := func(q string) time.Duration {
		t0 := time.Now()
		r, err := db.QueryContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for r.Next() {
		}
		r.Close()
		return time.Since(t0)
	}
	base := run("SELECT count(*), " + func() string {
		var e []string
		for _, c := range cols {
			e = append(e, "count("+QuoteIdent(c.Name)+"), min("+QuoteIdent(c.Name)+")")
		}
		return strings.Join(e, ", ")
	}() + " FROM " + src)
	approx := run(build(false))
	exact := run(build(true))
	t.Logf("%d rows, %d columns: counts/min %v; approximate distinct+quartiles %v; exact %v", rows, len(cols), base, approx, exact)
}
