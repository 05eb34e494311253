package cli

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildBinary compiles the program (the module root, package main) once for the tests that run it as a
// real process.
func buildBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "analyzer")
	out, err := exec.Command("go", "build", "-o", bin, "..").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

var loginURLPattern = regexp.MustCompile(`http://127\.0\.0\.1:\d+/\?login=[A-Za-z0-9._-]+`)

// exchange posts a login token and returns the status and the JWT.
func exchange(t *testing.T, base, token string) (int, string) {
	t.Helper()
	resp, err := http.Post(base+"/api/auth/local", "application/json", strings.NewReader(`{"token":"`+token+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct{ Token string }
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out.Token
}

func splitLoginURL(url string) (base, token string) {
	base, token, _ = strings.Cut(url, "/?login=")
	return base, token
}

func TestDesktopMode(t *testing.T) {
	bin := buildBinary(t)
	home := t.TempDir()
	env := append(os.Environ(), "XDG_DATA_HOME="+filepath.Join(home, "xdg"), "HOME="+home, "ANALYZER_NO_BROWSER=1",
		"DATA_DIR=", "DATABASE_URL=", "SECRET_KEY=")

	first := exec.Command(bin)
	first.Env = env
	first.Dir = home
	stdout, _ := first.StdoutPipe()
	first.Stderr = io.Discard
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { first.Process.Kill(); first.Wait() })

	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if u := loginURLPattern.FindString(sc.Text()); u != "" {
				urls <- u
			}
		}
	}()
	var url string
	select {
	case url = <-urls:
	case <-time.After(60 * time.Second):
		t.Fatal("no login URL printed")
	}
	base, token := splitLoginURL(url)

	t.Run("data lives in the user data folder", func(t *testing.T) {
		dir := filepath.Join(home, "xdg", "analyzer")
		for _, name := range []string{"analyzer.db", "instance.json", filepath.Join("data", ".secret_key")} {
			if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}
		if _, err := os.Stat(filepath.Join(home, "data_analyzer.db")); err == nil {
			t.Error("a database was created in the working directory")
		}
	})

	t.Run("the login token works once", func(t *testing.T) {
		status, jwt := exchange(t, base, token)
		if status != 200 || jwt == "" {
			t.Fatalf("first exchange: %d", status)
		}
		req, _ := http.NewRequest("GET", base+"/api/sessions", nil)
		req.Header.Set("Authorization", "Bearer "+jwt)
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("the JWT does not work: %v %v", err, resp)
		}
		resp.Body.Close()
		if status, _ := exchange(t, base, token); status != 401 {
			t.Fatalf("second exchange: %d", status)
		}
		// The login token is not a bearer token.
		req.Header.Set("Authorization", "Bearer "+token)
		resp, _ = http.DefaultClient.Do(req)
		if resp.StatusCode != 401 {
			t.Fatalf("login token accepted as bearer: %d", resp.StatusCode)
		}
		resp.Body.Close()
	})

	t.Run("a second launch opens the running one", func(t *testing.T) {
		second := exec.Command(bin)
		second.Env = env
		second.Dir = home
		out, err := second.Output()
		if err != nil {
			t.Fatalf("second launch: %v\n%s", err, out)
		}
		u := loginURLPattern.FindString(string(out))
		if !strings.Contains(string(out), "already running") || !strings.HasPrefix(u, base+"/") {
			t.Fatalf("second launch said %q", out)
		}
		_, tok := splitLoginURL(u)
		if status, _ := exchange(t, base, tok); status != 200 {
			t.Fatalf("second launch's token: %d", status)
		}
	})

	t.Run("Ctrl+C stops it cleanly", func(t *testing.T) {
		first.Process.Signal(syscall.SIGINT)
		done := make(chan error, 1)
		go func() { done <- first.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("exit: %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Fatal("did not stop")
		}
		if _, err := os.Stat(filepath.Join(home, "xdg", "analyzer", "instance.json")); !os.IsNotExist(err) {
			t.Fatalf("instance file left behind: %v", err)
		}
	})
}
