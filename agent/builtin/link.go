package builtin

import (
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/analyzerhq/analyzer/duck"
)

// Linking comes before any shape (SEMPRE's table parser does the same):
// every word of the question is placed as part of a value of the data (through
// the value index), a column's name, a number, or a word the shapes know.
// A shape reads only placed words; a word nobody placed means the question
// is declined, never guessed.

// lword is one word of the question.
type lword struct {
	w          string // lower case
	s          string // singular
	start, end int    // bytes in the question
	num        float64
	isNum      bool
	col        *column // part of a column's name
	val        *valueLink
	// numVal is the one column holding a lone number as a value ("in
	// 1998" of a Year column), with the value as stored.
	numCol *column
	numVal string
	// held: every column holding the word alone as a value (a number or a
	// short word read as such), with the value as stored: "week 12" names
	// the Week column's 12 even when another column holds a 12 too.
	held   map[*column]string
	decade bool // "the 1970s"
	dur    bool // a length of time written with colons ("5:00"): num in seconds
	date   *dateSpan
	filler bool // read with the column before it ("weather type")
	// adj: a column word added for a measure adjective ("deepest").
	adj  bool
	used bool // placed by the shape that reads the question
}

// valueLink is a value of the data named in the question.
type valueLink struct {
	col    *column
	values []string // as stored (a value spelled two ways gives two)
	from   int      // first word
	to     int      // past the last word
	// byCol holds the spellings of each column holding it; two or more
	// columns leave col nil (ambiguous) until the question says which.
	byCol map[*column][]string
	cands []*column // the columns holding it, in the index's order
	// prefix: the words of the question that begin values (linkprefix.go).
	prefix string
	// code: the country code the values carry (linkcountries.go).
	code string
	// anyCol: a value of several columns is read as any of them (a
	// lookup of the one row it names; set only while the shape reads).
	anyCol bool
	// item: the words name one item of list cells ("devaraj" of
	// "Shankar Nag, Devaraj"); the values are the cells listing it.
	item string
	// outcome: the word asks for the results of one outcome, "win",
	// "loss" or "draw" (linkoutcome.go); the values are those results.
	outcome string
}

// linked is a question with its words placed.
type linked struct {
	q     string
	words []lword
	vals  []*valueLink
	s     *schema
	idx   *duck.ValueIndex
	// nameNouns: words a third of the name column's values hold (nameNoun).
	nameNouns map[string]bool
	// totals leave out the table's own total row (see totalRows).
	totals []cond
	// title: the words naming what the whole table is about ("in the 2008
	// ogae second chance contest", title.go), set aside and said so.
	title string
	// typos: misspelt words read as the word they stand for (typos.go).
	typos []typoFix
}

var (
	unitNumRe = regexp.MustCompile(`^([0-9][0-9,]*(?:\.[0-9]+)?)([a-z]+)$`)
	decadeRe  = regexp.MustCompile(`^(1[89][0-9]0|20[0-9]0)(?:'s|’s|s)$`)
)

// numberWords are numbers written as words (not "one", which is mostly a
// pronoun in questions).
var numberWords = map[string]float64{"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
	"nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20}

var wordRe = regexp.MustCompile(`[\p{L}\p{N}][\p{L}\p{N}'’.,-]*[\p{L}\p{N}]|[\p{L}\p{N}]`)

// link places the question's words: values first, then columns, then
// numbers.
func link(q string, s *schema, idx *duck.ValueIndex) *linked {
	l := linkWords(q, s, idx)
	if fixed, fixes := l.typoFixes(); fixes != nil {
		l = linkWords(fixed, s, idx)
		l.typos = fixes
	}
	return l
}

// linkWords links the question as written (link, before misspellings).
func linkWords(q string, s *schema, idx *duck.ValueIndex) *linked {
	l := &linked{q: q, s: s, idx: idx, totals: totalRows(idx, s)}
	spans, secs := clockSpans(q)
	for _, m := range wordRe.FindAllStringIndex(q, -1) {
		if cw, first, skip := clockWord(q, m, spans, secs); first || skip {
			if first {
				l.words = append(l.words, cw)
			}
			continue
		}
		raw := strings.ToLower(q[m[0]:m[1]])
		w := strings.TrimSuffix(strings.TrimSuffix(raw, "'s"), "’s")
		lw := lword{w: w, s: singular(w), start: m[0], end: m[1]}
		if dm := decadeRe.FindStringSubmatch(raw); dm != nil {
			f, _ := strconv.ParseFloat(dm[1], 64)
			lw.w, lw.s, lw.num, lw.isNum, lw.decade = dm[1], dm[1], f, true, true
		} else if f, err := strconv.ParseFloat(strings.ReplaceAll(w, ",", ""), 64); err == nil {
			lw.num, lw.isNum = f, true
			if m[0] > 0 && q[m[0]-1] == '.' && (m[0] == 1 || q[m[0]-2] == ' ') && !strings.ContainsAny(w, ".,") {
				// ".9", ".500": a fraction.
				lw.num, _ = strconv.ParseFloat("0."+w, 64)
				lw.w, lw.s = "0."+w, "0."+w
			}
			if k := negativeAt(q, m[0]); k > 0 {
				// "less than -14": the sign is part of the number.
				lw.num, lw.w, lw.s, lw.start = -lw.num, "-"+lw.w, "-"+lw.s, m[0]-k
			}
		} else if n, ok := numberWords[w]; ok {
			lw.num, lw.isNum = n, true
		} else if um := unitNumRe.FindStringSubmatch(w); um != nil && (units[um[2]] || um[2] == "mhz" || um[2] == "ghz") {
			// "15km": a number and its unit.
			f, _ := strconv.ParseFloat(strings.ReplaceAll(um[1], ",", ""), 64)
			cut := m[0] + len(um[1])
			nw := lword{w: um[1], s: um[1], start: m[0], end: cut, num: f, isNum: true}
			if k := negativeAt(q, m[0]); k > 0 {
				nw.num, nw.w, nw.s, nw.start = -f, "-"+nw.w, "-"+nw.s, m[0]-k // "below -100m"
			}
			l.words = append(l.words, nw)
			lw = lword{w: um[2], s: um[2], start: cut, end: m[1]}
		}
		l.words = append(l.words, lw)
	}
	l.linkValues(idx)
	l.unlinkColumnNames()
	l.linkAdjectives(idx)
	l.linkDates()
	l.linkColumns()
	l.linkUnitWords()
	l.linkColumnValues()
	l.linkWinners()
	l.linkOutcomes(idx)
	l.linkPositionCodes(idx)
	l.linkPrefixes(idx)
	l.linkCountryCodes(idx)
	l.linkMeasureAdjectives()
	l.resolveValues()
	l.linkSubject()
	l.linkTitle()
	for i := 1; i < len(l.words); i++ {
		// "weather type", "weather types": the column's values.
		if typeWords[l.words[i].w] && l.words[i].col == nil && l.words[i].val == nil && l.words[i-1].col != nil &&
			l.words[i-1].col.isCategory() {
			l.words[i].filler = true
		}
		// "the number of points scored by finland": a verb of having after
		// a numeric column's name says whose the number is, no condition;
		// so does one before a comparison ("earned more than 30 points").
		if lightVerbs[l.words[i].w] && !winVerbs[l.words[i].w] && l.words[i].col == nil && l.words[i].val == nil &&
			(l.words[i-1].col != nil && l.words[i-1].col.isNumeric() && !l.words[i-1].col.isCategory() || l.comparisonAt(i+1)) {
			l.words[i].filler = true
		}
		// "area km²" of "Area in km²": more words of the column's name
		// just after it, past the ones read.
		if w := l.words[i]; w.col == nil && w.val == nil && !w.isNum && !stopWords[w.w] && l.words[i-1].col != nil &&
			namesAny(l.words[i-1].col.words, []string{w.s, strings.Join(nameWords(w.w), " ")}) {
			l.words[i].col = l.words[i-1].col
		}
		// "previous to 1994", "prior to V": before.
		if (l.words[i-1].w == "previous" || l.words[i-1].w == "prior") && l.words[i].w == "to" && l.words[i-1].col == nil &&
			l.words[i-1].val == nil {
			l.words[i-1].w, l.words[i-1].s = "before", "before"
			l.words[i].filler = true
		}
		// "the only submarine was named what": the name asked for.
		if (l.words[i].w == "named" || l.words[i].w == "called") && l.words[i].col == nil && l.words[i].val == nil &&
			i+1 < len(l.words) && l.words[i+1].w == "what" {
			l.words[i].filler = true
		}
		// "after 1991 but before 1993": a second bound, as "and" is.
		if l.words[i].w == "but" && i+1 < len(l.words) && boundWords[l.words[i+1].w] && !exceptAfter[l.words[i-1].w] {
			l.words[i].filler = true
		}
		// "silver medals", "total medals" of a medal table's Silver and
		// Total columns: what the column counts.
		if (l.words[i].w == "medal" || l.words[i].w == "medals") && l.words[i].col == nil && l.words[i].val == nil &&
			l.words[i-1].col != nil && l.words[i-1].col.isNumeric() && namesAny(l.words[i-1].col.words, medalColumns) {
			l.words[i].filler = true
		}
	}
	return l
}

var medalColumns = []string{"gold", "silver", "bronze", "total"}

// comparisonAt reports a comparison with a number or a superlative at word
// i ("more than 30", "at least 5", "the most").
func (l *linked) comparisonAt(i int) bool {
	if i < len(l.words) && l.words[i].w == "the" {
		i++
	}
	if i >= len(l.words) {
		return false
	}
	w := l.words[i].w
	switch {
	case superlatives[w] != 0:
		return true
	case w == "at":
		return i+1 < len(l.words) && (l.words[i+1].w == "least" || l.words[i+1].w == "most")
	case cmpWordsL[w] != "":
		for k := i + 1; k < len(l.words) && k <= i+2; k++ {
			if l.words[k].isNum {
				return true
			}
		}
	}
	return false
}

// boundWords start a bound after "but"; after exceptAfter, "but" is "except"
// ("all but 1991").
var (
	boundWords = set("before", "after", "less", "more", "fewer", "under", "over", "above", "below", "greater",
		"higher", "lower", "earlier", "later")
	exceptAfter = set("all", "everything", "everyone", "anything", "none", "nothing", "nobody", "every", "each")
)

// resolveValues settles a value two columns hold by the rest of the
// question: a column named just before it ("home team boston") takes the
// value and its name's words; else the one holder the question names
// elsewhere. A value still ambiguous is offered as a choice on decline.
func (l *linked) resolveValues() {
	for _, v := range l.vals {
		if v.col != nil || len(v.cands) < 2 {
			continue
		}
		if i := v.from - 1; i >= 0 && l.words[i].col != nil && v.byCol[l.words[i].col] != nil {
			c := l.words[i].col
			for i >= 0 && l.words[i].col == c {
				l.words[i].col, l.words[i].val = nil, v
				i--
			}
			v.from = i + 1
			v.col, v.values = c, v.byCol[c]
			continue
		}
		if c := v.byWinVerb(l); c != nil {
			// "the last year chasetown won", "won by V": the winners'
			// column, of a value also among the runners-up.
			v.col, v.values = c, v.byCol[c]
			continue
		}
		if c := v.byDirection(l); c != nil {
			v.col, v.values = c, v.byCol[c]
			l.words[v.from-1].filler = true // "from", "left": read with the value
			continue
		}
		var named *column
		for _, c := range v.cands {
			for _, w := range l.words {
				if w.col == c && named != c {
					if named != nil {
						named = nil
						goto next
					}
					named = c
				}
			}
		}
		if named != nil {
			v.col, v.values = named, v.byCol[named]
		}
	next:
	}
	// "dest JFK vs LAX": a value still ambiguous takes the column of the
	// other values of the question, when they agree on one it holds.
	for _, v := range l.vals {
		if v.col != nil || len(v.cands) < 2 {
			continue
		}
		var other *column
		for _, o := range l.vals {
			if o.col == nil || o == v {
				continue
			}
			if other != nil && other != o.col {
				other = nil
				break
			}
			other = o.col
		}
		if other != nil && v.byCol[other] != nil {
			v.col, v.values = other, v.byCol[other]
		}
	}
}

// rangeWords end the first number of a range ("week 1 to week 4").
var rangeWords = set("to", "through", "until", "till", "thru")

// linkColumnValues reads "week 12", "season 6", "game 3", "type a": a
// column's name followed by a number or a short word that column holds,
// alone, names that value of the column, the name read with it (as
// resolveValues reads "home team boston"). The number is then no count, no
// limit and no comparison; another column holding it too does not matter,
// the name says which.
func (l *linked) linkColumnValues() {
	for i := 0; i+1 < len(l.words); i++ {
		c, n := l.words[i].col, &l.words[i+1]
		if c == nil || n.col != nil || n.val != nil || n.date != nil || n.decade || n.dur {
			continue
		}
		v, ok := n.held[c]
		if !ok {
			continue
		}
		from := i
		for from > 0 && l.words[from-1].col == c && l.words[from-1].val == nil {
			from--
		}
		// "before the year 2007", "after week 3", "from week 1 to week
		// 4": a comparison or a range of the column, read by conditions.
		p := from - 1
		if p >= 0 && l.words[p].w == "the" {
			p--
		}
		if p >= 0 && (cmpWordsL[l.words[p].w] != "" || cmpWords[l.words[p].w] != "") ||
			i+2 < len(l.words) && rangeWords[l.words[i+2].w] {
			continue
		}
		vl := &valueLink{col: c, values: []string{v}, from: from, to: i + 2, byCol: map[*column][]string{c: {v}}, cands: []*column{c}}
		for k := from; k < i+2; k++ {
			l.words[k].col, l.words[k].val = nil, vl
		}
		l.vals = append(l.vals, vl)
		i++
	}
}

// negativeAt is the length of a minus sign just before the number at i,
// itself after a space or a bracket ("below -14", "(−3)"), or 0; a range's
// dash ("1996-97") is no sign.
func negativeAt(q string, i int) int {
	for _, sign := range []string{"-", "−"} {
		if strings.HasSuffix(q[:i], sign) {
			if j := i - len(sign); j == 0 || q[j-1] == ' ' || q[j-1] == '(' {
				return len(sign)
			}
			return 0
		}
	}
	return 0
}

func (l *linked) linkValues(idx *duck.ValueIndex) {
	if idx == nil {
		return
	}
	bySpan := map[[2]int]*valueLink{}
	for _, m := range idx.Lookup(l.q) {
		c := l.s.column(m.Column)
		if c == nil {
			continue
		}
		from, to := -1, -1
		for i, w := range l.words {
			if w.start < m.Span[1] && w.end > m.Span[0] {
				if from < 0 {
					from = i
				}
				to = i + 1
			}
		}
		if from < 0 {
			continue
		}
		// A lone number or a stop word is read as such, not as a value; a
		// number held by one column only may still become a condition.
		if to-from == 1 && l.words[from].isNum && l.words[from].num < 0 && !strings.HasPrefix(m.Value, "-") {
			continue // "-14" is not the 14 a column holds
		}
		if to-from == 1 && (l.words[from].isNum || stopWords[l.words[from].w] || knownWord(l.words[from].w)) {
			w := &l.words[from]
			if w.held == nil {
				w.held = map[*column]string{}
			}
			if _, ok := w.held[c]; !ok {
				w.held[c] = m.Value
			}
		}
		if to-from == 1 && l.words[from].isNum {
			w := &l.words[from]
			switch {
			case w.decade:
			case w.numVal == "":
				w.numCol, w.numVal = c, m.Value
			case w.numCol != c:
				w.numCol = nil
			}
			continue
		}
		if to-from == 1 && (stopWords[l.words[from].w] || knownWord(l.words[from].w)) {
			continue
		}
		key := [2]int{from, to}
		v := bySpan[key]
		switch {
		case v == nil:
			v = &valueLink{col: c, from: from, to: to, byCol: map[*column][]string{}}
			bySpan[key] = v
			l.vals = append(l.vals, v)
		case v.col != c:
			v.col = nil // two columns hold it: ambiguous
		}
		if _, ok := v.byCol[c]; !ok {
			v.cands = append(v.cands, c)
		}
		v.byCol[c] = append(v.byCol[c], m.Value)
		if v.col != nil {
			v.values = append(v.values, m.Value)
		}
		if m.Part {
			v.item = l.q[m.Span[0]:m.Span[1]]
		}
	}
	for _, v := range l.vals {
		for i := v.from; i < v.to; i++ {
			l.words[i].val = v
		}
	}
}

// linkColumns marks the longest runs of words that name a column: its whole
// name, or the start of it when only one column starts so.
func (l *linked) linkColumns() {
	for i := 0; i < len(l.words); {
		if l.words[i].val != nil || l.words[i].date != nil {
			i++
			continue
		}
		var best *column
		bestN, amb := 0, false
		for _, c := range l.s.cols {
			n := prefixRun(l.words[i:], c.words)
			switch {
			case n == 0 || n < bestN:
			case n > bestN || len(c.words) < len(best.words):
				best, bestN, amb = c, n, false
			case len(c.words) == len(best.words):
				amb = true // two columns fit equally: leave the word unplaced
			}
		}
		if best == nil || amb {
			// "the 2009 population", "population … in 2006": a number of
			// the question in the name of one column the word may mean.
			if c, n, k := l.columnByNumber(i, bestN); c != nil {
				for j := i; j < i+n; j++ {
					l.words[j].col = c
				}
				l.words[k].col = c
				i += n
				continue
			}
		}
		if best == nil {
			// "how many barangays" names "No. of Barangays": a count
			// column goes by the noun it counts.
			for _, c := range l.s.cols {
				if a := countedNoun(c.words); a != nil && prefixRun(l.words[i:], a) == len(a) && (best == nil || len(a) > bestN) {
					best, bestN = c, len(a)
				}
			}
			if best != nil {
				for k := i; k < i+bestN; k++ {
					l.words[k].col = best
				}
				i += bestN
				continue
			}
		}
		// A plural noun that only starts a column's name names the rows
		// ("how many flights", not "flight_date").
		partial := best != nil && bestN < len(best.words)
		if partial && figureOf(best, l.words[i+bestN-1].s) {
			// "this team" of "Team record": the record is no team.
			i++
			continue
		}
		if best != nil && (amb || partial && !uniquePrefix(l.s, best, bestN)) {
			// "which team conceded the least goals" of "Goals Scored" and
			// "Goals Conceded": the rest of one name elsewhere in the
			// question picks it.
			if c, rest := l.columnByOtherWords(i, bestN); c != nil {
				for k := i; k < i+bestN; k++ {
					l.words[k].col = c
				}
				for _, k := range rest {
					l.words[k].col = c
				}
				i += bestN
				continue
			}
		}
		if best == nil || amb || partial && (stopWords[l.words[i].w] || knownWord(l.words[i].w) || !uniquePrefix(l.s, best, bestN) ||
			l.words[i+bestN-1].w != l.words[i+bestN-1].s) {
			i++
			continue
		}
		for k := i; k < i+bestN; k++ {
			l.words[k].col = best
		}
		i += bestN
	}
}

// columnByNumber picks, for words several columns' names hold ("Population
// 2011", "Population 2006"; "CSA/CMA 2009 population", "Projected 2025
// population"), the one column whose name also holds a number of the
// question: the number next to the words first, else the question's free
// numbers, which must all pick the same column. The number is then part of
// the column's name, no filter. n is how many words from i spell the start
// of the names (0: the one word i is anywhere in them). It returns the
// column, the words it takes from i, and the number's word; nil for none.
func (l *linked) columnByNumber(i, n int) (*column, int, int) {
	w := l.words[i]
	if w.isNum || w.val != nil || w.date != nil || stopWords[w.w] || knownWord(w.w) || len(w.w) < 3 {
		return nil, 0, -1
	}
	var cands []*column
	for _, c := range l.s.cols {
		if n > 0 && prefixRun(l.words[i:], c.words) == n || n == 0 && namesAny(c.words, []string{w.s, w.w}) {
			cands = append(cands, c)
		}
	}
	if n == 0 {
		n = 1
	}
	pick := func(k int) *column {
		x := l.words[k]
		if !x.isNum || x.decade || x.dur || x.col != nil || x.val != nil || x.date != nil || len(x.held) > 0 ||
			x.num != math.Trunc(x.num) || x.num < 0 {
			return nil
		}
		text := strconv.FormatFloat(x.num, 'f', -1, 64)
		var found *column
		for _, c := range cands {
			if namesAny(c.words, []string{text}) {
				if found != nil {
					return nil
				}
				found = c
			}
		}
		return found
	}
	for _, k := range []int{i - 1, i + n} {
		if k >= 0 && k < len(l.words) {
			if c := pick(k); c != nil {
				return c, n, k
			}
		}
	}
	var found *column
	at := -1
	for k := range l.words {
		c := pick(k)
		switch {
		case c == nil:
		case found != nil && c != found:
			return nil, 0, -1
		case found == nil:
			found, at = c, k
		}
	}
	return found, n, at
}

// columnByOtherWords picks, among the columns whose names start with the n
// words from i, the one whose other words all stand elsewhere in the
// question as words of their own; nil unless exactly one does. It returns
// the column and where its other words stand.
func (l *linked) columnByOtherWords(i, n int) (*column, []int) {
	var found *column
	var at []int
	for _, c := range l.s.cols {
		if len(c.words) <= n || prefixRun(l.words[i:], c.words) != n {
			continue
		}
		if !c.isNumeric() || c.isCategory() {
			// Only two measures ("Goals Scored", "Goals Conceded"): "teams"
			// of "Team Name" and "Team City" names the rows.
			return nil, nil
		}
		var ks []int
		for _, cw := range c.words[n:] {
			k := -1
			for j, w := range l.words {
				if (j < i || j >= i+n) && w.col == nil && w.val == nil && w.date == nil && !w.isNum &&
					!stopWords[w.w] && (w.s == cw || w.w == cw) {
					k = j
					break
				}
			}
			if k < 0 {
				ks = nil
				break
			}
			ks = append(ks, k)
		}
		if ks == nil {
			continue
		}
		if found != nil {
			return nil, nil
		}
		found, at = c, ks
	}
	return found, at
}

// countedNoun is the noun a count column's name counts ("No. of
// Barangays", "Number of seats", "# of titles" → barangay, seat, title),
// or nil for any other name.
func countedNoun(name []string) []string {
	i := 0
	switch {
	case len(name) > 2 && (name[0] == "no" || name[0] == "number" || name[0] == "num") && name[1] == "of":
		i = 2
	case len(name) > 1 && name[0] == "of": // "# of titles": "#" is no word
		i = 1
	default:
		return nil
	}
	return name[i:]
}

// prefixRun is how many of ws, in order, spell the first words of name.
func prefixRun(ws []lword, name []string) int {
	n := 0
	for n < len(ws) && n < len(name) && ws[n].val == nil && ws[n].date == nil && (ws[n].s == name[n] || ws[n].w == name[n] || abbrevOf(name[n], ws[n].w)) {
		n++
	}
	return n
}

func uniquePrefix(s *schema, c *column, n int) bool {
	for _, o := range s.cols {
		if o != c && len(o.words) >= n && equalWords(o.words[:n], c.words[:n]) {
			return false
		}
	}
	return true
}

func (s *schema) column(name string) *column {
	for _, c := range s.cols {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// stopWords carry no meaning of their own in a question about a table.
var stopWords = set("a", "an", "the", "of", "in", "on", "at", "to", "for", "by", "is", "are", "was", "were", "be",
	"been", "what", "which", "who", "whom", "whose", "me", "show", "give", "tell", "list", "listed", "chart", "table",
	"this", "these", "that", "there", "it", "its", "their", "they", "did", "does", "do", "has", "have", "had", "please",
	"data", "dataset", "here", "on", "according", "shown", "name", "number", "amount", "total", "all", "with",
	"and", "as", "from", "entire", "whole", "any", "one")

// relationVerbs say how a row came to be in the table ("players
// transferred to Ajax", "the last representative picked", "games played
// at V") without a condition of their own: a value spelled so is still read
// as the value, and verbs that do set a condition (won, lost, scored,
// retired) are not among them.
var relationVerbs = set("transferred", "picked", "drafted", "selected", "chosen", "released", "published", "issued",
	"recorded", "aired", "air", "broadcast", "premiered", "played", "held", "hosted", "located", "built", "founded",
	"established", "formed", "opened", "launched", "produced", "written", "elected", "appointed", "listed",
	"represented", "competed", "featured", "served", "compete", "play", "release", "made", "get", "got", "saw", "see",
	"terms", "came", "come", "comes", "starred", "starring", "acted", "featuring", "live", "lived", "reside", "resided",
	"used", "use", "uses", "filmed", "feature", "features", "hold", "holds", "included", "include", "includes",
	"contain", "contains", "contained", "participated", "entered", "performed", "titled", "entitled")

var typeWords = set("type", "types", "kind", "kinds", "category", "categories", "value", "values")

// knownWord: words the shapes read.
func knownWord(w string) bool {
	return superlatives[w] != 0 || orderWords[w] != 0 || cmpWordsL[w] != "" || countWords[w] || overviewWords[w]
}

// unplaced lists the words no value, column or shape placed. A number
// counts: one nobody read is never dropped silently.
func (l *linked) unplaced() []string {
	var out []string
	for _, w := range l.words {
		if !w.used && !w.filler && w.col == nil && w.val == nil && !stopWords[w.w] && !relationVerbs[w.w] {
			out = append(out, w.w)
		}
	}
	return out
}

// cols are the distinct columns named, in order.
func (l *linked) cols() []*column {
	var out []*column
	for i, w := range l.words {
		if w.col != nil && (i == 0 || l.words[i-1].col != w.col) {
			out = append(out, w.col)
		}
	}
	return out
}

// use marks the words at i as read by the shape.
func (l *linked) use(i ...int) {
	for _, k := range i {
		if k >= 0 && k < len(l.words) {
			l.words[k].used = true
		}
	}
}

// find is the index of the first word among ws, -1 if none.
func (l *linked) find(ws map[string]bool) int {
	for i, w := range l.words {
		if ws[w.w] && w.col == nil && w.val == nil {
			return i
		}
	}
	return -1
}

// byWinVerb is the one column of winners holding v when a verb of winning
// stands next to it ("V won", "won by V"), or nil.
func (v *valueLink) byWinVerb(l *linked) *column {
	near := v.to < len(l.words) && winVerbs[l.words[v.to].w] ||
		v.from >= 2 && l.words[v.from-1].w == "by" && winVerbs[l.words[v.from-2].w]
	if !near {
		return nil
	}
	var found *column
	for _, c := range v.cands {
		if isWinnerColumn(c) {
			if found != nil {
				return nil
			}
			found = c
		}
	}
	return found
}

// unlinkColumnNames drops a one-word value that starts a column's whole
// name of two words or more ("a free transfer fee": Transfer, a type, is
// the start of the column "Transfer fee" here).
func (l *linked) unlinkColumnNames() {
	kept := l.vals[:0]
	for _, v := range l.vals {
		if v.to-v.from == 1 && l.spellsColumn(v.from) {
			l.words[v.from].val = nil
			continue
		}
		kept = append(kept, v)
	}
	l.vals = kept
}

// spellsColumn reports whether the words from i spell a column's whole
// name of two words or more.
func (l *linked) spellsColumn(i int) bool {
	for _, c := range l.s.cols {
		n := len(c.words)
		if n < 2 || i+n > len(l.words) {
			continue
		}
		ok := true
		for k := 0; k < n && ok; k++ {
			w := l.words[i+k]
			ok = (w.s == c.words[k] || w.w == c.words[k]) && (k == 0 || w.val == nil)
		}
		if ok {
			return true
		}
	}
	return false
}

// linkUnitWords reads a unit standing alone ("the difference in tonnes",
// "how many strokes") as the one numeric column whose cells carry it
// ("1,450 tonnes"). A unit after a number is the number's ("at least 10
// km"), read by the comparisons.
func (l *linked) linkUnitWords() {
	for i := range l.words {
		w := &l.words[i]
		if w.col != nil || w.val != nil || w.isNum || stopWords[w.w] || knownWord(w.w) || len(w.w) < 3 ||
			i > 0 && l.words[i-1].isNum || !l.s.isUnit(w.w) {
			continue
		}
		if c := l.s.unitColumn(w.w); c != nil && c.unit != "" {
			w.col = c
		}
	}
}

// complete is the value index's entry for c when it holds all of c's
// values, nil otherwise (not indexed, or only its most frequent values).
func (l *linked) complete(c *column) *duck.IndexedColumn {
	if l.idx == nil {
		return nil
	}
	for i := range l.idx.Columns {
		if ic := &l.idx.Columns[i]; ic.Name == c.Name && ic.Complete {
			return ic
		}
	}
	return nil
}
