package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

// Which model answered and what it cost: each stored answer part keeps
// its provider, model, token counts and estimated cost (in billionths of a
// US dollar, so that sums stay exact; -1 when the price is unknown); a session keeps the model chosen
// for its next turns; an account may be an administrator; token_usage
// counts each user's model tokens per calendar month, for the monthly
// budget, and outlives the sessions it was spent in.
func init() {
	messageCols := []string{
		"provider TEXT NOT NULL DEFAULT ''",
		"model TEXT NOT NULL DEFAULT ''",
		"model_local BOOLEAN NOT NULL DEFAULT false",
		"input_tokens BIGINT NOT NULL DEFAULT 0",
		"output_tokens BIGINT NOT NULL DEFAULT 0",
		"cache_read_tokens BIGINT NOT NULL DEFAULT 0",
		"cache_write_tokens BIGINT NOT NULL DEFAULT 0",
		"cost_nano_usd BIGINT NOT NULL DEFAULT 0",
	}
	All.MustRegister(func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			for _, col := range messageCols {
				if _, err := tx.NewAddColumn().Table("messages").ColumnExpr(col).Exec(ctx); err != nil {
					return err
				}
			}
			if _, err := tx.NewAddColumn().Table("sessions").ColumnExpr("model_choice TEXT NOT NULL DEFAULT ''").Exec(ctx); err != nil {
				return err
			}
			if _, err := tx.NewAddColumn().Table("users").ColumnExpr("is_admin BOOLEAN NOT NULL DEFAULT false").Exec(ctx); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `CREATE TABLE token_usage (
	user_id VARCHAR(36) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	month VARCHAR(7) NOT NULL,
	tokens BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (user_id, month)
)`)
			return err
		})
	}, func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if _, err := tx.ExecContext(ctx, `DROP TABLE token_usage`); err != nil {
				return err
			}
			if _, err := tx.NewDropColumn().Table("users").Column("is_admin").Exec(ctx); err != nil {
				return err
			}
			if _, err := tx.NewDropColumn().Table("sessions").Column("model_choice").Exec(ctx); err != nil {
				return err
			}
			for _, col := range []string{"cost_nano_usd", "cache_write_tokens", "cache_read_tokens", "output_tokens", "input_tokens", "model_local", "model", "provider"} {
				if _, err := tx.NewDropColumn().Table("messages").Column(col).Exec(ctx); err != nil {
					return err
				}
			}
			return nil
		})
	})
}
