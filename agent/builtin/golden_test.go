package builtin

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/duck"
	"github.com/analyzerhq/analyzer/vegalite"
)

// goldenCase is a question with its answer computed independently: ref is
// SQL written by hand for this test, not produced by the grammar.
type goldenCase struct {
	q   string
	ref string
	// result is the index of the query_result event that holds the answer.
	result int
	// cols picks the answer's columns to compare with the reference's, in
	// order; nil compares all of them.
	cols []int
	// key is the number the answer's sentence must state, in bold; nil
	// takes the reference's first row, last column.
	key func(ref [][]any) any
	// chart says whether a chart must come with the answer.
	chart bool
}

func TestGoldenSales(t *testing.T) {
	f := ingest(t, "sales.csv", salesCSV())
	if got := columnType(f, "Order Date"); got != "VARCHAR" {
		t.Fatalf("the fixture's dates must be stored as text, got %s", got)
	}
	const date = `TRY_CAST("Order Date" AS DATE)`
	cases := []goldenCase{
		{q: "How many rows are there?", ref: `SELECT count(*) FROM data`},
		{q: "average unit price", ref: `SELECT avg("Unit Price ($)") FROM data`},
		{q: "What's the mean Unit_Price?", ref: `SELECT avg("Unit Price ($)") FROM data`},
		{q: "median quantity", ref: `SELECT median("Quantity") FROM data`},
		{q: "standard deviation of unit price", ref: `SELECT stddev_samp("Unit Price ($)") FROM data`},
		{q: "average discount pct", ref: `SELECT avg("Discount ""pct""") FROM data`},
		{q: "max unitprice", ref: `SELECT max("Unit Price ($)") FROM data`},
		{q: "What is the total quantity by region?", chart: true,
			ref: `SELECT "Region", sum("Quantity") AS s FROM data GROUP BY 1 ORDER BY s DESC, 1`, key: first(0, 1)},
		{q: "average Unit Price ($) for each region", chart: true,
			ref: `SELECT "Region", avg("Unit Price ($)") AS a, count(*) FROM data GROUP BY 1 ORDER BY a DESC, 1`, key: first(0, 1)},
		{q: "average discount pct by product category", chart: true,
			ref: `SELECT "Product Category", avg("Discount ""pct""") AS a, count(*) FROM data GROUP BY 1 ORDER BY a DESC, 1`, key: first(0, 1)},
		{q: "Top 3 product categories by total quantity", chart: true,
			ref: `SELECT "Product Category", sum("Quantity") AS s FROM data GROUP BY 1 ORDER BY s DESC, 1 LIMIT 3`, key: first(0, 1)},
		{q: "bottom 2 regions by average unit price", chart: true,
			ref: `SELECT "Region", avg("Unit Price ($)") AS a, count(*) FROM data GROUP BY 1 ORDER BY a ASC, 1 LIMIT 2`, key: first(0, 1)},
		{q: "which region has the highest total quantity", chart: true,
			ref: `SELECT "Region", sum("Quantity") AS s FROM data GROUP BY 1 ORDER BY s DESC, 1`, key: first(0, 1)},
		{q: "count by region", chart: true,
			ref: `SELECT "Region", count(*) AS n FROM data GROUP BY 1 ORDER BY n DESC, 1`, key: first(0, 1)},
		{q: "most common product category", chart: true,
			ref: `SELECT "Product Category", count(*) AS n FROM data GROUP BY 1 ORDER BY n DESC, 1`, key: first(0, 1)},
		{q: "min unit_price per Product Category", chart: true,
			ref: `SELECT "Product Category", min("Unit Price ($)") AS m, count(*) FROM data GROUP BY 1 ORDER BY m DESC, 1`, key: first(0, 1)},
		{q: "total quantity by region and product category", chart: true,
			ref: `SELECT "Region", "Product Category", sum("Quantity") AS s FROM data GROUP BY 1, 2 ORDER BY s DESC, 1, 2`, key: first(0, 2)},
		{q: "how many distinct product categories", ref: `SELECT count(DISTINCT "Product Category") FROM data`},
		{q: "how many regions", ref: `SELECT count(DISTINCT "Region") FROM data`},
		{q: "average unit price in the West region",
			ref: `SELECT avg("Unit Price ($)") FROM data WHERE "Region" = 'West'`},
		{q: "max unit price where region is west",
			ref: `SELECT max("Unit Price ($)") FROM data WHERE "Region" = 'West'`},
		{q: "how many rows where quantity above 10 and region is 'West'",
			ref: `SELECT count(*) FROM data WHERE "Quantity" > 10 AND "Region" = 'West'`},
		{q: "average unit price where product category is books and quantity at least 5",
			ref: `SELECT avg("Unit Price ($)") FROM data WHERE "Product Category" = 'Books' AND "Quantity" >= 5`},
		{q: "sum of quantity in 2023",
			ref: `SELECT sum("Quantity") FROM data WHERE year(` + date + `) = 2023`},
		{q: "how many rows where order date is missing",
			ref: `SELECT count(*) FROM data WHERE "Order Date" IS NULL`},
		{q: "total quantity per month", chart: true,
			ref: `SELECT strftime(` + date + `, '%Y-%m') AS m, sum("Quantity") FROM data WHERE ` + date + ` IS NOT NULL GROUP BY 1 ORDER BY 1`,
			key: maxOf(1)},
		{q: "number of rows per year", chart: true,
			ref: `SELECT year(` + date + `) AS y, count(*) FROM data WHERE ` + date + ` IS NOT NULL GROUP BY 1 ORDER BY 1`,
			key: maxOf(1)},
		{q: "quantity over time", chart: true,
			ref: `SELECT strftime(` + date + `, '%Y-%m') AS m, sum("Quantity") FROM data WHERE ` + date + ` IS NOT NULL GROUP BY 1 ORDER BY 1`,
			key: maxOf(1)},
		{q: "top 5 rows by unit price", cols: []int{4},
			ref: `SELECT "Unit Price ($)" FROM data ORDER BY 1 DESC LIMIT 5`, key: first(0, 0)},
		{q: "5 lowest unit prices", cols: []int{4},
			ref: `SELECT "Unit Price ($)" FROM data ORDER BY 1 ASC LIMIT 5`, key: first(0, 0)},
		{q: "rows where unit price between 20 and 30",
			ref: `SELECT count(*) FROM data WHERE "Unit Price ($)" BETWEEN 20 AND 30`},
		{q: "correlation between unit price and quantity", cols: []int{0}, chart: true,
			ref: `SELECT corr("Quantity", "Unit Price ($)") FROM data`,
			key: func(ref [][]any) any { return math.Round(mustFloat(ref[0][0])*1000) / 1000 }},
		{q: "describe quantity", cols: []int{1, 4, 6}, chart: true,
			ref: `SELECT count("Quantity"), min("Quantity"), median("Quantity") FROM data`, key: first(0, 0)},
		{q: "distribution of region", cols: []int{0, 1}, chart: true,
			ref: `SELECT "Region", count(*) AS n FROM data GROUP BY 1 ORDER BY n DESC, 1`, key: first(0, 1)},
		{q: "unique values of product category", cols: []int{0, 1}, chart: true,
			ref: `SELECT "Product Category", count(*) AS n FROM data GROUP BY 1 ORDER BY n DESC, 1`,
			key: func(ref [][]any) any { return len(ref) }},
		{q: "distribution of unit price", cols: []int{2}, chart: true,
			ref: `SELECT count(*) AS n FROM data GROUP BY least(floor(("Unit Price ($)" - (SELECT min("Unit Price ($)") FROM data)) /
				((SELECT max("Unit Price ($)") - min("Unit Price ($)") FROM data) / 20)), 19) ORDER BY least(floor(("Unit Price ($)" - (SELECT min("Unit Price ($)") FROM data)) /
				((SELECT max("Unit Price ($)") - min("Unit Price ($)") FROM data) / 20)), 19)`,
			key: maxOf(0)},
		{q: "are there duplicate rows?", cols: []int{1},
			ref: `SELECT count(*) - (SELECT count(*) FROM (SELECT DISTINCT * FROM data)) FROM data`,
			key: func(ref [][]any) any {
				if mustFloat(ref[0][0]) == 0 {
					return "no"
				}
				return ref[0][0]
			}},
	}
	runGolden(t, f, cases)
}

func TestGoldenTextNumbers(t *testing.T) {
	f := ingest(t, "amounts.csv", amountsCSV())
	for _, name := range []string{"amount", "when"} {
		if got := columnType(f, name); got != "VARCHAR" {
			t.Fatalf("the fixture's %s must be stored as text, got %s", name, got)
		}
	}
	const amount = `CAST(replace(replace("amount", '$', ''), ',', '') AS DOUBLE)`
	const when = `try_strptime("when", '%m/%d/%Y')`
	cases := []goldenCase{
		{q: "total amount by store", chart: true,
			ref: `SELECT store, sum(` + amount + `) AS s FROM data GROUP BY 1 ORDER BY s DESC, 1`, key: first(0, 1)},
		{q: "average amount", ref: `SELECT avg(` + amount + `) FROM data`},
		{q: "how many rows where amount above 4,000", ref: `SELECT count(*) FROM data WHERE ` + amount + ` > 4000`},
		{q: "average amount per month", chart: true,
			ref: `SELECT strftime(` + when + `, '%Y-%m') AS m, avg(` + amount + `), count(*) FROM data WHERE ` + when + ` IS NOT NULL GROUP BY 1 ORDER BY 1`,
			key: maxOf(1)},
		{q: "top 2 stores by amount", chart: true,
			ref: `SELECT store, sum(` + amount + `) AS s FROM data GROUP BY 1 ORDER BY s DESC, 1 LIMIT 2`, key: first(0, 1)},
		{q: "total amount where store is nice", ref: `SELECT sum(` + amount + `) FROM data WHERE store = 'Nice'`},
		{q: "latest when", ref: `SELECT CAST(max(` + when + `) AS DATE)::VARCHAR FROM data`},
	}
	runGolden(t, f, cases)
}

// first returns the reference's value at row i, column j.
func first(i, j int) func([][]any) any {
	return func(ref [][]any) any { return ref[i][j] }
}

// maxOf returns the largest value of column j.
func maxOf(j int) func([][]any) any {
	return func(ref [][]any) any {
		var best any
		for _, r := range ref {
			if best == nil || mustFloat(r[j]) > mustFloat(best) {
				best = r[j]
			}
		}
		return best
	}
}

func columnType(f *fixture, name string) string {
	for _, c := range f.ds.Columns {
		if c.Name == name {
			return c.Type
		}
	}
	return ""
}

func runGolden(t *testing.T, f *fixture, cases []goldenCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.q, func(t *testing.T) {
			ref := f.sql(t, tc.ref)
			rec := ask(t, f, tc.q)
			results := rec.results()
			if len(results) <= tc.result {
				t.Fatalf("%d query results, want at least %d; text:\n%s", len(results), tc.result+1, rec.text())
			}
			qr := results[tc.result]
			if qr.IsError {
				t.Fatalf("the answer's query failed: %s\n%s", qr.Error, qr.SQL)
			}
			text := rec.text()
			if !strings.Contains(text, qr.SQL) {
				t.Errorf("the text does not show the SQL %q:\n%s", qr.SQL, text)
			}
			got := qr.Rows().Rows
			if len(got) != len(ref) {
				t.Fatalf("%d rows, want %d\ngot %v\nwant %v\nSQL:\n%s", len(got), len(ref), got, ref, qr.SQL)
			}
			for i := range ref {
				cols := tc.cols
				if cols == nil {
					if len(got[i]) != len(ref[i]) {
						t.Fatalf("row %d has %d columns, want %d", i, len(got[i]), len(ref[i]))
					}
					for j := range ref[i] {
						cols = append(cols, j)
					}
				}
				for k, j := range cols {
					if !sameValue(got[i][j], ref[i][k]) {
						t.Fatalf("row %d column %d = %v, want %v\nSQL:\n%s", i, j, got[i][j], ref[i][k], qr.SQL)
					}
				}
			}
			key := tc.key
			if key == nil {
				key = func(ref [][]any) any { return ref[0][len(ref[0])-1] }
			}
			if want := bold(fmtVal(key(ref))); !strings.Contains(text, want) {
				t.Errorf("the sentence does not state %s:\n%s", want, text)
			}
			plots := rec.plots()
			if tc.chart && len(plots) == 0 {
				t.Errorf("no chart")
			}
			for _, p := range plots {
				checkSpec(t, p)
			}
			checkRecords(t, rec)
		})
	}
}

// sameValue compares a result value with the reference's: numbers within
// a relative 1e-9, anything else by its text.
func sameValue(a, b any) bool {
	fa, oka := duck.ToFloat(a)
	fb, okb := duck.ToFloat(b)
	if oka && okb {
		return fa == fb || math.Abs(fa-fb) <= 1e-9*math.Max(1, math.Max(math.Abs(fa), math.Abs(fb)))
	}
	return fmt.Sprint(a) == fmt.Sprint(b)
}

// checkRecords checks that what was shown was kept, in order: every text,
// table and chart event has its record.
func checkRecords(t *testing.T, rec *recorder) {
	t.Helper()
	var want []agent.RecordType
	lastText := false
	for _, ev := range rec.events {
		switch ev.Event {
		case agent.EventText:
			if !lastText {
				want = append(want, agent.TypeText)
			}
			lastText = true
			continue
		case agent.EventQueryResult:
			want = append(want, agent.TypeQueryResult)
		case agent.EventPlot:
			want = append(want, agent.TypePlot)
		}
		lastText = false
	}
	var got []agent.RecordType
	for _, r := range rec.records {
		got = append(got, r.Type)
		if r.Role != agent.RoleAssistant {
			t.Errorf("record %s has role %q", r.Type, r.Role)
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("records %v, want %v", got, want)
	}
	var kept strings.Builder
	for _, r := range rec.records {
		if r.Type == agent.TypeText {
			kept.WriteString(r.Text + "\n")
		}
	}
	if strings.Join(strings.Fields(kept.String()), " ") != strings.Join(strings.Fields(rec.text()), " ") {
		t.Errorf("kept text differs from the streamed text:\n%s\n---\n%s", kept.String(), rec.text())
	}
}

// checkSpec validates a plot against the Vega-Lite v5 schema and checks
// that its data is inline and not empty.
func checkSpec(t *testing.T, p agent.PlotData) {
	t.Helper()
	b, err := json.Marshal(p.VegaLiteSpec)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if err := vegalite.Validate(doc); err != nil {
		t.Errorf("chart %q is not valid Vega-Lite: %v\n%s", p.Title, err, b)
	}
	data, _ := p.VegaLiteSpec["data"].(spec)
	vals, _ := data["values"].([]any)
	if len(vals) == 0 {
		t.Errorf("chart %q has no inline data", p.Title)
	}
	if p.Title == "" {
		t.Errorf("chart without a title")
	}
}
