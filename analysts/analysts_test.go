package analysts

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/analyzerhq/analyzer/agent/llm/anthropic/anthropictest"
	"github.com/analyzerhq/analyzer/agent/llm/openai/openaitest"
	"github.com/analyzerhq/analyzer/apperr"
	"github.com/analyzerhq/analyzer/config"
	"github.com/analyzerhq/analyzer/settings"
)

const goodKey = "sk-ant-api03-good-key-A1B2"

func mustEnv(t *testing.T, environ ...string) config.Config {
	t.Helper()
	environ = append(environ, "ANALYZER_LOCAL_MODEL_PORTS=off")
	cfg, err := config.Load(environ, "")
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// newSet returns analysts over env with a settings file in a temporary
// folder, logging into the returned buffer. No engine is needed until a
// turn runs.
func newSet(t *testing.T, env config.Config) (*Set, string, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	file := settings.File(t.TempDir())
	s := New(env, nil, Options{SettingsFile: file, Log: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	return s, file, &logs
}

func TestSaveChecksTheAnthropicKeyFirst(t *testing.T) {
	fake := anthropictest.New(t)
	fake.SetModels(goodKey, "claude-sonnet-4-5", "claude-haiku-4-5")
	s, file, logs := newSet(t, mustEnv(t, "ANTHROPIC_BASE_URL="+fake.URL))
	ctx := context.Background()

	bad := Update{Models: settings.Models{Provider: "anthropic", Anthropic: settings.Anthropic{APIKey: "sk-ant-api03-wrong-key-ZZZZ"}}}
	err := s.Save(ctx, bad)
	if apperr.KindOf(err) != apperr.Invalid || !strings.Contains(apperr.MessageOf(err), "rejected") {
		t.Fatalf("a rejected key: %v", err)
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Fatalf("a rejected key was written: %v", err)
	}
	if s.Default().ID != BuiltinID {
		t.Fatalf("default after a refused save: %+v", s.Default())
	}

	good := Update{Models: settings.Models{Provider: "anthropic", Anthropic: settings.Anthropic{APIKey: goodKey, Model: "claude-sonnet-4-5"}}}
	if err := s.Save(ctx, good); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(file)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("settings file %v, %v", info, err)
	}
	if d := s.Default(); d.ID != "anthropic:claude-sonnet-4-5" {
		t.Fatalf("default after saving %+v", d)
	}
	v := s.View(true, true)
	if v.Anthropic.KeyHint != "…A1B2" || !v.Anthropic.KeySet || v.Active != "anthropic" {
		t.Fatalf("view %+v", v.Anthropic)
	}
	if strings.Join(v.Anthropic.Models, ",") != "claude-sonnet-4-5,claude-haiku-4-5" {
		t.Fatalf("listed models %v", v.Anthropic.Models)
	}
	// The key is never shown whole, in any view, nor logged.
	for _, detailed := range []bool{true, false} {
		b, _ := json.Marshal(s.View(detailed, detailed))
		if bytes.Contains(b, []byte(goodKey)) || bytes.Contains(b, []byte("wrong-key")) {
			t.Fatalf("a view holds the key: %s", b)
		}
	}
	s.Check(ctx)
	if strings.Contains(logs.String(), "good-key") || strings.Contains(logs.String(), "wrong-key") {
		t.Fatalf("the logs hold a key:\n%s", logs)
	}
	// A later save without a key keeps the stored one.
	if err := s.Save(ctx, Update{Models: settings.Models{Provider: "anthropic", Anthropic: settings.Anthropic{Model: "claude-haiku-4-5"}}}); err != nil {
		t.Fatal(err)
	}
	stored, _ := settings.Load(file)
	if stored.Anthropic.APIKey != goodKey || stored.Anthropic.Model != "claude-haiku-4-5" {
		t.Fatalf("stored %+v", stored.Anthropic)
	}
	// Each key check was one model-list call carrying the key.
	for _, r := range fake.Requests() {
		if len(r.Raw) != 0 {
			t.Fatalf("a key check made a model call: %s", r.Raw)
		}
	}
}

func TestEnvironmentLocksSettings(t *testing.T) {
	fake := anthropictest.New(t)
	fake.SetModels(goodKey, "claude-sonnet-4-5")
	s, _, _ := newSet(t, mustEnv(t, "ANTHROPIC_BASE_URL="+fake.URL, "ANTHROPIC_API_KEY="+goodKey, "ANTHROPIC_MODEL=claude-sonnet-4-5"))
	// A key typed in the page does not replace the environment's, and is
	// not even checked.
	if err := s.Save(context.Background(), Update{Models: settings.Models{Anthropic: settings.Anthropic{APIKey: "sk-ant-page-key-0000", Model: "other"}}}); err != nil {
		t.Fatal(err)
	}
	if n := len(fake.Requests()); n != 0 {
		t.Fatalf("%d calls checking a locked key", n)
	}
	c := s.Config()
	if c.Anthropic.APIKey != goodKey || c.Anthropic.Model != "claude-sonnet-4-5" {
		t.Fatalf("config %+v", c.Anthropic.Model)
	}
	v := s.View(true, true)
	if strings.Join(v.Locked, ",") != "ANTHROPIC_API_KEY,ANTHROPIC_MODEL" {
		t.Fatalf("locked %v", v.Locked)
	}
}

func TestServerModeDoesNotSave(t *testing.T) {
	s := New(mustEnv(t), nil, Options{})
	err := s.Save(context.Background(), Update{Models: settings.Models{Provider: "builtin"}})
	if apperr.KindOf(err) != apperr.Forbidden {
		t.Fatalf("save without a settings file: %v", err)
	}
	v := s.View(false, false)
	if v.Editable || v.Detailed || v.OpenAI.BaseURL != "" || v.Local != nil {
		t.Fatalf("a user's view %+v", v)
	}
}

func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func TestHealthSaysWhatIsWrong(t *testing.T) {
	keyed := openaitest.New(t, []string{"gpt-4.1"})
	keyed.RequireKey("right-key")
	anth := anthropictest.New(t)
	anth.SetModels(goodKey, "claude-sonnet-4-5")
	cases := []struct {
		name    string
		env     []string
		status  string
		problem string
	}{
		{"built-in", nil, StatusOK, ""},
		{"nothing listens", []string{"OPENAI_BASE_URL=http://127.0.0.1:" + strconv.Itoa(freePort(t)) + "/v1", "OPENAI_MODEL=llama3.1"},
			StatusUnreachable, "Nothing answers at"},
		{"key refused by the server", []string{"OPENAI_BASE_URL=" + keyed.BaseURL(), "OPENAI_API_KEY=wrong-key", "OPENAI_MODEL=gpt-4.1"},
			StatusRejected, "rejected the API key"},
		{"right key", []string{"OPENAI_BASE_URL=" + keyed.BaseURL(), "OPENAI_API_KEY=right-key", "OPENAI_MODEL=gpt-4.1"}, StatusOK, ""},
		{"Anthropic key rejected", []string{"ANTHROPIC_BASE_URL=" + anth.URL, "ANTHROPIC_API_KEY=sk-ant-revoked-0000"},
			StatusRejected, "Anthropic API key was rejected"},
		{"model missing", []string{"ANALYZER_PROVIDER=openai", "OPENAI_BASE_URL=http://127.0.0.1:1/v1"}, StatusMisconfigured, "no model"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := config.Load(append(c.env, "ANALYZER_LOCAL_MODEL_PORTS=off"), "")
			if err != nil {
				t.Fatal(err)
			}
			s := New(cfg, nil, Options{})
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			s.Check(ctx)
			h := s.Health()
			if h.Status != c.status || !strings.Contains(h.Problem, c.problem) {
				t.Fatalf("health %+v, want %s with %q", h, c.status, c.problem)
			}
		})
	}
}

func TestLocalModelsAreChoices(t *testing.T) {
	fake := openaitest.New(t, []string{"llama3.1:8b"})
	env := mustEnv(t)
	env.Models.LocalModelPorts = []int{fake.Port(), freePort(t)}
	s := New(env, nil, Options{})
	s.Discover(context.Background())
	id := "local:" + strconv.Itoa(fake.Port()) + ":llama3.1:8b"
	var got *Choice
	for _, c := range s.Choices() {
		if c.ID == id {
			got = &c
		}
	}
	if got == nil || !got.Local || got.Provider != config.ProviderOpenAI || got.Model != "llama3.1:8b" {
		t.Fatalf("choices %+v", s.Choices())
	}
	if !s.Offers(id) || s.Offers("local:1:nothing") || s.Offers("openai:gpt-4.1") {
		t.Fatal("offers a model not found")
	}
	// Settings pointing at the same server offer it once, as configured.
	file := filepath.Join(t.TempDir(), "s.json")
	s = New(env, nil, Options{SettingsFile: file})
	s.Discover(context.Background())
	if err := s.Save(context.Background(), Update{Models: settings.Models{Provider: "openai",
		OpenAI: settings.OpenAI{BaseURL: fake.BaseURL(), Model: "llama3.1:8b"}}}); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, c := range s.Choices() {
		ids = append(ids, c.ID)
	}
	if strings.Join(ids, " ") != "builtin openai:llama3.1:8b" {
		t.Fatalf("choices %v", ids)
	}
	if d := s.Default(); !d.Local || d.ID != "openai:llama3.1:8b" {
		t.Fatalf("default %+v", d)
	}
}
