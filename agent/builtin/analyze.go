package builtin

import (
	"context"
	"math"
	"strings"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/duck"
)

// Thresholds of the data-quality alerts, in the spirit of ydata-profiling.
const (
	alertMissingShare   = 0.05 // a column missing at least this share is called out
	alertHighCardinal   = 50   // distinct text values above which grouping is hard
	alertSkew           = 2.0  // |skewness| at or above
	alertOutlierShare   = 0.01 // share of values outside 1.5 × IQR
	alertCorrelation    = 0.9  // |r| at or above: nearly redundant columns
	factCorrelation     = 0.7  // |r| at or above: worth a headline
	alertImbalanceShare = 0.9  // one value holds at least this share
	alertZeroShare      = 0.5  // share of zeros
	maxStatColumns      = 30   // numeric columns given full statistics
	maxFactMeasures     = 4
	maxFactCategories   = 3
	exactQuantileRows   = 1_000_000
)

// numStats are the statistics of one numeric column, from one query.
type numStats struct {
	c                        *column
	n                        float64
	mean, min, max, sd, skew float64
	q1, median, q3           float64
	outliers, zeros          float64
	ok                       bool // mean and quartiles are known
}

type dateStats struct {
	c        *column
	min, max any
	n        float64
}

type alert struct {
	col  string
	text string
}

type corrPair struct {
	x, y string
	r    float64
}

type chartPlan struct {
	title, sql string
	s          spec
}

// report is what an auto-analysis gathers before it says anything.
type report struct {
	s        *schema
	prof     *duck.Profile
	nums     []*numStats
	dates    []*dateStats
	corr     []corrPair
	alerts   []alert
	facts    []string
	charts   []chartPlan
	measures []*column
	cats     []*column
}

func (a *Analyst) autoAnalyze(ctx context.Context, req agent.Request, o *out) error {
	o.status("Profiling the data…")
	s, prof, err := a.schemaFor(ctx, req.Dataset)
	if err != nil {
		return err
	}
	sid := req.Dataset.SessionID
	t := &turn{a: a, ctx: ctx, o: o, sid: sid, s: s, q: &query{kind: qOverview}}
	r := &report{s: s, prof: prof}
	for _, c := range s.cols {
		switch {
		case c.isNumeric() && !c.isCategory() && !isIDLike(c, s.rows):
			r.measures = append(r.measures, c)
		case (c.kind == kindText && !c.numText || c.kind == kindBool || c.isCategory() && c.kind == kindNumber) &&
			!isIDLike(c, s.rows) && (c.distinct < 0 || c.distinct >= 2 && c.distinct <= alertHighCardinal):
			r.cats = append(r.cats, c)
		}
	}

	o.status("Computing statistics…")
	if err := r.stats(t); err != nil {
		return err
	}
	o.status("Looking for correlations…")
	if err := r.correlations(t); err != nil {
		return err
	}
	r.buildAlerts()
	o.status("Preparing charts…")
	if err := r.planCharts(t, a.maxCharts); err != nil {
		return err
	}
	r.buildFacts()

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

// stats runs one query for the numeric columns' moments, quartiles,
// outliers and zeros, and the date columns' ranges.
func (r *report) stats(t *turn) error {
	var nums []*column
	for _, c := range r.s.cols {
		if c.isNumeric() && len(nums) < maxStatColumns {
			nums = append(nums, c)
		}
	}
	dates := r.s.temporal()
	if len(dates) > 5 {
		dates = dates[:5]
	}
	if len(nums) == 0 && len(dates) == 0 {
		return nil
	}
	quant := "quantile_cont"
	if r.s.rows > exactQuantileRows {
		quant = "approx_quantile"
	}
	var qsel, sel []string
	for i, c := range nums {
		e := c.expr()
		qv := "q.q" + itoa(i)
		qsel = append(qsel, quant+"("+e+", [0.25, 0.5, 0.75]) AS q"+itoa(i))
		iqr := "(" + qv + "[3] - " + qv + "[1])"
		sel = append(sel,
			"count("+e+")", "avg("+e+")::DOUBLE", "min("+e+")::DOUBLE", "max("+e+")::DOUBLE",
			"stddev_samp("+e+")::DOUBLE", "skewness("+e+")::DOUBLE",
			"any_value("+qv+"[1])::DOUBLE", "any_value("+qv+"[2])::DOUBLE", "any_value("+qv+"[3])::DOUBLE",
			"count(*) FILTER (WHERE "+e+" < "+qv+"[1] - 1.5 * "+iqr+" OR "+e+" > "+qv+"[3] + 1.5 * "+iqr+")",
			"count(*) FILTER (WHERE "+e+" = 0)",
		)
	}
	for _, c := range dates {
		e := c.expr()
		sel = append(sel, "count("+e+")", "min("+e+")", "max("+e+")")
	}
	sql := "SELECT " + strings.Join(sel, ", ") + "\nFROM " + table
	if len(qsel) > 0 {
		sql = "WITH q AS (SELECT " + strings.Join(qsel, ", ") + " FROM " + table + ")\n" + sql + ", q"
	}
	res, ok := t.aside(sql)
	if err := t.ctx.Err(); err != nil {
		return err
	}
	if !ok || len(res.Rows) != 1 {
		return nil
	}
	row := res.Rows[0]
	f := func(k int) (float64, bool) { return toFloat(row[k]) }
	for i, c := range nums {
		b := i * 11
		st := &numStats{c: c}
		st.n, _ = f(b)
		var ok1, ok2 bool
		st.mean, ok1 = f(b + 1)
		st.min, _ = f(b + 2)
		st.max, _ = f(b + 3)
		st.sd, _ = f(b + 4)
		st.skew, _ = f(b + 5)
		st.q1, ok2 = f(b + 6)
		st.median, _ = f(b + 7)
		st.q3, _ = f(b + 8)
		st.outliers, _ = f(b + 9)
		st.zeros, _ = f(b + 10)
		st.ok = ok1 && ok2 && st.n > 0
		r.nums = append(r.nums, st)
	}
	base := len(nums) * 11
	for i, c := range dates {
		b := base + i*3
		n, _ := f(b)
		r.dates = append(r.dates, &dateStats{c: c, n: n, min: row[b+1], max: row[b+2]})
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
	res, ok := t.aside(sql)
	if err := t.ctx.Err(); err != nil {
		return err
	}
	if !ok {
		return nil
	}
	for i := range res.Rows {
		v, ok := toFloat(cell(res, i, 2))
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

func (r *report) add(col, text string) {
	r.alerts = append(r.alerts, alert{col: col, text: text})
}

func (r *report) colProfile(name string) *duck.ColumnProfile {
	if r.prof == nil {
		return nil
	}
	for i := range r.prof.Columns {
		if r.prof.Columns[i].Name == name {
			return &r.prof.Columns[i]
		}
	}
	return nil
}

// buildAlerts lists the data-quality problems worth a reader's attention.
func (r *report) buildAlerts() {
	rows := float64(r.s.rows)
	if r.prof != nil && r.prof.DuplicateRows > 0 {
		d := float64(r.prof.DuplicateRows)
		r.add("", bold(fmtNum(d))+" duplicate "+rowWord(d)+" ("+pct(d, rows)+" of rows repeat an earlier row exactly).")
	}
	var small []string
	for _, c := range r.s.cols {
		name := bold(c.Name)
		p := r.colProfile(c.Name)
		if p != nil && rows > 0 {
			miss := float64(p.NullCount)
			switch {
			case miss == rows:
				r.add(c.Name, name+" is empty: every value is missing.")
				continue
			case miss/rows >= alertMissingShare:
				r.add(c.Name, name+" has "+fmtNum(miss)+" missing values ("+pct(miss, rows)+").")
			case miss > 0:
				small = append(small, c.Name+" ("+fmtNum(miss)+")")
			}
			nonNull := rows - miss
			switch {
			case p.DistinctApprox == 1 && nonNull > 0:
				v := any(nil)
				if len(p.TopValues) > 0 {
					v = p.TopValues[0].Value
				} else {
					v = p.Min
				}
				r.add(c.Name, name+" is constant: every value is "+quoted(v)+".")
				continue
			case rows > 1 && nonNull == rows && p.DistinctApprox >= int64(rows) && (c.kind == kindText && !c.numText && c.dateFmt == "" || c.kind == kindNumber && isIntType(c.Type)):
				r.add(c.Name, name+" has a different value in every row: an identifier, not something to group by.")
			case c.kind == kindText && !c.numText && c.dateFmt == "" && p.DistinctApprox > alertHighCardinal && float64(p.DistinctApprox) < nonNull:
				r.add(c.Name, name+" has high cardinality: "+fmtNum(float64(p.DistinctApprox))+" distinct values.")
			}
			if (c.kind == kindText && !c.numText && c.dateFmt == "" || c.kind == kindBool) && len(p.TopValues) > 0 && p.DistinctApprox >= 2 && nonNull > 0 {
				top := float64(p.TopValues[0].Count)
				if top/nonNull >= alertImbalanceShare {
					r.add(c.Name, name+" is imbalanced: "+quoted(p.TopValues[0].Value)+" makes up "+pct(top, nonNull)+" of its values.")
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
		r.add("", "A few missing values in "+andList(small)+".")
	}
	for _, st := range r.nums {
		if !st.ok || st.n < 20 || isIDLike(st.c, r.s.rows) {
			continue
		}
		name := bold(st.c.Name)
		if math.Abs(st.skew) >= alertSkew {
			side := "right"
			if st.skew < 0 {
				side = "left"
			}
			r.add(st.c.Name, name+" is highly skewed to the "+side+" (skewness "+fmtNum(math.Round(st.skew*100)/100)+"): its mean "+
				fmtNum(st.mean)+" is far from its median "+fmtNum(st.median)+".")
		}
		zeros := st.zeros/st.n >= alertZeroShare && st.zeros < st.n
		if iqr := st.q3 - st.q1; iqr > 0 && st.outliers >= 2 && st.outliers/st.n >= alertOutlierShare && !zeros {
			lo, hi := st.q1-1.5*iqr, st.q3+1.5*iqr
			r.add(st.c.Name, name+" has "+fmtNum(st.outliers)+" outliers ("+pct(st.outliers, st.n)+") outside "+fmtNum(lo)+" to "+fmtNum(hi)+
				" (1.5 × IQR).")
		}
		if zeros {
			r.add(st.c.Name, name+" is zero in "+pct(st.zeros, st.n)+" of rows.")
		}
	}
	for _, p := range r.corr {
		if math.Abs(p.r) >= alertCorrelation {
			r.add("", bold(p.x)+" and "+bold(p.y)+" are highly correlated (r = "+fmtNum(math.Round(p.r*100)/100)+"): one may be redundant.")
		}
	}
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
			// The busiest period, for the facts.
			hi := 0
			j := len(q.measures) // last column
			for i := range res.Rows {
				if mustFloat(cell(res, i, j)) > mustFloat(cell(res, hi, j)) {
					hi = i
				}
			}
			r.facts = append(r.facts, bold(dc.Name)+": from "+fmtVal(r.dates[0].min)+" to "+fmtVal(r.dates[0].max)+"; the "+measureDesc(m)+
				" peaks in "+fmtVal(cell(res, hi, 0))+" at "+bold(fmtVal(cell(res, hi, j)))+".")
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
	// Top categories.
	for i, c := range r.cats {
		if i == 2 {
			break
		}
		sql := valueCountsSQL(c, nil, 10)
		if res, ok := t.aside(sql); ok && len(res.Rows) > 1 {
			title := "Most common values of " + c.Name
			bars = append(bars, chartPlan{title: title, sql: sql, s: barSpec(title, values(res, 0), c.Name, "rows", "", false)})
			r.facts = append(r.facts, bold(c.Name)+": "+quoted(cell(res, 0, 0))+" is the most common value ("+fmtVal(cell(res, 0, 1))+
				" rows, "+fmtVal(cell(res, 0, 2))+"%).")
		}
		if err := t.ctx.Err(); err != nil {
			return err
		}
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
// strongest correlations.
func (r *report) buildFacts() {
	var facts []string
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
			f += "total " + fmtNum(st.mean*st.n) + ", "
		}
		f += "average " + fmtNum(st.mean) + " (median " + fmtNum(st.median) + "), from " + fmtNum(st.min) + " to " + fmtNum(st.max) + "."
		facts = append(facts, f)
	}
	facts = append(facts, r.facts...)
	n := 0
	for _, p := range r.corr {
		if math.Abs(p.r) >= factCorrelation && n < 3 {
			dir := "rise together"
			if p.r < 0 {
				dir = "move in opposite directions"
			}
			facts = append(facts, bold(p.x)+" and "+bold(p.y)+" "+dir+" (r = "+fmtNum(math.Round(p.r*100)/100)+").")
			n++
		}
	}
	r.facts = facts
}

// text writes the report's opening: shape, data quality, key facts.
func (r *report) text() string {
	var b strings.Builder
	name := r.s.filename
	if name == "" {
		name = "the data"
	}
	b.WriteString("## First look at " + escapeMD(name) + "\n\n")
	b.WriteString(bold(fmtNum(float64(r.s.rows))+" rows × "+itoa(len(r.s.cols))+" columns") + ": " + r.shape() + "\n\n")

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
			b.WriteString("- " + f + "\n")
		}
	}
	if len(r.charts) > 0 {
		b.WriteString("\n### Charts\n")
	}
	return b.String()
}

// shape lists the columns by kind.
func (r *report) shape() string {
	groups := map[string][]string{}
	order := []string{"numeric", "text", "date", "boolean", "other"}
	for _, c := range r.s.cols {
		k := c.kind.String()
		groups[k] = append(groups[k], c.Name)
	}
	var parts []string
	for _, k := range order {
		names := groups[k]
		if len(names) == 0 {
			continue
		}
		shown := names
		more := ""
		if len(shown) > 6 {
			shown = shown[:6]
			more = ", …"
		}
		esc := make([]string, len(shown))
		for i, n := range shown {
			esc[i] = escapeMD(n)
		}
		parts = append(parts, itoa(len(names))+" "+k+" ("+strings.Join(esc, ", ")+more+")")
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
