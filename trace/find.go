package trace

import (
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// found is a number as scanned, before matching.
type found struct {
	start, end int
	value      float64 // units applied
	// unit is the precision of the figure as written, in the units of
	// value: 0.01 for "19.86", 100 for "4.4k", 0.1 for "12.3%".
	unit     float64
	decimals int
	percent  bool
	mult     float64 // 1, 1e3, 1e6, …
	currency bool
	signed   bool // written with a minus sign
	// denominator: the whole of "40 of 600", "12 out of 50".
	denominator bool
	grouped     bool // written with thousands separators
	exponent    bool
	digits      string // the integer part's digits
}

// integer reports whether the figure is a plain whole number.
func (f *found) integer() bool {
	return f.decimals == 0 && !f.percent && f.mult == 1 && !f.exponent
}

// year reports whether the figure reads as a year: four digits from 1000
// to 2100 with nothing around them.
func (f *found) year() bool {
	return f.integer() && !f.grouped && !f.currency && !f.signed && len(f.digits) == 4 && f.value >= 1000 && f.value <= 2100
}

var currencies = []string{"$", "€", "£", "¥", "₹"}

const minus = "−" // U+2212

// Suffixes that multiply, longest first; words take a space before them.
var multipliers = []struct {
	s    string
	m    float64
	word bool
}{
	{"trillion", 1e12, true}, {"billion", 1e9, true}, {"million", 1e6, true}, {"thousand", 1e3, true},
	{"bn", 1e9, false}, {"mn", 1e6, false}, {"tn", 1e12, false},
	{"k", 1e3, false}, {"K", 1e3, false}, {"M", 1e6, false}, {"B", 1e9, false}, {"T", 1e12, false},
}

func isWordByte(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' }

func runeBefore(s string, i int) rune {
	if i <= 0 {
		return 0
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return r
}

func runeAt(s string, i int) rune {
	if i >= len(s) {
		return 0
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return r
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// scan finds every number-shaped token of s, with its units.
func scan(s string) []found {
	var out []found
	for i := 0; i < len(s); {
		f, next, ok := scanAt(s, i)
		if ok {
			out = append(out, f)
			i = next
			continue
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return out
}

// scanAt reads a number starting at i (its sign, currency or first digit).
func scanAt(s string, i int) (found, int, bool) {
	f := found{start: i, mult: 1}
	if prev := runeBefore(s, i); isWordByte(prev) || prev == '.' || prev == '#' || prev == '/' || prev == ':' || prev == '@' || prev == '\\' {
		return f, 0, false
	}
	j := i
	// A sign: '-' or '−', not after a word (a range "2012-2015" is no negative).
	if strings.HasPrefix(s[j:], "-") {
		j++
		f.signed = true
	} else if strings.HasPrefix(s[j:], minus) {
		j += len(minus)
		f.signed = true
	}
	for _, c := range currencies {
		if strings.HasPrefix(s[j:], c) {
			j += len(c)
			f.currency = true
			break
		}
	}
	if !f.signed && f.currency && (strings.HasPrefix(s[j:], "-") || strings.HasPrefix(s[j:], minus)) {
		f.signed = true // $-5
		if s[j] == '-' {
			j++
		} else {
			j += len(minus)
		}
	}
	if j >= len(s) || !(isDigit(s[j]) || s[j] == '.' && j+1 < len(s) && isDigit(s[j+1])) {
		return f, 0, false
	}
	// The integer part, grouped by commas when every group has three digits.
	k := j
	for k < len(s) && isDigit(s[k]) {
		k++
	}
	digits := s[j:k]
	if k-j <= 3 && k-j > 0 {
		g := k
		for g+3 < len(s) && s[g] == ',' && isDigit(s[g+1]) && isDigit(s[g+2]) && isDigit(s[g+3]) && (g+4 == len(s) || !isDigit(s[g+4])) {
			digits += s[g+1 : g+4]
			g += 4
		}
		if g > k {
			f.grouped = true
			k = g
		}
	}
	frac := ""
	if k+1 < len(s) && s[k] == '.' && isDigit(s[k+1]) {
		e := k + 1
		for e < len(s) && isDigit(s[e]) {
			e++
		}
		frac = s[k+1 : e]
		k = e
	}
	exp := 0
	if k+1 < len(s) && (s[k] == 'e' || s[k] == 'E') {
		e := k + 1
		if e < len(s) && (s[e] == '+' || s[e] == '-') {
			e++
		}
		d := e
		for d < len(s) && isDigit(s[d]) {
			d++
		}
		if d > e && !isWordByte(runeAt(s, d)) {
			exp, _ = strconv.Atoi(s[k+1 : d])
			f.exponent = true
			k = d
		}
	}
	num, err := strconv.ParseFloat(digitsOr0(digits)+"."+frac+"0", 64)
	if err != nil {
		return f, 0, false
	}
	f.digits, f.decimals = digits, len(frac)
	unit := math.Pow(10, float64(exp-len(frac)))
	num *= math.Pow(10, float64(exp))

	// Units after the number.
	end := k
	rest := s[k:]
	switch {
	case strings.HasPrefix(rest, "%"):
		f.percent, end = true, k+1
	case strings.HasPrefix(rest, " %"):
		f.percent, end = true, k+2
	case hasWord(rest, " percent"):
		f.percent, end = true, k+len(" percent")
	case hasWord(rest, " per cent"):
		f.percent, end = true, k+len(" per cent")
	default:
		for _, m := range multipliers {
			p := m.s
			if m.word {
				p = " " + p
			}
			if hasWord(rest, p) {
				f.mult, end = m.m, k+len(p)
				break
			}
		}
	}
	// Glued to a word: an ordinal (5th), a code (3x, 10am), a file (2024.csv).
	if r := runeAt(s, end); unicode.IsLetter(r) || r == '_' || unicode.IsDigit(r) {
		return f, 0, false
	}
	if end+1 < len(s) && s[end] == '.' && unicode.IsLetter(runeAt(s, end+1)) {
		return f, 0, false
	}
	f.value = num * f.mult
	f.unit = unit * f.mult
	if f.signed {
		f.value = -f.value
	}
	f.end = end
	return f, end, true
}

func digitsOr0(d string) string {
	if d == "" {
		return "0"
	}
	return d
}

// hasWord reports whether s starts with w followed by no letter.
func hasWord(s, w string) bool {
	if !strings.HasPrefix(s, w) {
		return false
	}
	r := runeAt(s, len(w))
	return !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

// ---- what is not a figure ---------------------------------------------------

var (
	codeFence  = regexp.MustCompile("(?s)(```|~~~).*?(```|~~~|$)")
	codeSpan   = regexp.MustCompile("`[^`\n]*`")
	linkTarget = regexp.MustCompile(`\]\([^)\s]*\)|https?://\S+`)
	listMarker = regexp.MustCompile(`(?m)^[ \t]*(?:#{1,6}[ \t]+)?\d{1,3}[.)][ \t]`)
	dates      = []*regexp.Regexp{
		regexp.MustCompile(`\b\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?`),
		regexp.MustCompile(`\b\d{4}-(?:0[1-9]|1[0-2])\b`),
		regexp.MustCompile(`\b\d{4}/\d{1,2}(?:/\d{1,2})?\b`),
		regexp.MustCompile(`\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b`),
		regexp.MustCompile(`\b\d{1,2}/\d{4}\b`),
		regexp.MustCompile(`(?i)\b\d{1,2}:\d{2}(?::\d{2})?(?:\s?[ap]\.?m\b\.?)?`),
		regexp.MustCompile(`(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?\b(?:,?\s+\d{4}\b)?`),
		regexp.MustCompile(`(?i)\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b\.?(?:,?\s+\d{4}\b)?`),
		regexp.MustCompile(`(?i)\b(?:week|wk|day|month|quarter)\s+\d{1,2}\b`),
		regexp.MustCompile(`(?i)\b(?:19|20)\d{2}s\b|'\d{2}s?\b`),
	}
	// A number after these words is a rank or a position, not a figure.
	before = regexp.MustCompile(`(?i)(?:\b(?:top|bottom|first|last|best|worst|next|previous|page|step|rank|ranked|no\.|number|version|chapter|section|figure|table|query|result|chart|row|column|line|item|option|level|grade|class|group|id|code|zip)\s*[-#]?\s*|#\s*)$`)
	// A number before these words counts the answer's own parts.
	after       = regexp.MustCompile(`(?i)^\s*(?:columns?|tables?|charts?|plots?|quer(?:y|ies)|results?|decimals?|decimal places|digits?|dimensions?|fields?|steps?|tool|bins?|buckets?|sig(?:nificant)? figs?)\b`)
	ofWhole     = regexp.MustCompile(`\d\**\s+(?:out\s+)?of\s+(?:all\s+|the\s+)?$`)
	wordRe      = regexp.MustCompile(`[a-z]+`)
	looseNumber = regexp.MustCompile(`\d+(?:,\d{3})*(?:\.\d+)?`)
	cutQuote    = regexp.MustCompile(`“([^”]*[0-9][^”]*)…”`)
	// Approximate figures are rounded further than their last digit.
	approx = regexp.MustCompile(`(?i)(?:\b(?:about|around|roughly|approximately|approx\.?|nearly|almost|some|over|under|more than|less than|fewer than|close to|upwards of|just over|just under)\s+|[~≈]\s*)$`)
)

// Find returns the figures of text (without their sources): the numbers a
// reader takes for facts, in order.
func Find(text string, in Input) []Figure {
	fs := find(text, in)
	out := make([]Figure, len(fs))
	for i, f := range fs {
		out[i] = Figure{Start: f.start, End: f.end, Text: text[f.start:f.end], Value: f.value}
	}
	return out
}

func find(text string, in Input) []found {
	masked := make([]bool, len(text))
	mask := func(a, b int) {
		for i := max(a, 0); i < min(b, len(text)); i++ {
			masked[i] = true
		}
	}
	for _, re := range append([]*regexp.Regexp{codeFence, codeSpan, linkTarget}, dates...) {
		for _, m := range re.FindAllStringIndex(text, -1) {
			mask(m[0], m[1])
		}
	}
	for _, m := range listMarker.FindAllStringIndex(text, -1) {
		mask(m[0], m[1])
	}
	// Column names and text values holding digits are labels.
	lower := strings.ToLower(text)
	if len(lower) == len(text) {
		for _, label := range labels(in) {
			l := strings.ToLower(label)
			for off := 0; ; {
				i := strings.Index(lower[off:], l)
				if i < 0 {
					break
				}
				a := off + i
				b := a + len(l)
				if !isWordByte(runeBefore(text, a)) && !isWordByte(runeAt(text, b)) {
					mask(a, b)
				}
				off = b
			}
		}
	}
	// A text value quoted cut short ("“29 episodes Screen Actors…”", as a
	// finding quotes a long one) is a label too when a cell starts so.
	for _, m := range cutQuote.FindAllStringSubmatchIndex(text, -1) {
		if startsACell(in, text[m[2]:m[3]]) {
			mask(m[0], m[1])
		}
	}
	asked := map[float64]bool{}
	for _, q := range scan(in.Question) {
		asked[q.value] = true
		asked[math.Abs(q.value)] = true
	}
	for _, w := range wordRe.FindAllString(strings.ToLower(in.Question), -1) {
		if v, ok := numberWords[w]; ok {
			asked[v] = true
		}
	}
	// Digits glued to words or punctuation count too: "15km", "5:00".
	for _, d := range looseNumber.FindAllString(in.Question, -1) {
		if v, err := strconv.ParseFloat(strings.ReplaceAll(d, ",", ""), 64); err == nil {
			asked[v] = true
		}
	}

	all := scan(text)
	var out []found
	for n, f := range all {
		if masked[f.start] || masked[f.end-1] {
			continue
		}
		// A range takes the units of its end: "10–20%", "$1–2M".
		if n+1 < len(all) && !f.percent && f.mult == 1 {
			nx := all[n+1]
			if sep := text[f.end:nx.start]; isRangeSep(sep) && (nx.percent || nx.mult != 1) {
				f.percent = nx.percent
				f.value *= nx.mult
				f.unit *= nx.mult
				f.mult = nx.mult
			}
		}
		if f.year() {
			continue
		}
		// "2012–15": the end of a range of years.
		if n > 0 && all[n-1].year() && len(f.digits) == 2 && f.integer() && isRangeSep(text[all[n-1].end:f.start]) {
			continue
		}
		head := text[max(0, f.start-40):f.start]
		f.denominator = ofWhole.MatchString(head)
		if before.MatchString(head) || after.MatchString(text[f.end:min(len(text), f.end+40)]) {
			continue
		}
		if asked[f.value] || asked[math.Abs(f.value)] {
			continue
		}
		if approx.MatchString(head) && f.decimals == 0 && !f.exponent {
			// "about 4,400": rounded to its last non-zero digit.
			z := len(f.digits) - len(strings.TrimRight(f.digits, "0"))
			if z > 0 && z < len(f.digits) {
				f.unit = math.Max(f.unit, math.Pow(10, float64(z))*f.mult)
				if f.percent {
					f.unit = math.Max(f.unit, math.Pow(10, float64(z)))
				}
			}
		}
		out = append(out, f)
	}
	return out
}

// numberWords are the numbers a question may spell out ("above three").
var numberWords = map[string]float64{
	"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
	"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
	"seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
	"sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
}

func isRangeSep(s string) bool {
	t := strings.TrimSpace(s)
	return t == "-" || t == "–" || t == "—" || t == "to"
}

// startsACell reports a text cell of the results that begins with prefix
// (case aside).
func startsACell(in Input, prefix string) bool {
	p := strings.ToLower(strings.TrimSpace(prefix))
	if p == "" {
		return false
	}
	for _, r := range in.Results {
		for _, row := range r.Rows {
			for _, c := range row {
				if s, ok := c.(string); ok && strings.HasPrefix(strings.ToLower(s), p) {
					return true
				}
			}
		}
	}
	return false
}

// maxLabels bounds the text values looked for in an answer.
const maxLabels = 5000

// labels are the column names and text values of the input that hold
// digits: a number inside one is part of a name.
func labels(in Input) []string {
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		s = strings.TrimSpace(s)
		if s == "" || len(s) > 200 || seen[s] || !strings.ContainsAny(s, "0123456789") || len(out) >= maxLabels {
			return
		}
		seen[s] = true
		out = append(out, s)
	}
	for _, c := range in.Columns {
		add(c)
	}
	for _, r := range in.Results {
		for _, c := range r.Columns {
			add(c)
		}
		for _, row := range r.Rows {
			for _, c := range row {
				if s, ok := c.(string); ok {
					if _, num := cellNumber(s); !num {
						add(s)
					}
				}
			}
		}
	}
	// Longer labels first, so that "Q1 2023 sales" masks before "Q1".
	sortByLen(out)
	return out
}

func sortByLen(ss []string) {
	sort.SliceStable(ss, func(i, j int) bool { return len(ss[i]) > len(ss[j]) })
}
