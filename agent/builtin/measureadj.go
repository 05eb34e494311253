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
	"largest": {"area", "size"}, "biggest": {"area", "size"}, "smallest": {"area", "size"},
	// Comparatives, as "which is taller, A or B" asks.
	"deeper": {"depth", "deep"}, "shallower": {"depth", "deep"},
	"taller": {"height", "tall", "elevation", "altitude"}, "shorter": {"height", "length", "duration"},
	"higher": {"height", "elevation", "altitude"}, "lower": {"height", "elevation", "altitude"},
	"longer":  {"length", "long", "duration"},
	"heavier": {"weight", "mass"}, "lighter": {"weight", "mass"},
	"wider": {"width", "wide"}, "narrower": {"width", "wide"},
	"larger": {"area", "size"}, "bigger": {"area", "size"}, "smaller": {"area", "size"},
}

func init() {
	for w, dir := range map[string]int{"deepest": 1, "shallowest": -1, "heaviest": 1, "lightest": -1,
		"widest": 1, "narrowest": -1} {
		superlatives[w] = dir
	}
}

func (l *linked) linkMeasureAdjectives() {
	l.linkSpeedWords()
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
		if i+1 < len(l.words) && l.words[i+1].w == "than" {
			continue // "longer than 300 pp": a comparison with a number, read as such
		}
		if size[w.w] && l.hasPopulation() {
			continue // "the largest city": by people or by area is not said
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

// linkSpeedWords reads "fastest" and "slowest" by the column they rank:
// the fastest time is the shortest, the fastest speed the highest. The
// word is rewritten to the plain superlative of that direction; without a
// time or speed column to rank, it stays unplaced.
func (l *linked) linkSpeedWords() {
	for i := range l.words {
		w := &l.words[i]
		fast := w.w == "fastest" || w.w == "quickest"
		if !fast && w.w != "slowest" || w.col != nil || w.val != nil {
			continue
		}
		var target *column
		for _, x := range l.words {
			if x.col != nil && x.col.isNumeric() {
				if target != nil && target != x.col {
					return
				}
				target = x.col
			}
		}
		if target == nil {
			for _, c := range l.s.cols {
				if c.isNumeric() && (c.dur || namesAny(c.words, []string{"speed"})) {
					if target != nil {
						return // two columns to rank: which is not said
					}
					target = c
				}
			}
		}
		switch {
		case target == nil:
		case target.dur:
			w.w = map[bool]string{true: "shortest", false: "longest"}[fast]
		case namesAny(target.words, []string{"speed", "mph", "kmh"}):
			w.w = map[bool]string{true: "highest", false: "lowest"}[fast]
		}
	}
}

var size = set("largest", "biggest", "smallest", "larger", "bigger", "smaller")

// hasPopulation reports a number column of people, which "largest" may
// rank as well as an area.
func (l *linked) hasPopulation() bool {
	for _, c := range l.s.cols {
		if c.isNumeric() && namesAny(c.words, []string{"population", "pop", "inhabitant", "people", "resident"}) {
			return true
		}
	}
	return false
}
