package builtin

import (
	"fmt"
	"math"
	"strings"

	"github.com/analyzerhq/analyzer/duck"
	"github.com/analyzerhq/analyzer/numfmt"
)

// A question shape is a matcher over a linked question and what it builds:
// the reading, the SQL and the sentence (Duckling writes its rules the same
// way). The table is ordered: the first shape that reads every word wins.
// Each shape lives in its own file (shape_*.go) with its tests.
type shape struct {
	name  string
	match func(l *linked) *plan
}

var shapeTable []shape

func init() {
	shapeTable = []shape{
		{"overview", matchOverview},
		{"only", matchOnly},
		{"same", matchSame},
		{"diff", matchDiff},
		{"yesno", matchYesNo},
		{"yesnonum", matchYesNoNumber},
		{"compare", matchCompare},
		{"modegroup", matchModeGroup},
		{"season", matchSeason},
		{"extremeday", matchExtremeDay},
		{"weathergroup", matchWeatherGroup},
		{"top", matchTop},
		{"pergroup", matchPerGroup},
		{"superlative", matchSuperlative},
		{"rank", matchRank},
		{"when", matchWhen},
		{"order", matchOrder},
		{"listed", matchListed},
		{"times", matchTimes},
		{"total", matchTotal},
		{"count", matchCount},
		{"filtered", matchFiltered},
		{"lookup", matchLookup},
	}
}

// plan is what a shape makes of a question.
type plan struct {
	auto bool   // answer with the auto-analysis
	desc string // the reading, for "Reading this as"
	sql  string
	// say writes the answer's sentence from the result: the key value
	// first, in bold.
	say func(res *duck.Result) string
	// needRow: an empty result means the question has no answer here
	// (nothing comes after V), told without a result table.
	needRow bool
	// bar titles a bar chart of the result's first two columns (a ranking),
	// drawn when it has two rows or more; "" for none.
	bar string
	// title: words of the question read as what the table is about
	// (title.go), and typos: misspellings read as words (typos.go); both
	// said with the reading.
	title string
	typos []typoFix
}

// readShapes returns the plan of the first shape that places every word
// of the question, or nil.
func readShapes(l *linked) (*plan, string) {
	for _, sh := range shapeTable {
		for i := range l.words {
			l.words[i].used = false
		}
		p := sh.match(l)
		if p != nil && len(l.unplaced()) == 0 {
			p.title, p.typos = l.title, l.typos
			return p, sh.name
		}
	}
	return nil, ""
}

// cond is one condition of a WHERE clause with its reading.
type cond struct {
	sql, desc string
}

// conditions reads every value named in the question that skip does not
// hold, and every comparison of a numeric column with a number, as
// conditions; ok is false when a value is ambiguous (two columns hold it).
func (l *linked) conditions(skip map[*valueLink]bool) ([]cond, bool) {
	out, ok := l.dateConds()
	if !ok {
		return nil, false
	}
	var prev *valueLink
	prevNeg, prevAt := false, -1
	for _, v := range l.vals {
		if skip[v] {
			continue
		}
		if v.col == nil && v.anyCol && len(v.cands) > 1 {
			out = append(out, v.eitherCond())
			for i := v.from; i < v.to; i++ {
				l.use(i)
			}
			continue
		}
		if v.col == nil {
			return nil, false
		}
		var lits []string
		for _, x := range v.values {
			lits = append(lits, duck.QuoteString(x))
		}
		// "rain or snow", "rain and snow" of one column: either value;
		// "not rain or snow": neither. An "or" between values of two
		// columns is not read (the conditions would be joined by AND).
		if prev != nil {
			joined, or := l.joinedBy(prev, v)
			if !joined && prev.col == v.col && !prevNeg && len(l.negated(v)) == 0 {
				return nil, false // "Year is 1988 and Year is 1993": no row could match
			}
			switch {
			case joined && prev.col == v.col:
				c := &out[prevAt]
				c.desc += " or " + v.label()
				if prevNeg {
					c.desc = strings.Replace(c.desc, " is not ", " is neither ", 1)
					c.desc = strings.Replace(c.desc, " or "+v.label(), " nor "+v.label(), 1)
				}
				all := append(append([]string{}, prev.values...), v.values...)
				prev = &valueLink{col: v.col, values: all, from: prev.from, to: v.to}
				var ls []string
				for _, x := range all {
					ls = append(ls, duck.QuoteString(x))
				}
				if prevNeg {
					c.sql = "coalesce(" + v.col.textExpr() + " NOT IN (" + strings.Join(ls, ", ") + "), true)"
				} else {
					c.sql = v.col.textExpr() + " IN (" + strings.Join(ls, ", ") + ")"
				}
				for i := v.from; i < v.to; i++ {
					l.use(i)
				}
				continue
			case or:
				return nil, false
			}
		}
		prev, prevNeg, prevAt = v, len(l.negated(v)) > 0, len(out)
		if neg := l.negated(v); len(neg) > 0 {
			l.use(neg...)
			out = append(out, cond{
				sql:  v.col.textExpr() + " IS DISTINCT FROM " + lits[0],
				desc: v.col.Name + " " + v.phrase(true),
			})
			if len(lits) > 1 {
				out[len(out)-1].sql = "coalesce(" + v.col.textExpr() + " NOT IN (" + strings.Join(lits, ", ") + "), true)"
			}
		} else {
			out = append(out, cond{
				sql:  v.col.textExpr() + " IN (" + strings.Join(lits, ", ") + ")",
				desc: v.col.Name + " " + v.phrase(false),
			})
		}
		for i := v.from; i < v.to; i++ {
			l.use(i)
		}
		if isWinnerColumn(v.col) {
			// "V won", "won by V": the verb is the winners' column.
			if v.to < len(l.words) && winVerbs[l.words[v.to].w] {
				l.use(v.to)
			} else if v.from >= 2 && l.words[v.from-1].w == "by" && winVerbs[l.words[v.from-2].w] {
				l.use(v.from-2, v.from-1)
			}
		}
		// "signed from the academy": the column's name just before its
		// value is read with it.
		for i := v.from - 1; i >= 0 && (l.words[i].col == v.col || l.words[i].w == "the") && l.words[i].val == nil; i-- {
			l.use(i)
		}
		// "in the n.d. miss. jurisdiction": and just after it.
		for i := v.to; i < len(l.words) && l.words[i].col == v.col && l.words[i].val == nil; i++ {
			l.use(i)
		}
	}
	out = append(out, l.emptyConds()...)
	for i, w := range l.words {
		op := cmpWordsL[w.w]
		if op == "" || w.used || w.col != nil || w.val != nil {
			continue
		}
		j := i + 1
		if j < len(l.words) && (l.words[i].w == "at" || l.words[i].w == "no") {
			op = map[string]string{"least": ">=", "most": "<=", "higher": "<=", "more": "<=", "lower": ">=", "less": ">="}[l.words[j].w]
			if op == "" {
				continue
			}
			j++
		}
		if j < len(l.words) && (l.words[j].w == "than" || l.words[j].w == "to") {
			j++
		}
		// "before the year 2000": the column named between.
		var named *column
		if k := j; timeCmp[w.w] && k+1 < len(l.words) && l.words[k].w == "the" && l.words[k+1].col != nil && l.words[k+1].col.isNumeric() {
			named = l.words[k+1].col
			for k++; k < len(l.words) && l.words[k].col == named; k++ {
			}
			if k < len(l.words) && l.words[k].isNum {
				for m := j; m < k; m++ {
					l.use(m)
				}
				j = k
			} else {
				named = nil
			}
		}
		if j >= len(l.words) || !l.words[j].isNum {
			continue
		}
		col := l.numericBefore(i)
		if named != nil {
			col = named
		}
		if col == nil && j+1 < len(l.words) && l.words[j+1].col != nil && l.words[j+1].col.isNumeric() && !l.words[j+1].used {
			// "less than 0.9 viewers": the column after the number.
			col = l.words[j+1].col
			for k := j + 1; k < len(l.words) && l.words[k].col == col; k++ {
				l.use(k)
			}
		}
		if col == nil && (w.w == "older" || w.w == "younger") {
			col = l.s.columnNamed([]string{"age"}) // "older than 25": the one age column
		}
		if col == nil && j+1 < len(l.words) && l.s.isUnit(l.words[j+1].w) {
			col = l.s.unitColumn(l.words[j+1].w) // "smaller than 10,000 km2": the one column in km2
		}
		col, num, shown, ok := l.durationOperand(col, i, j)
		if !ok {
			return nil, false
		}
		yearOf := false
		if col == nil && timeCmp[w.w] && yearNum(l.words[j].num) {
			// "transferred after 2010": the table's one column of years.
			if y := l.s.yearColumn(); y != nil {
				col, yearOf = y, y.isTemporal() || y.dateFmt != ""
			}
		}
		if col == nil {
			return nil, false
		}
		// The column and the words between it and the comparison
		// ("precipitation of at least 20", "wind was above 5").
		seen := false
		for k := i - 1; k >= 0; k-- {
			w := l.words[k]
			if w.col == col {
				seen = true
				l.use(k)
				continue
			}
			if seen || w.col != nil || w.val != nil || k < i-3 || !linkVerbs[w.w] {
				break
			}
			l.use(k)
		}
		l.use(i, i+1, j)
		if j+1 < len(l.words) && l.s.isUnit(l.words[j+1].w) {
			l.use(j + 1)
		}
		e, name := col.expr(), col.Name
		if yearOf {
			e, name = "year("+e+")", "the year of "+col.Name
		}
		if shown == "" {
			shown = numfmt.Number(num)
			if yearNum(num) && (yearOf || namesAny(col.words, []string{"year", "season"})) {
				shown = sqlNum(num) // a year: 1993, not 1,993
			}
		}
		if timeCmp[w.w] && i >= 2 && l.words[i-1].col == col && l.words[i-1].w == l.words[i-1].s && l.words[i-2].w == "the" &&
			yearNum(num) {
			// "made in the year before 1993": the one nearest year before
			// it in the data, not every year before.
			agg, near := "max", "the last year before "
			if op == ">" || op == ">=" {
				agg, near = "min", "the first year after "
			}
			// The conditions read so far hold in the subquery too ("Boston's
			// season before 2000": Boston's last one before it).
			in := ""
			for _, c := range out {
				in += c.sql + " AND "
			}
			out = append(out, cond{
				sql:  e + " = (SELECT " + agg + "(" + e + ") FROM " + table + " WHERE " + in + e + " " + op + " " + sqlNum(num) + ")",
				desc: name + " is " + near + shown,
			})
			continue
		}
		out = append(out, cond{
			sql:  e + " " + op + " " + sqlNum(num),
			desc: name + " " + opWords[op] + " " + shown,
		})
	}
	out = append(out, l.numberRanges()...)
	prevNum := -1
	// A number left over is a value of the one column that holds it, or
	// the year of the table's one date column ("how many days had rain in
	// 2014").
	numCols := map[*column]bool{}
	for i, w := range l.words {
		if w.used || !w.isNum || w.col != nil || w.val != nil {
			continue
		}
		switch {
		case w.decade:
			c := l.s.yearColumn()
			if c == nil {
				return nil, false
			}
			e := c.expr()
			if c.isTemporal() || c.dateFmt != "" {
				e = "year(" + e + ")"
			}
			out = append(out, cond{
				sql:  e + " BETWEEN " + sqlNum(w.num) + " AND " + sqlNum(w.num+9),
				desc: "the year of " + c.Name + " is in the " + sqlNum(w.num) + "s",
			})
			if i > 1 && l.words[i-1].w == "the" && l.words[i-2].w == "in" {
				l.use(i - 2)
			}
		case w.dur && w.numCol == nil:
			c, ok := l.durationValue(i)
			if !ok {
				return nil, false
			}
			out = append(out, c)
		case w.numCol != nil && prevNum >= 0 && l.words[prevNum].numCol == w.numCol && l.onlyJoiners(prevNum+1, i):
			// "2003 or 2007", "in 1998 and 2002": either value of the one
			// column, never both at once.
			c := &out[len(out)-1]
			c.sql = strings.TrimSuffix(strings.Replace(c.sql, " = ", " IN (", 1), ")") + ", " + duck.QuoteString(w.numVal) + ")"
			c.desc += " or " + w.numVal
			l.use(prevNum+1, i-1)
			prevNum = i
		case w.numCol != nil && numCols[w.numCol]:
			return nil, false // "Year is 1988 and Year is 1993": no row holds both
		case w.numCol != nil:
			numCols[w.numCol] = true
			out = append(out, cond{
				sql:  w.numCol.textExpr() + " = " + duck.QuoteString(w.numVal),
				desc: w.numCol.Name + " is " + w.numVal,
			})
			prevNum = i
		case w.num == math.Trunc(w.num) && w.num >= 1800 && w.num <= 2100 && l.s.dateColumn() != nil:
			d := l.s.dateColumn()
			out = append(out, cond{
				sql:  "year(" + d.expr() + ") = " + sqlNum(w.num),
				desc: "the year of " + d.Name + " is " + sqlNum(w.num),
			})
		default:
			continue
		}
		l.use(i)
		if i > 0 && (l.words[i-1].w == "in" || l.words[i-1].w == "of" || l.words[i-1].w == "from") {
			l.use(i - 1)
		}
	}
	return out, true
}

// onlyJoiners reports whether words from..to-1 are one "or"/"and".
func (l *linked) onlyJoiners(from, to int) bool {
	return to == from+1 && (l.words[from].w == "or" || l.words[from].w == "and") && !l.words[from].used
}

// numberRanges reads "from 1988 to 1993", "between 1988 and 1993", "1988
// through 1993": the rows whose value lies in the range, of the column
// holding both numbers, or the years of the table's one date column.
// Read one by one they were two values that no row holds at once.
func (l *linked) numberRanges() []cond {
	var out []cond
	num := func(i int) bool {
		w := l.words[i]
		return !w.used && w.isNum && w.col == nil && w.val == nil && !w.decade
	}
	for i := 0; i+3 < len(l.words); i++ {
		a, m, b := l.words[i+1], l.words[i+2].w, l.words[i+3]
		lead := l.words[i].w
		if !(lead == "between" && m == "and" || lead == "from" && (m == "to" || m == "through" || m == "until")) ||
			!num(i+1) || !num(i+3) || a.num >= b.num {
			continue
		}
		var c cond
		switch {
		case a.numCol != nil && a.numCol == b.numCol && a.numCol.isNumeric():
			c = cond{
				sql:  a.numCol.expr() + " BETWEEN " + sqlNum(a.num) + " AND " + sqlNum(b.num),
				desc: a.numCol.Name + " is from " + a.numVal + " to " + b.numVal,
			}
		case yearNum(a.num) && yearNum(b.num) && l.s.dateColumn() != nil:
			d := l.s.dateColumn()
			c = cond{
				sql:  "year(" + d.expr() + ") BETWEEN " + sqlNum(a.num) + " AND " + sqlNum(b.num),
				desc: "the year of " + d.Name + " is from " + sqlNum(a.num) + " to " + sqlNum(b.num),
			}
		default:
			continue
		}
		l.use(i, i+1, i+2, i+3)
		out = append(out, c)
	}
	return out
}

// emptyConds reads "no X", "without X", "(do) not have (any) X" of a
// column X as X being empty: the cell is missing or a dash, as tables
// write "none".
func (l *linked) emptyConds() []cond {
	var out []cond
	for i, w := range l.words {
		if w.used || w.col != nil || w.val != nil || !(w.w == "no" || w.w == "without" || w.w == "not") {
			continue
		}
		j := i + 1
		for j < len(l.words) && j <= i+3 && l.words[j].col == nil && l.words[j].val == nil &&
			(l.words[j].w == "have" || l.words[j].w == "has" || l.words[j].w == "any" || l.words[j].w == "a") {
			j++
		}
		if j >= len(l.words) || l.words[j].col == nil || l.words[j].used || w.w == "not" && j == i+1 {
			continue
		}
		c := l.words[j].col
		k := j
		for k < len(l.words) && l.words[k].col == c {
			k++
		}
		if k < len(l.words) && l.words[k].w == "the" {
			k++
		}
		if k < len(l.words) && l.words[k].val != nil {
			continue // "not signed from the academy": a value, negated
		}
		l.use(i)
		for k := i + 1; k < len(l.words) && (k < j || l.words[k].col == c); k++ {
			l.use(k)
		}
		if k := j; k < len(l.words) {
			for k < len(l.words) && l.words[k].col == c {
				k++
			}
			if k < len(l.words) && (l.words[k].w == "listed" || l.words[k].w == "given" || l.words[k].w == "shown") {
				l.use(k)
			}
		}
		if c.isNumeric() {
			// "no goals" on a number is 0 goals; an empty cell is read
			// with it, as tables leave a count of none blank.
			out = append(out, cond{
				sql:  "coalesce(" + c.expr() + " = 0, true)",
				desc: c.Name + " is zero or empty",
			})
			continue
		}
		out = append(out, cond{
			sql:  "coalesce(trim(" + c.textExpr() + ") IN ('', '—', '–', '-'), true)",
			desc: c.Name + " is empty",
		})
	}
	return out
}

// negated returns the words that negate value v ("not played at V",
// "other than V", "except V"), or nil.
func (l *linked) negated(v *valueLink) []int {
	i := v.from - 1
	var skipped []int
	for i >= 0 && (l.words[i].w == "at" || l.words[i].w == "in" || l.words[i].w == "by" || l.words[i].w == "from" ||
		l.words[i].w == "the" || l.words[i].w == "for" || l.words[i].w == "on" || placeVerbs[l.words[i].w] ||
		l.words[i].col != nil && l.words[i].col == v.col) &&
		l.words[i].val == nil && (l.words[i].col == nil || l.words[i].col == v.col) && len(skipped) < 4 {
		skipped = append(skipped, i)
		i--
	}
	if i < 0 || l.words[i].col != nil || l.words[i].val != nil || l.words[i].used {
		return nil
	}
	switch l.words[i].w {
	case "not", "except", "excluding", "besides":
		return append(skipped, i)
	case "than":
		if i > 0 && l.words[i-1].w == "other" {
			return append(skipped, i, i-1)
		}
	}
	return nil
}

// placeVerbs say where or by whom a row happened, without a condition of
// their own: "played at V", "held in V", "released by V".
var placeVerbs = set("played", "held", "released", "located", "born", "made", "built", "hosted", "staged", "recorded")

// dateColumn is the table's one date column, or nil.
func (s *schema) dateColumn() *column {
	var d *column
	for _, c := range s.cols {
		if c.isTemporal() || c.dateFmt != "" {
			if d != nil {
				return nil
			}
			d = c
		}
	}
	return d
}

// yearColumn is the table's one column of years: a numeric column named
// for years, else its one date column.
func (s *schema) yearColumn() *column {
	var y *column
	for _, c := range s.cols {
		if c.kind == duck.KindNumeric && len(c.words) > 0 && (c.words[0] == "year" || c.words[len(c.words)-1] == "year") {
			if y != nil {
				return nil
			}
			y = c
		}
	}
	if y != nil {
		return y
	}
	return s.dateColumn()
}

// numericBefore is the numeric column named just before word i.
func (l *linked) numericBefore(i int) *column {
	for k := i - 1; k >= 0 && k >= i-3; k-- {
		if c := l.words[k].col; c != nil {
			if c.isNumeric() {
				return c
			}
			return nil
		}
	}
	return nil
}

// timeCmp are the comparison words of time ("after 2010"); yearNum reads a
// number as a year (1800 to 2100).
// Only words of cmpWordsL reach it: "since" and "until" are not read as
// comparisons, so a question with them is declined; "prior to" and
// "previous to" are read as "before" (linkWords).
var timeCmp = set("after", "before", "later", "earlier")

func yearNum(f float64) bool { return f == math.Trunc(f) && f >= 1800 && f <= 2100 }

// linkVerbs stand between a column and its comparison without a meaning
// of their own.
var linkVerbs = set("of", "is", "was", "are", "were", "be", "been", "that", "which")

// cmpWordsL are the words of a comparison with a number.
var cmpWordsL = map[string]string{
	"above": ">", "over": ">", "more": ">", "greater": ">", "higher": ">", "larger": ">", "exceeding": ">",
	"exceeds": ">", "exceeded": ">", "exceed": ">", "surpasses": ">", "surpassed": ">", "surpassing": ">",
	"below": "<", "under": "<", "less": "<", "fewer": "<", "lower": "<", "smaller": "<",
	"after": ">", "before": "<", "longer": ">", "shorter": "<", "taller": ">", "bigger": ">", "heavier": ">", "lighter": "<",
	"beyond": ">", "later": ">", "earlier": "<", "older": ">", "younger": "<",
	"at": "=", "no": "=",
}

var opWords = map[string]string{">": "above", ">=": "at least", "<": "below", "<=": "at most", "=": "equal to"}

var units = set("ft", "feet", "m", "km", "km2", "km²", "kilometers", "kilometres", "sq", "cm", "mm", "k", "mhz", "ghz",
	"kg", "lbs", "mi", "miles", "meters", "metres", "points", "people", "years", "days", "hours", "seconds",
	"minutes", "laps", "goals", "votes")

// unitNames maps a unit as written in a question to its abbreviation in
// column names ("Distance (km)").
var unitNames = map[string]string{"kilometers": "km", "kilometres": "km", "feet": "ft", "meters": "m", "metres": "m",
	"miles": "mi", "km²": "km2", "kilograms": "kg"}

// unitColumn is the one numeric column whose name carries unit u, or nil.
func (s *schema) unitColumn(u string) *column {
	if a, ok := unitNames[u]; ok {
		u = a
	}
	var found *column
	for _, c := range s.cols {
		if !c.isNumeric() || c.isCategory() {
			continue
		}
		for _, w := range c.words {
			if w == u || c.unit != "" && c.unit == duck.UnitOf(u) {
				if found != nil && found != c {
					return nil
				}
				found = c
			}
		}
	}
	return found
}

func sqlNum(f float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%f", f), "0"), ".")
}

func whereOf(cs []cond) (string, string) {
	if len(cs) == 0 {
		return "", ""
	}
	var s, d []string
	for _, c := range cs {
		s = append(s, c.sql)
		if c.desc != "" {
			d = append(d, c.desc)
		}
	}
	if len(d) == 0 {
		return " WHERE " + strings.Join(s, " AND "), ""
	}
	return " WHERE " + strings.Join(s, " AND "), " where " + strings.Join(d, " and ")
}

// cellText writes a result cell of column c for a sentence.
func cellText(c *column, v any) string {
	if f, ok := duck.ToFloat(v); ok && c.dur {
		return duck.FormatDuration(f) // as the table writes lengths of time
	}
	if f, ok := duck.ToFloat(v); ok && c.unit != "" && c.unit != "th" && len(c.unit) <= 3 {
		// "36 t", "397 ft": the number with the unit its column writes
		// (short units only: "game" would need its plural).
		return numfmt.Value(f, c.role()) + " " + c.unit
	}
	switch x := v.(type) {
	case nil:
		return "(empty)"
	case float64:
		return numfmt.Value(x, c.role())
	case int64:
		return numfmt.Value(float64(x), c.role())
	case int32:
		return numfmt.Value(float64(x), c.role())
	case int:
		return numfmt.Value(float64(x), c.role())
	}
	return fmt.Sprint(v)
}

func (c *column) role() numfmt.Role {
	if c.numRole != "" {
		return c.numRole
	}
	return numfmt.Amount
}

func firstRow(res *duck.Result) []any {
	if res == nil || len(res.Rows) == 0 {
		return nil
	}
	return res.Rows[0]
}

// joinedBy reports whether only "or"/"and" (and "either", "both") stand
// between values a and b, marking those words read when a and b are of one
// column; or reports an "or" between them.
func (l *linked) joinedBy(a, b *valueLink) (joined, or bool) {
	if b.from < a.to {
		return false, false
	}
	var between []int
	for i := a.to; i < b.from; i++ {
		switch l.words[i].w {
		case "or", "nor":
			or = true
		case "and":
		default:
			return false, false
		}
		between = append(between, i)
	}
	if len(between) == 0 {
		return false, false
	}
	if a.col == b.col {
		l.use(between...)
	}
	return true, or
}

// tiedRows says that the first rows of a ranking (key, measure, … sorted
// by the measure) share the leading value, naming every one of them the
// result holds; "" when the first row leads alone. Naming one of tied
// rows as "the highest" is a confident answer the data does not give.
func tiedRows(res *duck.Result, word string, key, measure *column) string {
	if res == nil || len(res.Rows) < 2 {
		return ""
	}
	lead := cellText(measure, res.Rows[0][1])
	var names []string
	for _, r := range res.Rows {
		if cellText(measure, r[1]) != lead {
			break
		}
		names = append(names, cellText(key, r[0]))
	}
	if len(names) < 2 {
		return ""
	}
	who := itoa(len(names))
	if len(names) == len(res.Rows) && len(res.Rows) >= 10 {
		who = "At least " + who // the ranking was cut at its limit
	}
	return who + " rows share the " + word + " " + measure.Name + " (" + lead + "): " + andList(names) + "."
}

// eitherCond is a value held by several columns read as any of them:
// "cuttack" of a District and a Headquarters column, where the row asked
// for is the one either names.
func (v *valueLink) eitherCond() cond {
	var sqls, names []string
	for _, c := range v.cands {
		var lits []string
		for _, x := range v.byCol[c] {
			lits = append(lits, duck.QuoteString(x))
		}
		sqls = append(sqls, c.textExpr()+" IN ("+strings.Join(lits, ", ")+")")
		names = append(names, c.Name)
	}
	return cond{sql: "(" + strings.Join(sqls, " OR ") + ")", desc: orList(names) + " is " + v.byCol[v.cands[0]][0]}
}
