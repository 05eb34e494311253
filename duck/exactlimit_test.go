package duck

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// TestMeasureExactLimit is the measurement behind ExactStatsRows: on the
// first N rows of a dataset (the 1 GB benchmark file's Parquet copy), the
// profile's statistics pass (profileBatchStats, as the profile runs it: an
// instance with the profile's memory limit, each exact column on its own)
// timed with exact distinct counts and quartiles and with estimates,
// alternately, with the process's peak RSS over each. It runs only when
// asked:
//
//	go run ./bench/gen -rows 10000000 -out bench/data/bench-10000000.csv
//	DUCK_EXACT_CSV=bench/data/bench-10000000.csv DUCK_EXACT_ROWS=1000000,2500000,5000000,10000000 \
//	  go test -count=1 -run TestMeasureExactLimit -v -timeout 1h ./duck/
func TestMeasureExactLimit(t *testing.T) {
	csv := os.Getenv("DUCK_EXACT_CSV")
	if csv == "" {
		t.Skip("DUCK_EXACT_CSV not set")
	}
	if !filepath.IsAbs(csv) {
		csv = filepath.Join("..", csv)
	}
	counts := []int64{1_000_000, 2_500_000, 5_000_000, 10_000_000}
	if v := os.Getenv("DUCK_EXACT_ROWS"); v != "" {
		counts = nil
		for _, f := range strings.Split(v, ",") {
			n, err := strconv.ParseInt(strings.TrimSpace(f), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			counts = append(counts, n)
		}
	}
	dir := t.TempDir()
	q := url.Values{}
	q.Set("threads", "2")
	q.Set("memory_limit", "256MB") // Config.ProfileMemoryLimit's default
	q.Set("temp_directory", filepath.Join(dir, "tmp"))
	connector, err := duckdb.NewConnector("?"+q.Encode(), nil)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(connector)
	defer db.Close()
	db.SetMaxOpenConns(1)
	ctx := context.Background()
	// The whole file once, in file order, then its first N rows.
	all := strings.TrimSuffix(csv, filepath.Ext(csv)) + ".ordered.parquet"
	if _, err := os.Stat(all); err != nil {
		if _, err := db.ExecContext(ctx, "COPY (FROM read_csv("+QuoteString(csv)+")) TO "+QuoteString(all)+" (FORMAT parquet, COMPRESSION zstd)"); err != nil {
			t.Fatal(err)
		}
	}
	for _, n := range counts {
		pq := filepath.Join(dir, "first-"+itoa(n)+".parquet")
		if _, err := db.ExecContext(ctx, "COPY (FROM read_parquet("+QuoteString(all)+") LIMIT "+itoa(n)+") TO "+QuoteString(pq)+" (FORMAT parquet, COMPRESSION zstd)"); err != nil {
			t.Fatal(err)
		}
		rows, cols, err := parquetShape(ctx, db, pq)
		if err != nil {
			t.Fatal(err)
		}
		src := "read_parquet(" + QuoteString(pq) + ")"
		var took [2]time.Duration
		var peak [2]int64
		var med [2]any
		var dist [2]int64
		for rep := 0; rep < 2; rep++ {
			for k := 0; k < 2; k++ {
				exact := (k+rep)%2 == 1 // approximate first, then exact first
				cp := make([]ColumnProfile, len(cols))
				for i, c := range cols {
					cp[i] = ColumnProfile{Name: c.Name, Type: c.Type, Kind: string(storageOf(c.Type))}
				}
				_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
				t0 := time.Now()
				if err := profileBatchStats(ctx, db, src, rows, exact, cp); err != nil {
					t.Fatal(err)
				}
				i := 0
				if exact {
					i = 1
				}
				d := time.Since(t0)
				if took[i] == 0 || d < took[i] {
					took[i] = d
				}
				peak[i] = max(peak[i], measuredHWM())
				med[i], dist[i] = cp[2].Q50, int64(cp[5].Distinct.Value) // amount, city
			}
		}
		load, _ := os.ReadFile("/proc/loadavg")
		t.Logf("%d rows: approximate %v (peak RSS %d MB), exact %v (%d MB): %.2f×; amount median %v vs %v, city distinct %d vs %d; load %s",
			rows, took[0].Round(time.Millisecond), peak[0]>>20, took[1].Round(time.Millisecond), peak[1]>>20,
			took[1].Seconds()/took[0].Seconds(), med[0], med[1], dist[0], dist[1], strings.Join(strings.Fields(string(load))[:3], " "))
	}
}

// measuredHWM is the process's peak RSS in bytes (0 off Linux).
func measuredHWM() int64 {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}
