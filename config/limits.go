package config

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Defaults of the abuse limits (see the README's "Security model").
const (
	DefaultLoginLimit        = "5/5m"  // failed sign-ins per account
	DefaultLoginIPLimit      = "20/5m" // failed sign-ins per client IP
	DefaultRegisterLimit     = "10/1h" // registrations per client IP
	DefaultMaxTurnsPerUser   = 2
	DefaultMaxUploadsPerUser = 2
	DefaultRequestTimeout    = 60 * time.Second
	DefaultWSIdleTimeout     = 30 * time.Minute
	DefaultMaxToolRounds     = 8
	DefaultMaxTurnTokens     = 16384
)

// Rate is "at most Max events per Per". The zero Rate is off (unlimited).
type Rate struct {
	Max int
	Per time.Duration
}

// Off reports whether the rate limits nothing.
func (r Rate) Off() bool { return r.Max <= 0 }

func (r Rate) String() string {
	if r.Off() {
		return "off"
	}
	return strconv.Itoa(r.Max) + "/" + r.Per.String()
}

// ParseRate reads "N/duration" ("5/5m", "10/1h"); "0" and "off" turn the
// limit off.
func ParseRate(raw string) (Rate, error) {
	raw = strings.TrimSpace(raw)
	if raw == "0" || strings.EqualFold(raw, "off") {
		return Rate{}, nil
	}
	n, per, ok := strings.Cut(raw, "/")
	if !ok {
		return Rate{}, fmt.Errorf("want N/duration such as 5/5m, or off")
	}
	max, err := strconv.Atoi(strings.TrimSpace(n))
	if err != nil || max < 1 {
		return Rate{}, fmt.Errorf("want a positive count before the slash, as in 5/5m")
	}
	d, err := time.ParseDuration(strings.TrimSpace(per))
	if err != nil || d < time.Second || d > 24*time.Hour {
		return Rate{}, fmt.Errorf("want a duration between 1s and 24h after the slash, as in 5/5m")
	}
	return Rate{Max: max, Per: d}, nil
}

// Limits bounds what one client or user may consume.
type Limits struct {
	LoginLimit        Rate          // ANALYZER_LOGIN_LIMIT: failed sign-ins per account
	LoginIPLimit      Rate          // ANALYZER_LOGIN_IP_LIMIT: failed sign-ins per client IP
	RegisterLimit     Rate          // ANALYZER_REGISTER_LIMIT: registrations per client IP
	AllowedOrigins    []string      // ALLOWED_ORIGINS: origins besides the server's own that may open the WebSocket
	MaxTurnsPerUser   int           // ANALYZER_MAX_TURNS_PER_USER: replies running at once, all connections together
	MaxUploadsPerUser int           // ANALYZER_MAX_UPLOADS_PER_USER: uploads in progress at once
	UserQuota         int64         // ANALYZER_USER_QUOTA: bytes of data one user may keep; 0 = no quota
	RequestTimeout    time.Duration // ANALYZER_REQUEST_TIMEOUT: time limit of a JSON API request
	WSIdleTimeout     time.Duration // ANALYZER_WS_IDLE_TIMEOUT: a chat socket with no message for this long is closed
	MaxToolRounds     int           // ANALYZER_MAX_TOOL_ROUNDS: model tool rounds per turn
	MaxTurnTokens     int64         // ANALYZER_MAX_TURN_TOKENS: model output tokens per turn
}

func (l *Limits) load(get func(string, string) string) error {
	var err error
	rates := []struct {
		key, def string
		dst      *Rate
	}{
		{"ANALYZER_LOGIN_LIMIT", DefaultLoginLimit, &l.LoginLimit},
		{"ANALYZER_LOGIN_IP_LIMIT", DefaultLoginIPLimit, &l.LoginIPLimit},
		{"ANALYZER_REGISTER_LIMIT", DefaultRegisterLimit, &l.RegisterLimit},
	}
	for _, r := range rates {
		if *r.dst, err = ParseRate(get(r.key, r.def)); err != nil {
			return fmt.Errorf("%s: %v", r.key, err)
		}
	}
	for _, o := range strings.Split(get("ALLOWED_ORIGINS", ""), ",") {
		if o = strings.TrimRight(strings.TrimSpace(o), "/"); o != "" {
			l.AllowedOrigins = append(l.AllowedOrigins, o)
		}
	}
	if l.MaxTurnsPerUser, err = intVar(get, "ANALYZER_MAX_TURNS_PER_USER", DefaultMaxTurnsPerUser); err != nil {
		return err
	}
	if l.MaxUploadsPerUser, err = intVar(get, "ANALYZER_MAX_UPLOADS_PER_USER", DefaultMaxUploadsPerUser); err != nil {
		return err
	}
	if l.UserQuota, err = int64Var(get, "ANALYZER_USER_QUOTA", 0); err != nil {
		return err
	}
	if l.RequestTimeout, err = durationVar(get, "ANALYZER_REQUEST_TIMEOUT", DefaultRequestTimeout); err != nil {
		return err
	}
	if l.WSIdleTimeout, err = durationVar(get, "ANALYZER_WS_IDLE_TIMEOUT", DefaultWSIdleTimeout); err != nil {
		return err
	}
	if l.MaxToolRounds, err = intVar(get, "ANALYZER_MAX_TOOL_ROUNDS", DefaultMaxToolRounds); err != nil {
		return err
	}
	turnTokens, err := intVar(get, "ANALYZER_MAX_TURN_TOKENS", DefaultMaxTurnTokens)
	l.MaxTurnTokens = int64(turnTokens)
	return err
}

func (l *Limits) validate() error {
	for _, o := range l.AllowedOrigins {
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" || u.RawQuery != "" || u.User != nil {
			return fmt.Errorf("ALLOWED_ORIGINS: %q is not an origin such as https://analyzer.example.com", o)
		}
	}
	switch {
	case l.MaxTurnsPerUser < 1 || l.MaxTurnsPerUser > 100:
		return fmt.Errorf("ANALYZER_MAX_TURNS_PER_USER must be between 1 and 100")
	case l.MaxUploadsPerUser < 1 || l.MaxUploadsPerUser > 100:
		return fmt.Errorf("ANALYZER_MAX_UPLOADS_PER_USER must be between 1 and 100")
	case l.UserQuota < 0:
		return fmt.Errorf("ANALYZER_USER_QUOTA must be a number of bytes, or 0 for no quota")
	case l.RequestTimeout < time.Second || l.RequestTimeout > time.Hour:
		return fmt.Errorf("ANALYZER_REQUEST_TIMEOUT must be between 1s and 1h")
	case l.WSIdleTimeout < time.Minute || l.WSIdleTimeout > 7*24*time.Hour:
		return fmt.Errorf("ANALYZER_WS_IDLE_TIMEOUT must be between 1m and 168h")
	case l.MaxToolRounds < 1 || l.MaxToolRounds > 50:
		return fmt.Errorf("ANALYZER_MAX_TOOL_ROUNDS must be between 1 and 50")
	case l.MaxTurnTokens < 256 || l.MaxTurnTokens > 1_000_000:
		return fmt.Errorf("ANALYZER_MAX_TURN_TOKENS must be between 256 and 1000000")
	}
	return nil
}
