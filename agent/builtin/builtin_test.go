package builtin

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/apperr"
)

func TestInfo(t *testing.T) {
	if got := New(nil).Info(); got != (agent.Info{Name: "builtin"}) {
		t.Errorf("Info() = %+v", got)
	}
}

// TestNotUnderstood checks the honest refusal: no query, a reason, and
// example questions built from the dataset's own columns.
func TestNotUnderstood(t *testing.T) {
	f := ingest(t, "sales.csv", salesCSV())
	cases := []struct {
		q    string
		want string
	}{
		{"what is the weather tomorrow", "“weather” and “tomorrow” refer"},
		{"average profit by region", "“profit”"},
		{"how many orders per region", "“Order ID” or “Order Date”"},
		{"total region", "not numeric"},
		{"quantity or unit price", "“or”"},
		{"", "empty"},
	}
	for _, tc := range cases {
		t.Run(tc.q, func(t *testing.T) {
			rec := ask(t, f, tc.q)
			if n := len(rec.results()); n != 0 {
				t.Errorf("%d query results for a question not understood", n)
			}
			text := rec.text()
			if !strings.Contains(text, "couldn't read this one") || !strings.Contains(text, tc.want) {
				t.Errorf("the answer does not say it could not read the question (%q):\n%s", tc.want, text)
			}
			var examples []string
			sug := rec.suggestions()
			for _, x := range sug {
				if x.Kind == agent.KindMessage {
					examples = append(examples, x.Text)
				}
			}
			if len(examples) < 2 || len(examples) > 4 || sug[len(sug)-1].Kind != agent.KindAutoAnalyze {
				t.Fatalf("suggestions %+v, want 2 to 4 questions, then Auto-analyze:\n%s", sug, text)
			}
			s, _, err := sharedAnalyst().schemaFor(context.Background(), f.ds)
			if err != nil {
				t.Fatal(err)
			}
			named := 0
			for _, e := range examples {
				if !answerable(e, s, nil) {
					t.Errorf("suggestion %q is not read", e)
				}
				for _, c := range []string{"unit price", "region", "product category", "quantity", "order date"} {
					if strings.Contains(strings.ToLower(e), c) {
						named++
						break
					}
				}
			}
			if named < 3 {
				t.Errorf("only %d examples name a real column: %q", named, examples)
			}
			if len(rec.records) != 2 || rec.records[0].Type != agent.TypeText || rec.records[0].Text == "" ||
				rec.records[1].Type != agent.TypeSuggestions {
				t.Errorf("records %+v, want the text and the suggestions", rec.records)
			}
		})
	}
}

// TestValuesAreLiterals checks that words from a question reach SQL only
// as escaped literals.
func TestValuesAreLiterals(t *testing.T) {
	f := ingest(t, "sales.csv", salesCSV())
	cases := []string{
		`how many rows where region is "West' OR '1'='1"`,
		`how many rows where region is 'x'' OR 1=1 --'`,
		`how many rows where customer's name contains "'; DROP TABLE data; --"`,
	}
	for _, q := range cases {
		t.Run(q, func(t *testing.T) {
			rec := ask(t, f, q)
			rs := rec.results()
			if len(rs) == 0 && strings.Contains(rec.text(), "couldn't read this one") {
				return // refused: as safe as a literal
			}
			if len(rs) != 1 || rs[0].IsError {
				t.Fatalf("results %+v\n%s", rs, rec.text())
			}
			if n := mustFloat(rs[0].Rows().Rows[0][0]); n != 0 {
				t.Errorf("%v rows match: the value leaked into the SQL\n%s", n, rs[0].SQL)
			}
		})
	}
}

func TestTitle(t *testing.T) {
	f := ingest(t, "sales.csv", salesCSV())
	a := sharedAnalyst()
	cases := []struct {
		kind       agent.Kind
		text, want string
	}{
		{agent.KindAutoAnalyze, "", "Sales overview"},
		{agent.KindMessage, "average unit price by region", "Average Unit Price ($) by Region"},
		{agent.KindMessage, "top 3 product categories by total quantity", "Top 3 Product Category by total Quantity"},
		{agent.KindMessage, "how many rows?", "Number of rows"},
		{agent.KindMessage, "what is the weather like tomorrow in the city?", "What is the weather like tomorrow in"},
		{agent.KindMessage, "SELECT * FROM data LIMIT 5", "SQL query on sales"},
		{agent.KindMessage, "give me an overview", "Sales overview"},
	}
	for _, tc := range cases {
		t.Run(tc.text, func(t *testing.T) {
			got, err := a.Title(context.Background(), agent.Request{Kind: tc.kind, Text: tc.text, Dataset: f.ds})
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("Title = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestUnknownKind(t *testing.T) {
	f := ingest(t, "sales.csv", salesCSV())
	_, err := answer(context.Background(), sharedAnalyst(), agent.Request{Kind: "dance", Dataset: f.ds}, &recorder{})
	if apperr.KindOf(err) != apperr.Invalid {
		t.Errorf("err = %v, want invalid", err)
	}
}

// TestStop cancels turns at several points: each returns promptly with
// the context's error and keeps what was already shown.
func TestStop(t *testing.T) {
	f := ingest(t, "sales.csv", salesCSV())
	cases := []struct {
		name   string
		kind   agent.Kind
		text   string
		stopAt func(agent.Event) bool
		check  func(t *testing.T, rec *recorder)
	}{
		{
			name: "before it starts", kind: agent.KindMessage, text: "average unit price",
			stopAt: nil,
			check: func(t *testing.T, rec *recorder) {
				if len(rec.results()) != 0 {
					t.Errorf("a query ran after the stop")
				}
			},
		},
		{
			name: "while the query runs", kind: agent.KindMessage, text: "total quantity by region",
			stopAt: func(ev agent.Event) bool {
				return ev.Event == agent.EventStatus && ev.Data.(agent.StatusData).Message == "Running query…"
			},
			check: func(t *testing.T, rec *recorder) {
				if len(rec.records) != 1 || rec.records[0].Type != agent.TypeText || !rec.records[0].Stopped {
					t.Fatalf("records %+v, want the shown text marked stopped", rec.records)
				}
				if !strings.Contains(rec.records[0].Text, "SELECT") {
					t.Errorf("the kept text lacks the SQL: %q", rec.records[0].Text)
				}
			},
		},
		{
			name: "after the first chart", kind: agent.KindAutoAnalyze,
			stopAt: func(ev agent.Event) bool { return ev.Event == agent.EventPlot },
			check: func(t *testing.T, rec *recorder) {
				if n := len(rec.plots()); n != 1 {
					t.Errorf("%d charts after the stop at the first", n)
				}
				var types []string
				for _, r := range rec.records {
					types = append(types, string(r.Type))
				}
				// The opening, the tables its figures come from, the text, the chart.
				got := strings.Join(types, ",")
				if !strings.HasPrefix(got, "text,query_result,") || !strings.HasSuffix(got, ",query_result,text,plot") {
					t.Errorf("records %v, want text, tables, text, plot", types)
				}
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var stoppedAt time.Time
			var once sync.Once
			rec := &recorder{}
			if tc.stopAt == nil {
				cancel()
				stoppedAt = time.Now()
			} else {
				rec.onEmit = func(ev agent.Event) {
					if tc.stopAt(ev) {
						once.Do(func() { stoppedAt = time.Now(); cancel() })
					}
				}
			}
			a := New(testEngine(t))
			_, err := answer(ctx, a, agent.Request{Kind: tc.kind, Text: tc.text, Dataset: f.ds}, rec)
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v, want context.Canceled", err)
			}
			if stoppedAt.IsZero() {
				t.Fatal("the stop point was never reached")
			}
			if d := time.Since(stoppedAt); d > time.Second {
				t.Errorf("returned %s after the stop", d)
			}
			tc.check(t, rec)
		})
	}
}

// TestThroughAgent runs turns the way the chat does, through agent.Turn:
// the builtin answers, and the first exchange can name the session.
func TestThroughAgent(t *testing.T) {
	f := ingest(t, "sales.csv", salesCSV())
	ag := agent.New(testEngine(t), sharedAnalyst(), nil)
	if ag.Info().Name != "builtin" {
		t.Errorf("Info = %+v", ag.Info())
	}
	rec := &recorder{}
	ctx := context.Background()
	req := agent.Request{Kind: agent.KindMessage, Text: "average unit price by region", Dataset: f.ds}
	usage, err := ag.Turn(ctx, req, agent.NewReply(ctx, rec))
	if err != nil || usage != (agent.Usage{}) {
		t.Fatalf("turn: %v, usage %+v", err, usage)
	}
	if title, err := ag.Title(ctx, req); err != nil || title != "Average Unit Price ($) by Region" {
		t.Errorf("title %q, %v", title, err)
	}
	for _, ev := range rec.events {
		if ev.Event == agent.EventError {
			t.Errorf("error event: %v", ev.Data)
		}
	}
	if len(rec.records) == 0 {
		t.Error("nothing kept")
	}
}
