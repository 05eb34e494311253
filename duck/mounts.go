package duck

import (
	"context"
	"path/filepath"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/analyzerhq/analyzer/apperr"
)

// Mount is one table of a session as its sandbox sees it: a view named
// Name over the Parquet file of one dataset directory. Dir is "" for the
// session's own directory (the first upload, as it was ingested) or
// VersionDir(id) for a version written later (another file, a change).
type Mount struct {
	Name string `json:"name"`
	Dir  string `json:"dir"`
}

// PrimaryView is the name the first table of every session also has.
const PrimaryView = "data"

// versionsDir holds a session's later dataset directories.
const versionsDir = "v"

// VersionDir is the directory, relative to the session's, of the dataset
// version id.
func VersionDir(id string) string { return versionsDir + "/" + id }

// Catalog tells the engine which tables a session has, first the primary
// one (also mounted as `data`). A session it knows nothing of (nil, nil)
// has one table: `data` over its own directory.
type Catalog interface {
	Mounts(ctx context.Context, sessionID string) ([]Mount, error)
}

// SetCatalog installs the catalog; until then every session has its one
// dataset. It is set once, before the engine serves.
func (e *Engine) SetCatalog(c Catalog) { e.catalog = c }

// mounts returns the session's tables, checked: every directory is the
// session's own or one of its versions, every name is unique.
func (e *Engine) mounts(ctx context.Context, sessionID string) ([]Mount, error) {
	var ms []Mount
	if e.catalog != nil {
		var err error
		if ms, err = e.catalog.Mounts(ctx, sessionID); err != nil {
			return nil, err
		}
	}
	if len(ms) == 0 {
		return []Mount{{Name: PrimaryView}}, nil
	}
	seen := map[string]bool{}
	for _, m := range ms {
		if _, err := checkDir(m.Dir); err != nil {
			return nil, err
		}
		key := strings.ToLower(m.Name)
		if m.Name == "" || seen[key] {
			return nil, apperr.Newf(apperr.Internal, "table name %q is empty or not unique", m.Name)
		}
		seen[key] = true
	}
	return ms, nil
}

// checkDir validates a mount's directory: "" or v/<canonical uuid>, so
// that no stored value can name a path outside the session.
func checkDir(dir string) (string, error) {
	if dir == "" {
		return "", nil
	}
	id, ok := strings.CutPrefix(dir, versionsDir+"/")
	if u, err := uuid.Parse(id); !ok || err != nil || u.String() != id {
		return "", apperr.Newf(apperr.Internal, "invalid dataset directory %q", dir)
	}
	return filepath.FromSlash(dir), nil
}

// datasetDir is the absolute directory of one of a session's datasets.
func (e *Engine) datasetDir(sessionID, dir string) (string, error) {
	sd, err := e.sessionDir(sessionID)
	if err != nil {
		return "", err
	}
	rel, err := checkDir(dir)
	if err != nil {
		return "", err
	}
	return filepath.Join(sd, rel), nil
}

// primaryDir is the directory of the session's current primary table,
// the one Profile, Values and Preview describe.
func (e *Engine) primaryDir(ctx context.Context, sessionID string) (string, error) {
	ms, err := e.mounts(ctx, sessionID)
	if err != nil {
		return "", err
	}
	return e.datasetDir(sessionID, ms[0].Dir)
}

// sameMounts reports whether a sandbox was opened on exactly these tables.
func sameMounts(a, b []Mount) bool { return slices.Equal(a, b) }

// CurrentMounts returns the session's tables as its sandbox reads them
// now, first the primary one.
func (e *Engine) CurrentMounts(ctx context.Context, sessionID string) ([]Mount, error) {
	if _, err := e.sessionDir(sessionID); err != nil {
		return nil, err
	}
	return e.mounts(ctx, sessionID)
}
