package main

import (
	"errors"
	"io"
	"os"
	"strings"
	"testing"
)

// TestLoadSmall runs the load tool at a small scale: every operation must
// succeed. The full run is `make load` (figures in BENCHMARKS.md).
func TestLoadSmall(t *testing.T) {
	cfg := Config{Users: 4, Sockets: 3, Turns: 4, Requests: 400, Concurrency: 4, Rows: 50,
		Heavy: 2, HeavyQuery: "SELECT count(DISTINCT range::VARCHAR) AS n FROM range(2000000)", MemoryLimit: "1GB"}
	res, err := run(t.Context(), cfg, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if res.OpenSockets != 12 || res.Sessions.ok() != 400 || res.Bare.ok() != 400 || res.Ratio <= 0 {
		t.Fatalf("results %+v", res)
	}
	var out strings.Builder
	res.print(&out, cfg)
	for _, want := range []string{"| chat turn | 4 | 0 |", "WebSockets open at once: 12", "ratio",
		"| memory-heavy turn | 2 | 0 |", "Memory-heavy turns at once: 2", "Peak RSS"} {
		if !strings.Contains(out.String(), want) {
			t.Fatalf("report lacks %q:\n%s", want, out.String())
		}
	}
}

// TestCompareBackends runs the workload on one instance on SQLite and on
// two instances sharing PostgreSQL and a bucket, in one run: every
// operation must succeed on both, and the report must compare them.
func TestCompareBackends(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PostgreSQL and SeaweedFS")
	}
	cfg := Config{Users: 4, Sockets: 2, Turns: 4, Requests: 200, Concurrency: 4, Rows: 50}
	all, err := compare(t.Context(), cfg, io.Discard, []backend{backendSQLite, backendPG2})
	if errors.Is(err, errNoServices) && os.Getenv("CI") != "true" {
		t.Skipf("no PostgreSQL or SeaweedFS here: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 || all[1].Instances != 2 {
		t.Fatalf("results %+v", all)
	}
	for _, r := range all {
		if r.OpenSockets != 8 || r.phase("chat turn").ok() != 4 || r.phase("list sessions").ok() != 4 || r.Sessions.ok() != 200 {
			t.Fatalf("%s: results %+v", r.Backend, r)
		}
	}
	var out strings.Builder
	printComparison(&out, cfg, all)
	for _, want := range []string{"### pg2: 2 instances", "| Measure | sqlite | pg2 | pg2 / sqlite |", "| chat turn p95 |", "| errors | 0 | 0 | +0 |"} {
		if !strings.Contains(out.String(), want) {
			t.Fatalf("report lacks %q:\n%s", want, out.String())
		}
	}
}
