package builtin

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/trace"
)

// traceTurn traces a recorded turn as the chat does: each text part against
// the query results shown before it.
func traceTurn(rec *recorder, ds agent.Dataset) trace.Answer {
	in := trace.Input{}
	for _, c := range ds.Columns {
		in.Columns = append(in.Columns, c.Name)
	}
	var ans trace.Answer
	var text strings.Builder
	flush := func() {
		if text.Len() > 0 {
			ans.Add(trace.Trace(text.String(), in))
			text.Reset()
		}
	}
	for _, ev := range rec.events {
		switch ev.Event {
		case agent.EventText:
			text.WriteString(ev.Data.(agent.TextData).Text)
		case agent.EventQueryResult, agent.EventPlot:
			flush()
			if qr, ok := ev.Data.(*agent.QueryResult); ok {
				res := trace.Result{Columns: qr.Columns, RowCount: qr.RowCount}
				if r := qr.Rows(); r != nil {
					res.Rows = r.Rows
				}
				in.Results = append(in.Results, res)
			}
		}
	}
	flush()
	return ans
}

// yearAsCount is a year of these tables written with a separator.
var yearAsCount = regexp.MustCompile(`\b(?:1[89]|20)\d,\d{2}\b(?:[^.,\d]|$)`)

// TestAutoAnalyzeTraces checks that every figure an auto-analysis writes is
// a cell (or a share of two cells) of a table it shows before the text.
func TestAutoAnalyzeTraces(t *testing.T) {
	fixtures := []*fixture{
		ingest(t, "sales.csv", salesCSV()),
		ingest(t, "amounts.csv", amountsCSV()),
		ingest(t, "clean.csv", cleanCSV()),
		ingest(t, "alerts.csv", alertsCSV()),
	}
	for _, name := range []string{"203-104", "204-596", "204-122"} {
		csv, err := os.ReadFile(filepath.Join("testdata", "wtq", name+".csv"))
		if err != nil {
			t.Fatal(err)
		}
		fixtures = append(fixtures, ingest(t, name+".csv", string(csv)))
	}
	for _, f := range fixtures {
		t.Run(f.ds.Filename, func(t *testing.T) {
			rec := autoAnalyze(t, f)
			ans := traceTurn(rec, f.ds)
			if ans.Figures == 0 {
				t.Fatalf("no figures traced in:\n%s", rec.text())
			}
			for _, p := range ans.Parts {
				for _, fig := range p.Figures {
					if fig.Source == nil {
						t.Errorf("figure %q is in no result", fig.Text)
					}
				}
			}
			if ans.Untraced > 0 {
				t.Logf("%d of %d figures traced:\n%s", ans.Traced, ans.Figures, rec.text())
			}
			if m := yearAsCount.FindString(rec.text()); m != "" {
				t.Errorf("a year written as a count (%q):\n%s", m, rec.text())
			}
			if testing.Verbose() {
				t.Log(rec.text())
			}
		})
	}
}
