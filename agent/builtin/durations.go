package builtin

import (
	"regexp"
	"strings"

	"github.com/analyzerhq/analyzer/duck"
)

// Lengths of time in a question ("more than 5:00", "over five minutes",
// "lasts for only 1:38", "longer than 4 minutes") compare with the
// table's column of durations, which the profile reads as seconds
// (duck.Reading.Duration). A duration compared with a column of other
// numbers, or a duration column compared with a bare number ("more than
// 5": minutes? seconds?), is not read: the question is declined.

// clockRe is a length of time written with colons: m:ss, h:mm:ss, with
// a fraction of a second ("1:10.73").
var clockRe = regexp.MustCompile(`\b([0-9]{1,3}):([0-5][0-9])(?::([0-5][0-9]))?(\.[0-9]+)?\b`)

// clockSpans are the clock-written durations of q, with their seconds
// (duck.ClockSeconds: the reading the table's cells get).
func clockSpans(q string) (spans [][2]int, secs []float64) {
	for _, m := range clockRe.FindAllStringIndex(q, -1) {
		s, ok := duck.ClockSeconds(q[m[0]:m[1]])
		if !ok {
			continue
		}
		spans = append(spans, [2]int{m[0], m[1]})
		secs = append(secs, s)
	}
	return spans, secs
}

// clockWord reads the word at span m of q as part of a clock-written
// duration: the first word of one becomes the whole duration (in
// seconds); skip is true for its other words.
func clockWord(q string, m []int, spans [][2]int, secs []float64) (w lword, first, skip bool) {
	for k, sp := range spans {
		if m[0] < sp[0] || m[0] >= sp[1] {
			continue
		}
		if m[0] != sp[0] {
			return lword{}, false, true
		}
		t := q[sp[0]:sp[1]]
		return lword{w: t, s: t, start: sp[0], end: sp[1], num: secs[k], isNum: true, dur: true}, true, false
	}
	return lword{}, false, false
}

// timeUnits are the seconds of a unit of time written after a number.
var timeUnits = map[string]float64{"second": 1, "seconds": 1, "sec": 1, "secs": 1, "minute": 60, "minutes": 60, "min": 60,
	"mins": 60, "hour": 3600, "hours": 3600, "hr": 3600, "hrs": 3600}

// durationWords say that a row lasts: read with a comparison on the
// duration column ("tracks that last more than 5:00").
var durationWords = set("last", "lasts", "lasted", "lasting", "long", "run", "runs", "ran", "running", "play", "plays", "played", "take", "takes", "took")

// durationColumn is the table's one column of lengths of time, nil when it
// has none or several.
func (s *schema) durationColumn() *column {
	var found *column
	for _, c := range s.cols {
		if c.dur {
			if found != nil {
				return nil
			}
			found = c
		}
	}
	return found
}

// durationOperand settles the number of a comparison (word j, compared by
// word i) with col, the column found so far (nil if none): a duration
// compares with the one duration column in seconds; ok is false when the
// two do not go together. shown is the number as the answer writes it.
func (l *linked) durationOperand(col *column, i, j int) (c *column, num float64, shown string, ok bool) {
	w := l.words[j]
	unit := 0.0
	if j+1 < len(l.words) {
		unit = timeUnits[l.words[j+1].w]
	}
	switch {
	case w.dur:
		if col == nil {
			col = l.s.durationColumn()
		}
		if col == nil || !col.dur {
			return col, 0, "", false
		}
		num = w.num
	case unit > 0 && (col == nil || col.dur):
		if col == nil {
			col = l.s.durationColumn()
		}
		if col == nil {
			return nil, 0, "", false
		}
		num = w.num * unit
		l.use(j + 1)
	case col != nil && col.dur:
		return col, 0, "", false // "more than 5": minutes or seconds?
	default:
		return col, w.num, "", true
	}
	for k := i - 1; k >= 0 && k >= i-3; k-- {
		if durationWords[l.words[k].w] && l.words[k].col == nil && l.words[k].val == nil {
			l.use(k)
		}
	}
	return col, num, duck.FormatDuration(num), true
}

// durationValue is the condition of a duration named on its own ("what
// track lasts for only 1:38"): the duration column equals it.
func (l *linked) durationValue(i int) (cond, bool) {
	w := l.words[i]
	c := l.s.durationColumn()
	if !w.dur || c == nil {
		return cond{}, false
	}
	for k := i - 1; k >= 0 && k >= i-4; k-- {
		if x := l.words[k].w; (durationWords[x] || x == "for" || x == "only" || x == "just") && l.words[k].col == nil && l.words[k].val == nil {
			l.use(k)
		}
	}
	return cond{
		sql:  c.expr() + " = " + sqlNum(w.num),
		desc: c.Name + " is " + strings.TrimSpace(w.w),
	}, true
}

// legacyDuration declines what the older grammar reads as a comparison
// of a duration column with a number: it knows neither "5:00" nor the
// unit of "under 60".
func legacyDuration(l *linked, q *query) *parseError {
	for _, f := range q.filters {
		if f.col != nil && f.col.dur && (f.isNum || f.op == "between") {
			return declineWords(l, nil, "")
		}
	}
	return nil
}

// isUnit reports a unit word: one the analyst knows, or the unit of a
// column's cells as the profile read it ("pp" of "192 pp", "games").
func (s *schema) isUnit(w string) bool {
	if units[w] {
		return true
	}
	u := duck.UnitOf(w)
	if a, ok := unitNames[w]; ok {
		u = a
	}
	for _, c := range s.cols {
		if c.unit != "" && c.unit != "th" && c.unit == u {
			return true
		}
	}
	return false
}

// howLongFillers say what a row's length of time is of: "how long did it
// take for V to finish", "how long did V last (for)".
var howLongFillers = set("it", "take", "takes", "took", "finish", "finished", "complete", "completed", "last", "lasted", "run", "ran")

// howLong reads a question opening "how long" as asking for the one
// duration column, with its words of lasting placed; nil otherwise (a
// span between two dates, a column of lengths in metres).
func (l *linked) howLong() *column {
	if len(l.words) < 3 || l.words[0].w != "how" || l.words[1].w != "long" {
		return nil
	}
	c := l.s.durationColumn()
	if c == nil {
		return nil
	}
	l.use(0, 1)
	for i, w := range l.words {
		if howLongFillers[w.w] && w.col == nil && w.val == nil {
			l.use(i)
		}
	}
	return c
}
