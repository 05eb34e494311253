package duck

import (
	"math"
	"regexp"
	"strconv"
	"strings"
)

// Reading is how the values of a text column read as typed values: the
// one reading of such text, which the profile decides from a sample and
// every query (the profile's statistics, both analysts) computes with
// Expr. The zero Reading is the text itself.
type Reading struct {
	// DateFormat: dates written in this strptime format (one of
	// DateFormats).
	DateFormat string
	// Number: numbers written with separators, a currency, a percent
	// sign or a footnote mark ("$1,200", "12%", "1,234[a]", "1,234 *").
	Number bool
	// Unit (with Number): numbers followed by this unit ("13,149 ft",
	// "5 games", "2.7 in 230 kpixel"): the leading number is the value
	// when the value's unit is this one (UnitOf); other values read as
	// nothing.
	Unit string
	// Duration (with Number): lengths of time or times of day ("4:25",
	// "1:10.73", "2:03:59", "55.14", "3m 37s", "1h 02m"), read as seconds.
	// "4:25" is minutes and seconds, as track and race times write it; a
	// time of day "19:30" reads as a number in the same order.
	Duration bool
}

// Reading is the column's reading of its text.
func (c *ColumnProfile) Reading() Reading {
	return Reading{DateFormat: c.DateFormat, Number: c.NumberText, Unit: c.Unit, Duration: c.Duration}
}

// Expr is the typed value of ref (a text column) as r reads it; NULL
// where a value does not read so (a placeholder "—", "DNF", another unit).
func (r Reading) Expr(ref string) string {
	switch {
	case r.DateFormat != "" && !strings.Contains(r.DateFormat, "%H"):
		return "try_strptime(trim(" + ref + "), " + QuoteString(r.DateFormat) + ")::DATE"
	case r.DateFormat != "":
		return "try_strptime(trim(" + ref + "), " + QuoteString(r.DateFormat) + ")"
	case r.Duration:
		return durationExpr("lower(trim(" + ref + "))")
	case r.Number && r.Unit != "":
		v := "trim(" + ref + ")"
		// The sign is group 1's ("-86 m", "−86 m"), the figure group 2's.
		sign := "CASE WHEN regexp_matches(regexp_extract(" + v + ", " + QuoteString(unitNumRe) + ", 1), '^[-−]') THEN -1 ELSE 1 END"
		return "CASE WHEN " + unitOfSQL(v) + " = " + QuoteString(r.Unit) + " THEN " + sign + " * TRY_CAST(replace(regexp_extract(" + v + ", " +
			QuoteString(unitNumRe) + ", 2), ',', '') AS DOUBLE) END"
	case r.Number:
		// Footnote marks ("1,234[a]", "1,234 *", "1,234†") are not part of
		// the number, nor is the same figure in another unit in brackets
		// after it ("157 (48)" under "Height ft (m)", "1,234 (45.6%)"):
		// the first figure is the column's own. A comma followed by one or
		// two digits at the end ("39,6", "12,50") is a decimal comma: a
		// thousands comma is always followed by three. Any other comma
		// separates thousands ("1,234").
		// A minus sign may be written as such ("−15", U+2212), as
		// typeset tables do.
		v := "regexp_replace(regexp_replace(trim(replace(" + ref + `, '−', '-')), '\[[^\]]*\]|[*†‡]+$|(?:^|\s)\([^()]*\)$', '', 'g'), '[\s$€£%]', '', 'g')`
		return "CASE WHEN regexp_matches(" + v + `, '^[-+]?[0-9]+,[0-9]{1,2}$') THEN TRY_CAST(replace(` + v + `, ',', '.') AS DOUBLE)` +
			" ELSE TRY_CAST(replace(" + v + `, ',', '') AS DOUBLE) END`
	}
	return ref
}

// Durations: h:mm:ss, m:ss (fractions of a second allowed), plain seconds
// (in a column that also writes minutes: "55.14" beside "1:10.73"), and
// units ("3m 37s", "1h 02m", "2 min 30 sec"). A lone "4m" is not read (it
// may be metres).
const (
	durColon3 = `^([0-9]+):([0-5]?[0-9]):([0-5][0-9](\.[0-9]+)?)$`
	durColon2 = `^([0-9]+):([0-5][0-9](\.[0-9]+)?)$`
	durPlain  = `^[0-9]+(\.[0-9]+)?$`
	durUnits  = `^(([0-9]+)\s*(h|hr|hrs|hours?)\.?)?\s*(([0-9]+)\s*(m|min|mins|minutes?)\.?)?\s*(([0-9]+(\.[0-9]+)?)\s*(s|sec|secs|seconds?)\.?)?$`
	// durShaped: a value only a duration writes (a colon, or units with
	// an hour or a second or a spelled minute).
	durShaped = `^[0-9]+:[0-9]|[0-9]\s*(h|hr|hrs|hours?|s|sec|secs|seconds?|min|mins|minutes?)\.?(\s|$)`
)

var (
	colon3Re = regexp.MustCompile(durColon3)
	colon2Re = regexp.MustCompile(durColon2)
)

// ClockSeconds reads a length of time written with colons ("4:25",
// "1:10.73", "2:03:59") as seconds, as durationExpr reads such a cell: the
// one reading of the notation, for text outside the data (a question).
func ClockSeconds(s string) (float64, bool) {
	num := func(x string) float64 { f, _ := strconv.ParseFloat(x, 64); return f }
	if m := colon3Re.FindStringSubmatch(s); m != nil {
		return num(m[1])*3600 + num(m[2])*60 + num(m[3]), true
	}
	if m := colon2Re.FindStringSubmatch(s); m != nil {
		return num(m[1])*60 + num(m[2]), true
	}
	return 0, false
}

// durationExpr reads v (lower-case, trimmed text) as seconds, NULL when it
// is not a duration.
func durationExpr(v string) string {
	g := func(re string, n int) string {
		return "TRY_CAST(regexp_extract(" + v + ", " + QuoteString(re) + ", " + strconv.Itoa(n) + ") AS DOUBLE)"
	}
	z := func(re string, n int) string { return "coalesce(" + g(re, n) + ", 0)" }
	m := func(re string) string { return "regexp_matches(" + v + ", " + QuoteString(re) + ")" }
	return "round(CASE WHEN " + m(durColon3) + " THEN " + g(durColon3, 1) + "*3600 + " + g(durColon3, 2) + "*60 + " + g(durColon3, 3) +
		" WHEN " + m(durColon2) + " THEN " + g(durColon2, 1) + "*60 + " + g(durColon2, 2) +
		" WHEN " + m(durPlain) + " THEN TRY_CAST(" + v + " AS DOUBLE)" +
		" WHEN " + m(durShaped) + " AND " + m(durUnits) + " THEN " + z(durUnits, 2) + "*3600 + " + z(durUnits, 5) + "*60 + " + z(durUnits, 8) +
		" END, 3)"
}

// unitNumRe is a number and the word after it: group 2 the number, group
// 4 the unit ("13,149 ft 4,009 m": 13,149 and ft).
const unitNumRe = `^([-+−]?[$€£]?)([0-9][0-9,]*(\.[0-9]+)?)\s*([A-Za-z%][A-Za-z²³]*)`

// unitOfSQL is the unit of v as UnitOf writes it (empty when v is not a
// number followed by a word).
func unitOfSQL(v string) string {
	u := "lower(regexp_extract(" + v + ", " + QuoteString(unitNumRe) + ", 4))"
	u = "regexp_replace(" + u + `, '^(st|nd|rd|th)$', 'th')`
	u = "regexp_replace(" + u + `, '^(..+)ies$', '\1y')`
	return "regexp_replace(" + u + `, '^(.+[^s])s$', '\1')`
}

// UnitOf is the unit word of a number followed by one, as the profile
// compares units: lower case, a plural's "s" dropped from words of three
// letters or more ("games" is "game", "pts" is "pt", "copies" is "copy";
// "ss" stays), the ordinal suffixes one unit ("1st", "2nd": "th").
func UnitOf(word string) string {
	u := strings.ToLower(word)
	switch u {
	case "st", "nd", "rd", "th":
		return "th"
	}
	if len(u) >= 5 && strings.HasSuffix(u, "ies") {
		return u[:len(u)-3] + "y"
	}
	if len(u) >= 3 && strings.HasSuffix(u, "s") && !strings.HasSuffix(u, "ss") {
		u = u[:len(u)-1]
	}
	return u
}

// placeholders are the cells tables write where a number is missing ("—"
// in a chart column, "DNF" for a time, "N/A"): they do not count against
// a column reading as numbers, and read as NULL.
var placeholders = []string{"-", "–", "—", "?", "n/a", "na", "n.a.", "tbd", "tba", "tbc", "dnf", "dns", "dsq", "dq", "dnq",
	"nil", "none", "unknown", "unmeasured", "unavailable", "not available", "x", "×", "*"}

func placeholderSQL(v string) string {
	q := make([]string, len(placeholders))
	for i, p := range placeholders {
		q[i] = QuoteString(p)
	}
	return "lower(" + v + ") IN (" + strings.Join(q, ", ") + ")"
}

// FormatDuration writes seconds as the tables write lengths of time:
// m:ss, or h:mm:ss from an hour, with the fraction of a second kept (to
// hundredths): 98 is "1:38", 70.73 is "1:10.73", 7439 is "2:03:59".
func FormatDuration(sec float64) string {
	if math.IsNaN(sec) || math.IsInf(sec, 0) {
		return ""
	}
	neg := sec < 0
	if neg {
		sec = -sec
	}
	cs := int64(math.Round(sec * 100)) // hundredths
	whole, frac := cs/100, cs%100
	h, m, s := whole/3600, whole/60%60, whole%60
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	if h > 0 {
		b.WriteString(strconv.FormatInt(h, 10) + ":")
		b.WriteString(pad2(m))
	} else {
		b.WriteString(strconv.FormatInt(m, 10))
	}
	b.WriteString(":" + pad2(s))
	if frac > 0 {
		f := pad2(frac)
		b.WriteString("." + strings.TrimSuffix(f, "0"))
	}
	return b.String()
}

func pad2(n int64) string {
	if n < 10 {
		return "0" + strconv.FormatInt(n, 10)
	}
	return strconv.FormatInt(n, 10)
}
