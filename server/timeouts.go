package server

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/analyzerhq/analyzer/apperr"
)

// Request timeouts. There is no overall read timeout for uploads: a 1 GB
// file over a slow link may take an hour. Instead:
//
//   - every request must send its header (and, unless it is an upload, its
//     body) within HeaderTimeout, so slow-header clients cannot hold
//     connections;
//   - an upload must keep sending: UploadStall without a byte ends it;
//   - a response must be written within WriteTimeout;
//   - idle keep-alive connections close after the app's IdleTimeout;
//   - the handling of a JSON request is bounded by RequestTimeout
//     (a context deadline that the database and the data engine obey).
//
// WebSockets are exempt: fasthttp clears the deadlines of a hijacked
// connection and the socket keeps its own (pongs, writes, idle).
func (s *Server) installTimeouts() {
	l := s.guard.limits
	srv := s.app.Server()
	srv.ReadTimeout = l.HeaderTimeout
	srv.WriteTimeout = l.WriteTimeout
	srv.HeaderReceived = func(h *fasthttp.RequestHeader) fasthttp.RequestConfig {
		if isUpload(h.Method(), h.RequestURI()) {
			return fasthttp.RequestConfig{ReadTimeout: l.UploadStall}
		}
		return fasthttp.RequestConfig{}
	}
}

func isExport(method, path string) bool {
	return method == fiber.MethodGet && strings.HasPrefix(path, "/api/sessions/") && strings.HasSuffix(strings.TrimRight(path, "/"), "/export")
}

func isUpload(method, uri []byte) bool {
	path, _, _ := bytes.Cut(uri, []byte("?"))
	return string(method) == fiber.MethodPost && strings.EqualFold(strings.TrimRight(string(path), "/"), "/api/upload")
}

// limitRequestTime gives a request's handling RequestTimeout: past it the
// database and the data engine give up, and the client gets 504.
func (s *Server) limitRequestTime(c *fiber.Ctx) error {
	d := s.guard.limits.RequestTimeout
	// Exports have their own bound (ExportLimits.Timeout).
	if d <= 0 || isUpload([]byte(c.Method()), []byte(c.Path())) || isExport(c.Method(), c.Path()) {
		return c.Next()
	}
	ctx, cancel := context.WithTimeout(c.UserContext(), d)
	defer cancel()
	c.SetUserContext(ctx)
	err := c.Next()
	if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		switch apperr.KindOf(err) {
		case apperr.Internal, apperr.Canceled, apperr.Timeout:
			return apperr.Wrap(apperr.Timeout, "the request took too long: try again", err)
		}
	}
	return err
}

// uploadBody is the request body of an upload: reading it pushes the
// connection's read deadline back, so that only a stalled upload times out.
func (s *Server) uploadBody(c *fiber.Ctx) io.Reader {
	return &stallReader{r: bodyReader(c), conn: c.Context().Conn(), stall: s.guard.limits.UploadStall}
}

type stallReader struct {
	r     io.Reader
	conn  net.Conn
	stall time.Duration
	next  time.Time // when the deadline is next pushed back
}

func (s *stallReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if n > 0 && s.conn != nil {
		if now := time.Now(); now.After(s.next) {
			_ = s.conn.SetReadDeadline(now.Add(s.stall))
			s.next = now.Add(min(time.Second, s.stall/4))
		}
	}
	return n, err
}
