package llm

import (
	"context"
	"strings"
	"testing"
)

func TestSystemPrompt(t *testing.T) {
	eng, ds := MustDataset(t, "weather.csv")
	sample := sampleRows(context.Background(), eng, ds.SessionID)
	if sample == nil || len(sample.Rows) == 0 {
		t.Fatal("no sample rows")
	}
	common := []string{
		"every number you state must come from a query",
		"DuckDB dialect", "date_trunc", "table data",
		"weather.csv", "120 rows, 6 columns",
		`"weather" VARCHAR, categorical: 5 distinct`, `"temp_max" DOUBLE, numeric`, `"date" DATE, temporal`,
		"mean 12.1", "median 12.3", "from 2024-01-01 to 2024-04-29", "granularity day",
		`"wind" DOUBLE, numeric: 5 nulls (4.2%)`,
	}
	tests := []struct {
		name     string
		sendRows bool
		has      []string
		hasNot   []string
	}{
		{
			name:     "with rows",
			sendRows: true,
			has:      append([]string{"First rows", `"2024-01-01","sun",6.8`, `top: "sun" (70)`}, common...),
		},
		{
			name:     "without rows",
			sendRows: false,
			has:      common,
			hasNot:   []string{"First rows", "top:", `"sun"`, `"rain"`, "2024-01-02"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var s = sample
			if !tc.sendRows {
				s = nil
			}
			p := SystemPrompt(ds, s, tc.sendRows)
			// Passing the sample without sendRows must not leak it either.
			if !tc.sendRows && SystemPrompt(ds, sample, false) != p {
				t.Error("sample rows change the prompt without sendRows")
			}
			lower := strings.ToLower(p)
			for _, want := range tc.has {
				if !strings.Contains(lower, strings.ToLower(want)) {
					t.Errorf("prompt lacks %q:\n%s", want, p)
				}
			}
			for _, bad := range tc.hasNot {
				if strings.Contains(p, bad) {
					t.Errorf("prompt has %q:\n%s", bad, p)
				}
			}
		})
	}
}

func TestSystemPromptWithoutProfile(t *testing.T) {
	_, ds := MustDataset(t, "weather.csv")
	ds.Profile = nil
	p := SystemPrompt(ds, nil, true)
	if !strings.Contains(p, `"wind" DOUBLE`) {
		t.Errorf("prompt lacks the columns:\n%s", p)
	}
}

func TestCleanTitle(t *testing.T) {
	tests := map[string]string{
		"Most common weather":               "Most common weather",
		`"Most Common Weather."`:            "Most Common Weather",
		"Title: Rainy days\nmore text":      "Rainy days",
		"**Temperature trends**":            "Temperature trends",
		strings.Repeat("long title ", 20):   strings.TrimSpace(strings.Repeat("long title ", 20)[:80]),
		"  “Seattle weather overview”  \n ": "Seattle weather overview",
	}
	for in, want := range tests {
		if got := cleanTitle(in); got != want {
			t.Errorf("cleanTitle(%q) = %q, want %q", in, got, want)
		}
	}
}
