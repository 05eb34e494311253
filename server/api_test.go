package server

import (
	"net/http"
	"strings"
	"testing"
)

func TestHealthAndUnknownRoutes(t *testing.T) {
	env := newTestEnv(t)
	tests := []struct {
		name, method, path string
		status             int
		contains           string
	}{
		{"health", "GET", "/api/health", 200, `"status":"ok"`},
		{"health names the provider", "GET", "/api/health", 200, `"provider":{"name":"builtin"`},
		{"unknown api path is JSON 404", "GET", "/api/nope", 404, `{"detail":"not found"}`},
		{"unknown api method is JSON 404", "PUT", "/api/sessions", 404, `"detail"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, tt.path, nil)
			status, body := env.do(req)
			if status != tt.status || !strings.Contains(string(body), tt.contains) {
				t.Fatalf("got %d %s; want %d containing %s", status, body, tt.status, tt.contains)
			}
		})
	}
}
