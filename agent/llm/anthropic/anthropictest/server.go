// Package anthropictest is a fake Anthropic Messages API for tests: an
// httptest server that answers POST /v1/messages from a script, in the real
// wire format (server-sent events for streams, JSON error bodies), and
// records every request it received.
package anthropictest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Frame is one server-sent event.
type Frame struct {
	Event string
	Data  string
}

// Reply is the scripted answer to one request.
type Reply struct {
	Status  int               // 0: 200
	Headers map[string]string // extra response headers
	Body    string            // a JSON body (errors, non-streamed messages)
	Frames  []Frame           // an event stream, when Body is empty
	// Delay is waited before each frame.
	Delay time.Duration
	// Hang keeps the stream (or, with no frames, the response headers)
	// open until the client goes away.
	Hang bool
	// Drop closes the connection abruptly after the frames, without the
	// end of the chunked body.
	Drop bool
	// HangHeaders waits for the client to go away before sending anything.
	HangHeaders bool
}

// Request is one request the server received.
type Request struct {
	Header http.Header
	Raw    []byte
	Body   map[string]any
}

// Stream reports whether the request asked for a stream.
func (r Request) Stream() bool { s, _ := r.Body["stream"].(bool); return s }

// Model is the model the request named.
func (r Request) Model() string { s, _ := r.Body["model"].(string); return s }

// Messages returns the request's messages.
func (r Request) Messages() []map[string]any {
	list, _ := r.Body["messages"].([]any)
	out := make([]map[string]any, 0, len(list))
	for _, m := range list {
		if mm, ok := m.(map[string]any); ok {
			out = append(out, mm)
		}
	}
	return out
}

// Server is the fake API.
type Server struct {
	*httptest.Server
	t testing.TB

	mu       sync.Mutex
	script   []Reply
	requests []Request
	key      string   // the one key GET /v1/models accepts (SetModels)
	models   []string // what it lists
}

// SetModels makes GET /v1/models answer a request carrying key with
// models, and refuse any other key with 401 authentication_error, as the
// real API does; until it is called the path is not found.
func (s *Server) SetModels(key string, models ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.key, s.models = key, models
}

func (s *Server) listModels(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	key, models := s.key, s.models
	s.requests = append(s.requests, Request{Header: r.Header.Clone()})
	s.mu.Unlock()
	if key == "" {
		writeError(w, http.StatusNotFound, "not_found_error", "no such endpoint", nil)
		return
	}
	sent := r.Header.Get("x-api-key")
	if sent == "" {
		sent = strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	}
	if sent != key {
		writeError(w, http.StatusUnauthorized, "authentication_error", "invalid x-api-key", nil)
		return
	}
	data := make([]map[string]any, len(models))
	for i, m := range models {
		data[i] = map[string]any{"type": "model", "id": m, "display_name": m, "created_at": "2026-01-01T00:00:00Z"}
	}
	first, last := "", ""
	if len(models) > 0 {
		first, last = models[0], models[len(models)-1]
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"data": data, "has_more": false, "first_id": first, "last_id": last})
}

// New starts a server answering with script, in order; it is closed when
// the test ends. A request past the end of the script fails the test.
func New(t testing.TB, script ...Reply) *Server {
	s := &Server{t: t, script: script}
	s.Server = httptest.NewServer(http.HandlerFunc(s.handle))
	t.Cleanup(s.Close)
	return s
}

// Requests returns the requests received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

func (s *Server) handle(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet && r.URL.Path == "/v1/models" {
		s.listModels(w, r)
		return
	}
	if r.Method != http.MethodPost || r.URL.Path != "/v1/messages" {
		http.Error(w, `{"type":"error","error":{"type":"not_found_error","message":"no such endpoint"}}`, http.StatusNotFound)
		return
	}
	raw, _ := io.ReadAll(r.Body)
	req := Request{Header: r.Header.Clone(), Raw: raw}
	_ = json.Unmarshal(raw, &req.Body)

	s.mu.Lock()
	s.requests = append(s.requests, req)
	if len(s.script) == 0 {
		s.mu.Unlock()
		s.t.Errorf("anthropictest: unexpected request %d: script exhausted", len(s.requests))
		writeError(w, http.StatusInternalServerError, "api_error", "script exhausted", nil)
		return
	}
	reply := s.script[0]
	s.script = s.script[1:]
	s.mu.Unlock()

	if reply.HangHeaders {
		<-r.Context().Done()
		return
	}
	for k, v := range reply.Headers {
		w.Header().Set(k, v)
	}
	status := reply.Status
	if status == 0 {
		status = http.StatusOK
	}
	if reply.Body != "" || len(reply.Frames) == 0 && !reply.Hang {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, reply.Body)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(status)
	flusher, _ := w.(http.Flusher)
	if flusher != nil {
		flusher.Flush()
	}
	for _, f := range reply.Frames {
		if reply.Delay > 0 {
			select {
			case <-time.After(reply.Delay):
			case <-r.Context().Done():
				return
			}
		}
		fmt.Fprintf(w, "event: %s\ndata: %s\n\n", f.Event, f.Data)
		if flusher != nil {
			flusher.Flush()
		}
	}
	if reply.Drop {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
			}
		}
		return
	}
	if reply.Hang {
		<-r.Context().Done()
	}
}

func writeError(w http.ResponseWriter, status int, typ, msg string, headers map[string]string) {
	for k, v := range headers {
		w.Header().Set(k, v)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, ErrorBody(typ, msg))
}

// ErrorBody is the API's error JSON.
func ErrorBody(typ, msg string) string {
	b, _ := json.Marshal(map[string]any{
		"type":       "error",
		"error":      map[string]any{"type": typ, "message": msg},
		"request_id": "req_test",
	})
	return string(b)
}

// Error is an error response: status with the API's error body.
func Error(status int, typ, msg string, headers map[string]string) Reply {
	return Reply{Status: status, Headers: headers, Body: ErrorBody(typ, msg)}
}

// Overloaded is a 529 overloaded_error response.
func Overloaded() Reply { return Error(529, "overloaded_error", "Overloaded", nil) }

// RateLimited is a 429 rate_limit_error with a retry-after header.
func RateLimited(retryAfter string) Reply {
	return Error(http.StatusTooManyRequests, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit", map[string]string{"retry-after": retryAfter})
}

// Unauthorized is a 401 authentication_error.
func Unauthorized() Reply {
	return Error(http.StatusUnauthorized, "authentication_error", "invalid x-api-key", nil)
}

// Usage is the token usage a scripted message reports.
type Usage struct {
	Input, Output, CacheRead, CacheWrite int
}

// DefaultUsage is what builders report unless told otherwise.
var DefaultUsage = Usage{Input: 100, Output: 20, CacheRead: 50, CacheWrite: 10}

// Call is a scripted tool call.
type Call struct {
	ID    string
	Name  string
	Input any // marshalled to JSON, streamed in small pieces
}

// Block is one scripted content block: Text, or a Call.
type Block struct {
	Text string
	Call *Call
}

// Text is a text block streamed in the given pieces.
func Text(pieces ...string) Block { return Block{Text: strings.Join(pieces, "\x00")} }

// Tool is a tool_use block.
func Tool(id, name string, input any) Block {
	return Block{Call: &Call{ID: id, Name: name, Input: input}}
}

// Stream is a complete streamed message: text deltas split at the pieces
// given to Text, tool inputs split into chunks of a few bytes, a ping, and
// stop_reason tool_use when a block calls a tool, else end_turn.
func Stream(blocks ...Block) Reply {
	stop := "end_turn"
	for _, b := range blocks {
		if b.Call != nil {
			stop = "tool_use"
		}
	}
	return Reply{Frames: Frames(stop, DefaultUsage, blocks...)}
}

// Frames builds the event frames of one message.
func Frames(stop string, u Usage, blocks ...Block) []Frame {
	var fs []Frame
	add := func(event string, v any) {
		b, _ := json.Marshal(v)
		fs = append(fs, Frame{Event: event, Data: string(b)})
	}
	add("message_start", map[string]any{"type": "message_start", "message": map[string]any{
		"id": "msg_test", "type": "message", "role": "assistant", "model": "claude-test", "content": []any{},
		"stop_reason": nil, "stop_sequence": nil,
		"usage": map[string]any{"input_tokens": u.Input, "output_tokens": 1, "cache_read_input_tokens": u.CacheRead, "cache_creation_input_tokens": u.CacheWrite},
	}})
	fs = append(fs, Frame{Event: "ping", Data: `{"type": "ping"}`})
	for i, b := range blocks {
		if b.Call == nil {
			add("content_block_start", map[string]any{"type": "content_block_start", "index": i, "content_block": map[string]any{"type": "text", "text": ""}})
			for _, piece := range strings.Split(b.Text, "\x00") {
				add("content_block_delta", map[string]any{"type": "content_block_delta", "index": i, "delta": map[string]any{"type": "text_delta", "text": piece}})
			}
		} else {
			add("content_block_start", map[string]any{"type": "content_block_start", "index": i, "content_block": map[string]any{"type": "tool_use", "id": b.Call.ID, "name": b.Call.Name, "input": map[string]any{}}})
			in, _ := json.Marshal(b.Call.Input)
			add("content_block_delta", map[string]any{"type": "content_block_delta", "index": i, "delta": map[string]any{"type": "input_json_delta", "partial_json": ""}})
			for len(in) > 0 {
				n := min(7, len(in))
				add("content_block_delta", map[string]any{"type": "content_block_delta", "index": i, "delta": map[string]any{"type": "input_json_delta", "partial_json": string(in[:n])}})
				in = in[n:]
			}
		}
		add("content_block_stop", map[string]any{"type": "content_block_stop", "index": i})
	}
	add("message_delta", map[string]any{"type": "message_delta", "delta": map[string]any{"stop_reason": stop, "stop_sequence": nil},
		"usage": map[string]any{"output_tokens": u.Output}})
	add("message_stop", map[string]any{"type": "message_stop"})
	return fs
}

// Partial is the start of a streamed message, text pieces and nothing
// after: combine with Hang (a stream still running) or Drop (a lost
// connection).
func Partial(pieces ...string) []Frame {
	all := Frames("end_turn", DefaultUsage, Text(pieces...))
	// message_start, ping, block start, the deltas.
	return all[:3+len(pieces)]
}

// StreamError is an error event in the middle of a stream.
func StreamError(typ, msg string) Frame {
	return Frame{Event: "error", Data: ErrorBody(typ, msg)}
}

// Message is a complete non-streamed message (titles).
func Message(text string) Reply {
	b, _ := json.Marshal(map[string]any{
		"id": "msg_title", "type": "message", "role": "assistant", "model": "claude-test",
		"content":     []any{map[string]any{"type": "text", "text": text}},
		"stop_reason": "end_turn", "stop_sequence": nil,
		"usage": map[string]any{"input_tokens": 30, "output_tokens": 5},
	})
	return Reply{Body: string(b)}
}
