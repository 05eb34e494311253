//go:build !linux

package duck

const pinnedPaths = false

// openPinned names the file by its own path: without /proc there is no
// name for an open file that DuckDB can read. DATA_DIR then shows in
// settings and the view, and output scrubbing is the only defence.
func openPinned(path string) (*pinnedFile, error) {
	return &pinnedFile{path: path, refs: 1}, nil
}
