// Command analyzer is an AI data analyst in one binary: drop a CSV or
// Parquet file into the web page and ask questions about it.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/analyzerhq/analyzer/cli"
)

// Set by -ldflags "-X main.version=... -X main.commit=... -X main.date=...".
var (
	version = "dev"
	commit  = "none"
	date    = "unknown"
)

func main() {
	// SIGHUP: the terminal window was closed; stop cleanly as for Ctrl+C.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	code := cli.Main(ctx, cli.Build{Version: version, Commit: commit, Date: date}, uiFS())
	stop()
	os.Exit(code)
}
