//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package reconcile

// Lock is not available here: reconciliation then touches only leftovers
// older than Options.StaleAfter.
func Lock(dataDir string) (release func() error, exclusive bool, err error) {
	return func() error { return nil }, false, nil
}
