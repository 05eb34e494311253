// Package numfmt is the one way numbers are written for people: in every
// sentence the server writes and, through web/src/lib/format.ts (which
// follows the same rules and is tested against the same cases in
// testdata/cases.json), in the UI.
//
// Rules:
//   - years, identifiers and codes are labels: their digits as stored, never
//     a thousands separator (2014, 90210, 1000123);
//   - counts are integers with separators (12,345);
//   - other numbers are rounded by magnitude: at most 2 decimals from 10
//     up, 3 from 1, 4 below 1, trailing zeros dropped; scientific notation
//     (1.23e-5, 1.20e+21) below 0.0001 and from 10^15;
//   - shares are percentages with one decimal at most (12.3%, 50%, <0.1%);
//   - an estimate is marked: "about 229" in sentences, "≈ 229" in the UI.
package numfmt

import (
	"math"
	"regexp"
	"strconv"
	"strings"
)

// Role is how a column's numbers read.
type Role string

const (
	// Amount is a quantity: separators and rounding.
	Amount Role = "amount"
	// Label is a year, an identifier or a code: the digits as stored.
	Label Role = "label"
)

// Year range: an integer column whose name is year- or date-like and whose
// values all lie in it holds years. A column whose name says nothing of
// years ("Closed", "Season start") holds years when its integers take at
// least two values, all from MinUnnamedYear to MaxYear, and its name does
// not name an amount: calling 1,950 passengers a year costs a separator,
// calling a year an amount writes "2,015".
const (
	MinYear        = 1000
	MaxYear        = 2100
	MinUnnamedYear = 1800
)

var (
	// labelName marks a column whose numbers are identifiers or codes
	// whatever their range.
	labelName = regexp.MustCompile(`(?i)(^id$|_id$|^id_|\bid\b|uuid|^index$|^row_?num|code|zip|postal|postcode|phone|isbn|ean|upc|sku|fips|_no$|^no$|number$|_nr$)`)
	// yearName marks a column whose integers in MinYear..MaxYear are years.
	yearName = regexp.MustCompile(`(?i)(year|yr|season|date|period|decade|cohort|vintage|^fy|_fy$|fiscal|time|day|month|built|founded|born|birth)`)
	// amountName marks a column whose numbers are quantities even when
	// they all look like years.
	amountName = regexp.MustCompile(`(?i)(amount|total|sum|count|price|cost|revenue|sales|qty|quantity|balance|salary|income|population|votes|points|score|weight|height|length|distance|deposit|size|bytes|value|^n$|^n_|^num_|_num$)`)
)

// RoleFor decides how a column's numbers read, from its name, whether the
// dataset description calls it an identifier, and the range of its values
// (integer: every value is whole).
func RoleFor(name string, identifier bool, min, max float64, integer bool) Role {
	if identifier || labelName.MatchString(name) {
		return Label
	}
	if integer && yearName.MatchString(name) && (inRange(min, max, MinYear, MaxYear) ||
		inRange(min, max, MinYear*100+1, MaxYear*100+12) || inRange(min, max, MinYear*10000+101, MaxYear*10000+1231)) {
		return Label // 2014, 201403, 20140331
	}
	if integer && min < max && inRange(min, max, MinUnnamedYear, MaxYear) && !amountName.MatchString(name) {
		return Label
	}
	return Amount
}

func inRange(min, max, lo, hi float64) bool { return min >= lo && max <= hi }

// Value writes a number of a column with the given role.
func Value(f float64, r Role) string {
	if r != Label {
		return Number(f)
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatFloat(f, 'f', 0, 64)
	}
	return strings.ReplaceAll(Number(f), ",", "") // a mean year: 2013.4
}

// Count writes a count: an integer with thousands separators.
func Count(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	s = group(s)
	if neg {
		return "-" + s
	}
	return s
}

// Number writes a measure, rounded by its magnitude.
func Number(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "∞"
	case math.IsInf(f, -1):
		return "-∞"
	}
	abs := math.Abs(f)
	if abs != 0 && (abs >= 1e15 || abs < 1e-4) {
		return exponent(f)
	}
	d := decimals(abs)
	p := math.Pow(10, float64(d))
	r := math.Round(abs*p) / p
	s := strconv.FormatFloat(r, 'f', d, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	intPart, frac, _ := strings.Cut(s, ".")
	s = group(intPart)
	if frac != "" {
		s += "." + frac
	}
	if f < 0 && r != 0 {
		s = "-" + s
	}
	return s
}

// decimals is the number of decimals kept at a magnitude.
func decimals(abs float64) int {
	switch {
	case abs >= 10:
		return 2
	case abs >= 1:
		return 3
	}
	return 4
}

// exponent writes f as JavaScript's toExponential(2) does: 1.23e-5, 1.20e+21.
func exponent(f float64) string {
	s := strconv.FormatFloat(f, 'e', 2, 64) // 1.23e-05
	mant, exp, _ := strings.Cut(s, "e")
	sign := exp[:1]
	digits := strings.TrimLeft(exp[1:], "0")
	if digits == "" {
		digits = "0"
	}
	return mant + "e" + sign + digits
}

// group inserts a comma every three digits of an unsigned integer.
func group(s string) string {
	if len(s) <= 3 {
		return s
	}
	var b strings.Builder
	head := len(s) % 3
	if head > 0 {
		b.WriteString(s[:head])
	}
	for i := head; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

// Percent writes a share (0.123) as a percentage (12.3%): one decimal at
// most, "<0.1%" and ">99.9%" rather than a rounded 0% or 100%.
func Percent(share float64) string {
	if math.IsNaN(share) || math.IsInf(share, 0) {
		return "—"
	}
	p := share * 100
	switch {
	case p > 0 && p < 0.1:
		return "<0.1%"
	case p > 99.9 && p < 100:
		return ">99.9%"
	}
	r := math.Round(math.Abs(p)*10) / 10
	s := strings.TrimSuffix(strconv.FormatFloat(r, 'f', 1, 64), ".0")
	intPart, frac, _ := strings.Cut(s, ".")
	s = group(intPart)
	if frac != "" {
		s += "." + frac
	}
	if p < 0 && r != 0 {
		s = "-" + s
	}
	return s + "%"
}

// About marks an estimate in a sentence: "about 229".
func About(s string) string { return "about " + s }

// Approx marks an estimate in a table or a label: "≈ 229".
func Approx(s string) string { return "≈ " + s }

// Stat writes a statistic for a sentence, marked when it is an estimate.
func Stat(f float64, r Role, approx bool) string {
	s := Value(f, r)
	if approx {
		return About(s)
	}
	return s
}
