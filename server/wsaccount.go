package server

import (
	"sync/atomic"
	"time"

	"github.com/gofiber/contrib/websocket"

	"github.com/analyzerhq/analyzer/apperr"
)

// wsCloseSignedOut is the close code of a socket whose account was deleted
// or whose token no longer holds (the password was changed): the client
// should sign in again rather than reconnect.
const (
	wsCloseSignedOut       = 4001
	wsCloseSignedOutReason = "signed out"
)

// closeFrame is the close frame a socket's writer sends when it shuts
// down for a reason of the server's (nil: idle or normal, see wsIdle).
type closeFrame struct{ p atomic.Pointer[[]byte] }

func (f *closeFrame) set(code int, reason string) {
	b := websocket.FormatCloseMessage(code, reason)
	f.p.CompareAndSwap(nil, &b)
}

func (f *closeFrame) get() []byte {
	if b := f.p.Load(); b != nil {
		return *b
	}
	return nil
}

// accountValid rechecks the account behind the socket's token; when it was deleted or its
// token version changed, the socket is closed with wsCloseSignedOut and
// its running reply stopped. A database failure keeps the socket: the
// next check decides.
func (w *wsConn) accountValid() bool {
	_, err := w.s.checkAccount(w.ctx, w.claims)
	if apperr.KindOf(err) != apperr.Unauthorized {
		return true
	}
	if w.closing.get() == nil {
		w.s.log.Info("chat closed: signed out", "request_id", w.requestID, "session", w.session.ID,
			"user", w.user.ID, "reason", apperr.MessageOf(err))
	}
	w.closing.set(wsCloseSignedOut, wsCloseSignedOutReason)
	w.cancel() // stops the turn; the writer sends the close frame
	return false
}

// watchAccount rechecks the account every WSAccountCheck while the socket
// is open: an account deleted or signed out from another process (the
// CLI) loses its sockets within that time.
func (w *wsConn) watchAccount() {
	t := time.NewTicker(w.s.guard.limits.WSAccountCheck)
	defer t.Stop()
	for {
		select {
		case <-w.ctx.Done():
			return
		case <-t.C:
			if !w.accountValid() {
				return
			}
		}
	}
}
