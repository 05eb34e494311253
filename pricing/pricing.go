// Package pricing estimates what a model answer cost from its token
// counts, with the price table below: one place to update when a provider
// changes its prices.
//
// Source: the providers' published list prices per million tokens,
// https://www.anthropic.com/pricing (API) and https://openai.com/api/pricing,
// as recorded on 2025-10-15. Models newer than the table take the price of
// their family (a Claude "sonnet" model the table does not name costs what
// the newest Sonnet listed costs), and the estimate says so. Batch and
// long-context surcharges are not modelled: the figure is an estimate.
package pricing

import "strings"

// Date is when the table's prices were recorded.
const Date = "2025-10-15"

// Price is a model's list price in US dollars per million tokens.
type Price struct {
	Input, Output         float64
	CacheRead, CacheWrite float64 // Claude's prompt cache; 0 where not billed apart
}

// entry prices the models whose name starts with prefix.
type entry struct {
	provider string
	prefix   string
	price    Price
}

// table is matched by the longest prefix. Cache writes are Anthropic's
// 5-minute cache (1.25 × input); cache reads 0.1 × input.
var table = []entry{
	{"anthropic", "claude-opus-4-1", Price{15, 75, 1.50, 18.75}},
	{"anthropic", "claude-opus-4", Price{15, 75, 1.50, 18.75}},
	{"anthropic", "claude-sonnet-4", Price{3, 15, 0.30, 3.75}},
	{"anthropic", "claude-3-7-sonnet", Price{3, 15, 0.30, 3.75}},
	{"anthropic", "claude-3-5-sonnet", Price{3, 15, 0.30, 3.75}},
	{"anthropic", "claude-haiku-4", Price{1, 5, 0.10, 1.25}},
	{"anthropic", "claude-3-5-haiku", Price{0.80, 4, 0.08, 1}},
	{"anthropic", "claude-3-haiku", Price{0.25, 1.25, 0.03, 0.30}},
	{"openai", "gpt-5-nano", Price{0.05, 0.40, 0.005, 0}},
	{"openai", "gpt-5-mini", Price{0.25, 2, 0.025, 0}},
	{"openai", "gpt-5", Price{1.25, 10, 0.125, 0}},
	{"openai", "gpt-4.1-nano", Price{0.10, 0.40, 0.025, 0}},
	{"openai", "gpt-4.1-mini", Price{0.40, 1.60, 0.10, 0}},
	{"openai", "gpt-4.1", Price{2, 8, 0.50, 0}},
	{"openai", "gpt-4o-mini", Price{0.15, 0.60, 0.075, 0}},
	{"openai", "gpt-4o", Price{2.50, 10, 1.25, 0}},
	{"openai", "o4-mini", Price{1.10, 4.40, 0.275, 0}},
	{"openai", "o3", Price{2, 8, 0.50, 0}},
}

// families price a model the table does not name by the newest price
// listed for its family.
var families = []entry{
	{"anthropic", "opus", Price{15, 75, 1.50, 18.75}},
	{"anthropic", "sonnet", Price{3, 15, 0.30, 3.75}},
	{"anthropic", "haiku", Price{1, 5, 0.10, 1.25}},
}

// Tokens is what one answer used.
type Tokens struct {
	Input, Output, CacheRead, CacheWrite int64
}

// Estimate is an answer's estimated cost.
type Estimate struct {
	USD float64
	// Known is false when the model is in neither the table nor a family:
	// the cost is unknown, not zero.
	Known bool
	// ByFamily is set when the price is the model's family's, not its own.
	ByFamily bool
}

// Lookup returns the price of provider's model.
func Lookup(provider, model string) (p Price, known, byFamily bool) {
	m := strings.ToLower(strings.TrimSpace(model))
	// "anthropic/claude-…" or a dated suffix still match by prefix.
	if i := strings.LastIndex(m, "/"); i >= 0 {
		m = m[i+1:]
	}
	best := -1
	for i, e := range table {
		if e.provider == provider && strings.HasPrefix(m, e.prefix) && (best < 0 || len(e.prefix) > len(table[best].prefix)) {
			best = i
		}
	}
	if best >= 0 {
		return table[best].price, true, false
	}
	for _, e := range families {
		if e.provider == provider && strings.Contains(m, e.prefix) {
			return e.price, true, true
		}
	}
	return Price{}, false, false
}

// Cost estimates what t cost on provider's model, in US dollars.
func Cost(provider, model string, t Tokens) Estimate {
	p, known, fam := Lookup(provider, model)
	if !known {
		return Estimate{}
	}
	usd := (float64(t.Input)*p.Input + float64(t.Output)*p.Output +
		float64(t.CacheRead)*p.CacheRead + float64(t.CacheWrite)*p.CacheWrite) / 1e6
	return Estimate{USD: usd, Known: true, ByFamily: fam}
}
