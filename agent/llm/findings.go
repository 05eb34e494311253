package llm

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/duck"
)

// Finding is one fact about a dataset, computed with SQL before the model
// is asked to narrate: auto_analyze is grounded in these, not improvised.
type Finding struct {
	Kind    string   `json:"kind"` // missing, duplicates, skew, outliers, correlation, dominant, trend
	Columns []string `json:"columns"`
	Text    string   `json:"text"` // the fact, numbers included
	SQL     string   `json:"sql"`  // a query that shows it
	score   float64  // how much it matters, for ordering
}

// Limits of the automatic analysis.
const (
	findingsTimeout    = 60 * time.Second
	maxFindings        = 14
	maxNumericColumns  = 8
	maxCorrColumns     = 10
	maxCategoryColumns = 8
	maxTrendColumns    = 3
)

// idLike matches column names that are identifiers, not measures.
var idLike = regexp.MustCompile(`(?i)(^id$|_id$|^id_|uuid|^index$|^row_?num)`)

// ComputeFindings runs the profile-driven checks on the whole dataset:
// missing values, duplicate rows, skew, outliers, strong correlations,
// dominant categories and trends over a date column. A check that fails or
// runs out of time is skipped; the rest are returned, most telling first.
func ComputeFindings(ctx context.Context, engine agent.Engine, ds agent.Dataset) []Finding {
	ctx, cancel := context.WithTimeout(ctx, findingsTimeout)
	defer cancel()
	f := &finder{ctx: ctx, engine: engine, ds: ds}
	f.columns()
	f.missing()
	f.duplicates()
	f.numbers()
	f.correlations()
	f.categories()
	f.trend()
	sort.SliceStable(f.out, func(i, j int) bool { return f.out[i].score > f.out[j].score })
	if len(f.out) > maxFindings {
		f.out = f.out[:maxFindings]
	}
	return f.out
}

type finder struct {
	ctx      context.Context
	engine   agent.Engine
	ds       agent.Dataset
	rows     int64
	numeric  []string
	category []string
	dates    []string
	out      []Finding
}

// columns sorts the dataset's columns into measures, categories and dates,
// from the profile when there is one, else from the types.
func (f *finder) columns() {
	f.rows = f.ds.RowCount
	if p := f.ds.Profile; p != nil {
		if f.rows == 0 {
			f.rows = p.RowCount
		}
		for _, c := range p.Columns {
			nonNull := f.rows - c.NullCount
			switch c.Kind {
			case "number":
				if !idLike.MatchString(c.Name) && c.DistinctApprox > 1 {
					f.numeric = append(f.numeric, c.Name)
				}
			case "text", "boolean":
				if c.DistinctApprox > 1 && c.DistinctApprox <= 100 && nonNull > 0 {
					f.category = append(f.category, c.Name)
				}
			case "date", "timestamp":
				f.dates = append(f.dates, c.Name)
			}
		}
		return
	}
	for _, c := range f.ds.Columns {
		t := strings.ToUpper(c.Type)
		switch {
		case t == "DATE" || strings.HasPrefix(t, "TIMESTAMP"):
			f.dates = append(f.dates, c.Name)
		case t == "VARCHAR" || t == "BOOLEAN":
			f.category = append(f.category, c.Name)
		case isNumericType(t) && !idLike.MatchString(c.Name):
			f.numeric = append(f.numeric, c.Name)
		}
	}
}

func isNumericType(t string) bool {
	switch t {
	case "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "FLOAT", "DOUBLE":
		return true
	}
	return strings.HasPrefix(t, "DECIMAL")
}

func (f *finder) query(sql string) *duck.Result {
	if f.ctx.Err() != nil {
		return nil
	}
	res, err := f.engine.Query(f.ctx, f.ds.SessionID, sql)
	if err != nil || len(res.Rows) == 0 {
		return nil
	}
	return res
}

func (f *finder) add(fd Finding) { f.out = append(f.out, fd) }

func (f *finder) allColumns() []string {
	var names []string
	for _, c := range f.ds.Columns {
		names = append(names, c.Name)
	}
	if len(names) == 0 && f.ds.Profile != nil {
		for _, c := range f.ds.Profile.Columns {
			names = append(names, c.Name)
		}
	}
	return names
}

func (f *finder) missing() {
	names := f.allColumns()
	if len(names) == 0 {
		return
	}
	if len(names) > 200 {
		names = names[:200]
	}
	exprs := []string{"count(*)"}
	for _, n := range names {
		exprs = append(exprs, "count(*) - count("+agent.QuoteIdent(n)+")")
	}
	res := f.query("SELECT " + strings.Join(exprs, ", ") + " FROM data")
	if res == nil {
		return
	}
	row := res.Rows[0]
	total, _ := toFloat(row[0])
	if total <= 0 {
		return
	}
	for i, n := range names {
		miss, _ := toFloat(row[i+1])
		if miss <= 0 {
			continue
		}
		share := miss / total
		f.add(Finding{
			Kind: "missing", Columns: []string{n},
			Text:  fmt.Sprintf("%s is missing (NULL) in %.0f of %.0f rows (%.1f%%).", agent.QuoteIdent(n), miss, total, 100*share),
			SQL:   fmt.Sprintf("SELECT count(*) - count(%s) AS missing, count(*) AS total FROM data", agent.QuoteIdent(n)),
			score: 1 + 3*share,
		})
	}
}

func (f *finder) duplicates() {
	if p := f.ds.Profile; p != nil && p.DuplicateRows == 0 {
		return
	}
	sql := "SELECT count(*) - (SELECT count(*) FROM (SELECT DISTINCT * FROM data)) AS duplicates, count(*) AS total FROM data"
	res := f.query(sql)
	if res == nil {
		return
	}
	dup, _ := toFloat(res.Rows[0][0])
	total, _ := toFloat(res.Rows[0][1])
	if dup <= 0 || total <= 0 {
		return
	}
	f.add(Finding{
		Kind: "duplicates",
		Text: fmt.Sprintf("%.0f of %.0f rows (%.1f%%) are exact duplicates of another row.", dup, total, 100*dup/total),
		SQL:  sql, score: 1.5 + 3*dup/total,
	})
}

// numbers checks each measure's skew and its outliers beyond 1.5 IQR.
func (f *finder) numbers() {
	for i, n := range f.numeric {
		if i == maxNumericColumns {
			break
		}
		x := agent.QuoteIdent(n) + "::DOUBLE"
		sql := fmt.Sprintf(`WITH s AS (SELECT quantile_cont(%[1]s, 0.25) AS q1, quantile_cont(%[1]s, 0.75) AS q3, skewness(%[1]s) AS skew, count(%[1]s) AS n FROM data)
SELECT skew, q1, q3, n, (SELECT count(*) FROM data, s WHERE %[1]s < s.q1 - 1.5 * (s.q3 - s.q1) OR %[1]s > s.q3 + 1.5 * (s.q3 - s.q1)) AS outliers FROM s`, x)
		res := f.query(sql)
		if res == nil {
			continue
		}
		row := res.Rows[0]
		skew, okSkew := toFloat(row[0])
		q1, _ := toFloat(row[1])
		q3, _ := toFloat(row[2])
		count, _ := toFloat(row[3])
		outliers, _ := toFloat(row[4])
		if okSkew && math.Abs(skew) >= 1 && count >= 10 {
			dir := "right"
			if skew < 0 {
				dir = "left"
			}
			f.add(Finding{
				Kind: "skew", Columns: []string{n},
				Text:  fmt.Sprintf("%s is strongly %s-skewed (skewness %.2f; quartiles %s and %s).", agent.QuoteIdent(n), dir, skew, fmtFloat(q1), fmtFloat(q3)),
				SQL:   fmt.Sprintf("SELECT skewness(%[1]s) AS skewness, quantile_cont(%[1]s, [0.25, 0.5, 0.75]) AS quartiles, avg(%[1]s) AS mean FROM data", x),
				score: 1 + math.Min(math.Abs(skew), 5)/5,
			})
		}
		if outliers > 0 && count > 0 && q3 > q1 {
			lo, hi := q1-1.5*(q3-q1), q3+1.5*(q3-q1)
			share := outliers / count
			f.add(Finding{
				Kind: "outliers", Columns: []string{n},
				Text: fmt.Sprintf("%s has %.0f values (%.1f%% of non-null) outside 1.5×IQR of its quartiles, i.e. below %s or above %s.",
					agent.QuoteIdent(n), outliers, 100*share, fmtFloat(lo), fmtFloat(hi)),
				SQL:   fmt.Sprintf("SELECT count(*) AS outliers FROM data WHERE %[1]s < %[2]s OR %[1]s > %[3]s", x, fmtSQLFloat(lo), fmtSQLFloat(hi)),
				score: 1 + math.Min(share*10, 1),
			})
		}
	}
}

// correlations reports pairs of measures with |r| >= 0.7.
func (f *finder) correlations() {
	cols := f.numeric
	if len(cols) > maxCorrColumns {
		cols = cols[:maxCorrColumns]
	}
	type pair struct{ a, b string }
	var pairs []pair
	var exprs []string
	for i := 0; i < len(cols); i++ {
		for j := i + 1; j < len(cols); j++ {
			pairs = append(pairs, pair{cols[i], cols[j]})
			exprs = append(exprs, fmt.Sprintf("corr(%s::DOUBLE, %s::DOUBLE)", agent.QuoteIdent(cols[i]), agent.QuoteIdent(cols[j])))
		}
	}
	if len(exprs) == 0 {
		return
	}
	res := f.query("SELECT " + strings.Join(exprs, ", ") + " FROM data")
	if res == nil {
		return
	}
	for k, p := range pairs {
		r, ok := toFloat(res.Rows[0][k])
		if !ok || math.IsNaN(r) || math.Abs(r) < 0.7 || math.Abs(r) > 0.9999 {
			continue
		}
		dir := "rise together"
		if r < 0 {
			dir = "move in opposite directions"
		}
		f.add(Finding{
			Kind: "correlation", Columns: []string{p.a, p.b},
			Text:  fmt.Sprintf("%s and %s are strongly correlated (r = %.2f): they %s.", agent.QuoteIdent(p.a), agent.QuoteIdent(p.b), r, dir),
			SQL:   fmt.Sprintf("SELECT corr(%s, %s) AS r FROM data", agent.QuoteIdent(p.a), agent.QuoteIdent(p.b)),
			score: 1 + math.Abs(r),
		})
	}
}

// categories reports the most common value of each categorical column, as
// dominant when it covers half the rows or more.
func (f *finder) categories() {
	for i, n := range f.category {
		if i == maxCategoryColumns {
			break
		}
		c := agent.QuoteIdent(n)
		sql := fmt.Sprintf("SELECT %[1]s AS value, count(*) AS n, round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS pct, count(*) OVER () AS categories FROM data GROUP BY 1 ORDER BY n DESC LIMIT 3", c)
		res := f.query(sql)
		if res == nil {
			continue
		}
		top := res.Rows[0]
		share, _ := toFloat(top[2])
		cats, _ := toFloat(top[3])
		var parts []string
		for _, r := range res.Rows {
			p, _ := toFloat(r[2])
			parts = append(parts, fmt.Sprintf("%s %.1f%%", fmtValue(r[0]), p))
		}
		kind, score := "categories", 0.8+share/200
		text := fmt.Sprintf("%s has %.0f values; the most common: %s.", c, cats, strings.Join(parts, ", "))
		if share >= 50 {
			kind, score = "dominant", 1.2+share/100
			text = fmt.Sprintf("%s is dominated by %s (%.1f%% of rows, %.0f values in all); next: %s.", c, fmtValue(top[0]), share, cats, strings.Join(parts[1:], ", "))
		}
		f.add(Finding{Kind: kind, Columns: []string{n}, Text: text, SQL: sql, score: score})
	}
}

// trend looks at the first date column: its span, and whether the row
// count and the first measures rise or fall over time.
func (f *finder) trend() {
	if len(f.dates) == 0 {
		return
	}
	d := agent.QuoteIdent(f.dates[0])
	span := f.query(fmt.Sprintf("SELECT min(%[1]s)::VARCHAR, max(%[1]s)::VARCHAR, date_diff('day', min(%[1]s)::DATE, max(%[1]s)::DATE) FROM data", d))
	if span == nil {
		return
	}
	days, ok := toFloat(span.Rows[0][2])
	if !ok || days < 1 {
		return
	}
	unit := "month"
	switch {
	case days <= 92:
		unit = "day"
	case days > 3660:
		unit = "year"
	}
	measures := f.numeric
	if len(measures) > maxTrendColumns {
		measures = measures[:maxTrendColumns]
	}
	inner := []string{fmt.Sprintf("date_trunc('%s', %s) AS period", unit, d), "count(*) AS n"}
	outer := []string{"count(*) AS periods", "corr(n, epoch(period))", "arg_min(n, period)", "arg_max(n, period)"}
	for i, m := range measures {
		inner = append(inner, fmt.Sprintf("avg(%s::DOUBLE) AS m%d", agent.QuoteIdent(m), i))
		outer = append(outer, fmt.Sprintf("corr(m%[1]d, epoch(period)), arg_min(m%[1]d, period), arg_max(m%[1]d, period)", i))
	}
	sql := fmt.Sprintf("WITH p AS (SELECT %s FROM data WHERE %s IS NOT NULL GROUP BY 1) SELECT %s FROM p",
		strings.Join(inner, ", "), d, strings.Join(outer, ", "))
	res := f.query(sql)
	if res == nil {
		return
	}
	row := res.Rows[0]
	periods, _ := toFloat(row[0])
	f.add(Finding{
		Kind: "trend", Columns: []string{f.dates[0]},
		Text:  fmt.Sprintf("%s spans %v to %v (%.0f %ss with data).", d, span.Rows[0][0], span.Rows[0][1], periods, unit),
		SQL:   fmt.Sprintf("SELECT date_trunc('%s', %s) AS period, count(*) AS n FROM data GROUP BY 1 ORDER BY 1", unit, d),
		score: 1.1,
	})
	if periods < 4 {
		return
	}
	describe := func(what string, r, first, last float64, sql string, cols []string) {
		if math.IsNaN(r) || math.Abs(r) < 0.6 {
			return
		}
		dir := "rises"
		if r < 0 {
			dir = "falls"
		}
		f.add(Finding{
			Kind: "trend", Columns: cols,
			Text: fmt.Sprintf("%s %s over time (by %s: %s in the first %s, %s in the last; correlation with time %.2f).",
				what, dir, unit, fmtFloat(first), unit, fmtFloat(last), r),
			SQL:   sql,
			score: 1.3 + math.Abs(r)/2,
		})
	}
	if r, ok := toFloat(row[1]); ok {
		first, _ := toFloat(row[2])
		last, _ := toFloat(row[3])
		describe("The number of rows per "+unit, r, first, last,
			fmt.Sprintf("SELECT date_trunc('%s', %s) AS period, count(*) AS n FROM data GROUP BY 1 ORDER BY 1", unit, d), []string{f.dates[0]})
	}
	for i, m := range measures {
		k := 4 + 3*i
		r, ok := toFloat(row[k])
		if !ok {
			continue
		}
		first, _ := toFloat(row[k+1])
		last, _ := toFloat(row[k+2])
		describe("The average of "+agent.QuoteIdent(m), r, first, last,
			fmt.Sprintf("SELECT date_trunc('%s', %s) AS period, avg(%s) AS avg_%s FROM data GROUP BY 1 ORDER BY 1", unit, d, agent.QuoteIdent(m), identSuffix(m)),
			[]string{f.dates[0], m})
	}
}

// AutoAnalyzePrompt is the user message of an auto_analyze turn: the
// findings, then what to do with them.
func AutoAnalyzePrompt(ds agent.Dataset, findings []Finding) string {
	var b strings.Builder
	b.WriteString("Give me an overview of this dataset.\n\n")
	if len(findings) == 0 {
		b.WriteString("The automatic checks (missing values, duplicates, skew, outliers, correlations, dominant categories, trends over time) found nothing notable.\n")
	} else {
		b.WriteString("These findings were just computed with SQL on the whole dataset; you may quote their numbers:\n")
		for i, fd := range findings {
			fmt.Fprintf(&b, "%d. [%s] %s\n   SQL: %s\n", i+1, fd.Kind, fd.Text, strings.ReplaceAll(fd.SQL, "\n", " "))
		}
	}
	b.WriteString("\nWrite a short overview: one or two sentences on what the data holds, then the findings that matter most, in plain words, " +
		"with what they mean for someone analysing this data (for instance missing values or outliers to handle). " +
		"Draw the 2 to 4 charts that matter most with create_plot (a trend over time, the distribution of a skewed measure, " +
		"the dominant categories, the strongest correlation), each from an aggregated query. " +
		"For any number that is not in the findings, run generate_query first.")
	return b.String()
}

// toFloat reads a numeric JSON-safe value from a result.
func toFloat(v any) (float64, bool) {
	switch t := v.(type) {
	case float64:
		return t, true
	case float32:
		return float64(t), true
	case int:
		return float64(t), true
	case int8:
		return float64(t), true
	case int16:
		return float64(t), true
	case int32:
		return float64(t), true
	case int64:
		return float64(t), true
	case uint8:
		return float64(t), true
	case uint16:
		return float64(t), true
	case uint32:
		return float64(t), true
	case uint64:
		return float64(t), true
	case json.Number:
		f, err := t.Float64()
		return f, err == nil
	case string:
		f, err := strconv.ParseFloat(t, 64)
		return f, err == nil
	}
	return 0, false
}

func fmtSQLFloat(f float64) string { return strconv.FormatFloat(f, 'g', 10, 64) }

// identSuffix makes a column name usable inside an alias.
func identSuffix(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}
