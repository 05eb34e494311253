package server

import (
	"net"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// originAllowed admits a WebSocket whose Origin is this host (or absent:
// not a browser) or one of AllowedOrigins: a page elsewhere must not drive
// a signed-in user's socket. The HTTP API needs no such check: it takes its
// token from a header that another site's page cannot set, never from a
// cookie.
func (s *Server) originAllowed(c *fiber.Ctx) bool {
	if sameOrigin(c) {
		return true
	}
	origin := c.Get(fiber.HeaderOrigin)
	for _, o := range s.opts.AllowedOrigins {
		if sameOriginString(origin, o) {
			return true
		}
	}
	return false
}

// sameOriginString compares two origins (scheme://host[:port]), ignoring
// case and the default port.
func sameOriginString(a, b string) bool {
	ua, err1 := url.Parse(strings.TrimSpace(a))
	ub, err2 := url.Parse(strings.TrimSpace(b))
	if err1 != nil || err2 != nil || ua.Host == "" || ub.Host == "" || ua.Opaque != "" || ub.Opaque != "" {
		return false
	}
	return strings.EqualFold(ua.Scheme, ub.Scheme) && strings.EqualFold(hostPort(ua), hostPort(ub))
}

func hostPort(u *url.URL) string {
	port := u.Port()
	if port == "" {
		switch strings.ToLower(u.Scheme) {
		case "http":
			port = "80"
		case "https":
			port = "443"
		}
	}
	return net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}
