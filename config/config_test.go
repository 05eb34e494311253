package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/analyzerhq/analyzer/datadir"
)

func TestLoadDefaults(t *testing.T) {
	c, err := Load(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.DatabaseURL != DefaultDatabaseURL || c.DataDir != "data" || c.MaxUploadSize != 1<<30 ||
		c.AccessTokenTTL != 30*24*time.Hour || c.Addr != "127.0.0.1:8001" || c.ActiveProvider() != ProviderBuiltin || !c.SendRows {
		t.Fatalf("defaults: %+v", c)
	}
	if p, _ := c.DatabasePath(); p != "data_analyzer.db" {
		t.Fatalf("path %q", p)
	}
}

func TestDotenvAndPrecedence(t *testing.T) {
	dir := t.TempDir()
	dotenv := filepath.Join(dir, ".env")
	os.WriteFile(dotenv, []byte("DATA_DIR=/from/dotenv\nMAX_UPLOAD_SIZE=2048\n"), 0o600)
	c, err := Load([]string{"DATA_DIR=/from/env"}, dotenv)
	if err != nil {
		t.Fatal(err)
	}
	if c.DataDir != "/from/env" || c.MaxUploadSize != 2048 {
		t.Fatalf("env must win over .env, .env over defaults: %+v", c)
	}
	if _, err := Load(nil, filepath.Join(dir, "missing.env")); err != nil {
		t.Fatalf("a missing .env is fine: %v", err)
	}
}

func TestValidateRejectsNonsense(t *testing.T) {
	tests := []struct {
		env  string
		want string // part of the message; empty means valid
	}{
		{"ACCESS_TOKEN_EXPIRE_DAYS=0", "ACCESS_TOKEN_EXPIRE_DAYS"},
		{"ACCESS_TOKEN_EXPIRE_DAYS=thirty", "ACCESS_TOKEN_EXPIRE_DAYS must be a whole number"},
		{"MAX_UPLOAD_SIZE=-1", "MAX_UPLOAD_SIZE"},
		{"MAX_UPLOAD_SIZE=1GB", "MAX_UPLOAD_SIZE must be a whole number of bytes"},
		{"DATABASE_URL=postgres://x/y", ""},
		{"DATABASE_URL=postgresql://u:p@db:5432/analyzer?sslmode=disable", ""},
		{"DATABASE_URL=mysql://x/y", "use sqlite:///path.db or postgres://"},
		{"DATABASE_URL=sqlite://relative.db", "sqlite:///relative/path.db"},
		{"DATABASE_URL=sqlite:////abs/path.db", ""},
		{"DATABASE_URL=file:/abs/x.db?mode=rwc", ""},
		{"DATABASE_URL=plain.db", ""},
		{"ANALYZER_ADDR=8001", "host:port"},
		{"ANALYZER_ADDR=:8001", ""},
		{"SECRET_KEY=short", "SECRET_KEY"},
		{"ANALYZER_QUERY_TIMEOUT=1ms", "ANALYZER_QUERY_TIMEOUT"},
		{"ANALYZER_PROVIDER=gpt", "ANALYZER_PROVIDER must be"},
		{"ANALYZER_PROVIDER=anthropic", "needs ANTHROPIC_API_KEY"},
		{"OPENAI_BASE_URL=localhost:11434", "OPENAI_MODEL"},
		{"OPENAI_BASE_URL=http://localhost:11434/v1", "OPENAI_MODEL must name"},
		{"ANALYZER_SEND_ROWS=maybe", "ANALYZER_SEND_ROWS"},
		{"LOG_LEVEL=loud", "LOG_LEVEL"},
		{"TRUSTED_PROXIES=10.0.0.1, 192.168.0.0/16", ""},
		{"TRUSTED_PROXIES=proxy.local", "TRUSTED_PROXIES"},
		{"ALLOW_REGISTRATION=nah", "ALLOW_REGISTRATION"},
	}
	for _, tt := range tests {
		t.Run(tt.env, func(t *testing.T) { checkValidation(t, tt.env, tt.want) })
	}
}

// checkValidation loads the one variable env and checks that loading or
// validating fails with a message containing want, or succeeds when want
// is empty.
func checkValidation(t *testing.T, env, want string) {
	t.Helper()
	c, err := Load([]string{env}, "")
	if err == nil {
		err = c.Validate()
	}
	switch {
	case want == "" && err != nil:
		t.Fatalf("unexpected error %v", err)
	case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
		t.Fatalf("error %v, want one mentioning %q", err, want)
	}
}

func TestActiveProvider(t *testing.T) {
	tests := []struct {
		env  []string
		want string
	}{
		{nil, ProviderBuiltin},
		{[]string{"ANTHROPIC_API_KEY=k"}, ProviderAnthropic},
		{[]string{"OPENAI_BASE_URL=http://localhost:11434/v1"}, ProviderOpenAI},
		{[]string{"ANTHROPIC_API_KEY=k", "OPENAI_BASE_URL=http://x"}, ProviderAnthropic},
		{[]string{"ANTHROPIC_API_KEY=k", "ANALYZER_PROVIDER=builtin"}, ProviderBuiltin},
	}
	for _, tt := range tests {
		c, _ := Load(tt.env, "")
		if got := c.ActiveProvider(); got != tt.want {
			t.Errorf("%v: %s, want %s", tt.env, got, tt.want)
		}
	}
}

func TestEnsureSecret(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	c := Config{DataDir: dir}
	if err := c.EnsureSecret(); err != nil {
		t.Fatal(err)
	}
	if len(c.SecretKey) != 64 || !c.SecretGenerated() {
		t.Fatalf("key %q", c.SecretKey)
	}
	info, err := os.Stat(datadir.SecretKeyFile(dir))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file %v %v", info, err)
	}
	again := Config{DataDir: dir}
	if err := again.EnsureSecret(); err != nil || again.SecretKey != c.SecretKey || again.SecretGenerated() {
		t.Fatalf("second start must reuse the key: %v", err)
	}
	given := Config{DataDir: dir, SecretKey: "set-by-the-operator"}
	if err := given.EnsureSecret(); err != nil || given.SecretKey != "set-by-the-operator" {
		t.Fatal("an explicit key must win")
	}
	os.WriteFile(datadir.SecretKeyFile(dir), []byte("short"), 0o600)
	damaged := Config{DataDir: dir}
	if err := damaged.EnsureSecret(); err == nil {
		t.Fatal("a damaged key file must be reported")
	}
}

func TestFilesSettings(t *testing.T) {
	tests := []struct {
		env  string
		want string // part of the message; empty means valid
	}{
		{"STORAGE_URL=s3://analyzer/prod", ""},
		{"STORAGE_URL=s3://analyzer", ""},
		{"STORAGE_URL=/var/lib/analyzer", "STORAGE_URL"},
		{"STORAGE_URL=s3://", "STORAGE_URL"},
		{"CACHE_MAX_BYTES=1000", "CACHE_MAX_BYTES must be at least"},
		{"CACHE_MAX_BYTES=10GB", "CACHE_MAX_BYTES must be a whole number"},
	}
	for _, tt := range tests {
		t.Run(tt.env, func(t *testing.T) { checkValidation(t, tt.env, tt.want) })
	}
	c, err := Load([]string{"STORAGE_URL=s3://b/p", "CACHE_DIR=/cache", "DATA_DIR=/data"}, "")
	if err != nil || !c.Files.S3 || c.Files.Location.Bucket != "b" || c.Files.Location.Prefix != "p" || c.EngineDir() != "/cache" {
		t.Fatalf("files %+v, engine dir %q, err %v", c.Files, c.EngineDir(), err)
	}
	if c, _ := Load([]string{"CACHE_DIR=/cache", "DATA_DIR=/data"}, ""); c.EngineDir() != "/data" {
		t.Fatalf("without a bucket the engine works in DATA_DIR, not %q", c.EngineDir())
	}
}
