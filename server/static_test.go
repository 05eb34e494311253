package server

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/andybalholm/brotli"
	"github.com/gofiber/fiber/v2"
)

const testIndex = `<!doctype html><html><head><script type="module" src="/assets/index-abc123.js"></script></head><body><div id="root"></div></body></html>`

func testDist() fstest.MapFS {
	bigJS := strings.Repeat("console.log('analyzer');\n", 400)
	return fstest.MapFS{
		"index.html":              {Data: []byte(testIndex)},
		"favicon.svg":             {Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"></svg>`)},
		"assets/index-abc123.js":  {Data: []byte(bigJS)},
		"assets/index-def456.css": {Data: []byte("body{margin:0}")},
		"assets/_plugin-x1.js":    {Data: []byte("export{}")},
	}
}

func newStaticApp(t *testing.T) *fiber.App {
	t.Helper()
	app := fiber.New()
	app.Use(securityHeaders())
	// Stand-in for the real API, registered first as the lead's code does.
	app.Get("/api/health", func(c *fiber.Ctx) error { return c.JSON(fiber.Map{"status": "ok"}) })
	mountStatic(app, testDist())
	return app
}

func TestStatic(t *testing.T) {
	t.Parallel()
	app := newStaticApp(t)

	tests := []struct {
		name         string
		method       string
		url          string
		headers      map[string]string
		wantStatus   int
		wantType     string
		wantCache    string
		wantBody     string // substring of the decoded body
		wantEncoding string
	}{
		{name: "root serves index", method: "GET", url: "/", wantStatus: 200, wantType: "text/html", wantCache: "no-cache", wantBody: `<div id="root">`},
		{name: "index.html directly", method: "GET", url: "/index.html", wantStatus: 200, wantType: "text/html", wantCache: "no-cache", wantBody: `<div id="root">`},
		{name: "client route falls back to index", method: "GET", url: "/s/0b5d9c9e-1234", wantStatus: 200, wantType: "text/html", wantCache: "no-cache", wantBody: `<div id="root">`},
		{name: "query string ignored", method: "GET", url: "/?login=abc", wantStatus: 200, wantType: "text/html", wantBody: `<div id="root">`},
		{name: "hashed asset immutable", method: "GET", url: "/assets/index-def456.css", wantStatus: 200, wantType: "text/css", wantCache: "public, max-age=31536000, immutable", wantBody: "body{margin:0}"},
		{name: "underscore chunk served", method: "GET", url: "/assets/_plugin-x1.js", wantStatus: 200, wantType: "text/javascript", wantCache: "public, max-age=31536000, immutable", wantBody: "export{}"},
		{name: "missing asset is 404 not html", method: "GET", url: "/assets/missing-000.js", wantStatus: 404},
		{name: "other root file", method: "GET", url: "/favicon.svg", wantStatus: 200, wantType: "image/svg+xml", wantCache: "no-cache", wantBody: "<svg"},
		{name: "path traversal stays inside", method: "GET", url: "/../../etc/passwd", wantStatus: 200, wantType: "text/html", wantBody: `<div id="root">`},
		{name: "api route untouched", method: "GET", url: "/api/health", wantStatus: 200, wantType: "application/json", wantBody: `"ok"`},
		{name: "unknown api path is 404 not index", method: "GET", url: "/api/nope", wantStatus: 404},
		{name: "api root is 404", method: "GET", url: "/api", wantStatus: 404},
		{name: "head of index", method: "HEAD", url: "/", wantStatus: 200, wantType: "text/html", wantCache: "no-cache"},
		{name: "post is not served", method: "POST", url: "/", wantStatus: 405},
		{name: "gzip when asked", method: "GET", url: "/assets/index-abc123.js", headers: map[string]string{"Accept-Encoding": "gzip"}, wantStatus: 200, wantType: "text/javascript", wantBody: "console.log('analyzer')", wantEncoding: "gzip"},
		{name: "brotli preferred", method: "GET", url: "/assets/index-abc123.js", headers: map[string]string{"Accept-Encoding": "gzip, deflate, br"}, wantStatus: 200, wantBody: "console.log('analyzer')", wantEncoding: "br"},
		{name: "small file not compressed", method: "GET", url: "/assets/index-def456.css", headers: map[string]string{"Accept-Encoding": "gzip, br"}, wantStatus: 200, wantBody: "body{margin:0}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.url, nil)
			for k, v := range tt.headers {
				req.Header.Set(k, v)
			}
			resp, err := app.Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status = %d, want %d", resp.StatusCode, tt.wantStatus)
			}
			if got := resp.Header.Get("Content-Type"); !strings.HasPrefix(got, tt.wantType) {
				t.Errorf("Content-Type = %q, want prefix %q", got, tt.wantType)
			}
			if tt.wantCache != "" {
				if got := resp.Header.Get("Cache-Control"); got != tt.wantCache {
					t.Errorf("Cache-Control = %q, want %q", got, tt.wantCache)
				}
			}
			if got := resp.Header.Get("Content-Encoding"); got != tt.wantEncoding {
				t.Errorf("Content-Encoding = %q, want %q", got, tt.wantEncoding)
			}
			raw, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			body := decode(t, tt.wantEncoding, raw)
			if tt.method == "HEAD" && len(raw) != 0 {
				t.Errorf("HEAD returned a body of %d bytes", len(raw))
			}
			if tt.wantBody != "" && !strings.Contains(body, tt.wantBody) {
				t.Errorf("body %.80q does not contain %q", body, tt.wantBody)
			}
		})
	}
}

func decode(t *testing.T, encoding string, raw []byte) string {
	t.Helper()
	var r io.Reader
	switch encoding {
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("gzip: %v", err)
		}
		r = zr
	case "br":
		r = brotli.NewReader(bytes.NewReader(raw))
	default:
		return string(raw)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decode %s: %v", encoding, err)
	}
	return string(out)
}

func TestStaticETag(t *testing.T) {
	t.Parallel()
	app := newStaticApp(t)
	resp, err := app.Test(httptest.NewRequest("GET", "/", nil), -1)
	if err != nil {
		t.Fatal(err)
	}
	etag := resp.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag on index.html")
	}
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("If-None-Match", etag)
	resp, err = app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 304 {
		t.Fatalf("revalidation status = %d, want 304", resp.StatusCode)
	}
	if resp.Header.Get("Cache-Control") != "no-cache" {
		t.Errorf("304 lost Cache-Control: %q", resp.Header.Get("Cache-Control"))
	}
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	app := newStaticApp(t)
	for _, url := range []string{"/", "/api/health", "/assets/index-abc123.js", "/api/nope"} {
		t.Run(url, func(t *testing.T) {
			resp, err := app.Test(httptest.NewRequest("GET", url, nil), -1)
			if err != nil {
				t.Fatal(err)
			}
			if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options = %q", got)
			}
			if got := resp.Header.Get("Referrer-Policy"); got != "no-referrer" && got != "strict-origin-when-cross-origin" {
				t.Errorf("Referrer-Policy = %q", got)
			}
			csp := resp.Header.Get("Content-Security-Policy")
			if csp == "" {
				t.Fatal("no Content-Security-Policy")
			}
			if strings.Contains(csp, "unsafe-eval") {
				t.Errorf("CSP allows unsafe-eval: %q", csp)
			}
			for _, want := range []string{"frame-ancestors 'none'", "script-src 'self'", "default-src 'self'", "object-src 'none'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("CSP %q lacks %q", csp, want)
				}
			}
			scriptSrc := directive(csp, "script-src")
			if strings.Contains(scriptSrc, "unsafe-inline") {
				t.Errorf("script-src allows inline scripts: %q", scriptSrc)
			}
		})
	}
}

func directive(csp, name string) string {
	for _, d := range strings.Split(csp, ";") {
		d = strings.TrimSpace(d)
		if strings.HasPrefix(d, name+" ") {
			return d
		}
	}
	return ""
}
