//go:build linux

package duck

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"strconv"
)

// pinnedPaths is true where the sandbox reads the data through a
// descriptor and DATA_DIR appears in no setting, view or file name.
const pinnedPaths = true

// openPinned opens path so that DuckDB can read it as /proc/self/fd/N
// without any name of it containing its directory.
//
// DuckDB canonicalises allowed_paths (and every path it checks) with
// realpath, so /proc/self/fd/N would show as DATA_DIR/.../data.parquet
// in current_setting('allowed_paths'). The descriptor is therefore opened
// through a hard link that is removed right away: its target then reads
// "... (deleted)", realpath fails on it, and DuckDB keeps the path as
// /proc/{pid}/fd/N, both in the setting and when checking a read. The
// data stays in data.parquet (the link only shared its inode).
func openPinned(path string) (*pinnedFile, error) {
	var r [8]byte
	_, _ = rand.Read(r[:])
	link := filepath.Join(filepath.Dir(path), ".open-"+hex.EncodeToString(r[:]))
	if err := os.Link(path, link); err != nil {
		// A file system without hard links (some network and FUSE
		// mounts): the file is named by its own path, as on other
		// systems, and output scrubbing is the defence left.
		if _, serr := os.Stat(path); serr != nil {
			return nil, serr
		}
		return &pinnedFile{path: path, refs: 1}, nil
	}
	f, err := os.Open(link)
	os.Remove(link)
	if err != nil {
		return nil, err
	}
	return &pinnedFile{path: "/proc/self/fd/" + strconv.Itoa(int(f.Fd())), f: f, refs: 1}, nil
}
