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
	for i := 0; i < 800; i++ {
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
		name string
		col  string // "" for alerts about the whole table
		word string
	}{
		{"missing", "mostly_empty", "302 missing values (30"},
		{"empty", "all_empty", "is empty"},
		{"constant", "constant", "is constant"},
		{"high cardinality", "high_card", "high cardinality"},
		{"numbers as text", "amount_text", "numbers stored as text"},
		{"dates as text", "date_text", "dates stored as text"},
		{"skew", "skewed", "highly skewed"},
		{"outliers", "outliers", "outliers"},
		{"correlation", "x", "highly correlated"},
		{"imbalance", "imbalanced", "imbalanced"},
		{"zeros", "zeros", "is zero in"},
		{"duplicates", "", "5** duplicate rows"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, l := range lines {
				if strings.Contains(l, tc.word) && (tc.col == "" || strings.Contains(l, bold(tc.col))) {
					return
				}
			}
			t.Errorf("no alert with %q for %q in:\n%s", tc.word, tc.col, strings.Join(lines, "\n"))
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
	for _, want := range []string{"**800 rows × 5 columns**", "### Key facts", "no AI model"} {
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
	if n := len(rec.results()); n < 2 || n > 6 {
		t.Errorf("%d tables, want the summary, the overview and the few the findings quote", n)
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
	if want := "**category**: “" + fmtVal(top[0]) + "” is the most common value (" + fmtVal(top[1]) + " rows"; !strings.Contains(text, want) {
		t.Errorf("the report does not say %q:\n%s", want, text)
	}
}

func TestAutoAnalyzeSales(t *testing.T) {
	f := ingest(t, "sales.csv", salesCSV())
	rec := autoAnalyze(t, f)
	lines := strings.Join(qualitySection(rec.text()), "\n")
	for _, want := range []string{"**Order ID** has a different value in every row", "**Order Date** holds dates stored as text"} {
		if !strings.Contains(lines, want) {
			t.Errorf("no alert %q in:\n%s", want, lines)
		}
	}
	if n := len(rec.plots()); n < 4 || n > 6 {
		t.Errorf("%d charts, want 4 to 6", n)
	}
}
