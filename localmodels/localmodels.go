// Package localmodels finds OpenAI-compatible model servers running on
// this computer (Ollama, llama.cpp's server, LM Studio, vLLM) by asking
// each usual loopback port for its model list, briefly. It never contacts
// anything but loopback: the address is fixed to 127.0.0.1 and the dialer
// refuses any other, proxies included.
package localmodels

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"slices"
	"sync"
	"syscall"
	"time"

	"github.com/analyzerhq/analyzer/agent/llm/openai"
)

// DefaultTimeout bounds the search: a server that has not listed its
// models by then is not offered.
const DefaultTimeout = 1500 * time.Millisecond

// Server is a model server found on loopback.
type Server struct {
	Name    string   `json:"name"` // "Ollama", "llama.cpp", "LM Studio", "vLLM", "Local server"
	Port    int      `json:"port"`
	BaseURL string   `json:"base_url"`
	Models  []string `json:"models"`
}

// Name is what usually listens on port.
func Name(port int) string {
	switch port {
	case 11434:
		return "Ollama"
	case 8080:
		return "llama.cpp"
	case 1234:
		return "LM Studio"
	case 8000:
		return "vLLM"
	}
	return "Local server"
}

// BaseURL is the API root of a local server on port.
func BaseURL(port int) string { return fmt.Sprintf("http://127.0.0.1:%d/v1", port) }

// Find asks each port at once and returns the servers that listed at
// least one model, in the order of ports. Ports where nothing listens cost
// a refused connection; nothing is contacted elsewhere.
func Find(ctx context.Context, ports []int, timeout time.Duration) []Server {
	if len(ports) == 0 {
		return nil
	}
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	found := make([]*Server, len(ports))
	var wg sync.WaitGroup
	for i, port := range ports {
		wg.Add(1)
		go func() {
			defer wg.Done()
			models, err := openai.ListModels(ctx, openai.Config{BaseURL: BaseURL(port), Timeout: timeout, HTTPClient: Client(timeout)})
			if err == nil && len(models) > 0 {
				found[i] = &Server{Name: Name(port), Port: port, BaseURL: BaseURL(port), Models: models}
			}
		}()
	}
	wg.Wait()
	var out []Server
	for _, s := range found {
		if s != nil && !slices.ContainsFunc(out, func(o Server) bool { return o.Port == s.Port }) {
			out = append(out, *s)
		}
	}
	return out
}

// Client is an HTTP client that can reach loopback addresses only, with no
// proxy: whatever URL it is given, it never leaves this computer.
func Client(timeout time.Duration) *http.Client {
	d := &net.Dialer{Timeout: timeout, Control: loopbackOnly}
	return &http.Client{Timeout: timeout, Transport: &http.Transport{
		Proxy:               nil,
		DialContext:         d.DialContext,
		MaxIdleConnsPerHost: 1,
		IdleConnTimeout:     time.Second,
	}}
}

// loopbackOnly refuses, before the connection is made, any address that
// is not loopback.
func loopbackOnly(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("localmodels: %s is not a loopback address", address)
	}
	return nil
}
