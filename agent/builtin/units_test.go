package builtin

import (
	"fmt"
	"testing"
)

// Numbers written with their unit: a column of "10,080 ft" values is read
// by its leading number, and a number with a unit in the question finds the
// one column named for that unit.
func TestNumbersWithUnits(t *testing.T) {
	const peaks = `Peak,Prominence,Area (km2)
Whitney,"10,080 ft",212.5
Williamson,"1,677 ft","8,270.3"
Keith,"1,936 ft",9.5
Ritter,"3,990 ft","12,000"
`
	f := ingest(t, "peaks.csv", peaks)
	cases := []struct{ q, ref string }{
		{"which peak has the lowest prominence?", `SELECT "Peak" FROM data ORDER BY CAST(replace(split_part("Prominence", ' ', 1), ',', '') AS INT) LIMIT 1`},
		{"how many peaks have a prominence above 1,900 ft?", `SELECT count(*) FROM data WHERE CAST(replace(split_part("Prominence", ' ', 1), ',', '') AS INT) > 1900`},
		{"how many peaks are smaller than 10,000 km2?", `SELECT count(DISTINCT "Peak") FROM data WHERE CAST(replace("Area (km2)", ',', '') AS DOUBLE) < 10000`},
	}
	for _, c := range cases {
		t.Run(c.q, func(t *testing.T) {
			want := fmt.Sprint(f.sql(t, c.ref)[0][0])
			rec := ask(t, f, c.q)
			if v, got := judge(rec, []string{want}); v != right {
				t.Errorf("%s: got %q, want %s\n%s", v, got, want, rec.text())
			}
		})
	}
}

// TestFilteredRows: "which X has Y above N" names the rows that pass.
func TestFilteredRows(t *testing.T) {
	const peaks = `Peak,Prominence,Area (km2)
Whitney,"10,080 ft",212.5
Williamson,"1,677 ft","8,270.3"
Keith,"1,936 ft",9.5
Ritter,"3,990 ft","12,000"
`
	f := ingest(t, "peaks.csv", peaks)
	for _, c := range []struct {
		q    string
		want []string
	}{
		{"which peak has a prominence more than 10,000 ft?", []string{"Whitney"}},
		{"which peaks have a prominence above 1,900 ft?", []string{"Whitney", "Keith", "Ritter"}},
	} {
		rec := ask(t, f, c.q)
		if v, got := judge(rec, c.want); v != right {
			t.Errorf("%q: %s, got %q, want %q\n%s", c.q, v, got, c.want, rec.text())
		}
	}
}

const tugsCSV = `Class,Type,Displacement,Speed
Rari class,Tug supply vessel,"1,450 tonnes",12 knots
Malabar class,Ocean going tug,"1,440 tonnes",14 knots
UT507 class,Salvage tug,"1,500 tonnes",15 knots
`

// A unit standing alone names the one column whose cells carry it.
func TestUnitWordNamesItsColumn(t *testing.T) {
	runShapeCases(t, []shapeCase{
		{tugsCSV, "tugs.csv", "what is the difference in tonnes between the malabar class and the ut507 class?", "60"},
		{tugsCSV, "tugs.csv", "which class has the most knots?", "UT507 class"},
		// A unit after a number is the number's.
		{tugsCSV, "tugs.csv", "how many classes have more than 13 knots?", "2"},
	})
}
