// Package config reads the application's settings from the environment, a
// .env file and flags, in that order of precedence from lowest to highest,
// and validates them before anything starts.
package config

import (
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/joho/godotenv"
)

// Defaults, as the API contract's environment table gives them.
const (
	DefaultDatabaseURL    = "sqlite:///./data_analyzer.db"
	DefaultDataDir        = "data"
	DefaultMaxUploadSize  = 1 << 30 // 1 GB
	DefaultTokenDays      = 30
	DefaultAddr           = "127.0.0.1:8001"
	DefaultQueryTimeout   = 30 * time.Second
	DefaultMaxResultRows  = 10000
	DefaultAnthropicModel = "claude-sonnet-5-5"
	DefaultTitleModel     = "claude-haiku-5-5"
)

// Providers that can answer natural-language questions.
const (
	ProviderAnthropic = "anthropic"
	ProviderOpenAI    = "openai"
	ProviderBuiltin   = "builtin"
)

// Config is every setting the application reads.
type Config struct {
	SecretKey         string        // SECRET_KEY: JWT signing key; generated and kept in DataDir when empty
	DatabaseURL       string        // DATABASE_URL, as given
	AccessTokenTTL    time.Duration // ACCESS_TOKEN_EXPIRE_DAYS
	DataDir           string        // DATA_DIR
	MaxUploadSize     int64         // MAX_UPLOAD_SIZE, bytes
	Addr              string        // ANALYZER_ADDR or --addr
	QueryTimeout      time.Duration // ANALYZER_QUERY_TIMEOUT (Go duration, e.g. 30s)
	MaxResultRows     int           // ANALYZER_MAX_RESULT_ROWS
	LogLevel          string        // LOG_LEVEL: debug, info, warn, error
	LogFormat         string        // LOG_FORMAT: text or json
	Provider          string        // ANALYZER_PROVIDER: anthropic, openai, builtin; empty = choose from keys
	SendRows          bool          // ANALYZER_SEND_ROWS: sample rows may go to a model
	AllowRegistration bool          // ALLOW_REGISTRATION: anyone may create an account
	TrustedProxies    []string      // TRUSTED_PROXIES: IPs or CIDRs whose X-Forwarded-* headers are believed
	NoBrowser         bool          // ANALYZER_NO_BROWSER: desktop mode does not open a browser
	Files             Files         // where sessions' files are kept (files.go)
	Limits            Limits        // abuse limits (limits.go)
	Resources         Resources     // memory, result and time bounds of the process (resources.go)
	Exports           Exports       // bounds of full exports (exports.go)
	Anthropic         Anthropic
	OpenAI            OpenAI
	Models            Models // budget, admins and local discovery (models.go)
	secretGenerated   bool
	// set names the variables the environment (or .env) gave a value:
	// settings made in the page never override them.
	set map[string]bool
}

// Anthropic configures the Claude provider.
type Anthropic struct {
	APIKey     string // ANTHROPIC_API_KEY
	BaseURL    string // ANTHROPIC_BASE_URL
	Model      string // ANTHROPIC_MODEL
	TitleModel string // ANTHROPIC_TITLE_MODEL
}

// OpenAI configures an OpenAI-compatible provider (OpenAI, Ollama, vLLM, ...).
type OpenAI struct {
	BaseURL string // OPENAI_BASE_URL
	APIKey  string // OPENAI_API_KEY
	Model   string // OPENAI_MODEL
	// TitleModel names the model for session titles (OPENAI_TITLE_MODEL;
	// default Model).
	TitleModel string
}

// Load builds a Config from environ (KEY=VALUE pairs, as os.Environ gives
// them) and, when dotenv names an existing file, that file's values for keys
// the environment does not set. It does not validate: call Validate.
func Load(environ []string, dotenv string) (Config, error) {
	env := map[string]string{}
	if dotenv != "" {
		fileVals, err := godotenv.Read(dotenv)
		if err != nil && !isNotExist(err) {
			return Config{}, fmt.Errorf("read %s: %w", dotenv, err)
		}
		for k, v := range fileVals {
			env[k] = v
		}
	}
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	return fromMap(env)
}

func fromMap(env map[string]string) (Config, error) {
	get := func(key, def string) string {
		if v, ok := env[key]; ok && strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
		return def
	}
	c := Config{
		SecretKey:   get("SECRET_KEY", ""),
		DatabaseURL: get("DATABASE_URL", DefaultDatabaseURL),
		DataDir:     get("DATA_DIR", DefaultDataDir),
		Addr:        get("ANALYZER_ADDR", DefaultAddr),
		LogLevel:    strings.ToLower(get("LOG_LEVEL", "info")),
		LogFormat:   strings.ToLower(get("LOG_FORMAT", "text")),
		Provider:    strings.ToLower(get("ANALYZER_PROVIDER", "")),
		Anthropic: Anthropic{
			APIKey:     get("ANTHROPIC_API_KEY", ""),
			BaseURL:    get("ANTHROPIC_BASE_URL", ""),
			Model:      get("ANTHROPIC_MODEL", DefaultAnthropicModel),
			TitleModel: get("ANTHROPIC_TITLE_MODEL", DefaultTitleModel),
		},
		OpenAI: OpenAI{
			BaseURL:    get("OPENAI_BASE_URL", ""),
			APIKey:     get("OPENAI_API_KEY", ""),
			Model:      get("OPENAI_MODEL", ""),
			TitleModel: get("OPENAI_TITLE_MODEL", ""),
		},
		set: map[string]bool{},
	}
	for k, v := range env {
		if strings.TrimSpace(v) != "" {
			c.set[k] = true
		}
	}
	var err error
	days, err := intVar(get, "ACCESS_TOKEN_EXPIRE_DAYS", DefaultTokenDays)
	if err != nil {
		return c, err
	}
	c.AccessTokenTTL = time.Duration(days) * 24 * time.Hour
	if c.MaxUploadSize, err = int64Var(get, "MAX_UPLOAD_SIZE", DefaultMaxUploadSize); err != nil {
		return c, err
	}
	if c.Files, err = filesFrom(get); err != nil {
		return c, err
	}
	if c.MaxResultRows, err = intVar(get, "ANALYZER_MAX_RESULT_ROWS", DefaultMaxResultRows); err != nil {
		return c, err
	}
	if c.QueryTimeout, err = durationVar(get, "ANALYZER_QUERY_TIMEOUT", DefaultQueryTimeout); err != nil {
		return c, err
	}
	if c.SendRows, err = boolVar(get, "ANALYZER_SEND_ROWS", true); err != nil {
		return c, err
	}
	if c.AllowRegistration, err = boolVar(get, "ALLOW_REGISTRATION", true); err != nil {
		return c, err
	}
	if c.NoBrowser, err = boolVar(get, "ANALYZER_NO_BROWSER", false); err != nil {
		return c, err
	}
	if err := c.Limits.load(get); err != nil {
		return c, err
	}
	if err := c.Resources.load(get); err != nil {
		return c, err
	}
	if err := c.Exports.load(get); err != nil {
		return c, err
	}
	if err := c.Models.load(get); err != nil {
		return c, err
	}
	for _, p := range strings.Split(get("TRUSTED_PROXIES", ""), ",") {
		if p = strings.TrimSpace(p); p != "" {
			c.TrustedProxies = append(c.TrustedProxies, p)
		}
	}
	return c, nil
}

// Validate rejects settings that cannot work, with a message that names the
// variable and says what it expects.
func (c *Config) Validate() error {
	if c.AccessTokenTTL < 24*time.Hour || c.AccessTokenTTL > 3650*24*time.Hour {
		return fmt.Errorf("ACCESS_TOKEN_EXPIRE_DAYS must be between 1 and 3650")
	}
	if c.MaxUploadSize < 1024 {
		return fmt.Errorf("MAX_UPLOAD_SIZE must be at least 1024 bytes")
	}
	if strings.TrimSpace(c.DataDir) == "" {
		return fmt.Errorf("DATA_DIR must not be empty")
	}
	if !c.Postgres() {
		if _, err := c.DatabasePath(); err != nil {
			return err
		}
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return fmt.Errorf("address %q must be host:port, e.g. 127.0.0.1:8001", c.Addr)
	}
	for _, p := range c.TrustedProxies {
		if net.ParseIP(p) == nil {
			if _, _, err := net.ParseCIDR(p); err != nil {
				return fmt.Errorf("TRUSTED_PROXIES: %q is neither an IP address nor a CIDR range", p)
			}
		}
	}
	if c.SecretKey != "" && len(c.SecretKey) < 16 {
		return fmt.Errorf("SECRET_KEY must be at least 16 characters (or unset, to have one generated)")
	}
	if c.QueryTimeout < 100*time.Millisecond || c.QueryTimeout > time.Hour {
		return fmt.Errorf("ANALYZER_QUERY_TIMEOUT must be between 100ms and 1h")
	}
	if c.MaxResultRows < 1 || c.MaxResultRows > 1_000_000 {
		return fmt.Errorf("ANALYZER_MAX_RESULT_ROWS must be between 1 and 1000000")
	}
	if err := c.Limits.validate(); err != nil {
		return err
	}
	if err := c.Resources.validate(); err != nil {
		return err
	}
	if err := c.Exports.validate(); err != nil {
		return err
	}
	if err := c.Models.validate(); err != nil {
		return err
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("LOG_LEVEL must be debug, info, warn or error")
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		return fmt.Errorf("LOG_FORMAT must be text or json")
	}
	switch c.Provider {
	case "", ProviderBuiltin:
	case ProviderAnthropic:
		if c.Anthropic.APIKey == "" {
			return fmt.Errorf("ANALYZER_PROVIDER=anthropic needs ANTHROPIC_API_KEY")
		}
	case ProviderOpenAI:
		if c.OpenAI.BaseURL == "" && c.OpenAI.APIKey == "" {
			return fmt.Errorf("ANALYZER_PROVIDER=openai needs OPENAI_BASE_URL or OPENAI_API_KEY")
		}
	default:
		return fmt.Errorf("ANALYZER_PROVIDER must be anthropic, openai or builtin")
	}
	if c.ActiveProvider() == ProviderOpenAI && c.OpenAI.Model == "" {
		return fmt.Errorf("OPENAI_MODEL must name the model to use with the OpenAI-compatible server (for Ollama, e.g. llama3.1)")
	}
	for name, raw := range map[string]string{"ANTHROPIC_BASE_URL": c.Anthropic.BaseURL, "OPENAI_BASE_URL": c.OpenAI.BaseURL} {
		if raw == "" {
			continue
		}
		if u, err := url.Parse(raw); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("%s must be an http(s) URL", name)
		}
	}
	return nil
}

// ActiveProvider is the provider that answers questions: the one named, else
// anthropic when its key is set, else openai when its base URL is set, else
// the built-in analyst.
func (c *Config) ActiveProvider() string {
	switch {
	case c.Provider != "":
		return c.Provider
	case c.Anthropic.APIKey != "":
		return ProviderAnthropic
	case c.OpenAI.BaseURL != "":
		return ProviderOpenAI
	}
	return ProviderBuiltin
}

// Postgres tells whether DatabaseURL names a PostgreSQL database
// (postgres://… or postgresql://…); otherwise it names a SQLite file.
func (c *Config) Postgres() bool {
	return strings.HasPrefix(c.DatabaseURL, "postgres://") || strings.HasPrefix(c.DatabaseURL, "postgresql://")
}

// DatabasePath returns the SQLite file named by DatabaseURL. It accepts the
// SQLAlchemy form of the contract (sqlite:///relative.db, sqlite:////abs.db),
// file: URLs and plain paths.
func (c *Config) DatabasePath() (string, error) {
	raw := c.DatabaseURL
	switch {
	case strings.HasPrefix(raw, "sqlite:///"):
		raw = strings.TrimPrefix(raw, "sqlite:///")
	case strings.HasPrefix(raw, "sqlite://"):
		return "", fmt.Errorf("DATABASE_URL %q: use sqlite:///relative/path.db or sqlite:////absolute/path.db", c.DatabaseURL)
	case strings.HasPrefix(raw, "file:"):
		raw = strings.TrimPrefix(raw, "file:")
		raw, _, _ = strings.Cut(raw, "?")
	case strings.Contains(raw, "://"):
		return "", fmt.Errorf("DATABASE_URL %q: use sqlite:///path.db or postgres://user:password@host:port/database", c.DatabaseURL)
	}
	if raw == "" || raw == ":memory:" {
		return "", fmt.Errorf("DATABASE_URL must name a database file")
	}
	return filepath.Clean(raw), nil
}

func intVar(get func(string, string) string, key string, def int) (int, error) {
	raw := get(key, strconv.Itoa(def))
	v, err := strconv.Atoi(raw)
	if err != nil {
		return 0, fmt.Errorf("%s must be a whole number, got %q", key, raw)
	}
	return v, nil
}

func int64Var(get func(string, string) string, key string, def int64) (int64, error) {
	raw := get(key, strconv.FormatInt(def, 10))
	v, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s must be a whole number of bytes, got %q", key, raw)
	}
	return v, nil
}

func durationVar(get func(string, string) string, key string, def time.Duration) (time.Duration, error) {
	raw := get(key, def.String())
	v, err := time.ParseDuration(raw)
	if err != nil {
		return 0, fmt.Errorf("%s must be a duration such as 30s, got %q", key, raw)
	}
	return v, nil
}

func boolVar(get func(string, string) string, key string, def bool) (bool, error) {
	raw := get(key, strconv.FormatBool(def))
	v, err := strconv.ParseBool(raw)
	if err != nil {
		return false, fmt.Errorf("%s must be true or false, got %q", key, raw)
	}
	return v, nil
}
