package storage

import (
	"context"
	"time"

	"github.com/analyzerhq/analyzer/apperr"
)

// UsageTotals adds up the model tokens and estimated cost of messages.
type UsageTotals struct {
	InputTokens      int64 `bun:"input_tokens"`
	OutputTokens     int64 `bun:"output_tokens"`
	CacheReadTokens  int64 `bun:"cache_read_tokens"`
	CacheWriteTokens int64 `bun:"cache_write_tokens"`
	CostNanoUSD      int64 `bun:"cost_nano_usd"`
	// Unpriced counts the parts whose model is missing from the price
	// table: their cost is unknown, and CostNanoUSD leaves them out.
	Unpriced int64 `bun:"unpriced"`
}

// Tokens is every token counted, cache included.
func (t UsageTotals) Tokens() int64 {
	return t.InputTokens + t.OutputTokens + t.CacheReadTokens + t.CacheWriteTokens
}

// UnknownCost is the cost_nano_usd stored for a model call whose price
// is not known.
const UnknownCost = -1

// SessionUsage adds up what every answer of a session used, those a retry
// or an edit replaced included: they were paid for too.
func (db *DB) SessionUsage(ctx context.Context, sessionID string) (UsageTotals, error) {
	var t UsageTotals
	err := db.bun.NewSelect().Model((*Message)(nil)).
		ColumnExpr("coalesce(sum(input_tokens), 0) AS input_tokens").
		ColumnExpr("coalesce(sum(output_tokens), 0) AS output_tokens").
		ColumnExpr("coalesce(sum(cache_read_tokens), 0) AS cache_read_tokens").
		ColumnExpr("coalesce(sum(cache_write_tokens), 0) AS cache_write_tokens").
		ColumnExpr("coalesce(sum(cost_nano_usd), 0) AS cost_nano_usd").
		ColumnExpr("coalesce(sum(CASE WHEN cost_nano_usd < 0 THEN 1 ELSE 0 END), 0) AS unpriced").
		Where("session_id = ?", sessionID).
		Scan(ctx, &t)
	if err != nil {
		return t, apperr.Wrap(apperr.Internal, "could not add up the session's usage", err)
	}
	// An unknown cost is stored as UnknownCost: it must not lower the sum.
	if t.Unpriced > 0 {
		t.CostNanoUSD += t.Unpriced
	}
	return t, nil
}

// Month is the budget month of t, "2026-12" (UTC).
func Month(t time.Time) string { return t.UTC().Format("2006-01") }

// AddMonthlyTokens counts n more model tokens for userID in month.
func (db *DB) AddMonthlyTokens(ctx context.Context, userID, month string, n int64) error {
	if n <= 0 {
		return nil
	}
	_, err := db.bun.NewRaw(`INSERT INTO token_usage (user_id, month, tokens) VALUES (?, ?, ?)
		ON CONFLICT (user_id, month) DO UPDATE SET tokens = token_usage.tokens + excluded.tokens`, userID, month, n).Exec(ctx)
	if err != nil {
		return apperr.Wrap(apperr.Internal, "could not count the tokens", err)
	}
	return nil
}

// MonthlyTokens is what userID spent in month.
func (db *DB) MonthlyTokens(ctx context.Context, userID, month string) (int64, error) {
	var n int64
	err := db.bun.NewSelect().Table("token_usage").ColumnExpr("coalesce(sum(tokens), 0)").
		Where("user_id = ?", userID).Where("month = ?", month).Scan(ctx, &n)
	if err != nil {
		return 0, apperr.Wrap(apperr.Internal, "could not read the month's token count", err)
	}
	return n, nil
}

// SetModelChoice names the model for a session's next turns ("" for the
// default).
func (db *DB) SetModelChoice(ctx context.Context, sessionID, choice string) error {
	_, err := db.bun.NewUpdate().Model((*Session)(nil)).Set("model_choice = ?", choice).Where("id = ?", sessionID).Exec(ctx)
	if err != nil {
		return apperr.Wrap(apperr.Internal, "could not save the model choice", err)
	}
	return nil
}

// ModelChoice is the model chosen for a session's next turns.
func (db *DB) ModelChoice(ctx context.Context, sessionID string) (string, error) {
	var choice string
	err := db.bun.NewSelect().Model((*Session)(nil)).Column("model_choice").Where("id = ?", sessionID).Scan(ctx, &choice)
	return choice, notFound(err, "session not found")
}

// SetAdmin makes the account email an administrator, or not.
func (db *DB) SetAdmin(ctx context.Context, email string, admin bool) error {
	u, err := db.UserByEmail(ctx, email)
	if err != nil {
		return err
	}
	defer db.cache.dropUser(u.ID)
	if _, err := db.bun.NewUpdate().Model((*User)(nil)).Set("is_admin = ?", admin).Where("id = ?", u.ID).Exec(ctx); err != nil {
		return apperr.Wrap(apperr.Internal, "could not change the account", err)
	}
	return nil
}
