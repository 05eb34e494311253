// Command run is the ingest-and-query benchmark of issue 3. In one run, on
// one machine, it measures the real server (`analyzer serve`, built from
// this tree, in its own process on a loopback port) against DuckDB alone and
// against the peers:
//
//	(a) upload → queryable through POST /api/upload, vs DuckDB's own
//	    COPY (FROM read_csv(f)) TO 'x.parquet' (FORMAT parquet, COMPRESSION zstd)
//	(b) the server's peak RSS during that upload (VmHWM, reset before it)
//	(c) GET /api/sessions/{id} (its stored preview) p50/p99, vs DuckDB's LIMIT 100
//	(d) group-bys sent as chat messages over the WebSocket (until
//	    query_result) vs the same SQL in DuckDB on the server's Parquet copy
//	(e) the seed's way (DuckDB re-reading the CSV for every preview and
//	    query) and sqlite3 .import, with the same queries
//	(f) start-up: `analyzer serve` until /api/health answers, on a data
//	    directory and database holding -startup-sessions sessions
//
// Usage (the CSV from bench/gen):
//
//	go run ./bench/run -csv bench/data/bench-10000000.csv [-reps 3] [-wait-load 1.5]
//
// It prints a Markdown report (for BENCHMARKS.md) and writes the raw figures
// as JSON. Timings are reported, never asserted.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/analyzerhq/analyzer/datadir"
	"github.com/analyzerhq/analyzer/duck"
)

type query struct {
	Name   string `json:"name"`
	Duck   string `json:"duckdb_sql"`
	SQLite string `json:"sqlite_sql"`
}

var queries = []query{
	{
		Name:   "Q1 group by category (12 groups)",
		Duck:   "SELECT category, count(*) AS n, avg(amount) AS avg_amount, sum(quantity) AS units FROM data GROUP BY category ORDER BY n DESC",
		SQLite: "SELECT category, count(*) AS n, avg(amount) AS avg_amount, sum(quantity) AS units FROM data GROUP BY category ORDER BY n DESC",
	},
	{
		Name:   "Q2 group by city, year (top 100 of ~4,000 groups)",
		Duck:   "SELECT city, year(order_date) AS yr, count(*) AS n, round(sum(amount), 2) AS revenue FROM data GROUP BY city, yr ORDER BY revenue DESC LIMIT 100",
		SQLite: "SELECT city, substr(order_date, 1, 4) AS yr, count(*) AS n, round(sum(amount), 2) AS revenue FROM data GROUP BY city, yr ORDER BY revenue DESC LIMIT 100",
	},
}

const previewSQL = "SELECT * FROM data LIMIT 100"

// engineSettings are the settings duck/ingest uses (duck/workdb.go), for a
// DuckDB COPY variant that isolates their effect.
const engineSettings = "memory_limit=2GB&preserve_insertion_order=false"

// lowMemSettings bound the conversion to 256 MB, to see what that costs.
const lowMemSettings = "memory_limit=256MB&preserve_insertion_order=false"

// engineReadOpts are the read_csv options of the engine's COPY (duck/csv.go).
const engineReadOpts = "null_padding = true, store_rejects = true, rejects_table = 'rejects_errors_1', rejects_scan = 'rejects_scans_1', rejects_limit = 10000"

type options struct {
	csv, bin, repo, work, jsonOut string
	reps, previews, queryReps     int
	seedReps                      int
	waitLoad                      float64
	maxWait                       time.Duration
	skipSQLite, skipSeed, keep    bool
	startupSessions, startupReps  int
	skipCopyVariants              bool
	serverEnv                     []string // NAME=value added to the server's environment
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "child-copy" {
		if err := childCopy(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "child-copy:", err)
			os.Exit(1)
		}
		return
	}
	var o options
	flag.StringVar(&o.csv, "csv", "bench/data/bench-10000000.csv", "the CSV to upload (make it with bench/gen)")
	flag.StringVar(&o.bin, "bin", "", "analyzer binary (default: go build from -repo into the work dir)")
	flag.StringVar(&o.repo, "repo", ".", "repository root, for building the binary")
	flag.StringVar(&o.work, "work", "", "work directory (default: a new one under bench/data, removed after)")
	flag.StringVar(&o.jsonOut, "json", "", "write the raw figures here (default: next to the CSV)")
	flag.IntVar(&o.reps, "reps", 3, "uploads and DuckDB COPYs, interleaved; the best of each is compared")
	flag.IntVar(&o.previews, "previews", 200, "GET /api/sessions/{id} requests")
	flag.IntVar(&o.queryReps, "query-reps", 10, "timed runs of each query (after one warm-up)")
	flag.IntVar(&o.seedReps, "seed-reps", 3, "runs of each seed-style request (each re-reads the CSV)")
	flag.Float64Var(&o.waitLoad, "wait-load", 0, "first wait until the 1-minute load average is below this (0: don't)")
	flag.DurationVar(&o.maxWait, "max-wait", 30*time.Minute, "longest wait for -wait-load")
	flag.BoolVar(&o.skipSQLite, "skip-sqlite", false, "skip the sqlite3 peer")
	flag.BoolVar(&o.skipSeed, "skip-seed", false, "skip the seed-style peer")
	flag.BoolVar(&o.keep, "keep", false, "keep the work directory")
	flag.BoolVar(&o.skipCopyVariants, "skip-copy-variants", false, "skip DuckDB's COPY with the engine's settings and options (run once, for reference)")
	flag.Func("server-env", "NAME=value added to the server's environment, e.g. MAX_UPLOAD_SIZE=6000000000 (repeatable)", func(v string) error {
		if !strings.Contains(v, "=") {
			return fmt.Errorf("want NAME=value")
		}
		o.serverEnv = append(o.serverEnv, v)
		return nil
	})
	flag.IntVar(&o.startupSessions, "startup-sessions", 1000, "sessions in the database the start-up is timed on (0: skip)")
	flag.IntVar(&o.startupReps, "startup-reps", 5, "timed starts")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// report is everything measured, also written as JSON.
type report struct {
	Date        string `json:"date"`
	Host        string `json:"host"`
	NProc       int    `json:"nproc"`
	MemTotal    int64  `json:"mem_total"`
	DuckDB      string `json:"duckdb"`
	SQLite      string `json:"sqlite,omitempty"`
	GoVersion   string `json:"go"`
	Commit      string `json:"commit"`
	LoadStart   string `json:"load_start"`
	LoadEnd     string `json:"load_end"`
	CSV         string `json:"csv"`
	CSVBytes    int64  `json:"csv_bytes"`
	CSVRows     int64  `json:"csv_rows"`
	CSVColumns  int    `json:"csv_columns"`
	ColumnTypes string `json:"column_types"`
	Rejected    int64  `json:"rejected_rows"`
	CacheRead   int64  `json:"cache_read_ns"`

	Copies       []copyResult    `json:"duckdb_copy"`
	CopyVariants []copyResult    `json:"duckdb_copy_variants"`
	Uploads      []uploadResult  `json:"uploads"`
	ReceiveOnly  *uploadResult   `json:"receive_only,omitempty"`
	Ingest       []ingestLog     `json:"ingest_log"`
	FirstPreview time.Duration   `json:"first_preview_ns"`
	ProfileReady []time.Duration `json:"profile_ready_after_answer_ns"`
	HWMProfile   []int64         `json:"peak_hwm_upload_and_profile"`
	HWMQueries   int64           `json:"peak_hwm_queries"` // server VmHWM over (c) and (d), reset before them
	ParquetBytes int64           `json:"parquet_bytes"`

	Detail       dist `json:"detail"`
	DetailServer dist `json:"detail_server_side"`
	List         dist `json:"session_list"`
	RawPreview   dist `json:"duckdb_preview_on_parquet"`
	SeedPreview  dist `json:"seed_preview_on_csv"`

	Queries   []queryFigures `json:"queries"`
	WSRetries int            `json:"websocket_busy_retries"`

	SeedIngest   time.Duration `json:"seed_ingest_ns"`
	SQLiteImport time.Duration `json:"sqlite_import_ns"`
	SQLiteBytes  int64         `json:"sqlite_bytes"`
	SQLitePrev   dist          `json:"sqlite_preview"`

	StartupSessions int  `json:"startup_sessions"`
	Startup         dist `json:"startup_to_health"`
}

type ingestLog struct {
	Attempts []time.Duration `json:"csv_attempts_ns"`
	Ingested time.Duration   `json:"ingested_ns"`
	Profiled time.Duration   `json:"profiled_ns"`
	// ProfileSteps: the profile's parts (text, stats, duplicates,
	// values: the value index, findings), from the server's log.
	ProfileSteps map[string]time.Duration `json:"profile_steps_ns"`
}

func (l ingestLog) steps() string {
	var out []string
	for _, k := range []string{"text", "stats", "duplicates", "values", "findings"} {
		if d, ok := l.ProfileSteps[k]; ok {
			out = append(out, k+" "+d.Round(time.Millisecond).String())
		}
	}
	return strings.Join(out, ", ")
}

type queryFigures struct {
	Query     query   `json:"query"`
	Rows      int     `json:"rows"`
	WS        dist    `json:"websocket"`
	WSEngine  dist    `json:"websocket_engine_elapsed"`
	Raw       dist    `json:"duckdb_on_parquet"`
	RawFresh  dist    `json:"duckdb_on_parquet_new_instance"`
	Seed      dist    `json:"seed_on_csv"`
	SQLite    dist    `json:"sqlite"`
	FirstWS   float64 `json:"first_websocket_ms"`
	TargetMS  float64 `json:"target_ms"`
	TargetMet bool    `json:"target_met"`
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "[%s] %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}

func run(ctx context.Context, o options) (err error) {
	csv, err := filepath.Abs(o.csv)
	if err != nil {
		return err
	}
	st, err := os.Stat(csv)
	if err != nil {
		return fmt.Errorf("%w (make it with: go run ./bench/gen -out %s)", err, o.csv)
	}
	r := &report{
		Date:      time.Now().UTC().Format(time.RFC3339),
		NProc:     runtime.NumCPU(),
		MemTotal:  memTotal(),
		DuckDB:    duckVersion(),
		GoVersion: runtime.Version(),
		LoadStart: loadAvg(),
		CSV:       csv,
		CSVBytes:  st.Size(),
	}
	r.Host, _ = os.Hostname()
	if out, err := exec.Command("git", "-C", o.repo, "describe", "--always", "--dirty").Output(); err == nil {
		r.Commit = strings.TrimSpace(string(out))
	}
	if !o.skipSQLite {
		if r.SQLite, err = sqliteVersion(); err != nil {
			return fmt.Errorf("sqlite3 not found (apt-get install sqlite3, or -skip-sqlite): %w", err)
		}
	}

	work := o.work
	if work == "" {
		if work, err = os.MkdirTemp(filepath.Dir(csv), "run-"); err != nil {
			return err
		}
		if !o.keep {
			defer os.RemoveAll(work)
		}
	} else if err := os.MkdirAll(work, 0o755); err != nil {
		return err
	}
	work, _ = filepath.Abs(work)
	bin := o.bin
	if bin == "" {
		bin = filepath.Join(work, "analyzer")
		logf("building the server: go build -o %s %s", bin, o.repo)
		cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, ".")
		cmd.Dir = o.repo
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("go build: %w", err)
		}
	}

	if o.waitLoad > 0 {
		waitForLoad(ctx, o.waitLoad, o.maxWait)
	}
	r.Date, r.LoadStart = time.Now().UTC().Format(time.RFC3339), loadAvg()

	// Everything reads the CSV from the page cache.
	t0 := time.Now()
	if f, err := os.Open(csv); err == nil {
		_, _ = io.Copy(io.Discard, f)
		f.Close()
	}
	r.CacheRead = int64(time.Since(t0))
	logf("CSV %s: %.1f MB, read in %v; load %s", csv, float64(st.Size())/1e6, time.Since(t0).Round(time.Millisecond), r.LoadStart)

	srv, err := startServer(ctx, bin, work, o.serverEnv...)
	if err != nil {
		return err
	}
	defer srv.stop()
	if err := srv.register(ctx); err != nil {
		return err
	}

	// (a), (b): DuckDB COPY and the upload, interleaved.
	var session string
	logOff := int64(0)
	for i := 0; i < o.reps; i++ {
		logf("DuckDB COPY %d/%d …", i+1, o.reps)
		c, err := runCopyChild(ctx, csv, filepath.Join(work, "duckdb-copy.parquet"), "", "")
		if err != nil {
			return err
		}
		logf("  %v (process %v, CPU %v, max RSS %s, %d rows)", c.Wall.Round(time.Millisecond), c.Process.Round(time.Millisecond), c.CPU.Round(time.Millisecond), mb(c.MaxRSS), c.Rows)
		r.Copies = append(r.Copies, c)
		if i == 0 && !o.skipCopyVariants {
			// The engine's settings, then also its read_csv options
			// (duck/csv.go): what DuckDB itself pays for its choices.
			for _, v := range []struct{ settings, opts string }{{engineSettings, ""}, {engineSettings, engineReadOpts}, {lowMemSettings, engineReadOpts}} {
				logf("DuckDB COPY with %s %s …", v.settings, v.opts)
				c, err := runCopyChild(ctx, csv, filepath.Join(work, "duckdb-copy-variant.parquet"), v.settings, v.opts)
				if err != nil {
					return err
				}
				logf("  %v (CPU %v, max RSS %s)", c.Wall.Round(time.Millisecond), c.CPU.Round(time.Millisecond), mb(c.MaxRSS))
				r.CopyVariants = append(r.CopyVariants, c)
			}
		}

		logf("upload %d/%d …", i+1, o.reps)
		u, err := srv.upload(ctx, csv)
		if err != nil {
			return err
		}
		logf("  %v (body sent at %v, server CPU %v, peak RSS %s, polled %s), %d rows, %d columns, %d rejected",
			u.Total.Round(time.Millisecond), u.BodySent.Round(time.Millisecond), u.ServerCPU.Round(time.Millisecond),
			mb(u.PeakHWM), mb(u.PeakPoll), u.Answer.File.RowCount, u.Answer.File.ColumnCount, u.Answer.File.RejectedRows)
		r.Uploads = append(r.Uploads, u)
		id := u.Answer.SessionID
		if i == 0 {
			session = id
			r.CSVRows, r.CSVColumns, r.Rejected = u.Answer.File.RowCount, u.Answer.File.ColumnCount, u.Answer.File.RejectedRows
			var ct []string
			for j, n := range u.Answer.File.Columns {
				ct = append(ct, n+" "+u.Answer.File.ColumnTypes[j])
			}
			r.ColumnTypes = strings.Join(ct, ", ")
			t0 := time.Now()
			if _, err := srv.do(ctx, "GET", "/api/sessions/"+id, nil, nil); err != nil {
				return err
			}
			r.FirstPreview = time.Since(t0)
		}
		// The profile is computed in the background after the answer:
		// wait for it so that it does not run under later measurements.
		// On a loaded machine the profile can outlast the request timeout
		// (504): ask again, it is still being computed.
		t0 := time.Now()
		for {
			code, err := srv.do(ctx, "GET", "/api/sessions/"+id+"/profile", nil, nil)
			if err == nil {
				break
			}
			if code != http.StatusGatewayTimeout || time.Since(t0) > 10*time.Minute {
				return err
			}
		}
		r.ProfileReady = append(r.ProfileReady, time.Since(t0))
		hwm, _ := procStatus(srv.pid, "VmHWM")
		r.HWMProfile = append(r.HWMProfile, hwm)
		var sl serverLog
		sl, logOff = readServerLog(srv.logPath, logOff, "")
		il := ingestLog{Ingested: logDur(sl.Ingested, "took"), Profiled: logDur(sl.Profiled, "took"), ProfileSteps: map[string]time.Duration{}}
		if steps, ok := sl.Profiled["steps"].(map[string]any); ok {
			for k := range steps {
				il.ProfileSteps[k] = logDur(steps, k)
			}
		}
		for _, a := range sl.Attempts {
			il.Attempts = append(il.Attempts, logDur(a, "took"))
		}
		r.Ingest = append(r.Ingest, il)
		logf("  profile ready %v after the answer (peak RSS with it %s); ingest %v, profile %v: %s", r.ProfileReady[i].Round(time.Millisecond), mb(hwm),
			il.Ingested.Round(time.Millisecond), il.Profiled.Round(time.Millisecond), il.steps())
		if i > 0 {
			if _, err := srv.do(ctx, "DELETE", "/api/sessions/"+id, nil, nil); err != nil {
				return err
			}
		}
	}
	logf("receive only: a %d-byte file refused after the transfer …", st.Size())
	if u, err := srv.receiveOnly(ctx, work, st.Size()); err == nil {
		r.ReceiveOnly = &u
		logf("  %v (server CPU %v, peak RSS %s)", u.Total.Round(time.Millisecond), u.ServerCPU.Round(time.Millisecond), mb(u.PeakHWM))
	} else {
		logf("  skipped: %v", err)
	}

	parquet := datadir.SessionDataFile(srv.dataDir, session)
	if st, err := os.Stat(parquet); err == nil {
		r.ParquetBytes = st.Size()
	}
	parquetSrc := "read_parquet(" + duck.QuoteString(parquet) + ")"
	csvSrc := "read_csv(" + duck.QuoteString(csv) + ")"

	// DuckDB alone, one warm in-memory instance with the view `data` on the
	// server's own Parquet copy. Its runs alternate with the server's, so
	// that both see the same machine (other work on it comes and goes).
	warm, err := openWarm(ctx, parquetSrc)
	if err != nil {
		return err
	}
	defer warm.Close()

	// (c) session detail with a fresh preview. The server's peak RSS is
	// reset here and read after (d), so that the queries' own peak is known
	// apart from the upload's.
	peakReset := resetPeak(srv.pid) == nil
	if !peakReset {
		logf("  cannot reset the server's peak RSS: the queries' own peak is not known")
	}
	logf("GET /api/sessions/{id} × %d, alternating with DuckDB …", o.previews)
	detailPath := "/api/sessions/" + session
	if _, err := runQuery(ctx, warm, previewSQL); err != nil {
		return err
	}
	var ds, raw []time.Duration
	for i := 0; i < o.previews; i++ {
		t0 := time.Now()
		if _, err := srv.do(ctx, "GET", detailPath, nil, nil); err != nil {
			return err
		}
		ds = append(ds, time.Since(t0))
		t0 = time.Now()
		if _, err := runQuery(ctx, warm, previewSQL); err != nil {
			return err
		}
		raw = append(raw, time.Since(t0))
	}
	r.Detail, r.RawPreview = summarize(ds), summarize(raw)
	var sl serverLog
	sl, logOff = readServerLog(srv.logPath, logOff, detailPath)
	r.DetailServer = summarize(sl.Requests)
	logf("  p50 %s p99 %s (server side p50 %s); DuckDB p50 %s", msf(r.Detail.P50), msf(r.Detail.P99), msf(r.DetailServer.P50), msf(r.RawPreview.P50))
	// The floor of an authenticated request: the session list (JWT, user
	// and sessions from SQLite, JSON) with no DuckDB in it.
	ds = ds[:0]
	for i := 0; i < o.previews; i++ {
		t0 := time.Now()
		if _, err := srv.do(ctx, "GET", "/api/sessions", nil, nil); err != nil {
			return err
		}
		ds = append(ds, time.Since(t0))
	}
	r.List = summarize(ds)

	// (d) group-bys over the WebSocket vs DuckDB on the same Parquet: a
	// warm instance (the reference), and a new instance per query (what the
	// sandbox does, to isolate what that design costs).
	w, err := srv.dialWS(session)
	if err != nil {
		return err
	}
	defer w.close()
	for _, q := range queries {
		qf := queryFigures{Query: q}
		logf("%s: WebSocket × %d, alternating with DuckDB …", q.Name, o.queryReps)
		first, qr, err := w.ask(q.Duck, 2*time.Minute)
		if err != nil {
			return fmt.Errorf("%s: %w", q.Name, err)
		}
		qf.FirstWS = float64(first) / float64(time.Millisecond)
		qf.Rows = len(qr.Result)
		n, err := runQuery(ctx, warm, q.Duck)
		if err != nil {
			return fmt.Errorf("%s in DuckDB: %w", q.Name, err)
		}
		if n != qf.Rows {
			return fmt.Errorf("%s: %d rows over the WebSocket, %d in DuckDB", q.Name, qf.Rows, n)
		}
		var wsd, eng, rawd, fresh []time.Duration
		for i := 0; i < o.queryReps; i++ {
			d, qr, err := w.ask(q.Duck, 2*time.Minute)
			if err != nil {
				return fmt.Errorf("%s: %w", q.Name, err)
			}
			wsd = append(wsd, d)
			eng = append(eng, time.Duration(qr.ElapsedMS)*time.Millisecond)
			t0 := time.Now()
			if _, err := runQuery(ctx, warm, q.Duck); err != nil {
				return fmt.Errorf("%s in DuckDB: %w", q.Name, err)
			}
			rawd = append(rawd, time.Since(t0))
			f, err := timeFresh(ctx, parquetSrc, q.Duck, 1)
			if err != nil {
				return fmt.Errorf("%s in DuckDB: %w", q.Name, err)
			}
			fresh = append(fresh, f...)
		}
		qf.WS, qf.WSEngine, qf.Raw, qf.RawFresh = summarize(wsd), summarize(eng), summarize(rawd), summarize(fresh)
		qf.TargetMS = 1.1*qf.Raw.P50 + 10
		qf.TargetMet = qf.WS.P50 <= qf.TargetMS
		logf("  WebSocket p50 %s (engine %s), DuckDB p50 %s (new instance %s)", msf(qf.WS.P50), msf(qf.WSEngine.P50), msf(qf.Raw.P50), msf(qf.RawFresh.P50))
		r.Queries = append(r.Queries, qf)
	}
	r.WSRetries = w.Busy
	if peakReset {
		r.HWMQueries, _ = procStatus(srv.pid, "VmHWM")
		logf("server peak RSS during the session details and queries: %s", mb(r.HWMQueries))
	}

	// (e) peers.
	if !o.skipSeed {
		logf("seed-style: count + describe + preview on the CSV …")
		if r.SeedIngest, err = seedIngest(ctx, csv); err != nil {
			return err
		}
		ds, err := timeFresh(ctx, csvSrc, previewSQL, o.seedReps)
		if err != nil {
			return err
		}
		r.SeedPreview = summarize(ds)
		for i := range r.Queries {
			logf("seed-style %s × %d …", r.Queries[i].Query.Name, o.seedReps)
			ds, err := timeFresh(ctx, csvSrc, r.Queries[i].Query.Duck, o.seedReps)
			if err != nil {
				return err
			}
			r.Queries[i].Seed = summarize(ds)
		}
	}
	if !o.skipSQLite {
		db := filepath.Join(work, "peer.sqlite")
		logf("sqlite3 .import …")
		if r.SQLiteImport, r.SQLiteBytes, err = sqliteImport(ctx, db, csv); err != nil {
			return err
		}
		logf("  %v", r.SQLiteImport.Round(time.Millisecond))
		ds, err := sqliteTime(ctx, db, previewSQL, o.seedReps)
		if err != nil {
			return err
		}
		r.SQLitePrev = summarize(ds)
		for i := range r.Queries {
			logf("sqlite3 %s × %d …", r.Queries[i].Query.Name, o.seedReps)
			ds, err := sqliteTime(ctx, db, r.Queries[i].Query.SQLite, o.seedReps)
			if err != nil {
				return err
			}
			r.Queries[i].SQLite = summarize(ds)
		}
	}
	// (f) start-up on a database of many sessions.
	if o.startupSessions > 0 {
		dir := filepath.Join(work, "startup")
		logf("start-up: making %d sessions …", o.startupSessions)
		if err := makeSessions(ctx, dir, o.startupSessions, 10); err != nil {
			return fmt.Errorf("start-up data: %w", err)
		}
		var ds []time.Duration
		for range o.startupReps {
			d, err := timeStartup(ctx, bin, dir)
			if err != nil {
				return fmt.Errorf("start-up: %w", err)
			}
			ds = append(ds, d)
		}
		r.StartupSessions, r.Startup = o.startupSessions, summarize(ds)
		logf("  /api/health after p50 %s", msf(r.Startup.P50))
	}
	r.LoadEnd = loadAvg()

	jsonOut := o.jsonOut
	if jsonOut == "" {
		jsonOut = strings.TrimSuffix(csv, filepath.Ext(csv)) + "-results.json"
	}
	if b, err := json.MarshalIndent(r, "", "  "); err == nil {
		if err := os.WriteFile(jsonOut, b, 0o644); err != nil {
			return err
		}
		logf("raw figures: %s", jsonOut)
	}
	printReport(os.Stdout, r, o)
	return nil
}

func waitForLoad(ctx context.Context, limit float64, maxWait time.Duration) {
	deadline := time.Now().Add(maxWait)
	for load1() > limit && time.Now().Before(deadline) {
		logf("load average %s is above %.2f: waiting (until %s at most)", loadAvg(), limit, deadline.Format("15:04"))
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Minute):
		}
	}
	logf("load average %s", loadAvg())
}
