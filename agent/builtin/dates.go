package builtin

import (
	"fmt"
	"strings"
	"time"

	"github.com/analyzerhq/analyzer/duck"
)

// A date named in a question ("on 2013-07-04", "on july 4, 2013", "in
// march 2014", "in march") is a condition on the table's one date column:
// the day, the month of a year, or the month of every year. Words the
// value index linked to a value (a text column of dates) stay values.

// dateSpan is a date mentioned by words [from, to).
type dateSpan struct {
	from, to int
	lo, hi   time.Time // [lo, hi): a day or a month; zero when month is set
	month    int       // a month of every year ("in march")
	desc     string
}

var monthNames = map[string]time.Month{
	"january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6,
	"july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10,
	"november": 11, "nov": 11, "december": 12, "dec": 12,
}

// linkDates reads the dates among the words no value took.
func (l *linked) linkDates() {
	ws := l.words
	free := func(i int) bool { return i < len(ws) && ws[i].val == nil && ws[i].date == nil }
	year := func(i int) (int, bool) {
		if !free(i) || !ws[i].isNum || ws[i].num != float64(int(ws[i].num)) || ws[i].num < 1800 || ws[i].num > 2100 ||
			strings.ContainsAny(ws[i].w, ".,") {
			return 0, false
		}
		return int(ws[i].num), true
	}
	day := func(i int) (int, bool) {
		if !free(i) {
			return 0, false
		}
		w := strings.TrimRight(ws[i].w, "stndrh") // "4th", "1st", "22nd"
		var d int
		if _, err := fmt.Sscanf(w, "%d", &d); err != nil || fmt.Sprint(d) != w || d < 1 || d > 31 {
			return 0, false
		}
		return d, true
	}
	month := func(i int) (time.Month, bool) {
		if !free(i) || ws[i].col != nil {
			return 0, false
		}
		m, ok := monthNames[strings.TrimSuffix(ws[i].w, ".")]
		return m, ok
	}
	add := func(from, to int, d *dateSpan) {
		d.from, d.to = from, to
		for k := from; k < to; k++ {
			l.words[k].date = d
			l.words[k].numCol = nil
		}
	}
	dayOf := func(y int, m time.Month, d int) *dateSpan {
		t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		if t.Day() != d {
			return nil // "february 30"
		}
		return &dateSpan{lo: t, hi: t.AddDate(0, 0, 1), desc: t.Format("2006-01-02")}
	}
	for i := 0; i < len(ws); i++ {
		if !free(i) {
			continue
		}
		if t, err := time.Parse("2006-01-02", ws[i].w); err == nil {
			add(i, i+1, &dateSpan{lo: t, hi: t.AddDate(0, 0, 1), desc: ws[i].w})
			continue
		}
		if m, ok := month(i); ok {
			// "july 4 2013", "july 4, 2013", "march 2014", "in march".
			if d, ok := day(i + 1); ok {
				if y, ok := year(i + 2); ok {
					if s := dayOf(y, m, d); s != nil {
						add(i, i+3, s)
						i += 2
					}
					continue
				}
			}
			if y, ok := year(i + 1); ok {
				t := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
				add(i, i+2, &dateSpan{lo: t, hi: t.AddDate(0, 1, 0), desc: t.Format("January 2006")})
				i++
				continue
			}
			if ws[i].w != "may" && ws[i].w != "dec" && ws[i].w != "mar" && i > 0 && (ws[i-1].w == "in" || ws[i-1].w == "during") {
				add(i, i+1, &dateSpan{month: int(m), desc: m.String()})
			}
			continue
		}
		// "4 july 2013".
		if d, ok := day(i); ok {
			if m, ok := month(i + 1); ok {
				if y, ok := year(i + 2); ok {
					if s := dayOf(y, m, d); s != nil {
						add(i, i+3, s)
						i += 2
					}
				}
			}
		}
	}
}

// dateConds reads the dates of the question as conditions on the table's
// one date column; ok is false when a date is named and the table has no
// single date column to hold it.
func (l *linked) dateConds() ([]cond, bool) {
	var out []cond
	for i := 0; i < len(l.words); i++ {
		d := l.words[i].date
		if d == nil || d.from != i || l.words[i].used {
			continue
		}
		c := l.s.dateColumn()
		if c == nil || c.kind == duck.KindNumeric {
			return nil, false
		}
		e := c.expr()
		if d.month != 0 {
			out = append(out, cond{sql: "month(" + e + ") = " + itoa(d.month), desc: "the month of " + c.Name + " is " + d.desc})
		} else if d.hi.Sub(d.lo) <= 24*time.Hour {
			out = append(out, cond{sql: e + " >= DATE '" + d.lo.Format("2006-01-02") + "' AND " + e + " < DATE '" +
				d.hi.Format("2006-01-02") + "'", desc: c.Name + " is " + d.desc})
		} else {
			out = append(out, cond{sql: e + " >= DATE '" + d.lo.Format("2006-01-02") + "' AND " + e + " < DATE '" +
				d.hi.Format("2006-01-02") + "'", desc: c.Name + " is in " + d.desc})
		}
		for k := d.from; k < d.to; k++ {
			l.use(k)
		}
		if k := d.from - 1; k >= 0 && (l.words[k].w == "on" || l.words[k].w == "in" || l.words[k].w == "during" ||
			l.words[k].w == "of") && l.words[k].col == nil && l.words[k].val == nil {
			l.use(k)
		}
		i = d.to - 1
	}
	return out, true
}

func (l *linked) hasDate() bool {
	for _, w := range l.words {
		if w.date != nil {
			return true
		}
	}
	return false
}

// A value two columns hold, one where a trip starts and one where it ends
// ("JFK" of origin and dest), is told apart by its preposition: "from JFK"
// is the start, "to JFK" the end.
var (
	startNames = set("origin", "source", "from", "departure", "depart", "start", "src", "orig", "pickup")
	endNames   = set("dest", "destination", "to", "arrival", "arrive", "end", "target", "dst", "dropoff")
)

var (
	leaveVerbs  = set("left", "leave", "leaves", "leaving", "depart", "departs", "departed", "departing")
	arriveVerbs = set("arrive", "arrives", "arrived", "arriving", "land", "lands", "landed", "landing", "reached")
)

// byDirection is the one candidate column of v that its preposition
// names, or nil.
func (v *valueLink) byDirection(l *linked) *column {
	i := v.from - 1
	if i < 0 || l.words[i].col != nil || l.words[i].val != nil {
		return nil
	}
	if i > 0 && (leaveVerbs[l.words[i-1].w] || arriveVerbs[l.words[i-1].w]) {
		switch l.words[i].w {
		case "at", "in":
			l.words[i-1].filler = true // "arrived at LAX"
			i--
		case "from", "to", "into":
			l.words[i-1].filler = true // "departed from ORD"
		}
	}
	var names map[string]bool
	switch w := l.words[i].w; {
	case w == "from" || w == "out" || leaveVerbs[w]:
		names = startNames
	case w == "to" || w == "into" || w == "towards" || arriveVerbs[w]:
		names = endNames
	default:
		return nil
	}
	var found *column
	for _, c := range v.cands {
		for _, w := range c.words {
			if names[w] {
				if found != nil && found != c {
					return nil
				}
				found = c
			}
		}
	}
	return found
}
