package builtin

// "which is the largest days held", "which location had the top laps": a
// question asking which row (or which group) holds the largest number.
// The older grammar reads some of these as the ordered rows under the
// largest value, whose sentence names the number where a row was asked
// for: declined (the superlative shapes answer with the row where they
// can). It reads others as a total per group; when the groups label rows
// and only a few repeat (locations, each of one race or two), adding up
// the rows of a repeated label is no reading of "the top laps": the
// largest single value per group is.
func whichAsksRow(l *linked, q *query) *parseError {
	if len(l.words) == 0 || l.words[0].w != "which" && l.words[0].w != "who" {
		return nil
	}
	if q.kind == qRows {
		// "which lines opened before 1960": the rows are asked for by a
		// name no column was found for; a count of them, said first, is
		// no answer, and which column names them is not known.
		return declineWords(l, nil, "")
	}
	if q.kind != qAgg || len(q.groups) != 1 || q.dir == 0 {
		return nil
	}
	for _, w := range l.words {
		if totalWords[w.w] {
			return nil // "which team has the most total points": a total was asked
		}
	}
	g := q.groups[0]
	if g.distinct < 0 || g.nonNull < 0 || g.distinct >= g.nonNull || 2*g.distinct <= g.nonNull {
		return nil
	}
	for i, m := range q.measures {
		if m.fn == aggSum && m.col != nil {
			q.measures[i].fn = aggMax
		}
	}
	return nil
}

// totalWords ask for a total in so many words.
var totalWords = set("total", "totals", "sum", "combined", "overall", "altogether", "most", "all")
