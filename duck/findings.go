package duck

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/analyzerhq/analyzer/duck/series"
	"github.com/analyzerhq/analyzer/numfmt"
)

// FindingKind names what a finding is about.
type FindingKind string

const (
	FindingMissing     FindingKind = "missing"
	FindingDuplicates  FindingKind = "duplicates"
	FindingConstant    FindingKind = "constant"
	FindingIdentifier  FindingKind = "identifier"
	FindingTextFormat  FindingKind = "text_format" // dates or numbers stored as text
	FindingSkew        FindingKind = "skew"
	FindingOutliers    FindingKind = "outliers"
	FindingZeros       FindingKind = "zeros"
	FindingCorrelation FindingKind = "correlation"
	FindingDominant    FindingKind = "dominant"
	FindingCategories  FindingKind = "categories"
	FindingSpan        FindingKind = "span"
	FindingTrend       FindingKind = "trend"
	FindingPartial     FindingKind = "partial_period"
)

// Finding is one fact about a dataset, computed with SQL when it is
// profiled: a quality alert (Alert) or a headline fact. Text states it
// with its numbers (written by numfmt, estimates said "about"); Values
// holds those numbers by name; SQL is a query on the table data whose
// result holds every number Text states (as a cell, or a share of two
// cells of one row), computed as the profile computed it (an estimate
// with the same estimator), so that whoever states the finding can show
// where its numbers come from.
type Finding struct {
	Kind    FindingKind        `json:"kind"`
	Alert   bool               `json:"alert"`
	Columns []string           `json:"columns"`
	Text    string             `json:"text"`
	SQL     string             `json:"sql"`
	Approx  bool               `json:"approx,omitempty"`
	Values  map[string]float64 `json:"values,omitempty"`
	Score   float64            `json:"score"` // how much it matters; findings are sorted by it
}

// Thresholds of the findings, defined once.
const (
	MissingAlertShare    = 0.05 // a column missing at least this share is an alert
	SkewAlert            = 2.0  // |skewness| at or above
	OutlierAlertShare    = 0.01 // share of values outside OutlierIQR × IQR ...
	OutlierMinCount      = 2    // ... and at least this many
	OutlierIQR           = 1.5
	ZeroShare            = 0.5 // share of zeros that makes a column zero-inflated
	CorrelationStrong    = 0.7 // |r| at or above: a strong correlation
	CorrelationRedundant = 0.9 // |r| at or above: nearly redundant columns (an alert)
	DominantShare        = 0.5 // one value holds at least this share: dominant
	ImbalanceShare       = 0.9 // ... this share: imbalanced (an alert)
	TrendCorrelation     = 0.6 // |corr(value, time)| at or above: a trend
	MinShapeRows         = 20  // fewer values say nothing of skew or outliers
	MinTrendPeriods      = 4

	MaxFindings         = 14
	maxFindingNumerics  = 20
	maxFindingCorr      = 10
	maxFindingCategory  = 8
	maxFindingTrendCols = 3
	findingsTimeout     = 60 * time.Second
)

type finder struct {
	ctx  context.Context
	db   *sql.DB
	src  string
	p    *Profile
	out  []Finding
	nums []*ColumnProfile
}

func (f *finder) add(fd Finding) {
	if fd.Columns == nil {
		fd.Columns = []string{}
	}
	f.out = append(f.out, fd)
}

// computeFindings derives the findings from the profile and a few queries
// on src (each skipped when it fails or runs out of time), most telling
// first, at most MaxFindings.
func computeFindings(ctx context.Context, db *sql.DB, src string, p *Profile) []Finding {
	ctx, cancel := context.WithTimeout(ctx, findingsTimeout)
	defer cancel()
	f := &finder{ctx: ctx, db: db, src: src, p: p}
	for i := range p.Columns {
		c := &p.Columns[i]
		if d, _ := c.DistinctCount(); c.Class == KindNumeric && d > 1 && len(f.nums) < maxFindingNumerics {
			f.nums = append(f.nums, c)
		}
	}
	if p.RowCount > 0 {
		f.columns()
		f.duplicates()
		f.shapes()
		f.correlations()
		f.categories()
		f.trend()
	}
	sort.SliceStable(f.out, func(i, j int) bool { return f.out[i].Score > f.out[j].Score })
	if len(f.out) > MaxFindings {
		f.out = f.out[:MaxFindings]
	}
	if f.out == nil {
		f.out = []Finding{}
	}
	return f.out
}

func q(name string) string { return QuoteIdent(name) }

// stat writes a column's number: its role decides separators.
func stat(c *ColumnProfile, v float64, approx bool) string {
	return numfmt.Stat(v, c.NumberRole, approx)
}

// columns: missing values, constant columns, identifiers, text formats.
func (f *finder) columns() {
	rows := f.p.RowCount
	for i := range f.p.Columns {
		c := &f.p.Columns[i]
		name := q(c.Name)
		if c.NullCount > 0 {
			share := float64(c.NullCount) / float64(rows)
			f.add(Finding{Kind: FindingMissing, Alert: share >= MissingAlertShare, Columns: []string{c.Name},
				Text:   fmt.Sprintf("%s is missing (NULL) in %s of %s rows (%s).", name, numfmt.Count(c.NullCount), numfmt.Count(rows), numfmt.Percent(share)),
				SQL:    fmt.Sprintf("SELECT count(*) - count(%s) AS missing, count(*) AS total FROM data", name),
				Values: map[string]float64{"missing": float64(c.NullCount), "rows": float64(rows), "share": share},
				Score:  1 + 3*share})
		}
		nonNull := rows - c.NullCount
		d, approx := c.DistinctCount()
		switch {
		case d == 1 && nonNull > 0 && !approx:
			f.add(Finding{Kind: FindingConstant, Alert: true, Columns: []string{c.Name},
				Text:  fmt.Sprintf("%s is constant: every non-null value is %s.", name, valueString(c.Min)),
				SQL:   fmt.Sprintf("SELECT DISTINCT %s FROM data", name),
				Score: 1.2})
		case c.Class == KindIdentifier && c.NullCount == 0 && d >= nonNull && nonNull > IdentifierMinRows:
			f.add(Finding{Kind: FindingIdentifier, Columns: []string{c.Name}, Approx: approx,
				Text:  fmt.Sprintf("%s has a different value in every row: an identifier, not something to group by or sum.", name),
				SQL:   fmt.Sprintf("SELECT count(DISTINCT %s) AS distinct_values, count(*) AS rows FROM data", name),
				Score: 0.7})
		}
		switch {
		case c.DateFormat != "":
			f.add(Finding{Kind: FindingTextFormat, Alert: true, Columns: []string{c.Name},
				Text:  fmt.Sprintf("%s holds dates stored as text (format %s); they are parsed when computed on.", name, c.DateFormat),
				SQL:   fmt.Sprintf("SELECT %s AS text, %s AS parsed FROM data LIMIT 10", name, c.Expr()),
				Score: 1.1})
		case c.NumberText:
			what := "numbers stored as text; they are converted"
			switch {
			case c.Duration:
				what = "lengths of time written as text (minutes:seconds); they are read as seconds"
			case c.Unit != "":
				what = "numbers written with a unit (" + c.Unit + "); the numbers are read"
			}
			f.add(Finding{Kind: FindingTextFormat, Alert: true, Columns: []string{c.Name},
				Text:  fmt.Sprintf("%s holds %s when computed on.", name, what),
				SQL:   fmt.Sprintf("SELECT %s AS text, %s AS number FROM data LIMIT 10", name, c.Expr()),
				Score: 1.1})
		}
	}
}

func (f *finder) duplicates() {
	if d := f.p.DuplicateRows; d > 0 {
		share := float64(d) / float64(f.p.RowCount)
		f.add(Finding{Kind: FindingDuplicates, Alert: true,
			Text:   fmt.Sprintf("%s of %s rows (%s) are exact duplicates of another row.", numfmt.Count(d), numfmt.Count(f.p.RowCount), numfmt.Percent(share)),
			SQL:    "SELECT count(*) - (SELECT count(*) FROM (SELECT DISTINCT * FROM data)) AS duplicates, count(*) AS total FROM data",
			Values: map[string]float64{"duplicates": float64(d), "rows": float64(f.p.RowCount), "share": share},
			Score:  1.5 + 3*share})
	}
}

// shapes: skew (from the profile), outliers beyond OutlierIQR × IQR (one
// query for every measure) and zero-inflated columns.
func (f *finder) shapes() {
	type fence struct {
		c      *ColumnProfile
		lo, hi float64
	}
	var fences []fence
	var exprs []string
	for _, c := range f.nums {
		nonNull := f.p.RowCount - c.NullCount
		if nonNull < MinShapeRows {
			continue
		}
		name := q(c.Name)
		approx := c.Median != nil && c.Median.Approx
		if c.Skewness != nil && math.Abs(*c.Skewness) >= SkewAlert && c.Mean != nil && c.Median != nil {
			side := "right"
			if *c.Skewness < 0 {
				side = "left"
			}
			f.add(Finding{Kind: FindingSkew, Alert: true, Columns: []string{c.Name}, Approx: approx,
				Text: fmt.Sprintf("%s is highly skewed to the %s (skewness %s): its mean %s is far from its median %s.",
					name, side, numfmt.Number(*c.Skewness), stat(c, *c.Mean, false), stat(c, c.Median.Value, approx)),
				SQL:    fmt.Sprintf("SELECT skewness(%[1]s::DOUBLE) AS skewness, avg(%[1]s)::DOUBLE AS mean, %[2]s AS median FROM data", c.Expr(), MedianSQL(c.Expr(), approx)),
				Values: map[string]float64{"skewness": *c.Skewness, "mean": *c.Mean, "median": c.Median.Value},
				Score:  1 + math.Min(math.Abs(*c.Skewness), 5)/5})
		}
		zeros := c.Zeros != nil && float64(*c.Zeros) >= ZeroShare*float64(nonNull) && *c.Zeros < nonNull
		if zeros {
			share := float64(*c.Zeros) / float64(nonNull)
			f.add(Finding{Kind: FindingZeros, Columns: []string{c.Name},
				Text:   fmt.Sprintf("%s is zero in %s of its non-null values (%s).", name, numfmt.Count(*c.Zeros), numfmt.Percent(share)),
				SQL:    fmt.Sprintf("SELECT count_if(%[1]s = 0) AS zeros, count(%[1]s) AS n FROM data", c.Expr()),
				Values: map[string]float64{"zeros": float64(*c.Zeros), "share": share},
				Score:  0.9 + share/2})
			continue
		}
		q1, ok1 := toFloat(c.Q25)
		q3, ok3 := toFloat(c.Q75)
		if !ok1 || !ok3 || q3 <= q1 {
			continue
		}
		iqr := q3 - q1
		fe := fence{c, q1 - OutlierIQR*iqr, q3 + OutlierIQR*iqr}
		fences = append(fences, fe)
		exprs = append(exprs, fmt.Sprintf("count_if(%[1]s < %[2]s OR %[1]s > %[3]s)", c.Expr(), sqlFloat(fe.lo), sqlFloat(fe.hi)))
	}
	if len(exprs) == 0 || f.ctx.Err() != nil {
		return
	}
	vals := make([]int64, len(exprs))
	ptrs := make([]any, len(exprs))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := f.db.QueryRowContext(f.ctx, "SELECT "+strings.Join(exprs, ", ")+" FROM "+f.src).Scan(ptrs...); err != nil {
		return
	}
	for i, fe := range fences {
		c, n := fe.c, vals[i]
		nonNull := f.p.RowCount - c.NullCount
		share := float64(n) / float64(nonNull)
		if n < OutlierMinCount || share < OutlierAlertShare {
			continue
		}
		approx := c.Median != nil && c.Median.Approx
		f.add(Finding{Kind: FindingOutliers, Alert: true, Columns: []string{c.Name}, Approx: approx,
			Text: fmt.Sprintf("%s has %s values (%s of non-null) outside %s × IQR of its quartiles, below %s or above %s.",
				q(c.Name), numfmt.Count(n), numfmt.Percent(share), numfmt.Number(OutlierIQR), stat(c, fe.lo, approx), stat(c, fe.hi, approx)),
			SQL: fmt.Sprintf("SELECT count(*) FILTER (WHERE %[1]s < %[2]s OR %[1]s > %[3]s) AS outliers, count(%[1]s) AS %[4]s,\n"+
				"       %[2]s AS %[5]s, %[3]s AS %[6]s, %[7]s AS %[8]s\nFROM data",
				c.Expr(), sqlFloat(fe.lo), sqlFloat(fe.hi), q("non-null"), q("low fence"), q("high fence"), sqlFloat(OutlierIQR), q("IQR multiple")),
			Values: map[string]float64{"outliers": float64(n), "share": share, "low": fe.lo, "high": fe.hi},
			Score:  1 + math.Min(share*10, 1)})
	}
}

// correlations reports pairs of measures with |r| >= CorrelationStrong.
func (f *finder) correlations() {
	cols := f.nums
	if len(cols) > maxFindingCorr {
		cols = cols[:maxFindingCorr]
	}
	type pair struct{ a, b *ColumnProfile }
	var pairs []pair
	var exprs []string
	for i := 0; i < len(cols); i++ {
		for j := i + 1; j < len(cols); j++ {
			pairs = append(pairs, pair{cols[i], cols[j]})
			exprs = append(exprs, fmt.Sprintf("corr(%s::DOUBLE, %s::DOUBLE)", cols[i].Expr(), cols[j].Expr()))
		}
	}
	if len(exprs) == 0 || f.ctx.Err() != nil {
		return
	}
	vals := make([]any, len(exprs))
	ptrs := make([]any, len(exprs))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := f.db.QueryRowContext(f.ctx, "SELECT "+strings.Join(exprs, ", ")+" FROM "+f.src).Scan(ptrs...); err != nil {
		return
	}
	for k, p := range pairs {
		r, ok := vals[k].(float64)
		// r = 1 is said too: two columns that are one (a price in two
		// currencies) are the most redundant of all.
		if !ok || math.IsNaN(r) || math.Abs(r) < CorrelationStrong {
			continue
		}
		dir := "rise together"
		if r < 0 {
			dir = "move in opposite directions"
		}
		text := fmt.Sprintf("%s and %s are strongly correlated (r = %s): they %s.", q(p.a.Name), q(p.b.Name), strconv.FormatFloat(r, 'f', 2, 64), dir)
		if math.Abs(r) >= CorrelationRedundant {
			text = fmt.Sprintf("%s and %s are nearly redundant (r = %s): they %s.", q(p.a.Name), q(p.b.Name), strconv.FormatFloat(r, 'f', 2, 64), dir)
		}
		f.add(Finding{Kind: FindingCorrelation, Alert: math.Abs(r) >= CorrelationRedundant, Columns: []string{p.a.Name, p.b.Name},
			Text: text, SQL: fmt.Sprintf("SELECT corr(%s::DOUBLE, %s::DOUBLE) AS r FROM data", p.a.Expr(), p.b.Expr()),
			Values: map[string]float64{"r": r}, Score: 1 + math.Abs(r)})
	}
}

// categories reports the most common values of categorical columns (from
// the value index's counts, which are exact), dominant from DominantShare,
// imbalanced (an alert) from ImbalanceShare.
func (f *finder) categories() {
	n := 0
	for i := range f.p.Columns {
		c := &f.p.Columns[i]
		if (c.Class != KindCategorical && c.Class != KindBoolean) || len(c.TopValues) == 0 || n == maxFindingCategory {
			continue
		}
		nonNull := f.p.RowCount - c.NullCount
		d, approx := c.DistinctCount()
		if d < 2 || nonNull <= 0 {
			continue
		}
		n++
		var parts []string
		for k, tv := range c.TopValues {
			if k == 3 {
				break
			}
			parts = append(parts, fmt.Sprintf("%s %s", valueString(tv.Value), numfmt.Percent(float64(tv.Count)/float64(nonNull))))
		}
		share := float64(c.TopValues[0].Count) / float64(nonNull)
		count := numfmt.Count(d)
		if approx {
			count = numfmt.About(count)
		}
		name := q(c.Name)
		fd := Finding{Kind: FindingCategories, Columns: []string{c.Name}, Approx: approx,
			Text:   fmt.Sprintf("%s has %s values; the most common: %s.", name, count, strings.Join(parts, ", ")),
			SQL:    categoriesSQL(name, approx),
			Values: map[string]float64{"distinct": float64(d), "top_share": share},
			Score:  0.8 + share/2}
		if share >= DominantShare {
			fd.Kind, fd.Alert, fd.Score = FindingDominant, share >= ImbalanceShare, 1.2+share
			fd.Text = fmt.Sprintf("%s is dominated by %s (%s of non-null values, %s values in all).", name, valueString(c.TopValues[0].Value), numfmt.Percent(share), count)
			if len(parts) > 1 {
				fd.Text = strings.TrimSuffix(fd.Text, ".") + "; next: " + strings.Join(parts[1:], ", ") + "."
			}
		}
		f.add(fd)
	}
}

// trend looks at the main temporal column: its span, empty and partial
// periods, and whether the row count and the first measures rise or fall.
func (f *finder) trend() {
	c := f.p.Column(f.p.TimeColumn)
	if c == nil || c.DateRange == nil || f.ctx.Err() != nil {
		return
	}
	from, err1 := parseISO(c.DateRange.From)
	to, err2 := parseISO(c.DateRange.To)
	if err1 != nil || err2 != nil || !to.After(from) {
		return
	}
	unit := TrendUnit(from, to, c.DateRange.Granularity)
	d := c.Expr()
	measures := f.nums
	if len(measures) > maxFindingTrendCols {
		measures = measures[:maxFindingTrendCols]
	}
	inner := []string{fmt.Sprintf("date_trunc('%s', %s) AS period", unit, d), "count(*) AS n"}
	for i, m := range measures {
		inner = append(inner, fmt.Sprintf("avg(%s::DOUBLE) AS m%d", m.Expr(), i))
	}
	qry := fmt.Sprintf("SELECT %s FROM %s WHERE %s IS NOT NULL GROUP BY 1 ORDER BY 1", strings.Join(inner, ", "), f.src, d)
	rows, err := f.db.QueryContext(f.ctx, qry)
	if err != nil {
		return
	}
	var periods []time.Time
	counts := []series.Point{}
	avgs := make([][]series.Point, len(measures))
	for rows.Next() {
		vals := make([]any, 2+len(measures))
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			rows.Close()
			return
		}
		t, ok := vals[0].(time.Time)
		if !ok {
			continue
		}
		periods = append(periods, t)
		n := float64(toInt(vals[1]))
		counts = append(counts, series.Point{Period: t, Value: &n})
		for i := range measures {
			if v, ok := vals[2+i].(float64); ok {
				avgs[i] = append(avgs[i], series.Point{Period: t, Value: &v})
			}
		}
	}
	rows.Close()
	if len(periods) == 0 {
		return
	}
	all := series.Periods(from, to, unit)
	empty := len(all) - len(periods)
	name := q(c.Name)
	text := fmt.Sprintf("%s spans %s to %s (%s %ss", name, c.DateRange.From, c.DateRange.To, numfmt.Count(int64(len(all))), unit)
	if empty > 0 {
		text += fmt.Sprintf(", %s of them without any row", numfmt.Count(int64(empty)))
	}
	text += ")."
	f.add(Finding{Kind: FindingSpan, Columns: []string{c.Name}, Text: text,
		SQL: fmt.Sprintf("SELECT min(%[2]s) AS first, max(%[2]s) AS last,\n"+
			"       date_diff('%[1]s', date_trunc('%[1]s', min(%[2]s)), date_trunc('%[1]s', max(%[2]s))) + 1 AS %[3]s,\n"+
			"       count(DISTINCT date_trunc('%[1]s', %[2]s)) AS %[4]s,\n"+
			"       date_diff('%[1]s', date_trunc('%[1]s', min(%[2]s)), date_trunc('%[1]s', max(%[2]s))) + 1 - count(DISTINCT date_trunc('%[1]s', %[2]s)) AS %[5]s\nFROM data",
			unit, d, q(unit+"s"), q(unit+"s with rows"), q(unit+"s without rows")),
		Values: map[string]float64{"periods": float64(len(all)), "empty_periods": float64(empty)},
		Score:  1.1})
	cov := series.Partial(from, to, unit, c.DateRange.Granularity)
	if cov.FirstPartial || cov.LastPartial {
		var which []string
		// The dates say how much of the period is covered; they are the
		// SQL's first and last values (a share would be no cell of it).
		if cov.FirstPartial {
			which = append(which, fmt.Sprintf("the first %s%s is covered only in part (the data starts on %s)", unit, periodLabel(series.Truncate(from, unit), unit), c.DateRange.From))
		}
		if cov.LastPartial {
			which = append(which, fmt.Sprintf("the last %s%s is covered only in part (the data ends on %s)", unit, periodLabel(series.Truncate(to, unit), unit), c.DateRange.To))
		}
		f.add(Finding{Kind: FindingPartial, Alert: true, Columns: []string{c.Name},
			Text:   fmt.Sprintf("By %s, %s: totals there are not comparable to whole %ss.", unit, strings.Join(which, " and "), unit),
			SQL:    fmt.Sprintf("SELECT min(%[1]s) AS first, max(%[1]s) AS last FROM data", d),
			Values: map[string]float64{"first_share": cov.FirstShare, "last_share": cov.LastShare},
			Score:  1.4})
	}
	// Trends use whole periods only, and every period (0 rows where empty).
	whole := func(pts []series.Point, agg series.Aggregate) []series.Point {
		filled := series.Fill(pts, from, to, unit, agg)
		if cov.FirstPartial && len(filled) > 0 {
			filled = filled[1:]
		}
		if cov.LastPartial && len(filled) > 0 {
			filled = filled[:len(filled)-1]
		}
		return filled
	}
	describe := func(what string, pts []series.Point, role numfmt.Role, sql string, cols []string) {
		r, first, last, ok := timeCorrelation(pts)
		if !ok || len(pts) < MinTrendPeriods || math.Abs(r) < TrendCorrelation {
			return
		}
		dir := "rises"
		if r < 0 {
			dir = "falls"
		}
		f.add(Finding{Kind: FindingTrend, Columns: cols,
			// r is said in words (rises, falls): it is no cell of the SQL,
			// whose periods hold the first and last values.
			Text: fmt.Sprintf("%s %s over time (by %s: %s in the first whole %s, %s in the last).",
				what, dir, unit, numfmt.Value(first, role), unit, numfmt.Value(last, role)),
			SQL: sql, Values: map[string]float64{"r": r, "first": first, "last": last}, Score: 1.3 + math.Abs(r)/2})
	}
	describe("The number of rows per "+unit, whole(counts, series.Additive), numfmt.Amount,
		fmt.Sprintf("SELECT date_trunc('%s', %s) AS period, count(*) AS n FROM data GROUP BY 1 ORDER BY 1", unit, d), []string{c.Name})
	for i, m := range measures {
		describe("The average of "+q(m.Name), whole(avgs[i], series.Average), m.NumberRole,
			fmt.Sprintf("SELECT date_trunc('%s', %s) AS period, avg(%s) AS average, count(*) AS n FROM data GROUP BY 1 ORDER BY 1", unit, d, m.Expr()),
			[]string{c.Name, m.Name})
	}
}

// TrendUnit is the period a time span is read by: days up to 92 days,
// years beyond 10 years, else months, never finer than the data.
func TrendUnit(from, to time.Time, granularity string) string {
	days := to.Sub(from).Hours() / 24
	unit := series.Month
	switch {
	case days <= 92:
		unit = series.Day
	case days > 3660:
		unit = series.Year
	}
	if granularity == series.Year || granularity == series.Month && unit == series.Day {
		unit = granularity
	}
	return unit
}

// timeCorrelation is Pearson's r between period order and value over the
// points with a value, with the first and last values.
func timeCorrelation(pts []series.Point) (r, first, last float64, ok bool) {
	var xs, ys []float64
	for i, p := range pts {
		if p.Value != nil {
			xs = append(xs, float64(i))
			ys = append(ys, *p.Value)
		}
	}
	if len(xs) < 2 {
		return 0, 0, 0, false
	}
	var mx, my float64
	for i := range xs {
		mx += xs[i]
		my += ys[i]
	}
	mx /= float64(len(xs))
	my /= float64(len(ys))
	var sxy, sxx, syy float64
	for i := range xs {
		sxy += (xs[i] - mx) * (ys[i] - my)
		sxx += (xs[i] - mx) * (xs[i] - mx)
		syy += (ys[i] - my) * (ys[i] - my)
	}
	if sxx == 0 || syy == 0 {
		return 0, ys[0], ys[len(ys)-1], false
	}
	return sxy / math.Sqrt(sxx*syy), ys[0], ys[len(ys)-1], true
}

func parseISO(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02", "2006-01-02T15:04:05.999999999", time.RFC3339Nano} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("not a date: %q", s)
}

// periodLabel names a period in parentheses after its unit, "" for a year
// (the date that follows says it).
func periodLabel(t time.Time, unit string) string {
	switch unit {
	case series.Year:
		return ""
	case series.Month:
		return " (" + t.Format("January 2006") + ")"
	case series.Day:
		return " (" + t.Format("2006-01-02") + ")"
	}
	return " (" + t.Format("2006-01-02 15:04") + ")"
}

// MedianSQL is the median as the profile computes it: exact, or estimated
// by the same estimator.
func MedianSQL(expr string, approx bool) string {
	if approx {
		return "approx_quantile(" + expr + "::DOUBLE, [0.25, 0.5, 0.75])[2]"
	}
	return "quantile_cont(" + expr + "::DOUBLE, 0.5)"
}

// categoriesSQL lists a column's most common values with their counts and
// shares, beside the number of distinct values (estimated as the profile
// estimates it when approx).
func categoriesSQL(name string, approx bool) string {
	distinct := "count(*) OVER ()"
	if approx {
		distinct = "(SELECT approx_count_distinct(" + name + ") FROM data)"
	}
	return fmt.Sprintf("SELECT %[1]s AS value, count(*) AS n, 100.0 * count(*) / sum(count(*)) OVER () AS pct,\n"+
		"       sum(count(*)) OVER () AS %[2]s, %[3]s AS %[4]s\nFROM data WHERE %[1]s IS NOT NULL GROUP BY 1 ORDER BY n DESC, 1 LIMIT 10",
		name, q("non-null"), distinct, q("distinct values"))
}

func sqlFloat(f float64) string { return strconv.FormatFloat(f, 'g', 10, 64) }

// valueString writes a value in a sentence: text quoted, numbers as is.
func valueString(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		// As written, so that the value reads as in the data.
		return "“" + x + "”"
	case float64:
		return numfmt.Number(x)
	}
	return fmt.Sprint(v)
}
