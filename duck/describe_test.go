package duck

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// describeCSV has one column of each kind, text holding dates in an
// ambiguous order and numbers with currency signs, and daily dates ending
// on the first day of a month.
func describeCSV() string {
	var b strings.Builder
	b.WriteString("id,city,season,year,flag,amount,price,visit,day,comment\n")
	start := time.Date(2013, 1, 1, 0, 0, 0, 0, time.UTC)
	cities := []string{"Miami", "Miami", "Boston", "São Paulo"}
	for i := 0; i < 60; i++ {
		amount := fmt.Sprint(i % 7)
		if i%10 == 0 {
			amount = ""
		}
		if i == 59 {
			amount = "5000" // a long right tail
		}
		d := start.AddDate(0, 0, i*15)
		if i == 59 {
			d = time.Date(2015, 7, 1, 0, 0, 0, 0, time.UTC) // one day of July 2015
		}
		fmt.Fprintf(&b, "%d,%s,%d-%02d,%d,%d,%s,\"$1,%03d\",%s,%s,this is comment number %d with a few more words than a name\n",
			i+1, cities[i%4], 1996+i%3, (97+i%3)%100, 2012+i%4, i%2, amount, i, d.Format("01/02/2006"), d.Format("2006-01-02"), i)
	}
	return b.String()
}

func TestDescribeDataset(t *testing.T) {
	e := newTestEngine(t)
	id, _ := mustIngest(t, e, "describe.csv", []byte(describeCSV()))
	p, err := e.Profile(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if p.Version != profileVersion || p.TimeColumn != "visit" && p.TimeColumn != "day" {
		t.Errorf("version %d, time column %q", p.Version, p.TimeColumn)
	}
	want := map[string]Kind{
		"id": KindIdentifier, "city": KindCategorical, "season": KindCategorical, "year": KindCategorical,
		"flag": KindBoolean, "amount": KindNumeric, "price": KindNumeric, "visit": KindTemporal, "day": KindTemporal,
		"comment": KindText,
	}
	for name, k := range want {
		c := p.Column(name)
		if c == nil {
			t.Fatalf("no column %s", name)
		}
		if c.Class != k {
			t.Errorf("%s (%s) is %s, want %s", name, c.Type, c.Class, k)
		}
		if c.Distinct == nil || c.Distinct.Approx {
			t.Errorf("%s: distinct %+v, want exact", name, c.Distinct)
		}
	}
	if c := p.Column("visit"); c.Type == "VARCHAR" && (c.DateFormat != "%m/%d/%Y" || c.DateRange == nil || c.DateRange.To != "2015-07-01") {
		t.Errorf("visit: format %q range %+v", c.DateFormat, c.DateRange)
	}
	if c := p.Column("price"); !c.NumberText || c.Mean == nil {
		t.Errorf("price: %+v", c)
	}
	if c := p.Column("year"); c.NumberRole != "label" {
		t.Errorf("year role %q", c.NumberRole)
	}
	if c := p.Column("amount"); c.Median == nil || c.Median.Approx || c.Median.Value != 3 {
		t.Errorf("amount median %+v", c.Median)
	}
	if c := p.Column("amount"); c.Zeros == nil || *c.Zeros != 8 { // rows 7, 14, … 56
		t.Errorf("amount zeros %v, want 8", c.Zeros)
	}
	kinds := map[FindingKind]Finding{}
	for _, f := range p.Findings {
		kinds[f.Kind] = f
		t.Logf("%s: %s", f.Kind, f.Text)
	}
	for _, k := range []FindingKind{FindingMissing, FindingSkew, FindingPartial, FindingSpan} {
		if _, ok := kinds[k]; !ok {
			t.Errorf("no %s finding in %+v", k, p.Findings)
		}
	}
	if f := kinds[FindingPartial]; !strings.Contains(f.Text, "July 2015") {
		t.Errorf("partial period: %s", f.Text)
	}
	for _, f := range p.Findings {
		if strings.Contains(f.Text, "2,01") {
			t.Errorf("a year with a separator: %s", f.Text)
		}
	}
}

func TestOldProfileComputedAgain(t *testing.T) {
	e := newTestEngine(t)
	id, _ := mustIngest(t, e, "a.csv", []byte("city,n\nMiami,1\nBoston,2\n"))
	dir, _ := e.sessionDir(id)
	if _, err := e.Profile(context.Background(), id); err != nil { // the one computed at ingest, first
		t.Fatal(err)
	}
	// A profile stored before any version, and no value index; then one
	// of the previous version (findings whose queries did not show all
	// their numbers).
	if err := writeProfile(dir, &Profile{RowCount: 2, ColumnCount: 2, Columns: []ColumnProfile{{Name: "city", Type: "VARCHAR", Kind: "text"}}}); err != nil {
		t.Fatal(err)
	}
	if err := removeFile(dir, valuesName); err != nil {
		t.Fatal(err)
	}
	p, err := e.Profile(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if p.Version != profileVersion || p.Column("city").Class != KindCategorical {
		t.Errorf("profile not computed again: %+v", p)
	}
	old := *p
	old.Version, old.Findings = profileVersion-1, []Finding{{Kind: FindingSpan, Text: "stale"}}
	if err := writeProfile(dir, &old); err != nil {
		t.Fatal(err)
	}
	if p, err = e.Profile(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	if p.Version != profileVersion || len(p.Findings) > 0 && p.Findings[0].Text == "stale" {
		t.Errorf("a profile of version %d not computed again: %+v", profileVersion-1, p)
	}
	idx, err := e.Values(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if m := idx.Lookup("boston"); len(m) != 1 || m[0].Column != "city" {
		t.Errorf("lookup = %+v", m)
	}
}

func removeFile(dir, name string) error { return os.Remove(filepath.Join(dir, name)) }

// Numbers stored as text with a decimal comma are read as decimals, not as
// thousands: "39,6" is 39.6, while "1,234" stays 1234.
func TestNumbersWithDecimalComma(t *testing.T) {
	e := newTestEngine(t)
	id, _ := mustIngest(t, e, "comma.csv", []byte("name,weight,price\na,\"39,6\",\"$1,234\"\nb,\"12,5\",\"$2,000\"\nc,\"8,25\",\"$3,010\"\nd,\"40\",\"$5\"\n"))
	p, err := e.Profile(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		col  string
		mean float64
	}{
		{"weight", (39.6 + 12.5 + 8.25 + 40) / 4},
		{"price", (1234 + 2000 + 3010 + 5) / 4.0},
	} {
		c := p.Column(tc.col)
		if c == nil || !c.NumberText || c.Mean == nil {
			t.Fatalf("%s: %+v", tc.col, c)
		}
		if m := *c.Mean; m < tc.mean-1e-9 || m > tc.mean+1e-9 {
			t.Errorf("%s mean %v, want %v", tc.col, m, tc.mean)
		}
	}
}

// Past the exact limit, a finding's estimate is the one its query shows:
// the query computes it with the profile's estimator, and the sentence
// says "about".
func TestFindingEstimatesShown(t *testing.T) {
	defer func(n int64) { exactStatsRows = n }(exactStatsRows)
	exactStatsRows = 100
	var b strings.Builder
	b.WriteString("amount,city\n")
	for i := 0; i < 3000; i++ {
		amount := float64(i%50) + 0.5
		if i%97 == 0 {
			amount = 5000 + float64(i) // a long right tail
		}
		fmt.Fprintf(&b, "%g,city %d\n", amount, i%40)
	}
	e := newTestEngine(t)
	id, _ := mustIngest(t, e, "estimates.csv", []byte(b.String()))
	p, err := e.Profile(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if c := p.Column("amount"); c.Median == nil || !c.Median.Approx || c.Distinct == nil || !c.Distinct.Approx {
		t.Fatalf("amount not estimated: %+v", c)
	}
	cell := func(res *Result, name string) float64 {
		for i, col := range res.Columns {
			if col == name && len(res.Rows) > 0 {
				f, _ := ToFloat(res.Rows[0][i])
				return f
			}
		}
		t.Fatalf("no column %q in %v", name, res.Columns)
		return 0
	}
	seen := map[FindingKind]bool{}
	for _, f := range p.Findings {
		res := mustQuery(t, e, id, f.SQL)
		switch f.Kind {
		case FindingSkew:
			if got := cell(res, "median"); got != f.Values["median"] {
				t.Errorf("skew: the query's median %v, the finding's %v", got, f.Values["median"])
			}
		case FindingCategories, FindingDominant:
			if got := cell(res, "distinct values"); got != f.Values["distinct"] {
				t.Errorf("%s: the query's distinct count %v, the finding's %v", f.Kind, got, f.Values["distinct"])
			}
		default:
			continue
		}
		seen[f.Kind] = true
		if !f.Approx || !strings.Contains(f.Text, "about ") {
			t.Errorf("an estimate not said so: %+v", f)
		}
	}
	if !seen[FindingSkew] || !seen[FindingCategories] {
		t.Errorf("no skew or categories finding in %+v", p.Findings)
	}
}
