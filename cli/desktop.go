package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/analyzerhq/analyzer/app"
	"github.com/analyzerhq/analyzer/apperr"
	"github.com/analyzerhq/analyzer/config"
	"github.com/analyzerhq/analyzer/server"
	"github.com/analyzerhq/analyzer/storage"
)

// Desktop mode: what a double-click runs. Everything lives in the user's
// data folder, the server listens on loopback only, and the browser opens
// already signed in as the local owner.
const (
	desktopPort  = 8001
	ownerEmail   = "owner@analyzer.local"
	instanceFile = "instance.json"
)

// instance is what a running desktop server leaves in the data folder so
// that a second launch finds it.
type instance struct {
	PID int    `json:"pid"`
	URL string `json:"url"`
}

func runDesktop(cmd *cobra.Command, env *cliEnv) error {
	ctx := cmd.Context()
	cfg, base, err := desktopConfig(env)
	if err != nil {
		return err
	}
	log := newLogger(cfg, env.stderr)
	if err := os.MkdirAll(base, 0o700); err != nil {
		return fmt.Errorf("create the data folder: %w", err)
	}
	if err := cfg.EnsureSecret(); err != nil {
		return err
	}

	// A second launch opens the browser at the running instance.
	if running, ok := findInstance(ctx, base); ok {
		ownerID, err := ownerIDOf(ctx, cfg)
		if err != nil {
			return err
		}
		url, err := loginURL(running.URL, cfg, ownerID)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "analyzer is already running: %s\n", url)
		openBrowser(cfg, url, log)
		return nil
	}

	a, err := app.Open(ctx, cfg, log, app.Options{Version: env.build.Version, UI: env.ui, Desktop: true})
	if err != nil {
		return err
	}
	defer a.Close()
	owner, err := ensureOwner(ctx, a.DB)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(desktopPort)))
	if err != nil {
		// Taken (by another program): any free port will do.
		if ln, err = listen("127.0.0.1:0"); err != nil {
			return err
		}
	}
	baseURL := "http://" + ln.Addr().String()
	if err := writeInstance(base, instance{PID: os.Getpid(), URL: baseURL}); err != nil {
		ln.Close()
		return err
	}
	defer os.Remove(filepath.Join(base, instanceFile))

	url, err := loginURL(baseURL, cfg, owner.ID)
	if err != nil {
		return err
	}
	log.Info("analyzer is ready", "url", baseURL, "data", base)
	fmt.Fprintf(env.stdout, "analyzer is running. Open this address to start (it signs you in once):\n\n    %s\n\nYour data is kept in %s. Press Ctrl+C to stop.\n", url, base)
	openBrowser(cfg, url, log)
	return a.Server.Serve(ctx, ln, shutdownGrace)
}

// desktopConfig is the configuration of desktop mode: the environment's,
// with the database and data in the user data folder unless set otherwise,
// and loopback only.
func desktopConfig(env *cliEnv) (config.Config, string, error) {
	cfg, err := config.Load(env.environ, env.dotenv)
	if err != nil {
		return cfg, "", err
	}
	vars := map[string]string{}
	for _, kv := range env.environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			vars[k] = v
		}
	}
	base, err := config.UserDataDir(func(k string) string { return vars[k] })
	if err != nil {
		return cfg, "", fmt.Errorf("find the user data folder: %w", err)
	}
	if vars["DATA_DIR"] == "" {
		cfg.DataDir = filepath.Join(base, "data")
	}
	if vars["DATABASE_URL"] == "" {
		cfg.DatabaseURL = "sqlite:///" + filepath.Join(base, "analyzer.db")
	}
	cfg.Addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(desktopPort))
	return cfg, base, cfg.Validate()
}

// ensureOwner returns the local owner account, creating it on first run
// with a random password nobody knows: the owner signs in through login
// links (or sets a password with "analyzer user passwd").
func ensureOwner(ctx context.Context, db *storage.DB) (*storage.User, error) {
	u, err := db.UserByEmail(ctx, ownerEmail)
	if err == nil {
		if !u.IsAdmin {
			// The owner runs this computer's copy: it sets the models.
			if err := db.SetAdmin(ctx, ownerEmail, true); err != nil {
				return nil, err
			}
			u.IsAdmin = true
		}
		return u, nil
	}
	if apperr.KindOf(err) != apperr.NotFound {
		return nil, err
	}
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return nil, err
	}
	u, err = db.CreateUser(ctx, ownerEmail, hex.EncodeToString(secret))
	if apperr.KindOf(err) == apperr.Conflict {
		// Another launch created it a moment ago.
		return ensureOwner(ctx, db)
	}
	if err != nil {
		return nil, err
	}
	if err := db.SetAdmin(ctx, ownerEmail, true); err != nil {
		return nil, err
	}
	u.IsAdmin = true
	return u, nil
}

func ownerIDOf(ctx context.Context, cfg config.Config) (string, error) {
	db, err := app.OpenStore(ctx, cfg)
	if err != nil {
		return "", err
	}
	defer db.Close()
	u, err := ensureOwner(ctx, db)
	if err != nil {
		return "", err
	}
	return u.ID, nil
}

func loginURL(base string, cfg config.Config, userID string) (string, error) {
	tok, err := server.NewLocalLoginToken([]byte(cfg.SecretKey), userID, time.Now())
	if err != nil {
		return "", err
	}
	return base + "/?login=" + tok, nil
}

func writeInstance(base string, in instance) error {
	b, _ := json.Marshal(in)
	tmp := filepath.Join(base, instanceFile+".tmp")
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(base, instanceFile))
}

// findInstance reports the desktop server already running for this data
// folder, if its instance file names one that answers.
func findInstance(ctx context.Context, base string) (instance, bool) {
	var in instance
	b, err := os.ReadFile(filepath.Join(base, instanceFile))
	if err != nil || json.Unmarshal(b, &in) != nil || !strings.HasPrefix(in.URL, "http://127.0.0.1:") {
		return in, false
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, in.URL+"/api/health", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return in, false
	}
	defer resp.Body.Close()
	var health struct{ Status string }
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&health) != nil || health.Status != "ok" {
		return in, false
	}
	return in, true
}

// openBrowser opens url in the default browser, unless told not to.
func openBrowser(cfg config.Config, url string, log interface{ Warn(string, ...any) }) {
	if cfg.NoBrowser {
		return
	}
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		log.Warn("could not open a browser: open the address above by hand", "err", err)
		return
	}
	go cmd.Wait() //nolint:errcheck // reaps the launcher; its status says nothing useful
}
