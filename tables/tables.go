// Package tables owns a session's tables and their versions: several
// files in one analysis, each a view in the session's sandbox, and
// changes to them as new Parquet versions with undo and redo. The
// metadata database holds which tables a session has and which version
// each reads (package storage); the data engine writes and reads the
// versions' files (package duck), and asks this package which ones to
// mount (duck.Catalog).
//
// A version is committed when its row is: its files are written and
// synced first, the row last, so a crash leaves at most a directory the
// reconciler removes. The first upload is never modified; it goes only
// with its session.
package tables

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"

	"github.com/dustin/go-humanize"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/apperr"
	"github.com/analyzerhq/analyzer/duck"
	"github.com/analyzerhq/analyzer/filestore"
	"github.com/analyzerhq/analyzer/storage"
)

// DefaultMaxVersions is the per-session cap on versions when none is set.
const DefaultMaxVersions = 30

// Options tune the service.
type Options struct {
	// MaxVersions caps the versions a session keeps, all tables together
	// (default DefaultMaxVersions); past it the oldest versions no table
	// reads are dropped, with a notice.
	MaxVersions int
	Log         *slog.Logger
	// Files is where sessions' files are kept beyond this instance (nil:
	// the data folder only). A new version reaches it before its row is
	// written, as an upload does.
	Files filestore.Store
}

// Service manages the tables of every session.
type Service struct {
	store  *storage.DB
	engine *duck.Engine
	opts   Options
	log    *slog.Logger

	quotaMu sync.RWMutex
	quota   int64
	usage   func(ctx context.Context, userID string) (int64, error)

	locks sync.Map // session id → *sync.Mutex: one change at a time
	joins joinCache
}

var (
	_ duck.Catalog  = (*Service)(nil)
	_ agent.Changer = (*Service)(nil)
)

// New returns the service over store and engine, and makes it the
// engine's catalog.
func New(store *storage.DB, engine *duck.Engine, opts Options) *Service {
	if opts.MaxVersions <= 0 {
		opts.MaxVersions = DefaultMaxVersions
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	s := &Service{store: store, engine: engine, opts: opts, log: opts.Log}
	engine.SetCatalog(s)
	return s
}

// saveFiles copies the session's directory, with its new or removed
// versions, to the file store.
func (s *Service) saveFiles(ctx context.Context, sessionID string) error {
	if s.opts.Files == nil || s.opts.Files.Kind() == "local" {
		return nil
	}
	if err := s.opts.Files.Save(ctx, sessionID); err != nil {
		return apperr.Wrap(apperr.Unavailable, "could not store the new version", err)
	}
	return nil
}

// SetQuota makes versions count toward each user's quota: usage says what
// a user keeps now (uploads, versions, messages). quota 0: none.
func (s *Service) SetQuota(quota int64, usage func(ctx context.Context, userID string) (int64, error)) {
	s.quotaMu.Lock()
	defer s.quotaMu.Unlock()
	s.quota, s.usage = quota, usage
}

// MaxVersions is the per-session cap.
func (s *Service) MaxVersions() int { return s.opts.MaxVersions }

// Mounts tells the data engine the session's tables and the directory of
// each one's current version; a session that never had a second file or
// a change has none stored and reads its one dataset as `data`.
func (s *Service) Mounts(ctx context.Context, sessionID string) ([]duck.Mount, error) {
	rows, err := s.store.CurrentDirs(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	out := make([]duck.Mount, len(rows))
	for i, r := range rows {
		out[i] = duck.Mount{Name: r.Name, Dir: r.Dir}
	}
	return out, nil
}

func (s *Service) lock(sessionID string) func() {
	m, _ := s.locks.LoadOrStore(sessionID, &sync.Mutex{})
	mu := m.(*sync.Mutex)
	mu.Lock()
	return mu.Unlock
}

// ensurePrimary stores the session's first upload as its first table,
// version 1, the first time the session gets a second table or a change.
func (s *Service) ensurePrimary(ctx context.Context, sess *storage.Session) ([]storage.Table, error) {
	ts, err := s.store.Tables(ctx, sess.ID)
	if err != nil || len(ts) > 0 {
		return ts, err
	}
	f := sess.File
	if f == nil {
		return nil, apperr.New(apperr.NotFound, "this session has no data")
	}
	t := &storage.Table{SessionID: sess.ID, Name: NameFor(f.Filename, nil), Position: 0, SourceFilename: f.Filename}
	if t.Name == duck.PrimaryView+"_2" {
		t.Name = duck.PrimaryView // a file named data.csv is simply `data`
	}
	v := &storage.TableVersion{
		Dir: "", Author: storage.AuthorUpload, Description: "Uploaded " + f.Filename,
		RowCount: f.RowCount, ColumnCount: int64(f.ColCount), Columns: f.Columns,
	}
	if err := s.store.CreateTable(ctx, t, v); err != nil {
		if apperr.KindOf(err) == apperr.Conflict { // created meanwhile
			return s.store.Tables(ctx, sess.ID)
		}
		return nil, err
	}
	return []storage.Table{*t}, nil
}

// fitsQuota refuses a version of bytes that the user's quota cannot hold.
func (s *Service) fitsQuota(ctx context.Context, userID string, bytes int64) error {
	s.quotaMu.RLock()
	quota, usage := s.quota, s.usage
	s.quotaMu.RUnlock()
	if quota <= 0 || usage == nil {
		return nil
	}
	used, err := usage(ctx, userID)
	if err != nil {
		return err
	}
	if used+bytes > quota {
		return apperr.Newf(apperr.TooLarge, "the new version (%s) does not fit in what is left of your %s of storage: delete a session to make room",
			humanize.IBytes(uint64(bytes)), humanize.IBytes(uint64(quota)))
	}
	return nil
}

// session loads a session by id with its owner.
func (s *Service) session(ctx context.Context, sessionID string) (*storage.Session, error) {
	uid, err := s.store.SessionOwner(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	return s.store.GetSession(ctx, uid, sessionID)
}

// findTable returns the table named name (case-insensitively; `data` is
// the first table), or nil.
func findTable(ts []storage.Table, name string) *storage.Table {
	if len(ts) > 0 && strings.EqualFold(name, duck.PrimaryView) {
		return &ts[0]
	}
	for i := range ts {
		if strings.EqualFold(ts[i].Name, name) {
			return &ts[i]
		}
	}
	return nil
}

func columnsJSON(cols []duck.Column) storage.JSON {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	return storage.MustJSON(names)
}

// versionColumns decodes a version's column names.
func versionColumns(v *storage.TableVersion) []string {
	var names []string
	_ = json.Unmarshal(v.Columns, &names)
	return names
}
