package cli

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/analyzerhq/analyzer/app"
)

func newMigrateCmd(env *cliEnv) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "migrate [up|down|status]",
		Short: "Apply, revert or list database migrations (serve applies pending ones itself)",
		Long: `migrate up (the default) applies every pending migration.
migrate down reverts the last group of applied migrations.
migrate status lists every migration and whether it is applied.`,
		Args:      cobra.MatchAll(cobra.MaximumNArgs(1), cobra.OnlyValidArgs),
		ValidArgs: []string{"up", "down", "status"},
		RunE: func(cmd *cobra.Command, args []string) error {
			action := "up"
			if len(args) == 1 {
				action = args[0]
			}
			cfg, err := loadConfig(env)
			if err != nil {
				return err
			}
			db, err := app.OpenStore(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			defer db.Close()
			out := cmd.OutOrStdout()
			switch action {
			case "up":
				names, err := db.Migrate(cmd.Context())
				if err != nil {
					return err
				}
				if len(names) == 0 {
					fmt.Fprintln(out, "database is up to date")
				}
				for _, n := range names {
					fmt.Fprintln(out, "applied", n)
				}
			case "down":
				names, err := db.Rollback(cmd.Context())
				if err != nil {
					return err
				}
				if len(names) == 0 {
					fmt.Fprintln(out, "nothing to roll back")
				}
				for _, n := range names {
					fmt.Fprintln(out, "rolled back", n)
				}
			case "status":
				st, err := db.MigrationStatuses(cmd.Context())
				if err != nil {
					return err
				}
				tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "MIGRATION\tSTATUS\tAPPLIED AT")
				for _, m := range st {
					status, at := "pending", ""
					if m.Applied {
						status, at = "applied", m.AppliedAt.UTC().Format("2006-01-02 15:04:05Z")
					}
					fmt.Fprintf(tw, "%s_%s\t%s\t%s\n", m.Name, m.Comment, status, at)
				}
				return tw.Flush()
			}
			return nil
		},
	}
	return cmd
}
