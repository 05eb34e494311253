package builtin

import (
	"strings"
	"time"

	"github.com/analyzerhq/analyzer/duck"
)

// "which month is the wettest", "which day of the week has the most
// flights", "which weekday has the most rain days", "which year had the
// most precipitation": the rows of the table's one date column grouped by
// month of the year, day of the week or year, ranked.

// weatherWords rank by a kind of numeric column: the word, the words of
// the column's name that may stand for it, the direction and whether the
// days add up (rain) or average (temperature, wind).
var weatherWords = map[string]struct {
	names []string
	dir   int
	sum   bool
}{
	"wettest":  {[]string{"precipitation", "precip", "rain", "rainfall"}, 1, true},
	"rainiest": {[]string{"precipitation", "precip", "rain", "rainfall"}, 1, true},
	"driest":   {[]string{"precipitation", "precip", "rain", "rainfall"}, -1, true},
	"snowiest": {[]string{"snow", "snowfall"}, 1, true},
	"hottest":  {[]string{"temp", "temperature", "tmax", "tavg"}, 1, false},
	"warmest":  {[]string{"temp", "temperature", "tmax", "tavg"}, 1, false},
	"coldest":  {[]string{"temp", "temperature", "tmin", "tavg"}, -1, false},
	"coolest":  {[]string{"temp", "temperature", "tmin", "tavg"}, -1, false},
	"windiest": {[]string{"wind", "windspeed"}, 1, false},
}

func matchSeason(l *linked) *plan {
	d := l.s.dateColumn()
	if d == nil || d.kind == duck.KindNumeric {
		return nil
	}
	n := len(l.words)
	gi, grain := -1, ""
	for i, w := range l.words {
		if w.col != nil || w.val != nil || i == 0 {
			continue
		}
		// "which month", "what month", "the wettest month".
		prev := l.words[i-1].w
		_, wet := weatherWords[prev]
		if prev != "which" && prev != "what" && !wet && superlatives[prev] == 0 {
			continue
		}
		switch {
		case w.w == "month":
			grain = "month"
		case w.w == "weekday" || w.w == "dow":
			grain = "weekday"
		case w.w == "day" && i+2 < n && l.words[i+1].w == "of" &&
			(l.words[i+2].w == "week" || l.words[i+2].w == "the" && i+3 < n && l.words[i+3].w == "week"):
			grain = "weekday"
			l.use(i+1, i+2, i+3)
		case w.w == "year" && l.s.yearColumn() == d:
			grain = "year"
		case (w.w == "day" || w.w == "date") && l.s.dailyColumn() == nil && (i+1 >= n || l.words[i+1].w != "of"):
			grain = "date" // "which day had the most flights": the dates themselves
		case w.w == "day" || w.w == "date":
			continue
		default:
			continue
		}
		gi = i
		l.use(i)
		if !wet && superlatives[prev] == 0 {
			l.use(i - 1)
		}
		break
	}
	if gi < 0 {
		return nil
	}
	e := d.expr()
	group, order := "monthname("+e+")", "min(month("+e+"))"
	switch grain {
	case "weekday":
		group, order = "dayname("+e+")", "min(isodow("+e+"))"
	case "year":
		group, order = "year("+e+")", "1"
	case "date":
		group, order = "CAST("+e+" AS DATE)", "1"
	}
	// The measure: a word of weather, or a superlative with what it ranks.
	var agg, what string
	dir := 0
	for i := 0; i < n && dir == 0; i++ {
		w := l.words[i]
		if w.col != nil || w.val != nil || i == gi || w.used {
			continue
		}
		if ww, ok := weatherWords[w.w]; ok {
			c := l.s.weatherColumn(w.w)
			if c == nil {
				return nil
			}
			l.use(i)
			dir = ww.dir
			agg, what = "avg("+c.expr()+")", "average "+c.Name
			if ww.sum {
				agg, what = "sum("+c.expr()+")", "total "+c.Name
			}
			continue
		}
		sd := superlatives[w.w]
		if sd == 0 {
			continue
		}
		l.use(i)
		dir = sd
		j := i + 1
		fn := ""
		if j < n && (l.words[j].w == "average" || l.words[j].w == "mean" || l.words[j].w == "total") && l.words[j].col == nil {
			fn = l.words[j].w
			l.use(j)
			j++
		}
		switch {
		case j < n && l.words[j].col != nil && l.words[j].col.isNumeric() && l.words[j].val == nil:
			c := l.words[j].col
			for k := j; k < n && l.words[k].col == c; k++ {
				l.use(k)
			}
			switch {
			case fn == "average" || fn == "mean":
				agg, what = "avg("+c.expr()+")", "average "+c.Name
			case fn == "total" || w.w == "most" || w.w == "least":
				agg, what = "sum("+c.expr()+")", "total "+c.Name
			default:
				return nil // "the highest wind" of a month: a day's or the average?
			}
		case fn != "" || w.w != "most" && w.w != "fewest" && w.w != "least":
			return nil
		case j < n && l.words[j].col != nil && l.words[j].col != d && l.namesRows(l.words[j].col) && l.pluralColumnAfter(i, l.words[j].col):
			// "the most tournaments" of a Tournament column naming the
			// rows: one tournament a row, counted.
			agg, what = "count("+l.words[j].col.ident()+")", l.words[j].w
			for k := j; k < n && l.words[k].col == l.words[j].col; k++ {
				l.use(k)
			}
		default:
			// "the most flights", "the most rain days": rows.
			agg, what = "count(*)", l.s.rowsWord()
			for k := j; k < n; k++ {
				x := l.words[k]
				if x.col == nil && x.val == nil && !x.used && !stopWords[x.w] && x.w == x.s+"s" || rowWords[x.w] {
					what = x.w
					l.use(k)
					break
				}
			}
		}
	}
	if dir == 0 {
		return nil
	}
	for i, w := range l.words {
		if (w.w == "has" || w.w == "had" || w.w == "have" || w.w == "is" || w.w == "was" || w.w == "the" ||
			w.w == "on" || w.w == "average") && w.col == nil && w.val == nil {
			l.use(i)
		}
	}
	conds, ok := l.conditions(nil)
	if !ok {
		return nil
	}
	for _, w := range l.words {
		if w.col != nil && !w.used && w.col != d {
			return nil
		}
	}
	conds = append(conds, cond{sql: e + " IS NOT NULL"})
	wh, wd := whereOf(conds)
	ord := "DESC"
	if dir < 0 {
		ord = "ASC"
	}
	sql := "SELECT " + group + " AS " + grain + ", " + agg + " AS " + duck.QuoteIdent(what) + " FROM " + table + wh +
		" GROUP BY 1 ORDER BY 2 " + ord + ", " + order
	word := map[int]string{1: "the most", -1: "the least"}[dir]
	if strings.HasPrefix(agg, "avg(") {
		word = map[int]string{1: "the highest", -1: "the lowest"}[dir] // "the highest average temp_max"
	}
	return &plan{
		desc: what + " by " + map[string]string{"month": "month of the year", "weekday": "day of the week", "year": "year", "date": "date"}[grain] + wd,
		sql:  sql,
		say: func(res *duck.Result) string {
			r := firstRow(res)
			if r == nil {
				return "No rows match."
			}
			key := func(v any) string {
				if f, ok := v.(int64); ok {
					return sqlNum(float64(f)) // a year, not an amount
				}
				if t, ok := v.(time.Time); ok {
					return t.Format("2006-01-02")
				}
				return cellText(&column{}, v)
			}
			if len(res.Rows) > 1 && cellText(&column{}, res.Rows[1][1]) == cellText(&column{}, r[1]) {
				return bold(key(r[0])) + " and " + bold(key(res.Rows[1][0])) + " tie for " + word + " " + what + ": " +
					cellText(&column{}, r[1]) + " each."
			}
			return bold(key(r[0])) + " has " + word + " " + what + ": " + cellText(&column{}, r[1]) + "."
		},
	}
}

// columnNamed is the one numeric column with a word among names, or nil.
func (s *schema) columnNamed(names []string) *column {
	var found *column
	for _, c := range s.cols {
		if !c.isNumeric() {
			continue
		}
		for _, w := range c.words {
			for _, n := range names {
				if w == n && found != c {
					if found != nil {
						return nil
					}
					found = c
				}
			}
		}
	}
	return found
}

// weatherColumn is the numeric column a word of weather ranks by
// ("warmest": the one temperature column, or of temp_max and temp_min the
// maximum), or nil.
func (s *schema) weatherColumn(word string) *column {
	ww, ok := weatherWords[word]
	if !ok {
		return nil
	}
	if c := s.columnNamed(ww.names); c != nil {
		return c
	}
	prefer := "max"
	if ww.dir < 0 {
		prefer = "min"
	}
	var found *column
	for _, c := range s.cols {
		if !c.isNumeric() {
			continue
		}
		named, pref := false, false
		for _, w := range c.words {
			for _, n := range ww.names {
				named = named || w == n
			}
			pref = pref || w == prefer
		}
		if named && pref {
			if found != nil {
				return nil
			}
			found = c
		}
	}
	return found
}
