package builtin

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/analyzerhq/analyzer/agent"
)

// suggestions returns the suggestions event of an answer, nil when none.
func (r *recorder) suggestions() []agent.Suggestion {
	for _, ev := range r.events {
		if ev.Event == agent.EventSuggestions {
			return ev.Data.(agent.SuggestionsData).Suggestions
		}
	}
	return nil
}

const matchesCSV = `Date,Home,Away,Home score,Away score,Venue
2001-03-01,Boston,Chicago,3,1,Fenway
2001-03-08,Chicago,Boston,2,2,Wrigley
2001-03-15,Denver,Boston,0,4,Coors
2001-03-22,Boston,Denver,5,0,Fenway
2001-03-29,Chicago,Denver,1,3,Wrigley
`

// TestDeclineOffersRephrasings: a declined question says which words it
// could not place and offers 2–4 questions as buttons, each one the analyst
// answers, then Auto-analyze; the buttons are kept for a reload.
func TestDeclineOffersRephrasings(t *testing.T) {
	f := ingest(t, "matches.csv", matchesCSV)
	for _, q := range []string{
		"what was the mood of the crowd at fenway?",
		"how did boston feel about the referee",
		"zzz qqq",
	} {
		t.Run(q, func(t *testing.T) {
			rec := ask(t, f, q)
			if len(rec.results()) != 0 {
				t.Fatalf("answered instead of declining:\n%s", rec.text())
			}
			sug := rec.suggestions()
			if len(sug) < 3 || len(sug) > 5 {
				t.Fatalf("%d suggestions, want 2–4 questions and Auto-analyze: %+v", len(sug), sug)
			}
			last := sug[len(sug)-1]
			if last.Kind != agent.KindAutoAnalyze || last.Label != "Auto-analyze" {
				t.Errorf("the last suggestion is %+v, want Auto-analyze", last)
			}
			for _, s := range sug[:len(sug)-1] {
				if s.Kind != agent.KindMessage || s.Text == "" {
					t.Fatalf("suggestion %+v is not a question", s)
				}
				if got := ask(t, f, s.Text); len(got.results()) == 0 || got.results()[0].IsError {
					t.Errorf("suggestion %q is not answered:\n%s", s.Text, got.text())
				}
			}
			var kept *agent.Record
			for i := range rec.records {
				if rec.records[i].Type == agent.TypeSuggestions {
					kept = &rec.records[i]
				}
			}
			if kept == nil {
				t.Fatal("the suggestions are not kept")
			}
			var d agent.SuggestionsData
			if err := json.Unmarshal(kept.Data, &d); err != nil || len(d.Suggestions) != len(sug) {
				t.Errorf("kept suggestions %s, want %d", kept.Data, len(sug))
			}
		})
	}
}

// TestAmbiguousValueOffersChoice: a value two columns hold is read by the
// column the question names; otherwise the answer offers the question once
// per column.
func TestAmbiguousValueOffersChoice(t *testing.T) {
	f := ingest(t, "matches.csv", matchesCSV)
	rec := ask(t, f, "how many games did boston play")
	if len(rec.results()) != 0 {
		t.Fatalf("guessed a column for boston:\n%s", rec.text())
	}
	var texts []string
	for _, s := range rec.suggestions() {
		texts = append(texts, s.Text)
	}
	for _, col := range []string{"home", "away"} {
		found := false
		for _, x := range texts {
			x = strings.ToLower(x)
			found = found || strings.Contains(x, col+" is boston") || strings.Contains(x, col+" boston")
		}
		if !found {
			t.Errorf("no choice of %q among %q", col, texts)
		}
	}
	// Naming the column settles it; the count is computed independently.
	rec = ask(t, f, "how many rows where home is boston")
	want := f.sql(t, `SELECT count(*) FROM data WHERE "Home" = 'Boston'`)[0][0]
	if v, got := judge(rec, []string{cellString(want)}); v != right {
		t.Errorf("got %q, want %v:\n%s", got, want, rec.text())
	}
}

// TestDeclineSuggestsTheTablesWords: on a flights table, a question with
// a word the data does not hold ("airline", "busiest") is offered the
// question it can answer in the table's own words first, and a value two
// columns hold is named with both and offered once per column.
func TestDeclineSuggestsTheTablesWords(t *testing.T) {
	f := ingest(t, "flights.csv", flightsCSV(5000))
	for _, c := range []struct{ q, first, says string }{
		{"which airline has the most flights", "Which carrier has the most flights", "airline"},
		{"busiest origin airport", "Which origin has the most flights", "busiest"},
		{"JFK vs LAX", "Dest JFK vs LAX", "is in `dest` and `origin`"},
	} {
		t.Run(c.q, func(t *testing.T) {
			rec := ask(t, f, c.q)
			if len(rec.results()) != 0 {
				t.Fatalf("answered instead of declining:\n%s", rec.text())
			}
			if !strings.Contains(rec.text(), c.says) {
				t.Errorf("the decline does not say %q:\n%s", c.says, rec.text())
			}
			sug := rec.suggestions()
			if len(sug) == 0 || sug[0].Text != c.first {
				t.Fatalf("first suggestion %+v, want %q", sug, c.first)
			}
			if got := ask(t, f, sug[0].Text); len(got.results()) == 0 || got.results()[0].IsError {
				t.Errorf("suggestion %q is not answered:\n%s", sug[0].Text, got.text())
			}
		})
	}
}

// A declined question never calls a value or a column it found unknown:
// "mike rhodin" is a Host, only "wizard" is not in the data.
func TestDeclineNamesOnlyUnknownWords(t *testing.T) {
	f := ingest(t, "hosts.csv", hostsCSV)
	for _, c := range []struct{ q, want, not string }{
		{"what was the best year in which mike rhodin was the wizard?", "“wizard”", "“mike”"},
		{"which location had mike rhodin as a wizard host?", "“wizard”", "“mike”"},
	} {
		text := ask(t, f, c.q).text()
		if !strings.Contains(text, c.want) || strings.Contains(text, c.not) {
			t.Errorf("%q: want %s named and not %s:\n%s", c.q, c.want, c.not, text)
		}
	}
}
