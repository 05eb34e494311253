package builtin

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// toFloat reads a number from a result value: integers, floats, DECIMALs
// (json.Number) and big integers written as strings.
func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case int64:
		return float64(x), true
	case int:
		return float64(x), true
	case int32:
		return float64(x), true
	case uint64:
		return float64(x), true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	case string:
		f, err := strconv.ParseFloat(x, 64)
		return f, err == nil && !math.IsNaN(f) && !math.IsInf(f, 0)
	}
	return 0, false
}

// fmtNum writes a number for a sentence: thousands separators, and
// decimals only as many as the size of the number calls for.
func fmtNum(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "n/a"
	}
	a := math.Abs(v)
	if a >= 1e15 {
		return strconv.FormatFloat(v, 'g', 4, 64)
	}
	var s string
	switch {
	case v == math.Trunc(v):
		s = strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 100:
		s = strconv.FormatFloat(v, 'f', 2, 64)
	case a >= 1:
		s = strconv.FormatFloat(v, 'f', 2, 64)
	case a >= 0.01:
		s = strconv.FormatFloat(v, 'f', 4, 64)
	default:
		s = strconv.FormatFloat(v, 'g', 3, 64)
		if strings.ContainsAny(s, "e") {
			return s
		}
	}
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return group(s)
}

// group inserts thousands separators into a plain decimal number.
func group(s string) string {
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	intPart, frac := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		intPart, frac = s[:i], s[i:]
	}
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	out := b.String() + frac
	if neg && out != "0" {
		out = "-" + out
	}
	return out
}

// fmtVal writes a result value for a sentence.
func fmtVal(v any) string {
	if v == nil {
		return "(missing)"
	}
	if f, ok := toFloat(v); ok {
		if _, isStr := v.(string); !isStr {
			return fmtNum(f)
		}
	}
	switch x := v.(type) {
	case string:
		if x == "" {
			return "(empty)"
		}
		return x
	case bool:
		return strconv.FormatBool(x)
	}
	return fmt.Sprint(v)
}

// pct writes a share as a percentage.
func pct(part, whole float64) string {
	if whole == 0 {
		return "0%"
	}
	p := 100 * part / whole
	switch {
	case p == math.Trunc(p):
		return strconv.FormatFloat(p, 'f', 0, 64) + "%"
	case p < 0.1:
		return "<0.1%"
	}
	return strconv.FormatFloat(p, 'f', 1, 64) + "%"
}

// plural writes "1 row", "3 rows".
func plural(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return group(strconv.FormatInt(n, 10)) + " " + many
}

// code writes a name as inline markdown code, safe whatever it contains.
func code(s string) string {
	n := 1
	for strings.Contains(s, strings.Repeat("`", n)) {
		n++
	}
	fence := strings.Repeat("`", n)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

// bold writes text in bold, escaping markdown emphasis characters.
func bold(s string) string {
	return "**" + escapeMD(s) + "**"
}

// escapeMD escapes characters markdown would read as formatting.
func escapeMD(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`, "<", "&lt;", ">", "&gt;", "|", `\|`, "#", `\#`)
	return r.Replace(s)
}

// sqlBlock writes a SQL statement as a fenced code block.
func sqlBlock(sql string) string {
	fence := "```"
	for strings.Contains(sql, fence) {
		fence += "`"
	}
	return fence + "sql\n" + sql + "\n" + fence + "\n"
}
