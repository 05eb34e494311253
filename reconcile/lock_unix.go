//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package reconcile

import (
	"errors"
	"fmt"
	"os"
	"syscall"

	"github.com/analyzerhq/analyzer/datadir"
)

// Lock takes DATA_DIR/.lock for as long as release is not called (or the
// process lives: the kernel drops the lock of a killed process). exclusive
// is false when another process holds it; the caller then runs without
// the lock, and reconciliation touches only stale leftovers.
func Lock(dataDir string) (release func() error, exclusive bool, err error) {
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return nil, false, fmt.Errorf("create the data directory: %w", err)
	}
	f, err := os.OpenFile(datadir.LockFile(dataDir), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, false, fmt.Errorf("open the data directory's lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return func() error { return nil }, false, nil
		}
		return nil, false, fmt.Errorf("lock the data directory: %w", err)
	}
	return f.Close, true, nil
}
