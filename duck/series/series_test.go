package series

import (
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func f(v float64) *float64 { return &v }

func TestFillCountsWithZeros(t *testing.T) {
	// Snow by year: none in 2014. A GROUP BY leaves 2014 out; the series
	// must say 0, not bridge 2013 to 2015.
	pts := []Point{{day("2012-01-01"), f(5)}, {day("2013-01-01"), f(3)}, {day("2015-01-01"), f(7)}}
	got := Fill(pts, day("2012-03-04"), day("2015-12-31"), Year, Additive)
	want := []float64{5, 3, 0, 7}
	if len(got) != len(want) {
		t.Fatalf("%d points, want %d", len(got), len(want))
	}
	for i, p := range got {
		if p.Value == nil || *p.Value != want[i] {
			t.Errorf("point %d (%s) = %v, want %v", i, p.Period.Format("2006"), p.Value, want[i])
		}
	}
	if got[2].Period != day("2014-01-01") {
		t.Errorf("period 2 = %v", got[2].Period)
	}
	if n := Missing([]time.Time{day("2012-01-01"), day("2013-01-01"), day("2015-01-01")}, day("2012-03-04"), day("2015-12-31"), Year); n != 1 {
		t.Errorf("missing = %d, want 1", n)
	}
}

func TestFillAveragesWithGaps(t *testing.T) {
	pts := []Point{{day("2020-01-01"), f(1.5)}, {day("2020-03-10"), f(2.5)}}
	got := Fill(pts, day("2020-01-01"), day("2020-03-31"), Month, Average)
	if len(got) != 3 || got[1].Value != nil || *got[0].Value != 1.5 || *got[2].Value != 2.5 {
		t.Fatalf("got %+v", got)
	}
	if got[1].Period != day("2020-02-01") {
		t.Errorf("gap at %v", got[1].Period)
	}
}

func TestPartialLastPeriod(t *testing.T) {
	// Daily data from 1 Jan 2013 to 1 Jul 2015: July 2015 has one day.
	c := Partial(day("2013-01-01"), day("2015-07-01"), Month, Day)
	if c.FirstPartial || !c.LastPartial {
		t.Fatalf("coverage %+v", c)
	}
	if c.LastShare < 0.03 || c.LastShare > 0.04 { // 1 of 31 days
		t.Errorf("last share %v", c.LastShare)
	}
	// Ending on the last day of a month is whole.
	if c := Partial(day("2013-01-01"), day("2015-06-30"), Month, Day); c.LastPartial || c.FirstPartial {
		t.Errorf("whole months: %+v", c)
	}
	// Starting mid-month is a partial first period.
	if c := Partial(day("2013-01-15"), day("2015-06-30"), Month, Day); !c.FirstPartial || c.LastPartial {
		t.Errorf("mid-month start: %+v", c)
	}
	// Monthly data by month, or by year, is never partial.
	if c := Partial(day("2013-01-01"), day("2015-07-01"), Month, Month); c.FirstPartial || c.LastPartial {
		t.Errorf("monthly data: %+v", c)
	}
	// Yearly series of daily data ending in March.
	if c := Partial(day("2010-01-01"), day("2015-03-31"), Year, Day); !c.LastPartial {
		t.Errorf("year: %+v", c)
	}
	// Hourly data ending at 23:00 covers its day.
	last := time.Date(2020, 5, 3, 23, 0, 0, 0, time.UTC)
	if c := Partial(day("2020-05-01"), last, Day, Hour); c.LastPartial {
		t.Errorf("hourly: %+v", c)
	}
}

func TestTruncateWeekAndQuarter(t *testing.T) {
	if got := Truncate(day("2024-05-16"), Week); got != day("2024-05-13") { // a Thursday → Monday
		t.Errorf("week: %v", got)
	}
	if got := Truncate(day("2024-05-16"), Quarter); got != day("2024-04-01") {
		t.Errorf("quarter: %v", got)
	}
}
