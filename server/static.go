package server

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"mime"
	"path"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// contentSecurityPolicy is sent with every response. Scripts come only from
// our own origin and never through eval: Vega runs with its AST interpreter
// (vega-interpreter), so 'unsafe-eval' is not needed. Inline styles are
// allowed because vega-embed and vega-tooltip inject their stylesheets at run
// time; no inline script is.
const contentSecurityPolicy = "default-src 'self'; " +
	"script-src 'self'; " +
	"style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data: blob:; " +
	"font-src 'self' data:; " +
	"connect-src 'self'; " +
	"worker-src 'self' blob:; " +
	"object-src 'none'; " +
	"base-uri 'self'; " +
	"form-action 'self'; " +
	"frame-ancestors 'none'"

// securityHeaders sets the headers every response carries, API and pages
// alike.
func securityHeaders() fiber.Handler {
	return func(c *fiber.Ctx) error {
		h := &c.Response().Header
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		return c.Next()
	}
}

const (
	cacheImmutable = "public, max-age=31536000, immutable"
	cacheNever     = "no-cache"
	// minCompressSize is the size under which compressing is not worth it.
	minCompressSize = 1024
	// brotliLevel trades a little size for a lot of speed against level 11.
	brotliLevel = 9
)

// staticFile is one file of the UI, read once from the embedded FS, with its
// compressed forms made on first request.
type staticFile struct {
	body        []byte
	contentType string
	etag        string

	once sync.Once
	br   []byte
	gz   []byte
}

func (f *staticFile) compressed() (br, gz []byte) {
	f.once.Do(func() {
		if len(f.body) < minCompressSize || !compressible(f.contentType) {
			return
		}
		if b := fasthttp.AppendBrotliBytesLevel(nil, f.body, brotliLevel); len(b) < len(f.body) {
			f.br = b
		}
		if g := fasthttp.AppendGzipBytesLevel(nil, f.body, fasthttp.CompressBestCompression); len(g) < len(f.body) {
			f.gz = g
		}
	})
	return f.br, f.gz
}

func compressible(contentType string) bool {
	ct, _, _ := strings.Cut(contentType, ";")
	switch {
	case strings.HasPrefix(ct, "text/"):
		return true
	case ct == "application/json", ct == "application/manifest+json",
		ct == "image/svg+xml", ct == "application/wasm":
		return true
	}
	return false
}

// staticFS serves the files of the built UI.
type staticFS struct {
	dist  fs.FS
	mu    sync.RWMutex
	files map[string]*staticFile
}

var errNotFound = errors.New("not found")

// open returns the file at name (a clean, slash-separated path without a
// leading slash), reading and caching it on first use.
func (s *staticFS) open(name string) (*staticFile, error) {
	s.mu.RLock()
	f, ok := s.files[name]
	s.mu.RUnlock()
	if ok {
		return f, nil
	}
	st, err := fs.Stat(s.dist, name)
	if err != nil || st.IsDir() {
		return nil, errNotFound
	}
	body, err := fs.ReadFile(s.dist, name)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(body)
	f = &staticFile{
		body:        body,
		contentType: contentTypeOf(name),
		etag:        hex.EncodeToString(sum[:12]),
	}
	s.mu.Lock()
	s.files[name] = f
	s.mu.Unlock()
	return f, nil
}

func contentTypeOf(name string) string {
	ext := strings.ToLower(path.Ext(name))
	switch ext {
	case ".html":
		return "text/html; charset=utf-8"
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".json", ".map":
		return "application/json"
	case ".webmanifest":
		return "application/manifest+json"
	case ".svg":
		return "image/svg+xml"
	case ".png":
		return "image/png"
	case ".ico":
		return "image/x-icon"
	case ".woff2":
		return "font/woff2"
	case ".woff":
		return "font/woff"
	case ".txt":
		return "text/plain; charset=utf-8"
	case ".wasm":
		return "application/wasm"
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

// mountStatic serves the single-page app from dist for every GET and HEAD
// request outside /api: the file when it exists, index.html otherwise, so
// that client-side routes survive a reload. It must be registered after the
// API routes.
func mountStatic(app *fiber.App, dist fs.FS) {
	s := &staticFS{dist: dist, files: map[string]*staticFile{}}
	app.Get("/*", s.handle) // Fiber registers HEAD along with GET.
	go s.warm()
}

// warm reads and compresses every file up front, in the background, so that
// the first visitor does not wait for the compressor.
func (s *staticFS) warm() {
	_ = fs.WalkDir(s.dist, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if f, err := s.open(name); err == nil {
			f.compressed()
		}
		return nil
	})
}

func (s *staticFS) handle(c *fiber.Ctx) error {
	p := c.Path()
	if p == "/api" || strings.HasPrefix(p, "/api/") {
		return fiber.ErrNotFound
	}
	name := strings.TrimPrefix(path.Clean("/"+p), "/")
	if name == "" {
		name = "index.html"
	}
	f, err := s.open(name)
	isAsset := strings.HasPrefix(name, "assets/")
	switch {
	case err == nil:
	case errors.Is(err, errNotFound) && !isAsset:
		// A client-side route: hand it to the app. A missing asset is a
		// real 404, not HTML that the browser would try to run as a script.
		name, isAsset = "index.html", false
		if f, err = s.open(name); err != nil {
			return fiber.ErrNotFound
		}
	case errors.Is(err, errNotFound):
		return fiber.ErrNotFound
	default:
		return err
	}

	h := &c.Response().Header
	if isAsset {
		h.Set(fiber.HeaderCacheControl, cacheImmutable)
	} else {
		h.Set(fiber.HeaderCacheControl, cacheNever)
	}
	h.Set(fiber.HeaderContentType, f.contentType)
	h.Add(fiber.HeaderVary, fiber.HeaderAcceptEncoding)

	body, encoding := f.body, ""
	br, gz := f.compressed()
	req := &c.Request().Header
	switch {
	case br != nil && req.HasAcceptEncoding("br"):
		body, encoding = br, "br"
	case gz != nil && req.HasAcceptEncoding("gzip"):
		body, encoding = gz, "gzip"
	}
	etag := `"` + f.etag
	if encoding != "" {
		etag += "-" + encoding
	}
	etag += `"`
	h.Set(fiber.HeaderETag, etag)
	if encoding != "" {
		h.Set(fiber.HeaderContentEncoding, encoding)
	}
	if match := c.Get(fiber.HeaderIfNoneMatch); match != "" && etagMatches(match, etag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Status(fiber.StatusOK)
	return c.Send(body)
}

func etagMatches(header, etag string) bool {
	for _, candidate := range strings.Split(header, ",") {
		candidate = strings.TrimSpace(candidate)
		candidate = strings.TrimPrefix(candidate, "W/")
		if candidate == "*" || candidate == etag {
			return true
		}
	}
	return false
}
