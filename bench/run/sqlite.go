package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"
)

// The sqlite3 peer: the command-line shell's `.import` into a fresh
// database file, then queries through the same shell. .import creates
// every column as TEXT (SQLite converts on arithmetic), so this is the
// "no schema work at all" baseline.

func sqliteVersion() (string, error) {
	out, err := exec.Command("sqlite3", "-version").Output()
	if err != nil {
		return "", err
	}
	fs := strings.Fields(string(out))
	if len(fs) == 0 {
		return "", fmt.Errorf("sqlite3 -version printed nothing")
	}
	return fs[0], nil
}

func sqliteImport(ctx context.Context, db, csv string) (time.Duration, int64, error) {
	_ = os.Remove(db)
	cmd := exec.CommandContext(ctx, "sqlite3", db)
	cmd.Stdin = strings.NewReader(".mode csv\n.import " + sqliteQuote(csv) + " data\n")
	cmd.Stderr = os.Stderr
	t0 := time.Now()
	if err := cmd.Run(); err != nil {
		return 0, 0, fmt.Errorf("sqlite3 .import: %w", err)
	}
	took := time.Since(t0)
	st, err := os.Stat(db)
	if err != nil {
		return 0, 0, err
	}
	return took, st.Size(), nil
}

// sqliteQuote quotes a path for a dot-command argument.
func sqliteQuote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }

// sqliteTime runs q reps times, each in a new sqlite3 process (a few ms of
// start-up included), output discarded.
func sqliteTime(ctx context.Context, db, q string, reps int) ([]time.Duration, error) {
	var ds []time.Duration
	for i := 0; i < reps; i++ {
		cmd := exec.CommandContext(ctx, "sqlite3", "-readonly", db, q)
		cmd.Stderr = os.Stderr
		t0 := time.Now()
		if err := cmd.Run(); err != nil {
			return nil, fmt.Errorf("sqlite3 %q: %w", q, err)
		}
		ds = append(ds, time.Since(t0))
	}
	return ds, nil
}
