package server

import (
	"context"
	"errors"
	"net"
	"os"
	"time"

	"github.com/gofiber/fiber/v2"
)

// errClientGone is the cause of an upload's context when its client hung
// up while the file was being imported.
var errClientGone = errors.New("the client disconnected")

// watchDisconnect cancels the returned context when the client of c closes
// its connection. fasthttp does not tell a handler that its client left, so
// once the request body has been read whole, a goroutine reads the raw
// connection: a browser sends nothing more on it while it waits for the
// answer, so end-of-file or a reset means the tab was closed or the upload
// aborted. The answer is sent with "Connection: close", since a byte read
// here (a pipelined request, which browsers do not send) would be lost to
// the next request. stop ends the watch and must be called before the
// handler returns: the connection is fasthttp's again after that.
func watchDisconnect(c *fiber.Ctx, parent context.Context) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(parent)
	// Only a real socket says end-of-file when its peer leaves; an
	// in-memory connection (tests) says it as soon as the request is read.
	var conn net.Conn
	switch cn := c.Context().Conn().(type) {
	case *net.TCPConn:
		conn = cn
	case *net.UnixConn:
		conn = cn
	default:
		return ctx, func() { cancel(nil) }
	}
	c.Context().SetConnectionClose()
	quit := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 1)
		for {
			_ = conn.SetReadDeadline(time.Now().Add(time.Second))
			n, err := conn.Read(buf)
			select {
			case <-quit:
				return
			default:
			}
			var ne net.Error
			switch {
			case n > 0:
				return // the client is there and talking: stop listening
			case err == nil, errors.Is(err, os.ErrDeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
				continue
			default:
				cancel(errClientGone)
				return
			}
		}
	}()
	return ctx, func() {
		close(quit)
		_ = conn.SetReadDeadline(time.Now()) // wake a blocked read
		<-done
		_ = conn.SetReadDeadline(time.Time{})
		cancel(nil)
	}
}
