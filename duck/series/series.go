// Package series makes time series honest: every period between the first
// and the last is present (empty ones as 0 for counts and sums, as gaps
// for averages, never bridged), and a first or last period the data only
// partly covers is flagged rather than read as a rise or a crash.
package series

import (
	"sort"
	"time"
)

// Units of periods and granularities, as in the profile (DateRange).
const (
	Year      = "year"
	Quarter   = "quarter"
	Month     = "month"
	Week      = "week" // ISO weeks, starting on Monday
	Day       = "day"
	Hour      = "hour"
	Minute    = "minute"
	Second    = "second"
	Subsecond = "subsecond"
)

// Truncate returns the start of the period of t (in t's location).
func Truncate(t time.Time, unit string) time.Time {
	y, m, d := t.Date()
	loc := t.Location()
	switch unit {
	case Year:
		return time.Date(y, 1, 1, 0, 0, 0, 0, loc)
	case Quarter:
		return time.Date(y, (m-1)/3*3+1, 1, 0, 0, 0, 0, loc)
	case Month:
		return time.Date(y, m, 1, 0, 0, 0, 0, loc)
	case Week:
		wd := (int(t.Weekday()) + 6) % 7 // Monday 0
		return time.Date(y, m, d-wd, 0, 0, 0, 0, loc)
	case Day:
		return time.Date(y, m, d, 0, 0, 0, 0, loc)
	case Hour:
		return time.Date(y, m, d, t.Hour(), 0, 0, 0, loc)
	case Minute:
		return time.Date(y, m, d, t.Hour(), t.Minute(), 0, 0, loc)
	case Second:
		return time.Date(y, m, d, t.Hour(), t.Minute(), t.Second(), 0, loc)
	}
	return t
}

// Next returns the start of the period after the one starting at t.
func Next(t time.Time, unit string) time.Time {
	switch unit {
	case Year:
		return t.AddDate(1, 0, 0)
	case Quarter:
		return t.AddDate(0, 3, 0)
	case Month:
		return t.AddDate(0, 1, 0)
	case Week:
		return t.AddDate(0, 0, 7)
	case Day:
		return t.AddDate(0, 0, 1)
	case Hour:
		return t.Add(time.Hour)
	case Minute:
		return t.Add(time.Minute)
	case Second:
		return t.Add(time.Second)
	}
	return t.Add(time.Nanosecond)
}

// MaxPeriods bounds the periods Fill makes.
const MaxPeriods = 100_000

// Periods lists the start of every period from the one holding from to the
// one holding to, at most MaxPeriods.
func Periods(from, to time.Time, unit string) []time.Time {
	var out []time.Time
	for p := Truncate(from, unit); !p.After(to) && len(out) < MaxPeriods; p = Next(p, unit) {
		out = append(out, p)
	}
	return out
}

// Point is one period of a series; Value nil is a gap (no data).
type Point struct {
	Period time.Time
	Value  *float64
}

// Aggregate is how a series' values were computed, which decides what an
// empty period is.
type Aggregate int

const (
	Additive Aggregate = iota // count, sum: an empty period is 0
	Average                   // avg, median, ratio, min, max: an empty period is a gap
)

// Fill returns one point per period from the period of from to that of to:
// the given points (by period, truncated to unit) and, for periods with
// none, 0 (Additive) or a gap (Average). Points outside the range are
// dropped.
func Fill(points []Point, from, to time.Time, unit string, agg Aggregate) []Point {
	have := make(map[time.Time]*float64, len(points))
	for _, p := range points {
		have[Truncate(p.Period, unit).UTC()] = p.Value
	}
	periods := Periods(from, to, unit)
	out := make([]Point, len(periods))
	for i, p := range periods {
		v, ok := have[p.UTC()]
		if !ok && agg == Additive {
			zero := 0.0
			v = &zero
		}
		out[i] = Point{Period: p, Value: v}
	}
	return out
}

// Missing counts the periods from the period of from to that of to that
// have no point: the periods a plain GROUP BY leaves out.
func Missing(periods []time.Time, from, to time.Time, unit string) int {
	have := map[time.Time]bool{}
	for _, p := range periods {
		have[Truncate(p, unit).UTC()] = true
	}
	n := 0
	for _, p := range Periods(from, to, unit) {
		if !have[p.UTC()] {
			n++
		}
	}
	return n
}

// Coverage says whether the first and last periods of a series are whole.
// Share is the part of the period the data covers (1 when whole).
type Coverage struct {
	FirstPartial bool    `json:"first_partial"`
	LastPartial  bool    `json:"last_partial"`
	FirstShare   float64 `json:"first_share"`
	LastShare    float64 `json:"last_share"`
}

// rank orders units from the finest.
var rank = map[string]int{Subsecond: 0, Second: 1, Minute: 2, Hour: 3, Day: 4, Week: 5, Month: 6, Quarter: 7, Year: 8}

// Partial reports whether the data, spanning first to last with values at
// the given granularity (the profile's DateRange), covers its first and
// last periods of unit only in part: data from 1 July only, in a series by
// month, makes July partial. Data as coarse as the unit is never partial.
func Partial(first, last time.Time, unit, granularity string) Coverage {
	c := Coverage{FirstShare: 1, LastShare: 1}
	if rank[granularity] >= rank[unit] || last.Before(first) {
		return c
	}
	step := granularity
	if step == Subsecond {
		step = Second
	}
	share := func(start, end, from, to time.Time) float64 {
		total := end.Sub(start)
		if total <= 0 {
			return 1
		}
		return float64(to.Sub(from)) / float64(total)
	}
	p0 := Truncate(first, unit)
	if first.After(p0) {
		c.FirstPartial = true
		c.FirstShare = share(p0, Next(p0, unit), first, Next(p0, unit))
	}
	pn := Truncate(last, unit)
	end := Next(pn, unit)
	if covered := Next(Truncate(last, step), step); covered.Before(end) {
		c.LastPartial = true
		c.LastShare = share(pn, end, pn, covered)
	}
	if p0.Equal(pn) && c.FirstPartial && c.LastPartial { // one period
		c.FirstShare = share(p0, end, first, Next(Truncate(last, step), step))
		c.LastShare = c.FirstShare
	}
	return c
}

// Sort orders points by period.
func Sort(points []Point) {
	sort.Slice(points, func(i, j int) bool { return points[i].Period.Before(points[j].Period) })
}
