package server

import (
	"context"
	"sync"
	"time"
)

// A stop sent on any socket of a session reaches the reply running for
// it: on this instance through running, on the others through the
// database (PostgreSQL's LISTEN/NOTIFY on stopChannel; nothing to do on
// SQLite, where this process is the only one).

// stopChannel carries the id of a session whose running reply must stop.
const stopChannel = "analyzer_stop"

// runningTurns is the sockets of this instance with a reply running, by
// session.
type runningTurns struct {
	mu sync.Mutex
	m  map[string]map[*wsConn]struct{}
}

func (r *runningTurns) add(sessionID string, w *wsConn) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.m == nil {
		r.m = map[string]map[*wsConn]struct{}{}
	}
	if r.m[sessionID] == nil {
		r.m[sessionID] = map[*wsConn]struct{}{}
	}
	r.m[sessionID][w] = struct{}{}
}

func (r *runningTurns) remove(sessionID string, w *wsConn) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.m[sessionID], w)
	if len(r.m[sessionID]) == 0 {
		delete(r.m, sessionID)
	}
}

// stop stops the replies running here for the session and reports
// whether there was one.
func (r *runningTurns) stop(sessionID string) bool {
	r.mu.Lock()
	conns := make([]*wsConn, 0, len(r.m[sessionID]))
	for w := range r.m[sessionID] {
		conns = append(conns, w)
	}
	r.mu.Unlock()
	for _, w := range conns {
		w.mu.Lock()
		if w.turn != nil {
			w.turn.Stop()
		}
		w.mu.Unlock()
	}
	return len(conns) > 0
}

// drainTurns waits until no reply runs here, or ctx ends.
func (s *Server) drainTurns(ctx context.Context) {
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		s.running.mu.Lock()
		n := len(s.running.m)
		s.running.mu.Unlock()
		if n == 0 {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// stopSession stops the session's reply wherever it runs.
func (s *Server) stopSession(ctx context.Context, sessionID string) {
	if s.running.stop(sessionID) {
		return
	}
	if err := s.store.Notify(ctx, stopChannel, sessionID); err != nil {
		s.log.Error("send a stop to the other instances", "session", sessionID, "err", err)
	}
}

// listenForStops stops the replies the other instances are asked to
// stop, until the server shuts down.
func (s *Server) listenForStops() {
	if !s.store.Postgres() {
		return
	}
	go func() {
		_ = s.store.Listen(s.base, stopChannel, func(sessionID string) { s.running.stop(sessionID) })
	}()
}
