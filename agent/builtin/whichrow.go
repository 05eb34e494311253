package builtin

// "which poll source has the largest sample size", "which is the largest
// days held": a question asking which row (or which group) holds the
// largest number. The older grammar reads some of these as a number: the
// ordered rows under the largest value, or a total per group that adds up
// measures of single things (sample sizes of several polls). Those
// readings name a number where a row was asked for, so they are declined
// (the superlative shape answers with the row where it can). A total per
// group stays when the groups are kinds ("which type has the longest
// duration": a few types, each of many rows); it is declined when they
// label rows and only a few repeat (poll sources, each of one poll or
// two), where adding up is a guess.
func whichAsksRow(l *linked, q *query) *parseError {
	if len(l.words) == 0 || l.words[0].w != "which" && l.words[0].w != "who" {
		return nil
	}
	if q.kind == qRows && q.orderCol != nil {
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
	for _, m := range q.measures {
		if m.fn == aggSum && m.col != nil && g.distinct >= 0 && g.nonNull >= 0 && g.distinct < g.nonNull && 2*g.distinct > g.nonNull {
			return declineWords(l, nil, "")
		}
	}
	return nil
}

// totalWords ask for a total in so many words.
var totalWords = set("total", "totals", "sum", "combined", "overall", "altogether", "most", "all")
