package vegalite

import (
	"regexp"
	"strings"
	"unicode"
)

// Label turns a result's column name into a readable axis or legend title:
// DuckDB's default names ("count_star()", "avg(price)", "year(date)") and
// snake_case become words ("Count", "Average price", "Year"). A name that
// already reads as words is kept, with its first letter capitalised.
func Label(name string) string {
	s := strings.TrimSpace(name)
	if s == "" {
		return s
	}
	return capitalize(phrase(s))
}

var (
	callRe  = regexp.MustCompile(`^(?i)([a-z_]+)\s*\((.*)\)$`)
	truncRe = regexp.MustCompile(`^(?i)'([a-z]+)'\s*,`)
	// Leading words that name an aggregate in snake_case names.
	prefixes = []struct{ word, label string }{
		{"avg", "average"}, {"mean", "average"}, {"sum", "total"}, {"total", "total"},
		{"min", "minimum"}, {"max", "maximum"}, {"med", "median"}, {"median", "median"},
		{"n", "number of"}, {"num", "number of"}, {"cnt", "count of"}, {"count", "count of"},
		{"pct", "percent"}, {"std", "standard deviation of"}, {"stddev", "standard deviation of"},
	}
	aggregates = map[string]string{
		"sum": "total", "avg": "average", "mean": "average", "min": "minimum", "max": "maximum",
		"median": "median", "mode": "most common", "stddev": "standard deviation of", "stddev_samp": "standard deviation of",
		"stddev_pop": "standard deviation of", "var_samp": "variance of", "variance": "variance of",
		"approx_count_distinct": "distinct", "first": "first", "last": "last", "any_value": "",
		"round": "", "floor": "", "ceil": "", "abs": "absolute", "trunc": "", "coalesce": "",
		"lower": "", "upper": "", "trim": "",
	}
	parts = map[string]string{
		"year": "year", "month": "month", "day": "day", "dayofweek": "day of the week", "dayname": "day of the week",
		"monthname": "month", "hour": "hour", "quarter": "quarter", "week": "week", "weekofyear": "week",
		"isodow": "day of the week", "dow": "day of the week", "dayofmonth": "day of the month", "minute": "minute",
	}
)

// phrase is Label without the capital.
func phrase(s string) string {
	s = strings.TrimSpace(strings.Trim(s, `"`))
	if m := callRe.FindStringSubmatch(s); m != nil {
		fn, arg := strings.ToLower(m[1]), strings.TrimSpace(m[2])
		switch {
		case fn == "count_star" || (fn == "count" && (arg == "*" || arg == "" || arg == "1")):
			return "count"
		case fn == "count":
			if rest, ok := cutPrefixFold(arg, "distinct "); ok {
				return "distinct " + phrase(rest)
			}
			return "count of " + phrase(arg)
		case fn == "date_trunc" || fn == "datetrunc" || fn == "date_part" || fn == "datepart":
			if t := truncRe.FindStringSubmatch(arg); t != nil {
				return strings.ToLower(t[1])
			}
		case fn == "strftime":
			return "date"
		case fn == "round" || fn == "floor" || fn == "ceil" || fn == "trunc":
			if i := topLevelComma(arg); i >= 0 {
				arg = arg[:i]
			}
			return phrase(arg)
		}
		if p, ok := parts[fn]; ok {
			return p
		}
		if a, ok := aggregates[fn]; ok {
			inner := phrase(arg)
			if a == "" {
				return inner
			}
			return a + " " + inner
		}
		return words(s)
	}
	w := words(s)
	lw := strings.ToLower(w)
	for _, p := range prefixes {
		if rest, ok := strings.CutPrefix(lw, p.word+" "); ok && rest != "" {
			return p.label + " " + w[len(w)-len(rest):]
		}
	}
	switch lw {
	case "n", "cnt", "count", "count star", "row count":
		return "count"
	}
	return w
}

// words splits snake_case, kebab-case and camelCase into words; a name
// that holds other punctuation (an expression) is kept as it is.
func words(s string) string {
	for _, r := range s {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-' || r == ' ' || r == '.') {
			return s
		}
	}
	var b strings.Builder
	prev := rune(0)
	for i, r := range s {
		switch {
		case r == '_' || r == '-' || r == '.':
			r = ' '
		case i > 0 && unicode.IsUpper(r) && unicode.IsLower(prev):
			b.WriteRune(' ')
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
		prev = r
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

func capitalize(s string) string {
	for i, r := range s {
		return string(unicode.ToUpper(r)) + s[i+len(string(r)):]
	}
	return s
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

// topLevelComma is the index of the first comma outside parentheses and quotes, -1 if none.
func topLevelComma(s string) int {
	depth, quote := 0, rune(0)
	for i, r := range s {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '\'' || r == '"':
			quote = r
		case r == '(':
			depth++
		case r == ')':
			depth--
		case r == ',' && depth == 0:
			return i
		}
	}
	return -1
}
