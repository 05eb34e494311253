package cli

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/analyzerhq/analyzer/app"
	"github.com/analyzerhq/analyzer/duck"
	"github.com/analyzerhq/analyzer/storage"
)

func newUserCmd(env *cliEnv) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "user",
		Short: "Manage user accounts",
	}
	var passwordStdin, admin bool
	add := &cobra.Command{
		Use:   "add EMAIL",
		Short: "Create an account (the password is prompted for, or read from stdin with --password-stdin)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withStore(cmd, env, func(db *storage.DB) error {
				email, err := storage.NormalizeEmail(args[0])
				if err != nil {
					return err
				}
				password, err := readNewPassword(env, passwordStdin)
				if err != nil {
					return err
				}
				u, err := db.CreateUser(cmd.Context(), email, password)
				if err != nil {
					return err
				}
				role := ""
				if admin {
					if err := db.SetAdmin(cmd.Context(), u.Email, true); err != nil {
						return err
					}
					role = ", an administrator"
				}
				fmt.Fprintf(cmd.OutOrStdout(), "created user %s (%s)%s\n", u.Email, u.ID, role)
				return nil
			})
		},
	}
	add.Flags().BoolVar(&passwordStdin, "password-stdin", false, "read the password from the first line of standard input")
	add.Flags().BoolVar(&admin, "admin", false, "let the account see (not change) the active model configuration")

	list := &cobra.Command{
		Use:   "list",
		Short: "List accounts",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStore(cmd, env, func(db *storage.DB) error {
				users, err := db.ListUsers(cmd.Context())
				if err != nil {
					return err
				}
				tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "EMAIL\tID\tCREATED")
				for _, u := range users {
					fmt.Fprintf(tw, "%s\t%s\t%s\n", u.Email, u.ID, u.CreatedAt.UTC().Format("2006-01-02 15:04:05Z"))
				}
				return tw.Flush()
			})
		},
	}

	del := &cobra.Command{
		Use:   "delete EMAIL",
		Short: "Delete an account with its sessions and their files",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(env)
			if err != nil {
				return err
			}
			return withStore(cmd, env, func(db *storage.DB) error {
				ids, err := db.DeleteUser(cmd.Context(), args[0])
				if err != nil {
					return err
				}
				engine, err := duck.New(duck.Config{DataDir: cfg.DataDir}, nil)
				if err != nil {
					return err
				}
				defer engine.Close()
				var failed []error
				for _, id := range ids {
					if err := engine.Remove(cmd.Context(), id); err != nil {
						failed = append(failed, err)
					}
				}
				fmt.Fprintf(cmd.OutOrStdout(), "deleted user %s and %d session(s)\n", strings.ToLower(strings.TrimSpace(args[0])), len(ids))
				return errors.Join(failed...)
			})
		},
	}

	passwd := &cobra.Command{
		Use:   "passwd EMAIL",
		Short: "Set an account's password",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withStore(cmd, env, func(db *storage.DB) error {
				if _, err := db.UserByEmail(cmd.Context(), args[0]); err != nil {
					return err
				}
				password, err := readNewPassword(env, passwordStdin)
				if err != nil {
					return err
				}
				if err := db.SetPassword(cmd.Context(), args[0], password); err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), "password changed")
				return nil
			})
		},
	}
	passwd.Flags().BoolVar(&passwordStdin, "password-stdin", false, "read the password from the first line of standard input")

	cmd.AddCommand(add, list, del, passwd)
	return cmd
}

// withStore opens and migrates the database around fn.
func withStore(cmd *cobra.Command, env *cliEnv, fn func(*storage.DB) error) error {
	cfg, err := loadConfig(env)
	if err != nil {
		return err
	}
	db, err := app.OpenStore(cmd.Context(), cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Migrate(cmd.Context()); err != nil {
		return err
	}
	return fn(db)
}

// readNewPassword reads a password from stdin (--password-stdin) or, on a
// terminal, prompts twice without echo. It never comes from an argument,
// where it would sit in the shell's history and the process list.
func readNewPassword(env *cliEnv, fromStdin bool) (string, error) {
	if fromStdin {
		line, err := bufio.NewReader(env.stdin).ReadString('\n')
		if err != nil && line == "" {
			return "", errors.New("no password on standard input")
		}
		password := strings.TrimRight(line, "\r\n")
		if err := storage.CheckPasswordRules(password); err != nil {
			return "", err
		}
		return password, nil
	}
	if !env.isTerminal() {
		return "", errors.New("standard input is not a terminal: pass the password with --password-stdin")
	}
	fmt.Fprint(env.stderr, "Password: ")
	first, err := env.readPassword()
	fmt.Fprintln(env.stderr)
	if err != nil {
		return "", err
	}
	if err := storage.CheckPasswordRules(string(first)); err != nil {
		return "", err
	}
	fmt.Fprint(env.stderr, "Repeat password: ")
	second, err := env.readPassword()
	fmt.Fprintln(env.stderr)
	if err != nil {
		return "", err
	}
	if !bytes.Equal(first, second) {
		return "", errors.New("the passwords do not match")
	}
	return string(first), nil
}
