package builtin

import "strings"

// "what is the first airbase listed on the chart?", "which area is listed
// above chicago?", "what is the track before V?", "what year comes after
// 1995?": order questions whose thing is a noun of its own (read as the
// table's name column) or a column, with the verbs that only say where a
// row stands in the table. Rows are in the order of the file.

var listedWords = map[string]int{"first": 1, "last": -1, "final": -1, "next": 2, "following": 2, "after": 2,
	"previous": -2, "preceding": -2, "before": -2, "above": -2, "below": 2}

// listedFillers say where a row stands, nothing more.
var listedFillers = set("listed", "comes", "come", "came", "finished", "placed", "ranked", "just", "immediately", "right",
	"directly", "released", "played", "held", "aired", "appears", "appear", "chart", "list", "table")

func matchListed(l *linked) *plan {
	oi := -1
	for i, w := range l.words {
		if listedWords[w.w] != 0 && w.col == nil && w.val == nil {
			oi = i
			break
		}
	}
	dir := 0
	if oi >= 0 {
		dir = listedWords[l.words[oi].w]
	} else if oi, dir = l.atTop(); oi < 0 {
		return nil
	}
	last := oi
	if k := l.otherSide(oi, dir); k > 0 {
		// "above/below V", "before and after V": both neighbours.
		l.use(oi+1, k)
		last, dir = k, 0
	}
	if w := l.words[last].w; w == "above" || w == "below" {
		// "listed above V": the next words name a value.
		j := last + 1
		if j < len(l.words) && l.words[j].w == "the" {
			j++
		}
		if j >= len(l.words) || l.words[j].val == nil {
			return nil
		}
	}
	var cols []*column
	var at []int
	for i, w := range l.words {
		if w.col != nil && w.val == nil && (i == 0 || l.words[i-1].col != w.col) {
			cols = append(cols, w.col)
			at = append(at, i)
		}
	}
	var target *column
	switch {
	case len(cols) == 1:
		target = cols[0]
	case len(cols) == 2 && cols[0].Name == "Name" && at[0]+1 < len(l.words) && l.words[at[0]+1].w == "of":
		// "the name of the first club": the club.
		target = cols[1]
		l.use(at[0] + 1)
	case len(cols) == 0:
		target = l.listedNoun(oi)
		if target == nil && dir != 1 && dir != -1 && len(l.vals) == 1 && l.vals[0].col != nil && l.vals[0].from > oi &&
			!l.hasNoun() && (l.find(set("who")) < 0 || l.s.whoColumn(l.vals[0].col)) {
			// "what comes after susie": the column of the value; "who did
			// they play after V" only of people or teams ("after wembley
			// stadium" is no one).
			target = l.vals[0].col
		}
	default:
		return nil
	}
	if target == nil {
		return nil
	}
	if len(cols) > 0 {
		// "the winner of the first final", "which team was the winner":
		// a noun after the order word or after which/what names the rows
		// or the thing asked for, unless it names another column's kind.
		for _, i := range []int{oi + 1, l.find(set("which", "what")) + 1, l.possessed(target)} {
			if i <= 0 || i >= len(l.words) {
				continue
			}
			w := l.words[i]
			if w.used || w.col != nil || w.val != nil || w.isNum || stopWords[w.w] || knownWord(w.w) && w.w != "final" || listedFillers[w.w] {
				continue
			}
			if lossWords[w.w] || winVerbs[w.w] {
				return nil // "the first loss": a result, not the rows
			}
			if c := l.s.entityColumn(w.s); c != nil && c != target && c != l.s.nameColumn() || timeNouns[w.w] {
				return nil
			}
			l.use(i)
		}
	}
	for i, w := range l.words {
		if w.col != nil && w.val == nil {
			l.use(i)
		}
		if listedFillers[w.w] && w.col == nil && w.val == nil {
			l.use(i)
		}
	}
	return orderPlan(l, oi, dir, target)
}

// listedNoun reads the thing asked for when no column is named: "who", or
// a noun right after the order word ("the first airbase") or after
// which/what ("which area is listed above V", "what is the track before V").
func (l *linked) listedNoun(oi int) *column {
	for i, w := range l.words {
		if w.col != nil || w.val != nil {
			continue
		}
		switch w.w {
		case "who":
			c := l.s.entityColumn("who")
			if c != nil {
				l.use(i)
			}
			return c
		case "which", "what":
			j := i + 1
			for j < len(l.words) && (l.words[j].w == "is" || l.words[j].w == "was" || l.words[j].w == "the") {
				j++
			}
			if j == oi {
				j++
			}
			if c := l.kindAt(j, oi); c != nil {
				l.use(i)
				return c
			}
			return nil
		}
	}
	if oi+1 < len(l.words) {
		return l.kindAt(oi+1, oi)
	}
	return nil
}

// kindAt reads word i as the thing asked for (entityAt); a noun that
// stands only for the rows' kind ("the next contest after V") asks for a
// row of the column of the one value named after the order word at oi,
// whichever column names the rows.
func (l *linked) kindAt(i, oi int) *column {
	if i >= 0 && i < len(l.words) {
		w := l.words[i]
		if !w.used && w.col == nil && w.val == nil && !w.isNum && l.s.rowsKindNoun(w.s) && !personNouns[w.s] &&
			len(l.vals) == 1 && l.vals[0].col != nil && l.vals[0].from > oi && !l.vals[0].col.isNumeric() {
			l.use(i)
			return l.vals[0].col
		}
	}
	return l.entityAt(i)
}

// hasNoun reports an unplaced word that is no stop word, filler or word
// the shapes read: a noun the question asks about.
func (l *linked) hasNoun() bool {
	for _, w := range l.words {
		if w.col == nil && w.val == nil && !w.isNum && !w.used && !stopWords[w.w] && !fillers[w.w] && !knownWord(w.w) &&
			!listedFillers[w.w] && !relationVerbs[w.w] && listedWords[w.w] == 0 {
			return true
		}
	}
	return false
}

// otherSide is the index of the word naming the other side of the order
// word at oi ("above/below", "before and after", "before or after"), or -1.
func (l *linked) otherSide(oi, dir int) int {
	if dir != 2 && dir != -2 {
		return -1
	}
	k := oi + 1
	if k < len(l.words) && (l.words[k].w == "and" || l.words[k].w == "or") {
		k++
	}
	if k < len(l.words) && l.words[k].col == nil && l.words[k].val == nil && listedWords[l.words[k].w] == -dir {
		return k
	}
	return -1
}

// atTop reads "on top of the list", "at the top", "at the bottom of the
// table": the first or the last row. Only with "on"/"at" before it: "the
// top album" may rank by a chart, not by the table's order.
func (l *linked) atTop() (int, int) {
	for i, w := range l.words {
		d := map[string]int{"top": 1, "bottom": -1}[w.w]
		if d == 0 || w.col != nil || w.val != nil || i == 0 {
			continue
		}
		k := i - 1
		if l.words[k].w == "the" && k > 0 {
			k--
		}
		if l.words[k].w != "on" && l.words[k].w != "at" {
			continue
		}
		if n := i + 1; n < len(l.words) && l.words[n].w == "of" {
			if n+1 < len(l.words) && l.words[n+1].w == "the" {
				n++
			}
			if n+1 >= len(l.words) || !listPlaces[l.words[n+1].w] {
				continue // "on top of the standings": a ranking, not the list
			}
			l.use(n + 1)
		}
		l.use(k, i-1)
		return i, d
	}
	return -1, 0
}

// listPlaces are the list itself, as questions name it.
var listPlaces = set("list", "table", "chart", "page", "data")

// possessed is the index of the word right after c's name written as a
// possessive ("which country's team": team), or -1. What the column's
// value has is the row itself, named by its own noun.
func (l *linked) possessed(c *column) int {
	for i, w := range l.words {
		if w.col == c && w.val == nil && i+1 < len(l.words) && l.words[i+1].col != c && possessive(l.q[w.start:w.end]) {
			return i + 1
		}
	}
	return -1
}

// possessive reports whether a word of the question is written "X's".
func possessive(raw string) bool {
	r := strings.ToLower(raw)
	return strings.HasSuffix(r, "'s") || strings.HasSuffix(r, "’s")
}
