package server

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime/debug"
	"sync"
	"time"

	"github.com/gofiber/contrib/websocket"
	"github.com/gofiber/fiber/v2"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/apperr"
	"github.com/analyzerhq/analyzer/chat"
	"github.com/analyzerhq/analyzer/storage"
)

// WebSocket limits.
const (
	wsMaxMessage   = 64 << 10 // bytes of one client message
	wsMaxText      = 20000    // characters of one chat message
	wsPingInterval = 25 * time.Second
	wsPongWait     = 60 * time.Second
	wsWriteWait    = 10 * time.Second
	wsQueue        = 256 // events buffered for a slow client
)

const (
	localSession = "session"
	localClaims  = "claims"
)

// wsAuthorize checks the token, the session's owner and the Origin before
// the upgrade, so that refusals are plain HTTP answers (401, 403, 404).
func (s *Server) wsAuthorize(c *fiber.Ctx) error {
	raw := c.Query("token")
	if raw == "" {
		raw = bearer(c.Get(fiber.HeaderAuthorization))
	}
	if raw == "" {
		return apperr.New(apperr.Unauthorized, "not authenticated")
	}
	tc, err := s.tokens.parse(raw)
	if err != nil {
		return err
	}
	u, err := s.checkAccount(c.UserContext(), tc)
	if err != nil {
		return err
	}
	c.Locals(localUser, u)
	c.Locals(localClaims, tc)
	sess, err := s.ownedSession(c)
	if err != nil {
		return err
	}
	if !s.originAllowed(c) {
		return apperr.New(apperr.Forbidden, "cross-origin WebSocket refused")
	}
	if !websocket.IsWebSocketUpgrade(c) {
		return fiber.NewError(fiber.StatusUpgradeRequired, "this endpoint speaks WebSocket")
	}
	c.Locals(localSession, sess)
	return c.Next()
}

// sameOrigin admits requests without an Origin (non-browser clients) and
// those whose Origin is this server: the same scheme, host and port as the
// request as Fiber sees it (X-Forwarded-Proto and X-Forwarded-Host count
// only from TRUSTED_PROXIES when any are named). A page elsewhere, or a
// plain-http page of this host when the server is reached over https, must
// not drive a signed-in user's socket.
func sameOrigin(c *fiber.Ctx) bool {
	origin := c.Get(fiber.HeaderOrigin)
	if origin == "" {
		return true
	}
	return sameOriginString(origin, c.Protocol()+"://"+c.Hostname())
}

func (s *Server) wsHandler() fiber.Handler {
	return websocket.New(func(conn *websocket.Conn) {
		s.conns.Add(1)
		defer s.conns.Done()
		u, _ := conn.Locals(localUser).(*storage.User)
		sess, _ := conn.Locals(localSession).(*storage.Session)
		tc, ok := conn.Locals(localClaims).(tokenClaims)
		if u == nil || sess == nil || !ok {
			return
		}
		w := newWSConn(s, conn, u, sess)
		w.claims = tc
		w.requestID, _ = conn.Locals(localRequestID).(string)
		w.run()
	}, websocket.Config{
		ReadBufferSize:  4096,
		WriteBufferSize: 4096,
		RecoverHandler: func(conn *websocket.Conn) {
			if r := recover(); r != nil {
				s.log.Error("websocket panic", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			}
		},
	})
}

// wsConn is one client connection: a reader (this goroutine), one writer
// goroutine that owns every write, and at most one running turn.
type wsConn struct {
	s       *Server
	conn    *websocket.Conn
	user    *storage.User
	session *storage.Session
	// requestID is the upgrade request's id, for the logs.
	requestID string
	// claims are the token's, rechecked against the account (wsaccount.go).
	claims  tokenClaims
	closing closeFrame

	ctx    context.Context
	cancel context.CancelFunc
	out    chan []byte

	mu    sync.Mutex
	turn  *chat.Turn // the running one, nil between turns
	turns sync.WaitGroup

	idle wsIdle // see wsidle.go
}

func newWSConn(s *Server, conn *websocket.Conn, u *storage.User, sess *storage.Session) *wsConn {
	ctx, cancel := context.WithCancel(s.base)
	return &wsConn{s: s, conn: conn, user: u, session: sess, ctx: ctx, cancel: cancel, out: make(chan []byte, wsQueue)}
}

func (w *wsConn) run() {
	writerDone := make(chan struct{})
	go func() { defer close(writerDone); w.write() }()

	w.conn.SetReadLimit(wsMaxMessage)
	w.idle.touch()
	go w.watchIdle()
	go w.watchAccount()
	_ = w.conn.SetReadDeadline(time.Now().Add(wsPongWait))
	w.conn.SetPongHandler(func(string) error { return w.conn.SetReadDeadline(time.Now().Add(wsPongWait)) })
	for {
		_, raw, err := w.conn.ReadMessage()
		if err != nil {
			break // closed, timed out, or over the read limit
		}
		_ = w.conn.SetReadDeadline(time.Now().Add(wsPongWait))
		w.idle.touch()
		w.handle(raw)
	}
	// A disconnect stops the running turn; what it produced is saved.
	w.cancel()
	w.turns.Wait()
	<-writerDone
}

// handle validates one client message (wsmessage.go) and acts on it.
func (w *wsConn) handle(raw []byte) {
	if !w.accountValid() {
		return
	}
	cmd, err := decodeClientMessage(raw)
	if err != nil {
		w.s.log.Warn("chat message refused", "request_id", w.requestID, "session", w.session.ID,
			"user", w.user.ID, "reason", apperr.MessageOf(err))
		w.sendError(apperr.MessageOf(err))
		return
	}
	if cmd.Type == chat.CommandStop {
		w.mu.Lock()
		own := w.turn != nil
		if own {
			w.turn.Stop()
		}
		w.mu.Unlock()
		if !own {
			// The reply runs on another socket of the session: another
			// tab, here or on another instance (stops.go).
			w.s.stopSession(w.ctx, w.session.ID)
		}
		return
	}
	w.startTurn(cmd)
}

// startTurn applies the limits, lets the chat store the user's message,
// then runs the turn in its own goroutine so that a stop can arrive while
// it runs.
func (w *wsConn) startTurn(cmd chat.Command) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.turn != nil {
		w.sendError("a reply is still running: wait for it or stop it first")
		return
	}
	if w.s.draining.Load() {
		w.sendError("the server is restarting: send your message again in a moment")
		return
	}
	// The user's replies over all connections are bounded (limits.go).
	if err := w.s.guard.beginTurn(w.user.ID); err != nil {
		w.sendError(apperr.MessageOf(err))
		return
	}
	started := false
	defer func() {
		if !started {
			w.s.guard.endTurn(w.user.ID)
		}
	}()
	// A user over their storage quota gets no new reply: it would be kept.
	if err := w.s.checkQuota(w.ctx, w.user.ID); err != nil {
		w.sendError(apperr.MessageOf(err))
		return
	}
	turn, err := w.s.chats.Begin(w.ctx, w.session, cmd, w.send)
	if err != nil {
		if apperr.KindOf(err) == apperr.Internal {
			w.s.log.Error("turn not started", "request_id", w.requestID, "session", w.session.ID, "err", err)
		}
		w.sendError(apperr.MessageOf(err))
		return
	}
	w.turn = turn
	w.turns.Add(1)
	started = true
	w.s.running.add(w.session.ID, w)
	// The turn is over for the client when `done` leaves: it may send its
	// next message at once, so the turn is marked finished first, and the
	// user's place among running replies is given back. A turn stuck past
	// its limit ends for the client but keeps its place until it returns.
	released := sync.OnceFunc(func() { w.s.guard.endTurn(w.user.ID) })
	finished := sync.OnceFunc(func() {
		w.s.running.remove(w.session.ID, w)
		w.mu.Lock()
		w.turn = nil
		w.mu.Unlock()
		w.idle.touch()
	})
	turn.BeforeDone = func(stuck bool) {
		finished()
		if !stuck {
			released()
		}
	}
	go func() {
		defer w.turns.Done()
		defer released()
		defer finished()
		turn.Run()
	}()
}

// send queues an event for the writer; it gives up when the connection is
// gone rather than block a turn on a dead client.
func (w *wsConn) send(ev agent.Event) {
	b, err := json.Marshal(ev)
	if err != nil {
		w.s.log.Error("encode event", "event", ev.Event, "err", err)
		b, _ = json.Marshal(agent.ErrorEvent("internal error"))
	}
	select {
	case w.out <- b:
	case <-w.ctx.Done():
	}
}

func (w *wsConn) sendError(msg string) { w.send(agent.ErrorEvent(msg)) }

// write is the only goroutine that writes to the socket.
func (w *wsConn) write() {
	ping := time.NewTicker(wsPingInterval)
	defer ping.Stop()
	for {
		select {
		case b := <-w.out:
			_ = w.conn.SetWriteDeadline(time.Now().Add(wsWriteWait))
			if err := w.conn.WriteMessage(websocket.TextMessage, b); err != nil {
				w.cancel()
				return
			}
		case <-ping.C:
			if err := w.conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(wsWriteWait)); err != nil {
				w.cancel()
				return
			}
		case <-w.ctx.Done():
			// Flush what is queued (a turn's last events), then say goodbye.
			for {
				select {
				case b := <-w.out:
					_ = w.conn.SetWriteDeadline(time.Now().Add(wsWriteWait))
					if w.conn.WriteMessage(websocket.TextMessage, b) != nil {
						return
					}
					continue
				default:
				}
				break
			}
			frame := w.closing.get()
			if frame == nil {
				frame = w.idle.closeMessage()
			}
			_ = w.conn.WriteControl(websocket.CloseMessage, frame, time.Now().Add(time.Second))
			w.conn.Close()
			return
		}
	}
}
