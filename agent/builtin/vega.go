package builtin

import (
	"encoding/json"

	"github.com/analyzerhq/analyzer/duck"
	"github.com/analyzerhq/analyzer/vegalite"
)

// The charts the analyst draws are package vegalite's, the builders every
// analyst and "Chart this" share: each spec carries its data inline, from
// the rows of the query it ran.

type spec = vegalite.Spec

// values turns a result into the plain JSON rows Vega-Lite reads, at most
// limit of them (0: all).
func values(res *duck.Result, limit int) []any {
	rows := res.Objects()
	if limit > 0 && len(rows) > limit {
		rows = rows[:limit]
	}
	b, err := json.Marshal(rows)
	if err != nil {
		return []any{}
	}
	var out []any
	if err := json.Unmarshal(b, &out); err != nil || out == nil {
		return []any{}
	}
	return out
}

func barSpec(title string, vals []any, cat, val, color string, stack bool) spec {
	return vegalite.Bar(title, vals, cat, val, color, stack)
}

func columnSpec(title string, vals []any, x, val string) spec {
	return vegalite.Column(title, vals, x, val)
}

func lineSpec(title string, vals []any, period, grain, val, color string) spec {
	return vegalite.Line(title, vals, period, grain, val, color)
}

func histogramSpec(title string, vals []any, name string) spec {
	return vegalite.Histogram(title, vals, name)
}

func scatterSpec(title string, vals []any, x, y string) spec {
	return vegalite.Scatter(title, vals, x, y)
}

// heatmapSpec draws a correlation matrix; its axes are titled for what
// they hold, not "x" and "y".
func heatmapSpec(title string, vals []any) spec {
	return vegalite.Correlations(title, vals)
}

func boxSpec(title string, vals []any, group, name string) spec {
	return vegalite.Box(title, vals, group, name)
}
