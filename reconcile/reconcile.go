// Package reconcile repairs what a crash can leave between the metadata
// database and the data directory, before the server starts listening.
//
// A session is committed when its row is: the data engine writes a
// session's files first and the row last, and a delete removes the row
// first and the files after. So a crash can leave
//
//   - half-written uploads in DATA_DIR/.uploads (removed);
//   - temporary files inside a session directory: the engine's spill
//     directory tmp/ and *.tmp files written before a rename (removed);
//   - a session directory without a row: an ingest that never finished
//     (no complete data.parquet: removed, as the failed request would have)
//     or a complete dataset whose row was never written or already deleted
//     (moved to DATA_DIR/.orphans/, never deleted: an administrator
//     decides);
//   - a row whose files are gone (reported: the session stays, and the
//     server shows that its data cannot be read);
//   - inside a session directory, a version directory v/<id> that no
//     version row names: a change, an added file or a dropped version
//     whose commit or deletion was interrupted (removed: versions are
//     written first and named last, and unnamed first and removed last;
//     the first upload is never one), and a named version whose files
//     are gone (reported).
//
// Nothing that is complete is deleted. When another process may be using
// the data directory (Lock failed), only leftovers older than StaleAfter
// are touched.
package reconcile

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/analyzerhq/analyzer/datadir"
	"github.com/analyzerhq/analyzer/filestore"
	"github.com/analyzerhq/analyzer/storage"
)

// Store is what reconciliation reads from the metadata database.
type Store interface {
	StoredSessions(ctx context.Context) ([]storage.StoredSession, error)
	Check(ctx context.Context) ([]string, error)
}

var _ Store = (*storage.DB)(nil)

// Options tune a run.
type Options struct {
	// Exclusive says that no other process uses the data directory (Lock
	// succeeded), so temporary files of any age are leftovers.
	Exclusive bool
	// StaleAfter is the age past which a leftover is one when the run is
	// not exclusive (default 1h).
	StaleAfter time.Duration
	Now        func() time.Time
	Log        *slog.Logger
	// Files, when it is an object store, holds the sessions' files and
	// the data directory is only this instance's cache of them: a
	// session is complete when the store holds its files, a cached
	// directory without a row is removed (the store had it), and the
	// store's own sessions without a row are removed once stale (an
	// upload on another instance saves its files before its row). Every
	// step removes only what no row names and only stale leftovers of
	// other instances, so several instances may run it at once.
	Files Files
}

// Files is what reconciliation reads from the file store.
type Files interface {
	Kind() string
	Sessions(ctx context.Context) ([]filestore.Stored, error)
	Remove(ctx context.Context, sessionID string) error
}

// Report says what a run found and did. Paths are relative to the data
// directory.
type Report struct {
	RemovedUploads    []string // half-written uploads removed
	RemovedTemp       []string // temporary files of sessions removed
	RemovedIncomplete []string // session directories of interrupted ingests removed
	Quarantined       []string // complete datasets without a session, moved to .orphans
	MissingData       []string // session ids whose data.parquet is missing or incomplete
	MissingFileRow    []string // session ids without a files row
	RemovedVersions   []string // version directories no row names, removed
	MissingVersions   []string // version directories a row names that are missing or incomplete
	RemovedStored     []string // sessions in the object store without a row, removed
	Skipped           []string // recent leftovers left alone: another process may own them
	Unknown           []string // entries that are not ours, left alone
	DatabaseProblems  []string // what SQLite's checks reported
}

// Repaired reports whether the run changed anything.
func (r *Report) Repaired() bool {
	return len(r.RemovedUploads)+len(r.RemovedTemp)+len(r.RemovedIncomplete)+len(r.Quarantined)+len(r.RemovedVersions)+len(r.RemovedStored) > 0
}

// Problems reports whether something needs an administrator.
func (r *Report) Problems() bool {
	return len(r.MissingData)+len(r.MissingFileRow)+len(r.DatabaseProblems)+len(r.Quarantined)+len(r.MissingVersions) > 0
}

type run struct {
	dir  string
	opts Options
	rep  *Report
	log  *slog.Logger
}

// Run reconciles dataDir with store.
func Run(ctx context.Context, store Store, dataDir string, opts Options) (*Report, error) {
	if opts.StaleAfter <= 0 {
		opts.StaleAfter = time.Hour
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	dir, err := filepath.Abs(dataDir)
	if err != nil {
		return nil, err
	}
	r := &run{dir: dir, opts: opts, rep: &Report{}, log: opts.Log}

	// SQLite's checks read the whole database file (the longest part of
	// a start on a database of many sessions): they run beside the
	// directory's pass, which needs only the session list.
	type checked struct {
		problems []string
		err      error
	}
	check := make(chan checked, 1)
	go func() {
		p, err := store.Check(ctx)
		check <- checked{p, err}
	}()
	rep, err := r.reconcileDir(ctx, store)
	c := <-check
	if c.err != nil {
		return nil, c.err
	}
	if err != nil {
		return nil, err
	}
	rep.DatabaseProblems = c.problems
	for _, p := range c.problems {
		r.log.Error("reconcile: the metadata database reports a problem", "problem", p)
	}
	return rep, nil
}

// reconcileDir compares the data directory with the stored sessions.
func (r *run) reconcileDir(ctx context.Context, store Store) (*Report, error) {
	dir := r.dir
	sessions, err := store.StoredSessions(ctx)
	if err != nil {
		return nil, err
	}
	known := make(map[string]storage.StoredSession, len(sessions))
	for _, s := range sessions {
		known[s.ID] = s
	}

	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		entries = nil
	} else if err != nil {
		return nil, fmt.Errorf("reconcile: read the data directory: %w", err)
	}
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		name := e.Name()
		switch {
		case name == datadir.Uploads:
			r.cleanUploads()
		case name == datadir.Orphans || name == datadir.Lock || name == datadir.SecretKey || name == datadir.Settings:
		case strings.HasPrefix(name, datadir.SecretKey+".") || strings.HasPrefix(name, datadir.Settings+"."):
			r.removeTemp(name) // a key or settings being written when the process died
		case isSessionID(name) && e.IsDir():
			if s, ok := known[name]; ok {
				r.cleanSession(name)
				r.cleanVersions(s)
			} else {
				r.orphan(name)
			}
		default:
			r.rep.Unknown = append(r.rep.Unknown, name)
			r.log.Warn("reconcile: unknown entry in the data directory, left alone", "name", name)
		}
	}
	var inStore map[string]bool
	if r.cache() {
		if inStore, err = r.reconcileStore(ctx, known); err != nil {
			return nil, err
		}
	}
	for _, s := range sessions {
		if s.Deleted {
			// Deleted by its user: the server's purge removes its files
			// and then its row; a crash between the two is finished there.
			continue
		}
		if !s.HasFile {
			r.rep.MissingFileRow = append(r.rep.MissingFileRow, s.ID)
			r.log.Warn("reconcile: session without a file record", "session", s.ID)
			continue
		}
		if r.cache() && !inStore[s.ID] || !r.cache() && !completeParquet(filepath.Join(dir, s.ID, datadir.DataFile)) {
			r.rep.MissingData = append(r.rep.MissingData, s.ID)
			r.log.Warn("reconcile: session whose data is missing; it stays listed and shows that its data cannot be read",
				"session", s.ID, "expected", filepath.Join(dir, s.ID, datadir.DataFile))
		}
	}
	return r.rep, nil
}

// cache reports whether the data directory is a cache of an object store.
func (r *run) cache() bool { return r.opts.Files != nil && r.opts.Files.Kind() == "s3" }

// reconcileStore removes the store's stale sessions that no row names and
// returns the ids of those it holds.
func (r *run) reconcileStore(ctx context.Context, known map[string]storage.StoredSession) (map[string]bool, error) {
	stored, err := r.opts.Files.Sessions(ctx)
	if err != nil {
		return nil, fmt.Errorf("reconcile: list the file store: %w", err)
	}
	held := make(map[string]bool, len(stored))
	for _, s := range stored {
		held[s.ID] = true
		if _, ok := known[s.ID]; ok {
			continue
		}
		// Always by age, even when this process is alone on its data
		// directory: other instances share the store.
		if r.opts.Now().Sub(s.Modified) < r.opts.StaleAfter {
			r.rep.Skipped = append(r.rep.Skipped, "store:"+s.ID)
			continue
		}
		if err := r.opts.Files.Remove(ctx, s.ID); err != nil {
			r.log.Warn("reconcile: remove a stored session without a row", "session", s.ID, "err", err)
			continue
		}
		r.rep.RemovedStored = append(r.rep.RemovedStored, s.ID)
		r.log.Info("reconcile: removed a stored session without a row", "session", s.ID)
	}
	return held, nil
}

// stale reports whether a leftover at path may be removed now.
func (r *run) stale(path string) bool {
	if r.opts.Exclusive {
		return true
	}
	info, err := os.Lstat(path)
	return err == nil && r.opts.Now().Sub(info.ModTime()) >= r.opts.StaleAfter
}

func (r *run) cleanUploads() {
	entries, err := os.ReadDir(datadir.UploadsDir(r.dir))
	if err != nil {
		r.log.Warn("reconcile: read the uploads directory", "err", err)
		return
	}
	for _, e := range entries {
		rel := filepath.Join(datadir.Uploads, e.Name())
		if !strings.HasPrefix(e.Name(), datadir.UploadPrefix) || !e.Type().IsRegular() {
			r.rep.Unknown = append(r.rep.Unknown, rel)
			continue
		}
		if !r.stale(filepath.Join(r.dir, rel)) {
			r.rep.Skipped = append(r.rep.Skipped, rel)
			continue
		}
		if err := os.Remove(filepath.Join(r.dir, rel)); err != nil {
			r.log.Warn("reconcile: remove a half-written upload", "file", rel, "err", err)
			continue
		}
		r.rep.RemovedUploads = append(r.rep.RemovedUploads, rel)
		r.log.Info("reconcile: removed a half-written upload", "file", rel)
	}
}

// cleanSession removes the temporary files of a committed session.
func (r *run) cleanSession(id string) {
	entries, err := os.ReadDir(filepath.Join(r.dir, id))
	if err != nil {
		r.log.Warn("reconcile: read a session directory", "session", id, "err", err)
		return
	}
	for _, e := range entries {
		if e.Name() == datadir.Temp || strings.HasSuffix(e.Name(), datadir.TempSuffix) {
			r.removeTemp(filepath.Join(id, e.Name()))
		}
	}
}

// versionsDir holds a session's table versions (duck.VersionDir).
const versionsDir = "v"

// cleanVersions removes the version directories of a committed session
// that no row names and the temporary files of those it keeps, and
// reports named versions whose data is missing.
func (r *run) cleanVersions(s storage.StoredSession) {
	named := map[string]bool{}
	for _, d := range s.Versions {
		named[filepath.FromSlash(d)] = true
		rel := filepath.Join(s.ID, filepath.FromSlash(d))
		if !completeParquet(filepath.Join(r.dir, rel, datadir.DataFile)) {
			r.rep.MissingVersions = append(r.rep.MissingVersions, rel)
			r.log.Warn("reconcile: a version whose data is missing; reading it fails until another version is made current",
				"session", s.ID, "version", d)
		}
	}
	entries, err := os.ReadDir(filepath.Join(r.dir, s.ID, versionsDir))
	if err != nil {
		return // none yet
	}
	for _, e := range entries {
		rel := filepath.Join(s.ID, versionsDir, e.Name())
		if named[filepath.Join(versionsDir, e.Name())] {
			r.cleanSession(filepath.Join(s.ID, versionsDir, e.Name()))
			continue
		}
		if !r.stale(filepath.Join(r.dir, rel)) {
			r.rep.Skipped = append(r.rep.Skipped, rel)
			continue
		}
		if err := os.RemoveAll(filepath.Join(r.dir, rel)); err != nil {
			r.log.Warn("reconcile: remove an uncommitted version", "version", rel, "err", err)
			continue
		}
		r.rep.RemovedVersions = append(r.rep.RemovedVersions, rel)
		r.log.Info("reconcile: removed a version that was never committed or whose deletion was interrupted", "version", rel)
	}
}

func (r *run) removeTemp(rel string) {
	path := filepath.Join(r.dir, rel)
	if !r.stale(path) {
		r.rep.Skipped = append(r.rep.Skipped, rel)
		return
	}
	if err := os.RemoveAll(path); err != nil {
		r.log.Warn("reconcile: remove a temporary file", "file", rel, "err", err)
		return
	}
	r.rep.RemovedTemp = append(r.rep.RemovedTemp, rel)
	r.log.Info("reconcile: removed a temporary file", "file", rel)
}

// orphan handles a session directory that no row names.
func (r *run) orphan(id string) {
	path := filepath.Join(r.dir, id)
	if !r.stale(path) {
		r.rep.Skipped = append(r.rep.Skipped, id)
		return
	}
	if r.cache() || !completeParquet(filepath.Join(path, datadir.DataFile)) {
		// An ingest that never finished: its request failed, and the
		// engine would have removed the directory had the process lived.
		// With an object store, a cached copy: the store is the
		// session's, and reconcileStore's.
		if err := os.RemoveAll(path); err != nil {
			r.log.Warn("reconcile: remove an interrupted ingest", "session", id, "err", err)
			return
		}
		r.rep.RemovedIncomplete = append(r.rep.RemovedIncomplete, id)
		r.log.Info("reconcile: removed the files of an interrupted upload", "session", id)
		return
	}
	dst := filepath.Join(datadir.OrphansDir(r.dir), id)
	if _, err := os.Stat(dst); err == nil {
		dst += "-" + r.opts.Now().UTC().Format("20060102T150405")
	}
	if err := os.MkdirAll(datadir.OrphansDir(r.dir), 0o750); err != nil {
		r.log.Warn("reconcile: create the orphans directory", "err", err)
		return
	}
	if err := os.Rename(path, dst); err != nil {
		r.log.Warn("reconcile: move an orphan dataset", "session", id, "err", err)
		return
	}
	rel, _ := filepath.Rel(r.dir, dst)
	r.rep.Quarantined = append(r.rep.Quarantined, rel)
	r.log.Warn("reconcile: a complete dataset had no session (its upload or its deletion was interrupted): moved aside, delete it when it is not needed",
		"session", id, "moved_to", dst)
}

// isSessionID reports names the engine gives session directories:
// canonical lower-case UUIDs.
func isSessionID(name string) bool {
	u, err := uuid.Parse(name)
	return err == nil && u.String() == name
}

var parquetMagic = []byte("PAR1")

// completeParquet reports whether path is a whole Parquet file: the magic
// number at both ends and a footer length that fits. A file cut short by
// a crash lacks the trailing magic.
func completeParquet(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() || info.Size() < 12 {
		return false
	}
	head := make([]byte, 4)
	tail := make([]byte, 8)
	if _, err := io.ReadFull(f, head); err != nil {
		return false
	}
	if _, err := f.ReadAt(tail, info.Size()-8); err != nil {
		return false
	}
	footer := int64(tail[0]) | int64(tail[1])<<8 | int64(tail[2])<<16 | int64(tail[3])<<24
	return bytes.Equal(head, parquetMagic) && bytes.Equal(tail[4:], parquetMagic) && footer > 0 && footer <= info.Size()-12
}
