package localmodels

import (
	"context"
	"net"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/analyzerhq/analyzer/agent/llm/openai/openaitest"
)

// closedPort is a loopback port where nothing listens.
func closedPort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return port
}

func TestFindsAServerOnLoopback(t *testing.T) {
	fake := openaitest.New(t, []string{"qwen2.5", "llama3.1:8b"})
	empty := openaitest.New(t, nil) // answers, but serves no model: not offered
	found := Find(context.Background(), []int{closedPort(t), fake.Port(), empty.Port()}, 2*time.Second)
	want := []Server{{Name: "Local server", Port: fake.Port(), BaseURL: BaseURL(fake.Port()), Models: []string{"llama3.1:8b", "qwen2.5"}}}
	if !reflect.DeepEqual(found, want) {
		t.Fatalf("found %+v, want %+v", found, want)
	}
	if reqs := fake.Requests(); len(reqs) != 1 || reqs[0].Path != "/v1/models" {
		t.Fatalf("the fake saw %+v", reqs)
	}
}

func TestNothingRunningFindsNothing(t *testing.T) {
	start := time.Now()
	if found := Find(context.Background(), []int{closedPort(t), closedPort(t)}, 2*time.Second); len(found) != 0 {
		t.Fatalf("found %+v where nothing runs", found)
	}
	if found := Find(context.Background(), nil, time.Second); found != nil {
		t.Fatalf("found %+v with no ports", found)
	}
	// A refused connection answers at once: the search does not wait out
	// its timeout.
	if d := time.Since(start); d > time.Second {
		t.Fatalf("the search took %v", d)
	}
}

func TestClientReachesLoopbackOnly(t *testing.T) {
	c := Client(500 * time.Millisecond)
	for _, u := range []string{"http://192.0.2.1/v1/models", "http://[2001:db8::1]/v1/models", "http://example.com/v1/models"} {
		_, err := c.Get(u)
		if err == nil || !(strings.Contains(err.Error(), "not a loopback address") || strings.Contains(err.Error(), "no such host") || strings.Contains(err.Error(), "lookup")) {
			t.Errorf("GET %s: %v, want a refusal before any connection", u, err)
		}
	}
	// Proxies are not used, whatever the environment says.
	t.Setenv("HTTP_PROXY", "http://192.0.2.1:3128")
	fake := openaitest.New(t, []string{"m"})
	res, err := Client(time.Second).Get(fake.BaseURL() + "/models")
	if err != nil {
		t.Fatalf("loopback through the client: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
}
