package server

import (
	"sync/atomic"
	"time"

	"github.com/gofiber/contrib/websocket"
)

// wsCloseIdle is the close code of a socket closed for idleness, so that a
// client can tell it from a failure and reconnect only when its user acts.
const wsCloseIdle = 4000

// wsIdle tracks a socket's last activity: a client message or the end of
// a reply.
type wsIdle struct {
	last   atomic.Int64 // unix nanoseconds
	closed atomic.Bool  // closed for idleness
}

func (i *wsIdle) touch() { i.last.Store(time.Now().UnixNano()) }

func (i *wsIdle) since() time.Duration { return time.Since(time.Unix(0, i.last.Load())) }

// closeMessage is the close frame the writer sends when it shuts down.
func (i *wsIdle) closeMessage() []byte {
	if i.closed.Load() {
		return websocket.FormatCloseMessage(wsCloseIdle, "idle")
	}
	return websocket.FormatCloseMessage(websocket.CloseNormalClosure, "")
}

// watchIdle closes the socket once the client has sent nothing for
// WSIdleTimeout and no reply runs.
func (w *wsConn) watchIdle() {
	limit := w.s.guard.limits.WSIdleTimeout
	if limit <= 0 {
		return
	}
	tick := min(max(limit/4, 10*time.Millisecond), 30*time.Second)
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-w.ctx.Done():
			return
		case <-t.C:
		}
		if w.idle.since() < limit {
			continue
		}
		w.mu.Lock()
		running := w.turn != nil
		w.mu.Unlock()
		if !running {
			w.idle.closed.Store(true)
			w.cancel()
			return
		}
	}
}
