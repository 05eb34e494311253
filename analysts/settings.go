package analysts

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/analyzerhq/analyzer/agent/llm"
	"github.com/analyzerhq/analyzer/agent/llm/anthropic"
	"github.com/analyzerhq/analyzer/agent/llm/openai"
	"github.com/analyzerhq/analyzer/apperr"
	"github.com/analyzerhq/analyzer/config"
	"github.com/analyzerhq/analyzer/localmodels"
	"github.com/analyzerhq/analyzer/settings"
)

// View is what the Settings panel shows. It never holds a key: at most
// its last four characters.
type View struct {
	// Editable is set in desktop mode, where the one account owns the
	// computer; in server mode the panel only shows.
	Editable bool `json:"editable"`
	// Detailed is set when addresses and key hints are shown (desktop
	// mode, and administrators in server mode).
	Detailed bool `json:"detailed"`
	// Provider is the provider setting: builtin, anthropic, openai, or
	// empty (chosen from the keys); Active the one that answers.
	Provider string `json:"provider"`
	Active   string `json:"active"`
	// Locked names the environment variables that fix a setting.
	Locked    []string             `json:"locked"`
	Anthropic ProviderView         `json:"anthropic"`
	OpenAI    ProviderView         `json:"openai"`
	Local     []localmodels.Server `json:"local"`
	Default   Choice               `json:"default"`
	Health    Health               `json:"health"`
	// MonthlyTokenBudget is each user's monthly token budget; 0 = none.
	MonthlyTokenBudget int64 `json:"monthly_token_budget"`
}

// ProviderView is one provider's settings, as shown.
type ProviderView struct {
	BaseURL    string   `json:"base_url,omitempty"`
	KeySet     bool     `json:"key_set"`
	KeyHint    string   `json:"key_hint,omitempty"`
	Model      string   `json:"model,omitempty"`
	TitleModel string   `json:"title_model,omitempty"`
	Models     []string `json:"models,omitempty"` // what the provider listed
}

// View describes the settings in force.
func (s *Set) View(editable, detailed bool) View {
	h := s.Health()
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.cfg
	v := View{
		Editable: editable, Detailed: detailed || editable,
		Provider: c.Provider, Active: s.defaultChoice().Provider,
		Locked:  settings.Locked(s.env),
		Default: s.defaultChoice(), Health: h,
		MonthlyTokenBudget: s.env.Models.MonthlyTokenBudget,
		Anthropic: ProviderView{KeySet: c.Anthropic.APIKey != "", Model: c.Anthropic.Model, TitleModel: c.Anthropic.TitleModel,
			Models: slices.Clone(s.listed[config.ProviderAnthropic])},
		OpenAI: ProviderView{KeySet: c.OpenAI.APIKey != "", Model: c.OpenAI.Model, TitleModel: c.OpenAI.TitleModel,
			Models: slices.Clone(s.listed[config.ProviderOpenAI])},
		Local: slices.Clone(s.local),
	}
	if v.Locked == nil {
		v.Locked = []string{}
	}
	if v.Detailed {
		v.Anthropic.KeyHint = settings.Hint(c.Anthropic.APIKey)
		v.OpenAI.KeyHint = settings.Hint(c.OpenAI.APIKey)
		v.OpenAI.BaseURL = c.OpenAI.BaseURL
	} else {
		v.Local = nil
	}
	return v
}

// Update is a change made in the Settings panel. An empty key keeps the
// stored one (the page never has it to send back); Clear… removes it.
type Update struct {
	settings.Models
	ClearAnthropicKey bool `json:"clear_anthropic_key,omitempty"`
	ClearOpenAIKey    bool `json:"clear_openai_key,omitempty"`
}

// Save checks u and keeps it in the settings file: a new Anthropic key
// must pass a call before it is kept, a key the OpenAI-compatible server
// refuses is not kept. Settings the environment fixes are ignored. The
// error's message says in plain words what to change.
func (s *Set) Save(ctx context.Context, u Update) error {
	if s.opts.SettingsFile == "" {
		return apperr.New(apperr.Forbidden, "settings cannot be changed here: the environment configures the models")
	}
	u.Provider = strings.ToLower(strings.TrimSpace(u.Provider))
	switch u.Provider {
	case "", config.ProviderBuiltin, config.ProviderAnthropic, config.ProviderOpenAI:
	default:
		return apperr.New(apperr.Invalid, "choose the built-in analyst, Claude or an OpenAI-compatible server")
	}
	trim := func(p *string) { *p = strings.TrimSpace(*p) }
	for _, p := range []*string{&u.Anthropic.APIKey, &u.Anthropic.Model, &u.Anthropic.TitleModel,
		&u.OpenAI.BaseURL, &u.OpenAI.APIKey, &u.OpenAI.Model, &u.OpenAI.TitleModel} {
		trim(p)
	}
	u.OpenAI.BaseURL = strings.TrimRight(u.OpenAI.BaseURL, "/")
	if !validBaseURL(u.OpenAI.BaseURL) {
		return apperr.New(apperr.Invalid, "the server address must start with http:// or https://, such as http://localhost:11434/v1")
	}

	s.mu.Lock()
	stored := s.stored
	s.mu.Unlock()
	next := settings.Merge(stored, u.Models, u.ClearAnthropicKey, u.ClearOpenAIKey)
	cfg := settings.Apply(s.env, next)

	var anthropicModels, openaiModels []string
	if u.Anthropic.APIKey != "" && !s.env.IsSet(settings.VarAnthropicKey) {
		models, err := anthropic.CheckKey(ctx, anthropic.Config{APIKey: u.Anthropic.APIKey, BaseURL: cfg.Anthropic.BaseURL})
		if err != nil {
			return apperr.Wrap(apperr.Invalid, "The key was not saved. "+apperr.MessageOf(err), err)
		}
		anthropicModels = models
	}
	if cfg.ActiveProvider() == config.ProviderOpenAI {
		if cfg.OpenAI.Model == "" {
			return apperr.New(apperr.Invalid, "pick the model the OpenAI-compatible server should answer with")
		}
		models, err := openai.ListModels(ctx, openai.Config{BaseURL: cfg.OpenAI.BaseURL, APIKey: cfg.OpenAI.APIKey, Timeout: checkTimeout})
		if errors.Is(err, llm.ErrKeyRejected) {
			return apperr.Wrap(apperr.Invalid, "The settings were not saved. "+apperr.MessageOf(err), err)
		}
		openaiModels = models // a server not running now may run later: saved anyway, Health tells
	}
	if cfg.ActiveProvider() == config.ProviderAnthropic && cfg.Anthropic.APIKey == "" {
		return apperr.New(apperr.Invalid, "enter an Anthropic API key to answer with Claude")
	}
	if err := settings.Save(s.opts.SettingsFile, next); err != nil {
		return apperr.Wrap(apperr.Internal, "could not save the settings", err)
	}
	s.mu.Lock()
	s.stored = next
	s.apply()
	if anthropicModels != nil {
		s.listed[config.ProviderAnthropic] = anthropicModels
	}
	if openaiModels != nil {
		s.listed[config.ProviderOpenAI] = openaiModels
	}
	s.mu.Unlock()
	s.log.Info("model settings saved", "provider", cfg.ActiveProvider())
	go s.Check(context.WithoutCancel(ctx))
	return nil
}

// ListModels asks a provider for its models before its settings are
// saved, with the key given or, when none is, the one in force.
func (s *Set) ListModels(ctx context.Context, provider, baseURL, apiKey string) ([]string, error) {
	cfg := s.Config()
	switch provider {
	case config.ProviderAnthropic:
		if apiKey == "" {
			apiKey = cfg.Anthropic.APIKey
		}
		if apiKey == "" {
			return nil, apperr.New(apperr.Invalid, "enter an Anthropic API key first")
		}
		return anthropic.CheckKey(ctx, anthropic.Config{APIKey: apiKey, BaseURL: cfg.Anthropic.BaseURL})
	case config.ProviderOpenAI:
		if baseURL == "" {
			baseURL = cfg.OpenAI.BaseURL
		}
		if apiKey == "" && strings.TrimRight(baseURL, "/") == strings.TrimRight(cfg.OpenAI.BaseURL, "/") {
			apiKey = cfg.OpenAI.APIKey
		}
		return openai.ListModels(ctx, openai.Config{BaseURL: baseURL, APIKey: apiKey, Timeout: checkTimeout})
	}
	return nil, apperr.New(apperr.Invalid, "only Claude and OpenAI-compatible servers list models")
}
