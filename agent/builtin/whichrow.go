package builtin

// "which is the largest days held": a question asking which row holds the
// largest number. The older grammar reads some of these as the ordered
// rows under the largest value, whose sentence names the number where a
// row was asked for: declined (the superlative shapes answer with the row
// where they can).
func whichAsksRow(l *linked, q *query) *parseError {
	if len(l.words) == 0 || l.words[0].w != "which" && l.words[0].w != "who" {
		return nil
	}
	if q.kind == qRows && q.orderCol != nil {
		return declineWords(l, nil, "")
	}
	return nil
}
