// Package analysts holds who can answer a question: the built-in analyst,
// Claude and an OpenAI-compatible server as the configuration and the
// page's settings describe them, and the models found on loopback. It
// builds each analyst once, names each as a Choice a session can pick,
// saves the page's settings (package settings) and knows whether the
// configured provider answers (health.go).
package analysts

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/agent/builtin"
	"github.com/analyzerhq/analyzer/agent/llm"
	"github.com/analyzerhq/analyzer/agent/llm/anthropic"
	"github.com/analyzerhq/analyzer/agent/llm/openai"
	"github.com/analyzerhq/analyzer/config"
	"github.com/analyzerhq/analyzer/localmodels"
	"github.com/analyzerhq/analyzer/settings"
	"github.com/analyzerhq/analyzer/vegalite"
)

// Choice is one analyst a session can pick.
type Choice struct {
	// ID names the choice: "builtin", "anthropic:MODEL", "openai:MODEL"
	// (the configured server) or "local:PORT:MODEL" (a server found on
	// loopback).
	ID       string `json:"id"`
	Provider string `json:"provider"` // builtin, anthropic, openai
	Model    string `json:"model,omitempty"`
	// Source says where it runs: "Built in", "Claude", "OpenAI-compatible",
	// "Ollama on this computer".
	Source string `json:"source"`
	// Local is set when it runs on this computer: its answers cost nothing.
	Local   bool   `json:"local"`
	Default bool   `json:"default,omitempty"`
	baseURL string // openai and local: the API root
}

// Info is the choice as the agent describes an analyst.
func (c Choice) Info() agent.Info { return agent.Info{Name: c.Provider, Model: c.Model} }

// BuiltinID is the built-in analyst's choice.
const BuiltinID = config.ProviderBuiltin

// Engine is what the analysts query (*duck.Engine).
type Engine = builtin.Engine

// Options configures a Set.
type Options struct {
	// SettingsFile holds the page's settings; empty keeps none (tests).
	SettingsFile string
	// DiscoveryTimeout bounds the search for local models
	// (localmodels.DefaultTimeout when zero).
	DiscoveryTimeout time.Duration
	Log              *slog.Logger
	// Changer, when set, lets the analysts change the data as new
	// versions (package tables).
	Changer agent.Changer
}

// Set is every analyst the application can answer with.
type Set struct {
	env    config.Config // the environment's configuration
	engine Engine
	opts   Options
	log    *slog.Logger

	mu       sync.Mutex
	stored   settings.Models
	cfg      config.Config // env with the stored settings under it
	problem  string        // why the configured provider cannot be used, in plain words
	built    map[string]agent.Analyst
	builtin  agent.Analyst
	local    []localmodels.Server
	listed   map[string][]string // models each configured provider listed
	health   Health
	checking bool
}

// New returns the analysts for env and the settings stored in
// opts.SettingsFile. A damaged settings file is reported and ignored.
func New(env config.Config, engine Engine, opts Options) *Set {
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	s := &Set{env: env, engine: engine, opts: opts, log: opts.Log, listed: map[string][]string{}}
	s.builtin = builtin.New(engine, builtin.WithLogger(opts.Log), builtin.WithChanger(opts.Changer))
	if opts.SettingsFile != "" {
		stored, err := settings.Load(opts.SettingsFile)
		if err != nil {
			s.log.Warn("model settings ignored", "err", err)
		}
		s.stored = stored
	}
	s.mu.Lock()
	s.apply()
	s.mu.Unlock()
	return s
}

// apply recomputes the configuration from env and the stored settings and
// forgets the analysts built from the old one. s.mu is held.
func (s *Set) apply() {
	s.cfg = settings.Apply(s.env, s.stored)
	s.built = map[string]agent.Analyst{}
	s.problem = providerProblem(s.cfg)
	s.health = Health{Status: StatusChecking}
	if s.cfg.ActiveProvider() == config.ProviderBuiltin {
		s.health = Health{Status: StatusOK}
	}
}

// providerProblem says why the configured provider cannot answer.
func providerProblem(c config.Config) string {
	switch c.ActiveProvider() {
	case config.ProviderAnthropic:
		if c.Anthropic.APIKey == "" {
			return "Claude is chosen but no Anthropic API key is set."
		}
	case config.ProviderOpenAI:
		if c.OpenAI.BaseURL == "" && c.OpenAI.APIKey == "" {
			return "An OpenAI-compatible server is chosen but neither its address nor an API key is set."
		}
		if c.OpenAI.Model == "" {
			return "An OpenAI-compatible server is chosen but no model is picked."
		}
		if !validBaseURL(c.OpenAI.BaseURL) {
			return "The OpenAI-compatible server's address must start with http:// or https://."
		}
	}
	return ""
}

// Config is the configuration in force: the environment's, with the
// page's settings under it.
func (s *Set) Config() config.Config {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cfg
}

// Default is the configured analyst's choice; the built-in analyst when
// the configured one cannot be used.
func (s *Set) Default() Choice {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.defaultChoice()
}

func (s *Set) defaultChoice() Choice {
	c := s.cfg
	if s.problem != "" {
		return builtinChoice(true)
	}
	switch c.ActiveProvider() {
	case config.ProviderAnthropic:
		return Choice{ID: "anthropic:" + c.Anthropic.Model, Provider: config.ProviderAnthropic, Model: c.Anthropic.Model, Source: "Claude", Default: true}
	case config.ProviderOpenAI:
		return s.openAIChoice(c.OpenAI.Model, true)
	}
	return builtinChoice(true)
}

func builtinChoice(def bool) Choice {
	return Choice{ID: BuiltinID, Provider: config.ProviderBuiltin, Source: "Built in", Local: true, Default: def}
}

func (s *Set) openAIChoice(model string, def bool) Choice {
	base := s.cfg.OpenAI.BaseURL
	if base == "" {
		base = openai.DefaultBaseURL
	}
	local := IsLoopback(base)
	source := "OpenAI-compatible"
	if local {
		source = "OpenAI-compatible, on this computer"
	}
	return Choice{ID: "openai:" + model, Provider: config.ProviderOpenAI, Model: model, Source: source, Local: local, Default: def, baseURL: base}
}

// Choices lists what a session may pick: the built-in analyst, the
// configured provider's model and the others it listed, and every model
// found on loopback.
func (s *Set) Choices() []Choice {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.choices()
}

// choices lists the choices. s.mu is held.
func (s *Set) choices() []Choice {
	def := s.defaultChoice()
	out := []Choice{builtinChoice(def.ID == BuiltinID)}
	add := func(c Choice) {
		if !slices.ContainsFunc(out, func(o Choice) bool { return o.ID == c.ID }) {
			c.Default = c.ID == def.ID
			out = append(out, c)
		}
	}
	c := s.cfg
	if c.Anthropic.APIKey != "" && c.Anthropic.Model != "" {
		add(Choice{ID: "anthropic:" + c.Anthropic.Model, Provider: config.ProviderAnthropic, Model: c.Anthropic.Model, Source: "Claude"})
		for _, m := range s.listed[config.ProviderAnthropic] {
			add(Choice{ID: "anthropic:" + m, Provider: config.ProviderAnthropic, Model: m, Source: "Claude"})
		}
	}
	if (c.OpenAI.BaseURL != "" || c.OpenAI.APIKey != "") && validBaseURL(c.OpenAI.BaseURL) {
		if c.OpenAI.Model != "" {
			add(s.openAIChoice(c.OpenAI.Model, false))
		}
		for _, m := range s.listed[config.ProviderOpenAI] {
			add(s.openAIChoice(m, false))
		}
	}
	for _, srv := range s.local {
		if c.OpenAI.BaseURL != "" && sameServer(c.OpenAI.BaseURL, srv.BaseURL) {
			continue // already offered as the configured server
		}
		for _, m := range srv.Models {
			add(localChoice(srv, m))
		}
	}
	return out
}

// validBaseURL reports whether raw is empty (the default server) or an
// http(s) URL with a host.
func validBaseURL(raw string) bool {
	if raw == "" {
		return true
	}
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

func localChoice(srv localmodels.Server, model string) Choice {
	return Choice{ID: fmt.Sprintf("local:%d:%s", srv.Port, model), Provider: config.ProviderOpenAI, Model: model,
		Source: srv.Name + " on this computer", Local: true, baseURL: srv.BaseURL}
}

// Resolve returns the analyst of the choice id, and its choice; an empty
// or unknown id (a model no longer offered) gives the default.
func (s *Set) Resolve(id string) (agent.Analyst, Choice) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.find(id)
	if !ok {
		c = s.defaultChoice()
	}
	a, err := s.build(c)
	if err != nil {
		s.log.Warn("analyst unavailable; the built-in analyst answers", "choice", c.ID, "err", err)
		return s.builtin, builtinChoice(false)
	}
	return a, c
}

// Offers reports whether id is a choice a session may pick now.
func (s *Set) Offers(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.find(id)
	return ok
}

// find looks id up among the choices. s.mu is held.
func (s *Set) find(id string) (Choice, bool) {
	if id == "" {
		return Choice{}, false
	}
	for _, c := range s.choices() {
		if c.ID == id {
			return c, true
		}
	}
	return Choice{}, false
}

// Builtin is the built-in analyst and its choice.
func (s *Set) Builtin() (agent.Analyst, Choice) { return s.builtin, builtinChoice(false) }

// build returns the analyst of c, made once per configuration. s.mu is held.
func (s *Set) build(c Choice) (agent.Analyst, error) {
	if c.Provider == config.ProviderBuiltin {
		return s.builtin, nil
	}
	if a, ok := s.built[c.ID]; ok {
		return a, nil
	}
	cfg := s.cfg
	var model llm.Model
	var err error
	switch c.Provider {
	case config.ProviderAnthropic:
		model, err = anthropic.New(anthropic.Config{APIKey: cfg.Anthropic.APIKey, BaseURL: cfg.Anthropic.BaseURL,
			Model: c.Model, TitleModel: cfg.Anthropic.TitleModel})
	case config.ProviderOpenAI:
		oc := openai.Config{BaseURL: c.baseURL, Model: c.Model}
		if strings.HasPrefix(c.ID, "openai:") {
			oc.APIKey = cfg.OpenAI.APIKey
			if c.Model == cfg.OpenAI.Model {
				oc.TitleModel = cfg.OpenAI.TitleModel
			}
		} else {
			oc.HTTPClient = localmodels.Client(openai.DefaultTimeout)
		}
		model, err = openai.New(oc)
	default:
		err = fmt.Errorf("provider %q is not available in this build", c.Provider)
	}
	if err != nil {
		return nil, err
	}
	// Compiling the chart schema takes a moment: not on the first chart.
	go vegalite.Warm()
	a := llm.NewAnalyst(model, s.engine, llm.Options{SendRows: cfg.SendRows, Log: s.log,
		MaxRounds: cfg.Limits.MaxToolRounds, MaxTurnTokens: cfg.Limits.MaxTurnTokens, Changer: s.opts.Changer})
	s.built[c.ID] = a
	return a, nil
}

// Discover looks for model servers on loopback (the configured ports) and
// remembers what it found; it returns that.
func (s *Set) Discover(ctx context.Context) []localmodels.Server {
	found := localmodels.Find(ctx, s.env.Models.LocalModelPorts, s.opts.DiscoveryTimeout)
	s.mu.Lock()
	s.local = found
	s.mu.Unlock()
	if len(found) > 0 {
		names := make([]string, len(found))
		for i, f := range found {
			names[i] = f.Name + " (" + strconv.Itoa(len(f.Models)) + " models)"
		}
		s.log.Info("local model servers found", "servers", strings.Join(names, ", "))
	}
	return found
}

// Local is what the last search found on loopback.
func (s *Set) Local() []localmodels.Server {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.local)
}

// IsLoopback reports whether rawURL's host is this computer.
func IsLoopback(rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil {
		return false
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// sameServer reports whether two API roots name the same loopback port.
func sameServer(a, b string) bool {
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	if err1 != nil || err2 != nil {
		return false
	}
	return IsLoopback(a) && IsLoopback(b) && ua.Port() == ub.Port()
}
