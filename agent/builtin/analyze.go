package builtin

import (
	"context"
	"math"
	"strings"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/duck"
	"github.com/analyzerhq/analyzer/numfmt"
	"github.com/analyzerhq/analyzer/trace"
)

// Auto-analyze states the dataset's findings as duck computed them when it
// profiled the data (Profile.Findings: the list the models' prompt and the
// profile carry), each beside the result of the query that shows its
// numbers; it computes no alert of its own. The headline statistics of the
// main measures come from a per-column overview computed as the profile
// computes them (estimates with the same estimator, marked "about").
const (
	maxFactMeasures = 4
	maxCorrColumns  = 8 // measures in the correlation heatmap
)

type numStats struct {
	c                 *column
	n                 float64
	mean, min, max    float64
	median, sum       float64
	ok                bool // mean and median are known
	meanText, medText string
	minText, maxText  string
	sumText           string
}

type dateStats struct {
	c        *column
	min, max any
	n        float64
}

// colStats is one row of the overview result: a column's counts, as shown.
type colStats struct {
	c        *column
	nonNull  float64
	distinct float64
	min, max any
}

// line is a sentence of the report with the shown results it states
// figures of.
type line struct {
	text string
	uses []int
}

type chartPlan struct {
	title, sql string
	s          spec
}

// Results an auto-analysis may show, in the order they are shown.
const (
	resSummary = iota
	resOverview
	resTrend
	resFindings // and on: the queries of the findings stated
)

// report is what an auto-analysis gathers before it says anything.
type report struct {
	s        *schema
	prof     *duck.Profile
	rows     float64
	cols     []*colStats
	nums     []*numStats
	dates    []*dateStats
	alerts   []line
	facts    []line
	charts   []chartPlan
	measures []*column
	cats     []*column
	// results are the queries whose cells the text states, by kind; only
	// those a sentence uses are shown.
	results map[int]*agent.QueryResult
	used    map[int]bool
	next    int            // the next free result slot
	bySQL   map[string]int // a finding's query, run once
}

func (a *Analyst) autoAnalyze(ctx context.Context, req agent.Request, o *out) error {
	o.status("Profiling the data…")
	s, prof, err := a.schemaFor(ctx, req.Dataset)
	if err != nil {
		return err
	}
	sid := req.Dataset.SessionID
	t := &turn{a: a, ctx: ctx, o: o, sid: sid, s: s, q: &query{kind: qOverview}}
	r := &report{s: s, prof: prof, results: map[int]*agent.QueryResult{}, used: map[int]bool{}, next: resFindings, bySQL: map[string]int{}}
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
	o.status("Checking the findings…")
	if err := r.findings(t); err != nil {
		return err
	}
	o.status("Preparing charts…")
	if err := r.correlations(t); err != nil {
		return err
	}
	if err := r.planCharts(t, a.maxCharts); err != nil {
		return err
	}
	r.buildFacts()

	// The results the sentences state go first, so that every figure of
	// the text is in a table shown above it.
	o.say(r.heading())
	r.used[resSummary], r.used[resOverview] = true, true
	for k := 0; k < r.next; k++ {
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

// overview runs the table's size and one row per column: kind,
// non-missing, missing, distinct, min, max, mean, median, sum; distinct
// counts and medians as the profile computes them (estimated, with the
// same estimator, where duck.StatsExact says the profile estimates them).
func (r *report) overview(t *turn) error {
	r.rows = float64(r.s.rows)
	sum := r.run(t, resSummary, "SELECT count(*) AS "+duck.QuoteIdent("rows")+" FROM "+table)
	if err := t.ctx.Err(); err != nil {
		return err
	}
	if sum != nil {
		if res := sum.Rows(); res != nil && len(res.Rows) == 1 {
			r.rows, _ = duck.ToFloat(res.Rows[0][0])
		}
	}
	if len(r.s.cols) == 0 {
		return nil
	}
	approx := !duck.StatsExact(int64(r.rows))
	var parts []string
	for _, c := range r.s.cols {
		e, id := c.expr(), c.ident()
		distinct := "count(DISTINCT " + id + ")"
		if approx {
			distinct = "approx_count_distinct(" + id + ")"
		}
		sel := []string{
			duck.QuoteString(c.Name) + " AS " + duck.QuoteIdent("column"),
			duck.QuoteString(string(c.class)) + " AS kind",
			"count(" + e + ") AS " + duck.QuoteIdent("non-missing"),
			"count(*) - count(" + id + ") AS missing",
			"round(100.0 * (count(*) - count(" + id + ")) / count(*), 2) AS " + duck.QuoteIdent("missing %"),
			distinct + " AS " + duck.QuoteIdent("distinct"),
		}
		sel = append(sel, "min("+e+")::VARCHAR AS min", "max("+e+")::VARCHAR AS max")
		if c.isNumeric() {
			sel = append(sel, "avg("+e+")::DOUBLE AS mean", duck.MedianSQL(e, approx)+"::DOUBLE AS median", "sum("+e+")::DOUBLE AS sum")
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
		cs.distinct, _ = duck.ToFloat(row[5])
		r.cols = append(r.cols, cs)
		if c.isNumeric() {
			st := &numStats{c: c, n: cs.nonNull}
			var ok1, ok2 bool
			st.mean, ok1 = duck.ToFloat(row[8])
			st.median, ok2 = duck.ToFloat(row[9])
			st.sum, _ = duck.ToFloat(row[10])
			st.min, _ = duck.ToFloat(row[6])
			st.max, _ = duck.ToFloat(row[7])
			st.ok = ok1 && ok2 && st.n > 0
			role := c.role()
			st.meanText = numfmt.Value(st.mean, role)
			st.medText = numfmt.Stat(st.median, role, approx)
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

func (r *report) numStat(c *column) *numStats {
	for _, st := range r.nums {
		if st.c == c {
			return st
		}
	}
	return nil
}

// findings states the profile's findings, alerts under data quality and
// the others as facts, each stating figures beside the result of its own
// query, run here and shown: such a finding whose query fails (or that has
// none) is not said, since its numbers could not be shown.
func (r *report) findings(t *turn) error {
	if r.prof == nil {
		return nil
	}
	var names []string
	for _, c := range r.s.cols {
		names = append(names, c.Name)
	}
	for _, f := range r.prof.Findings {
		if strings.TrimSpace(f.Text) == "" {
			continue
		}
		// A finding that states no figure ("an identifier", "dates stored
		// as text") needs no table of its own.
		if len(trace.Trace(f.Text, trace.Input{Columns: names}).Figures) == 0 {
			l := line{text: findingText(f)}
			if f.Alert {
				r.alerts = append(r.alerts, l)
			} else {
				r.facts = append(r.facts, l)
			}
			continue
		}
		if strings.TrimSpace(f.SQL) == "" {
			continue
		}
		k, ok := r.bySQL[f.SQL]
		if !ok {
			k = r.next
			if r.run(t, k, f.SQL) == nil {
				if err := t.ctx.Err(); err != nil {
					return err
				}
				continue
			}
			r.next++
			r.bySQL[f.SQL] = k
		}
		l := line{text: findingText(f), uses: []int{k}}
		r.used[k] = true
		if f.Alert {
			r.alerts = append(r.alerts, l)
		} else {
			r.facts = append(r.facts, l)
		}
	}
	return nil
}

// findingText is a finding's sentence as the profile and the prompt say
// it, in markdown: its columns in bold.
func findingText(f duck.Finding) string {
	text := escapeMD(f.Text)
	for _, c := range f.Columns {
		text = strings.ReplaceAll(text, escapeMD(duck.QuoteIdent(c)), bold(c))
	}
	return text
}

// correlations plans the heatmap of the main measures' correlations (the
// strong ones are findings).
func (r *report) correlations(t *turn) error {
	cols := r.measures
	if len(cols) > maxCorrColumns {
		cols = cols[:maxCorrColumns]
	}
	if len(cols) < 3 {
		return nil
	}
	sql := corrMatrixSQL(cols)
	res, ok := t.aside(sql)
	if err := t.ctx.Err(); err != nil {
		return err
	}
	if ok && len(res.Rows) > 0 {
		title := "Correlations between numeric columns"
		r.charts = append(r.charts, chartPlan{title: title, sql: sql, s: heatmapSpec(title, values(res, 0))})
	}
	return nil
}

// fact notes a sentence that states figures of the results uses.
func (r *report) fact(text string, uses ...int) {
	r.facts = append(r.facts, line{text: text, uses: uses})
	for _, k := range uses {
		r.used[k] = true
	}
}

// count writes a count stated from a result's cell.
func count(f float64) string { return numfmt.Count(int64(math.Round(f))) }

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
	// Top categories (their shares are findings).
	for i, c := range r.cats {
		if i == 2 {
			break
		}
		sql := valueCountsSQL(c, nil, 10)
		res, ok := t.aside(sql)
		if err := t.ctx.Err(); err != nil {
			return err
		}
		if !ok || len(res.Rows) < 2 {
			continue
		}
		title := "Most common values of " + c.Name
		bars = append(bars, chartPlan{title: title, sql: sql, s: barSpec(title, values(res, 0), c.Name, "rows", "", false)})
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

// buildFacts puts the headline numbers of the main measures, from the
// overview, before the other facts (the trend's peak, the findings).
func (r *report) buildFacts() {
	var facts []line
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
		facts = append(facts, line{text: f, uses: []int{resOverview}})
	}
	r.facts = append(facts, r.facts...)
}

// heading opens the report; the tables its sentences read from follow it
// in the conversation (the page folds them under the report's text).
func (r *report) heading() string {
	name := r.s.filename
	if name == "" {
		name = "the data"
	} else {
		name = code(name)
	}
	return "## First look at " + name + "\n\nEvery figure in this report comes from a query over the whole table, " +
		"each shown with its result: the table's size, then one row per column (kind, missing values, distinct values, range, mean, median, sum), " +
		"then the query behind each finding of the profile. A figure links to the cell it came from.\n\n"
}

// text writes the report's body: shape, data quality, key facts.
func (r *report) text() string {
	var b strings.Builder
	b.WriteString(bold(count(r.rows)+" rows × "+itoa(len(r.s.cols))+" columns") + ": " + r.shape() + "\n\n")

	b.WriteString("### Data quality\n")
	switch {
	case r.prof == nil:
		b.WriteString("The checks of the data's quality are not available: the dataset's profile could not be computed. Ask again in a moment.\n")
	case len(r.alerts) == 0:
		b.WriteString("No problems found by the profile's checks: missing values, duplicate rows, constant columns, dates or numbers stored as text, " +
			"strong skew, outliers, nearly redundant columns, imbalanced categories, partial periods.\n")
	default:
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
