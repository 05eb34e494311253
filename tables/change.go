package tables

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/apperr"
	"github.com/analyzerhq/analyzer/storage"
)

// tableName is what a change may name a table it creates.
var tableName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,62}$`)

// Change applies c to the session's data: c.SQL runs in the sandbox and
// its result becomes the new current version of c.Table (created when
// the session has no table of that name). Versions that had been undone
// on that table can no longer be redone; past the session's cap the
// oldest versions no table reads are dropped (Changed.Notice says which).
func (s *Service) Change(ctx context.Context, sessionID string, c agent.Change) (*agent.Changed, error) {
	sess, err := s.session(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	unlock := s.lock(sessionID)
	defer unlock()
	ts, err := s.ensurePrimary(ctx, sess)
	if err != nil {
		return nil, err
	}
	t := findTable(ts, c.Table)
	if t != nil && c.MustCreate {
		return nil, apperr.Newf(apperr.Conflict, "table %s already exists: CREATE OR REPLACE TABLE makes a new version of it", t.Name)
	}
	if t == nil && !tableName.MatchString(c.Table) {
		return nil, apperr.Newf(apperr.Invalid, "%q is not a table of this analysis nor a name a new one can have (letters, digits and _)", c.Table)
	}
	desc := strings.TrimSpace(c.Description)
	if desc == "" {
		desc = "Changed " + c.Table
	}
	if len(desc) > 300 {
		desc = desc[:300] + "…"
	}
	vid := storage.NewVersionID()
	v, err := s.engine.Transform(ctx, sessionID, vid, c.SQL)
	if err != nil {
		return nil, err
	}
	discard := func() {
		if rerr := s.engine.RemoveDataset(sessionID, v.Dir); rerr != nil {
			s.log.Error("remove an unsaved version", "session", sessionID, "err", rerr)
		}
	}
	if err := s.fitsQuota(ctx, sess.UserID, v.DiskBytes); err != nil {
		discard()
		return nil, err
	}
	tv := &storage.TableVersion{
		ID: vid, Dir: v.Dir, Author: string(c.Author), AuthorDetail: c.AuthorDetail,
		Description: desc, SQLText: strings.TrimSpace(c.SQL),
		RowCount: v.RowCount, ColumnCount: int64(len(v.Columns)), Columns: columnsJSON(v.Columns), DiskBytes: v.DiskBytes,
	}
	if err := s.saveFiles(ctx, sessionID); err != nil {
		discard()
		return nil, err
	}
	out := &agent.Changed{VersionID: vid, Description: desc, RowCount: v.RowCount, ColumnCount: int64(len(v.Columns))}
	if t == nil {
		nt := &storage.Table{SessionID: sessionID, Name: c.Table, Position: int64(len(ts)), SourceFilename: ""}
		if err := s.store.CreateTable(ctx, nt, tv); err != nil {
			discard()
			return nil, err
		}
		out.Table, out.Version, out.Created = nt.Name, 1, true
	} else {
		prev, err := s.currentVersion(ctx, sessionID, t)
		if err != nil {
			discard()
			return nil, err
		}
		dropped, err := s.store.AddVersion(ctx, t.ID, t.CurrentSeq, tv)
		if err != nil {
			discard()
			return nil, err
		}
		s.removeFiles(sessionID, dropped)
		out.Table, out.Version = t.Name, tv.Seq
		out.PrevRowCount, out.PrevColumnCount = prev.RowCount, prev.ColumnCount
	}
	out.Notice = s.enforceCap(ctx, sessionID)
	s.log.Info("table changed", "session", sessionID, "table", out.Table, "version", out.Version,
		"author", c.Author, "rows", out.RowCount, "columns", out.ColumnCount)
	return out, nil
}

// currentVersion returns the version table t reads now.
func (s *Service) currentVersion(ctx context.Context, sessionID string, t *storage.Table) (*storage.TableVersion, error) {
	vs, err := s.store.Versions(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	for i := range vs {
		if vs[i].TableID == t.ID && vs[i].Seq == t.CurrentSeq {
			return &vs[i], nil
		}
	}
	return nil, apperr.Newf(apperr.Internal, "table %s has no current version", t.Name)
}

// Move is an undo, a redo or a pick of one version: which table moved,
// from which version to which.
type Move struct {
	Table string `json:"table"`
	From  int64  `json:"from"`
	To    int64  `json:"to"`
}

// Undo makes the version before the current one current again: of the
// named table, or (name empty) of the table changed last.
func (s *Service) Undo(ctx context.Context, sess *storage.Session, name string) (*Move, error) {
	return s.step(ctx, sess, name, -1)
}

// Redo makes current again the version an undo left: of the named table,
// or (name empty) of the table undone longest ago.
func (s *Service) Redo(ctx context.Context, sess *storage.Session, name string) (*Move, error) {
	return s.step(ctx, sess, name, +1)
}

func (s *Service) step(ctx context.Context, sess *storage.Session, name string, dir int) (*Move, error) {
	unlock := s.lock(sess.ID)
	defer unlock()
	ts, err := s.store.Tables(ctx, sess.ID)
	if err != nil {
		return nil, err
	}
	vs, err := s.store.Versions(ctx, sess.ID)
	if err != nil {
		return nil, err
	}
	h := newHistory(ts, vs)
	var t *storage.Table
	var to int64
	if name != "" {
		if t = findTable(ts, name); t == nil {
			return nil, apperr.Newf(apperr.NotFound, "this analysis has no table named %q", name)
		}
		to = h.neighbour(t, dir)
	} else {
		t, to = h.next(dir)
	}
	if t == nil || to == 0 {
		if dir < 0 {
			return nil, apperr.New(apperr.Conflict, "there is no change to undo")
		}
		return nil, apperr.New(apperr.Conflict, "there is no change to redo")
	}
	if err := s.store.SetCurrent(ctx, t.ID, t.CurrentSeq, to); err != nil {
		return nil, err
	}
	return &Move{Table: t.Name, From: t.CurrentSeq, To: to}, nil
}

// Pick makes version id current for its table.
func (s *Service) Pick(ctx context.Context, sess *storage.Session, id string) (*Move, error) {
	unlock := s.lock(sess.ID)
	defer unlock()
	ts, err := s.store.Tables(ctx, sess.ID)
	if err != nil {
		return nil, err
	}
	vs, err := s.store.Versions(ctx, sess.ID)
	if err != nil {
		return nil, err
	}
	for _, v := range vs {
		if v.ID != id {
			continue
		}
		for _, t := range ts {
			if t.ID == v.TableID {
				if t.CurrentSeq == v.Seq {
					return &Move{Table: t.Name, From: v.Seq, To: v.Seq}, nil
				}
				if err := s.store.SetCurrent(ctx, t.ID, t.CurrentSeq, v.Seq); err != nil {
					return nil, err
				}
				return &Move{Table: t.Name, From: t.CurrentSeq, To: v.Seq}, nil
			}
		}
	}
	return nil, apperr.New(apperr.NotFound, "version not found")
}

// history is a session's versions by table, for undo and redo.
type history struct {
	tables []storage.Table
	byKey  map[string]storage.TableVersion // table id/seq
	seqs   map[string][]int64              // table id → seqs, ascending
}

func newHistory(ts []storage.Table, vs []storage.TableVersion) *history {
	h := &history{tables: ts, byKey: map[string]storage.TableVersion{}, seqs: map[string][]int64{}}
	for _, v := range vs {
		h.byKey[key(v.TableID, v.Seq)] = v
		h.seqs[v.TableID] = append(h.seqs[v.TableID], v.Seq)
	}
	for id := range h.seqs {
		seqs := h.seqs[id]
		for i := 1; i < len(seqs); i++ { // few: insertion sort
			for j := i; j > 0 && seqs[j] < seqs[j-1]; j-- {
				seqs[j], seqs[j-1] = seqs[j-1], seqs[j]
			}
		}
	}
	return h
}

func key(tableID string, seq int64) string { return fmt.Sprintf("%s/%d", tableID, seq) }

// neighbour is the kept version before (dir < 0) or after the current
// one of t, 0 when there is none.
func (h *history) neighbour(t *storage.Table, dir int) int64 {
	var out int64
	for _, q := range h.seqs[t.ID] {
		switch {
		case dir < 0 && q < t.CurrentSeq:
			out = q
		case dir > 0 && q > t.CurrentSeq && out == 0:
			out = q
		}
	}
	return out
}

// next picks the session-wide undo (the table whose current version is
// the newest change) or redo (the table whose next version is the oldest
// one undone).
func (h *history) next(dir int) (*storage.Table, int64) {
	var best *storage.Table
	var bestTo int64
	var bestAt storage.TableVersion
	for i := range h.tables {
		t := &h.tables[i]
		to := h.neighbour(t, dir)
		if to == 0 {
			continue
		}
		ref := h.byKey[key(t.ID, t.CurrentSeq)] // undo: the change being undone
		if dir > 0 {
			ref = h.byKey[key(t.ID, to)] // redo: the change being redone
		}
		better := best == nil ||
			(dir < 0 && ref.CreatedAt.After(bestAt.CreatedAt)) ||
			(dir > 0 && ref.CreatedAt.Before(bestAt.CreatedAt))
		if better {
			best, bestTo, bestAt = t, to, ref
		}
	}
	return best, bestTo
}

// enforceCap drops the oldest versions no table reads while the session
// holds more than MaxVersions, never a session's first upload, and says
// which it dropped ("" when none).
func (s *Service) enforceCap(ctx context.Context, sessionID string) string {
	vs, err := s.store.Versions(ctx, sessionID)
	if err != nil || len(vs) <= s.opts.MaxVersions {
		return ""
	}
	ts, err := s.store.Tables(ctx, sessionID)
	if err != nil {
		return ""
	}
	current := map[string]bool{}
	names := map[string]string{}
	for _, t := range ts {
		current[key(t.ID, t.CurrentSeq)] = true
		names[t.ID] = t.Name
	}
	excess := len(vs) - s.opts.MaxVersions
	var ids []string
	for _, v := range vs { // oldest first
		if excess == 0 {
			break
		}
		if v.Dir == "" || current[key(v.TableID, v.Seq)] {
			continue
		}
		ids = append(ids, v.ID)
		excess--
	}
	gone, err := s.store.DeleteVersions(ctx, ids)
	if err != nil {
		s.log.Error("drop versions over the cap", "session", sessionID, "err", err)
		return ""
	}
	s.removeFiles(sessionID, gone)
	if len(gone) == 0 {
		return ""
	}
	var what []string
	for _, g := range gone {
		what = append(what, fmt.Sprintf("version %d of %s (%s)", g.Seq, names[g.TableID], g.Description))
	}
	return fmt.Sprintf("An analysis keeps at most %d versions: dropped the oldest, %s.", s.opts.MaxVersions, strings.Join(what, "; "))
}

// removeFiles deletes the directories of versions whose rows are gone.
func (s *Service) removeFiles(sessionID string, vs []storage.TableVersion) {
	for _, v := range vs {
		if v.Dir == "" {
			continue
		}
		if err := s.engine.RemoveDataset(sessionID, v.Dir); err != nil {
			s.log.Error("remove a version's files", "session", sessionID, "version", v.ID, "err", err)
		}
	}
	if len(vs) > 0 {
		if err := s.saveFiles(context.Background(), sessionID); err != nil {
			s.log.Error("store a session after removing versions", "session", sessionID, "err", err)
		}
	}
}
