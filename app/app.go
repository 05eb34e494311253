// Package app is the composition root: from a validated configuration it
// opens the signing key, the migrated database, the repaired data folder,
// the data engine, the analyst, the conversations and the HTTP server, in
// that order, and closes them in reverse. `analyzer serve`, desktop mode
// and the load run all start the application through Open.
package app

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"runtime/debug"

	"github.com/dustin/go-humanize"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/analysts"
	"github.com/analyzerhq/analyzer/chat"
	"github.com/analyzerhq/analyzer/config"
	"github.com/analyzerhq/analyzer/datadir"
	"github.com/analyzerhq/analyzer/duck"
	"github.com/analyzerhq/analyzer/filestore"
	"github.com/analyzerhq/analyzer/reconcile"
	"github.com/analyzerhq/analyzer/server"
	"github.com/analyzerhq/analyzer/settings"
	"github.com/analyzerhq/analyzer/storage"
	"github.com/analyzerhq/analyzer/tables"
)

// Options are what the configuration does not say.
type Options struct {
	// Version is reported by /api/health.
	Version string
	// UI is the built web app; nil serves only the API.
	UI fs.FS
	// Desktop enables the one-time local sign-in.
	Desktop bool
}

// App is the running application's parts.
type App struct {
	Config config.Config
	Log    *slog.Logger
	DB     *storage.DB
	Files  filestore.Store
	Engine *duck.Engine
	Tables *tables.Service
	Agent  *agent.Agent
	Chats  *chat.Chats
	Server *server.Server
	// Analysts are who can answer: the configured provider, the page's
	// settings (desktop mode), the models found on loopback.
	Analysts *analysts.Set

	unlock func() error // releases DATA_DIR's lock
}

// Open prepares everything the server needs. On an error, what was opened
// is closed again.
func Open(ctx context.Context, cfg config.Config, log *slog.Logger, opts Options) (*App, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := cfg.EnsureSecret(); err != nil {
		return nil, err
	}
	if cfg.SecretGenerated() {
		log.Info("generated a signing key", "file", datadir.SecretKeyFile(cfg.DataDir))
	}
	a := &App{Config: cfg, Log: log}
	ok := false
	defer func() {
		if !ok {
			a.Close()
		}
	}()
	var err error
	if a.DB, err = OpenStore(ctx, cfg); err != nil {
		return nil, err
	}
	applied, err := a.DB.Migrate(ctx)
	if err != nil {
		return nil, err
	}
	for _, name := range applied {
		log.Info("applied migration", "name", name)
	}
	if a.Files, err = OpenFiles(ctx, cfg, log); err != nil {
		return nil, err
	}
	if err := a.reconcileData(ctx); err != nil {
		return nil, err
	}
	r := cfg.Resources
	// Go's heap gets its share as the runtime's soft limit, so the
	// collector works harder before the process outgrows the budget.
	debug.SetMemoryLimit(r.GoMemory())
	ec := EngineConfig(cfg)
	if cfg.Files.S3 {
		ec.Fetch, ec.Refresh = a.Files.Fetch, a.Files.Refresh
	}
	a.Engine, err = duck.New(ec, log.With("component", "duck"))
	if err != nil {
		return nil, err
	}
	qShare, iShare := a.Engine.MemoryShares()
	log.Info("memory budget", "limit", humanize.IBytes(uint64(r.MemoryLimit)), "from", r.MemoryLimitSource,
		"duckdb", humanize.IBytes(uint64(r.EngineMemory())), "go", humanize.IBytes(uint64(r.GoMemory())),
		"per_query", humanize.IBytes(uint64(qShare)), "per_ingest", humanize.IBytes(uint64(iShare)))
	a.Tables = tables.New(a.DB, a.Engine, tables.Options{Log: log.With("component", "tables"), Files: a.Files})
	// The page's model settings apply in desktop mode; a server is
	// configured with its environment only.
	aopts := analysts.Options{Log: log.With("component", "agent"), Changer: a.Tables}
	if opts.Desktop {
		aopts.SettingsFile = settings.File(cfg.DataDir)
	}
	a.Analysts = analysts.New(cfg, a.Engine, aopts)
	analyst, _ := a.Analysts.Resolve("")
	a.Agent = agent.New(a.Engine, analyst, log.With("component", "agent"))
	a.Agent.SetChanger(a.Tables)
	a.Chats = chat.New(a.DB, a.Agent, a.Engine, chat.Options{TurnTimeout: r.TurnTimeout, Log: log.With("component", "chat"), Tables: a.Tables,
		Analysts: a.Analysts, MonthlyTokenBudget: cfg.Models.MonthlyTokenBudget})
	// Local model servers and the provider's health are looked at once the
	// server starts, not before it listens.
	go func() {
		a.Analysts.Discover(context.Background())
		a.Analysts.Check(context.Background())
	}()
	a.Server = server.New(server.Options{
		SecretKey:          []byte(cfg.SecretKey),
		TokenTTL:           cfg.AccessTokenTTL,
		MaxUploadSize:      cfg.MaxUploadSize,
		UploadDir:          datadir.UploadsDir(cfg.EngineDir()),
		Files:              a.Files,
		Version:            opts.Version,
		UI:                 opts.UI,
		LocalLogin:         opts.Desktop,
		AllowRegistration:  cfg.AllowRegistration,
		TrustedProxies:     cfg.TrustedProxies,
		AllowedOrigins:     cfg.Limits.AllowedOrigins,
		Limits:             ServerLimits(cfg.Limits, cfg.Resources),
		Tables:             a.Tables,
		Exports:            server.ExportLimits{MaxRows: cfg.Exports.MaxRows, Timeout: cfg.Exports.Timeout},
		Analysts:           a.Analysts,
		AdminEmails:        cfg.Models.AdminEmails,
		MonthlyTokenBudget: cfg.Models.MonthlyTokenBudget,
	}, a.DB, a.Engine, a.Chats, log)
	ok = true
	return a, nil
}

// Close releases what Open opened, in reverse order.
func (a *App) Close() {
	if a.Engine != nil {
		if err := a.Engine.Close(); err != nil {
			a.Log.Error("close data engine", "err", err)
		}
	}
	if a.DB != nil {
		if err := a.DB.Close(); err != nil {
			a.Log.Error("close database", "err", err)
		}
	}
	if a.unlock != nil {
		_ = a.unlock()
	}
}

// OpenStore opens the metadata database named by the configuration.
func OpenStore(ctx context.Context, cfg config.Config) (*storage.DB, error) {
	if cfg.Postgres() {
		return storage.OpenPostgres(ctx, cfg.DatabaseURL)
	}
	path, err := cfg.DatabasePath()
	if err != nil {
		return nil, err
	}
	return storage.Open(ctx, path)
}

// OpenFiles opens the store of sessions' files named by the
// configuration: the data folder, or an S3-compatible bucket cached in
// the engine's folder.
func OpenFiles(ctx context.Context, cfg config.Config, log *slog.Logger) (filestore.Store, error) {
	if !cfg.Files.S3 {
		return filestore.Local{Dir: cfg.DataDir}, nil
	}
	s, err := filestore.NewS3(ctx, filestore.S3Options{Location: cfg.Files.Location, Dir: cfg.EngineDir(),
		MaxBytes: cfg.Files.CacheMaxBytes, Log: log.With("component", "filestore")})
	if err != nil {
		return nil, err
	}
	if err := s.Ping(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// EngineConfig is the data engine's configuration from the application's.
func EngineConfig(cfg config.Config) duck.Config {
	r := cfg.Resources
	return duck.Config{
		DataDir:        cfg.EngineDir(),
		QueryTimeout:   cfg.QueryTimeout,
		MaxResultRows:  cfg.MaxResultRows,
		MemoryBudget:   r.EngineMemory(),
		MaxResultBytes: int(r.MaxResultBytes),
		IngestTimeout:  r.IngestTimeout,
	}
}

// ServerLimits turns the configured limits into the server's.
func ServerLimits(l config.Limits, r config.Resources) server.Limits {
	rate := func(r config.Rate) server.Rate { return server.Rate{Max: r.Max, Per: r.Per} }
	return server.Limits{
		LoginPerAccount: rate(l.LoginLimit),
		LoginPerIP:      rate(l.LoginIPLimit),
		RegisterPerIP:   rate(l.RegisterLimit),
		TurnsPerUser:    l.MaxTurnsPerUser,
		UploadsPerUser:  l.MaxUploadsPerUser,
		UserQuota:       l.UserQuota,
		RequestTimeout:  l.RequestTimeout,
		WSIdleTimeout:   l.WSIdleTimeout,
		TurnTimeout:     r.TurnTimeout,
	}
}

// reconcileData runs before the server listens: it takes DATA_DIR's lock
// for the life of the app (released by Close) and repairs what a crash
// left between the database and the data directory (see package
// reconcile). A second process on the same directory runs without the lock
// and touches only stale leftovers.
func (a *App) reconcileData(ctx context.Context) error {
	release, exclusive, err := reconcile.Lock(a.Config.EngineDir())
	if err != nil {
		return err
	}
	a.unlock = release
	log := a.Log.With("component", "reconcile")
	if !exclusive {
		log.Warn("another process is using the data directory; only stale leftovers are cleaned", "dir", a.Config.DataDir)
	}
	rep, err := reconcile.Run(ctx, a.DB, a.Config.EngineDir(), reconcile.Options{Exclusive: exclusive, Log: log, Files: a.Files})
	if err != nil {
		return fmt.Errorf("check the data directory against the database: %w", err)
	}
	if rep.Repaired() || rep.Problems() {
		log.Warn("data directory reconciled",
			"removed_uploads", len(rep.RemovedUploads), "removed_temp", len(rep.RemovedTemp),
			"removed_incomplete", len(rep.RemovedIncomplete), "quarantined", len(rep.Quarantined),
			"removed_stored", len(rep.RemovedStored),
			"sessions_missing_data", len(rep.MissingData), "sessions_missing_file_record", len(rep.MissingFileRow),
			"removed_versions", len(rep.RemovedVersions), "missing_versions", len(rep.MissingVersions),
			"database_problems", len(rep.DatabaseProblems))
	}
	return nil
}
