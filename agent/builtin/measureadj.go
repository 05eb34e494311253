package builtin

// "the deepest lake", "which mountain is the tallest", "the heaviest
// locomotive": a superlative adjective names the quantity it ranks by.
// When the question names no number column of its own and exactly one
// number column of the table is named after that quantity ("max. depth in
// meter", "Height (m)", "Weight"), the adjective stands for the column too:
// a column word is added right after it, spanning the same text. Two such
// columns (height in m and in ft) leave it unplaced.

var measureAdjectives = map[string][]string{
	"deepest": {"depth", "deep"}, "shallowest": {"depth", "deep"},
	"tallest": {"height", "tall", "elevation", "altitude"}, "shortest": {"height", "length", "duration"},
	"highest": {"height", "elevation", "altitude"}, "lowest": {"height", "elevation", "altitude"},
	"longest":  {"length", "long", "duration"},
	"heaviest": {"weight", "mass"}, "lightest": {"weight", "mass"},
	"widest": {"width", "wide"}, "narrowest": {"width", "wide"},
	"fastest": {"speed"}, "slowest": {"speed"},
	"largest": {"area", "size"}, "biggest": {"area", "size"}, "smallest": {"area", "size"},
}

func init() {
	for w, dir := range map[string]int{"deepest": 1, "shallowest": -1, "heaviest": 1, "lightest": -1,
		"widest": 1, "narrowest": -1, "fastest": 1, "slowest": -1} {
		superlatives[w] = dir
	}
}

func (l *linked) linkMeasureAdjectives() {
	for _, w := range l.words {
		if w.col != nil && w.col.isNumeric() {
			return // "the highest points": the column is named
		}
	}
	for i := 0; i < len(l.words); i++ {
		w := l.words[i]
		nouns := measureAdjectives[w.w]
		if nouns == nil || w.col != nil || w.val != nil {
			continue
		}
		var found *column
		for _, c := range l.s.cols {
			if !c.isNumeric() || c.isIdentifier() || !namesAny(c.words, nouns) {
				continue
			}
			if found != nil {
				return // two columns of the quantity: which one is not said
			}
			found = c
		}
		if found == nil {
			continue
		}
		added := lword{w: found.words[0], s: found.words[0], start: w.start, end: w.end, col: found, adj: true}
		l.words = append(l.words[:i+1], append([]lword{added}, l.words[i+1:]...)...)
		return
	}
}

// namesAny reports whether a column's name words include one of nouns.
func namesAny(words, nouns []string) bool {
	for _, w := range words {
		for _, n := range nouns {
			if w == n {
				return true
			}
		}
	}
	return false
}
