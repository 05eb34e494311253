package settings

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/analyzerhq/analyzer/config"
)

func TestSaveAndLoad(t *testing.T) {
	path := File(t.TempDir())
	if m, err := Load(path); err != nil || !reflect.DeepEqual(m, Models{}) {
		t.Fatalf("missing file: %+v %v", m, err)
	}
	want := Models{Provider: "openai", Anthropic: Anthropic{APIKey: "sk-ant-secret-1234"},
		OpenAI: OpenAI{BaseURL: "http://127.0.0.1:11434/v1", Model: "llama3.1:8b"}}
	if err := Save(path, want); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if mode := info.Mode().Perm(); mode != 0o600 {
		t.Fatalf("settings file mode %o, want 600", mode)
	}
	got, err := Load(path)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("read back %+v %v", got, err)
	}
	// Saving again replaces the file whole, still 0600, and leaves no
	// temporary file behind.
	want.Provider = "anthropic"
	if err := Save(path, want); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Fatalf("left in the folder: %v", entries)
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o600 {
		t.Fatalf("mode after a second save %o", info.Mode().Perm())
	}
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); err == nil {
		t.Fatal("a damaged file was read")
	}
}

func TestEnvironmentWins(t *testing.T) {
	env, err := config.Load([]string{"ANTHROPIC_API_KEY=sk-ant-from-env-9999", "OPENAI_MODEL=gpt-4.1"}, "")
	if err != nil {
		t.Fatal(err)
	}
	stored := Models{Provider: "openai",
		Anthropic: Anthropic{APIKey: "sk-ant-from-page-1111", Model: "claude-haiku-4-5"},
		OpenAI:    OpenAI{BaseURL: "http://127.0.0.1:11434/v1", Model: "llama3.1:8b", APIKey: "page-key"}}
	cfg := Apply(env, stored)
	checks := []struct{ name, got, want string }{
		{"anthropic key (env)", cfg.Anthropic.APIKey, "sk-ant-from-env-9999"},
		{"anthropic model (page)", cfg.Anthropic.Model, "claude-haiku-4-5"},
		{"openai model (env)", cfg.OpenAI.Model, "gpt-4.1"},
		{"openai base URL (page)", cfg.OpenAI.BaseURL, "http://127.0.0.1:11434/v1"},
		{"provider (page)", cfg.Provider, "openai"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: %q, want %q", c.name, c.got, c.want)
		}
	}
	if got := Locked(env); !reflect.DeepEqual(got, []string{VarAnthropicKey, VarOpenAIModel}) {
		t.Errorf("locked %v", got)
	}
	// ANALYZER_PROVIDER set: the page's provider is ignored.
	env, _ = config.Load([]string{"ANALYZER_PROVIDER=builtin"}, "")
	if cfg := Apply(env, stored); cfg.ActiveProvider() != config.ProviderBuiltin {
		t.Errorf("provider %q, want the environment's builtin", cfg.ActiveProvider())
	}
}

func TestMergeKeepsKeysUnlessCleared(t *testing.T) {
	cur := Models{Anthropic: Anthropic{APIKey: "old-anthropic"}, OpenAI: OpenAI{APIKey: "old-openai"}}
	next := Models{Provider: "anthropic", Anthropic: Anthropic{Model: "m"}}
	got := Merge(cur, next, false, true)
	if got.Anthropic.APIKey != "old-anthropic" || got.OpenAI.APIKey != "" || got.Anthropic.Model != "m" {
		t.Fatalf("merged %+v", got)
	}
}

func TestHint(t *testing.T) {
	for key, want := range map[string]string{"": "", "short": "set", "sk-ant-api03-abcdefgh-WXYZ": "…WXYZ"} {
		if got := Hint(key); got != want {
			t.Errorf("Hint(%q) = %q, want %q", key, got, want)
		}
	}
}
