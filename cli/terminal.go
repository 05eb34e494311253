package cli

import (
	"os"

	"golang.org/x/term"
)

func stdinIsTerminal() bool { return term.IsTerminal(int(os.Stdin.Fd())) }

func readTerminalPassword() ([]byte, error) { return term.ReadPassword(int(os.Stdin.Fd())) }
