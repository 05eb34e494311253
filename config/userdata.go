package config

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
)

// UserDataDir returns the folder where desktop mode keeps its data: the
// platform's per-user data folder with an "analyzer" folder inside.
//
//	Linux and others: $XDG_DATA_HOME/analyzer, default ~/.local/share/analyzer
//	macOS:            ~/Library/Application Support/analyzer
//	Windows:          %AppData%\analyzer
func UserDataDir(getenv func(string) string) (string, error) {
	switch runtime.GOOS {
	case "windows":
		if dir := getenv("AppData"); dir != "" {
			return filepath.Join(dir, "analyzer"), nil
		}
		return "", errors.New("%AppData% is not set")
	case "darwin":
		home := getenv("HOME")
		if home == "" {
			return "", errors.New("$HOME is not set")
		}
		return filepath.Join(home, "Library", "Application Support", "analyzer"), nil
	}
	if dir := getenv("XDG_DATA_HOME"); dir != "" && filepath.IsAbs(dir) {
		return filepath.Join(dir, "analyzer"), nil
	}
	home := getenv("HOME")
	if home == "" {
		var err error
		if home, err = os.UserHomeDir(); err != nil {
			return "", err
		}
	}
	return filepath.Join(home, ".local", "share", "analyzer"), nil
}
