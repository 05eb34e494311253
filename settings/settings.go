// Package settings keeps the model settings a person makes in the page
// (which analyst answers, API keys, base URL, models) in a file of the data
// folder, readable by its owner only, and lays them under the environment:
// a variable the environment sets always wins, and the page shows it as
// locked. Keys are never returned whole: a View carries their last four
// characters at most.
package settings

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/analyzerhq/analyzer/config"
	"github.com/analyzerhq/analyzer/datadir"
)

// Models is what the Settings panel stores.
type Models struct {
	// Provider is builtin, anthropic or openai; empty chooses from the keys.
	Provider  string    `json:"provider,omitempty"`
	Anthropic Anthropic `json:"anthropic"`
	OpenAI    OpenAI    `json:"openai"`
}

// Anthropic is the Claude provider's part.
type Anthropic struct {
	APIKey     string `json:"api_key,omitempty"`
	Model      string `json:"model,omitempty"`
	TitleModel string `json:"title_model,omitempty"`
}

// OpenAI is an OpenAI-compatible server's part.
type OpenAI struct {
	BaseURL    string `json:"base_url,omitempty"`
	APIKey     string `json:"api_key,omitempty"`
	Model      string `json:"model,omitempty"`
	TitleModel string `json:"title_model,omitempty"`
}

// File is the settings' file in the data folder dir.
func File(dir string) string { return datadir.SettingsFile(dir) }

// Load reads the settings at path; a missing file is empty settings.
func Load(path string) (Models, error) {
	var m Models
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return m, nil
	}
	if err != nil {
		return m, fmt.Errorf("read the model settings: %w", err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return Models{}, fmt.Errorf("the model settings file %s is damaged: remove it and choose the settings again", path)
	}
	return m, nil
}

// Save writes the settings to path with mode 0600, whole or not at all.
func Save(path string, m Models) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("save the model settings: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("save the model settings: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("save the model settings: %w", err)
	}
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("save the model settings: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("save the model settings: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("save the model settings: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("save the model settings: %w", err)
	}
	return nil
}

// Variables the page's settings map onto; when the environment sets one,
// the matching setting is locked.
const (
	VarProvider       = "ANALYZER_PROVIDER"
	VarAnthropicKey   = "ANTHROPIC_API_KEY"
	VarAnthropicModel = "ANTHROPIC_MODEL"
	VarAnthropicTitle = "ANTHROPIC_TITLE_MODEL"
	VarOpenAIBaseURL  = "OPENAI_BASE_URL"
	VarOpenAIKey      = "OPENAI_API_KEY"
	VarOpenAIModel    = "OPENAI_MODEL"
	VarOpenAITitle    = "OPENAI_TITLE_MODEL"
)

// Apply lays m under the environment's configuration: each setting the
// environment does not give takes m's value.
func Apply(cfg config.Config, m Models) config.Config {
	out := cfg
	take := func(dst *string, v, key string) {
		if !cfg.IsSet(key) && strings.TrimSpace(v) != "" {
			*dst = strings.TrimSpace(v)
		}
	}
	take(&out.Provider, strings.ToLower(m.Provider), VarProvider)
	take(&out.Anthropic.APIKey, m.Anthropic.APIKey, VarAnthropicKey)
	take(&out.Anthropic.Model, m.Anthropic.Model, VarAnthropicModel)
	take(&out.Anthropic.TitleModel, m.Anthropic.TitleModel, VarAnthropicTitle)
	take(&out.OpenAI.BaseURL, m.OpenAI.BaseURL, VarOpenAIBaseURL)
	take(&out.OpenAI.APIKey, m.OpenAI.APIKey, VarOpenAIKey)
	take(&out.OpenAI.Model, m.OpenAI.Model, VarOpenAIModel)
	take(&out.OpenAI.TitleModel, m.OpenAI.TitleModel, VarOpenAITitle)
	return out
}

// Locked lists the variables the environment sets among those the page
// could change.
func Locked(cfg config.Config) []string {
	var out []string
	for _, k := range []string{VarProvider, VarAnthropicKey, VarAnthropicModel, VarAnthropicTitle,
		VarOpenAIBaseURL, VarOpenAIKey, VarOpenAIModel, VarOpenAITitle} {
		if cfg.IsSet(k) {
			out = append(out, k)
		}
	}
	return out
}

// Merge returns cur with the changes of next: an empty key in next keeps
// the stored one (the page never has it to send back), Clear* drops it.
func Merge(cur, next Models, clearAnthropicKey, clearOpenAIKey bool) Models {
	out := next
	if out.Anthropic.APIKey == "" && !clearAnthropicKey {
		out.Anthropic.APIKey = cur.Anthropic.APIKey
	}
	if out.OpenAI.APIKey == "" && !clearOpenAIKey {
		out.OpenAI.APIKey = cur.OpenAI.APIKey
	}
	return out
}

// Hint shows a key as its last four characters ("…a1b2"), or nothing when
// the key is too short to show any of it safely.
func Hint(key string) string {
	key = strings.TrimSpace(key)
	if len(key) < 12 {
		if key == "" {
			return ""
		}
		return "set"
	}
	return "…" + key[len(key)-4:]
}
