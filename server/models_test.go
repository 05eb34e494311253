package server

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/agent/llm/anthropic/anthropictest"
	"github.com/analyzerhq/analyzer/analysts"
	"github.com/analyzerhq/analyzer/chat"
	"github.com/analyzerhq/analyzer/config"
	"github.com/analyzerhq/analyzer/duck"
	"github.com/analyzerhq/analyzer/settings"
	"github.com/analyzerhq/analyzer/storage"
)

const modelKey = "sk-ant-api03-server-test-K9Z8"

// newModelsEnv is a real server with the model routes: desktop mode with
// a settings file, or server mode configured by environ.
func newModelsEnv(t *testing.T, desktop bool, adminEmails []string, environ ...string) (*testEnv, *logBuffer, string) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	store, err := storage.Open(ctx, filepath.Join(dir, "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	dataDir := filepath.Join(dir, "data")
	engine, err := duck.New(duck.Config{DataDir: dataDir, QueryTimeout: 10 * time.Second, MemoryLimit: "512MB", QueryMemoryLimit: "256MB"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	logs, log := newLogBuffer()
	cfg, err := config.Load(append(environ, "ANALYZER_LOCAL_MODEL_PORTS=off"), "")
	if err != nil {
		t.Fatal(err)
	}
	file := ""
	if desktop {
		file = settings.File(dataDir)
	}
	set := analysts.New(cfg, engine, analysts.Options{SettingsFile: file, Log: log})
	an, _ := set.Resolve("")
	chats := chat.New(store, agent.New(engine, an, log), engine, chat.Options{Analysts: set, Log: log})
	env := &testEnv{t: t, store: store, engine: engine, dataDir: dataDir, secret: []byte("test-secret-key-0123456789abcdef"), now: time.Now()}
	env.srv = New(Options{SecretKey: env.secret, TokenTTL: 24 * time.Hour, MaxUploadSize: 10 << 20,
		UploadDir: filepath.Join(dataDir, ".uploads"), Version: "test", AllowRegistration: true, LocalLogin: desktop,
		Now: func() time.Time { return env.now }, Analysts: set, AdminEmails: adminEmails}, store, engine, chats, log)
	t.Cleanup(func() {
		env.srv.cancel()
		engine.Close()
		store.Close()
	})
	return env, logs, file
}

func TestDesktopOwnerSetsTheModel(t *testing.T) {
	fake := anthropictest.New(t)
	fake.SetModels(modelKey, "claude-sonnet-4-5", "claude-haiku-4-5")
	e, logs, file := newModelsEnv(t, true, nil, "ANTHROPIC_BASE_URL="+fake.URL)
	owner := e.register("owner@example.com")
	if err := e.store.SetAdmin(context.Background(), "owner@example.com", true); err != nil {
		t.Fatal(err)
	}
	other := e.register("guest@example.com")

	status, body := e.doJSON("GET", "/api/settings", owner, nil)
	var v analysts.View
	if status != http.StatusOK || json.Unmarshal(body, &v) != nil || !v.Editable || v.Active != "builtin" {
		t.Fatalf("settings %d %s", status, body)
	}
	if status, body := e.doJSON("PUT", "/api/settings", other, map[string]any{"provider": "builtin"}); status != http.StatusForbidden {
		t.Fatalf("a second account changed the settings: %d %s", status, body)
	}

	// A wrong key is refused with the reason, and not kept.
	status, body = e.doJSON("PUT", "/api/settings", owner, map[string]any{"provider": "anthropic",
		"anthropic": map[string]any{"api_key": "sk-ant-api03-typo-0000", "model": "claude-sonnet-4-5"}})
	if status != http.StatusBadRequest || !strings.Contains(detail(body), "rejected") {
		t.Fatalf("wrong key: %d %s", status, body)
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Fatal("a refused key was written")
	}

	status, body = e.doJSON("PUT", "/api/settings", owner, map[string]any{"provider": "anthropic",
		"anthropic": map[string]any{"api_key": modelKey, "model": "claude-sonnet-4-5"}})
	if status != http.StatusOK || json.Unmarshal(body, &v) != nil {
		t.Fatalf("save: %d %s", status, body)
	}
	if v.Anthropic.KeyHint != "…K9Z8" || v.Default.ID != "anthropic:claude-sonnet-4-5" {
		t.Fatalf("after saving %+v", v)
	}
	if info, err := os.Stat(file); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("settings file %v %v", info, err)
	}

	// The health report names the new provider.
	status, body = e.doJSON("GET", "/api/health", "", nil)
	var h struct {
		Provider       agent.Info      `json:"provider"`
		ProviderHealth analysts.Health `json:"provider_health"`
	}
	if status != http.StatusOK || json.Unmarshal(body, &h) != nil || h.Provider.Name != "anthropic" || h.ProviderHealth.Status == "" {
		t.Fatalf("health %d %s", status, body)
	}

	// Listing a provider's models before saving.
	status, body = e.doJSON("POST", "/api/settings/models", owner, map[string]any{"provider": "anthropic"})
	if status != http.StatusOK || !strings.Contains(string(body), "claude-haiku-4-5") {
		t.Fatalf("models %d %s", status, body)
	}

	// No answer and no log line carries the key.
	for _, path := range []string{"/api/settings", "/api/health"} {
		for _, tok := range []string{owner, other} {
			_, body := e.doJSON("GET", path, tok, nil)
			if strings.Contains(string(body), modelKey) || strings.Contains(string(body), "typo-0000") {
				t.Fatalf("GET %s shows the key: %s", path, body)
			}
		}
	}
	if strings.Contains(logs.String(), "server-test") || strings.Contains(logs.String(), "typo-0000") {
		t.Fatalf("a log line carries the key:\n%s", logs)
	}
}

func TestServerModeSettingsAreReadOnly(t *testing.T) {
	e, _, _ := newModelsEnv(t, false, []string{"boss@example.com"},
		"OPENAI_BASE_URL=http://127.0.0.1:1/v1", "OPENAI_API_KEY=sk-server-secret-7777", "OPENAI_MODEL=gpt-4.1")
	user := e.register("user@example.com")
	boss := e.register("boss@example.com")
	for _, c := range []struct {
		token    string
		detailed bool
	}{{user, false}, {boss, true}} {
		status, body := e.doJSON("GET", "/api/settings", c.token, nil)
		var v analysts.View
		if status != http.StatusOK || json.Unmarshal(body, &v) != nil {
			t.Fatalf("settings %d %s", status, body)
		}
		if v.Editable || v.Detailed != c.detailed || v.OpenAI.Model != "gpt-4.1" || strings.Contains(string(body), "sk-server-secret") {
			t.Fatalf("view %s", body)
		}
		if c.detailed != (v.OpenAI.BaseURL != "") || c.detailed != (v.OpenAI.KeyHint == "…7777") {
			t.Fatalf("detail shown to the wrong account: %s", body)
		}
		if strings.Join(v.Locked, ",") != "OPENAI_BASE_URL,OPENAI_API_KEY,OPENAI_MODEL" {
			t.Fatalf("locked %v", v.Locked)
		}
		if status, _ := e.doJSON("PUT", "/api/settings", c.token, map[string]any{"provider": "builtin"}); status != http.StatusForbidden {
			t.Fatalf("PUT settings in server mode: %d", status)
		}
		if status, _ := e.doJSON("POST", "/api/settings/models", c.token, map[string]any{"provider": "openai", "base_url": "http://10.0.0.1/v1"}); status != http.StatusForbidden {
			t.Fatalf("model listing in server mode: %d", status)
		}
	}
	if status, _ := e.doJSON("GET", "/api/settings", "", nil); status != http.StatusUnauthorized {
		t.Fatalf("settings without signing in: %d", status)
	}
}

func TestSessionModelMenu(t *testing.T) {
	e, _, _ := newModelsEnv(t, false, nil)
	tok := e.register("menu@example.com")
	sid := e.upload(tok, "a.csv", "x,y\n1,2\n3,4\n").SessionID
	path := "/api/sessions/" + sid + "/model"
	status, body := e.doJSON("GET", path, tok, nil)
	var m sessionModel
	if status != http.StatusOK || json.Unmarshal(body, &m) != nil || m.Choice != analysts.BuiltinID || len(m.Choices) != 1 {
		t.Fatalf("menu %d %s", status, body)
	}
	if status, body := e.doJSON("PUT", path, tok, map[string]string{"choice": "anthropic:claude-sonnet-4-5"}); status != http.StatusBadRequest {
		t.Fatalf("a model not offered: %d %s", status, body)
	}
	if status, body := e.doJSON("PUT", path, tok, map[string]string{"choice": "builtin"}); status != http.StatusOK {
		t.Fatalf("choose builtin: %d %s", status, body)
	}
	other := e.register("other@example.com")
	if status, _ := e.doJSON("GET", path, other, nil); status != http.StatusNotFound {
		t.Fatalf("another user's session menu: %d", status)
	}
}
