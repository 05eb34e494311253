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
