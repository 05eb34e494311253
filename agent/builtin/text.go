package builtin

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxQuestion bounds the question the parser reads: a longer message is not
// a question this grammar can answer, and the bound keeps parsing cheap.
const maxQuestion = 400

// token is one unit of a question.
type token struct {
	raw    string  // as written (for values)
	w      string  // lower case
	s      string  // lower case, singular (for matching)
	num    float64 // when isNum
	isNum  bool
	quoted bool   // a quoted string: a value or an exact column name
	op     string // comparison operator: = != > >= < <=
	punct  bool   // a comma: ends a value
	date   string // an ISO date literal (YYYY-MM-DD)

	// Filled by column matching.
	col  *column   // the column this token (span) names
	amb  []*column // several columns fit equally well
	span int       // how many question words the column span covered
}

// tokenize splits a question into tokens. It never fails: anything it does
// not know becomes a word the grammar will refuse.
func tokenize(q string) []token {
	if len(q) > maxQuestion*4 {
		q = q[:maxQuestion*4]
	}
	q = strings.ToValidUTF8(q, " ")
	var toks []token
	rs := []rune(q)
	if len(rs) > maxQuestion {
		rs = rs[:maxQuestion]
	}
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r) || r == '_':
			i++
		case r == '"' || r == '\'' || r == '`' || r == '“' || r == '‘':
			closeR := r
			switch r {
			case '“':
				closeR = '”'
			case '‘':
				closeR = '’'
			}
			// An apostrophe inside a word ("what's") is not a quote.
			if r == '\'' && i > 0 && isWordRune(rs[i-1]) {
				i++
				continue
			}
			j := i + 1
			for j < len(rs) && rs[j] != closeR {
				j++
			}
			if j >= len(rs) {
				// Unclosed: treat the mark as punctuation.
				i++
				continue
			}
			s := string(rs[i+1 : j])
			toks = append(toks, token{raw: s, w: strings.ToLower(s), s: strings.ToLower(s), quoted: true})
			i = j + 1
		case r == '>' || r == '<' || r == '=' || r == '!' || r == '≥' || r == '≤' || r == '≠':
			op, n := readOp(rs[i:])
			if op == "" {
				i++
				continue
			}
			toks = append(toks, token{raw: string(rs[i : i+n]), w: op, s: op, op: op})
			i += n
		case r == ',' || r == ';':
			toks = append(toks, token{raw: string(r), w: ",", s: ",", punct: true})
			i++
		case startsNumber(rs, i):
			t, n := readNumber(rs[i:])
			toks = append(toks, t)
			i += n
		case isWordRune(r):
			j := i
			for j < len(rs) && (isWordRune(rs[j]) || (rs[j] == '\'' || rs[j] == '’') && j+1 < len(rs) && isWordRune(rs[j+1])) {
				j++
			}
			raw := string(rs[i:j])
			w := strings.ToLower(strings.NewReplacer("'", "", "’", "").Replace(raw))
			toks = append(toks, token{raw: raw, w: w, s: singular(w)})
			i = j
		default:
			i++ // symbols such as $ ( ) % ? . are not words
		}
	}
	return toks
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func readOp(rs []rune) (string, int) {
	two := ""
	if len(rs) >= 2 {
		two = string(rs[:2])
	}
	switch two {
	case ">=", "=>":
		return ">=", 2
	case "<=", "=<":
		return "<=", 2
	case "!=", "<>":
		return "!=", 2
	case "==":
		return "=", 2
	}
	switch rs[0] {
	case '>':
		return ">", 1
	case '<':
		return "<", 1
	case '=':
		return "=", 1
	case '≥':
		return ">=", 1
	case '≤':
		return "<=", 1
	case '≠':
		return "!=", 1
	}
	return "", 1
}

// startsNumber reports whether a number starts at rs[i]: a digit, or a
// currency sign, minus or dot followed by one, and not inside a word.
func startsNumber(rs []rune, i int) bool {
	if i > 0 && unicode.IsLetter(rs[i-1]) {
		return false
	}
	j := i
	if j < len(rs) && (rs[j] == '$' || rs[j] == '€' || rs[j] == '£') {
		j++
	}
	if j < len(rs) && rs[j] == '-' && (i == 0 || !unicode.IsDigit(rs[i-1])) {
		j++
	}
	if j < len(rs) && rs[j] == '.' {
		j++
	}
	return j < len(rs) && unicode.IsDigit(rs[j]) && rs[j] < utf8.RuneSelf
}

// readNumber reads a number such as 1,200.5, $30, -4, 2.5k, 40% or an ISO
// date 2023-01-31. A digit run glued to letters ("q1", "2nd") is a word.
func readNumber(rs []rune) (token, int) {
	// ISO date.
	if len(rs) >= 10 && isDigits(rs[0:4]) && rs[4] == '-' && isDigits(rs[5:7]) && rs[7] == '-' && isDigits(rs[8:10]) &&
		(len(rs) == 10 || !isWordRune(rs[10])) {
		s := string(rs[:10])
		return token{raw: s, w: s, s: s, date: s}, 10
	}
	i := 0
	for i < len(rs) && (rs[i] == '$' || rs[i] == '€' || rs[i] == '£') {
		i++
	}
	var b strings.Builder
	if i < len(rs) && rs[i] == '-' {
		b.WriteRune('-')
		i++
	}
	dot := false
	for i < len(rs) {
		r := rs[i]
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ',' && !dot && b.Len() > 0 && i+3 < len(rs)+1 && isDigits(rs[i+1:min(i+4, len(rs))]) &&
			i+4 <= len(rs) && (i+4 == len(rs) || !(rs[i+4] >= '0' && rs[i+4] <= '9')):
			// A thousands separator: exactly three digits follow.
		case r == '.' && !dot && i+1 < len(rs) && rs[i+1] >= '0' && rs[i+1] <= '9':
			dot = true
			b.WriteRune('.')
		default:
			goto done
		}
		i++
	}
done:
	mult := 1.0
	if i < len(rs) {
		switch unicode.ToLower(rs[i]) {
		case 'k':
			if i+1 >= len(rs) || !isWordRune(rs[i+1]) {
				mult, i = 1e3, i+1
			}
		case 'm':
			if i+1 >= len(rs) || !isWordRune(rs[i+1]) {
				mult, i = 1e6, i+1
			}
		case '%':
			i++
		}
	}
	// Digits glued to letters ("2nd", "q1", "100x") make a word.
	if i < len(rs) && unicode.IsLetter(rs[i]) {
		j := i
		for j < len(rs) && isWordRune(rs[j]) {
			j++
		}
		raw := string(rs[:j])
		w := strings.ToLower(raw)
		return token{raw: raw, w: w, s: singular(w)}, j
	}
	v, err := strconv.ParseFloat(b.String(), 64)
	raw := string(rs[:i])
	if err != nil || i == 0 {
		return token{raw: raw, w: strings.ToLower(raw), s: strings.ToLower(raw)}, max(i, 1)
	}
	return token{raw: raw, w: raw, s: raw, num: v * mult, isNum: true}, i
}

func isDigits(rs []rune) bool {
	for _, r := range rs {
		if r < '0' || r > '9' {
			return false
		}
	}
	return len(rs) > 0
}

// singular is a small English singulariser, applied alike to the question and
// to column names, so "regions" meets "Region" and "categories" "category".
func singular(w string) string {
	if len(w) <= 3 {
		return w
	}
	switch {
	case strings.HasSuffix(w, "ies") && len(w) > 4:
		return w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "sses"), strings.HasSuffix(w, "xes"), strings.HasSuffix(w, "ches"), strings.HasSuffix(w, "shes"):
		return w[:len(w)-2]
	case strings.HasSuffix(w, "ss"), strings.HasSuffix(w, "us"), strings.HasSuffix(w, "is"):
		return w
	case strings.HasSuffix(w, "s"):
		return w[:len(w)-1]
	}
	return w
}

// nameWords splits a column name into lower-case singular words: on anything
// that is not a letter or digit and at camelCase boundaries, so that
// "Unit Price ($)", "unit_price" and "UnitPrice" all give [unit price].
func nameWords(name string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			w := strings.ToLower(string(cur))
			words = append(words, singular(w))
			cur = cur[:0]
		}
	}
	rs := []rune(name)
	for i, r := range rs {
		if (r == '\'' || r == '’') && len(cur) > 0 && i+1 < len(rs) && isWordRune(rs[i+1]) {
			continue // "Customer's" is one word, as in a question
		}
		if r == '%' {
			flush() // "% of votes" is asked as "percentage of votes"
			words = append(words, "percent")
			continue
		}
		if !isWordRune(r) {
			flush()
			continue
		}
		if len(cur) > 0 && unicode.IsUpper(r) {
			prev := rs[i-1]
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && nextLower) {
				flush()
			}
		}
		cur = append(cur, r)
	}
	flush()
	return words
}
