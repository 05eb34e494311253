package tables

import (
	"context"

	"github.com/google/uuid"

	"github.com/analyzerhq/analyzer/apperr"
	"github.com/analyzerhq/analyzer/duck"
	"github.com/analyzerhq/analyzer/storage"
)

// Added is a table a file became.
type Added struct {
	Table   storage.Table        `json:"table"`
	Version storage.TableVersion `json:"version"`
	Dataset *duck.Dataset        `json:"-"` // how an uploaded file was read
	Notice  string               `json:"notice,omitempty"`
}

// AddUpload ingests the uploaded file at src (consumed) as a new table of
// the session, named after filename.
func (s *Service) AddUpload(ctx context.Context, sess *storage.Session, src, filename string, opt duck.IngestOptions) (*Added, error) {
	unlock := s.lock(sess.ID)
	defer unlock()
	ts, err := s.ensurePrimary(ctx, sess)
	if err != nil {
		return nil, err
	}
	// The file is ingested as a dataset of its own, then moved under
	// the session; a crash in between leaves a directory without a
	// session, which the reconciler handles as any other.
	scratch := uuid.NewString()
	ds, err := s.engine.IngestWith(ctx, scratch, src, filename, opt)
	if err != nil {
		return nil, err
	}
	vid := storage.NewVersionID()
	v, err := s.engine.AdoptDataset(ctx, sess.ID, vid, scratch)
	if err != nil {
		if rerr := s.engine.Remove(context.WithoutCancel(ctx), scratch); rerr != nil {
			s.log.Error("remove an unadopted upload", "err", rerr)
		}
		return nil, err
	}
	a, err := s.addTable(ctx, sess, ts, v, filename, "Added "+filename)
	if err != nil {
		return nil, err
	}
	a.Dataset = ds
	return a, nil
}

// AddFrom adds the current data of another session of the same user
// (checked by the caller) as a new table, without copying it.
func (s *Service) AddFrom(ctx context.Context, sess, from *storage.Session) (*Added, error) {
	if from.ID == sess.ID {
		return nil, apperr.New(apperr.Invalid, "that file is already this analysis's")
	}
	if from.File == nil {
		return nil, apperr.New(apperr.NotFound, "that upload has no data")
	}
	ms, err := s.engine.CurrentMounts(ctx, from.ID)
	if err != nil {
		return nil, err
	}
	unlock := s.lock(sess.ID)
	defer unlock()
	ts, err := s.ensurePrimary(ctx, sess)
	if err != nil {
		return nil, err
	}
	vid := storage.NewVersionID()
	v, err := s.engine.LinkDataset(ctx, sess.ID, vid, from.ID, ms[0].Dir)
	if err != nil {
		return nil, err
	}
	return s.addTable(ctx, sess, ts, v, from.File.Filename, "Added "+from.File.Filename+" from an earlier upload")
}

func (s *Service) addTable(ctx context.Context, sess *storage.Session, ts []storage.Table, v *duck.Version, filename, desc string) (*Added, error) {
	discard := func() {
		if rerr := s.engine.RemoveDataset(sess.ID, v.Dir); rerr != nil {
			s.log.Error("remove an unsaved table's files", "session", sess.ID, "err", rerr)
		}
	}
	if err := s.fitsQuota(ctx, sess.UserID, v.DiskBytes); err != nil {
		discard()
		return nil, err
	}
	taken := make([]string, len(ts))
	for i, t := range ts {
		taken[i] = t.Name
	}
	t := &storage.Table{SessionID: sess.ID, Name: NameFor(filename, taken), Position: int64(len(ts)), SourceFilename: filename}
	tv := &storage.TableVersion{
		ID: idOf(v.Dir), Dir: v.Dir, Author: storage.AuthorUpload, Description: desc,
		RowCount: v.RowCount, ColumnCount: int64(len(v.Columns)), Columns: columnsJSON(v.Columns), DiskBytes: v.DiskBytes,
	}
	if err := s.saveFiles(ctx, sess.ID); err != nil {
		discard()
		return nil, err
	}
	if err := s.store.CreateTable(ctx, t, tv); err != nil {
		discard()
		return nil, err
	}
	s.log.Info("table added", "session", sess.ID, "table", t.Name, "rows", v.RowCount, "columns", len(v.Columns))
	return &Added{Table: *t, Version: *tv, Notice: s.enforceCap(ctx, sess.ID)}, nil
}

// idOf is the version id a version directory is named after.
func idOf(dir string) string {
	for i := len(dir) - 1; i >= 0; i-- {
		if dir[i] == '/' {
			return dir[i+1:]
		}
	}
	return dir
}

// RemoveTable deletes a table that was added to the session (the first
// one goes only with the session) with all its versions.
func (s *Service) RemoveTable(ctx context.Context, sess *storage.Session, name string) error {
	unlock := s.lock(sess.ID)
	defer unlock()
	ts, err := s.store.Tables(ctx, sess.ID)
	if err != nil {
		return err
	}
	t := findTable(ts, name)
	switch {
	case t == nil:
		return apperr.Newf(apperr.NotFound, "this analysis has no table named %q", name)
	case t.ID == ts[0].ID:
		return apperr.New(apperr.Invalid, "the first file of an analysis cannot be removed from it")
	}
	gone, err := s.store.RemoveTable(ctx, t.ID)
	if err != nil {
		return err
	}
	s.removeFiles(sess.ID, gone)
	return nil
}
