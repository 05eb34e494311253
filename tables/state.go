package tables

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/analyzerhq/analyzer/apperr"
	"github.com/analyzerhq/analyzer/duck"
	"github.com/analyzerhq/analyzer/storage"
)

// State is a session's tables and their history, as the UI shows them.
type State struct {
	Tables   []TableState   `json:"tables"`
	Versions []VersionState `json:"versions"` // every kept version, oldest first
	CanUndo  bool           `json:"can_undo"`
	CanRedo  bool           `json:"can_redo"`
	// ChangedAt is when a table last read another version (a change,
	// an undo, a redo): answers older than it were computed on other data.
	ChangedAt   *time.Time `json:"changed_at,omitempty"`
	MaxVersions int        `json:"max_versions"`
}

// TableState is one table with its current version's counts.
type TableState struct {
	Name             string   `json:"name"`
	SourceFilename   string   `json:"source_filename"`
	Primary          bool     `json:"primary"` // also the view `data`
	CurrentVersion   int64    `json:"current_version"`
	CurrentVersionID string   `json:"current_version_id"`
	RowCount         int64    `json:"row_count"`
	ColumnCount      int64    `json:"column_count"`
	Columns          []string `json:"columns"`
	Versions         int      `json:"versions"`
	CanUndo          bool     `json:"can_undo"`
	CanRedo          bool     `json:"can_redo"`
}

// VersionState is a version with its table's name.
type VersionState struct {
	storage.TableVersion
	Table   string `json:"table"`
	Current bool   `json:"current"`
}

// State describes the session's tables and history.
func (s *Service) State(ctx context.Context, sess *storage.Session) (*State, error) {
	ts, err := s.ensurePrimary(ctx, sess)
	if err != nil {
		return nil, err
	}
	vs, err := s.store.Versions(ctx, sess.ID)
	if err != nil {
		return nil, err
	}
	h := newHistory(ts, vs)
	st := &State{Tables: []TableState{}, Versions: []VersionState{}, MaxVersions: s.opts.MaxVersions}
	names := map[string]string{}
	for i, t := range ts {
		names[t.ID] = t.Name
		cur := h.byKey[key(t.ID, t.CurrentSeq)]
		cols := versionColumns(&cur)
		if cols == nil {
			cols = []string{}
		}
		ta := TableState{
			Name: t.Name, SourceFilename: t.SourceFilename, Primary: i == 0,
			CurrentVersion: t.CurrentSeq, CurrentVersionID: cur.ID,
			RowCount: cur.RowCount, ColumnCount: cur.ColumnCount, Columns: cols,
			Versions: len(h.seqs[t.ID]),
			CanUndo:  h.neighbour(&ts[i], -1) != 0, CanRedo: h.neighbour(&ts[i], +1) != 0,
		}
		st.CanUndo = st.CanUndo || ta.CanUndo
		st.CanRedo = st.CanRedo || ta.CanRedo
		st.Tables = append(st.Tables, ta)
		if t.ChangedAt.After(t.CreatedAt) && (st.ChangedAt == nil || t.ChangedAt.After(*st.ChangedAt)) {
			at := t.ChangedAt
			st.ChangedAt = &at
		}
	}
	for _, v := range vs {
		cur := false
		for _, t := range ts {
			if t.ID == v.TableID && t.CurrentSeq == v.Seq {
				cur = true
			}
		}
		st.Versions = append(st.Versions, VersionState{TableVersion: v, Table: names[v.TableID], Current: cur})
	}
	return st, nil
}

// Preview returns the first rows of a table's current version (name) or
// of one version (versionID, when set).
func (s *Service) Preview(ctx context.Context, sess *storage.Session, name, versionID string, limit int) (*duck.Result, error) {
	dir, err := s.dirOf(ctx, sess, name, versionID)
	if err != nil {
		return nil, err
	}
	return s.engine.DatasetPreview(ctx, sess.ID, dir, limit)
}

// Profile returns the profile of a table's current version.
func (s *Service) Profile(ctx context.Context, sess *storage.Session, name string) (*duck.Profile, error) {
	dir, err := s.dirOf(ctx, sess, name, "")
	if err != nil {
		return nil, err
	}
	return s.engine.DatasetProfile(ctx, sess.ID, dir)
}

// Download returns the Parquet file of a version and a name to save it
// under: table name and version number.
func (s *Service) Download(ctx context.Context, sess *storage.Session, versionID string) (path, filename string, err error) {
	ts, err := s.ensurePrimary(ctx, sess)
	if err != nil {
		return "", "", err
	}
	vs, err := s.store.Versions(ctx, sess.ID)
	if err != nil {
		return "", "", err
	}
	for _, v := range vs {
		if v.ID != versionID {
			continue
		}
		for _, t := range ts {
			if t.ID == v.TableID {
				path, err := s.engine.DatasetFile(sess.ID, v.Dir)
				return path, t.Name + "-v" + itoa(v.Seq) + ".parquet", err
			}
		}
	}
	return "", "", apperr.New(apperr.NotFound, "version not found")
}

func (s *Service) dirOf(ctx context.Context, sess *storage.Session, name, versionID string) (string, error) {
	if versionID != "" {
		vs, err := s.store.Versions(ctx, sess.ID)
		if err != nil {
			return "", err
		}
		for _, v := range vs {
			if v.ID == versionID {
				return v.Dir, nil
			}
		}
		return "", apperr.New(apperr.NotFound, "version not found")
	}
	ms, err := s.engine.CurrentMounts(ctx, sess.ID)
	if err != nil {
		return "", err
	}
	if strings.EqualFold(name, duck.PrimaryView) || name == "" {
		return ms[0].Dir, nil
	}
	for _, m := range ms {
		if strings.EqualFold(m.Name, name) {
			return m.Dir, nil
		}
	}
	return "", apperr.Newf(apperr.NotFound, "this analysis has no table named %q", name)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
