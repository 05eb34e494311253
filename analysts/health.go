package analysts

import (
	"context"
	"errors"
	"time"

	"github.com/analyzerhq/analyzer/agent/llm"
	"github.com/analyzerhq/analyzer/agent/llm/anthropic"
	"github.com/analyzerhq/analyzer/agent/llm/openai"
	"github.com/analyzerhq/analyzer/apperr"
	"github.com/analyzerhq/analyzer/config"
)

// Health statuses of the configured provider.
const (
	StatusOK          = "ok"
	StatusChecking    = "checking"
	StatusUnreachable = "unreachable"
	StatusRejected    = "rejected"
	// StatusMisconfigured: the settings cannot work (a provider chosen
	// without its key or model); the built-in analyst answers meanwhile.
	StatusMisconfigured = "misconfigured"
)

// Health says whether the configured provider answers, with the reason
// in plain words when it does not.
type Health struct {
	Status    string    `json:"status"`
	Problem   string    `json:"problem,omitempty"`
	CheckedAt time.Time `json:"checked_at,omitzero"`
}

// recheckAfter is how old a result may be before Health starts a new check.
const recheckAfter = time.Minute

// checkTimeout bounds one check.
const checkTimeout = 10 * time.Second

// Health is the last check's result; a result older than a minute starts
// a new check in the background.
func (s *Set) Health() Health {
	s.mu.Lock()
	h := s.health
	if s.problem != "" {
		h = Health{Status: StatusMisconfigured, Problem: s.problem + " The built-in analyst answers until this is fixed."}
	}
	stale := s.cfg.ActiveProvider() != config.ProviderBuiltin && s.problem == "" && !s.checking &&
		(h.Status == StatusChecking || time.Since(h.CheckedAt) > recheckAfter)
	s.mu.Unlock()
	if stale {
		go s.Check(context.Background())
	}
	return h
}

// Check asks the configured provider for its model list (a call that costs
// nothing) and keeps the outcome for Health.
func (s *Set) Check(ctx context.Context) Health {
	s.mu.Lock()
	if s.checking {
		h := s.health
		s.mu.Unlock()
		return h
	}
	s.checking = true
	cfg := s.cfg
	s.mu.Unlock()

	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	var models []string
	var err error
	provider := cfg.ActiveProvider()
	switch provider {
	case config.ProviderAnthropic:
		models, err = anthropic.CheckKey(ctx, anthropic.Config{APIKey: cfg.Anthropic.APIKey, BaseURL: cfg.Anthropic.BaseURL})
	case config.ProviderOpenAI:
		models, err = openai.ListModels(ctx, openai.Config{BaseURL: cfg.OpenAI.BaseURL, APIKey: cfg.OpenAI.APIKey, Timeout: checkTimeout})
	}
	h := Health{Status: StatusOK, CheckedAt: time.Now()}
	if err != nil {
		h = Health{Status: StatusUnreachable, Problem: apperr.MessageOf(err), CheckedAt: time.Now()}
		if errors.Is(err, llm.ErrKeyRejected) {
			h.Status = StatusRejected
		}
		s.log.Warn("model provider check failed", "provider", provider, "status", h.Status, "err", err)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	s.checking = false
	if !sameProvider(s.cfg, cfg) {
		return h // the settings changed meanwhile: this result is about the old ones
	}
	s.health = h
	if err == nil && provider != config.ProviderBuiltin {
		s.listed[provider] = models
	}
	return h
}

// Failed records what a model call just said about the configured
// provider: a rejected key or an unreachable server shows in Health at
// once, before the next check.
func (s *Set) Failed(c Choice, err error) {
	if err == nil || c.Provider == config.ProviderBuiltin || !c.Default {
		return
	}
	status := ""
	switch {
	case errors.Is(err, llm.ErrKeyRejected):
		status = StatusRejected
	case apperr.KindOf(err) == apperr.Unavailable && llm.IsRetryable(err):
		status = StatusUnreachable
	default:
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.health = Health{Status: status, Problem: apperr.MessageOf(err), CheckedAt: time.Now()}
}

func sameProvider(a, b config.Config) bool {
	return a.ActiveProvider() == b.ActiveProvider() && a.Anthropic == b.Anthropic && a.OpenAI == b.OpenAI
}
