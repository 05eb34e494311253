package server

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime/debug"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/gofiber/contrib/websocket"
	"github.com/gofiber/fiber/v2"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/apperr"
	"github.com/analyzerhq/analyzer/duck"
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
	tc, err := s.tokenClaims(raw)
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

	mu         sync.Mutex
	turnCancel context.CancelFunc
	turns      sync.WaitGroup

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
	msg, err := decodeClientMessage(raw)
	if err != nil {
		w.s.log.Warn("chat message refused", "request_id", w.requestID, "session", w.session.ID,
			"user", w.user.ID, "reason", apperr.MessageOf(err))
		w.sendError(apperr.MessageOf(err))
		return
	}
	if msg.Kind == kindStop {
		w.mu.Lock()
		if w.turnCancel != nil {
			w.turnCancel()
		}
		w.mu.Unlock()
		return
	}
	w.startTurn(msg.Kind, msg.Text)
}

// startTurn stores the user's message, then runs the turn in its own
// goroutine so that a stop can arrive while it runs. The whole turn, from
// loading the history to storing its last record, runs under TurnTimeout
// (wsturn.go).
func (w *wsConn) startTurn(kind, text string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.turnCancel != nil {
		w.sendError("a reply is still running: wait for it or stop it first")
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
	limit := w.s.guard.limits.TurnTimeout
	timed, cancelTimer := context.WithTimeoutCause(w.ctx, limit, errTurnTimeout)
	turnCtx, cancel := context.WithCancel(timed)
	stopAll := func() { cancel(); cancelTimer() }
	history, err := w.s.store.ListMessages(turnCtx, w.session.ID)
	if err != nil {
		stopAll()
		w.sendError(apperr.MessageOf(err))
		return
	}
	user := &storage.Message{SessionID: w.session.ID, Role: agent.RoleUser, Type: agent.TypeText, Text: text}
	if kind == agent.KindAutoAnalyze {
		user.Text = "Auto-analyze"
		user.Data = storage.JSON(`{"kind":"auto_analyze"}`)
	}
	if err := w.s.store.AddMessage(turnCtx, user); err != nil {
		stopAll()
		w.sendError(apperr.MessageOf(err))
		return
	}

	w.turnCancel = cancel
	w.turns.Add(1)
	started = true
	sink := &wsSink{w: w, ctx: turnCtx, limit: limit}
	// The turn is over for the client when `done` leaves: it may send its
	// next message at once, so the turn is marked finished first, and the
	// user's place among running replies is given back.
	released := sync.OnceFunc(func() { w.s.guard.endTurn(w.user.ID) })
	finished := sync.OnceFunc(func() {
		w.mu.Lock()
		w.turnCancel = nil
		w.mu.Unlock()
		w.idle.touch()
	})
	sink.beforeDone = func() { finished(); released() }
	go func() {
		defer w.turns.Done()
		defer stopAll()
		defer released()
		defer finished()
		defer sink.finish()
		// A turn stuck past its limit in something that does not heed
		// cancellation still ends for the client; it keeps its place among
		// the user's replies until it really returns.
		go sink.watch(time.Now().Add(limit+turnGrace(limit)), finished)
		req := agent.Request{
			Kind:       kind,
			Text:       text,
			Dataset:    w.dataset(turnCtx),
			History:    toRecords(history),
			NeedsTitle: len(history) == 0,
		}
		w.s.agent.Turn(turnCtx, req, sink)
	}()
}

// dataset describes the session's data for the agent.
func (w *wsConn) dataset(ctx context.Context) agent.Dataset {
	ds := agent.Dataset{SessionID: w.session.ID}
	f := w.session.File
	if f == nil {
		return ds
	}
	ds.Filename, ds.RowCount = f.Filename, f.RowCount
	var names, types []string
	_ = json.Unmarshal(f.Columns, &names)
	_ = json.Unmarshal(f.ColumnTypes, &types)
	for i, n := range names {
		col := duck.Column{Name: n}
		if i < len(types) {
			col.Type = types[i]
		}
		ds.Columns = append(ds.Columns, col)
	}
	if p, err := w.s.engine.Profile(ctx, w.session.ID); err == nil {
		ds.Profile = p
	} else {
		w.s.log.Warn("profile unavailable", "session", w.session.ID, "err", err)
	}
	return ds
}

func toRecords(msgs []storage.Message) []agent.Record {
	out := make([]agent.Record, 0, len(msgs))
	for _, m := range msgs {
		r := agent.Record{Role: m.Role, Type: m.Type, Text: m.Text, Stopped: m.Stopped}
		if len(m.PlotData) > 0 {
			r.PlotData = json.RawMessage(m.PlotData)
		}
		if len(m.Data) > 0 {
			r.Data = json.RawMessage(m.Data)
		}
		out = append(out, r)
	}
	return out
}

// send queues an event for the writer; it gives up when the connection is
// gone rather than block a turn on a dead client.
func (w *wsConn) send(ev agent.Event) {
	b, err := json.Marshal(ev)
	if err != nil {
		w.s.log.Error("encode event", "event", ev.Event, "err", err)
		b, _ = json.Marshal(agent.Event{Event: agent.EventError, Data: map[string]string{"message": "internal error"}})
	}
	select {
	case w.out <- b:
	case <-w.ctx.Done():
	}
}

func (w *wsConn) sendError(msg string) {
	w.send(agent.Event{Event: agent.EventError, Data: map[string]string{"message": msg}})
}

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

func (k *wsSink) SaveTitle(ctx context.Context, title string) error {
	defer k.w.s.hot.sessionsChanged(k.w.user.ID)
	return k.w.s.store.SetTitle(ctx, k.w.session.ID, title)
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
