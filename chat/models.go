package chat

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/dustin/go-humanize"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/analysts"
	"github.com/analyzerhq/analyzer/config"
	"github.com/analyzerhq/analyzer/pricing"
	"github.com/analyzerhq/analyzer/storage"
)

// Analysts picks who answers a turn (*analysts.Set).
type Analysts interface {
	// Resolve returns the analyst of a session's choice (empty: the default).
	Resolve(id string) (agent.Analyst, analysts.Choice)
	// Builtin is the built-in analyst, which answers past the budget.
	Builtin() (agent.Analyst, analysts.Choice)
	// Default is the configured analyst's choice.
	Default() analysts.Choice
	// Failed hears of a model call that failed, for the health report.
	Failed(c analysts.Choice, err error)
}

// pick chooses the analyst of a turn: the session's choice, or the
// built-in analyst when the user has spent the month's token budget (the
// notice says so). A plain SQL turn needs no analyst.
func (c *Chats) pick(ctx context.Context, sess *storage.Session, sqlMode bool) (ag *agent.Agent, choice analysts.Choice, notice string) {
	if c.analysts == nil {
		info := c.agent.Info()
		return c.agent, analysts.Choice{ID: info.Name, Provider: info.Name, Model: info.Model, Local: info.Name == config.ProviderBuiltin}, ""
	}
	id, err := c.store.ModelChoice(ctx, sess.ID)
	if err != nil {
		c.log.Warn("model choice unreadable; the default answers", "session", sess.ID, "err", err)
	}
	an, choice := c.analysts.Resolve(id)
	if c.budget > 0 && !sqlMode && choice.Provider != config.ProviderBuiltin {
		used, err := c.store.MonthlyTokens(ctx, sess.UserID, storage.Month(time.Now()))
		if err != nil {
			c.log.Error("monthly token count unreadable", "err", err)
		} else if used >= c.budget {
			an, choice = c.analysts.Builtin()
			notice = fmt.Sprintf("You have used this month's model budget (%s of %s tokens). The built-in analyst answers until %s, when the budget starts again.",
				humanize.Comma(used), humanize.Comma(c.budget), nextMonth(time.Now()).Format("2 January"))
		}
	}
	return c.agent.With(an), choice, notice
}

func nextMonth(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month()+1, 1, 0, 0, 0, 0, time.UTC)
}

// costOf estimates what u cost on choice's model.
func costOf(choice analysts.Choice, u agent.Usage) agent.Cost {
	if choice.Local || choice.Provider == config.ProviderBuiltin {
		return agent.Cost{Local: true}
	}
	if u.Tokens() == 0 {
		return agent.Cost{}
	}
	e := pricing.Cost(choice.Provider, choice.Model, pricing.Tokens{Input: u.InputTokens, Output: u.OutputTokens,
		CacheRead: u.CacheReadTokens, CacheWrite: u.CacheWriteTokens})
	if !e.Known {
		return agent.Cost{Unknown: true}
	}
	return agent.Cost{USD: e.USD}
}

// nanoUSD is a cost as stored: billionths of a dollar, or
// storage.UnknownCost.
func nanoUSD(c agent.Cost) int64 {
	if c.Unknown {
		return storage.UnknownCost
	}
	return int64(math.Round(c.USD * 1e9))
}

// annotate marks an assistant's stored record with who answered and, when
// it carries a model call's usage, its tokens and cost.
func (t *Turn) annotate(m *storage.Message, r agent.Record) {
	if t.sqlMode || m.Role != string(agent.RoleAssistant) {
		return
	}
	m.Provider, m.Model, m.ModelLocal = t.choice.Provider, t.choice.Model, t.choice.Local || t.choice.Provider == config.ProviderBuiltin
	if u := r.Usage; u != nil {
		m.InputTokens, m.OutputTokens = u.InputTokens, u.OutputTokens
		m.CacheReadTokens, m.CacheWriteTokens = u.CacheReadTokens, u.CacheWriteTokens
		m.CostNanoUSD = nanoUSD(costOf(t.choice, *u))
	}
}

// account ends a turn's bookkeeping: the month's tokens for the budget,
// and the answer's and the session's usage for `done`.
func (t *Turn) account(ctx context.Context, usage agent.Usage, done *agent.DoneData) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), saveTimeout)
	defer cancel()
	if !t.sqlMode {
		info := t.choice.Info()
		info.Local = t.choice.Local || t.choice.Provider == config.ProviderBuiltin
		done.Model = &info
		cost := costOf(t.choice, usage)
		done.Cost = &cost
	}
	if n := usage.Tokens(); n > 0 {
		if err := t.c.store.AddMonthlyTokens(ctx, t.session.UserID, storage.Month(time.Now()), n); err != nil {
			t.c.log.Error("count the month's tokens", "session", t.session.ID, "err", err)
		}
	}
	if tot, err := t.c.store.SessionUsage(ctx, t.session.ID); err != nil {
		t.c.log.Error("add up the session's usage", "session", t.session.ID, "err", err)
	} else {
		su := SessionTotals(tot)
		done.SessionUsage = &su
	}
}

// SessionTotals maps stored totals to what the client reads.
func SessionTotals(t storage.UsageTotals) agent.SessionUsage {
	return agent.SessionUsage{
		Usage: agent.Usage{InputTokens: t.InputTokens, OutputTokens: t.OutputTokens,
			CacheReadTokens: t.CacheReadTokens, CacheWriteTokens: t.CacheWriteTokens},
		Cost: agent.Cost{USD: float64(t.CostNanoUSD) / 1e9, Unknown: t.Unpriced > 0},
	}
}

// SessionUsage is a session's tokens and cost so far.
func (c *Chats) SessionUsage(ctx context.Context, sessionID string) (agent.SessionUsage, error) {
	t, err := c.store.SessionUsage(ctx, sessionID)
	if err != nil {
		return agent.SessionUsage{}, err
	}
	return SessionTotals(t), nil
}
