package builtin

import (
	"strings"

	"github.com/analyzerhq/analyzer/agent"
)

// People misspell the words that matter ("which location had the leargest
// attendeance", "the largest population desnsity"). A word nothing placed
// that is one edit (two for long words, a swap of two letters counting as
// one) from exactly one word the question could mean, a word of a column's
// name or a word the shapes read, is read as that word, and the reading
// says so. Short words, inflections ("scored" of Score, "started" of
// Starter), words under eight letters ("reasons" is not "seasons") and
// words near two targets are left as they are. A real word of eight
// letters or more one edit from a name's word may still be read as it;
// the reading says so.

// typoMinLen: words shorter than this are never corrected.
const typoMinLen = 8

// typoVocabulary is the words a misspelling may stand for.
func (l *linked) typoVocabulary() []string {
	var out []string
	seen := map[string]bool{}
	add := func(w string) {
		if len([]rune(w)) >= typoMinLen-1 && !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	for _, c := range l.s.cols {
		for _, w := range c.words {
			add(w)
		}
	}
	for w := range superlatives {
		add(w)
	}
	for w := range orderWords {
		add(w)
	}
	for w := range cmpWordsL {
		add(w)
	}
	return out
}

// typoFix is one misspelt word and the word it is read as.
type typoFix struct {
	from, to string
}

// typoFixes returns the question with its misspellings corrected and the
// corrections; nil when there is none.
func (l *linked) typoFixes() (string, []typoFix) {
	var vocab []string
	var fixes []typoFix
	var b strings.Builder
	last := 0
	for _, w := range l.words {
		if w.col != nil || w.val != nil || w.isNum || w.filler || w.date != nil || stopWords[w.w] || relationVerbs[w.w] ||
			knownWord(w.w) || len([]rune(w.w)) < typoMinLen || w.end-w.start != len(w.w) || inflected(w.w) {
			continue
		}
		if vocab == nil {
			vocab = l.typoVocabulary()
		}
		limit := 1
		if len([]rune(w.w)) >= 9 {
			limit = 2
		}
		// Names' words are singular: a plural is compared by its singular
		// and keeps its ending ("poitners" → "pointers").
		best, to, ties := limit+1, "", 0
		for _, v := range vocab {
			if strings.HasPrefix(w.w, v) || strings.HasPrefix(v, w.w) || strings.HasPrefix(w.s, v) || strings.HasPrefix(v, w.s) {
				continue
			}
			d := agent.EditDistance(w.w, v, best)
			if ds := agent.EditDistance(w.s, v, best); ds < d && strings.HasPrefix(w.w, w.s) {
				d, v = ds, v+w.w[len(w.s):]
			}
			switch {
			case d < best:
				best, to, ties = d, v, 1
			case d == best && v != to:
				ties++
			}
		}
		if best > limit || ties != 1 {
			continue
		}
		b.WriteString(l.q[last:w.start])
		b.WriteString(to)
		last = w.end
		fixes = append(fixes, typoFix{from: l.q[w.start:w.end], to: to})
	}
	if fixes == nil {
		return "", nil
	}
	b.WriteString(l.q[last:])
	return b.String(), fixes
}

// inflected: a verb form or an adverb, which is a word of its own more
// often than a misspelling.
func inflected(w string) bool {
	return strings.HasSuffix(w, "ed") || strings.HasSuffix(w, "ing") || strings.HasSuffix(w, "ly")
}
