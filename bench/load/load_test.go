package main

import (
	"io"
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
