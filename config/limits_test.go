package config

import (
	"reflect"
	"testing"
	"time"
)

func TestLimitDefaults(t *testing.T) {
	c, err := Load(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	want := Limits{
		LoginLimit:        Rate{Max: 5, Per: 5 * time.Minute},
		LoginIPLimit:      Rate{Max: 20, Per: 5 * time.Minute},
		RegisterLimit:     Rate{Max: 10, Per: time.Hour},
		MaxTurnsPerUser:   2,
		MaxUploadsPerUser: 2,
		RequestTimeout:    time.Minute,
		WSIdleTimeout:     30 * time.Minute,
		MaxToolRounds:     8,
		MaxTurnTokens:     16384,
	}
	if !reflect.DeepEqual(c.Limits, want) {
		t.Fatalf("limits %+v, want %+v", c.Limits, want)
	}
}

func TestLimitsFromTheEnvironment(t *testing.T) {
	c, err := Load([]string{
		"ANALYZER_LOGIN_LIMIT=3/1m",
		"ANALYZER_REGISTER_LIMIT=off",
		"ALLOWED_ORIGINS= https://a.example.com/ ,http://localhost:5173",
		"ANALYZER_USER_QUOTA=1048576",
	}, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	l := c.Limits
	if l.LoginLimit != (Rate{3, time.Minute}) || !l.RegisterLimit.Off() || l.UserQuota != 1<<20 ||
		!reflect.DeepEqual(l.AllowedOrigins, []string{"https://a.example.com", "http://localhost:5173"}) {
		t.Fatalf("limits %+v", l)
	}
}

func TestLimitsAreValidated(t *testing.T) {
	tests := []struct {
		env  string
		want string // part of the message; empty means valid
	}{
		{"ANALYZER_LOGIN_LIMIT=5", "ANALYZER_LOGIN_LIMIT: want N/duration"},
		{"ANALYZER_LOGIN_LIMIT=x/5m", "ANALYZER_LOGIN_LIMIT: want a positive count"},
		{"ANALYZER_LOGIN_IP_LIMIT=5/forever", "ANALYZER_LOGIN_IP_LIMIT: want a duration"},
		{"ANALYZER_REGISTER_LIMIT=5/1ms", "ANALYZER_REGISTER_LIMIT: want a duration"},
		{"ANALYZER_REGISTER_LIMIT=0", ""},
		{"ANALYZER_LOGIN_LIMIT=OFF", ""},
		{"ALLOWED_ORIGINS=evil.example", "ALLOWED_ORIGINS"},
		{"ALLOWED_ORIGINS=https://a.example/path", "ALLOWED_ORIGINS"},
		{"ALLOWED_ORIGINS=ftp://a.example", "ALLOWED_ORIGINS"},
		{"ALLOWED_ORIGINS=https://a.example:8443", ""},
		{"ANALYZER_MAX_TURNS_PER_USER=0", "ANALYZER_MAX_TURNS_PER_USER"},
		{"ANALYZER_MAX_UPLOADS_PER_USER=two", "ANALYZER_MAX_UPLOADS_PER_USER must be a whole number"},
		{"ANALYZER_USER_QUOTA=-5", "ANALYZER_USER_QUOTA"},
		{"ANALYZER_REQUEST_TIMEOUT=10ms", "ANALYZER_REQUEST_TIMEOUT"},
		{"ANALYZER_WS_IDLE_TIMEOUT=1s", "ANALYZER_WS_IDLE_TIMEOUT"},
		{"ANALYZER_MAX_TOOL_ROUNDS=0", "ANALYZER_MAX_TOOL_ROUNDS"},
		{"ANALYZER_MAX_TURN_TOKENS=10", "ANALYZER_MAX_TURN_TOKENS"},
	}
	for _, tt := range tests {
		t.Run(tt.env, func(t *testing.T) { checkValidation(t, tt.env, tt.want) })
	}
}
