package vegalite

import "strings"

// Chart builders shared by every analyst and by "Chart this": each returns a
// Vega-Lite spec with its data inline. Axis and legend titles read as words
// (Label), years are written as years (no thousands separator, no
// rotation), and field names are escaped because Vega-Lite reads "." and
// "[" in a field as a path.

// Spec is a Vega-Lite specification as JSON values.
type Spec = map[string]any

// Field escapes a column name for a Vega-Lite field.
func Field(name string) string {
	r := strings.NewReplacer(`\`, `\\`, ".", `\.`, "[", `\[`, "]", `\]`)
	return r.Replace(name)
}

// Base is a chart of vals filling its container's width.
func Base(title string, vals []any) Spec {
	s := Spec{
		"$schema": SchemaURL,
		"data":    Spec{"values": vals},
		"width":   "container",
	}
	if title != "" {
		s["title"] = title
	}
	return s
}

// Enc is one encoding channel; title "" takes Label(name).
func Enc(name, typ, title string) Spec {
	if title == "" || title == name {
		title = Label(name)
	}
	return Spec{"field": Field(name), "type": typ, "title": title}
}

// yearAxis writes years as they are, upright: "2014", not "2,014" (a
// year held as a number gets an integer format; text is shown as written).
func yearAxis(e Spec, vals []any, name string) Spec {
	axis := Spec{"labelAngle": 0, "labelOverlap": true}
	if numbersIn(vals, name) {
		axis["format"] = "d"
	}
	e["axis"] = axis
	return e
}

// numbersIn reports whether the column's non-null values are all numbers.
func numbersIn(vals []any, name string) bool {
	seen := false
	for _, v := range vals {
		row, _ := v.(map[string]any)
		switch row[name].(type) {
		case nil:
		case float64, int, int64, float32, int32:
			seen = true
		default:
			return false
		}
	}
	return seen
}

// legend keeps a legend narrow enough for a phone: below the chart, its
// labels cut.
func legend(e Spec) Spec {
	e["legend"] = Spec{"orient": "bottom", "direction": "horizontal", "columns": 3, "labelLimit": 110, "symbolLimit": 12}
	return e
}

// Bar draws one bar per category, longest first, horizontally so that long
// labels stay readable. color, when set, splits each bar (stacked or side
// by side).
func Bar(title string, vals []any, cat, val, color string, stack bool) Spec {
	s := Base(title, vals)
	s["mark"] = Spec{"type": "bar", "tooltip": true}
	y := Enc(cat, "nominal", "")
	y["sort"] = "-x"
	if len(vals) > 12 {
		y["axis"] = Spec{"labelLimit": 160}
	}
	e := Spec{"y": y, "x": Enc(val, "quantitative", "")}
	if color != "" {
		e["color"] = legend(Enc(color, "nominal", ""))
		if !stack {
			e["yOffset"] = Spec{"field": Field(color), "type": "nominal"}
		}
		delete(y, "sort")
	}
	s["encoding"] = e
	return s
}

// Column draws vertical bars over an ordered axis (years, small integers)
// in their natural order.
func Column(title string, vals []any, x, val string) Spec {
	s := Base(title, vals)
	s["mark"] = Spec{"type": "bar", "tooltip": true}
	xe := yearAxis(Enc(x, "ordinal", ""), vals, x)
	xe["sort"] = nil
	s["encoding"] = Spec{"x": xe, "y": Enc(val, "quantitative", "")}
	return s
}

// Line draws a series over time. grain says how the period is written:
// years, quarters and hours are numbers or labels in order, months and
// days ISO-like text read as UTC dates.
func Line(title string, vals []any, period, grain, val, color string) Spec {
	s := Base(title, vals)
	s["mark"] = Spec{"type": "line", "point": true, "tooltip": true}
	e := Spec{"x": periodAxis(vals, period, grain), "y": Enc(val, "quantitative", "")}
	if color != "" {
		e["color"] = legend(Enc(color, "nominal", ""))
	}
	s["encoding"] = e
	return s
}

// periodAxis is the x channel of a time series at a grain.
func periodAxis(vals []any, period, grain string) Spec {
	var x Spec
	switch grain {
	case "year":
		x = yearAxis(Enc(period, "ordinal", ""), vals, period)
		x["sort"] = nil
	case "quarter", "hour", "ordinal":
		x = Enc(period, "ordinal", "")
		x["sort"] = nil
		x["axis"] = Spec{"labelAngle": 0, "labelOverlap": true}
	case "month":
		x = Enc(period, "temporal", "")
		x["timeUnit"] = "utcyearmonth"
		x["axis"] = Spec{"format": "%b %Y", "labelOverlap": true}
	default:
		x = Enc(period, "temporal", "")
		x["timeUnit"] = "utcyearmonthdate"
		x["axis"] = Spec{"labelOverlap": true}
	}
	return x
}

// Histogram draws pre-binned counts: rows with bin_start, bin_end and rows.
func Histogram(title string, vals []any, name string) Spec {
	s := Base(title, vals)
	s["mark"] = Spec{"type": "bar", "tooltip": true}
	x := Enc("bin_start", "quantitative", Label(name))
	x["bin"] = Spec{"binned": true}
	s["encoding"] = Spec{
		"x":  x,
		"x2": Spec{"field": "bin_end"},
		"y":  Enc("rows", "quantitative", "Rows"),
	}
	return s
}

// Scatter plots pairs.
func Scatter(title string, vals []any, x, y string) Spec {
	s := Base(title, vals)
	s["mark"] = Spec{"type": "point", "opacity": 0.5, "tooltip": true}
	xe := Enc(x, "quantitative", "")
	xe["scale"] = Spec{"zero": false}
	ye := Enc(y, "quantitative", "")
	ye["scale"] = Spec{"zero": false}
	s["encoding"] = Spec{"x": xe, "y": ye}
	return s
}

// Correlations draws a correlation matrix (rows with x, y and correlation)
// with its values written in.
func Correlations(title string, vals []any) Spec {
	return Heatmap(title, vals, "x", "y", "correlation", "Column", "Correlated with", true)
}

// Heatmap colours a grid of x by y by val, its values written in when the
// grid is small. diverging centres the scale on zero from -1 to 1
// (correlations).
func Heatmap(title string, vals []any, x, y, val, xTitle, yTitle string, diverging bool) Spec {
	s := Base(title, vals)
	xe := Enc(x, "ordinal", xTitle)
	xe["axis"] = Spec{"labelAngle": 0, "labelOverlap": true}
	xe["sort"] = nil
	ye := Enc(y, "ordinal", yTitle)
	ye["sort"] = nil
	s["encoding"] = Spec{"x": xe, "y": ye}
	color := Enc(val, "quantitative", "")
	color["legend"] = Spec{"orient": "bottom", "direction": "horizontal", "gradientLength": 160}
	if diverging {
		color["scale"] = Spec{"domain": []any{-1, 1}, "scheme": "redblue", "reverse": true}
	}
	layers := []any{Spec{"mark": Spec{"type": "rect", "tooltip": true}, "encoding": Spec{"color": color}}}
	if len(vals) <= 144 {
		layers = append(layers, Spec{
			"mark":     Spec{"type": "text", "fontSize": 11},
			"encoding": Spec{"text": Spec{"field": Field(val), "type": "quantitative", "format": ".2~f"}},
		})
	}
	s["layer"] = layers
	return s
}

// Box draws pre-computed quartiles per group (rows with min, q1, median,
// q3, max): a rule from min to max, a bar from q1 to q3 and a tick at the
// median.
func Box(title string, vals []any, group, name string) Spec {
	s := Base(title, vals)
	y := Enc(group, "nominal", "")
	y["sort"] = nil
	s["encoding"] = Spec{"y": y}
	label := Label(name)
	s["layer"] = []any{
		Spec{"mark": Spec{"type": "rule"}, "encoding": Spec{
			"x": Enc("min", "quantitative", label), "x2": Spec{"field": "max"},
		}},
		Spec{"mark": Spec{"type": "bar", "size": 14, "tooltip": true}, "encoding": Spec{
			"x": Enc("q1", "quantitative", label), "x2": Spec{"field": "q3"},
		}},
		Spec{"mark": Spec{"type": "tick", "color": "white", "size": 14}, "encoding": Spec{
			"x": Enc("median", "quantitative", label),
		}},
	}
	return s
}
