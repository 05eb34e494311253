package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/agent/builtin"
	"github.com/analyzerhq/analyzer/agent/llm"
	"github.com/analyzerhq/analyzer/chat"
	"github.com/analyzerhq/analyzer/duck"
	"github.com/analyzerhq/analyzer/filestore"
	"github.com/analyzerhq/analyzer/storage"
	"github.com/analyzerhq/analyzer/tables"
)

// envConfig is what a test environment may vary: options, data engine
// settings, the logger and the analyst (the built-in one by default).
type envConfig struct {
	opts    Options
	duck    duck.Config
	log     *slog.Logger
	analyst func(*duck.Engine) agent.Analyst
	// tables, when set, serves several files per session with versions
	// (tables_test.go); changer then builds the analyst instead.
	tables  *tables.Options
	changer func(*duck.Engine, agent.Changer) agent.Analyst
	// database opens the metadata database (a new SQLite file when nil);
	// files opens the file store over the engine's folder (the folder
	// itself when nil).
	database func(tb testing.TB) *storage.DB
	files    func(tb testing.TB, dataDir string) filestore.Store
}

type envOption func(*envConfig)

func withLimits(l Limits) envOption { return func(c *envConfig) { c.opts.Limits = l } }

func withOrigins(origins ...string) envOption {
	return func(c *envConfig) { c.opts.AllowedOrigins = origins }
}

func withLogger(log *slog.Logger) envOption { return func(c *envConfig) { c.log = log } }

func withAnalyst(f func(*duck.Engine) agent.Analyst) envOption {
	return func(c *envConfig) { c.analyst = f }
}

// newTestEnv is a real server over a temporary SQLite file and data
// directory, varied by options.
func newTestEnv(t *testing.T, options ...envOption) *testEnv {
	t.Helper()
	env := buildEnv(t, options...)
	env.t = t
	return env
}

// buildEnv builds the environment for any testing.TB (fuzz targets too);
// the returned env's t is nil unless the caller sets it.
func buildEnv(tb testing.TB, options ...envOption) *testEnv {
	tb.Helper()
	ctx := context.Background()
	dir := tb.TempDir()
	dataDir := filepath.Join(dir, "data")
	cfg := envConfig{
		opts: Options{
			SecretKey:         []byte("test-secret-key-0123456789abcdef"),
			TokenTTL:          24 * time.Hour,
			MaxUploadSize:     10 << 20,
			UploadDir:         filepath.Join(dataDir, ".uploads"),
			Version:           "test",
			AllowRegistration: true,
		},
		duck:    duck.Config{DataDir: dataDir, QueryTimeout: 10 * time.Second, MemoryLimit: "512MB", QueryMemoryLimit: "256MB"},
		analyst: func(e *duck.Engine) agent.Analyst { return builtin.New(e) },
	}
	for _, o := range options {
		o(&cfg)
	}
	var store *storage.DB
	var err error
	if cfg.database != nil {
		store = cfg.database(tb)
	} else if store, err = storage.Open(ctx, filepath.Join(dir, "meta.db")); err != nil {
		tb.Fatal(err)
	}
	if _, err := store.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	if cfg.files != nil {
		cfg.opts.Files = cfg.files(tb, dataDir)
		cfg.duck.Fetch, cfg.duck.Refresh = cfg.opts.Files.Fetch, cfg.opts.Files.Refresh
	}
	engine, err := duck.New(cfg.duck, cfg.log)
	if err != nil {
		tb.Fatal(err)
	}
	var ag *agent.Agent
	chatOpts := chat.Options{TurnTimeout: cfg.opts.Limits.TurnTimeout, Log: cfg.log}
	if cfg.tables != nil {
		topts := *cfg.tables
		topts.Files = cfg.opts.Files
		tbl := tables.New(store, engine, topts)
		cfg.opts.Tables, chatOpts.Tables = tbl, tbl
		analyst := cfg.analyst(engine)
		if cfg.changer != nil {
			analyst = cfg.changer(engine, tbl)
		}
		ag = agent.New(engine, analyst, cfg.log)
		ag.SetChanger(tbl)
	} else {
		ag = agent.New(engine, cfg.analyst(engine), cfg.log)
	}
	env := &testEnv{store: store, engine: engine, dataDir: dataDir, secret: cfg.opts.SecretKey, now: time.Now()}
	cfg.opts.Now = func() time.Time { return env.now }
	env.srv = New(cfg.opts, store, engine, chat.New(store, ag, engine, chatOpts), cfg.log)
	tb.Cleanup(func() {
		env.srv.cancel()
		engine.Close()
		store.Close()
	})
	return env
}

// logBuffer collects a logger's output, safely across goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func newLogBuffer() (*logBuffer, *slog.Logger) {
	b := &logBuffer{}
	return b, slog.New(slog.NewJSONHandler(io.Writer(b), &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// scriptedModel is an llm.Model that answers from a script: call i gets
// reply(i, request). It stands in for a model that does whatever a hostile
// dataset tells it to.
type scriptedModel struct {
	mu    sync.Mutex
	calls int
	reply func(i int, req llm.Request) *llm.Response
}

func (m *scriptedModel) Info() agent.Info { return agent.Info{Name: "scripted", Model: "test"} }

func (m *scriptedModel) Stream(ctx context.Context, req llm.Request, onText func(int, string)) (*llm.Response, error) {
	m.mu.Lock()
	i := m.calls
	m.calls++
	m.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	resp := m.reply(i, req)
	for bi, b := range resp.Content {
		if b.Type == llm.BlockText {
			onText(bi, b.Text)
		}
	}
	return resp, nil
}

func (m *scriptedModel) Complete(context.Context, llm.CompletionRequest) (string, error) {
	return "Scripted title", nil
}

func (m *scriptedModel) count() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.calls
}

// toolCall is a tool_use block with a JSON input.
func toolCall(id, name string, input any) llm.Block {
	raw, _ := json.Marshal(input)
	return llm.Block{Type: llm.BlockToolUse, ID: id, Name: name, Input: raw}
}
