package builtin

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
	if oi < 0 {
		return nil
	}
	dir := listedWords[l.words[oi].w]
	if w := l.words[oi].w; w == "above" || w == "below" {
		// "listed above V": the next words name a value.
		j := oi + 1
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
			!l.hasNoun() {
			// "what comes after susie": the column of the value.
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
		for _, i := range []int{oi + 1, l.find(set("which", "what")) + 1} {
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
			if c := l.entityAt(j); c != nil {
				l.use(i)
				return c
			}
			return nil
		}
	}
	if oi+1 < len(l.words) {
		return l.entityAt(oi + 1)
	}
	return nil
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
