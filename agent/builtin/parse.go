package builtin

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/analyzerhq/analyzer/duck"
)

// aggFn is an aggregate the grammar knows.
type aggFn string

const (
	aggSum           aggFn = "sum"
	aggAvg           aggFn = "avg"
	aggMin           aggFn = "min"
	aggMax           aggFn = "max"
	aggMedian        aggFn = "median"
	aggCount         aggFn = "count"
	aggCountDistinct aggFn = "count_distinct"
	aggStddev        aggFn = "stddev"
	aggVar           aggFn = "variance"
)

// qkind is the shape of an answer.
type qkind int

const (
	qAgg          qkind = iota // aggregates, optionally by groups
	qTime                      // aggregates per period of a date column
	qRows                      // rows, filtered and ordered
	qDescribe                  // summary statistics of one column
	qDistribution              // histogram or value counts
	qCorrelation               // correlation of two numeric columns
	qCorrMatrix                // correlations of every numeric pair
	qValues                    // distinct values with their counts
	qColumns                   // the schema
	qMissing                   // missing values, per column or of one
	qDuplicates                // duplicate rows
	qOverview                  // the auto-analysis
)

// measure is one aggregate of a query; col is nil for count(*).
type measure struct {
	fn  aggFn
	col *column
	// noun names the rows a count counts ("flights"), "" for "rows".
	noun string
}

// filter is one condition of a WHERE clause.
type filter struct {
	col   *column
	op    string // = != > >= < <= contains null notnull between
	text  string // = != contains: the word as written
	num   float64
	num2  float64 // between: the upper bound
	isNum bool
	date  string // an ISO date compared with a date column
	year  bool   // num is a year compared with a date column's year
}

// query is what a question asks, in terms of the dataset's columns.
type query struct {
	kind     qkind
	measures []measure
	groups   []*column
	grain    string  // qTime: year quarter month week day hour, "" for automatic
	dateCol  *column // qTime
	filters  []filter
	dir      int // 1: highest first, -1: lowest first, 0: natural order
	limit    int // 0: no limit
	orderCol *column
	cols     []*column // qDescribe, qDistribution, qValues, qMissing, qCorrelation
	explicit bool      // limit or direction came from the question
	common   bool      // "most common": rows by group, the first one named
	// exclude are conditions every aggregate keeps: a table's own total
	// row left out.
	exclude []string
}

// parseError is a question the grammar could not read, with what to tell
// the user about it.
type parseError struct {
	msg string
	// unknown: the words the older grammar could not place, which the
	// linker may have placed (answer.go says only the ones neither did).
	unknown []string
}

func (e *parseError) Error() string { return e.msg }

// aggMention is an aggregate named in the question.
type aggMention struct {
	fn       aggFn
	col      *column
	selfCol  *column // the aggregate word is itself a column's name ("total")
	distinct bool
	rows     bool // "how many rows"
}

type topMention struct {
	set    bool
	dir    int
	n      int
	common bool // most/least common: by count
}

// scan is what the question mentions, before it is resolved into a query.
type scan struct {
	aggs     []aggMention
	groups   []*column
	grain    string
	grainCol *column
	grainSet bool
	orderBy  *aggMention
	top      topMention
	filters  []filter
	bare     []*column
	weak     []*column // column names that are also common words
	unknown  []string
	amb      []token
	hints    map[string]bool
	limitN   int
	sortDir  int
}

type parser struct {
	toks []token
	i    int
	s    *schema
	sc   scan
}

// parse turns a question into a query, or explains why it cannot.
func parse(question string, s *schema) (*query, *parseError) {
	q := strings.TrimSpace(question)
	if q == "" {
		return nil, &parseError{msg: "The question is empty."}
	}
	if len([]rune(q)) > maxQuestion {
		return nil, &parseError{msg: "That question is longer than I can read; please ask it in a sentence or two."}
	}
	toks := tokenize(q)
	noun := ""
	for i, t := range toks {
		// A plural naming the table's rows ("flights" of flights.csv) is
		// the rows, never the start of a column's name ("flight_date").
		if !t.quoted && !t.isNum && t.w != t.s && s.rowNoun(t.s) {
			noun = t.w
			toks[i].w, toks[i].s = "rows", "row"
		}
	}
	toks = matchColumns(toks, s.cols)
	p := &parser{toks: toks, s: s, sc: scan{hints: map[string]bool{}}}
	p.run()
	qr, err := p.resolve()
	if qr != nil && noun != "" {
		for i := range qr.measures {
			if qr.measures[i].col == nil {
				qr.measures[i].noun = noun
			}
		}
	}
	return qr, err
}

func (p *parser) at(k int) *token {
	if p.i+k < 0 || p.i+k >= len(p.toks) {
		return nil
	}
	return &p.toks[p.i+k]
}

// is reports whether the token at offset k is one of words (its w).
func (p *parser) is(k int, words ...string) bool {
	t := p.at(k)
	if t == nil || t.quoted {
		return false
	}
	for _, w := range words {
		if t.w == w {
			return true
		}
	}
	return false
}

func (p *parser) inSet(k int, set map[string]bool) bool {
	t := p.at(k)
	return t != nil && !t.quoted && set[t.w]
}

// colAt returns the column named at offset k, if any.
func (p *parser) colAt(k int) *column {
	t := p.at(k)
	if t == nil {
		return nil
	}
	return t.col
}

func (p *parser) run() {
	for p.i < len(p.toks) {
		start := p.i
		if p.phrase() {
			if p.i <= start {
				p.i = start + 1 // never loop
			}
			continue
		}
		t := p.toks[p.i]
		switch {
		case t.amb != nil:
			p.sc.amb = append(p.sc.amb, t)
		case t.col != nil:
			if t.span == 1 && (fillers[t.w] || isReserved(t.w)) {
				p.sc.weak = append(p.sc.weak, t.col)
			} else {
				p.sc.bare = append(p.sc.bare, t.col)
			}
		case t.punct || fillers[t.w]:
		case typeWords[t.w] && p.i > 0 && p.toks[p.i-1].col != nil && p.toks[p.i-1].col.isCategory():
		case p.knownValue():
			continue
		case t.quoted:
			p.sc.unknown = append(p.sc.unknown, `"`+t.raw+`"`)
		default:
			p.sc.unknown = append(p.sc.unknown, t.raw)
		}
		p.i++
	}
}

// knownValue reads a word that is one of a column's values ("West" in
// "average price in the West region") as an equality filter. Only values
// the profile knows to be all of a column's values count, and only when a
// single column has that value.
func (p *parser) knownValue() bool {
	for n := 3; n >= 1; n-- {
		if p.i+n > len(p.toks) {
			continue
		}
		var words []string
		ok := true
		for _, t := range p.toks[p.i : p.i+n] {
			if t.op != "" || t.punct || t.date != "" || (t.col != nil && n > 1) {
				ok = false
				break
			}
			words = append(words, t.raw)
		}
		if !ok {
			continue
		}
		key := strings.ToLower(strings.Join(words, " "))
		var col *column
		var val string
		for _, c := range p.s.cols {
			if v, found := c.values[key]; found {
				if col != nil {
					return false // several columns have it: ambiguous
				}
				col, val = c, v
			}
		}
		if col == nil {
			continue
		}
		p.sc.filters = append(p.sc.filters, filter{col: col, op: "=", text: val})
		p.i += n
		// "the West region": the column named beside its value is part of it.
		if p.colAt(0) == col {
			p.i++
		} else if k := len(p.sc.bare); k > 0 && p.sc.bare[k-1] == col && p.i-n-1 >= 0 && p.toks[p.i-n-1].col == col {
			p.sc.bare = p.sc.bare[:k-1]
		}
		return true
	}
	return false
}

// phrase tries each recognizer at the current position.
func (p *parser) phrase() bool {
	return p.condition() || p.overTime() || p.group() || p.order() || p.top() || p.aggregate() || p.yearFilter() || p.hint()
}

// ---- conditions -------------------------------------------------------

// condition reads "COL op VALUE" wherever a column is followed by a
// comparison, and "where|with|whose|when|if|for COL is VALUE" (an equality
// needs its introducer: "which region is most common" is no filter).
func (p *parser) condition() bool {
	intro := 0
	if p.is(0, "where", "with", "whose", "when", "if", "having", "for", "filter", "filtered", "only", "among") {
		intro = 1
		if p.is(1, "which", "rows", "records", "the") {
			intro = 2
		}
		if p.is(intro, "the") {
			intro++
		}
	}
	saved := p.i
	p.i += intro
	f, ok := p.cond(intro > 0)
	if !ok {
		p.i = saved
		return false
	}
	p.sc.filters = append(p.sc.filters, f)
	// "and COL op VALUE" continues the clause.
	for p.is(0, "and", ",") {
		save := p.i
		p.i++
		if p.is(0, "where", "with", "whose") {
			p.i++
		}
		f, ok := p.cond(true)
		if !ok {
			p.i = save
			break
		}
		p.sc.filters = append(p.sc.filters, f)
	}
	return true
}

// cond reads one condition at the current position. eqOK allows the plain
// "COL is VALUE" form.
func (p *parser) cond(eqOK bool) (filter, bool) {
	t := p.at(0)
	if t == nil || t.col == nil {
		return filter{}, false
	}
	c := t.col
	save := p.i
	p.i++
	fail := func() (filter, bool) { p.i = save; return filter{}, false }

	neg := false
	explicitEq := false
	switch {
	case p.at(0) != nil && p.at(0).op != "":
		op := p.at(0).op
		p.i++
		if op == "=" || op == "!=" {
			f, ok := p.eqValue(c, op)
			if !ok {
				return fail()
			}
			return f, true
		}
		f, ok := p.cmpValue(c, op)
		if !ok {
			return fail()
		}
		return f, true
	case p.is(0, "is", "are", "was", "equals", "equal", "isnt", "not", "=", "does", "doesnt"):
		if p.is(0, "is", "are", "was") {
			p.i++
			explicitEq = true
		}
		if p.is(0, "isnt", "not", "doesnt") || (p.is(0, "does") && p.is(1, "not")) {
			if p.is(0, "does") {
				p.i++
			}
			p.i++
			neg = true
			explicitEq = true
		}
		if p.is(0, "equals", "equal") {
			p.i++
			if p.is(0, "to") {
				p.i++
			}
			explicitEq = true
		}
	}
	// Null tests.
	if explicitEq && p.inSet(0, missingWords) {
		p.i++
		if p.is(0, "values", "value") {
			p.i++
		}
		if neg {
			return filter{col: c, op: "notnull"}, true
		}
		return filter{col: c, op: "null"}, true
	}
	// Comparisons by word.
	if op, n := p.cmpWord(); op != "" {
		if neg {
			return fail() // "is not above": rare enough to refuse
		}
		p.i += n
		if op == "between" {
			return p.between(c)
		}
		f, ok := p.cmpValue(c, op)
		if !ok {
			return fail()
		}
		return f, true
	}
	if p.inSet(0, containsWords) {
		p.i++
		v, ok := p.value()
		if !ok {
			return fail()
		}
		f := filter{col: c, op: "contains", text: v.raw}
		if neg {
			f.op = "notcontains"
		}
		return f, true
	}
	if p.is(0, "in") && c.isTemporal() {
		if t := p.at(1); t != nil && isYear(*t) {
			p.i += 2
			return filter{col: c, op: "=", num: t.num, isNum: true, year: true}, true
		}
	}
	if !explicitEq && !eqOK {
		return fail()
	}
	if !explicitEq {
		// "where region West" is not a condition we accept.
		return fail()
	}
	op := "="
	if neg {
		op = "!="
	}
	f, ok := p.eqValue(c, op)
	if !ok {
		return fail()
	}
	return f, true
}

// cmpWord reads a comparison word or phrase at the current position and
// returns its operator and length.
func (p *parser) cmpWord() (string, int) {
	switch {
	case p.is(0, "at") && p.is(1, "least"), p.is(0, "no") && p.is(1, "less", "fewer") && p.is(2, "than"):
		if p.is(0, "no") {
			return ">=", 3
		}
		return ">=", 2
	case p.is(0, "at") && p.is(1, "most"), p.is(0, "no") && p.is(1, "more") && p.is(2, "than"):
		if p.is(0, "no") {
			return "<=", 3
		}
		return "<=", 2
	case p.is(0, "between"):
		return "between", 1
	case p.is(0, "over") && p.is(1, "time"):
		return "", 0
	}
	t := p.at(0)
	if t == nil {
		return "", 0
	}
	op, ok := cmpWords[t.w]
	if !ok {
		return "", 0
	}
	switch t.w {
	case "greater", "more", "higher", "bigger", "larger", "less", "lower", "smaller", "fewer":
		// Comparatives need "than" (or "or equal to" forms).
		if p.is(1, "than") {
			if p.is(2, "or") && p.is(3, "equal") {
				n := 4
				if p.is(4, "to") {
					n = 5
				}
				return op + "=", n
			}
			return op, 2
		}
		return "", 0
	}
	if p.is(1, "or") && p.is(2, "equal") {
		n := 3
		if p.is(3, "to") {
			n = 4
		}
		return op + "=", n
	}
	return op, 1
}

// cmpValue reads the number or date a column is compared with.
func (p *parser) cmpValue(c *column, op string) (filter, bool) {
	t := p.at(0)
	if t == nil {
		return filter{}, false
	}
	switch {
	case t.date != "" && c.isTemporal():
		p.i++
		return filter{col: c, op: op, date: t.date}, true
	case t.isNum && c.isTemporal() && isYear(*t):
		p.i++
		return filter{col: c, op: op, num: t.num, isNum: true, year: true}, true
	case t.isNum && c.isNumeric():
		p.i++
		if p.is(0, "or") && p.is(1, "more", "above", "higher", "greater") && (op == ">" || op == ">=") {
			p.i += 2
			op = ">="
		}
		return filter{col: c, op: op, num: t.num, isNum: true}, true
	}
	return filter{}, false
}

func (p *parser) between(c *column) (filter, bool) {
	a, b := p.at(0), p.at(2)
	if a == nil || b == nil || !p.is(1, "and") {
		return filter{}, false
	}
	switch {
	case a.isNum && b.isNum && c.isNumeric():
		p.i += 3
		lo, hi := math.Min(a.num, b.num), math.Max(a.num, b.num)
		return filter{col: c, op: "between", num: lo, num2: hi, isNum: true}, true
	case a.isNum && b.isNum && c.isTemporal() && isYear(*a) && isYear(*b):
		p.i += 3
		lo, hi := math.Min(a.num, b.num), math.Max(a.num, b.num)
		return filter{col: c, op: "between", num: lo, num2: hi, isNum: true, year: true}, true
	}
	return filter{}, false
}

// eqValue reads the value of an equality.
func (p *parser) eqValue(c *column, op string) (filter, bool) {
	v, ok := p.value()
	if !ok {
		return filter{}, false
	}
	f := filter{col: c, op: op, text: v.raw}
	switch {
	case v.date != "" && c.isTemporal():
		f.date = v.date
	case v.isNum && c.isTemporal() && v.num == math.Trunc(v.num) && v.num >= 1000 && v.num <= 9999:
		f.num, f.isNum, f.year = v.num, true, true
	case v.isNum && c.isNumeric():
		f.num, f.isNum = v.num, true
	case c.kind == duck.KindBoolean:
		switch strings.ToLower(v.raw) {
		case "true", "yes", "y", "1", "t":
			f.op, f.text = op, "true"
		case "false", "no", "n", "0", "f":
			f.op, f.text = op, "false"
		default:
			return filter{}, false
		}
	case c.isNumeric() && !c.numText:
		// A word compared with a number column cannot be meant.
		return filter{}, false
	}
	return f, true
}

// valueStops end a multi-word value.
var valueStops = set("and", "or", "by", "per", "where", "with", "when", "sorted", "sort", "order", "ordered",
	"top", "bottom", "for", "in", "over", "vs", "versus", "grouped", "group", "each", "limit", "then", "whose",
	"having", "across", "ranked", "descending", "ascending", "desc", "asc", "monthly", "yearly", "daily",
	"weekly", "quarterly", "per")

type valueTok struct {
	raw   string
	num   float64
	isNum bool
	date  string
}

// value reads a filter value: a quoted string, a number, a date, or words up
// to the next clause.
func (p *parser) value() (valueTok, bool) {
	t := p.at(0)
	if t == nil || t.op != "" || t.punct {
		return valueTok{}, false
	}
	switch {
	case t.quoted:
		p.i++
		return valueTok{raw: t.raw}, true
	case t.date != "":
		p.i++
		return valueTok{raw: t.raw, date: t.date}, true
	case t.isNum:
		p.i++
		return valueTok{raw: t.raw, num: t.num, isNum: true}, true
	}
	var words []string
	for {
		t := p.at(0)
		if t == nil || t.op != "" || t.punct || t.quoted || t.date != "" {
			break
		}
		if !t.isNum && valueStops[t.w] {
			break
		}
		if len(words) > 0 && t.col != nil {
			// A column name starts the next clause ("… and price above 5"
			// was cut at "and"; "… price" alone is a new mention).
			break
		}
		words = append(words, t.raw)
		p.i++
		if len(words) >= 6 {
			break
		}
	}
	if len(words) == 0 {
		return valueTok{}, false
	}
	return valueTok{raw: strings.Join(words, " ")}, true
}

func isYear(t token) bool {
	return t.isNum && t.num == math.Trunc(t.num) && t.num >= 1000 && t.num <= 9999 && !strings.ContainsAny(t.raw, ".,$€£")
}

// yearFilter reads "in 2023", "during 2023", "for 2023" when the data has a
// date column.
func (p *parser) yearFilter() bool {
	if !p.is(0, "in", "during", "for", "from") {
		return false
	}
	t := p.at(1)
	if t == nil || !isYear(*t) {
		return false
	}
	dates := p.s.temporal()
	if len(dates) == 0 {
		return false
	}
	p.sc.filters = append(p.sc.filters, filter{col: dates[0], op: "=", num: t.num, isNum: true, year: true})
	p.i += 2
	return true
}

// ---- grouping and time ------------------------------------------------

func (p *parser) overTime() bool {
	switch {
	case p.is(0, "over", "across", "through", "throughout") && p.is(1, "time"):
		p.i += 2
	case p.is(0, "over", "across", "through") && p.is(1, "the") && p.is(2, "years", "months", "days", "weeks", "time"):
		p.sc.grain = grainWords[p.at(2).w]
		if p.at(2).w == "time" {
			p.sc.grain = ""
		}
		p.i += 3
	case p.is(0, "time") && p.is(1, "series"):
		p.i += 2
	case p.inSet(0, trendWords) && p.colAt(0) == nil:
		p.i++
	case p.inSet(0, adjectiveGrains) && p.colAt(0) == nil:
		p.sc.grain = grainWords[p.at(0).w]
		p.i++
	default:
		return false
	}
	p.sc.grainSet = true
	p.sc.hints["trend"] = true
	return true
}

func (p *parser) group() bool {
	n := 0
	switch {
	case p.is(0, "for", "in") && p.is(1, "each", "every"):
		n = 2
	case p.is(0, "grouped", "group", "broken", "split", "break", "breakdown") && p.is(1, "by", "per"):
		n = 2
	case p.is(0, "broken", "break") && p.is(1, "down") && p.is(2, "by", "per"):
		n = 3
	case p.is(0, "by", "per", "each", "every", "across", "within"):
		n = 1
	default:
		return false
	}
	save := p.i
	p.i += n
	if p.is(0, "the", "each", "every") {
		p.i++
	}
	// A grain: "per month", "by year of order date".
	if t := p.at(0); t != nil && !t.quoted {
		if g, ok := grainWords[t.w]; ok && (t.col == nil || t.col.isTemporal() && t.w != t.col.Name) {
			p.i++
			p.sc.grain, p.sc.grainSet = g, true
			if t.col != nil && t.col.isTemporal() {
				p.sc.grainCol = t.col
				p.sc.grain = ""
				if g != "day" {
					p.sc.grain = g
				}
			}
			if p.is(0, "of", "in", "for") && p.colAt(1) != nil && p.colAt(1).isTemporal() {
				p.sc.grainCol = p.colAt(1)
				p.i += 2
			}
			p.sc.hints["trend"] = true
			return true
		}
	}
	// An ordering aggregate: "top 5 regions by total sales".
	if t := p.at(0); t != nil && !t.quoted {
		if fn, ok := aggWords[t.w]; ok && p.colAt(1) != nil && t.span <= 1 {
			p.sc.orderBy = &aggMention{fn: fn, col: p.colAt(1)}
			p.i += 2
			return true
		}
		if p.is(0, "number", "count") && p.is(1, "of") && (p.inSet(2, rowNouns) || p.colAt(2) != nil) {
			m := &aggMention{fn: aggCount}
			if c := p.colAt(2); c != nil && !p.inSet(2, rowNouns) {
				m.col, m.distinct = c, true
			}
			p.sc.orderBy = m
			p.i += 3
			return true
		}
		if p.inSet(0, rowNouns) && p.colAt(0) == nil {
			p.sc.orderBy = &aggMention{fn: aggCount, rows: true}
			p.i++
			return true
		}
	}
	c := p.colAt(0)
	if c == nil {
		p.i = save
		return false
	}
	p.i++
	if c.isTemporal() {
		p.sc.grainCol, p.sc.grainSet = c, true
		p.sc.hints["trend"] = true
		if t := p.at(0); t != nil {
			if g, ok := grainWords[t.w]; ok && t.col == nil {
				p.sc.grain = g
				p.i++
			}
		}
		return true
	}
	p.sc.groups = append(p.sc.groups, c)
	// "by region and category": a second column, unless it starts a condition.
	for p.is(0, "and", ",") && p.colAt(1) != nil {
		save := p.i
		p.i++
		if _, ok := p.cond(false); ok {
			p.i = save
			break
		}
		c := p.colAt(0)
		p.i++
		if c.isTemporal() {
			p.sc.grainCol, p.sc.grainSet = c, true
			p.sc.hints["trend"] = true
			continue
		}
		p.sc.groups = append(p.sc.groups, c)
	}
	return true
}

func (p *parser) order() bool {
	n := 0
	switch {
	case p.is(0, "sorted", "sort", "ordered", "order", "rank", "ranked", "rank") && p.is(1, "by"):
		n = 2
	case p.is(0, "descending", "desc", "decreasing"):
		p.sc.sortDir = 1
		p.i++
		return true
	case p.is(0, "ascending", "asc", "increasing"):
		p.sc.sortDir = -1
		p.i++
		return true
	case p.is(0, "limit") && p.at(1) != nil && p.at(1).isNum:
		p.sc.limitN = clampN(p.at(1).num)
		p.i += 2
		return true
	default:
		return false
	}
	save := p.i
	p.i += n
	m := &aggMention{}
	if t := p.at(0); t != nil {
		if fn, ok := aggWords[t.w]; ok && p.colAt(1) != nil {
			m.fn = fn
			p.i++
		}
	}
	c := p.colAt(0)
	if c == nil {
		p.i = save
		return false
	}
	m.col = c
	p.i++
	p.sc.orderBy = m
	if p.is(0, "descending", "desc", "decreasing") {
		p.sc.sortDir = 1
		p.i++
	} else if p.is(0, "ascending", "asc", "increasing") {
		p.sc.sortDir = -1
		p.i++
	}
	return true
}

func clampN(v float64) int {
	switch {
	case v < 1:
		return 1
	case v > 1000:
		return 1000
	}
	return int(v)
}

func (p *parser) top() bool {
	t := p.at(0)
	if t == nil || t.quoted {
		return false
	}
	// "5 highest", "10 most common".
	if t.isNum && t.num == math.Trunc(t.num) && (p.inSet(1, highWords) || p.inSet(1, lowWords)) && p.colAt(1) == nil {
		p.sc.top = topMention{set: true, n: clampN(t.num), dir: dirOf(p.at(1).w)}
		p.i += 2
		p.common()
		return true
	}
	if (highWords[t.w] || lowWords[t.w]) && t.col == nil {
		m := topMention{set: true, dir: dirOf(t.w)}
		p.i++
		if n := p.at(0); n != nil && n.isNum && n.num == math.Trunc(n.num) && !isYear(*n) {
			m.n = clampN(n.num)
			p.i++
		}
		p.sc.top = m
		p.common()
		return true
	}
	if t.isNum && t.num == math.Trunc(t.num) && p.inSet(1, rowNouns) && p.colAt(1) == nil {
		// "5 rows", "show me 20 records".
		p.sc.limitN = clampN(t.num)
		p.sc.hints["rows"] = true
		p.i += 2
		return true
	}
	if p.is(0, "first") && p.at(1) != nil && p.at(1).isNum {
		p.sc.limitN = clampN(p.at(1).num)
		p.sc.hints["preview"] = true
		p.i += 2
		return true
	}
	return false
}

// common reads "common", "frequent"… after a top word: by count.
func (p *parser) common() {
	if p.inSet(0, commonWords) {
		p.sc.top.common = true
		p.i++
	}
	if p.sc.top.dir != 0 && p.is(-1, "rarest") {
		p.sc.top.common = true
	}
}

func dirOf(w string) int {
	if lowWords[w] {
		return -1
	}
	return 1
}

// ---- aggregates -------------------------------------------------------

func (p *parser) aggregate() bool {
	t := p.at(0)
	if t == nil || t.quoted {
		return false
	}
	m := aggMention{}
	n := 0
	switch {
	case p.is(0, "how") && p.is(1, "many"):
		m.fn, n = aggCount, 2
	case p.is(0, "how") && p.is(1, "much"):
		m.fn, n = aggSum, 2
	case p.is(0, "total", "the") && p.is(1, "number", "count", "amount") && p.is(2, "of"):
		m.fn, n = aggCount, 3
		if p.is(1, "amount") {
			m.fn = aggSum
		}
	case p.is(0, "number", "count", "num") && p.is(1, "of"):
		m.fn, n = aggCount, 2
	case p.is(0, "standard") && p.is(1, "deviation"):
		m.fn, n = aggStddev, 2
	case p.inSet(0, distinctWords) && p.is(1, "count", "number"):
		m.fn, m.distinct, n = aggCount, true, 2
	case p.is(0, "total") && p.inSet(1, rowNouns):
		m.fn, n = aggCount, 1
	case p.is(0, "most", "least") && p.is(1, "recent"):
		m.fn, n = aggMax, 2
		if p.is(0, "least") {
			m.fn = aggMin
		}
	default:
		fn, ok := aggWords[t.w]
		if !ok {
			return false
		}
		m.fn, n = fn, 1
		if t.col != nil {
			m.selfCol = t.col
		}
		if fn == aggCount && p.is(1, "by", "per") {
			// "count by region": rows.
			m.rows = true
		}
	}
	p.i += n
	if p.inSet(0, distinctWords) {
		m.distinct = true
		p.i++
	}
	for p.is(0, "of", "the", "for", "in", "all", "a") {
		p.i++
	}
	if p.inSet(0, distinctWords) {
		m.distinct = true
		p.i++
	}
	if c := p.colAt(0); c != nil && !(p.inSet(0, rowNouns) && p.at(0).span == 1 && m.fn == aggCount) {
		// "average price", unless the column starts a condition ("how many
		// rows where price above 5" reads rows first).
		if _, ok := p.peekCond(); !ok || m.fn != aggCount {
			m.col = c
			p.i++
			if p.is(0, "values", "value") {
				p.i++
			}
		}
	} else if p.inSet(0, rowNouns) {
		m.rows = true
		p.i++
	}
	if m.fn == aggCount && m.distinct {
		m.fn = aggCountDistinct
	}
	p.sc.aggs = append(p.sc.aggs, m)
	// "min and max price": the first borrows the second's column.
	return true
}

// peekCond reports whether a condition starts at the current position.
func (p *parser) peekCond() (filter, bool) {
	save := p.i
	f, ok := p.cond(false)
	p.i = save
	return f, ok
}

// ---- hints --------------------------------------------------------------

func (p *parser) hint() bool {
	t := p.at(0)
	if t == nil || t.quoted || t.col != nil && t.span > 1 {
		return false
	}
	w := t.w
	if t.col != nil && !(describeWords[w] || distributionWords[w] || correlationWords[w]) {
		return false
	}
	switch {
	case w == "tell" && p.is(1, "me") && p.is(2, "about"):
		p.sc.hints["describe"] = true
		p.i += 3
	case describeWords[w]:
		p.sc.hints["describe"] = true
		if w == "overview" || w == "analyze" || w == "analyse" || w == "analysis" || w == "explore" || w == "eda" ||
			w == "insight" || w == "insights" || w == "report" {
			p.sc.hints["overview"] = true
		}
		p.i++
	case distributionWords[w]:
		p.sc.hints["distribution"] = true
		p.i++
	case correlationWords[w]:
		p.sc.hints["correlation"] = true
		p.i++
	case previewWords[w]:
		p.sc.hints["preview"] = true
		p.i++
		if n := p.at(0); n != nil && n.isNum {
			p.sc.limitN = clampN(n.num)
			p.i++
		}
	case schemaWords[w] && t.col == nil && !p.is(1, "of", "named", "called"):
		p.sc.hints["schema"] = true
		p.i++
	case distinctWords[w]:
		p.sc.hints["distinct"] = true
		p.i++
	case missingWords[w] && t.col == nil:
		p.sc.hints["missing"] = true
		p.i++
	case duplicateWords[w]:
		p.sc.hints["duplicates"] = true
		p.i++
	case (rowNouns[w] || p.s.rowNoun(t.s)) && t.col == nil:
		p.sc.hints["rows"] = true
		p.i++
	default:
		return false
	}
	return true
}

// ---- resolution ---------------------------------------------------------

func (p *parser) resolve() (*query, *parseError) {
	sc := &p.sc
	if len(sc.amb) > 0 {
		t := sc.amb[0]
		names := make([]string, 0, len(t.amb))
		for _, c := range t.amb {
			names = append(names, quoteName(c.Name))
		}
		return nil, &parseError{msg: fmt.Sprintf("“%s” could mean %s. Which one did you mean?", t.raw, orList(names))}
	}
	if len(sc.unknown) > 0 {
		return nil, &parseError{msg: unknownMsg(sc.unknown), unknown: sc.unknown}
	}
	// Columns named only by a common word ("value", "date") count when
	// nothing else names a column.
	bare := sc.bare
	if len(bare) == 0 && len(sc.aggs) == 0 && len(sc.groups) == 0 && len(sc.filters) == 0 && sc.orderBy == nil {
		bare = sc.weak
	}
	q := &query{filters: sc.filters}
	h := sc.hints
	nothing := len(bare) == 0 && len(sc.aggs) == 0 && len(sc.groups) == 0 && sc.orderBy == nil && !sc.top.set

	switch {
	case h["overview"] && nothing && len(sc.filters) == 0:
		q.kind = qOverview
		return q, nil
	case h["describe"] && nothing && len(sc.filters) == 0:
		q.kind = qOverview
		return q, nil
	case h["schema"] && nothing && len(sc.filters) == 0 && !h["missing"] && !h["distinct"]:
		q.kind = qColumns
		return q, nil
	case h["duplicates"] && len(bare) == 0 && len(sc.groups) == 0:
		q.kind = qDuplicates
		return q, nil
	case h["missing"] && len(sc.groups) == 0 && !sc.top.set && len(sc.filters) == 0:
		q.kind = qMissing
		q.cols = bare
		for _, a := range sc.aggs {
			if a.col != nil {
				q.cols = append(q.cols, a.col)
			}
		}
		return q, nil
	}

	if h["correlation"] {
		var nums []*column
		for _, c := range append(append(append([]*column{}, bare...), sc.groups...), aggCols(sc.aggs)...) {
			if c.isNumeric() && !containsCol(nums, c) {
				nums = append(nums, c)
			}
		}
		switch {
		case len(nums) == 2:
			q.kind, q.cols = qCorrelation, nums
			return q, nil
		case len(nums) == 0 && nothing:
			if len(p.s.byKind((*column).isNumeric)) < 2 {
				return nil, &parseError{msg: "Correlations need at least two numeric columns, and this data has fewer."}
			}
			q.kind = qCorrMatrix
			return q, nil
		case len(nums) > 2 && len(sc.aggs) == 0 && len(sc.groups) == 0:
			q.kind, q.cols = qCorrMatrix, nums
			return q, nil
		}
		if len(nums) < 2 && len(bare)+len(sc.groups) >= 2 {
			return nil, &parseError{msg: "A correlation needs two numeric columns."}
		}
		if len(nums) < 2 {
			return nil, &parseError{msg: "Which two numeric columns should I correlate?"}
		}
	}

	if h["describe"] && len(bare) >= 1 && len(sc.aggs) == 0 && len(sc.groups) == 0 && !sc.top.set {
		q.kind, q.cols = qDescribe, bare
		return q, nil
	}

	if h["distribution"] && len(sc.aggs) == 0 && !sc.top.set {
		cols := bare
		switch {
		case len(cols) == 1 && len(sc.groups) <= 1:
			q.kind, q.cols, q.groups = qDistribution, cols, sc.groups
			if len(sc.groups) == 1 && !cols[0].isNumeric() {
				// "breakdown of category by region": counts by both.
				q.kind = qAgg
				q.groups = []*column{sc.groups[0], cols[0]}
				q.measures = []measure{{fn: aggCount}}
			}
			return q, nil
		case len(cols) == 0 && len(sc.groups) >= 1:
			q.kind, q.groups = qAgg, sc.groups
			q.measures = []measure{{fn: aggCount}}
			return q, nil
		case len(cols) == 0:
			return nil, &parseError{msg: "The distribution of which column?"}
		}
	}

	if h["distinct"] && !hasCount(sc.aggs) && len(sc.groups) == 0 && len(bare) == 1 && !sc.top.set {
		q.kind, q.cols = qValues, bare
		return q, nil
	}

	if h["preview"] && len(sc.aggs) == 0 && len(sc.groups) == 0 && !sc.top.set {
		q.kind = qRows
		q.limit = 10
		if sc.limitN > 0 {
			q.limit = sc.limitN
		}
		q.explicit = true
		if sc.orderBy != nil {
			if sc.orderBy.col == nil {
				return nil, &parseError{msg: "I can only sort rows by a column."}
			}
			q.orderCol = sc.orderBy.col
			q.dir = orDefault(sc.sortDir, 1)
		}
		return q, nil
	}

	// Measures.
	var ms []measure
	for i, a := range sc.aggs {
		col := a.col
		if col == nil && !a.rows && a.fn != aggCount && a.fn != aggCountDistinct {
			// "min and max price": borrow the nearest named column.
			for j := i + 1; j < len(sc.aggs) && col == nil; j++ {
				col = sc.aggs[j].col
			}
			for j := i - 1; j >= 0 && col == nil; j-- {
				col = sc.aggs[j].col
			}
		}
		fn := a.fn
		if col == nil && fn == aggCount && a.distinct {
			fn = aggCountDistinct
		}
		ms = append(ms, measure{fn: fn, col: col})
	}
	used := map[*column]bool{}
	for _, m := range ms {
		if m.col != nil {
			used[m.col] = true
		}
	}
	groups := append([]*column{}, sc.groups...)
	var freeNum, freeCat []*column
	for _, c := range bare {
		if used[c] || containsCol(groups, c) {
			continue
		}
		if c.isNumeric() && !c.isCategory() {
			freeNum = append(freeNum, c)
		} else if c.isTemporal() {
			if sc.grainCol == nil {
				sc.grainCol = c
			}
		} else {
			freeCat = append(freeCat, c)
		}
	}
	// A measure missing its column takes a free numeric one ("average for
	// price"), or the aggregate word's own column ("total" when a column is
	// called Total).
	for i := range ms {
		if ms[i].col != nil || ms[i].fn == aggCount || ms[i].fn == aggCountDistinct {
			continue
		}
		switch {
		case len(freeNum) > 0:
			ms[i].col, freeNum = freeNum[0], freeNum[1:]
		case sc.aggs[i].selfCol != nil && sc.aggs[i].selfCol.isNumeric():
			ms[i].col = sc.aggs[i].selfCol
		case ms[i].fn == aggMin || ms[i].fn == aggMax:
			if len(freeCat) == 1 && freeCat[0].isNumeric() {
				ms[i].col, freeCat = freeCat[0], nil
			} else if sc.grainCol != nil && !sc.grainSet && len(sc.groups) == 0 {
				ms[i].col = sc.grainCol
				sc.grainCol = nil
			}
		}
		if ms[i].col == nil {
			return nil, &parseError{msg: fmt.Sprintf("The %s of which column?", aggName(ms[i].fn))}
		}
	}
	// "how many regions": the distinct count of a text column; "how many
	// constituencies" with a numeric Constituency column numbering rows
	// two per constituency: its distinct count too. Counting a column's
	// non-missing cells answers no question people ask in these words.
	for i := range ms {
		if ms[i].fn == aggCount && ms[i].col != nil && !sc.aggs[i].rows {
			if i < len(sc.aggs) {
				ms[i].fn = aggCountDistinct
			}
		}
	}

	orderUsed := false
	// Ordering measure named after "by": "top 5 regions by total sales".
	if sc.orderBy != nil && sc.orderBy.fn != "" && len(ms) == 0 {
		orderUsed = true
		fn := sc.orderBy.fn
		if sc.orderBy.distinct {
			fn = aggCountDistinct
		}
		if sc.orderBy.rows {
			ms = append(ms, measure{fn: aggCount})
		} else {
			ms = append(ms, measure{fn: fn, col: sc.orderBy.col})
		}
		if !sc.top.set {
			sc.top = topMention{set: true, dir: orDefault(sc.sortDir, 1)}
		}
	}
	// A numeric "group" with a top word and another grouping is the
	// measure: "top 5 regions by sales".
	if (sc.top.set || sc.orderBy != nil) && len(ms) == 0 {
		for i, g := range groups {
			if g.isNumeric() && (len(freeCat) > 0 || len(groups) > 1 && !g.isCategory()) {
				ms = append(ms, measure{fn: defaultAgg(g), col: g})
				groups = append(groups[:i:i], groups[i+1:]...)
				break
			}
		}
	}
	if sc.orderBy != nil && sc.orderBy.fn == "" && len(ms) == 0 && len(freeCat) > 0 && sc.orderBy.col.isNumeric() {
		orderUsed = true
		ms = append(ms, measure{fn: defaultAgg(sc.orderBy.col), col: sc.orderBy.col})
		sc.top = topMention{set: true, dir: orDefault(sc.sortDir, 1), n: sc.top.n}
	}

	// Rows, not aggregates: "top 5 rows by price", "top 10 by price",
	// "5 highest prices", "rows where region is West".
	if len(ms) == 0 && len(freeCat) == 0 && len(groups) <= 1 && !sc.grainSet && !h["trend"] && !sc.top.common {
		var orderCol *column
		switch {
		case sc.orderBy != nil:
			orderCol = sc.orderBy.col
		case len(groups) == 1 && groups[0].isNumeric():
			orderCol = groups[0]
		case len(freeNum) == 1 && sc.top.set:
			orderCol = freeNum[0]
		}
		if len(groups) == 1 && orderCol != groups[0] {
			orderCol = nil
		}
		switch {
		case orderCol != nil && (sc.top.set || sc.orderBy != nil):
			if sc.top.set && sc.top.n == 0 && !h["rows"] && sc.orderBy == nil {
				// "the highest price": the maximum.
				fn := aggMax
				if sc.top.dir < 0 {
					fn = aggMin
				}
				q.kind, q.measures = qAgg, []measure{{fn: fn, col: orderCol}}
				return q, nil
			}
			q.kind, q.orderCol = qRows, orderCol
			q.dir = orDefault(sc.top.dir, orDefault(sc.sortDir, 1))
			if sc.sortDir != 0 && !sc.top.set {
				q.dir = sc.sortDir
			}
			q.limit = orDefault(sc.top.n, orDefault(sc.limitN, 10))
			q.explicit = true
			return q, nil
		case len(groups) == 0 && len(freeNum) == 0 && (h["rows"] || len(sc.filters) > 0) && !sc.top.set:
			q.kind = qRows
			q.limit = orDefault(sc.limitN, 100)
			return q, nil
		}
	}

	// Count by group when only groups are named: "rows per region",
	// "most common region", "top 5 regions".
	if len(ms) == 0 {
		switch {
		case len(freeNum) > 0 && (len(groups) > 0 || len(freeCat) > 0 || sc.grainSet || h["trend"]):
			for _, c := range freeNum {
				ms = append(ms, measure{fn: defaultAgg(c), col: c})
			}
			freeNum = nil
		case len(groups) > 0 || (len(freeCat) > 0 && (sc.top.set || h["rows"])):
			groups = append(groups, freeCat...)
			freeCat = nil
			ms = []measure{{fn: aggCount}}
		case sc.grainSet || h["trend"]:
			ms = []measure{{fn: aggCount}}
		}
	}
	// Free columns left: numeric ones are measures with a default
	// aggregate when there is a grouping; text ones are groups.
	if len(freeNum) > 0 {
		if len(groups) == 0 && len(freeCat) == 0 && !sc.grainSet && !h["trend"] {
			if len(ms) > 0 {
				return nil, &parseError{msg: fmt.Sprintf("I'm not sure what to do with %s in that question.", quoteName(freeNum[0].Name))}
			}
		} else if len(ms) > 0 && len(freeCat) == 0 {
			return nil, &parseError{msg: fmt.Sprintf("I'm not sure what to do with %s in that question.", quoteName(freeNum[0].Name))}
		} else {
			for _, c := range freeNum {
				ms = append(ms, measure{fn: defaultAgg(c), col: c})
			}
		}
	}
	if len(freeCat) > 0 {
		if len(ms) == 0 {
			return nil, &parseError{msg: "I found " + andList(quoteNames(freeCat)) + " but not what to compute about it."}
		}
		groups = append(groups, freeCat...)
	}
	if len(ms) == 0 {
		return nil, &parseError{msg: "I couldn't tell what to compute."}
	}
	if len(groups) > 2 {
		return nil, &parseError{msg: "I can group by at most two columns at a time."}
	}
	for _, m := range ms {
		if err := checkMeasure(m); err != nil {
			return nil, err
		}
	}
	q.measures = ms

	// A sort the question asked for must be the one the answer has.
	natural := false
	if ob := sc.orderBy; ob != nil && !orderUsed {
		switch {
		case ob.fn == "" && ob.col != nil && (ob.col.isCategory() || !ob.col.isNumeric()):
			if !containsCol(groups, ob.col) {
				groups = append(groups, ob.col)
			}
			natural = true
		case ob.fn == "" && ob.col != nil && len(ms) > 0 && ms[0].col == ob.col:
		default:
			what := "that"
			if ob.col != nil {
				what = quoteName(ob.col.Name)
			}
			return nil, &parseError{msg: "I couldn't tell how to sort by " + what + " here."}
		}
		if len(groups) > 2 {
			return nil, &parseError{msg: "I can group by at most two columns at a time."}
		}
	}
	q.groups = groups

	// Time series.
	if sc.grainSet || h["trend"] {
		dc := sc.grainCol
		if dc == nil {
			dates := p.s.temporal()
			if len(dates) == 0 {
				return nil, &parseError{msg: "This data has no date column to follow over time."}
			}
			dc = dates[0]
		}
		if len(groups) > 1 {
			return nil, &parseError{msg: "Over time, I can split by one column at most."}
		}
		q.kind, q.dateCol, q.grain = qTime, dc, sc.grain
		return q, nil
	}

	q.kind = qAgg
	q.common = sc.top.common && len(ms) == 1 && ms[0].col == nil
	if len(groups) > 0 {
		q.dir = 1
		if sc.top.set {
			q.dir = orDefault(sc.top.dir, 1)
			q.explicit = true
		}
		if sc.sortDir != 0 {
			q.dir = sc.sortDir
			q.explicit = true
		}
		if sc.top.n > 0 {
			q.limit = sc.top.n
			q.explicit = true
		} else if sc.limitN > 0 {
			q.limit = sc.limitN
			q.explicit = true
		}
		if !q.explicit && len(groups) == 1 && groups[0].kind == duck.KindNumeric || natural {
			q.dir = 0 // by year, by quantity, sorted by region: natural order
		}
	} else if sc.top.set && len(ms) == 1 && ms[0].col != nil && !sc.top.common && ms[0].fn != aggCount && ms[0].fn != aggCountDistinct {
		// "highest average price" with nothing to group by: the average.
		return q, nil
	}
	return q, nil
}

func checkMeasure(m measure) *parseError {
	if m.col == nil {
		return nil
	}
	switch m.fn {
	case aggSum, aggAvg, aggStddev, aggVar:
		if !m.col.isNumeric() {
			return &parseError{msg: fmt.Sprintf("%s is not numeric, so I can't take its %s. Try counting by it instead.", quoteName(m.col.Name), aggName(m.fn))}
		}
	case aggMedian:
		if !m.col.isNumeric() && !m.col.isTemporal() {
			return &parseError{msg: fmt.Sprintf("%s is not numeric, so it has no median.", quoteName(m.col.Name))}
		}
	case aggMin, aggMax:
		if m.col.kind == duck.KindOther || m.col.kind == duck.KindBoolean {
			return &parseError{msg: fmt.Sprintf("%s has no %s I can compute.", quoteName(m.col.Name), aggName(m.fn))}
		}
	}
	return nil
}

// defaultAgg is the aggregate of a measure the question names without one:
// a total, except for columns whose name says they are rates or levels.
func defaultAgg(c *column) aggFn {
	for _, w := range c.words {
		switch w {
		case "price", "rate", "ratio", "percent", "percentage", "pct", "score", "rating", "age", "temp",
			"temperature", "avg", "average", "mean", "margin", "discount", "humidity", "speed", "per",
			"latitude", "lat", "longitude", "lon", "lng", "index", "level", "probability", "share",
			// Measures of one thing, which a group averages rather than adds up.
			"expect", "expectancy", "fertility", "density", "height", "weight", "mass", "length", "depth", "width",
			"elevation", "altitude", "bmi":
			return aggAvg
		}
	}
	return aggSum
}

func aggCols(as []aggMention) []*column {
	var out []*column
	for _, a := range as {
		if a.col != nil {
			out = append(out, a.col)
		}
	}
	return out
}

func hasCount(as []aggMention) bool {
	for _, a := range as {
		if a.fn == aggCount || a.fn == aggCountDistinct {
			return true
		}
	}
	return false
}

func containsCol(cs []*column, c *column) bool {
	for _, x := range cs {
		if x == c {
			return true
		}
	}
	return false
}

func orDefault(v, d int) int {
	if v == 0 {
		return d
	}
	return v
}

func aggName(fn aggFn) string {
	switch fn {
	case aggSum:
		return "total"
	case aggAvg:
		return "average"
	case aggMin:
		return "minimum"
	case aggMax:
		return "maximum"
	case aggMedian:
		return "median"
	case aggCount:
		return "count"
	case aggCountDistinct:
		return "number of distinct values"
	case aggStddev:
		return "standard deviation"
	case aggVar:
		return "variance"
	}
	return string(fn)
}

func quoteName(s string) string { return "“" + s + "”" }

func quoteNames(cs []*column) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = quoteName(c.Name)
	}
	return out
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = quoteName(s)
	}
	return out
}

func andList(ss []string) string { return joinList(ss, "and") }
func orList(ss []string) string  { return joinList(ss, "or") }

func joinList(ss []string, conj string) string {
	switch len(ss) {
	case 0:
		return ""
	case 1:
		return ss[0]
	case 2:
		return ss[0] + " " + conj + " " + ss[1]
	}
	return strings.Join(ss[:len(ss)-1], ", ") + ", " + conj + " " + ss[len(ss)-1]
}

// itoa is strconv.Itoa, shorter.
func itoa(n int) string { return strconv.Itoa(n) }

// unknownMsg says which words of a question are not in the data.
func unknownMsg(ws []string) string {
	verb := "refers"
	if len(ws) > 1 {
		verb = "refer"
	}
	return fmt.Sprintf("I don't know what %s %s to in this data.", andList(quoteAll(ws)), verb)
}
