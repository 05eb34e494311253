package builtin

import (
	"context"
	"math"
	"strings"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/duck"
	"github.com/analyzerhq/analyzer/numfmt"
)

// The thresholds of the data-quality alerts are duck's (findings.go), so
// that the profile, the prompt and this report flag the same columns.
const (
	maxStatColumns    = 30 // numeric columns given full statistics
	maxFactMeasures   = 4
	maxFactCategories = 3
)

// numStats are the statistics of one numeric column, read from the cells
// of the overview and checks results the answer shows.
type numStats struct {
	c                  *column
	n                  float64
	mean, min, max     float64
	median, sum, skew  float64
	q1, q3, lo, hi     float64
	outliers, zeros    float64
	ok                 bool // mean and quartiles are known
	row                int  // the column's row in the checks result; -1 when absent
	meanText, medText  string
	minText, maxText   string
	sumText, skewText  string
	loText, hiText     string
	outText, zerosText string
}

type dateStats struct {
	c        *column
	min, max any
	n        float64
}

// colStats is one row of the overview result: a column's counts, as shown.
type colStats struct {
	c                *column
	nonNull, missing float64
	missingPct       float64
	distinct         float64
	min, max         any
}

type alert struct {
	col  string
	text string
	uses []int // the shown results it states figures of
}

type corrPair struct {
	x, y string
	r    float64
}

type chartPlan struct {
	title, sql string
	s          spec
}

// Results an auto-analysis may show, in the order they are shown.
const (
	resSummary = iota
	resOverview
	resChecks
	resCorr
	resTrend
	resTop // and on: value counts
)

// report is what an auto-analysis gathers before it says anything.
type report struct {
	s        *schema
	prof     *duck.Profile
	rows     float64
	dups     float64
	cols     []*colStats
	nums     []*numStats
	dates    []*dateStats
	corr     []corrPair
	alerts   []alert
	facts    []alert
	charts   []chartPlan
	measures []*column
	cats     []*column
	// results are the queries whose cells the text states, by kind; only
	// those a sentence uses are shown.
	results map[int]*agent.QueryResult
	used    map[int]bool
	nextTop int
}

func (a *Analyst) autoAnalyze(ctx context.Context, req agent.Request, o *out) error {
	o.status("Profiling the data…")
	s, prof, err := a.schemaFor(ctx, req.Dataset)
	if err != nil {
		return err
	}
	sid := req.Dataset.SessionID
	t := &turn{a: a, ctx: ctx, o: o, sid: sid, s: s, q: &query{kind: qOverview}}
	r := &report{s: s, prof: prof, results: map[int]*agent.QueryResult{}, used: map[int]bool{}, nextTop: resTop}
	for _, c := range s.cols {
		switch {
		case c.isNumeric() && !c.isCategory() && !c.isIdentifier():
			r.measures = append(r.measures, c)
		case (c.kind == duck.KindText && !c.numText || c.kind == duck.KindBoolean || c.isCategory() && c.kind == duck.KindNumeric) &&
			!c.isIdentifier() && (c.distinct < 0 || c.distinct >= 2 && c.distinct <= duck.CategoricalMaxDistinct):
			r.cats = append(r.cats, c)
		}
	}

	o.status("Computing statistics…")
	if err := r.overview(t); err != nil {
		return err
	}
	if err := r.stats(t); err != nil {
		return err
	}
	o.status("Looking for correlations…")
	if err := r.correlations(t); err != nil {
		return err
	}
	if err := r.buildAlerts(t); err != nil {
		return err
	}
	o.status("Preparing charts…")
	if err := r.planCharts(t, a.maxCharts); err != nil {
		return err
	}
	r.buildFacts()

	// The results the sentences state go first, so that every figure of
	// the text is in a table shown above it.
	o.say(r.heading())
	r.used[resSummary], r.used[resOverview] = true, true
	for k := 0; k < r.nextTop; k++ {
		if qr := r.results[k]; qr != nil && r.used[k] {
			if err := o.result(qr); err != nil {
				return err
			}
		}
	}
	o.say(r.text())
	for _, c := range r.charts {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := o.plot(capTitle(c.title), c.sql, c.s); err != nil {
			return err
		}
	}
	o.say(r.closing())
	return nil
}

// run runs a query whose cells the answer may state, keeping it as the
// result of kind k; nil when it failed.
func (r *report) run(t *turn, k int, sql string) *agent.QueryResult {
	qr := agent.RunQuery(t.ctx, t.a.engine, t.sid, sql)
	if qr.IsError {
		if t.ctx.Err() == nil {
			t.a.log.Warn("builtin: auto-analysis query failed", "session", t.sid, "err", qr.Error, "sql", sql)
		}
		return nil
	}
	r.results[k] = qr
	return qr
}

// overview runs the table's summary (rows, duplicate rows) and one row per
// column: kind, non-missing, missing, distinct, min, max, mean, median, sum.
func (r *report) overview(t *turn) error {
	r.rows = float64(r.s.rows)
	sum := r.run(t, resSummary, "SELECT count(*) AS "+duck.QuoteIdent("rows")+
		",\n       count(*) - (SELECT count(*) FROM (SELECT DISTINCT * FROM "+table+")) AS "+duck.QuoteIdent("duplicate rows")+
		"\nFROM "+table)
	if err := t.ctx.Err(); err != nil {
		return err
	}
	if sum != nil {
		if res := sum.Rows(); res != nil && len(res.Rows) == 1 {
			r.rows, _ = duck.ToFloat(res.Rows[0][0])
			r.dups, _ = duck.ToFloat(res.Rows[0][1])
		}
	}
	if len(r.s.cols) == 0 {
		return nil
	}
	med := "median(%s)"
	if r.s.rows > duck.ExactStatsRows {
		med = "approx_quantile(%s, 0.5)"
	}
	var parts []string
	for _, c := range r.s.cols {
		e, id := c.expr(), c.ident()
		sel := []string{
			duck.QuoteString(c.Name) + " AS " + duck.QuoteIdent("column"),
			duck.QuoteString(string(c.class)) + " AS kind",
			"count(" + e + ") AS " + duck.QuoteIdent("non-missing"),
			"count(*) - count(" + id + ") AS missing",
			"round(100.0 * (count(*) - count(" + id + ")) / count(*), 2) AS " + duck.QuoteIdent("missing %"),
			"count(DISTINCT " + e + ") AS " + duck.QuoteIdent("distinct"),
		}
		sel = append(sel, "min("+e+")::VARCHAR AS min", "max("+e+")::VARCHAR AS max")
		if c.isNumeric() {
			sel = append(sel, "avg("+e+")::DOUBLE AS mean", strings.ReplaceAll(med, "%s", e)+"::DOUBLE AS median", "sum("+e+")::DOUBLE AS sum")
		} else {
			sel = append(sel, "NULL::DOUBLE AS mean", "NULL::DOUBLE AS median", "NULL::DOUBLE AS sum")
		}
		parts = append(parts, "SELECT "+strings.Join(sel, ", ")+" FROM "+table)
	}
	qr := r.run(t, resOverview, strings.Join(parts, "\nUNION ALL\n"))
	if err := t.ctx.Err(); err != nil {
		return err
	}
	if qr == nil {
		return nil
	}
	res := qr.Rows()
	if res == nil || len(res.Rows) != len(r.s.cols) {
		return nil
	}
	for i, c := range r.s.cols {
		row := res.Rows[i]
		cs := &colStats{c: c, min: row[6], max: row[7]}
		cs.nonNull, _ = duck.ToFloat(row[2])
		cs.missing, _ = duck.ToFloat(row[3])
		cs.missingPct, _ = duck.ToFloat(row[4])
		cs.distinct, _ = duck.ToFloat(row[5])
		r.cols = append(r.cols, cs)
		if c.isNumeric() {
			st := &numStats{c: c, n: cs.nonNull, row: -1}
			var ok bool
			st.mean, ok = duck.ToFloat(row[8])
			st.median, _ = duck.ToFloat(row[9])
			st.sum, _ = duck.ToFloat(row[10])
			st.min, _ = duck.ToFloat(row[6])
			st.max, _ = duck.ToFloat(row[7])
			st.ok = ok && st.n > 0
			role := c.role()
			approxMed := r.s.rows > duck.ExactStatsRows
			st.meanText = numfmt.Value(st.mean, role)
			st.medText = numfmt.Stat(st.median, role, approxMed)
			st.minText = numfmt.Value(st.min, role)
			st.maxText = numfmt.Value(st.max, role)
			st.sumText = numfmt.Value(st.sum, role)
			r.nums = append(r.nums, st)
		}
	}
	for _, c := range r.s.temporal() {
		if cs := r.col(c); cs != nil && len(r.dates) < 5 {
			r.dates = append(r.dates, &dateStats{c: c, n: cs.nonNull, min: cs.min, max: cs.max})
		}
	}
	return nil
}

func (r *report) col(c *column) *colStats {
	for _, cs := range r.cols {
		if cs.c == c {
			return cs
		}
	}
	return nil
}

// stats runs the checks of the numeric columns: skewness, quartiles, the
// duck.OutlierIQR × IQR fences, outliers and zeros, one row per column.
func (r *report) stats(t *turn) error {
	var parts []string
	var sts []*numStats
	for _, st := range r.nums {
		if !st.ok || len(sts) == maxStatColumns {
			continue
		}
		e := st.c.expr()
		k := sqlNum(duck.OutlierIQR)
		quant := "quantile_cont(" + e + ", %s)"
		if r.s.rows > duck.ExactStatsRows {
			quant = "approx_quantile(" + e + ", %s)"
		}
		parts = append(parts, "SELECT "+duck.QuoteString(st.c.Name)+" AS "+duck.QuoteIdent("column")+
			", count("+e+") AS "+duck.QuoteIdent("non-missing")+
			", skewness("+e+")::DOUBLE AS skewness, q.q1, q.q3"+
			", q.q1 - "+k+" * (q.q3 - q.q1) AS "+duck.QuoteIdent("low fence")+
			", q.q3 + "+k+" * (q.q3 - q.q1) AS "+duck.QuoteIdent("high fence")+
			", count(*) FILTER (WHERE "+e+" < q.q1 - "+k+" * (q.q3 - q.q1) OR "+e+" > q.q3 + "+k+" * (q.q3 - q.q1)) AS outliers"+
			", count(*) FILTER (WHERE "+e+" = 0) AS zeros"+
			" FROM "+table+", (SELECT "+strings.ReplaceAll(quant, "%s", "0.25")+"::DOUBLE AS q1, "+
			strings.ReplaceAll(quant, "%s", "0.75")+"::DOUBLE AS q3 FROM "+table+") q GROUP BY q.q1, q.q3")
		sts = append(sts, st)
	}
	if len(parts) == 0 {
		return nil
	}
	qr := r.run(t, resChecks, strings.Join(parts, "\nUNION ALL\n"))
	if err := t.ctx.Err(); err != nil {
		return err
	}
	if qr == nil {
		return nil
	}
	res := qr.Rows()
	if res == nil || len(res.Rows) != len(sts) {
		return nil
	}
	for i, st := range sts {
		row := res.Rows[i]
		var ok1, ok2 bool
		st.skew, _ = duck.ToFloat(row[2])
		st.q1, ok1 = duck.ToFloat(row[3])
		st.q3, ok2 = duck.ToFloat(row[4])
		st.lo, _ = duck.ToFloat(row[5])
		st.hi, _ = duck.ToFloat(row[6])
		st.outliers, _ = duck.ToFloat(row[7])
		st.zeros, _ = duck.ToFloat(row[8])
		if !ok1 || !ok2 {
			continue
		}
		st.row = i
		role := st.c.role()
		st.skewText = numfmt.Number(st.skew)
		st.loText = numfmt.Value(st.lo, role)
		st.hiText = numfmt.Value(st.hi, role)
		st.outText = numfmt.Count(int64(st.outliers))
		st.zerosText = numfmt.Count(int64(st.zeros))
	}
	return nil
}

func (r *report) numStat(c *column) *numStats {
	for _, st := range r.nums {
		if st.c == c {
			return st
		}
	}
	return nil
}

// correlations computes the correlation of every pair of main measures.
func (r *report) correlations(t *turn) error {
	cols := r.measures
	if len(cols) > 8 {
		cols = cols[:8]
	}
	if len(cols) < 2 {
		return nil
	}
	sql := corrMatrixSQL(cols)
	qr := r.run(t, resCorr, sql)
	if err := t.ctx.Err(); err != nil {
		return err
	}
	if qr == nil || qr.Rows() == nil {
		return nil
	}
	res := qr.Rows()
	for i := range res.Rows {
		v, ok := duck.ToFloat(cell(res, i, 2))
		if !ok {
			continue
		}
		r.corr = append(r.corr, corrPair{x: fmtVal(cell(res, i, 0)), y: fmtVal(cell(res, i, 1)), r: v})
	}
	if len(cols) >= 3 {
		title := "Correlations between numeric columns"
		r.charts = append(r.charts, chartPlan{title: title, sql: sql, s: heatmapSpec(title, values(res, 0))})
	}
	return nil
}

// add notes an alert that states figures of the results uses.
func (r *report) add(col, text string, uses ...int) {
	r.alerts = append(r.alerts, alert{col: col, text: text, uses: uses})
	for _, k := range uses {
		r.used[k] = true
	}
}

func (r *report) fact(text string, uses ...int) {
	r.facts = append(r.facts, alert{text: text, uses: uses})
	for _, k := range uses {
		r.used[k] = true
	}
}

// count writes a count stated from a result's cell.
func count(f float64) string { return numfmt.Count(int64(math.Round(f))) }

// share writes a percentage cell (0..100) as a share.
func share(p float64) string { return numfmt.Percent(p / 100) }

// ratio writes part/whole, two cells of one row, as a percentage.
func ratio(part, whole float64) string {
	if whole == 0 {
		return numfmt.Percent(0)
	}
	return numfmt.Percent(part / whole)
}

// corrText writes a correlation rounded to 2 decimals.
func corrText(r float64) string { return numfmt.Number(math.Round(r*100) / 100) }

// valueText writes a cell of column c for a sentence: quoted when text.
func valueText(c *column, v any) string {
	if f, ok := duck.ToFloat(v); ok && c.isNumeric() {
		return numfmt.Value(f, c.role())
	}
	return quoted(v)
}

// periodText writes a period of a trend: a year is a label, not a count.
func periodText(v any) string {
	switch v.(type) {
	case string, nil:
		return fmtVal(v)
	}
	if f, ok := duck.ToFloat(v); ok {
		return numfmt.Value(f, numfmt.Label)
	}
	return fmtVal(v)
}

// buildAlerts lists the data-quality problems worth a reader's attention,
// each figure from a cell of the summary, overview or checks result.
func (r *report) buildAlerts(t *turn) error {
	rows := r.rows
	if r.dups > 0 {
		r.add("", bold(count(r.dups))+" duplicate "+rowWord(r.dups)+" ("+ratio(r.dups, rows)+" of "+count(rows)+
			" rows repeat an earlier row exactly).", resSummary)
	}
	var small []string
	for _, cs := range r.cols {
		c := cs.c
		name := bold(c.Name)
		if rows > 0 {
			miss := cs.missing
			switch {
			case miss == rows:
				r.add(c.Name, name+" is empty: every value is missing.")
				continue
			case miss/rows >= duck.MissingAlertShare:
				r.add(c.Name, name+" has "+count(miss)+" missing values ("+share(cs.missingPct)+").", resOverview)
			case miss > 0:
				small = append(small, c.Name+" ("+count(miss)+")")
			}
			nonNull := cs.nonNull
			switch {
			case cs.distinct == 1 && nonNull > 0:
				r.add(c.Name, name+" is constant: every value is "+valueText(c, cs.min)+".", resOverview)
				continue
			case rows > 1 && miss == 0 && cs.distinct >= rows && (c.kind == duck.KindText && !c.numText && c.dateFmt == "" || c.kind == duck.KindNumeric && duck.IsIntegerType(c.Type)):
				r.add(c.Name, name+" has a different value in every row: an identifier, not something to group by.")
			case c.kind == duck.KindText && !c.numText && c.dateFmt == "" && cs.distinct > duck.CategoricalMaxDistinct && cs.distinct < nonNull:
				r.add(c.Name, name+" has high cardinality: "+count(cs.distinct)+" distinct values.", resOverview)
			}
			if (c.kind == duck.KindText && !c.numText && c.dateFmt == "" || c.kind == duck.KindBoolean) && cs.distinct >= 2 && nonNull > 0 &&
				cs.distinct <= duck.CategoricalMaxDistinct*20 {
				if err := r.imbalance(t, cs); err != nil {
					return err
				}
			}
		}
		switch {
		case c.numText:
			r.add(c.Name, name+" holds numbers stored as text; I convert them when computing.")
		case c.dateFmt != "":
			r.add(c.Name, name+" holds dates stored as text (format "+code(c.dateFmt)+"); I parse them when computing.")
		}
	}
	if len(small) > 0 {
		r.add("", "A few missing values in "+andList(small)+".", resOverview)
	}
	for _, st := range r.nums {
		if !st.ok || st.row < 0 || st.n < duck.MinShapeRows || st.c.isIdentifier() {
			continue
		}
		name := bold(st.c.Name)
		if math.Abs(st.skew) >= duck.SkewAlert {
			side := "right"
			if st.skew < 0 {
				side = "left"
			}
			r.add(st.c.Name, name+" is highly skewed to the "+side+" (skewness "+st.skewText+"): its mean "+
				st.meanText+" is far from its median "+st.medText+".", resChecks, resOverview)
		}
		zeros := st.zeros/st.n >= duck.ZeroShare && st.zeros < st.n
		if iqr := st.q3 - st.q1; iqr > 0 && st.outliers >= duck.OutlierMinCount && st.outliers/st.n >= duck.OutlierAlertShare && !zeros {
			r.add(st.c.Name, name+" has "+st.outText+" outliers ("+ratio(st.outliers, st.n)+") outside "+st.loText+" to "+st.hiText+
				" ("+numfmt.Number(duck.OutlierIQR)+" × IQR).", resChecks)
		}
		if zeros {
			r.add(st.c.Name, name+" is zero in "+ratio(st.zeros, st.n)+" of its values.", resChecks)
		}
	}
	for _, p := range r.corr {
		if math.Abs(p.r) >= duck.CorrelationRedundant {
			r.add("", bold(p.x)+" and "+bold(p.y)+" are highly correlated (r = "+corrText(p.r)+"): one may be redundant.", resCorr)
		}
	}
	return nil
}

// imbalance checks whether one value of a text or boolean column holds
// most of its rows, and says so from the value counts it then shows.
func (r *report) imbalance(t *turn, cs *colStats) error {
	c := cs.c
	sql := valueCountsSQL(c, []filter{{col: c, op: "notnull"}}, 3)
	res, ok := t.aside(sql)
	if err := t.ctx.Err(); err != nil {
		return err
	}
	if !ok || len(res.Rows) == 0 {
		return nil
	}
	p, _ := duck.ToFloat(cell(res, 0, 2))
	if p < 100*duck.ImbalanceShare {
		return nil
	}
	k := r.nextTop
	if r.run(t, k, sql) == nil {
		return nil
	}
	r.nextTop++
	r.add(c.Name, bold(c.Name)+" is imbalanced: "+quoted(cell(res, 0, 0))+" makes up "+share(p)+" of its values.", k)
	return nil
}

// planCharts runs the queries of the charts that fit the data: a trend over
// the first date column, histograms of the main measures, bars of the top
// categories; the correlation heatmap was planned with the correlations.
func (r *report) planCharts(t *turn, max int) error {
	var trend, hists, bars []chartPlan
	// Trend.
	if len(r.dates) > 0 && r.dates[0].n > 0 {
		dc := r.dates[0].c
		q := &query{kind: qTime, dateCol: dc, measures: []measure{{fn: aggCount}}}
		for _, m := range r.measures {
			if defaultAgg(m) == aggSum {
				q.measures = append(q.measures, measure{fn: aggSum, col: m})
				break
			}
		}
		q.grain = t.autoGrain(dc, nil)
		if q.grain == "hour" || q.grain == "week" {
			q.grain = "day"
		}
		sql := aggSQL(q)
		if res, ok := t.aside(sql); ok && len(res.Rows) > 1 {
			_, period := grainExpr("", q.grain)
			m := q.measures[len(q.measures)-1]
			title := measureDesc(m) + " per " + q.grain
			trend = append(trend, chartPlan{title: title, sql: sql, s: lineSpec(capTitle(title), values(res, 0), period, q.grain, measureLabel(m), "")})
			// The busiest periods, shown, for the facts.
			j := len(q.measures) // last column
			peak := "SELECT *\nFROM (" + sql + ") AS t\nORDER BY " + itoa(j+1) + " DESC NULLS LAST, 1\nLIMIT 3"
			if qr := r.run(t, resTrend, peak); qr != nil && qr.Rows() != nil && len(qr.Rows().Rows) > 0 {
				pr := qr.Rows()
				v := cell(pr, 0, j)
				val := fmtVal(v)
				if f, ok := duck.ToFloat(v); ok {
					if m.col != nil {
						val = numfmt.Value(f, m.col.role())
					} else {
						val = count(f)
					}
				}
				r.fact(bold(dc.Name)+": from "+periodText(r.dates[0].min)+" to "+periodText(r.dates[0].max)+"; the "+measureDesc(m)+
					" peaks in "+periodText(cell(pr, 0, 0))+" at "+bold(val)+".", resTrend)
			}
		}
		if err := t.ctx.Err(); err != nil {
			return err
		}
	}
	// Histograms of the main measures.
	for i, c := range r.measures {
		if i == 3 {
			break
		}
		st := r.numStat(c)
		if st == nil || !st.ok || st.max == st.min {
			continue
		}
		sql := histogramSQL(c, nil)
		if res, ok := t.aside(sql); ok && len(res.Rows) > 1 {
			title := "Distribution of " + c.Name
			hists = append(hists, chartPlan{title: title, sql: sql, s: histogramSpec(title, values(res, 0), c.Name)})
		}
		if err := t.ctx.Err(); err != nil {
			return err
		}
	}
	// Top categories: the counts are shown as a table too.
	for i, c := range r.cats {
		if i == 2 {
			break
		}
		sql := valueCountsSQL(c, nil, 10)
		k := r.nextTop
		qr := r.run(t, k, sql)
		if err := t.ctx.Err(); err != nil {
			return err
		}
		if qr == nil || qr.Rows() == nil || len(qr.Rows().Rows) < 2 {
			delete(r.results, k)
			continue
		}
		r.nextTop++
		res := qr.Rows()
		title := "Most common values of " + c.Name
		bars = append(bars, chartPlan{title: title, sql: sql, s: barSpec(title, values(res, 0), c.Name, "rows", "", false)})
		n, _ := duck.ToFloat(cell(res, 0, 1))
		p, _ := duck.ToFloat(cell(res, 0, 2))
		if n < 2 {
			continue // every value is rare: nothing to headline
		}
		r.fact(bold(c.Name)+": "+valueText(c, cell(res, 0, 0))+" is the most common value ("+count(n)+
			" rows, "+share(p)+").", k)
	}
	// By priority: the trend, the first histogram and bar, the heatmap
	// (planned with the correlations), then the rest.
	var plans []chartPlan
	take := func(ps *[]chartPlan) {
		if len(*ps) > 0 {
			plans = append(plans, (*ps)[0])
			*ps = (*ps)[1:]
		}
	}
	heat := r.charts
	take(&trend)
	take(&hists)
	take(&bars)
	take(&heat)
	for len(hists)+len(bars) > 0 {
		take(&hists)
		take(&bars)
	}
	if len(plans) > max {
		plans = plans[:max]
	}
	r.charts = plans
	return nil
}

// buildFacts adds the headline numbers of the main measures and the
// strongest correlations, from the overview and correlation results.
func (r *report) buildFacts() {
	var facts []alert
	for i, c := range r.measures {
		if i == maxFactMeasures {
			break
		}
		st := r.numStat(c)
		if st == nil || !st.ok {
			continue
		}
		f := bold(c.Name) + ": "
		if defaultAgg(c) == aggSum {
			f += "total " + st.sumText + ", "
		}
		f += "average " + st.meanText + " (median " + st.medText + "), from " + st.minText + " to " + st.maxText + "."
		facts = append(facts, alert{text: f, uses: []int{resOverview}})
	}
	facts = append(facts, r.facts...)
	n := 0
	for _, p := range r.corr {
		if math.Abs(p.r) >= duck.CorrelationStrong && n < 3 {
			dir := "rise together"
			if p.r < 0 {
				dir = "move in opposite directions"
			}
			facts = append(facts, alert{text: bold(p.x) + " and " + bold(p.y) + " " + dir + " (r = " + corrText(p.r) + ").", uses: []int{resCorr}})
			r.used[resCorr] = true
			n++
		}
	}
	r.facts = facts
}

// heading opens the report; the tables its sentences read from follow.
func (r *report) heading() string {
	name := r.s.filename
	if name == "" {
		name = "the data"
	} else {
		name = code(name)
	}
	return "## First look at " + name + "\n\nEvery figure below comes from these tables, computed with SQL over the whole table: " +
		"the table's size, then one row per column (kind, missing values, distinct values, range, mean, median, sum), " +
		"then the checks and counts the findings quote.\n\n"
}

// text writes the report's body: shape, data quality, key facts.
func (r *report) text() string {
	var b strings.Builder
	b.WriteString(bold(count(r.rows)+" rows × "+itoa(len(r.s.cols))+" columns") + ": " + r.shape() + "\n\n")

	b.WriteString("### Data quality\n")
	if len(r.alerts) == 0 {
		b.WriteString("No problems found: no missing values, no duplicate rows, no constant or identifier columns, no numbers or dates stored as text, no strong skew or outliers.\n")
	} else {
		for _, a := range r.alerts {
			b.WriteString("- " + a.text + "\n")
		}
	}
	if len(r.facts) > 0 {
		b.WriteString("\n### Key facts\n")
		for _, f := range r.facts {
			b.WriteString("- " + f.text + "\n")
		}
	}
	if len(r.charts) > 0 {
		b.WriteString("\n### Charts\n")
	}
	return b.String()
}

// shape lists the columns by kind.
func (r *report) shape() string {
	groups := map[duck.Kind][]string{}
	order := []duck.Kind{duck.KindNumeric, duck.KindTemporal, duck.KindCategorical, duck.KindBoolean,
		duck.KindIdentifier, duck.KindText, duck.KindOther}
	for _, c := range r.s.cols {
		groups[c.class] = append(groups[c.class], c.Name)
	}
	var parts []string
	for _, k := range order {
		names := groups[k]
		if len(names) == 0 {
			continue
		}
		shown := names
		more := ", …"
		if len(shown) > 6 {
			shown = shown[:6]
		} else {
			more = ""
		}
		esc := make([]string, len(shown))
		for i, n := range shown {
			esc[i] = escapeMD(n)
		}
		parts = append(parts, string(k)+" ("+strings.Join(esc, ", ")+more+")")
	}
	return strings.Join(parts, ", ") + "."
}

// closing says what made the report and what to ask next.
func (r *report) closing() string {
	var b strings.Builder
	if len(r.charts) > 0 {
		b.WriteString("\n\n")
	}
	b.WriteString("*Computed by the built-in analyst with SQL over your data; no AI model was used.*")
	if ex := examples(r.s, 3); len(ex) > 0 {
		b.WriteString(" Try asking: ")
		q := make([]string, len(ex))
		for i, e := range ex {
			q[i] = "“" + e + "”"
		}
		b.WriteString(strings.Join(q, ", ") + ".")
	}
	return b.String()
}
