package duck

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

func TestHistograms(t *testing.T) {
	e := newTestEngine(t)
	var b strings.Builder
	b.WriteString("price,rating,day,city\n")
	for i := 0; i < 1000; i++ {
		fmt.Fprintf(&b, "%d.5,%d,2024-01-%02d,c%d\n", i, 1+i%5, 1+i%28, i%3)
	}
	id, _ := mustIngest(t, e, "h.csv", []byte(b.String()))
	p, err := e.Profile(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.Histograms(context.Background(), id, p)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]ColumnBins{}
	for _, c := range got {
		byName[c.Name] = c
	}
	if _, ok := byName["city"]; ok {
		t.Errorf("text column binned")
	}
	total := func(c ColumnBins) (n int64) {
		for _, b := range c.Bins {
			n += b.Count
		}
		return n
	}
	price := byName["price"]
	if price.Scale != "number" || len(price.Bins) != HistogramBins || total(price) != 1000 || price.Bins[0].Start != 0.5 || price.Bins[HistogramBins-1].End != 999.5 {
		t.Fatalf("price %+v", price)
	}
	// Equal-width bins over 0.5..999.5: each holds the values an independent count finds.
	for _, bin := range price.Bins[:3] {
		r := mustQuery(t, e, id, fmt.Sprintf("SELECT count(*) FROM data WHERE price >= %v AND price < %v", bin.Start, bin.End))
		if n := asInt(r.Rows[0][0]); n != bin.Count {
			t.Errorf("bin %+v: count(*) says %d", bin, n)
		}
	}
	rating := byName["rating"]
	if len(rating.Bins) != 5 || total(rating) != 1000 || rating.Bins[0].Count != 200 {
		t.Fatalf("small integers get one bin each: %+v", rating)
	}
	day := byName["day"]
	if day.Scale != "time" || total(day) != 1000 || day.Bins[0].Start != 1704067200000 {
		t.Fatalf("day %+v", day)
	}
}

func TestHistogramsSampleLargeDatasets(t *testing.T) {
	e := newTestEngine(t)
	pq := writeParquet(t, "SELECT i AS n FROM range(100000) t(i)")
	id, _ := mustIngest(t, e, "big.parquet", pq)
	p, err := e.Profile(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	defer func(n int64) { histogramExactRows = n }(histogramExactRows)
	histogramExactRows = 20_000
	got, err := e.Histograms(context.Background(), id, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !got[0].Approx {
		t.Fatalf("%+v", got)
	}
	var total int64
	for _, b := range got[0].Bins {
		total += b.Count
	}
	// Scaled from a sample of about a fifth of the rows: the same order as the dataset.
	if total < 40_000 || total > 160_000 {
		t.Fatalf("scaled total %d of 100,000 rows", total)
	}
}
