package builtin

import (
	"encoding/json"
	"strings"

	"github.com/analyzerhq/analyzer/duck"
	"github.com/analyzerhq/analyzer/vegalite"
)

// Vega-Lite specs for the charts the analyst draws. Every spec carries its
// data inline, from the rows of the query it ran; field names are escaped
// because Vega-Lite reads "." and "[" in a field as a path.

type spec = map[string]any

// field escapes a column name for a Vega-Lite field.
func field(name string) string {
	r := strings.NewReplacer(`\`, `\\`, ".", `\.`, "[", `\[`, "]", `\]`)
	return r.Replace(name)
}

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

func base(title string, vals []any) spec {
	return spec{
		"$schema": vegalite.SchemaURL,
		"title":   title,
		"data":    spec{"values": vals},
		"width":   "container",
	}
}

func enc(name, typ, title string) spec {
	e := spec{"field": field(name), "type": typ}
	if title != "" {
		e["title"] = title
	}
	return e
}

// barSpec draws one bar per category, longest first, horizontally so that
// long labels stay readable. color, when set, splits each bar.
func barSpec(title string, vals []any, cat, val, color string, stack bool) spec {
	s := base(title, vals)
	s["mark"] = spec{"type": "bar", "tooltip": true}
	y := enc(cat, "nominal", cat)
	y["sort"] = "-x"
	if len(vals) > 12 {
		y["axis"] = spec{"labelLimit": 160}
	}
	e := spec{"y": y, "x": enc(val, "quantitative", val)}
	if color != "" {
		e["color"] = enc(color, "nominal", color)
		if !stack {
			e["yOffset"] = spec{"field": field(color), "type": "nominal"}
		}
		delete(y, "sort")
	}
	s["encoding"] = e
	return s
}

// columnSpec draws vertical bars over an ordered axis (years, small
// integers) in their natural order.
func columnSpec(title string, vals []any, x, val string) spec {
	s := base(title, vals)
	s["mark"] = spec{"type": "bar", "tooltip": true}
	xe := enc(x, "ordinal", x)
	xe["sort"] = nil
	s["encoding"] = spec{"x": xe, "y": enc(val, "quantitative", val)}
	return s
}

// lineSpec draws a series over time. grain says how the period is written:
// years are numbers, the rest ISO-like text read as UTC dates.
func lineSpec(title string, vals []any, period, grain, val, color string) spec {
	s := base(title, vals)
	s["mark"] = spec{"type": "line", "point": true, "tooltip": true}
	var x spec
	switch grain {
	case "year", "quarter":
		x = enc(period, "ordinal", period)
		x["sort"] = nil
	case "month":
		x = enc(period, "temporal", period)
		x["timeUnit"] = "utcyearmonth"
	case "hour":
		x = enc(period, "ordinal", period)
		x["sort"] = nil
	default:
		x = enc(period, "temporal", period)
		x["timeUnit"] = "utcyearmonthdate"
	}
	e := spec{"x": x, "y": enc(val, "quantitative", val)}
	if color != "" {
		e["color"] = enc(color, "nominal", color)
	}
	s["encoding"] = e
	return s
}

// histogramSpec draws pre-binned counts.
func histogramSpec(title string, vals []any, name string) spec {
	s := base(title, vals)
	s["mark"] = spec{"type": "bar", "tooltip": true}
	x := enc("bin_start", "quantitative", name)
	x["bin"] = spec{"binned": true}
	s["encoding"] = spec{
		"x":  x,
		"x2": spec{"field": "bin_end"},
		"y":  enc("rows", "quantitative", "rows"),
	}
	return s
}

// scatterSpec plots pairs.
func scatterSpec(title string, vals []any, x, y string) spec {
	s := base(title, vals)
	s["mark"] = spec{"type": "point", "opacity": 0.5, "tooltip": true}
	xe := enc(x, "quantitative", x)
	xe["scale"] = spec{"zero": false}
	ye := enc(y, "quantitative", y)
	ye["scale"] = spec{"zero": false}
	s["encoding"] = spec{"x": xe, "y": ye}
	return s
}

// heatmapSpec draws a correlation matrix with its values written in.
func heatmapSpec(title string, vals []any) spec {
	s := base(title, vals)
	s["encoding"] = spec{
		"x": enc("x", "nominal", ""),
		"y": enc("y", "nominal", ""),
	}
	s["layer"] = []any{
		spec{
			"mark": spec{"type": "rect", "tooltip": true},
			"encoding": spec{"color": spec{
				"field": "correlation", "type": "quantitative",
				"scale": spec{"domain": []any{-1, 1}, "scheme": "redblue", "reverse": true},
			}},
		},
		spec{
			"mark":     spec{"type": "text"},
			"encoding": spec{"text": spec{"field": "correlation", "type": "quantitative", "format": ".2f"}},
		},
	}
	return s
}

// boxSpec draws pre-computed quartiles per group: a rule from min to max,
// a bar from q1 to q3 and a tick at the median.
func boxSpec(title string, vals []any, group, name string) spec {
	s := base(title, vals)
	y := enc(group, "nominal", group)
	y["sort"] = nil
	s["encoding"] = spec{"y": y}
	s["layer"] = []any{
		spec{"mark": spec{"type": "rule"}, "encoding": spec{
			"x": enc("min", "quantitative", name), "x2": spec{"field": "max"},
		}},
		spec{"mark": spec{"type": "bar", "size": 14, "tooltip": true}, "encoding": spec{
			"x": enc("q1", "quantitative", name), "x2": spec{"field": "q3"},
		}},
		spec{"mark": spec{"type": "tick", "color": "white", "size": 14}, "encoding": spec{
			"x": enc("median", "quantitative", name),
		}},
	}
	return s
}
