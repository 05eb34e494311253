package vegalite

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

func rowsOf(t *testing.T, js string) []map[string]any {
	t.Helper()
	var rows []map[string]any
	if err := json.Unmarshal([]byte(js), &rows); err != nil {
		t.Fatal(err)
	}
	return rows
}

func mustValid(t *testing.T, s Spec) string {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	if err := Validate(doc); err != nil {
		t.Fatalf("not valid Vega-Lite: %v\n%s", err, b)
	}
	return string(b)
}

func TestPropose(t *testing.T) {
	for _, tc := range []struct {
		name    string
		columns []ResultColumn
		rows    string
		title   string
		marks   []Mark
		has     []string // in the spec's JSON
		hasNot  []string
	}{
		{
			name:    "a measure per month is a line",
			columns: []ResultColumn{{"month", "DATE"}, {"sum(precipitation)", "DOUBLE"}},
			rows:    `[{"month":"2024-01-01","sum(precipitation)":12.5},{"month":"2024-02-01","sum(precipitation)":3}]`,
			title:   "Total precipitation per month",
			marks:   []Mark{MarkLine, MarkArea, MarkBar, MarkPoint},
			has:     []string{`"type":"temporal"`, `"title":"Total precipitation"`},
			hasNot:  []string{`"title":"sum(precipitation)"`},
		},
		{
			name:    "years are upright and written without separators",
			columns: []ResultColumn{{"year(date)", "BIGINT"}, {"count_star()", "BIGINT"}},
			rows:    `[{"year(date)":2014,"count_star()":10},{"year(date)":2015,"count_star()":12}]`,
			title:   "Count per year",
			marks:   []Mark{MarkLine, MarkArea, MarkBar, MarkPoint},
			has:     []string{`"labelAngle":0`, `"format":"d"`, `"title":"Year"`, `"title":"Count"`},
			hasNot:  []string{`"title":"count_star()"`},
		},
		{
			name:    "a measure per category is a bar, split by a second category",
			columns: []ResultColumn{{"region", "VARCHAR"}, {"product", "VARCHAR"}, {"avg_price", "DOUBLE"}},
			rows:    `[{"region":"North","product":"A","avg_price":1},{"region":"South","product":"B","avg_price":2}]`,
			title:   "Average price per region by product",
			marks:   []Mark{MarkBar, MarkPoint, MarkHeatmap},
			has:     []string{`"orient":"bottom"`},
		},
		{
			name:    "a correlation matrix is a heatmap with real axis titles",
			columns: []ResultColumn{{"x", "VARCHAR"}, {"y", "VARCHAR"}, {"correlation", "DOUBLE"}},
			rows:    `[{"x":"price","y":"qty","correlation":0.5},{"x":"qty","y":"price","correlation":0.5}]`,
			title:   "Correlation between x and y",
			marks:   []Mark{MarkHeatmap, MarkBar, MarkPoint},
			has:     []string{`"scheme":"redblue"`},
		},
		{
			name:    "two measures are a scatter",
			columns: []ResultColumn{{"price", "DOUBLE"}, {"quantity", "INTEGER"}},
			rows:    `[{"price":1.5,"quantity":3},{"price":2,"quantity":4}]`,
			title:   "Quantity against price",
			marks:   []Mark{MarkPoint, MarkLine},
		},
		{
			name:    "one measure is a histogram",
			columns: []ResultColumn{{"price", "DOUBLE"}},
			rows:    `[{"price":1.5},{"price":2},{"price":7}]`,
			title:   "Distribution of price",
			marks:   []Mark{MarkBar, MarkArea},
			has:     []string{`"maxbins":30`},
		},
		{
			name:    "one category is a count per value",
			columns: []ResultColumn{{"city", "VARCHAR"}},
			rows:    `[{"city":"Paris"},{"city":"Lyon"},{"city":"Paris"}]`,
			title:   "Rows per city",
			marks:   []Mark{MarkBar, MarkPoint},
		},
		{
			name:    "untyped values decide: month text and numbers",
			columns: []ResultColumn{{"ym", ""}, {"n", ""}},
			rows:    `[{"ym":"2024-01","n":3},{"ym":"2024-02","n":4}]`,
			title:   "Count per ym",
			marks:   []Mark{MarkLine, MarkArea, MarkBar, MarkPoint},
			has:     []string{`"timeUnit":"utcyearmonth"`},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows := rowsOf(t, tc.rows)
			p, err := Propose(tc.columns, rows, "")
			if err != nil {
				t.Fatal(err)
			}
			if p.Title != tc.title {
				t.Errorf("title %q, want %q", p.Title, tc.title)
			}
			if !slices.Equal(p.Marks, tc.marks) || p.Mark != tc.marks[0] {
				t.Errorf("marks %v (drawn %s), want %v", p.Marks, p.Mark, tc.marks)
			}
			js := mustValid(t, p.Spec)
			for _, h := range tc.has {
				if !strings.Contains(js, h) {
					t.Errorf("spec lacks %s:\n%s", h, js)
				}
			}
			for _, h := range tc.hasNot {
				if strings.Contains(js, h) {
					t.Errorf("spec has %s:\n%s", h, js)
				}
			}
			// Every fitting mark draws a valid chart of that mark.
			for _, m := range p.Marks {
				q, err := Propose(tc.columns, rows, m)
				if err != nil || q.Mark != m {
					t.Fatalf("mark %s: %v (drew %s)", m, err, q.Mark)
				}
				mustValid(t, q.Spec)
			}
		})
	}
}

func TestProposeNothingToChart(t *testing.T) {
	if _, err := Propose([]ResultColumn{{"a", "VARCHAR"}}, nil, ""); err != ErrNoChart {
		t.Fatalf("no rows: %v", err)
	}
	if _, err := Propose([]ResultColumn{{"blob", "BLOB"}}, []map[string]any{{"blob": map[string]any{"x": 1}}}, ""); err != ErrNoChart {
		t.Fatalf("nothing to place: %v", err)
	}
}
