package filestore

import (
	"context"
	"fmt"
	"os"

	"github.com/google/uuid"
)

// Local is the data folder as the store: the engine's directories are
// the stored files, so there is nothing to copy.
type Local struct {
	Dir string
}

// Kind implements Store.
func (Local) Kind() string { return "local" }

// Save implements Store: the files are already in place.
func (Local) Save(context.Context, string) error { return nil }

// Fetch implements Store: the files are already in place.
func (Local) Fetch(context.Context, string) error { return nil }

// Refresh does nothing either.
func (Local) Refresh(context.Context, string) error { return nil }

// Remove implements Store: the engine's removal of the directory is the
// store's.
func (Local) Remove(context.Context, string) error { return nil }

// Sessions implements Store: the session directories of the folder.
func (l Local) Sessions(context.Context) ([]Stored, error) {
	entries, err := os.ReadDir(l.Dir)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, nil
		}
		return nil, err
	}
	var out []Stored
	for _, e := range entries {
		if e.IsDir() && isSessionID(e.Name()) {
			s := Stored{ID: e.Name()}
			if info, err := e.Info(); err == nil {
				s.Modified = info.ModTime()
			}
			out = append(out, s)
		}
	}
	return out, nil
}

// Ping implements Store: the folder is there and is a directory.
func (l Local) Ping(context.Context) error {
	st, err := os.Stat(l.Dir)
	if err != nil {
		return fmt.Errorf("data folder: %w", err)
	}
	if !st.IsDir() {
		return fmt.Errorf("data folder %s is not a directory", l.Dir)
	}
	return nil
}

// isSessionID accepts canonical lower-case UUIDs only.
func isSessionID(s string) bool {
	u, err := uuid.Parse(s)
	return err == nil && u.String() == s
}
