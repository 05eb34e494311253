package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"syscall"
	"time"

	"github.com/analyzerhq/analyzer/duck"
	duckdb "github.com/duckdb/duckdb-go/v2"
)

// The DuckDB side of the benchmark: the same library and version the server
// links, driven directly, with no HTTP, no sandbox and no profile.

// openDuck opens an in-memory instance with the given settings (DSN
// query parameters, e.g. "memory_limit=2GB&threads=2"); "" is DuckDB's
// defaults.
func openDuck(settings string) (*sql.DB, error) {
	c, err := duckdb.NewConnector("?"+settings, nil)
	if err != nil {
		return nil, err
	}
	db := sql.OpenDB(c)
	db.SetMaxOpenConns(1)
	return db, nil
}

func duckVersion() string {
	db, err := openDuck("")
	if err != nil {
		return "?"
	}
	defer db.Close()
	var v string
	if err := db.QueryRow("SELECT version()").Scan(&v); err != nil {
		return "?"
	}
	return v
}

// copyResult is what one DuckDB COPY run measured.
type copyResult struct {
	Settings string        `json:"settings"`
	ReadOpts string        `json:"read_csv_options"`
	Wall     time.Duration `json:"wall_ns"`     // the COPY statement alone
	Process  time.Duration `json:"process_ns"`  // the whole child process
	CPU      time.Duration `json:"cpu_ns"`      // user+system of the child
	MaxRSS   int64         `json:"max_rss"`     // bytes, the child's peak
	Rows     int64         `json:"rows"`        // rows written
	OutBytes int64         `json:"out_bytes"`   // size of the Parquet file
	Load     string        `json:"load_before"` // load average before
}

// runCopyChild runs DuckDB's own CSV→Parquet conversion in a fresh process
// (this program, re-executed), so that its time, CPU and peak memory are
// its own:
//
//	COPY (FROM read_csv('f')) TO 'out' (FORMAT parquet, COMPRESSION zstd)
func runCopyChild(ctx context.Context, csv, out, settings, readOpts string) (copyResult, error) {
	self, err := os.Executable()
	if err != nil {
		return copyResult{}, err
	}
	_ = os.Remove(out)
	res := copyResult{Settings: settings, ReadOpts: readOpts, Load: loadAvg()}
	cmd := exec.CommandContext(ctx, self, "child-copy", "-csv", csv, "-out", out, "-settings", settings, "-read-opts", readOpts)
	cmd.Stderr = os.Stderr
	t0 := time.Now()
	outb, err := cmd.Output()
	res.Process = time.Since(t0)
	if err != nil {
		return res, fmt.Errorf("duckdb copy child: %w", err)
	}
	var child struct {
		WallNS int64 `json:"wall_ns"`
		Rows   int64 `json:"rows"`
	}
	if err := json.Unmarshal(outb, &child); err != nil {
		return res, fmt.Errorf("duckdb copy child output %q: %w", outb, err)
	}
	res.Wall, res.Rows = time.Duration(child.WallNS), child.Rows
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		res.MaxRSS = ru.Maxrss << 10
		res.CPU = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	if st, err := os.Stat(out); err == nil {
		res.OutBytes = st.Size()
	}
	return res, nil
}

// childCopy is the child's side of runCopyChild.
func childCopy(args []string) error {
	fs := flag.NewFlagSet("child-copy", flag.ContinueOnError)
	csv := fs.String("csv", "", "")
	out := fs.String("out", "", "")
	settings := fs.String("settings", "", "")
	readOpts := fs.String("read-opts", "", "")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if _, err := url.ParseQuery(*settings); err != nil {
		return err
	}
	db, err := openDuck(*settings)
	if err != nil {
		return err
	}
	defer db.Close()
	t0 := time.Now()
	var rows int64
	src := duck.QuoteString(*csv)
	if *readOpts != "" {
		src += ", " + *readOpts
	}
	q := "COPY (FROM read_csv(" + src + ")) TO " + duck.QuoteString(*out) + " (FORMAT parquet, COMPRESSION zstd)"
	if err := db.QueryRow(q).Scan(&rows); err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(map[string]int64{"wall_ns": int64(time.Since(t0)), "rows": rows})
}

// runQuery runs q on db and reads every row, as a client would.
func runQuery(ctx context.Context, db *sql.DB, q string) (int, error) {
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}

// openWarm opens an instance (DuckDB's defaults) where the view `data`
// is source.
func openWarm(ctx context.Context, source string) (*sql.DB, error) {
	db, err := openDuck("")
	if err != nil {
		return nil, err
	}
	if _, err := db.ExecContext(ctx, "CREATE VIEW data AS FROM "+source); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// timeFresh runs q reps times, each on a new instance where the view `data`
// is source: the seed's way, one connection per request.
func timeFresh(ctx context.Context, source, q string, reps int) ([]time.Duration, error) {
	var ds []time.Duration
	for i := 0; i < reps; i++ {
		t0 := time.Now()
		err := func() error {
			db, err := openDuck("")
			if err != nil {
				return err
			}
			defer db.Close()
			if _, err := db.ExecContext(ctx, "CREATE VIEW data AS FROM "+source); err != nil {
				return err
			}
			_, err = runQuery(ctx, db, q)
			return err
		}()
		if err != nil {
			return nil, err
		}
		ds = append(ds, time.Since(t0))
	}
	return ds, nil
}

// seedIngest is what the seed did with an upload besides storing it: have
// DuckDB parse the CSV (count the rows, list the columns) and read a
// preview, on a fresh connection.
func seedIngest(ctx context.Context, csv string) (time.Duration, error) {
	t0 := time.Now()
	db, err := openDuck("")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	src := "read_csv(" + duck.QuoteString(csv) + ")"
	var n int64
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM "+src).Scan(&n); err != nil {
		return 0, err
	}
	if _, err := runQuery(ctx, db, "DESCRIBE SELECT * FROM "+src); err != nil {
		return 0, err
	}
	if _, err := runQuery(ctx, db, "SELECT * FROM "+src+" LIMIT 100"); err != nil {
		return 0, err
	}
	if n == 0 {
		return 0, errors.New("seed ingest counted no rows")
	}
	return time.Since(t0), nil
}
