package config

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/analyzerhq/analyzer/datadir"
)

// EnsureSecret fills SecretKey when it is unset: from the key file in the
// data directory, or a new random 32-byte key written there with mode 0600.
// A public default is never used, so tokens cannot be forged by anyone who
// has read the source.
func (c *Config) EnsureSecret() error {
	if c.SecretKey != "" {
		return nil
	}
	path := datadir.SecretKeyFile(c.DataDir)
	b, err := os.ReadFile(path)
	switch {
	case err == nil:
		key := strings.TrimSpace(string(b))
		if len(key) < 32 {
			return fmt.Errorf("the key file %s is damaged: remove it to have a new key generated (all users must then sign in again)", path)
		}
		c.SecretKey = key
		return nil
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("read the key file: %w", err)
	}
	if err := os.MkdirAll(c.DataDir, 0o700); err != nil {
		return fmt.Errorf("create the data directory: %w", err)
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return fmt.Errorf("generate a key: %w", err)
	}
	key := hex.EncodeToString(raw)
	// Written whole to a temporary file, then linked into place: when two
	// processes start at once, one key wins and nobody reads half a file.
	tmp, err := os.CreateTemp(c.DataDir, datadir.SecretKey+".*")
	if err != nil {
		return fmt.Errorf("write the key file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("write the key file: %w", err)
	}
	if _, err := tmp.WriteString(key + "\n"); err != nil {
		tmp.Close()
		return fmt.Errorf("write the key file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write the key file: %w", err)
	}
	if err := os.Link(tmp.Name(), path); errors.Is(err, fs.ErrExist) {
		return c.EnsureSecret()
	} else if err != nil {
		return fmt.Errorf("write the key file: %w", err)
	}
	c.SecretKey = key
	c.secretGenerated = true
	return nil
}

// SecretGenerated reports whether EnsureSecret created a new key this run.
func (c *Config) SecretGenerated() bool { return c.secretGenerated }

func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }
