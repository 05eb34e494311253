package trace

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// res builds a result from a header and rows.
func res(cols string, rows ...[]any) Result {
	return Result{Columns: strings.Split(cols, ","), Rows: rows, RowCount: int64(len(rows))}
}

func row(v ...any) []any { return v }

// weather: a small grouped result, as a model or the built-in analyst sees it.
var weather = res("weather,n,avg_temp,share",
	row("sun", int64(641), 19.8619, 0.4387),
	row("rain", int64(641-0), 12.5, 0.4387),
	row("fog", int64(101), 8.04, 0.0691),
	row("snow", int64(78), -2.4, 0.0534),
)

var survival = res("class,survived,passengers",
	row("1st", int64(200), int64(323)),
	row("2nd", int64(119), int64(277)),
	row("3rd", int64(322), int64(861)),
)

var sales = res("region,total_sales,orders",
	row("West", 4426.0, int64(2014)),
	row("East", 1234567.0, int64(310)),
	row("North", 2500000000.0, int64(12)),
	row("South", -350.25, int64(5)),
)

// describe a figure's source compactly: "r/row/column", "rows r", "total r/col", "share r/row/col of r/row/col".
func where(s *Source) string {
	if s == nil {
		return "!"
	}
	switch s.Kind {
	case KindRowCount:
		return fmt.Sprintf("rows %d", s.Result)
	case KindTotal:
		return fmt.Sprintf("total %d/%s", s.Result, s.Column)
	case KindShare:
		return fmt.Sprintf("share %d/%d/%s of %d/%d/%s", s.Result, s.Row, s.Column, s.Of.Result, s.Of.Row, s.Of.Column)
	}
	return fmt.Sprintf("%d/%d/%s", s.Result, s.Row, s.Column)
}

func TestTrace(t *testing.T) {
	cases := []struct {
		name     string
		text     string
		question string
		columns  []string
		results  []Result
		// want lists each figure as "text=where"; where "!" is not traced.
		want []string
	}{
		// Formats and rounding.
		{name: "decimal rounded", text: "Sun averages 19.86 degrees.", results: []Result{weather}, want: []string{"19.86=0/0/avg_temp"}},
		{name: "decimal cut", text: "Sun averages 19.8 degrees.", results: []Result{weather}, want: []string{"19.8=0/0/avg_temp"}},
		{name: "decimal rounded to one place", text: "It is 19.9 on sunny days.", results: []Result{weather}, want: []string{"19.9=0/0/avg_temp"}},
		{name: "whole number for a decimal", text: "About 20 degrees.", results: []Result{weather}, want: []string{"20=0/0/avg_temp"}},
		{name: "integer exact", text: "Fog came 101 times.", results: []Result{weather}, want: []string{"101=0/2/n"}},
		{name: "thousands separators", text: "East sold 1,234,567.", results: []Result{sales}, want: []string{"1,234,567=0/1/total_sales"}},
		{name: "k suffix", text: "West sold 4.4k.", results: []Result{sales}, want: []string{"4.4k=0/0/total_sales"}},
		{name: "M suffix with currency", text: "East: $1.2M.", results: []Result{sales}, want: []string{"$1.2M=0/1/total_sales"}},
		{name: "bn suffix", text: "North made 2.5bn.", results: []Result{sales}, want: []string{"2.5bn=0/2/total_sales"}},
		{name: "million word", text: "North made 2.5 billion and East 1.23 million.", results: []Result{sales}, want: []string{"2.5 billion=0/2/total_sales", "1.23 million=0/1/total_sales"}},
		{name: "currency with separators", text: "West: $4,426.", results: []Result{sales}, want: []string{"$4,426=0/0/total_sales"}},
		{name: "euro", text: "West: €4,426.00.", results: []Result{sales}, want: []string{"€4,426.00=0/0/total_sales"}},
		{name: "negative", text: "South lost -350.25.", results: []Result{sales}, want: []string{"-350.25=0/3/total_sales"}},
		{name: "unicode minus", text: "Snow averages −2.4 degrees.", results: []Result{weather}, want: []string{"−2.4=0/3/avg_temp"}},
		{name: "negative stated as a drop", text: "South fell by 350.25.", results: []Result{sales}, want: []string{"350.25=0/3/total_sales"}},
		{name: "percent of a share column", text: "Sun is 44% of days.", results: []Result{weather}, want: []string{"44%=0/0/share"}},
		{name: "percent with a decimal", text: "Sun is 43.9% of days.", results: []Result{weather}, want: []string{"43.9%=0/0/share"}},
		{name: "percent word", text: "Fog is 6.9 percent of days.", results: []Result{weather}, want: []string{"6.9 percent=0/2/share"}},
		{name: "percent column in percent", text: "Share: 43.9%.", results: []Result{res("k,pct", row("a", 43.87))}, want: []string{"43.9%=0/0/pct"}},
		{name: "percent wrongly rounded", text: "Sun is 45% of days.", results: []Result{weather}, want: []string{"45%=!"}},
		{name: "scientific notation", text: "The p-value is 1.23e-5.", results: []Result{res("p", row(0.0000123))}, want: []string{"1.23e-5=0/0/p"}},
		{name: "about widens a round number", text: "West sold about 4,400 units.", results: []Result{sales}, want: []string{"4,400=0/0/total_sales"}},
		{name: "round number without about", text: "West sold 4,400 units.", results: []Result{sales}, want: []string{"4,400=!"}},
		{name: "numbers held as text", text: "Paris: $12,345.50.", results: []Result{res("store,amount", row("Paris", "$12,345.50"))}, want: []string{"$12,345.50=0/0/amount"}},
		{name: "json number cells", text: "It is 3.5.", results: []Result{res("x", row(json.Number("3.5")))}, want: []string{"3.5=0/0/x"}},
		{name: "two results", text: "Sun: 641; West: 4,426.", results: []Result{weather, sales}, want: []string{"641=0/0/n", "4,426=1/0/total_sales"}},
		{name: "invented figure", text: "Sun averages 19.86, rain 12.5 and hail 7.77.", results: []Result{weather}, want: []string{"19.86=0/0/avg_temp", "12.5=0/1/avg_temp", "7.77=!"}},
		{name: "range of values", text: "Temperatures range 8.04–19.86.", results: []Result{weather}, want: []string{"8.04=0/2/avg_temp", "19.86=0/0/avg_temp"}},
		{name: "range of percentages", text: "Between 5–7% of days are foggy or snowy.", results: []Result{weather}, want: []string{"5=0/3/share", "7%=0/2/share"}},

		// Computed shares and totals.
		{name: "share of two cells of a row", text: "62% of first-class passengers survived.", results: []Result{survival}, want: []string{"62%=share 0/0/survived of 0/0/passengers"}},
		{name: "share of two cells of a column", text: "Fog has 16% as many days as sun.", results: []Result{res("weather,n", row("sun", int64(641)), row("fog", int64(101)))}, want: []string{"16%=share 0/1/n of 0/0/n"}},
		{name: "share of 641 in 1461", text: "Sun is 44% of the days.", results: []Result{res("weather,n,days", row("sun", int64(641), int64(1461)))}, want: []string{"44%=share 0/0/n of 0/0/days"}},
		{name: "share of a column total", text: "Sun is 56% of the days.", results: []Result{res("weather,n", row("sun", int64(641)), row("rain", int64(300)), row("fog", int64(200)))}, want: []string{"56%=share 0/0/n of 0/-1/n"}},
		{name: "total in total", text: "There are 1,461 days in total.", results: []Result{res("weather,n", row("sun", int64(641)), row("rain", int64(640)), row("fog", int64(180)))}, want: []string{"1,461=total 0/n"}},
		{name: "total without saying so", text: "There are 1,461 days.", results: []Result{res("weather,n", row("sun", int64(641)), row("rain", int64(640)), row("fog", int64(180)))}, want: []string{"1,461=!"}},
		{name: "whole of x of y", text: "The fullest bin holds **40** of 600 values (6.7%).", results: []Result{res("bin,n", row("a", int64(40)), row("b", int64(560)))}, want: []string{"40=0/0/n", "600=total 0/n", "6.7%=share 0/0/n of 0/-1/n"}},
		{name: "row count", text: "The data has 4 kinds of weather.", results: []Result{weather}, want: []string{"4=rows 0"}},
		{name: "row count before a rounded cell", text: "Across 5 categories the lowest is 5.1.", results: []Result{res("cat,min", row("a", 6.87), row("b", 7.0), row("c", 8.0), row("d", 9.0), row("e", 5.1))}, want: []string{"5=rows 0", "5.1=0/4/min"}},
		{name: "row count of a truncated result", text: "There are 1,000 products.", results: []Result{{Columns: []string{"p"}, Rows: [][]any{{"a"}}, RowCount: 1000}}, want: []string{"1,000=rows 0"}},

		// False friends: not figures at all.
		{name: "year equal to a cell", text: "In 2014, North had 12 orders.", results: []Result{sales}, want: []string{"12=0/2/orders"}},
		{name: "year range", text: "From 2012–2015 West led with 4,426.", results: []Result{sales}, want: []string{"4,426=0/0/total_sales"}},
		{name: "short year range", text: "In 2012–15 West led.", results: []Result{sales}, want: nil},
		{name: "top 5", text: "The top 5 regions sold 4,426 at most.", results: []Result{sales}, want: []string{"4,426=0/0/total_sales"}},
		{name: "2 columns", text: "The result has 2 columns and 4 rows.", results: []Result{weather}, want: []string{"4=rows 0"}},
		{name: "ordinals", text: "Sun is 1st and fog is 3rd, with 101 days.", results: []Result{weather}, want: []string{"101=0/2/n"}},
		{name: "dates", text: "Between 2023-01-05 and 03/15/2024, on March 3 and 4 July at 14:05, fog came 101 times.", results: []Result{weather}, want: []string{"101=0/2/n"}},
		{name: "month of a year", text: "The peak was 2023-05 with 12.5.", results: []Result{weather}, want: []string{"12.5=0/1/avg_temp"}},
		{name: "number from the question", text: "Of the rows with a price above 100, 12 are from North.", question: "how many rows with price above 100?", results: []Result{sales}, want: []string{"12=0/2/orders"}},
		{name: "number glued to a unit in the question", text: "Stations with a distance below 15: **7**.", question: "how many stations have a distance below 15km?", results: []Result{res("n", row(int64(7)))}, want: []string{"7=0/0/n"}},
		{name: "number spelled out in the question", text: "Years with more than 3 councillors: **5**.", question: "in how many years were there more than three councillors?", results: []Result{res("n", row(int64(5)))}, want: []string{"5=0/0/n"}},
		{name: "number in a column name", text: "Q1 2023 sales are 4,426.", columns: []string{"Q1 2023 sales"}, results: []Result{sales}, want: []string{"4,426=0/0/total_sales"}},
		{name: "number in a result column", text: "The top10 share and the col 2 share: 0.44.", results: []Result{res("col 2,share", row("a", 0.4387))}, want: []string{"0.44=0/0/share"}},
		{name: "number in a text value", text: "Customer 17 bought the most: 9 orders.", results: []Result{res("customer,n", row("Customer 17", int64(9)), row("Customer 4", int64(3)))}, want: []string{"9=0/0/n"}},
		{name: "number in a text value quoted cut short", text: "Notes: “3 episodes” 13.3%, “29 episodes Screen Actors…” 6.7%.", results: []Result{res("notes,share", row("3 episodes", 0.133), row("29 episodes Screen Actors Guild Award for Outstanding Performance", 0.067))}, want: []string{"13.3%=0/0/share", "6.7%=0/1/share"}},
		{name: "a cut quote no cell starts with", text: "Notes: “41 episodes of…” 6.7%.", results: []Result{res("notes,share", row("29 episodes", 0.067))}, want: []string{"41=!", "6.7%=0/0/share"}},
		{name: "code and SQL", text: "Ran:\n\n```sql\nSELECT * FROM data LIMIT 50\n```\n\nand `x > 7`: 101.", results: []Result{weather}, want: []string{"101=0/2/n"}},
		{name: "list numbers", text: "1. Sun: 641\n2. Fog: 101", results: []Result{weather}, want: []string{"641=0/0/n", "101=0/2/n"}},
		{name: "links", text: "See [the docs](https://example.com/v2/page?id=77): 101.", results: []Result{weather}, want: []string{"101=0/2/n"}},
		{name: "file name", text: "sales_2024.csv and report 2024.csv hold 101.", results: []Result{weather}, want: []string{"101=0/2/n"}},
		{name: "quarters and codes", text: "Q3 and H1 and 3x and 10am: 101.", results: []Result{weather}, want: []string{"101=0/2/n"}},
		{name: "bold figure", text: "The answer is **19.86**.", results: []Result{weather}, want: []string{"19.86=0/0/avg_temp"}},
		{name: "no results", text: "I think it is about 42.", want: []string{"42=!"}},
		{name: "failed query", text: "The query failed, so 641 is unknown.", results: []Result{{}}, want: []string{"641=!"}},
		{name: "decade", text: "In the 1990s fog came 101 times.", results: []Result{weather}, want: []string{"101=0/2/n"}},
	}
	if len(cases) < 40 {
		t.Fatalf("%d cases, want at least 40", len(cases))
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Trace(tc.text, Input{Question: tc.question, Columns: tc.columns, Results: tc.results})
			var have []string
			traced := 0
			for _, f := range got.Figures {
				if tc.text[f.Start:f.End] != f.Text {
					t.Errorf("span %d:%d is %q, not %q", f.Start, f.End, tc.text[f.Start:f.End], f.Text)
				}
				if f.Source != nil {
					traced++
				}
				have = append(have, f.Text+"="+where(f.Source))
			}
			if strings.Join(have, " | ") != strings.Join(tc.want, " | ") {
				t.Errorf("%q\n got %q\nwant %q", tc.text, have, tc.want)
			}
			if got.Traced != traced {
				t.Errorf("traced = %d, counted %d", got.Traced, traced)
			}
		})
	}
}

func TestTraceAnswer(t *testing.T) {
	in := Input{Results: []Result{{MessageID: "r1", Columns: []string{"n"}, Rows: [][]any{{int64(641)}}, RowCount: 1}}}
	a := TraceAnswer([]string{"Counting.", "It is 641, not 999."}, []string{"t1", "t2"}, in)
	if a.Figures != 2 || a.Traced != 1 || a.Untraced != 1 || len(a.Parts) != 2 {
		t.Fatalf("%+v", a)
	}
	if a.Parts[0].MessageID != "t1" || len(a.Parts[0].Figures) != 0 || a.Parts[1].MessageID != "t2" {
		t.Fatalf("%+v", a.Parts)
	}
	src := a.Parts[1].Figures[0].Source
	if src == nil || src.MessageID != "r1" || src.Value != int64(641) || src.Kind != KindCell {
		t.Fatalf("%+v", src)
	}
	b, _ := json.Marshal(a.Parts[1])
	want := `{"message_id":"t2","figures":[{"start":6,"end":9,"text":"641","value":641,"source":{"result":0,"message_id":"r1","row":0,"column":"n","value":641,"kind":"cell"}},{"start":15,"end":18,"text":"999","value":999}],"traced":1}`
	if string(b) != want {
		t.Errorf("JSON\n got %s\nwant %s", b, want)
	}
}

// A large result is traced quickly: shares are tried pair by pair only
// within a row past maxShareCells numbers.
func TestTraceLargeResult(t *testing.T) {
	r := Result{Columns: []string{"a", "b"}, RowCount: 1000}
	for i := range 1000 {
		r.Rows = append(r.Rows, []any{float64(i*7 + 1), float64(i*13 + 5)})
	}
	text := strings.Repeat("It is 12.345% and 99,999.5 and 3.3%. ", 30)
	got := Trace(text, Input{Results: []Result{r}})
	if len(got.Figures) != 90 {
		t.Fatalf("%d figures", len(got.Figures))
	}
}
