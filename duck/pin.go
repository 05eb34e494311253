package duck

import (
	"os"
	"sync"
)

// pinnedFile is a session's data.parquet as the sandbox's instances see it:
// on Linux an open descriptor reached as /proc/self/fd/N (see
// openPinned), elsewhere the file's own path. The descriptor stays open
// while the sandbox or any instance opened on it lives, so its number
// cannot be reused for another session's file while an instance that may
// read it exists.
type pinnedFile struct {
	path string // what DuckDB is told to read
	view string // the table's name in the sandbox

	mu   sync.Mutex
	f    *os.File // nil when the path is the file's own
	refs int
}

// hold counts one more user in; false once the file is closed.
func (p *pinnedFile) hold() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.refs == 0 {
		return false
	}
	p.refs++
	return true
}

// drop counts one user out and closes the descriptor after the last.
func (p *pinnedFile) drop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.refs == 0 {
		return
	}
	p.refs--
	if p.refs == 0 && p.f != nil {
		p.f.Close()
		p.f = nil
	}
}

// pinnedSet is the files of one sandbox, one per table.
type pinnedSet []*pinnedFile

// holdAll counts one more user in on every file, or on none.
func (s pinnedSet) holdAll() bool {
	for i, f := range s {
		if !f.hold() {
			for _, g := range s[:i] {
				g.drop()
			}
			return false
		}
	}
	return true
}

func (s pinnedSet) dropAll() {
	for _, f := range s {
		f.drop()
	}
}
