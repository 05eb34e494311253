package pricing

import (
	"math"
	"testing"
)

func TestCost(t *testing.T) {
	tokens := Tokens{Input: 1_000_000, Output: 100_000, CacheRead: 2_000_000, CacheWrite: 10_000}
	cases := []struct {
		name, provider, model string
		usd                   float64
		known, family         bool
	}{
		{"sonnet 4.5 by its prefix", "anthropic", "claude-sonnet-4-5-20250929", 3 + 1.5 + 0.6 + 0.0375, true, false},
		{"haiku 4.5", "anthropic", "claude-haiku-4-5", 1 + 0.5 + 0.2 + 0.0125, true, false},
		{"a newer sonnet by its family", "anthropic", "claude-sonnet-5-5", 3 + 1.5 + 0.6 + 0.0375, true, true},
		{"gpt-4.1-mini, not gpt-4.1", "openai", "gpt-4.1-mini", 0.40 + 0.16 + 0.2, true, false},
		{"gpt-4.1", "openai", "gpt-4.1-2025-04-14", 2 + 0.8 + 1, true, false},
		{"an unknown model", "openai", "llama3.1:8b", 0, false, false},
		{"a provider's name does not price another's", "openai", "claude-sonnet-4-5", 0, false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := Cost(c.provider, c.model, tokens)
			if e.Known != c.known || e.ByFamily != c.family || math.Abs(e.USD-c.usd) > 1e-9 {
				t.Fatalf("Cost = %+v, want %v known=%v family=%v", e, c.usd, c.known, c.family)
			}
		})
	}
}
