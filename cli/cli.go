package cli

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"

	"github.com/spf13/cobra"

	"github.com/analyzerhq/analyzer/config"
)

// Build says which build this is: set in package main by -ldflags.
type Build struct {
	Version string
	Commit  string
	Date    string
}

// Main runs the command line with the process's arguments and
// environment and returns the exit code.
func Main(ctx context.Context, build Build, ui fs.FS) int {
	root := newRootCmd(defaultCLIEnv(build, ui))
	if err := root.ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		return 1
	}
	return 0
}

// cliEnv is what the commands take from the process, so that tests can
// run them with an environment, input and output of their own.
type cliEnv struct {
	environ []string
	dotenv  string // path of the .env file read for unset variables
	stdin   io.Reader
	stdout  io.Writer
	stderr  io.Writer
	ui      fs.FS
	build   Build
	// isTerminal reports whether stdin is an interactive terminal (for
	// password prompts without echo).
	isTerminal func() bool
	// readPassword reads a line from the terminal without echo.
	readPassword func() ([]byte, error)
}

func defaultCLIEnv(build Build, ui fs.FS) *cliEnv {
	return &cliEnv{
		environ:      os.Environ(),
		dotenv:       ".env",
		stdin:        os.Stdin,
		stdout:       os.Stdout,
		stderr:       os.Stderr,
		ui:           ui,
		build:        build,
		isTerminal:   stdinIsTerminal,
		readPassword: readTerminalPassword,
	}
}

func newRootCmd(env *cliEnv) *cobra.Command {
	root := &cobra.Command{
		Use:   "analyzer",
		Short: "An AI data analyst: upload a CSV or Parquet file and ask questions about it",
		Long: `analyzer serves a web page where you upload a CSV or Parquet file (up to 1 GB),
see it at once, and chat with an analyst that answers by running DuckDB SQL on
your data, drawing charts, and writing what it found.

Run without a command (a double-click), it starts in desktop mode: data in
your user data folder, the server on 127.0.0.1 only, and the browser opened
already signed in. A second launch opens the browser at the running one.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDesktop(cmd, env)
		},
	}
	root.SetIn(env.stdin)
	root.SetOut(env.stdout)
	root.SetErr(env.stderr)
	root.AddCommand(newServeCmd(env), newMigrateCmd(env), newUserCmd(env), newVersionCmd(env.build))
	return root
}

// loadConfig reads and validates the configuration.
func loadConfig(env *cliEnv) (config.Config, error) {
	cfg, err := config.Load(env.environ, env.dotenv)
	if err != nil {
		return cfg, err
	}
	return cfg, cfg.Validate()
}

// newLogger builds the process's logger from the configuration.
func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	level := map[string]slog.Level{"debug": slog.LevelDebug, "info": slog.LevelInfo, "warn": slog.LevelWarn, "error": slog.LevelError}[cfg.LogLevel]
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
