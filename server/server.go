// Package server is the HTTP and WebSocket face of the application: it
// authenticates, validates input, and hands work to storage, the data
// engine and the conversations (chat). It holds no business rules of its
// own.
package server

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"net"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/analyzerhq/analyzer/analysts"
	"github.com/analyzerhq/analyzer/chat"
	"github.com/analyzerhq/analyzer/duck"
	"github.com/analyzerhq/analyzer/filestore"
	"github.com/analyzerhq/analyzer/storage"
	"github.com/analyzerhq/analyzer/tables"
)

// Options configures a Server.
type Options struct {
	SecretKey     []byte
	TokenTTL      time.Duration
	MaxUploadSize int64
	// UploadDir receives uploads while they stream in; it should be on the
	// same file system as the data directory so that keeping one is a rename.
	UploadDir string
	Version   string
	// UI is the built single-page app; nil serves only the API.
	UI fs.FS
	// Now is the clock, for tests of token expiry; nil means time.Now.
	Now func() time.Time
	// LocalLogin enables POST /api/auth/local (desktop mode).
	LocalLogin bool
	// AllowRegistration keeps POST /api/auth/register open.
	AllowRegistration bool
	// TrustedProxies lists the proxies whose X-Forwarded-* headers are
	// believed; empty means none.
	TrustedProxies []string
	// AllowedOrigins are origins besides the server's own whose pages may
	// open the WebSocket (origin.go).
	AllowedOrigins []string
	// Limits bounds what a client or a user may consume (limits.go).
	Limits Limits
	// Tables manages several files per session and their versions
	// (tables.go); nil: the routes are not served.
	Tables *tables.Service
	// Exports bounds the full exports of results and datasets (export.go).
	Exports ExportLimits
	// Files keeps sessions' files (package filestore); nil is the data
	// folder, where the engine's files already are.
	Files filestore.Store
	// Analysts are who can answer (models.go); nil serves no model routes.
	Analysts *analysts.Set
	// AdminEmails may see the active model configuration.
	AdminEmails []string
	// MonthlyTokenBudget is each user's monthly model tokens; 0 = none.
	MonthlyTokenBudget int64
}

// Server serves the API.
type Server struct {
	opts   Options
	store  *storage.DB
	engine *duck.Engine
	chats  *chat.Chats
	log    *slog.Logger
	tokens tokens
	app    *fiber.App

	// base is cancelled on shutdown: WebSocket connections and their turns
	// derive from it, since Fiber's shutdown does not reach hijacked
	// connections.
	base   context.Context
	cancel context.CancelFunc
	conns  sync.WaitGroup
	// background counts work started by a request that outlives it
	// (storing a profile); Serve waits for it.
	background sync.WaitGroup
	running    runningTurns // replies running here, by session (stops.go)
	draining   atomic.Bool  // shutting down: no new reply starts

	startedAt  time.Time
	usedLogins usedLoginTokens
	guard      *guard // rate limits and per-user counts (limits.go)
}

// New builds the server and its routes.
func New(opts Options, store *storage.DB, engine *duck.Engine, chats *chat.Chats, log *slog.Logger) *Server {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Files == nil {
		// The data folder: where uploads are received.
		opts.Files = filestore.Local{Dir: filepath.Dir(opts.UploadDir)}
	}
	s := &Server{
		opts:   opts,
		store:  store,
		engine: engine,
		chats:  chats,
		log:    log,
		tokens: tokens{key: opts.SecretKey, ttl: opts.TokenTTL, now: opts.Now},
	}
	s.startedAt = opts.Now()
	s.guard = newGuard(opts.Limits, opts.Now)
	if opts.Tables != nil {
		opts.Tables.SetQuota(opts.Limits.UserQuota, s.diskUsage)
	}
	if store.Postgres() {
		s.guard.share(store, log)
	}
	s.base, s.cancel = context.WithCancel(context.Background())
	s.app = fiber.New(fiber.Config{
		AppName:               "analyzer",
		ErrorHandler:          s.handleError,
		DisableStartupMessage: true,
		// Bodies beyond BodyLimit are streamed, not refused: the upload
		// handler reads the stream under MAX_UPLOAD_SIZE itself, and JSON
		// handlers read at most maxJSONBody. Multipart is not pre-parsed, so
		// nothing is written to disk before authentication.
		BodyLimit:                    1 << 20,
		StreamRequestBody:            true,
		DisablePreParseMultipartForm: true,
		ReadBufferSize:               16 << 10,
		IdleTimeout:                  2 * time.Minute,
		// X-Forwarded-For is believed only from the proxies named.
		EnableTrustedProxyCheck: len(opts.TrustedProxies) > 0,
		TrustedProxies:          opts.TrustedProxies,
		ProxyHeader:             proxyHeader(opts.TrustedProxies),
	})
	s.installTimeouts()
	s.routes()
	s.listenForStops()
	return s
}

// App returns the Fiber app, for tests and for serving.
func (s *Server) App() *fiber.App { return s.app }

func (s *Server) routes() {
	app := s.app
	app.Use(s.recoverPanics, requestIDs, s.logRequests, securityHeaders(), s.limitRequestTime)

	api := app.Group("/api", noStore)
	api.Get("/health", s.health)
	api.Get("/ready", s.ready)
	api.Post("/auth/register", s.register)
	api.Post("/auth/login", s.login)
	api.Post("/auth/local", s.localLogin)

	// Authentication is per route: a group's middleware would also run for
	// every other path under its prefix, unknown ones included.
	api.Post("/upload", s.requireUser, s.upload)
	api.Get("/sessions", s.requireUser, s.listSessions)
	api.Get("/samples", s.requireUser, s.listSamples)
	api.Post("/samples/:id", s.requireUser, s.loadSample)
	api.Get("/sessions/:id", s.requireUser, s.sessionDetail)
	api.Get("/sessions/:id/profile", s.requireUser, s.sessionProfile)
	api.Get("/sessions/:id/profile/bins", s.requireUser, s.sessionProfileBins) // profilebins.go
	api.Get("/sessions/:id/messages/:messageID/rows", s.requireUser, s.resultRows)
	api.Get("/sessions/:id/messages/:messageID/chart", s.requireUser, s.resultChart) // chart.go
	api.Delete("/sessions/:id", s.requireUser, s.deleteSession)
	api.Patch("/sessions/:id", s.requireUser, s.renameSession)
	api.Post("/sessions/:id/restore", s.requireUser, s.restoreSession)
	api.Get("/sessions/:id/messages/:messageID/export", s.requireUser, s.exportResult)
	api.Get("/sessions/:id/data/export", s.requireUser, s.exportData)
	api.Get("/sessions/:id/ws", s.wsAuthorize, s.wsHandler())
	s.tableRoutes(api)
	api.Get("/sessions/:id/model", s.requireUser, s.getSessionModel)
	api.Put("/sessions/:id/model", s.requireUser, s.putSessionModel)
	api.Get("/settings", s.requireUser, s.getSettings)
	api.Put("/settings", s.requireUser, s.putSettings)
	api.Post("/settings/models", s.requireUser, s.listProviderModels)

	api.All("/*", func(c *fiber.Ctx) error { return fiber.NewError(fiber.StatusNotFound, "not found") })
	if s.opts.UI != nil {
		mountStatic(app, s.opts.UI)
	}
}

// noStore keeps every API answer (tokens, datasets, conversations) out of
// browser and proxy caches; the static assets set their own caching.
func noStore(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Next()
}

func proxyHeader(trusted []string) string {
	if len(trusted) == 0 {
		return ""
	}
	return fiber.HeaderXForwardedFor
}

// Serve accepts connections on ln until ctx is cancelled, then shuts down
// gracefully: in-flight requests finish (within grace), WebSocket turns
// are cancelled and their connections closed.
func (s *Server) Serve(ctx context.Context, ln net.Listener, grace time.Duration) error {
	errc := make(chan error, 1)
	go func() { errc <- s.app.Listener(ln) }()
	go s.purgeLoop(s.base)
	select {
	case err := <-errc:
		s.cancel()
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down")
	// Draining: /api/ready answers 503 and no new reply starts, while
	// the replies running finish (within grace); then the rest stops,
	// within grace again.
	s.draining.Store(true)
	dctx, dcancel := context.WithTimeout(context.Background(), grace)
	s.drainTurns(dctx)
	dcancel()
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	s.cancel()
	err := s.app.ShutdownWithContext(sctx)
	done := make(chan struct{})
	go func() { s.conns.Wait(); s.background.Wait(); close(done) }()
	select {
	case <-done:
	case <-sctx.Done():
		err = errors.Join(err, errors.New("some WebSocket connections did not close in time"))
	}
	return err
}
