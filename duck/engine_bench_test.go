package duck_test

// Go benchmarks of the engine's hot paths, without HTTP: what the server's
// session detail (Preview) and SQL chat messages (Query) cost inside duck/.
// bench/run measures the same through the real server; these isolate the
// engine. They only time, never assert speed.
//
//	go test ./duck -run '^$' -bench . -benchtime 50x
//	DUCK_BENCH_CSV=bench/data/bench-10000000.csv go test ./duck -run '^$' -bench . -benchtime 20x
//	DUCK_BENCH_CSV=... DUCK_BENCH_MEMORY_LIMIT=256MB go test ./duck -run '^$' -bench Ingest -benchtime 1x

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/analyzerhq/analyzer/duck"
)

// benchSource returns the CSV to ingest (see benchSession), as a fresh
// file in dir: Ingest consumes its input.
func benchSource(b *testing.B, dir string) string {
	b.Helper()
	src := filepath.Join(dir, "upload-"+uuid.NewString()+".csv")
	if p := os.Getenv("DUCK_BENCH_CSV"); p != "" {
		if !filepath.IsAbs(p) {
			p = filepath.Join("..", p)
		}
		if err := os.Link(p, src); err != nil {
			raw, err := os.ReadFile(p)
			if err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(src, raw, 0o600); err != nil {
				b.Fatal(err)
			}
		}
		return src
	}
	if err := os.WriteFile(src, benchCSV(200_000), 0o600); err != nil {
		b.Fatal(err)
	}
	return src
}

// BenchmarkIngest times Ingest (the upload's answer) and the background
// profile after it, and reports the process's peak RSS over both (VmHWM,
// reset before each ingest). DUCK_BENCH_MEMORY_LIMIT sets the ingest
// instance's memory_limit (default: the engine's).
func BenchmarkIngest(b *testing.B) {
	dir := b.TempDir()
	e, err := duck.New(duck.Config{DataDir: filepath.Join(dir, "data"), MemoryLimit: os.Getenv("DUCK_BENCH_MEMORY_LIMIT")}, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { e.Close() })
	ctx := context.Background()
	var ingest, profile time.Duration
	var peakIngest, peak int64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		src := benchSource(b, dir)
		id := uuid.NewString()
		_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
		b.StartTimer()
		t0 := time.Now()
		if _, err := e.Ingest(ctx, id, src, "bench.csv"); err != nil {
			b.Fatal(err)
		}
		ingest += time.Since(t0)
		peakIngest = max(peakIngest, vmHWM())
		t1 := time.Now()
		if _, err := e.Profile(ctx, id); err != nil {
			b.Fatal(err)
		}
		profile += time.Since(t1)
		peak = max(peak, vmHWM())
		b.StopTimer()
		if err := e.Remove(ctx, id); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(ingest.Seconds()/float64(b.N), "ingest-s/op")
	b.ReportMetric(profile.Seconds()/float64(b.N), "profile-wait-s/op")
	b.ReportMetric(float64(peakIngest)/(1<<20), "peak-MB-ingest")
	b.ReportMetric(float64(peak)/(1<<20), "peak-MB-with-profile")
}

// vmHWM is this process's peak resident set in bytes (0 off Linux).
func vmHWM() int64 {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb int64
			fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), &kb)
			return kb << 10
		}
	}
	return 0
}

// benchSession ingests DUCK_BENCH_CSV (absolute, or relative to the
// repository root), or a generated 200k-row CSV, into a fresh engine.
func benchSession(b *testing.B) (*duck.Engine, string) {
	b.Helper()
	dir := b.TempDir()
	e, err := duck.New(duck.Config{DataDir: filepath.Join(dir, "data")}, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { e.Close() })

	src := benchSource(b, dir)
	id := uuid.NewString()
	t0 := time.Now()
	ds, err := e.Ingest(context.Background(), id, src, "bench.csv")
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("ingested %d rows, %d columns in %v", ds.RowCount, len(ds.Columns), time.Since(t0))
	// Let the background profile finish so it does not run under the timings.
	if _, err := e.Profile(context.Background(), id); err != nil {
		b.Fatal(err)
	}
	return e, id
}

// benchCSV is a small mixed-type CSV with the columns of bench/gen.
func benchCSV(rows int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	cats := []string{"Electronics", "Books", "Clothing", "Home & Garden", "Toys", "Sports"}
	var sb strings.Builder
	sb.WriteString("id,user_id,amount,quantity,category,city,order_date,created_at,returned,score,note\n")
	for i := 0; i < rows; i++ {
		day := time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(2900))
		note := ""
		if r.IntN(4) == 0 {
			note = `"late, but fine"`
		}
		fmt.Fprintf(&sb, "%d,%d,%.2f,%d,%s,City%d,%s,%s,%t,%.4f,%s\n",
			i+1, r.IntN(900000), r.ExpFloat64()*30, 1+r.IntN(20), cats[r.IntN(len(cats))], r.IntN(500),
			day.Format("2006-01-02"), day.Add(time.Duration(r.IntN(86400))*time.Second).Format("2006-01-02 15:04:05"),
			r.IntN(12) == 0, r.Float64()*2-1, note)
	}
	return []byte(sb.String())
}

func BenchmarkPreview(b *testing.B) {
	e, id := benchSession(b)
	ctx := context.Background()
	if _, err := e.Preview(ctx, id, 100); err != nil { // opens the session's instance
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := e.Preview(ctx, id, 100); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkQueryGroupBy(b *testing.B) {
	e, id := benchSession(b)
	ctx := context.Background()
	for _, q := range []struct{ name, sql string }{
		{"category", "SELECT category, count(*) AS n, avg(amount) AS avg_amount, sum(quantity) AS units FROM data GROUP BY category ORDER BY n DESC"},
		{"city_year", "SELECT city, year(order_date) AS yr, count(*) AS n, round(sum(amount), 2) AS revenue FROM data GROUP BY city, yr ORDER BY revenue DESC LIMIT 100"},
	} {
		b.Run(q.name, func(b *testing.B) {
			if _, err := e.Query(ctx, id, q.sql); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := e.Query(ctx, id, q.sql); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
