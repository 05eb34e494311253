package cli

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// testCLI runs the root command with its own environment and data folder.
type testCLI struct {
	t       *testing.T
	environ []string
}

func newTestCLI(t *testing.T) *testCLI {
	dir := t.TempDir()
	return &testCLI{t: t, environ: []string{
		"DATA_DIR=" + filepath.Join(dir, "data"),
		"DATABASE_URL=sqlite:///" + filepath.Join(dir, "meta.db"),
	}}
}

// run executes args with stdin and returns stdout and the error.
func (c *testCLI) run(stdin string, args ...string) (string, error) {
	c.t.Helper()
	var out, errOut bytes.Buffer
	env := &cliEnv{
		environ:      c.environ,
		stdin:        strings.NewReader(stdin),
		stdout:       &out,
		stderr:       &errOut,
		ui:           fstest.MapFS{"index.html": {Data: []byte("<!doctype html>")}},
		build:        Build{Version: "dev", Commit: "none", Date: "unknown"},
		isTerminal:   func() bool { return false },
		readPassword: func() ([]byte, error) { return nil, errors.New("no terminal") },
	}
	root := newRootCmd(env)
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	return out.String(), err
}

func TestVersion(t *testing.T) {
	out, err := newTestCLI(t).run("", "version")
	if err != nil || !strings.HasPrefix(out, "analyzer dev (commit none") {
		t.Fatalf("%q %v", out, err)
	}
}

func TestMigrateCommands(t *testing.T) {
	cli := newTestCLI(t)
	steps := []struct {
		args []string
		want string
	}{
		{[]string{"migrate", "status"}, "pending"},
		{[]string{"migrate"}, "applied 20261125000001_initial_schema"},
		{[]string{"migrate", "up"}, "database is up to date"},
		{[]string{"migrate", "status"}, "applied"},
		{[]string{"migrate", "down"}, "rolled back"},
		{[]string{"migrate", "down"}, "nothing to roll back"},
		{[]string{"migrate", "up"}, "applied 20261125000002_engine_fields"},
	}
	for _, s := range steps {
		t.Run(strings.Join(s.args, " "), func(t *testing.T) {
			out, err := cli.run("", s.args...)
			if err != nil || !strings.Contains(out, s.want) {
				t.Fatalf("out %q err %v; want %q", out, err, s.want)
			}
		})
	}
	if _, err := cli.run("", "migrate", "sideways"); err == nil {
		t.Fatal("an unknown action must fail")
	}
}

func TestUserCommands(t *testing.T) {
	cli := newTestCLI(t)
	steps := []struct {
		name    string
		stdin   string
		args    []string
		want    string // in stdout, or in the error when wantErr
		wantErr bool
	}{
		{"add", "password123\n", []string{"user", "add", "Admin@Example.com", "--password-stdin"}, "created user admin@example.com", false},
		{"add duplicate", "password123\n", []string{"user", "add", "admin@example.com", "--password-stdin"}, "already exists", true},
		{"add invalid email", "password123\n", []string{"user", "add", "admin", "--password-stdin"}, "not a valid address", true},
		{"add short password", "short\n", []string{"user", "add", "b@example.com", "--password-stdin"}, "at least 8", true},
		{"add empty stdin", "", []string{"user", "add", "b@example.com", "--password-stdin"}, "no password", true},
		{"add without terminal or flag", "", []string{"user", "add", "b@example.com"}, "--password-stdin", true},
		{"add takes no password argument", "", []string{"user", "add", "b@example.com", "password123"}, "accepts 1 arg", true},
		{"list", "", []string{"user", "list"}, "admin@example.com", false},
		{"passwd", "new-password\n", []string{"user", "passwd", "admin@example.com", "--password-stdin"}, "password changed", false},
		{"passwd unknown", "new-password\n", []string{"user", "passwd", "ghost@example.com", "--password-stdin"}, "user not found", true},
		{"delete", "", []string{"user", "delete", "ADMIN@example.com"}, "deleted user admin@example.com and 0 session(s)", false},
		{"delete again", "", []string{"user", "delete", "admin@example.com"}, "user not found", true},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			out, err := cli.run(s.stdin, s.args...)
			if s.wantErr {
				if err == nil || !strings.Contains(err.Error(), s.want) {
					t.Fatalf("err %v, want one mentioning %q", err, s.want)
				}
				return
			}
			if err != nil || !strings.Contains(out, s.want) {
				t.Fatalf("out %q err %v; want %q", out, err, s.want)
			}
		})
	}
}

func TestServeRefusesBadConfig(t *testing.T) {
	cli := newTestCLI(t)
	cli.environ = append(cli.environ, "ACCESS_TOKEN_EXPIRE_DAYS=0")
	if _, err := cli.run("", "serve"); err == nil || !strings.Contains(err.Error(), "ACCESS_TOKEN_EXPIRE_DAYS") {
		t.Fatalf("err %v", err)
	}
	cli = newTestCLI(t)
	if _, err := cli.run("", "serve", "--addr", "nonsense"); err == nil || !strings.Contains(err.Error(), "host:port") {
		t.Fatalf("err %v", err)
	}
}
