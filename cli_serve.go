package main

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/agent/builtin"
	"github.com/analyzerhq/analyzer/config"
	"github.com/analyzerhq/analyzer/duck"
	"github.com/analyzerhq/analyzer/server"
)

// shutdownGrace is how long in-flight requests get to finish on shutdown.
const shutdownGrace = 15 * time.Second

type serveFlags struct {
	addr    string
	dataDir string
}

func newServeCmd(env *cliEnv) *cobra.Command {
	var flags serveFlags
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the server (applies pending migrations first)",
		Long: `serve applies pending database migrations, then serves the web app and the API.

Settings come from the environment, then a .env file in the working directory
for variables the environment leaves unset; flags win over both:
  SECRET_KEY                JWT signing key (generated into DATA_DIR when unset)
  DATABASE_URL              sqlite:///./data_analyzer.db
  ACCESS_TOKEN_EXPIRE_DAYS  30
  DATA_DIR                  data
  MAX_UPLOAD_SIZE           1073741824 (bytes)
  ANALYZER_ADDR             127.0.0.1:8001
  ANALYZER_QUERY_TIMEOUT    30s
  ANALYZER_MAX_RESULT_ROWS  10000
  ANALYZER_PROVIDER         anthropic | openai | builtin (default: by the keys set)
  ANALYZER_SEND_ROWS        true (false: a model sees names, types and statistics only)
  ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL, ANTHROPIC_MODEL, ANTHROPIC_TITLE_MODEL
  OPENAI_BASE_URL, OPENAI_API_KEY, OPENAI_MODEL
  LOG_LEVEL                 info (debug, info, warn, error)
  LOG_FORMAT                text (text, json)`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runServe(cmd, env, flags)
		},
	}
	cmd.Flags().StringVar(&flags.addr, "addr", "", "listen address host:port (env ANALYZER_ADDR, default 127.0.0.1:8001)")
	cmd.Flags().StringVar(&flags.dataDir, "data-dir", "", "directory for uploaded data (env DATA_DIR, default data)")
	return cmd
}

func runServe(cmd *cobra.Command, env *cliEnv, flags serveFlags) error {
	ctx := cmd.Context()
	cfg, err := config.Load(env.environ, env.dotenv)
	if err != nil {
		return err
	}
	if flags.addr != "" {
		cfg.Addr = flags.addr
	}
	if flags.dataDir != "" {
		cfg.DataDir = flags.dataDir
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	log := newLogger(cfg, env.stderr)
	if err := cfg.EnsureSecret(); err != nil {
		return err
	}
	if cfg.SecretGenerated() {
		log.Info("generated a signing key", "file", filepath.Join(cfg.DataDir, ".secret_key"))
	}

	db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	applied, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	for _, name := range applied {
		log.Info("applied migration", "name", name)
	}

	engine, err := duck.New(duck.Config{
		DataDir:       cfg.DataDir,
		QueryTimeout:  cfg.QueryTimeout,
		MaxResultRows: cfg.MaxResultRows,
	}, log.With("component", "duck"))
	if err != nil {
		return err
	}
	defer engine.Close()

	analyst, err := newAnalyst(cfg, engine, log)
	if err != nil {
		return err
	}
	ag := agent.New(engine, analyst, log.With("component", "agent"))
	srv := server.New(server.Options{
		SecretKey:     []byte(cfg.SecretKey),
		TokenTTL:      cfg.AccessTokenTTL,
		MaxUploadSize: cfg.MaxUploadSize,
		UploadDir:     filepath.Join(cfg.DataDir, ".uploads"),
		Version:       version,
		UI:            env.ui,
	}, db, engine, ag, log)

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		var opErr *net.OpError
		if errors.As(err, &opErr) {
			return fmt.Errorf("cannot listen on %s: %v", cfg.Addr, opErr.Err)
		}
		return err
	}
	info := ag.Info()
	log.Info("analyzer is ready", "url", "http://"+ln.Addr().String(), "version", version, "provider", info.Name, "model", info.Model)
	fmt.Fprintf(env.stdout, "analyzer is running at http://%s\n", ln.Addr())
	return srv.Serve(ctx, ln, shutdownGrace)
}

// newAnalyst picks who answers natural-language questions.
func newAnalyst(cfg config.Config, engine *duck.Engine, log *slog.Logger) (agent.Analyst, error) {
	switch p := cfg.ActiveProvider(); p {
	case config.ProviderBuiltin:
		return builtin.New(engine), nil
	default:
		return nil, fmt.Errorf("provider %q is not available in this build", p)
	}
}
