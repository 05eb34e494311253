package cli

import (
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/spf13/cobra"

	"github.com/analyzerhq/analyzer/app"
	"github.com/analyzerhq/analyzer/config"
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
	a, err := app.Open(ctx, cfg, log, app.Options{Version: env.build.Version, UI: env.ui})
	if err != nil {
		return err
	}
	defer a.Close()

	ln, err := listen(cfg.Addr)
	if err != nil {
		return err
	}
	info := a.Chats.Info()
	log.Info("analyzer is ready", "url", "http://"+ln.Addr().String(), "version", env.build.Version, "provider", info.Name, "model", info.Model)
	fmt.Fprintf(env.stdout, "analyzer is running at http://%s\n", ln.Addr())
	return a.Server.Serve(ctx, ln, shutdownGrace)
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
