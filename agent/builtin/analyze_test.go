package builtin

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/duck"
)

// alertsCSV is built to trip every data-quality alert, each in its own
// column, beside one well-behaved column that must stay out of them.
func alertsCSV() string {
	r := rand.New(rand.NewPCG(5, 6))
	var b strings.Builder
	b.WriteString("mostly_empty,all_empty,constant,high_card,amount_text,date_text,skewed,outliers,x,y,imbalanced,zeros,well_behaved\n")
	start := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	var lines []string
	for i := 0; i < 1000; i++ {
		mostly := fmt.Sprintf("%d", r.IntN(100))
		if i%10 < 3 {
			mostly = ""
		}
		date := start.AddDate(0, 0, r.IntN(365)).Format("2006-01-02")
		if i%97 == 0 {
			date = "n/a"
		}
		out := 50 + r.NormFloat64()*5
		if i%33 == 0 {
			out = 500 + r.Float64()
		}
		x := r.Float64() * 100
		imb := "A"
		if i%25 == 0 {
			imb = "B"
		}
		zeros := 0.0
		if i%10 >= 7 {
			zeros = 1 + r.Float64()*10
		}
		lines = append(lines, fmt.Sprintf("%s,,same,user_%d,\"$%s\",%s,%.4f,%.4f,%.4f,%.4f,%s,%.3f,%.4f",
			mostly, i%300, groupDigits(fmt.Sprintf("%.2f", r.Float64()*5000)), date, math.Exp(r.NormFloat64()*1.5),
			out, x, 2*x+r.NormFloat64()*0.5, imb, zeros, r.Float64()*10))
	}
	// Exact copies of a few rows.
	lines = append(lines, lines[1], lines[2], lines[3], lines[4], lines[5])
	for _, l := range lines {
		b.WriteString(l + "\n")
	}
	return b.String()
}

// cleanCSV has nothing to complain about: no gaps, no copies, balanced
// categories, real dates, independent uniform numbers.
func cleanCSV() string {
	r := rand.New(rand.NewPCG(7, 8))
	var b strings.Builder
	b.WriteString("day,category,a,b,units\n")
	cats := []string{"red", "green", "blue", "yellow"}
	start := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 821; i++ { // whole months: 2022-01-01 to 2024-03-31
		fmt.Fprintf(&b, "%s,%s,%.4f,%.4f,%d\n", start.AddDate(0, 0, i).Format("2006-01-02"), cats[i%4],
			r.Float64()*100, 10+r.Float64()*10, 1+r.IntN(50))
	}
	return b.String()
}

func autoAnalyze(t *testing.T, f *fixture) *recorder {
	t.Helper()
	a := New(testEngine(t))
	rec := &recorder{}
	_, err := answer(context.Background(), a, agent.Request{Kind: agent.KindAutoAnalyze, Dataset: f.ds}, rec)
	if err != nil {
		t.Fatalf("auto_analyze: %v", err)
	}
	for _, p := range rec.plots() {
		checkSpec(t, p)
	}
	checkRecords(t, rec)
	return rec
}

// qualitySection returns the bullet lines of the report's data-quality part.
func qualitySection(text string) []string {
	_, after, ok := strings.Cut(text, "### Data quality\n")
	if !ok {
		return nil
	}
	section, _, _ := strings.Cut(after, "\n### ")
	var lines []string
	for _, l := range strings.Split(section, "\n") {
		if strings.TrimSpace(l) != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

func TestAutoAnalyzeAlerts(t *testing.T) {
	f := ingest(t, "alerts.csv", alertsCSV())
	rec := autoAnalyze(t, f)
	text := rec.text()
	lines := qualitySection(text)
	if len(lines) == 0 {
		t.Fatalf("no data-quality section:\n%s", text)
	}
	cases := []struct {
		name  string
		col   string // "" for alerts about the whole table
		word  string
		alert bool // in the data-quality section, else a key fact
	}{
		{"missing", "mostly_empty", "is missing (NULL) in 302 of 1,005 rows (30", true},
		{"empty", "all_empty", "is missing (NULL) in 1,005 of 1,005 rows (100%)", true},
		{"constant", "constant", "is constant", true},
		{"numbers as text", "amount_text", "numbers stored as text", true},
		{"dates as text", "date_text", "dates stored as text", true},
		{"skew", "skewed", "highly skewed", true},
		{"outliers", "outliers", "× IQR of its quartiles", true},
		{"correlation", "x", "nearly redundant", true},
		{"imbalance", "imbalanced", "is dominated by", true},
		{"zeros", "zeros", "is zero in", false},
		{"duplicates", "", "5 of 1,005 rows (0.5%) are exact duplicates", true},
	}
	facts := strings.Split(text[strings.Index(text, "### Key facts"):], "\n")
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := facts
			if tc.alert {
				in = lines
			}
			for _, l := range in {
				if strings.Contains(l, tc.word) && (tc.col == "" || strings.Contains(l, bold(tc.col))) {
					return
				}
			}
			t.Errorf("no line with %q for %q in:\n%s", tc.word, tc.col, strings.Join(in, "\n"))
		})
	}
	t.Run("quiet on the well-behaved column", func(t *testing.T) {
		for _, l := range lines {
			if strings.Contains(l, bold("well_behaved")) {
				t.Errorf("alert on a clean column: %s", l)
			}
		}
	})
}

func TestAutoAnalyzeClean(t *testing.T) {
	f := ingest(t, "clean.csv", cleanCSV())
	rec := autoAnalyze(t, f)
	text := rec.text()
	lines := qualitySection(text)
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "No problems found") {
		t.Errorf("alerts on clean data:\n%s", strings.Join(lines, "\n"))
	}
	for _, want := range []string{"**821 rows × 5 columns**", "### Key facts", "no AI model"} {
		if !strings.Contains(text, want) {
			t.Errorf("the report lacks %q:\n%s", want, text)
		}
	}
	var titles []string
	for _, p := range rec.plots() {
		titles = append(titles, p.Title)
	}
	for _, want := range []string{"Total a per month", "Distribution of a", "Most common values of category", "Correlations between numeric columns"} {
		found := false
		for _, got := range titles {
			if got == want {
				found = true
			}
		}
		if !found {
			t.Errorf("no chart %q among %q", want, titles)
		}
	}
	// The tables its figures come from go before the text and the charts.
	seenPlot := false
	for _, ev := range rec.events {
		switch ev.Event {
		case agent.EventPlot:
			seenPlot = true
		case agent.EventQueryResult:
			if seenPlot {
				t.Errorf("a table after a chart")
			}
		}
	}
	prof, err := testEngine(t).Profile(context.Background(), f.id)
	if err != nil {
		t.Fatal(err)
	}
	if n, most := len(rec.results()), 3+len(prof.Findings); n < 2 || n > most {
		t.Errorf("%d tables, want the summary, the overview, the trend's peak and at most one per finding (%d)", n, most)
	}
}

// TestAutoAnalyzeFacts checks the headline numbers against SQL written for
// the test.
func TestAutoAnalyzeFacts(t *testing.T) {
	f := ingest(t, "clean.csv", cleanCSV())
	rec := autoAnalyze(t, f)
	text := rec.text()
	ref := f.sql(t, `SELECT sum(units), avg(a), median(a), min(b), max(b) FROM data`)[0]
	for _, want := range []string{
		"**units**: total " + fmtVal(ref[0]),
		"average " + fmtVal(ref[1]) + " (median " + fmtVal(ref[2]) + ")",
		"from " + fmtVal(ref[3]) + " to " + fmtVal(ref[4]),
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the report does not say %q:\n%s", want, text)
		}
	}
	top := f.sql(t, `SELECT category, count(*) FROM data GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1`)[0]
	if want := "**category** has 4 values; the most common: “" + fmtVal(top[0]) + "” 25.1%"; !strings.Contains(text, want) {
		t.Errorf("the report does not say %q:\n%s", want, text)
	}
}

func TestAutoAnalyzeSales(t *testing.T) {
	f := ingest(t, "sales.csv", salesCSV())
	rec := autoAnalyze(t, f)
	lines := strings.Join(qualitySection(rec.text()), "\n")
	if want := "**Order Date** holds dates stored as text"; !strings.Contains(lines, want) {
		t.Errorf("no alert %q in:\n%s", want, lines)
	}
	if want := "**Order ID** has a different value in every row"; !strings.Contains(rec.text(), want) {
		t.Errorf("no fact %q in:\n%s", want, rec.text())
	}
	if n := len(rec.plots()); n < 4 || n > 6 {
		t.Errorf("%d charts, want 4 to 6", n)
	}
}

// Without a profile (it could not be computed), the report says its checks
// are unavailable rather than that nothing was found.
func TestAutoAnalyzeWithoutProfile(t *testing.T) {
	r := &report{s: &schema{}, rows: 3}
	if text := r.text(); !strings.Contains(text, "not available") || strings.Contains(text, "No problems found") {
		t.Errorf("report without a profile:\n%s", text)
	}
	r.prof = &duck.Profile{}
	if text := r.text(); !strings.Contains(text, "No problems found") {
		t.Errorf("report of a profile without findings:\n%s", text)
	}
}
