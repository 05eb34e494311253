package builtin

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// Honest aggregates: a series keeps its empty periods (0 for counts, a gap
// for averages), flags a last period the data covers only in part, and a
// ranking of averages shows each group's row count and warns when the
// leader rests on a handful of rows.

// gappyCSV is daily sales from 2023-01-01 to 2023-07-01, with no row in
// April and one day of July.
func gappyCSV() string {
	var b strings.Builder
	b.WriteString("day,shop,amount\n")
	shops := []string{"north", "south", "east"}
	d := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; !d.After(time.Date(2023, 7, 1, 0, 0, 0, 0, time.UTC)); d, i = d.AddDate(0, 0, 1), i+1 {
		if d.Month() == time.April {
			continue
		}
		shop := shops[i%2] // north and south only …
		if i == 30 {
			shop = "east" // … and one day of east, with the highest amount
		}
		fmt.Fprintf(&b, "%s,%s,%d\n", d.Format("2006-01-02"), shop, 10+i%7+map[bool]int{true: 500}[shop == "east"])
	}
	return b.String()
}

func TestSeriesZeroFilledPeriods(t *testing.T) {
	f := ingest(t, "gappy.csv", gappyCSV())
	rec := ask(t, f, "number of rows per month")
	res := rec.results()
	if len(res) == 0 || res[0].IsError {
		t.Fatalf("no result:\n%s", rec.text())
	}
	rows := res[0].Rows().Rows
	ref := f.sql(t, `SELECT strftime(m, '%Y-%m'), coalesce(n, 0) FROM
		(SELECT unnest(range(TIMESTAMP '2023-01-01', TIMESTAMP '2023-08-01', INTERVAL 1 MONTH)) AS m) p
		LEFT JOIN (SELECT date_trunc('month', day)::TIMESTAMP AS m, count(*) AS n FROM data GROUP BY 1) s USING (m) ORDER BY m`)
	if len(rows) != len(ref) {
		t.Fatalf("%d periods, want %d (April kept as 0): %v", len(rows), len(ref), rows)
	}
	for i := range ref {
		if fmt.Sprint(rows[i][0]) != fmt.Sprint(ref[i][0]) || !sameValue(rows[i][1], ref[i][1]) {
			t.Errorf("period %d = %v, want %v", i, rows[i], ref[i])
		}
	}
	text := rec.text()
	for _, want := range []string{"1 month without rows is shown as 0", "only part of the last month (2023-07)"} {
		if !strings.Contains(text, want) {
			t.Errorf("the sentence does not say %q:\n%s", want, text)
		}
	}
	if !strings.Contains(text, "lowest at **0** (2023-04)") {
		t.Errorf("the lowest month is April's 0:\n%s", text)
	}
}

func TestSeriesAverageGaps(t *testing.T) {
	f := ingest(t, "gappy.csv", gappyCSV())
	rec := ask(t, f, "average amount per month")
	res := rec.results()
	if len(res) == 0 || res[0].IsError {
		t.Fatalf("no result:\n%s", rec.text())
	}
	rows := res[0].Rows().Rows
	var april []any
	for _, r := range rows {
		if fmt.Sprint(r[0]) == "2023-04" {
			april = r
		}
	}
	if april == nil || april[1] != nil || !sameValue(april[2], 0) {
		t.Fatalf("April is %v, want a gap (no average) with 0 rows; all: %v", april, rows)
	}
	if !strings.Contains(rec.text(), "left as a gap") {
		t.Errorf("the gap is not said:\n%s", rec.text())
	}
}

func TestGroupAverageCountsAndSmallGroup(t *testing.T) {
	f := ingest(t, "gappy.csv", gappyCSV())
	rec := ask(t, f, "average amount by shop")
	res := rec.results()
	if len(res) == 0 || res[0].IsError {
		t.Fatalf("no result:\n%s", rec.text())
	}
	qr := res[0]
	ref := f.sql(t, `SELECT shop, avg(amount) AS a, count(*) FROM data GROUP BY 1 ORDER BY a DESC, 1`)
	got := qr.Rows().Rows
	if len(got) != len(ref) || len(qr.Columns) != 3 || qr.Columns[2] != "rows" {
		t.Fatalf("columns %v rows %v, want the reference %v with a row count", qr.Columns, got, ref)
	}
	for i := range ref {
		for j := range ref[i] {
			if !sameValue(got[i][j], ref[i][j]) {
				t.Fatalf("row %d = %v, want %v", i, got[i], ref[i])
			}
		}
	}
	text := rec.text()
	if !strings.Contains(text, "(1 row)") || !strings.Contains(text, "rests on only 1 row") {
		t.Errorf("the leader's single row is not said:\n%s", text)
	}
}
