//go:build !linux

package pgtest

import "errors"

// server is not started on this system: set TEST_DATABASE_URL.
type server struct{ port int }

func start() (*server, error) {
	return nil, errors.New("a throwaway server is started on Linux only")
}

func (s *server) stop() {}
