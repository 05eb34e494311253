// Package openaitest is a fake OpenAI-compatible server for tests (what
// Ollama, llama.cpp, LM Studio and vLLM serve): GET /v1/models lists its
// models, POST /v1/chat/completions answers from a script in the real wire
// format (server-sent chunks ending in a usage chunk and [DONE] for
// streams, a JSON completion otherwise). It records every request.
package openaitest

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// Usage is the token count a reply reports.
type Usage struct {
	Prompt, Completion int64
}

// Call is a tool call of a reply.
type Call struct {
	ID, Name string
	Args     any
}

// Reply is the scripted answer to one chat completion.
type Reply struct {
	Status int      // 0: 200; otherwise an error response with Text as message
	Text   []string // streamed in these pieces
	Calls  []Call
	Usage  Usage
}

// Answer is a text reply in pieces with its usage.
func Answer(u Usage, pieces ...string) Reply { return Reply{Text: pieces, Usage: u} }

// Request is one request the server received.
type Request struct {
	Path   string
	Header http.Header
	Body   map[string]any
}

// Model is the model a chat request named.
func (r Request) Model() string { s, _ := r.Body["model"].(string); return s }

// Server is the fake.
type Server struct {
	*httptest.Server
	t      testing.TB
	models []string
	key    string // when set, other keys are refused with 401

	mu       sync.Mutex
	script   []Reply
	requests []Request
}

// New starts the fake on a free loopback port serving models, answering
// chat requests with script in order; it is closed when the test ends.
func New(t testing.TB, models []string, script ...Reply) *Server {
	s := &Server{t: t, models: models, script: script}
	s.Server = httptest.NewServer(http.HandlerFunc(s.handle))
	t.Cleanup(s.Close)
	return s
}

// RequireKey makes the fake refuse requests without "Bearer key".
func (s *Server) RequireKey(key string) { s.key = key }

// BaseURL is the API root, ending in /v1.
func (s *Server) BaseURL() string { return s.URL + "/v1" }

// Port is the port the fake listens on.
func (s *Server) Port() int { return s.Listener.Addr().(*net.TCPAddr).Port }

// Requests returns the requests received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

func (s *Server) handle(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	req := Request{Path: r.URL.Path, Header: r.Header.Clone()}
	_ = json.Unmarshal(raw, &req.Body)
	s.mu.Lock()
	s.requests = append(s.requests, req)
	s.mu.Unlock()
	if s.key != "" && r.Header.Get("Authorization") != "Bearer "+s.key {
		writeError(w, http.StatusUnauthorized, "Incorrect API key provided.")
		return
	}
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/v1/models":
		data := make([]map[string]any, len(s.models))
		for i, m := range s.models {
			data[i] = map[string]any{"id": m, "object": "model", "created": 1767225600, "owned_by": "library"}
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"object": "list", "data": data})
	case r.Method == http.MethodPost && r.URL.Path == "/v1/chat/completions":
		s.mu.Lock()
		if len(s.script) == 0 {
			s.mu.Unlock()
			s.t.Errorf("openaitest: unexpected chat request: script exhausted")
			writeError(w, http.StatusInternalServerError, "script exhausted")
			return
		}
		reply := s.script[0]
		s.script = s.script[1:]
		s.mu.Unlock()
		if reply.Status != 0 && reply.Status != http.StatusOK {
			writeError(w, reply.Status, strings.Join(reply.Text, ""))
			return
		}
		model := req.Model()
		if stream, _ := req.Body["stream"].(bool); stream {
			writeStream(w, model, reply)
			return
		}
		writeCompletion(w, model, reply)
	default:
		writeError(w, http.StatusNotFound, "no such endpoint")
	}
}

func usageJSON(u Usage) map[string]any {
	return map[string]any{"prompt_tokens": u.Prompt, "completion_tokens": u.Completion, "total_tokens": u.Prompt + u.Completion}
}

func writeStream(w http.ResponseWriter, model string, reply Reply) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.WriteHeader(http.StatusOK)
	flusher, _ := w.(http.Flusher)
	send := func(v any) {
		b, _ := json.Marshal(v)
		fmt.Fprintf(w, "data: %s\n\n", b)
		if flusher != nil {
			flusher.Flush()
		}
	}
	chunk := func(delta map[string]any, finish any) map[string]any {
		return map[string]any{"id": "chatcmpl-test", "object": "chat.completion.chunk", "created": 1767225600, "model": model,
			"choices": []any{map[string]any{"index": 0, "delta": delta, "finish_reason": finish}}}
	}
	send(chunk(map[string]any{"role": "assistant", "content": ""}, nil))
	for _, p := range reply.Text {
		send(chunk(map[string]any{"content": p}, nil))
	}
	for i, c := range reply.Calls {
		args, _ := json.Marshal(c.Args)
		send(chunk(map[string]any{"tool_calls": []any{map[string]any{"index": i, "id": c.ID, "type": "function",
			"function": map[string]any{"name": c.Name, "arguments": string(args)}}}}, nil))
	}
	finish := "stop"
	if len(reply.Calls) > 0 {
		finish = "tool_calls"
	}
	send(chunk(map[string]any{}, finish))
	send(map[string]any{"id": "chatcmpl-test", "object": "chat.completion.chunk", "created": 1767225600, "model": model,
		"choices": []any{}, "usage": usageJSON(reply.Usage)})
	fmt.Fprint(w, "data: [DONE]\n\n")
}

func writeCompletion(w http.ResponseWriter, model string, reply Reply) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"id": "chatcmpl-test", "object": "chat.completion", "created": 1767225600, "model": model,
		"choices": []any{map[string]any{"index": 0, "finish_reason": "stop",
			"message": map[string]any{"role": "assistant", "content": strings.Join(reply.Text, "")}}},
		"usage": usageJSON(reply.Usage),
	})
}

func writeError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"message": msg, "type": "invalid_request_error"}})
}
