package builtin

import (
	"github.com/analyzerhq/analyzer/duck"
	"strings"
)

// "how many stations have a distance below 15", "how many days had rain",
// "how many records are there", "what was the total number of races",
// "how many times did X appear": a count of rows under conditions. The one
// word after "how many" may name what the rows are; a text column named
// there counts its different values ("how many different carriers").

// countedKinds name a kind of column, seldom the rows of a table
// without one.
var countedKinds = set("country", "nation", "year", "season", "month")

var rowWords = set("row", "rows", "record", "records", "entry", "entries", "item", "items", "line", "lines")

// countVerbs say that rows exist without adding a condition.
var countVerbs = set("listed", "released", "appear", "appears", "appeared", "occur", "occurs", "occurred", "included",
	"featured", "mentioned", "shown", "present", "total", "different", "distinct", "unique", "type", "types", "kind",
	"kinds", "there", "were", "are", "was", "is", "in", "all", "altogether", "overall")

func matchCount(l *linked) *plan {
	head := countHead(l)
	if head < 0 {
		return nil
	}
	what := "rows"
	var distinct, counted *column
	period := ""
	different := false
	unknownNoun := false // the noun after "how many" is no column and not the rows' own
	if head+1 < len(l.words) && l.words[head].w == "total" && l.words[head].col == nil && l.words[head+1].val != nil {
		l.use(head) // "how many total forwards": the value counted
		head++
	}
	for head < len(l.words) && distinctWords[l.words[head].w] && l.words[head].col == nil {
		l.use(head)
		head++
		different = true
	}
	if head < len(l.words) {
		w := l.words[head]
		switch {
		case w.col != nil && w.col.isNumeric() && !w.col.isCategory() && l.comparedAfter(head):
			// "how many scores were less than -14": the rows whose score
			// is, the comparison being their condition.
			k := head
			for k+1 < len(l.words) && l.words[k+1].col == w.col {
				k++
			}
			what = strings.ToLower(l.q[w.start:l.words[k].end])
		case w.col != nil && w.col.isNumeric() && !w.col.isCategory():
			return nil // "how many goals": a sum, not a count
		case w.col != nil:
			// "how many carriers" counts the column's different values;
			// "how many courthouses" of the column that names the rows
			// (the first text column, three values in five different)
			// counts its cells, two rows sharing a name being two. "how
			// many customers" of orders, 700 customers in 1,000 rows, is
			// 700, never 1,000.
			distinct = w.col
			if !different && l.s.rows > 0 && w.col == l.s.rowLabel() && w.col.distinct*5 >= l.s.rows*3 {
				distinct, counted, what = nil, w.col, w.w // its cells that are not empty
			}
			for k := head; k < len(l.words) && l.words[k].col == w.col; k++ {
				l.use(k)
			}
		case w.val != nil || w.isNum:
		case winVerbs[w.w] || lossWords[w.w]:
			return nil // "the number of wins": a condition no column was named for
		case !l.rowNounAt(head) && periodSQL(l.s, w.s) != "":
			// "how many days had a delay above 60" of flights: dates,
			// not rows.
			period = periodSQL(l.s, w.s)
			what = w.w
			l.use(head)
		case countedKinds[w.s] && !l.rowNounAt(head) && l.s.entityColumn(w.s) == nil:
			// "how many countries were represented" of athletes: a kind
			// of column the table has not, never its rows.
			return nil
		case (w.s == "game" || w.s == "match") && !l.rowNounAt(head) && l.s.goalRows():
			// "how many games" of a list of goals: two goals in one game
			// are two rows.
			return nil
		default:
			what = w.w
			l.use(head)
			unknownNoun = !l.rowNounAt(head) && !rowWords[w.w]
			if unknownNoun && amountNouns[w.s] {
				// "how many goals" of a table with no goals column: an
				// amount the table does not hold, not its rows.
				return nil
			}
		}
	}
	for i, w := range l.words {
		if countVerbs[w.w] && w.col == nil && w.val == nil {
			l.use(i)
		}
	}
	l.useWinVerbs()
	if what == "rows" {
		if n := l.useRowNouns(); n != "" {
			what = n // "how many rainy days"
		}
	}
	conds, ok := l.conditions(nil)
	if !ok {
		return nil
	}
	for _, w := range l.words {
		if w.col != nil && !w.used {
			return nil // a column named but not read
		}
	}
	if unknownNoun {
		for _, v := range l.vals {
			if v.col != nil && l.s.rows > 1 && v.col.distinct >= l.s.rows && v.item == "" {
				// "how many barangays does angono have" with a column of
				// names, one row each: a count of rows would be 1 whatever
				// was asked; the number sits in a column not named here.
				return nil
			}
		}
	}
	if distinct != nil && distinct.isNumeric() {
		for _, v := range l.vals {
			if v.col != nil && l.s.rows > 1 && v.col.distinct >= l.s.rows {
				// "how many episodes were in season 6" of a numeric
				// Episodes column: the number the row holds, not how many
				// different numbers one row has.
				return nil
			}
		}
	}
	conds = append(conds, l.totals...)
	w, wd := whereOf(conds)
	sel := "count(*) AS " + duck.QuoteIdent(what)
	if counted != nil {
		sel = "count(" + counted.ident() + ") AS " + duck.QuoteIdent(what)
	}
	if distinct != nil {
		what = "different " + distinct.Name + " values"
		sel = "count(DISTINCT " + distinct.textExpr() + ") AS " + duck.QuoteIdent(distinct.Name)
	}
	if period != "" {
		sel = "count(DISTINCT " + period + ") AS " + duck.QuoteIdent(what)
	}
	return &plan{
		desc: "the number of " + what + wd,
		sql:  "SELECT " + sel + " FROM " + table + w,
		say: func(res *duck.Result) string {
			r := firstRow(res)
			if r == nil {
				return "No answer."
			}
			return bold(cellText(&column{}, r[0])) + " " + what + wd + "."
		},
	}
}

// amountNouns are amounts a row has, never rows themselves.
var amountNouns = set("goal", "point", "vote", "win", "loss", "medal", "seat", "lap", "yard", "assist", "rebound",
	"appearance", "cap", "wicket", "dollar", "ton", "tonne", "mile", "kilometer", "kilometre", "meter", "metre",
	"inch", "foot", "feet", "pound", "percent", "run", "strike", "touchdown", "basket", "stroke", "minute", "hour")

// pluralValue reports whether the value at word i is named in the plural
// ("the number of runner-ups" of Runner-up): rows to count, not a value to
// look up. A name that ends so itself ("chris williams") is no plural.
func pluralValue(ws []lword, i int) bool {
	v := ws[i].val
	last := ws[v.to-1]
	if v.from != i || last.w == last.s || last.isNum || len(v.values) == 0 {
		return false
	}
	cell := plainWords(v.values[0])
	asked := plainWords(last.w)
	return len(cell) > 0 && len(asked) > 0 && cell[len(cell)-1] != asked[len(asked)-1]
}

// countHead reads the start of a count question and returns the index of
// the word after it: "how many", "in how many", "what is/was the (total)
// number of", "the total number of". -1 when the question is no count.
func countHead(l *linked) int {
	ws := l.words
	i := 0
	if len(ws) > 0 && ws[0].w == "in" {
		i = 1
	}
	if i+1 < len(ws) && ws[i].w == "how" && ws[i+1].w == "many" {
		l.use(i-1, i, i+1)
		if i+3 < len(ws) && ws[i+2].w == "of" && ws[i+3].w == "the" && ws[i+2].col == nil && ws[i+3].col == nil {
			// "how many of the mountains": the same as "how many mountains".
			l.use(i+2, i+3)
			return i + 4
		}
		return i + 2
	}
	// "what is the total number of", "the number of".
	for j := 0; j < len(ws) && j < 5; j++ {
		if ws[j].w == "number" && j+1 < len(ws) && ws[j+1].w == "of" && ws[j].col == nil {
			for k := 0; k < j; k++ {
				if !stopWords[ws[k].w] {
					return -1
				}
			}
			l.use(j, j+1)
			if j+2 < len(ws) && (ws[j+2].col == nil || !ws[j+2].col.isNumeric()) && (ws[j+2].val == nil || pluralValue(ws, j+2)) && !ws[j+2].isNum {
				return j + 2
			}
			return -1 // "the number of <column>": a lookup or a sum
		}
	}
	return -1
}

// winVerbs name the winner: they are read with a value of a column of
// winners ("how many races were won by mark skaife").
var winVerbs = set("won", "win", "wins", "winning", "winner")

// lossWords name a result: never the rows themselves.
var lossWords = set("loss", "losses", "lost", "lose", "defeat", "defeats", "draw", "draws", "tie", "ties")

func (l *linked) useWinVerbs() {
	for i, w := range l.words {
		if !winVerbs[w.w] || w.col != nil || w.val != nil {
			continue
		}
		for _, v := range l.vals {
			if v.col != nil && isWinnerColumn(v.col) {
				l.use(i)
				if i+1 < len(l.words) && l.words[i+1].w == "by" {
					l.use(i + 1)
				}
			}
		}
	}
}

func isWinnerColumn(c *column) bool {
	for _, w := range c.words {
		switch w {
		case "winner", "winning", "champion", "won", "gold":
			return true
		}
	}
	return false
}

// rowLabel is the column that names the table's rows: its first text
// column after any numbering ("#", "No.", "Rank"), unless a column before
// it already holds one value per row (an order's id names the order, not
// its customer); nil when none.
func (s *schema) rowLabel() *column {
	for _, c := range s.cols {
		if len(c.words) == 0 || rankNames[c.words[0]] {
			continue // "#", "No.", "Rank": the rows' places, not their names
		}
		if c.kind == duck.KindText && !c.numText && c.dateFmt == "" {
			return c
		}
		if s.rows > 0 && c.distinct >= s.rows {
			return nil
		}
	}
	return nil
}
