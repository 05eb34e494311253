package vegalite

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
)

// "Chart this": a chart proposed for any query result from its columns'
// types and values, with the marks that fit it. It uses the same builders
// as the analysts, so a chart looks the same whoever drew it.

// Mark is a kind of chart a result can be switched between.
type Mark string

const (
	MarkBar     Mark = "bar"
	MarkLine    Mark = "line"
	MarkPoint   Mark = "point"
	MarkArea    Mark = "area"
	MarkHeatmap Mark = "heatmap"
)

// ResultColumn is one column of a query result: its name and DuckDB type
// ("" when unknown: the values decide).
type ResultColumn struct {
	Name string
	Type string
}

// Proposal is a chart for a result: its title, the mark drawn, every mark
// that fits the result (the first is the default) and the spec.
type Proposal struct {
	Title string `json:"title"`
	Mark  Mark   `json:"mark"`
	Marks []Mark `json:"marks"`
	// Rows is how many of the result's rows the chart shows.
	Rows int  `json:"rows"`
	Spec Spec `json:"vega_lite_spec"`
}

// ErrNoChart says a result has nothing a chart can show (no rows, or no
// column a chart can place).
var ErrNoChart = errors.New("this result has no column a chart can show")

// maxBars is how many categories a bar chart shows; the rest are left out
// (the title says so).
const maxBars = 60

type kind int

const (
	kindNone kind = iota
	kindTime
	kindNum
	kindCat
)

type col struct {
	name     string
	kind     kind
	grain    string // kindTime: year, quarter, month, day, time
	distinct int
}

var (
	monthText = regexp.MustCompile(`^\d{4}-\d{2}$`)
	dayText   = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	timeText  = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}`)
	yearText  = regexp.MustCompile(`^\d{4}$`)
	yearName  = regexp.MustCompile(`(?i)(^|[^a-z])(year|yr)s?([^a-z]|$)`)
	corrName  = regexp.MustCompile(`(?i)corr`)
)

// classify decides what a column is for a chart, from its type and values.
func classify(c ResultColumn, rows []map[string]any) col {
	out := col{name: c.Name}
	seen := map[string]bool{}
	var nums, texts, months, days, times, years, ints, yearInts int
	for _, r := range rows {
		v, ok := r[c.Name]
		if !ok || v == nil {
			continue
		}
		switch t := v.(type) {
		case float64:
			nums++
			if t == float64(int64(t)) {
				ints++
				if t >= 1000 && t <= 2999 {
					yearInts++
				}
			}
			seen[fmt.Sprint(t)] = true
		case string:
			texts++
			switch {
			case monthText.MatchString(t):
				months++
			case dayText.MatchString(t):
				days++
			case timeText.MatchString(t):
				times++
			case yearText.MatchString(t):
				years++
			}
			seen[t] = true
		case bool:
			texts++
			seen[fmt.Sprint(t)] = true
		default:
			seen[fmt.Sprint(t)] = true
		}
	}
	out.distinct = len(seen)
	typ := strings.ToUpper(c.Type)
	all := func(n, of int) bool { return of > 0 && n == of }
	switch {
	case strings.HasPrefix(typ, "TIMESTAMP"), all(times, texts) && nums == 0:
		out.kind, out.grain = kindTime, "time"
	case typ == "DATE", all(days, texts) && nums == 0:
		out.kind, out.grain = kindTime, "day"
	case all(months, texts) && nums == 0:
		out.kind, out.grain = kindTime, "month"
	case all(years, texts) && nums == 0 && yearName.MatchString(c.Name):
		out.kind, out.grain = kindTime, "year"
	case nums > 0 && texts == 0 && all(yearInts, nums) && yearName.MatchString(c.Name):
		out.kind, out.grain = kindTime, "year"
	case nums > 0 && texts == 0 && isQuarterOrHour(c.Name) && all(ints, nums):
		out.kind, out.grain = kindTime, "ordinal"
	case isNumberType(typ) || (typ == "" && nums > 0 && texts == 0):
		out.kind = kindNum
	case texts > 0 || nums > 0:
		out.kind = kindCat
	}
	return out
}

func isQuarterOrHour(name string) bool {
	n := strings.ToLower(Label(name))
	return n == "quarter" || n == "hour" || n == "month number"
}

func isNumberType(t string) bool {
	for _, p := range []string{"TINYINT", "SMALLINT", "INTEGER", "INT", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT", "FLOAT", "REAL", "DOUBLE", "DECIMAL", "NUMERIC"} {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	return false
}

// Propose draws a chart of a result: want picks one of the fitting marks
// ("" or a mark that does not fit: the default one).
func Propose(columns []ResultColumn, rows []map[string]any, want Mark) (Proposal, error) {
	if len(rows) == 0 || len(columns) == 0 {
		return Proposal{}, ErrNoChart
	}
	var times, nums, cats []col
	for _, c := range columns {
		switch k := classify(c, rows); k.kind {
		case kindTime:
			times = append(times, k)
		case kindNum:
			nums = append(nums, k)
		case kindCat:
			cats = append(cats, k)
		}
	}
	vals := values(rows)
	var p Proposal
	switch {
	case len(times) > 0 && len(nums) > 0:
		p = timeChart(vals, times[0], nums[0], colorOf(cats, 12), want)
	case len(cats) > 0 && len(nums) > 0:
		p = categoryChart(vals, cats, nums[0], want)
	case len(nums) >= 2:
		p = pairChart(vals, nums[0], nums[1], want)
	case len(times) > 0 && len(cats) == 0:
		p = countChart(vals, times[0], want)
	case len(nums) == 1:
		p = distributionChart(vals, nums[0], want)
	case len(cats) > 0:
		p = countChart(vals, cats[0], want)
	default:
		return Proposal{}, ErrNoChart
	}
	if p.Rows == 0 {
		p.Rows = len(vals)
	}
	return p, nil
}

func colorOf(cats []col, limit int) *col {
	for i := range cats {
		if cats[i].distinct > 1 && cats[i].distinct <= limit {
			return &cats[i]
		}
	}
	return nil
}

// pick returns want when it fits, else the default (the first fitting mark).
func pick(fits []Mark, want Mark) Mark {
	if slices.Contains(fits, want) {
		return want
	}
	return fits[0]
}

// lower writes a label inside a sentence: "Month" → "month", "GDP" stays.
func lower(label string) string {
	r := []rune(label)
	if len(r) > 1 && unicode.IsUpper(r[1]) {
		return label
	}
	if len(r) > 0 {
		r[0] = unicode.ToLower(r[0])
	}
	return string(r)
}

func per(y, x string, color *col) string {
	t := Label(y) + " per " + lower(Label(x))
	if color != nil {
		t += " by " + lower(Label(color.name))
	}
	return t
}

// timeChart: a measure over time, split by a category when there is one.
func timeChart(vals []any, t, y col, color *col, want Mark) Proposal {
	fits := []Mark{MarkLine, MarkArea, MarkBar, MarkPoint}
	if color != nil {
		fits = append(fits, MarkHeatmap)
	}
	m := pick(fits, want)
	title := per(y.name, t.name, color)
	colorName := ""
	if color != nil {
		colorName = color.name
	}
	var s Spec
	switch m {
	case MarkHeatmap:
		s = Heatmap(title, vals, t.name, colorName, y.name, "", "", false)
	case MarkBar:
		if t.grain == "year" || t.grain == "ordinal" {
			s = Column(title, vals, t.name, y.name)
		} else {
			s = Base(title, vals)
			s["mark"] = Spec{"type": "bar", "tooltip": true}
			s["encoding"] = Spec{"x": periodAxis(vals, t.name, grainOf(t)), "y": Enc(y.name, "quantitative", "")}
		}
		if color != nil {
			s["encoding"].(Spec)["color"] = legend(Enc(colorName, "nominal", ""))
		}
	default:
		s = Line(title, vals, t.name, grainOf(t), y.name, colorName)
		switch m {
		case MarkArea:
			s["mark"] = Spec{"type": "area", "tooltip": true, "line": true, "opacity": 0.7}
		case MarkPoint:
			s["mark"] = Spec{"type": "point", "filled": true, "tooltip": true}
		}
	}
	return Proposal{Title: title, Mark: m, Marks: fits, Spec: s}
}

// grainOf maps a time column to Line's grain: timestamps are drawn as time.
func grainOf(t col) string {
	if t.grain == "time" {
		return "time"
	}
	return t.grain
}

// categoryChart: a measure per category (and per a second category).
func categoryChart(vals []any, cats []col, y col, want Mark) Proposal {
	x := cats[0]
	var second *col
	if len(cats) > 1 {
		second = &cats[1]
	}
	fits := []Mark{MarkBar, MarkPoint}
	corr := second != nil && corrName.MatchString(y.name) && within(vals, y.name, -1, 1)
	if second != nil {
		fits = append(fits, MarkHeatmap)
		if corr {
			fits = []Mark{MarkHeatmap, MarkBar, MarkPoint}
		}
	}
	m := pick(fits, want)
	shown := vals
	title := per(y.name, x.name, nil)
	if second != nil && m != MarkHeatmap {
		title = per(y.name, x.name, second)
	}
	if second != nil && m == MarkHeatmap {
		title = Label(y.name) + " by " + lower(Label(x.name)) + " and " + lower(Label(second.name))
	}
	if corr && m == MarkHeatmap {
		title = "Correlation between " + lower(Label(x.name)) + " and " + lower(Label(second.name))
	}
	if m != MarkHeatmap && second == nil && x.distinct > maxBars && len(vals) > maxBars {
		shown = vals[:maxBars]
		title += fmt.Sprintf(" (first %d)", maxBars)
	}
	var s Spec
	switch m {
	case MarkHeatmap:
		s = Heatmap(title, vals, x.name, second.name, y.name, "", "", corr)
	case MarkPoint:
		s = Base(title, shown)
		s["mark"] = Spec{"type": "point", "filled": true, "size": 60, "tooltip": true}
		ye := Enc(x.name, "nominal", "")
		ye["sort"] = "-x"
		e := Spec{"y": ye, "x": Enc(y.name, "quantitative", "")}
		if second != nil {
			e["color"] = legend(Enc(second.name, "nominal", ""))
			delete(ye, "sort")
		}
		s["encoding"] = e
	default:
		color := ""
		if second != nil {
			color = second.name
		}
		s = Bar(title, shown, x.name, y.name, color, true)
	}
	return Proposal{Title: title, Mark: m, Marks: fits, Rows: len(shown), Spec: s}
}

func within(vals []any, name string, lo, hi float64) bool {
	seen := false
	for _, v := range vals {
		f, ok := v.(map[string]any)[name].(float64)
		if !ok {
			continue
		}
		if f < lo || f > hi {
			return false
		}
		seen = true
	}
	return seen
}

// pairChart: two measures against each other.
func pairChart(vals []any, x, y col, want Mark) Proposal {
	fits := []Mark{MarkPoint, MarkLine}
	m := pick(fits, want)
	title := Label(y.name) + " against " + lower(Label(x.name))
	s := Scatter(title, vals, x.name, y.name)
	if m == MarkLine {
		s["mark"] = Spec{"type": "line", "point": true, "tooltip": true}
		s["encoding"].(Spec)["x"].(Spec)["sort"] = "ascending"
	}
	return Proposal{Title: title, Mark: m, Marks: fits, Spec: s}
}

// distributionChart: one measure's values, binned.
func distributionChart(vals []any, x col, want Mark) Proposal {
	fits := []Mark{MarkBar, MarkArea}
	m := pick(fits, want)
	title := "Distribution of " + lower(Label(x.name))
	s := Base(title, vals)
	s["mark"] = Spec{"type": string(m), "tooltip": true}
	xe := Enc(x.name, "quantitative", "")
	xe["bin"] = Spec{"maxbins": 30}
	s["encoding"] = Spec{"x": xe, "y": Spec{"aggregate": "count", "type": "quantitative", "title": "Rows"}}
	return Proposal{Title: title, Mark: m, Marks: fits, Spec: s}
}

// countChart: how many rows each value of a category (or period) has.
func countChart(vals []any, x col, want Mark) Proposal {
	fits := []Mark{MarkBar, MarkPoint}
	if x.kind == kindTime {
		fits = []Mark{MarkBar, MarkLine, MarkPoint}
	}
	m := pick(fits, want)
	title := "Rows per " + lower(Label(x.name))
	s := Base(title, vals)
	count := Spec{"aggregate": "count", "type": "quantitative", "title": "Rows"}
	if x.kind == kindTime {
		xe := periodAxis(vals, x.name, grainOf(x))
		s["mark"] = Spec{"type": string(m), "tooltip": true}
		s["encoding"] = Spec{"x": xe, "y": count}
	} else {
		ye := Enc(x.name, "nominal", "")
		ye["sort"] = "-x"
		s["mark"] = Spec{"type": string(m), "tooltip": true}
		s["encoding"] = Spec{"y": ye, "x": count}
		if x.distinct > maxBars {
			s["transform"] = []any{
				Spec{"aggregate": []any{Spec{"op": "count", "as": "__rows"}}, "groupby": []any{Field(x.name)}},
				Spec{"window": []any{Spec{"op": "rank", "as": "__rank"}}, "sort": []any{Spec{"field": "__rows", "order": "descending"}}},
				Spec{"filter": fmt.Sprintf("datum.__rank <= %d", maxBars)},
			}
			s["encoding"] = Spec{"y": ye, "x": Spec{"field": "__rows", "type": "quantitative", "title": "Rows"}}
			title += fmt.Sprintf(" (top %d)", maxBars)
			s["title"] = title
		}
	}
	return Proposal{Title: title, Mark: m, Marks: fits, Spec: s}
}

// values turns rows into the []any of a spec's inline data.
func values(rows []map[string]any) []any {
	out := make([]any, len(rows))
	for i, r := range rows {
		out[i] = r
	}
	return out
}
