package llm

import (
	"strings"
	"testing"

	"github.com/analyzerhq/analyzer/duck"
)

func TestAutoAnalyzePrompt(t *testing.T) {
	_, ds := MustDataset(t, "weather.csv")
	findings := ds.Profile.Findings
	if len(findings) == 0 {
		t.Fatal("the profile has no findings")
	}
	p := AutoAnalyzePrompt(findings)
	for _, want := range []string{"computed with SQL", "create_plot", "generate_query", "[skew, alert]", `"wind" is missing (NULL) in 5 of 120 rows (4.2%)`} {
		if !strings.Contains(p, want) {
			t.Errorf("prompt lacks %q:\n%s", want, p)
		}
	}
	for _, f := range findings {
		if !strings.Contains(p, f.Text) {
			t.Errorf("prompt lacks the finding %q", f.Text)
		}
	}
	est := AutoAnalyzePrompt([]duck.Finding{{Kind: duck.FindingCategories, Approx: true, Text: `"origin" has about 229 values.`, SQL: "SELECT 1"}})
	if !strings.Contains(est, `[categories, approx] "origin" has about 229 values.`) {
		t.Errorf("an estimate is not marked:\n%s", est)
	}
	if none := AutoAnalyzePrompt(nil); !strings.Contains(none, "found nothing notable") {
		t.Errorf("no findings:\n%s", none)
	}
	if unknown := UnprofiledAutoAnalyzePrompt(); strings.Contains(unknown, "found nothing notable") || !strings.Contains(unknown, "could not be run") {
		t.Errorf("no profile:\n%s", unknown)
	}
}
