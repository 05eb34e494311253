package builtin

import (
	"context"
	"math"
	"strings"
	"time"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/duck"
	"github.com/analyzerhq/analyzer/duck/series"
	"github.com/analyzerhq/analyzer/numfmt"
)

// maxChartBars bounds the bars of a category chart.
const maxChartBars = 30

// question answers one message: parse, run, show, say the key number.
func (a *Analyst) question(ctx context.Context, req agent.Request, o *out) error {
	s, _, err := a.schemaFor(ctx, req.Dataset)
	if err != nil {
		return err
	}
	idx, err := a.engine.Values(ctx, req.Dataset.SessionID)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		a.log.Warn("builtin: value index", "session", req.Dataset.SessionID, "err", err)
	}
	l := link(req.Text, s, idx)
	if p, _ := readShapes(l); p != nil {
		if p.auto {
			return a.autoAnalyze(ctx, req, o)
		}
		return a.runPlan(ctx, o, req.Dataset.SessionID, p)
	}
	q, perr := parse(req.Text, s)
	if perr == nil {
		perr = trustLegacy(l, q, req.Text, s)
	}
	if perr == nil && q.kind == qAgg {
		for _, c := range l.totals {
			q.exclude = append(q.exclude, c.sql)
		}
	}
	if perr != nil {
		if amb := l.ambiguity(); amb != "" {
			perr = &parseError{msg: amb}
		} else if perr.unknown != nil {
			perr = l.unknownError(perr.unknown)
		}
		return a.notUnderstood(o, l, perr)
	}
	if q.kind == qOverview {
		return a.autoAnalyze(ctx, req, o)
	}
	t := &turn{a: a, ctx: ctx, o: o, sid: req.Dataset.SessionID, s: s, q: q}
	return t.run()
}

// turn is the state of one answered question.
type turn struct {
	a   *Analyst
	ctx context.Context
	o   *out
	sid string
	s   *schema
	q   *query
}

// show runs sql as the answer's query: the reading of the question and the
// SQL go first, then the result table. ok is false when the query failed
// (the user has been told).
func (t *turn) show(sql string) (*duck.Result, bool, error) {
	t.o.say("Reading this as: " + bold(queryDesc(t.q)) + ".\n\n" + sqlBlock(sql))
	t.o.status("Running query…")
	qr := agent.RunQuery(t.ctx, t.a.engine, t.sid, sql)
	if err := t.ctx.Err(); err != nil {
		return nil, false, err
	}
	if err := t.o.result(qr); err != nil {
		return nil, false, err
	}
	if qr.IsError {
		t.o.say("The query failed: " + qr.Error)
		return nil, false, nil
	}
	return qr.Rows(), true, nil
}

// aside runs a query that supports the answer (a chart's data, a total)
// without showing it as the answer's table. A failure only loses the extra.
func (t *turn) aside(sql string) (*duck.Result, bool) {
	res, err := t.a.engine.Query(t.ctx, t.sid, sql)
	if err != nil {
		if t.ctx.Err() == nil {
			t.a.log.Warn("builtin: supporting query failed", "session", t.sid, "err", err, "sql", sql)
		}
		return nil, false
	}
	return res, true
}

func (t *turn) chart(title, sql string, s spec) error {
	if t.ctx.Err() != nil {
		return t.ctx.Err()
	}
	t.o.status("Drawing chart…")
	// The chart shows its spec's title: the same words as the plot's.
	if _, ok := s["title"]; ok {
		s["title"] = capTitle(title)
	}
	return t.o.plot(capTitle(title), sql, s)
}

func (t *turn) run() error {
	switch t.q.kind {
	case qAgg, qTime:
		return t.aggregate()
	case qRows:
		return t.rows()
	case qDescribe:
		for i, c := range t.q.cols {
			if i > 0 {
				t.o.say("\n\n")
			}
			if err := t.describe(c); err != nil {
				return err
			}
		}
		return nil
	case qDistribution:
		return t.distribution()
	case qCorrelation:
		return t.correlation()
	case qCorrMatrix:
		return t.corrMatrix()
	case qValues:
		return t.distinctValues()
	case qMissing:
		return t.missing()
	case qDuplicates:
		return t.duplicates()
	case qColumns:
		return t.columns()
	}
	return nil
}

// cell returns row i, column j of res, nil when absent.
func cell(res *duck.Result, i, j int) any {
	if res == nil || i >= len(res.Rows) || j >= len(res.Rows[i]) {
		return nil
	}
	return res.Rows[i][j]
}

func quoted(v any) string {
	if v == nil {
		return "(missing)"
	}
	return "“" + fmtVal(v) + "”"
}

// ---- aggregates -------------------------------------------------------

func (t *turn) aggregate() error {
	q := t.q
	if q.kind == qTime && q.grain == "" {
		q.grain = t.autoGrain(q.dateCol, q.filters)
	}
	sql := aggSQL(q)
	res, ok, err := t.show(sql)
	if !ok || err != nil {
		return err
	}
	ng := len(q.groups)
	if q.kind == qTime {
		ng++
	}
	if ng == 0 {
		t.o.say(t.scalarSentence(res))
		return nil
	}
	if len(res.Rows) == 0 {
		t.o.say("No rows match" + filtersDesc(q.filters) + ".")
		return nil
	}
	title := chartTitle(q)
	m0 := measureLabel(q.measures[0])
	switch {
	case q.kind == qTime:
		_, period := grainExpr("", q.grain)
		color := ""
		if len(q.groups) == 1 {
			color = q.groups[0].Name
		}
		if len(res.Rows) > 1 {
			if err := t.chart(title, sql, lineSpec(title, values(res, 0), period, q.grain, m0, color)); err != nil {
				return err
			}
		}
		t.o.say(t.timeSentence(res, ng))
		return nil
	case len(res.Rows) > 1 && ng == 1:
		vals := values(res, maxChartBars)
		var s spec
		if q.groups[0].kind == duck.KindNumeric && q.dir == 0 {
			s = columnSpec(title, vals, q.groups[0].Name, m0)
		} else {
			s = barSpec(title, vals, q.groups[0].Name, m0, "", false)
		}
		if len(res.Rows) > maxChartBars {
			title += " (first " + itoa(maxChartBars) + ")"
		}
		if err := t.chart(title, sql, s); err != nil {
			return err
		}
	case len(res.Rows) > 1 && ng == 2:
		additive := q.measures[0].fn == aggSum || q.measures[0].fn == aggCount
		if len(res.Rows) <= 60 {
			s := barSpec(title, values(res, 0), q.groups[0].Name, m0, q.groups[1].Name, additive)
			if err := t.chart(title, sql, s); err != nil {
				return err
			}
		}
	}
	t.o.say(t.groupSentence(res, ng))
	return nil
}

// autoGrain picks the period for a time series from the span of the dates.
func (t *turn) autoGrain(c *column, filters []filter) string {
	e := c.expr()
	const iso = "'%Y-%m-%dT%H:%M:%S'"
	res, ok := t.aside("SELECT strftime(min(" + e + ")::TIMESTAMP, " + iso + "), strftime(max(" + e + ")::TIMESTAMP, " + iso + ") FROM " + table + where(filters))
	if !ok || len(res.Rows) == 0 {
		return "day"
	}
	a, _ := cell(res, 0, 0).(string)
	b, _ := cell(res, 0, 1).(string)
	from, err1 := time.Parse("2006-01-02T15:04:05", a)
	to, err2 := time.Parse("2006-01-02T15:04:05", b)
	if err1 != nil || err2 != nil {
		return "day"
	}
	if to.Sub(from) <= 3*24*time.Hour && strings.HasPrefix(strings.ToUpper(c.Type), "TIMESTAMP") {
		return "hour"
	}
	// The period duck's findings read the span by, so that an answer's
	// series and the findings' trends agree.
	granularity := ""
	if c.dateRange != nil {
		granularity = c.dateRange.Granularity
	}
	return duck.TrendUnit(from, to, granularity)
}

func (t *turn) scalarSentence(res *duck.Result) string {
	q := t.q
	where := filtersDesc(q.filters)
	var parts []string
	for j, m := range q.measures {
		v := cell(res, 0, j)
		switch {
		case m.col == nil:
			n, _ := duck.ToFloat(v)
			if where != "" {
				parts = append(parts, bold(numfmt.Number(n))+" "+rowWord(n)+" match"+verbS(n)+condPhrase(q.filters))
			} else {
				parts = append(parts, "The data has "+bold(numfmt.Number(n))+" "+rowWord(n))
			}
		case m.fn == aggCountDistinct:
			n, _ := duck.ToFloat(v)
			parts = append(parts, m.col.Name+" has "+bold(numfmt.Number(n))+" distinct "+valueWord(n)+where)
		case m.fn == aggCount:
			n, _ := duck.ToFloat(v)
			parts = append(parts, m.col.Name+" has "+bold(numfmt.Number(n))+" non-missing "+valueWord(n)+where)
		case v == nil:
			parts = append(parts, "There is no "+measureDesc(m)+where+": no rows match")
		default:
			parts = append(parts, "The "+measureDesc(m)+where+" is "+bold(fmtVal(v)))
		}
		where = "" // said once
	}
	return strings.Join(parts, "; ") + "."
}

func rowWord(n float64) string {
	if n == 1 {
		return "row"
	}
	return "rows"
}

func valueWord(n float64) string {
	if n == 1 {
		return "value"
	}
	return "values"
}

func verbS(n float64) string {
	if n == 1 {
		return "es"
	}
	return ""
}

// groupSentence names the leading group (and the last one shown).
func (t *turn) groupSentence(res *duck.Result, ng int) string {
	q := t.q
	m := q.measures[0]
	mi := ng // column of the first measure
	// A group's value as its column writes it: a year without separators.
	gq := func(i, j int) string {
		if v := cell(res, i, j); v != nil && j < len(q.groups) {
			if _, isStr := v.(string); !isStr {
				return "“" + cellText(q.groups[j], v) + "”"
			}
		}
		return quoted(cell(res, i, j))
	}
	label := func(i int) string {
		if ng == 1 {
			return gq(i, 0)
		}
		return gq(i, 0) + " / " + gq(i, 1)
	}
	// key is the leading group, the answer's key value, in bold.
	key := func(i int) string {
		if ng == 1 && cell(res, i, 0) != nil {
			return bold(fmtVal(cell(res, i, 0)))
		}
		return label(i)
	}
	n := len(res.Rows)
	desc := measureDesc(m)
	if n == 1 {
		return "Only " + label(0) + " appears, with a " + desc + " of " + bold(fmtVal(cell(res, 0, mi))) + "."
	}
	if q.dir == 0 {
		// Natural order: find the extremes.
		hi, lo := extremes(res, mi)
		if hi < 0 {
			return "No " + desc + " could be computed."
		}
		return "The " + desc + " is highest for " + label(hi) + " (" + bold(fmtVal(cell(res, hi, mi))) + ") and lowest for " +
			label(lo) + " (" + bold(fmtVal(cell(res, lo, mi))) + "), across " + itoa(n) + " " + groupsDesc(q.groups) + " values."
	}
	if q.common && ng == 1 {
		total := 0.0
		for i := range res.Rows {
			total += mustFloat(cell(res, i, mi))
		}
		which := "most"
		if q.dir < 0 {
			which = "least"
		}
		s := "The " + which + " common " + q.groups[0].Name + " is " + key(0) + ": " + bold(fmtVal(cell(res, 0, mi))) + " rows"
		if q.limit == 0 && !res.Truncated {
			s += " (" + pct(mustFloat(cell(res, 0, mi)), total) + ")"
		}
		return s + "."
	}
	most, least := "highest", "lowest"
	if q.dir < 0 {
		most, least = "lowest", "highest"
	}
	// Groups tied with the first: naming one of them as "the highest"
	// would be a confident answer the data does not give.
	ties := 1
	for ties < n && fmtVal(cell(res, ties, mi)) == fmtVal(cell(res, 0, mi)) {
		ties++
	}
	if ties == n && !res.Truncated && (q.limit == 0 || n < q.limit) {
		return "All " + itoa(n) + " have the same " + desc + ": " + bold(fmtVal(cell(res, 0, mi))) + "."
	}
	if ties > 1 {
		names := make([]string, 0, ties)
		for i := 0; i < ties && i < 5; i++ {
			names = append(names, label(i))
		}
		if ties > 5 {
			names = append(names, "and "+itoa(ties-5)+" more")
		}
		return itoa(ties) + " share the " + most + " " + desc + ", " + bold(fmtVal(cell(res, 0, mi))) + ": " + strings.Join(names, ", ") + "."
	}
	first := key(0) + " has the " + most + " " + desc + ": " + bold(fmtVal(cell(res, 0, mi))) + t.groupRows(res, 0)
	scope := "of the " + itoa(n) + " shown"
	if q.limit == 0 || n < q.limit {
		scope = "of " + itoa(n)
	}
	if res.Truncated {
		scope = "of the first " + itoa(n)
	}
	last := label(n-1) + " the " + least + " " + scope + " (" + bold(fmtVal(cell(res, n-1, mi))) + ")"
	return first + "; " + last + "." + t.smallGroup(res)
}

// smallGroupRows: a group of fewer rows leading a ranking of averages is
// called out, since one or two rows make a mean of little weight.
const smallGroupRows = 5

// groupRows writes the row count of group i beside its average, when the
// result carries counts (groupCount).
func (t *turn) groupRows(res *duck.Result, i int) string {
	if !groupCount(t.q) || len(res.Columns) == 0 || res.Columns[len(res.Columns)-1] != "rows" {
		return ""
	}
	n, ok := duck.ToFloat(cell(res, i, len(res.Columns)-1))
	if !ok {
		return ""
	}
	return " (" + plural(int64(n), "row", "rows") + ")"
}

// smallGroup warns when the leading group of a ranking of averages rests
// on fewer than smallGroupRows rows while others rest on more.
func (t *turn) smallGroup(res *duck.Result) string {
	if t.groupRows(res, 0) == "" || len(res.Rows) < 2 {
		return ""
	}
	last := len(res.Columns) - 1
	n0 := mustFloat(cell(res, 0, last))
	most := 0.0
	for i := range res.Rows {
		most = math.Max(most, mustFloat(cell(res, i, last)))
	}
	if n0 >= smallGroupRows || most < smallGroupRows {
		return ""
	}
	return " Note: " + quoted(cell(res, 0, 0)) + " rests on only " + plural(int64(n0), "row", "rows") +
		", against up to " + numfmt.Count(int64(most)) + " for other groups."
}

func mustFloat(v any) float64 {
	f, _ := duck.ToFloat(v)
	return f
}

// timeSentence summarises a series: its span, peak and low.
func (t *turn) timeSentence(res *duck.Result, ng int) string {
	q := t.q
	mi := ng
	desc := measureDesc(q.measures[0])
	n := len(res.Rows)
	// Periods are labels: year 2022, not 2,022.
	firstP, lastP := periodText(cell(res, 0, 0)), periodText(cell(res, n-1, 0))
	hi, lo := extremes(res, mi)
	if hi < 0 {
		return "No " + desc + " could be computed."
	}
	at := func(i int) string {
		s := periodText(cell(res, i, 0))
		if ng == 2 {
			s = quoted(cell(res, i, 1)) + " in " + s
		}
		return s
	}
	if n == 1 {
		return "All of it falls in " + firstP + ": " + bold(fmtVal(cell(res, 0, mi))) + "." + t.partialPeriods(firstP, lastP)
	}
	return "From " + firstP + " to " + lastP + ", the " + desc + " peaks at " + bold(fmtVal(cell(res, hi, mi))) + " (" + at(hi) +
		") and is lowest at " + bold(fmtVal(cell(res, lo, mi))) + " (" + at(lo) + ")." + t.emptyPeriods(res, ng) + t.partialPeriods(firstP, lastP)
}

// emptyPeriods says how many periods had no rows (0 for a count or a sum,
// a gap for an average), so that a dip to 0 is read as such.
func (t *turn) emptyPeriods(res *duck.Result, ng int) string {
	if ng != 1 {
		return ""
	}
	empty := 0
	for i := range res.Rows {
		m, v := t.q.measures[0], cell(res, i, 1)
		if m.col == nil && mustFloat(v) == 0 || !additive(m) && v == nil {
			empty++
		}
	}
	if empty == 0 {
		return ""
	}
	what := "shown as 0"
	if !additive(t.q.measures[0]) {
		what = "left as " + pluralWord(empty, "a gap", "gaps")
	}
	return " " + plural(int64(empty), t.q.grain, t.q.grain+"s") + " without rows " + are(empty) + " " + what + "."
}

func are(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

// partialPeriods flags a first or last period the data covers only in
// part (duck/series), so that a short last month is not read as a drop.
func (t *turn) partialPeriods(firstP, lastP string) string {
	dc := t.q.dateCol
	if dc == nil || dc.dateRange == nil || len(t.q.filters) > 0 {
		return ""
	}
	from, to, ok := dc.dateRange.Span()
	if !ok {
		return ""
	}
	cov := series.Partial(from, to, t.q.grain, dc.dateRange.Granularity)
	var parts []string
	if cov.FirstPartial {
		parts = append(parts, "the first "+t.q.grain+" ("+firstP+")")
	}
	if cov.LastPartial && (lastP != firstP || !cov.FirstPartial) {
		parts = append(parts, "the last "+t.q.grain+" ("+lastP+")")
	}
	if len(parts) == 0 {
		return ""
	}
	return " The data covers only part of " + strings.Join(parts, " and ") + ": compare " + pluralWord(len(parts), "it", "them") + " with care."
}

func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// ---- rows ---------------------------------------------------------------

func (t *turn) rows() error {
	q := t.q
	sql := rowsSQL(q)
	if q.orderCol == nil && len(q.filters) > 0 {
		// How many match, then the first ones.
		cres, ok, err := t.show(countSQL(q.filters))
		if !ok || err != nil {
			return err
		}
		n, _ := duck.ToFloat(cell(cres, 0, 0))
		if n == 0 {
			t.o.say(bold("No") + " rows match" + filtersDesc(q.filters) + ".")
			return nil
		}
		t.o.say(bold(numfmt.Number(n)) + " " + rowWord(n) + " match" + verbS(n) + condPhrase(q.filters) + ".")
		if n > float64(q.limit) {
			t.o.say(" The first " + itoa(q.limit) + ":\n\n" + sqlBlock(sql))
		} else {
			t.o.say("\n\n" + sqlBlock(sql))
		}
		t.o.status("Running query…")
		qr := agent.RunQuery(t.ctx, t.a.engine, t.sid, sql)
		if err := t.ctx.Err(); err != nil {
			return err
		}
		return t.o.result(qr)
	}
	res, ok, err := t.show(sql)
	if !ok || err != nil {
		return err
	}
	if len(res.Rows) == 0 {
		t.o.say("No rows match" + filtersDesc(q.filters) + ".")
		return nil
	}
	if q.orderCol == nil {
		t.o.say("Here are the first " + plural(int64(len(res.Rows)), "row", "rows") + " of " + plural(t.s.rows, "row", "rows") + ".")
		return nil
	}
	j := indexOf(res.Columns, q.orderCol.Name)
	which := "highest"
	if q.dir < 0 {
		which = "lowest"
	}
	var top any
	if j >= 0 {
		top = cell(res, 0, j)
		if q.orderCol.numText || q.orderCol.dateFmt != "" {
			top = nil // the raw text; the value below is the parsed one
		}
	}
	if top == nil {
		fn := "max"
		if q.dir < 0 {
			fn = "min"
		}
		if v, ok := t.aside("SELECT " + fn + "(" + q.orderCol.expr() + ") FROM " + table + where(q.filters)); ok {
			top = cell(v, 0, 0)
		}
	}
	t.o.say("The " + which + " " + q.orderCol.Name + filtersDesc(q.filters) + " is " + bold(fmtVal(top)) + "; the table shows the " +
		plural(int64(len(res.Rows)), "row", "rows") + " with the " + which + " values.")
	return nil
}

func indexOf(ss []string, s string) int {
	for i, x := range ss {
		if x == s {
			return i
		}
	}
	return -1
}

// ---- describe, distribution -------------------------------------------

func (t *turn) describe(c *column) error {
	q := *t.q
	q.cols = []*column{c}
	t.q = &q
	sql := describeSQL(c, q.filters)
	res, ok, err := t.show(sql)
	if !ok || err != nil {
		return err
	}
	get := func(name string) any {
		j := indexOf(res.Columns, name)
		if j < 0 {
			return nil
		}
		return cell(res, 0, j)
	}
	nonMissing, _ := duck.ToFloat(get("non-missing"))
	missing, _ := duck.ToFloat(get("missing"))
	rows, _ := duck.ToFloat(get("rows"))
	distinct, _ := duck.ToFloat(get("distinct"))
	head := c.Name + " has " + bold(numfmt.Number(nonMissing)) + " " + valueWord(nonMissing)
	if missing > 0 {
		head += " (" + numfmt.Number(missing) + " missing, " + pct(missing, rows) + ")"
	}
	if bad, _ := duck.ToFloat(get("unreadable")); bad > 0 {
		as := "dates"
		if c.numText {
			as = "numbers"
		}
		head += " (" + numfmt.Number(bad) + " more " + valueWord(bad) + " could not be read as " + as + ")"
	}
	switch {
	case c.isNumeric():
		if nonMissing == 0 {
			t.o.say(head + ".")
			return nil
		}
		t.o.say(head + ": mean " + bold(fmtVal(get("mean"))) + ", median " + bold(fmtVal(get("median"))) +
			", from " + fmtVal(get("min")) + " to " + fmtVal(get("max")) + ".")
		return t.histogram(c, q.filters)
	case c.isTemporal():
		t.o.say(head + ", from " + bold(fmtVal(get("earliest"))) + " to " + bold(fmtVal(get("latest"))) + ".")
		return nil
	case c.kind == duck.KindBoolean:
		tr, _ := duck.ToFloat(get("true"))
		t.o.say(head + ": " + bold(numfmt.Number(tr)) + " true (" + pct(tr, nonMissing) + ").")
		return nil
	}
	t.o.say(head + ", " + numfmt.Number(distinct) + " distinct; the most common is " + quoted(get("most common")) + ".")
	if distinct > 1 {
		vsql := valueCountsSQL(c, q.filters, 10)
		if vres, ok := t.aside(vsql); ok && len(vres.Rows) > 1 {
			title := "Most common values of " + c.Name
			return t.chart(title, vsql, barSpec(title, values(vres, 0), c.Name, "rows", "", false))
		}
	}
	return nil
}

func (t *turn) histogram(c *column, filters []filter) error {
	hsql := histogramSQL(c, filters)
	hres, ok := t.aside(hsql)
	if !ok || len(hres.Rows) < 2 {
		return nil
	}
	title := "Distribution of " + c.Name
	return t.chart(title, hsql, histogramSpec(title, values(hres, 0), c.Name))
}

func (t *turn) distribution() error {
	q := t.q
	c := q.cols[0]
	switch {
	case len(q.groups) == 1 && c.isNumeric():
		g := q.groups[0]
		sql := boxSQL(c, g, q.filters)
		res, ok, err := t.show(sql)
		if !ok || err != nil {
			return err
		}
		if len(res.Rows) == 0 {
			t.o.say("No rows match" + filtersDesc(q.filters) + ".")
			return nil
		}
		title := chartTitle(q)
		if len(res.Rows) > 1 {
			if err := t.chart(title, sql, boxSpec(title, values(res, 0), g.Name, c.Name)); err != nil {
				return err
			}
		}
		n := len(res.Rows)
		t.o.say(quoted(cell(res, 0, 0)) + " has the highest median " + c.Name + ": " + bold(fmtVal(cell(res, 0, 4))) +
			"; " + quoted(cell(res, n-1, 0)) + " the lowest (" + bold(fmtVal(cell(res, n-1, 4))) + ").")
		return nil
	case c.isNumeric() && !(c.kind == duck.KindNumeric && c.distinct >= 0 && c.distinct <= 20):
		sql := histogramSQL(c, q.filters)
		res, ok, err := t.show(sql)
		if !ok || err != nil {
			return err
		}
		if len(res.Rows) == 0 {
			t.o.say("There are no values of " + c.Name + filtersDesc(q.filters) + ".")
			return nil
		}
		title := chartTitle(q)
		if err := t.chart(title, sql, histogramSpec(title, values(res, 0), c.Name)); err != nil {
			return err
		}
		best := 0
		total := 0.0
		for i := range res.Rows {
			n, _ := duck.ToFloat(cell(res, i, 2))
			total += n
			if n > mustFloat(cell(res, best, 2)) {
				best = i
			}
		}
		lo, hi := cell(res, 0, 0), cell(res, len(res.Rows)-1, 1)
		t.o.say(c.Name + " ranges from " + bold(fmtVal(lo)) + " to " + bold(fmtVal(hi)) + "; the fullest bin, " +
			fmtVal(cell(res, best, 0)) + " to " + fmtVal(cell(res, best, 1)) + ", holds " + bold(fmtVal(cell(res, best, 2))) +
			" of " + numfmt.Number(total) + " values (" + pct(mustFloat(cell(res, best, 2)), total) + ").")
		return nil
	case c.isTemporal():
		// Counts per period.
		tq := &query{kind: qTime, dateCol: c, measures: []measure{{fn: aggCount}}, filters: q.filters}
		t.q = tq
		return t.aggregate()
	}
	sql := valueCountsSQL(c, q.filters, 50)
	res, ok, err := t.show(sql)
	if !ok || err != nil {
		return err
	}
	if len(res.Rows) == 0 {
		t.o.say("There are no values of " + c.Name + filtersDesc(q.filters) + ".")
		return nil
	}
	if len(res.Rows) > 1 {
		title := chartTitle(q)
		var s spec
		if c.kind == duck.KindNumeric {
			s = columnSpec(title, values(res, maxChartBars), c.Name, "rows")
		} else {
			s = barSpec(title, values(res, maxChartBars), c.Name, "rows", "", false)
		}
		if err := t.chart(title, sql, s); err != nil {
			return err
		}
	}
	t.o.say("The most common " + c.Name + " is " + bold(fmtVal(cell(res, 0, 0))) + ": " + bold(fmtVal(cell(res, 0, 1))) +
		" rows (" + fmtVal(cell(res, 0, 2)) + "%).")
	return nil
}

// ---- correlation --------------------------------------------------------

func strength(r float64) string {
	a := math.Abs(r)
	dir := "positive"
	if r < 0 {
		dir = "negative"
	}
	switch {
	case a >= 0.8:
		return "strong " + dir
	case a >= 0.5:
		return "moderate " + dir
	case a >= 0.3:
		return "weak " + dir
	}
	return "little or no linear relationship"
}

func (t *turn) correlation() error {
	q := t.q
	x, y := q.cols[0], q.cols[1]
	sql := corrSQL(x, y, q.filters)
	res, ok, err := t.show(sql)
	if !ok || err != nil {
		return err
	}
	r, rok := duck.ToFloat(cell(res, 0, 0))
	pairs, _ := duck.ToFloat(cell(res, 0, 1))
	if !rok {
		t.o.say("The correlation between " + x.Name + " and " + y.Name + " is undefined: one of them does not vary (" + numfmt.Number(pairs) + " pairs).")
		return nil
	}
	ssql := scatterSQL(x, y, q.filters, 2000)
	if sres, ok := t.aside(ssql); ok && len(sres.Rows) > 1 {
		title := x.Name + " vs " + y.Name
		if err := t.chart(title, ssql, scatterSpec(title, values(sres, 0), x.Name, y.Name)); err != nil {
			return err
		}
	}
	t.o.say("The correlation between " + x.Name + " and " + y.Name + " is " + bold(strings.TrimSuffix(numfmt.Number(math.Round(r*1000)/1000), ".0")) +
		" (" + strength(r) + "), over " + numfmt.Number(pairs) + " rows.")
	return nil
}

// numericForMatrix picks the numeric columns worth correlating: measures,
// not identifiers, at most 8.
func numericForMatrix(s *schema) []*column {
	var out []*column
	for _, c := range s.cols {
		if !c.isNumeric() || c.isIdentifier() {
			continue
		}
		out = append(out, c)
		if len(out) == 8 {
			break
		}
	}
	return out
}

func (t *turn) corrMatrix() error {
	cols := t.q.cols
	if len(cols) == 0 {
		cols = numericForMatrix(t.s)
	}
	if len(cols) > 8 {
		cols = cols[:8]
	}
	if len(cols) < 2 {
		t.o.say("Correlations need at least two numeric columns, and this data has fewer.")
		return nil
	}
	sql := corrMatrixSQL(cols)
	res, ok, err := t.show(sql)
	if !ok || err != nil {
		return err
	}
	if len(res.Rows) == 0 {
		return nil
	}
	title := "Correlations between numeric columns"
	if err := t.chart(title, sql, heatmapSpec(title, values(res, 0))); err != nil {
		return err
	}
	r, ok := duck.ToFloat(cell(res, 0, 2))
	if !ok {
		t.o.say("None of these columns vary together: every correlation is undefined.")
		return nil
	}
	t.o.say("The strongest correlation is between " + fmtVal(cell(res, 0, 0)) + " and " + fmtVal(cell(res, 0, 1)) + ": " +
		bold(numfmt.Number(math.Round(r*1000)/1000)) + " (" + strength(r) + ").")
	return nil
}

// ---- values, missing, duplicates, columns -------------------------------

func (t *turn) distinctValues() error {
	c := t.q.cols[0]
	sql := valueCountsSQL(c, t.q.filters, 0)
	res, ok, err := t.show(sql)
	if !ok || err != nil {
		return err
	}
	n := res.RowCount
	if len(res.Rows) == 0 {
		t.o.say(c.Name + " has no values" + filtersDesc(t.q.filters) + ".")
		return nil
	}
	if len(res.Rows) > 1 && len(res.Rows) <= 60 {
		title := "Values of " + c.Name
		if err := t.chart(title, sql, barSpec(title, values(res, maxChartBars), c.Name, "rows", "", false)); err != nil {
			return err
		}
	}
	more := ""
	if res.Truncated {
		more = " at least"
	}
	t.o.say(c.Name + " has" + more + " " + bold(numfmt.Number(float64(n))) + " distinct " + valueWord(float64(n)) +
		"; the most common is " + quoted(cell(res, 0, 0)) + " (" + fmtVal(cell(res, 0, 1)) + " rows).")
	return nil
}

func (t *turn) missing() error {
	cols := t.q.cols
	if len(cols) == 1 {
		c := cols[0]
		sql := "SELECT count(*) - count(" + c.ident() + ") AS " + duck.QuoteIdent("missing") + ", count(*) AS " + duck.QuoteIdent("rows") + "\nFROM " + table
		res, ok, err := t.show(sql)
		if !ok || err != nil {
			return err
		}
		m, _ := duck.ToFloat(cell(res, 0, 0))
		n, _ := duck.ToFloat(cell(res, 0, 1))
		t.o.say(c.Name + " has " + bold(numfmt.Number(m)) + " missing " + valueWord(m) + " (" + pct(m, n) + " of rows).")
		return nil
	}
	if len(cols) == 0 {
		cols = t.s.cols
	}
	if len(cols) > 200 {
		cols = cols[:200]
	}
	sql := missingSQL(cols)
	res, ok, err := t.show(sql)
	if !ok || err != nil {
		return err
	}
	top, _ := duck.ToFloat(cell(res, 0, 1))
	if top == 0 {
		t.o.say("No column has missing values.")
		return nil
	}
	withMissing := 0
	for i := range res.Rows {
		if v, _ := duck.ToFloat(cell(res, i, 1)); v > 0 {
			withMissing++
		}
	}
	if withMissing > 1 {
		vals := values(res, min(withMissing, maxChartBars))
		title := "Missing values per column"
		if err := t.chart(title, sql, barSpec(title, vals, "column", "missing", "", false)); err != nil {
			return err
		}
	}
	t.o.say(itoa(withMissing) + " of " + itoa(len(res.Rows)) + " columns have missing values; " + fmtVal(cell(res, 0, 0)) +
		" has the most: " + bold(numfmt.Number(top)) + " (" + fmtVal(cell(res, 0, 2)) + "%).")
	return nil
}

func (t *turn) duplicates() error {
	res, ok, err := t.show(duplicatesSQL())
	if !ok || err != nil {
		return err
	}
	n, _ := duck.ToFloat(cell(res, 0, 0))
	d, _ := duck.ToFloat(cell(res, 0, 1))
	if d == 0 {
		t.o.say("There are " + bold("no") + " duplicate rows among the " + numfmt.Number(n) + ".")
		return nil
	}
	t.o.say(bold(numfmt.Number(d)) + " of " + numfmt.Number(n) + " rows (" + pct(d, n) + ") repeat an earlier row exactly.")
	return nil
}

func (t *turn) columns() error {
	res, ok, err := t.show(schemaSQL())
	if !ok || err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("The data has " + bold(itoa(len(res.Rows))) + " columns")
	var notes []string
	for _, c := range t.s.cols {
		switch {
		case c.numText:
			notes = append(notes, code(c.Name)+" holds numbers written as text")
		case c.dateFmt != "":
			notes = append(notes, code(c.Name)+" holds dates written as text")
		}
	}
	if len(notes) > 0 {
		b.WriteString("; " + andList(notes) + " (I read them as such)")
	}
	b.WriteString(".")
	t.o.say(b.String())
	return nil
}

// extremes returns the rows holding the highest and lowest number in
// column mi, -1 for both when no row has a number there.
func extremes(res *duck.Result, mi int) (hi, lo int) {
	hi, lo = -1, -1
	for i := range res.Rows {
		v, ok := duck.ToFloat(cell(res, i, mi))
		if !ok {
			continue
		}
		if hi < 0 || v > mustFloat(cell(res, hi, mi)) {
			hi = i
		}
		if lo < 0 || v < mustFloat(cell(res, lo, mi)) {
			lo = i
		}
	}
	return hi, lo
}
