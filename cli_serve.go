package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/spf13/cobra"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/agent/anthropic"
	"github.com/analyzerhq/analyzer/agent/builtin"
	"github.com/analyzerhq/analyzer/agent/openai"
	"github.com/analyzerhq/analyzer/config"
	"github.com/analyzerhq/analyzer/duck"
	"github.com/analyzerhq/analyzer/server"
	"github.com/analyzerhq/analyzer/storage"
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
  ALLOW_REGISTRATION        true (false: accounts are made with "analyzer user add")
  TRUSTED_PROXIES           IPs or CIDRs whose X-Forwarded-For is believed (default none)
  ALLOWED_ORIGINS           origins besides this server's that may open the chat socket
  ANALYZER_LOGIN_LIMIT      5/5m failed sign-ins per account (N/duration, or off)
  ANALYZER_LOGIN_IP_LIMIT   20/5m failed sign-ins per client address
  ANALYZER_REGISTER_LIMIT   10/1h registrations per client address
  ANALYZER_MAX_TURNS_PER_USER 2, ANALYZER_MAX_UPLOADS_PER_USER 2 (at once)
  ANALYZER_USER_QUOTA       0 (bytes of data per user; 0 = no quota)
  ANALYZER_REQUEST_TIMEOUT  60s, ANALYZER_WS_IDLE_TIMEOUT 30m
  ANALYZER_MAX_TOOL_ROUNDS  8, ANALYZER_MAX_TURN_TOKENS 16384 (model bounds per turn)
  ANALYZER_MEMORY_LIMIT     half the machine's memory (e.g. 4GB): the whole process's budget
  ANALYZER_MAX_RESULT_BYTES 8MB (one query result), ANALYZER_INGEST_TIMEOUT 10m
  ANALYZER_TURN_TIMEOUT     5m (one whole chat reply)
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
	app, err := openApp(ctx, env, cfg, log, false)
	if err != nil {
		return err
	}
	defer app.close()

	ln, err := listen(cfg.Addr)
	if err != nil {
		return err
	}
	info := app.agent.Info()
	log.Info("analyzer is ready", "url", "http://"+ln.Addr().String(), "version", version, "provider", info.Name, "model", info.Model)
	fmt.Fprintf(env.stdout, "analyzer is running at http://%s\n", ln.Addr())
	return app.srv.Serve(ctx, ln, shutdownGrace)
}

// app is the running application's parts, shared by serve and desktop mode.
type app struct {
	cfg    config.Config
	log    *slog.Logger
	db     *storage.DB
	engine *duck.Engine
	agent  *agent.Agent
	srv    *server.Server
	unlock func() error // releases DATA_DIR's lock (cli_hardening.go)
}

// openApp prepares everything the server needs: the signing key, the
// migrated database, the data engine and the analyst.
func openApp(ctx context.Context, env *cliEnv, cfg config.Config, log *slog.Logger, desktop bool) (*app, error) {
	if err := cfg.EnsureSecret(); err != nil {
		return nil, err
	}
	if cfg.SecretGenerated() {
		log.Info("generated a signing key", "file", filepath.Join(cfg.DataDir, ".secret_key"))
	}
	a := &app{cfg: cfg, log: log}
	ok := false
	defer func() {
		if !ok {
			a.close()
		}
	}()
	var err error
	if a.db, err = openStore(ctx, cfg); err != nil {
		return nil, err
	}
	applied, err := a.db.Migrate(ctx)
	if err != nil {
		return nil, err
	}
	for _, name := range applied {
		log.Info("applied migration", "name", name)
	}
	if err := a.reconcileData(ctx); err != nil {
		return nil, err
	}
	r := cfg.Resources
	// Go's heap gets its share as the runtime's soft limit, so the
	// collector works harder before the process outgrows the budget.
	debug.SetMemoryLimit(r.GoMemory())
	a.engine, err = duck.New(engineConfig(cfg), log.With("component", "duck"))
	if err != nil {
		return nil, err
	}
	qShare, iShare := a.engine.MemoryShares()
	log.Info("memory budget", "limit", humanize.IBytes(uint64(r.MemoryLimit)), "from", r.MemoryLimitSource,
		"duckdb", humanize.IBytes(uint64(r.EngineMemory())), "go", humanize.IBytes(uint64(r.GoMemory())),
		"per_query", humanize.IBytes(uint64(qShare)), "per_ingest", humanize.IBytes(uint64(iShare)))
	analyst, err := newAnalyst(cfg, a.engine, log)
	if err != nil {
		return nil, err
	}
	a.agent = agent.New(a.engine, analyst, log.With("component", "agent"))
	a.srv = server.New(server.Options{
		SecretKey:         []byte(cfg.SecretKey),
		TokenTTL:          cfg.AccessTokenTTL,
		MaxUploadSize:     cfg.MaxUploadSize,
		UploadDir:         filepath.Join(cfg.DataDir, ".uploads"),
		Version:           version,
		UI:                env.ui,
		LocalLogin:        desktop,
		AllowRegistration: cfg.AllowRegistration,
		TrustedProxies:    cfg.TrustedProxies,
		AllowedOrigins:    cfg.Limits.AllowedOrigins,
		Limits:            serverLimits(cfg.Limits, cfg.Resources),
	}, a.db, a.engine, a.agent, log)
	ok = true
	return a, nil
}

// engineConfig is the data engine's configuration from the application's.
func engineConfig(cfg config.Config) duck.Config {
	r := cfg.Resources
	return duck.Config{
		DataDir:        cfg.DataDir,
		QueryTimeout:   cfg.QueryTimeout,
		MaxResultRows:  cfg.MaxResultRows,
		MemoryBudget:   r.EngineMemory(),
		MaxResultBytes: int(r.MaxResultBytes),
		IngestTimeout:  r.IngestTimeout,
	}
}

func (a *app) close() {
	if a.engine != nil {
		if err := a.engine.Close(); err != nil {
			a.log.Error("close data engine", "err", err)
		}
	}
	if a.db != nil {
		if err := a.db.Close(); err != nil {
			a.log.Error("close database", "err", err)
		}
	}
	if a.unlock != nil {
		_ = a.unlock()
	}
}

// listen opens a TCP listener with a message that names the address.
func listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		var opErr *net.OpError
		if errors.As(err, &opErr) {
			return nil, fmt.Errorf("cannot listen on %s: %v", addr, opErr.Err)
		}
		return nil, err
	}
	return ln, nil
}

// newAnalyst picks who answers natural-language questions.
func newAnalyst(cfg config.Config, engine *duck.Engine, log *slog.Logger) (agent.Analyst, error) {
	opts := agent.ModelOptions{SendRows: cfg.SendRows, Log: log.With("component", "agent"),
		MaxRounds: cfg.Limits.MaxToolRounds, MaxTurnTokens: cfg.Limits.MaxTurnTokens}
	switch p := cfg.ActiveProvider(); p {
	case config.ProviderBuiltin:
		return builtin.New(engine), nil
	case config.ProviderAnthropic:
		model, err := anthropic.New(anthropic.Config{
			APIKey:     cfg.Anthropic.APIKey,
			BaseURL:    cfg.Anthropic.BaseURL,
			Model:      cfg.Anthropic.Model,
			TitleModel: cfg.Anthropic.TitleModel,
		})
		if err != nil {
			return nil, err
		}
		// Compiling the chart schema takes a moment: not on the first chart.
		go agent.WarmVegaLite()
		return agent.NewModelAnalyst(model, engine, opts), nil
	case config.ProviderOpenAI:
		model, err := openai.New(openai.Config{
			BaseURL: cfg.OpenAI.BaseURL,
			APIKey:  cfg.OpenAI.APIKey,
			Model:   cfg.OpenAI.Model,
		})
		if err != nil {
			return nil, err
		}
		go agent.WarmVegaLite()
		return agent.NewModelAnalyst(model, engine, opts), nil
	default:
		return nil, fmt.Errorf("provider %q is not available in this build", p)
	}
}
