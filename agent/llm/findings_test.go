package llm

import (
	"context"
	"strings"
	"testing"

	"github.com/analyzerhq/analyzer/agent"
)

func TestComputeFindings(t *testing.T) {
	eng, ds := MustDataset(t, "weather.csv")
	findings := ComputeFindings(context.Background(), eng, ds)
	if len(findings) == 0 {
		t.Fatal("no findings")
	}
	byKind := map[string][]Finding{}
	for _, f := range findings {
		t.Logf("[%s] %s  -- %s", f.Kind, f.Text, f.SQL)
		byKind[f.Kind] = append(byKind[f.Kind], f)
		// Each finding's SQL runs.
		if q := agent.RunQuery(context.Background(), eng, ds.SessionID, f.SQL); q.IsError {
			t.Errorf("finding %q: its SQL fails: %s\n%s", f.Text, q.Error, f.SQL)
		}
	}
	tests := []struct {
		kind string
		has  string
	}{
		{"missing", `"wind" is missing (NULL) in 5 of 120 rows (4.2%)`},
		{"dominant", `"weather" is dominated by "sun" (58.3% of rows`},
		{"outliers", `"precipitation" has`},
		{"skew", `"precipitation" is strongly right-skewed`},
		{"correlation", `"temp_max" and "temp_min" are strongly correlated`},
		{"trend", `"date" spans 2024-01-01 to 2024-04-29 (4 months with data)`},
		{"trend", `The average of "temp_max" rises over time (by month`},
	}
	for _, tc := range tests {
		found := false
		for _, f := range byKind[tc.kind] {
			if strings.Contains(f.Text, tc.has) {
				found = true
			}
		}
		if !found {
			t.Errorf("no %s finding with %q", tc.kind, tc.has)
		}
	}

	prompt := AutoAnalyzePrompt(ds, findings)
	for _, want := range []string{"computed with SQL", "create_plot", "generate_query", findings[0].Text} {
		if !strings.Contains(prompt, want) {
			t.Errorf("prompt lacks %q", want)
		}
	}
}

func TestComputeFindingsStopped(t *testing.T) {
	eng, ds := MustDataset(t, "weather.csv")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if got := ComputeFindings(ctx, eng, ds); len(got) != 0 {
		t.Errorf("findings after a stop: %v", got)
	}
}
