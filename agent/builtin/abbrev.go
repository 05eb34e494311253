package builtin

import "strings"

// Column names are often cut short ("pop", "life_expect", "temp",
// "precip"); people write the whole word ("population", "life
// expectancy"). A word of the question stands for a word of a column's name
// when that name word is at least three letters and begins the question's
// word, which is at least three letters longer.

func abbrevOf(colWord, qWord string) bool {
	if len(colWord) < 3 || len(qWord) < len(colWord)+3 || !strings.HasPrefix(qWord, colWord) || isReserved(qWord) ||
		stopWords[qWord] {
		return false
	}
	// An inflection makes a word of its own: "windiest", "transferred",
	// "rainy" are not "wind", "transfer", "rain" written out.
	if strings.HasSuffix(qWord, "ed") || strings.HasSuffix(qWord, "ing") {
		return false // a verb: "arrived" is not "arr"
	}
	rest := qWord[len(colWord):]
	if inflections[rest] || rest[0] == colWord[len(colWord)-1] && inflections[rest[1:]] {
		return false
	}
	_, weather := weatherWords[qWord]
	return !weather
}

var inflections = set("s", "es", "ed", "d", "ing", "er", "ers", "est", "iest", "ier", "y", "ly", "ies", "ied", "ily",
	"iness", "ness", "less", "ful", "able")

// sameOrAbbrev reports whether the question's words spell a column's
// words, each whole or in full where the name cuts it short.
func sameOrAbbrev(name, words []string) bool {
	if len(name) != len(words) {
		return false
	}
	for i := range name {
		if name[i] != words[i] && !abbrevOf(name[i], words[i]) {
			return false
		}
	}
	return true
}
