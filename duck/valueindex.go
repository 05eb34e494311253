package duck

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/analyzerhq/analyzer/apperr"
)

// The value index holds the distinct values of a dataset's text and
// low-cardinality columns, with their counts, most frequent first: all of
// a column's values when it has at most MaxIndexValues, else its
// MaxIndexValues most frequent. It is built with the profile and stored
// beside data.parquet as values.json. Lookup maps the words of a question
// to (column, value) candidates: the base of value linking.
const (
	valuesName = "values.json"
	// MaxIndexValues bounds the values kept per column.
	MaxIndexValues = 10_000
	// maxIndexColumns bounds the columns indexed.
	maxIndexColumns = 100
	// uniqueShare: a text column whose distinct values are more than this
	// share of its values is indexed only when it has at most
	// MaxIndexValues values (it has no "top" values).
	uniqueShare = 0.9
)

// ValueIndex is the value index of one dataset.
type ValueIndex struct {
	Columns []IndexedColumn `json:"columns"`

	once  sync.Once
	first map[string][]indexEntry // first normalised token → entries
	// lists: each value of a column of lists with its items' words,
	// read by wholeItems without tokenizing the column on every question.
	lists map[string][]listValue
}

// listValue is a value of a column of lists and the words of each item
// (the whole value when it is no list).
type listValue struct {
	value string
	items [][]token
}

// IndexedColumn is one column's values, most frequent first.
type IndexedColumn struct {
	Name string `json:"name"`
	// Complete: Values are all of the column's distinct values.
	Complete bool         `json:"complete"`
	Values   []ValueCount `json:"values"` // Value is the value's text
}

// ValueMatch is one (column, value) a phrase of a question may name.
type ValueMatch struct {
	Column string `json:"column"`
	Value  string `json:"value"` // as stored
	Count  int64  `json:"count"` // rows holding it
	// Span is the byte range [start, end) of the phrase in the question.
	Span [2]int `json:"span"`
	// Part: the phrase is one item of the value, a list ("Devaraj" of
	// "Shankar Nag, Devaraj"): the cell lists it, it is not the cell.
	Part bool `json:"part,omitempty"`
}

type indexEntry struct {
	column string
	value  string
	count  int64
	tokens []string
	core   bool // tokens are the value's core (valueCore)
	part   bool // tokens are one item of a list cell (listParts)
}

// buildValueIndex reads the values of the indexed columns, and sets the
// columns' top values and index fields.
func buildValueIndex(ctx context.Context, db *sql.DB, src string, p *Profile) (*ValueIndex, error) {
	idx := &ValueIndex{Columns: []IndexedColumn{}}
	for i := range p.Columns {
		c := &p.Columns[i]
		nonNull := p.RowCount - c.NullCount
		if nonNull == 0 || len(idx.Columns) >= maxIndexColumns || !indexable(c, nonNull) {
			continue
		}
		vals, err := columnValues(ctx, db, src, c)
		if err != nil {
			return nil, err
		}
		complete := len(vals) <= MaxIndexValues
		if !complete {
			vals = vals[:MaxIndexValues]
		}
		st := c.storage()
		if (st == storageText || st == storageBoolean) && !uniqueish(c, nonNull) {
			for k := 0; k < len(vals) && k < topValuesN; k++ {
				c.TopValues = append(c.TopValues, ValueCount{Value: shorten(vals[k].Value), Count: vals[k].Count})
			}
		}
		ic := IndexedColumn{Name: c.Name, Complete: complete, Values: make([]ValueCount, len(vals))}
		for k, v := range vals {
			ic.Values[k] = ValueCount{Value: valueText(v.Value), Count: v.Count}
		}
		c.Indexed, c.IndexComplete = len(vals), complete
		idx.Columns = append(idx.Columns, ic)
	}
	return idx, nil
}

func uniqueish(c *ColumnProfile, nonNull int64) bool {
	d, _ := c.DistinctCount()
	return float64(d) > uniqueShare*float64(nonNull)
}

// indexable: text (not holding dates or numbers) and boolean columns, and
// integer columns with few values that do not identify rows.
func indexable(c *ColumnProfile, nonNull int64) bool {
	switch c.storage() {
	case storageBoolean:
		return true
	case storageText:
		// Numbers with a unit stay values too: "200 m" and "5 games" are
		// also how questions name rows.
		if c.DateFormat != "" || c.NumberText && c.Unit == "" {
			return false
		}
		return !uniqueish(c, nonNull) || nonNull <= MaxIndexValues
	case storageNumber:
		d, _ := c.DistinctCount()
		return isIntegerType(c.Type) && c.Class != KindIdentifier && d <= CategoricalMaxDistinct
	}
	return false
}

// columnValues returns up to MaxIndexValues+1 values of a column, most
// frequent first (ties in value order).
func columnValues(ctx context.Context, db *sql.DB, src string, c *ColumnProfile) ([]ValueCount, error) {
	q := QuoteIdent(c.Name)
	rows, err := db.QueryContext(ctx, "SELECT "+q+", count(*) AS n FROM "+src+" WHERE "+q+
		" IS NOT NULL GROUP BY ALL ORDER BY n DESC, 1 LIMIT "+itoa(MaxIndexValues+1))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ValueCount
	for rows.Next() {
		var v any
		var n int64
		if err := rows.Scan(&v, &n); err != nil {
			return nil, err
		}
		out = append(out, ValueCount{Value: jsonValue(v, c.Type), Count: n})
	}
	return out, rows.Err()
}

func valueText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return fmt.Sprint(v)
}

func writeValueIndex(dir string, idx *ValueIndex) error {
	b, err := json.Marshal(idx)
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, valuesName+".tmp")
	if err := os.WriteFile(tmp, b, 0o640); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, valuesName))
}

// indexCache keeps the last indexes read, by path and modification time.
var indexCache struct {
	sync.Mutex
	m map[string]cachedIndex
}

type cachedIndex struct {
	mod time.Time
	idx *ValueIndex
}

const maxCachedIndexes = 64

func readValueIndex(dir string) (*ValueIndex, error) {
	path := filepath.Join(dir, valuesName)
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	indexCache.Lock()
	if c, ok := indexCache.m[path]; ok && c.mod.Equal(st.ModTime()) {
		indexCache.Unlock()
		return c.idx, nil
	}
	indexCache.Unlock()
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	idx := &ValueIndex{}
	if err := json.Unmarshal(b, idx); err != nil {
		return nil, err
	}
	indexCache.Lock()
	if indexCache.m == nil || len(indexCache.m) >= maxCachedIndexes {
		indexCache.m = map[string]cachedIndex{}
	}
	indexCache.m[path] = cachedIndex{mod: st.ModTime(), idx: idx}
	indexCache.Unlock()
	return idx, nil
}

// Values returns the session's value index, computing the profile (and
// the index) first when the session was ingested before there was one.
func (e *Engine) Values(ctx context.Context, sessionID string) (*ValueIndex, error) {
	dir, err := e.primaryDir(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	return e.valuesAt(ctx, sessionID, dir)
}

// valuesAt is Values of one dataset directory of the session.
func (e *Engine) valuesAt(ctx context.Context, sessionID, dir string) (*ValueIndex, error) {
	if _, err := e.profileAt(ctx, sessionID, dir); err != nil {
		return nil, err
	}
	idx, err := readValueIndex(dir)
	if err == nil {
		return idx, nil
	}
	if ctx.Err() != nil {
		return nil, ctxError(ctx.Err())
	}
	_, idx, err = e.reprofile(ctx, sessionID, dir)
	if err != nil {
		return nil, err
	}
	if idx == nil {
		return nil, apperr.New(apperr.Internal, "the value index could not be built")
	}
	return idx, nil
}

// stopWords never make a one-word match on their own ("a" is also a grade).
var stopWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields("a an the of in on at to for by and or is are was were be what which who how many much " +
		"per with from me show give list all any each than that this it its as do does did vs") {
		stopWords[w] = true
	}
}

// Lookup finds the values a question names: every run of words that is a
// whole value of an indexed column, compared without case, accents,
// punctuation or plural endings ("sao paulo" finds "São Paulo", "butler cc
// ks" finds "Butler CC (KS)"). A run inside a longer match is dropped ("new
// york city" is not also "new york"); the same run in two columns gives two
// candidates. Matches are in question order, then most frequent first.
func (x *ValueIndex) Lookup(question string) []ValueMatch {
	if x == nil {
		return nil
	}
	x.once.Do(x.build)
	toks := tokenize(question)
	var out []ValueMatch
	exact := map[[2]int]bool{}              // runs of words that are a whole value
	exactIn := map[[2]int]map[string]bool{} // and the columns holding them so
	var raw [][2]int                        // each match's run, before widen
	var core []bool
	for i := range toks {
		for _, e := range x.first[toks[i].norm] {
			n := len(e.tokens)
			if i+n > len(toks) || n == 1 && stopWords[toks[i].norm] {
				continue
			}
			ok := true
			for k := 1; k < n; k++ {
				if toks[i+k].norm != e.tokens[k] {
					ok = false
					break
				}
			}
			if ok {
				run := [2]int{toks[i].start, toks[i+n-1].end}
				exact[run] = exact[run] || !e.core
				if !e.core {
					if exactIn[run] == nil {
						exactIn[run] = map[string]bool{}
					}
					exactIn[run][e.column] = true
				}
				raw, core = append(raw, run), append(core, e.core)
				span := [2]int{run[0], run[1]}
				if !e.part {
					span = widen(question, e.value, run[0], run[1])
				}
				out = append(out, ValueMatch{Column: e.column, Value: e.value, Count: e.count, Span: span, Part: e.part})
			}
		}
	}
	// A whole value beats another value's core on the same words
	// ("melodies from heaven" is not also "Melodies from Heaven (remix)").
	// An item of a list is kept beside a whole value of its column: the
	// cells "Devaraj" and "Shankar Nag, Devaraj" both hold Devaraj.
	kept := out[:0]
	seen := map[ValueMatch]bool{}
	for k, m := range out {
		if (!core[k] || !exact[raw[k]] || m.Part && exactIn[raw[k]][m.Column]) && !seen[m] {
			seen[m] = true
			kept = append(kept, m)
		}
	}
	out = x.wholeItems(kept, question)
	// Keep maximal spans only.
	kept = out[:0]
	for _, m := range out {
		inside := false
		for _, o := range out {
			if o.Span != m.Span && o.Span[0] <= m.Span[0] && m.Span[1] <= o.Span[1] {
				inside = true
				break
			}
		}
		if !inside {
			kept = append(kept, m)
		}
	}
	out = kept
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Span[0] != out[j].Span[0] {
			return out[i].Span[0] < out[j].Span[0]
		}
		return out[i].Count > out[j].Count
	})
	// One candidate per (column, value, span): a value spelled two ways
	// ("Miami", "MIAMI") stays two candidates, as both exist.
	return out
}

// widen extends a span over the punctuation the value itself starts or
// ends with ("Butler CC (KS)" spans the closing parenthesis).
func widen(q, value string, start, end int) [2]int {
	vt := tokenize(value)
	if len(vt) == 0 {
		return [2]int{start, end}
	}
	tail := value[vt[len(vt)-1].end:]
	if strings.HasPrefix(q[end:], tail) {
		end += len(tail)
	}
	head := value[:vt[0].start]
	if strings.HasSuffix(q[:start], head) {
		start -= len(head)
	}
	return [2]int{start, end}
}

func (x *ValueIndex) build() {
	x.first = map[string][]indexEntry{}
	add := func(col, value string, count int64, toks []token, core, part bool) {
		if len(toks) == 0 || len(toks) > 12 {
			return
		}
		norms := make([]string, len(toks))
		for i, t := range toks {
			norms[i] = t.norm
		}
		x.first[norms[0]] = append(x.first[norms[0]], indexEntry{column: col, value: value, count: count, tokens: norms, core: core, part: part})
	}
	x.lists = map[string][]listValue{}
	for _, c := range x.Columns {
		lists, starts := listColumn(c)
		for _, v := range c.Values {
			s := valueText(v.Value)
			add(c.Name, s, v.Count, tokenize(s), false, false)
			if lists {
				lv := listValue{value: s}
				items := listParts(s)
				if items == nil {
					items = []string{s}
				}
				for _, it := range items {
					lv.items = append(lv.items, tokenize(it))
				}
				x.lists[c.Name] = append(x.lists[c.Name], lv)
			}
			// A value's core names it too: "Scott Dixon (W)1" is found
			// as "scott dixon", "Dalian Wanda (now Dalian Shide)" as
			// "dalian wanda"; the match is the whole stored value.
			if core := valueCore(s); core != "" {
				add(c.Name, s, v.Count, tokenize(core), true, false)
			}
			// So does each item of a list cell ("Shankar Nag, Devaraj"
			// is found as "devaraj"), with its own core.
			for i, p := range listParts(s) {
				if !lists || i == 0 && starts[normJoin(tokenize(p))] {
					// "Dresden, Hoftheater" beside "Dresden Staatsoper":
					// "dresden" begins values, not only items.
					continue
				}
				add(c.Name, s, v.Count, tokenize(p), true, true)
				if core := valueCore(p); core != "" {
					add(c.Name, s, v.Count, tokenize(core), true, true)
				}
			}
		}
	}
}

// wholeItems drops the item matches of a phrase in a column where some
// value holds the phrase's words other than as an item ("S : Dejan
// Damjanović" beside "Bang Seung-Hwan, Dejan Damjanović"): the cells
// listing it would be counted short, so the phrase is left unread.
func (x *ValueIndex) wholeItems(ms []ValueMatch, question string) []ValueMatch {
	type key struct {
		col  string
		span [2]int
	}
	matched := map[key]map[string]bool{}
	for _, m := range ms {
		if m.Part {
			matched[key{m.Column, m.Span}] = map[string]bool{}
		}
	}
	for _, m := range ms {
		if vals := matched[key{m.Column, m.Span}]; vals != nil {
			vals[m.Value] = true
		}
	}
	if len(matched) == 0 {
		return ms
	}
	short := map[key]bool{}
	for k, vals := range matched {
		run := tokenize(question[k.span[0]:k.span[1]])
		for _, lv := range x.lists[k.col] {
			if !vals[lv.value] && decoratedItem(lv.items, run) {
				short[k] = true
				break
			}
		}
	}
	out := ms[:0]
	for _, m := range ms {
		if !m.Part || !short[key{m.Column, m.Span}] {
			out = append(out, m)
		}
	}
	return out
}

// decoratedItem reports a value with an item that is the run plus only
// marks of one or two letters ("S : Dejan Damjanović"); "Prajwal Devaraj"
// is another name than "Devaraj".
func decoratedItem(items [][]token, run []token) bool {
	for _, toks := range items {
		if len(toks) <= len(run) || !containsRun(toks, run) {
			continue
		}
		marks := true
		for _, t := range toks {
			if len([]rune(t.norm)) > 2 && !inRun(t.norm, run) {
				marks = false
			}
		}
		if marks {
			return true
		}
	}
	return false
}

func inRun(w string, run []token) bool {
	for _, t := range run {
		if t.norm == w {
			return true
		}
	}
	return false
}

// containsRun reports whether the words of run stand together in toks.
func containsRun(toks, run []token) bool {
	for i := 0; i+len(run) <= len(toks); i++ {
		ok := true
		for k := range run {
			if toks[i+k].norm != run[k].norm {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// listColumn reports whether the column lists names in its cells: half of
// its values or more are lists, two at least ("Hong Kong, China" among
// countries is one name, not a list). starts holds the first words (one
// to four) of its values that are no list, so that a first item that also
// begins such a value is left to prefix linking.
func listColumn(c IndexedColumn) (bool, map[string]bool) {
	n, lists := 0, 0
	starts := map[string]bool{}
	for _, v := range c.Values {
		s := valueText(v.Value)
		n++
		if listParts(s) != nil {
			lists++
			continue
		}
		toks := tokenize(s)
		for k := 1; k < len(toks) && k <= 4; k++ {
			starts[normJoin(toks[:k])] = true
		}
	}
	return lists >= 2 && 2*lists >= n, starts
}

func normJoin(toks []token) string {
	var b strings.Builder
	for i, t := range toks {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t.norm)
	}
	return b.String()
}

// listSeps separate the items of a list cell.
var listSeps = []string{", ", "; ", " / "}

// maxListItemWords bounds an item of a list: longer parts are prose.
const maxListItemWords = 6

// listParts are the items of a cell that lists names ("Shankar Nag,
// Devaraj", "Clint Field / Liz Halliday"), or nil: two items or more, each
// of one to maxListItemWords words.
func listParts(s string) []string {
	for _, sep := range listSeps {
		if !strings.Contains(s, sep) {
			continue
		}
		parts := strings.Split(s, sep)
		for i, p := range parts {
			parts[i] = strings.TrimSpace(p)
			if n := len(tokenize(parts[i])); n == 0 || n > maxListItemWords {
				return nil
			}
		}
		return parts
	}
	return nil
}

// valueCore is a value without what tables append to a name: a part in
// parentheses or brackets from the first one on ("Ty Lawson (37)",
// "Platinum[citation needed]"), and a footnote digit glued to the last
// word ("Oriol Servià1"); "" when that leaves the value as it was, or no
// word, or a lone stop word.
func valueCore(s string) string {
	core := s
	if i := OtherScriptTail(core); i > 0 {
		core = strings.TrimSpace(core[:i])
	}
	if i := strings.IndexAny(core, "(["); i > 0 {
		core = strings.TrimSpace(core[:i])
	}
	if n := len(core); n > 4 && core[n-1] >= '0' && core[n-1] <= '9' && (core[n-2] < '0' || core[n-2] > '9') {
		if r := []rune(core[:n-1]); unicode.IsLower(r[len(r)-1]) && unicode.IsLower(r[len(r)-2]) && unicode.IsLower(r[len(r)-3]) {
			core = core[:n-1]
		}
	}
	toks, all := tokenize(core), tokenize(s)
	if core == s || len(toks) == 0 || len(toks) == 1 && stopWords[toks[0].norm] {
		return ""
	}
	if len(toks) == len(all) && toks[len(toks)-1].norm == all[len(all)-1].norm {
		return ""
	}
	return core
}

// otherScripts are scripts a table writes a name's original in after its
// Latin form ("The Price to Pay 五個醒覺的少年", "Tokyo 東京").
var otherScripts = []*unicode.RangeTable{unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul,
	unicode.Arabic, unicode.Hebrew, unicode.Thai, unicode.Devanagari, unicode.Cyrillic, unicode.Greek}

// OtherScriptTail is where a value's words in another script begin after
// words in Latin letters, or -1: "Tokyo 東京" is also found as "tokyo".
func OtherScriptTail(s string) int {
	latin := false
	for i, r := range s {
		switch {
		case unicode.Is(unicode.Latin, r):
			latin = true
		case unicode.IsOneOf(otherScripts, r):
			if !latin || i == 0 || s[i-1] != ' ' {
				return -1
			}
			return i
		}
	}
	return -1
}

type token struct {
	norm       string
	start, end int // bytes in the original text
}

// tokenize splits text into words of letters and digits, each lower case,
// without accents and without a plural ending. A line break written as the
// two characters \n (tables exported with their line breaks escaped,
// "Peter McGowan\nThomas Mullins") parts words like a space (escapedBreak).
func tokenize(s string) []token {
	var out []token
	start := -1
	escaped := false
	flush := func(end int) {
		if start >= 0 {
			n := normWord(s[start:end])
			if start > 0 && s[start-1] == '-' && compoundPlurals[n] {
				// "runner-ups", "run-ins": the plural of a compound's short
				// last word, which normWord leaves ("gas", "his") alone;
				// not "Aix-les-Bains".
				n = n[:2]
			}
			out = append(out, token{norm: n, start: start, end: end})
			start = -1
		}
	}
	for i, r := range s {
		if escaped {
			escaped = false
			continue
		}
		if r == '\\' && escapedBreak(s, i) {
			flush(i)
			escaped = true
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
		if r == '&' {
			// "Brian & Roger" is asked as "brian and roger".
			out = append(out, token{norm: "and", start: i, end: i + 1})
		}
	}
	flush(len(s))
	return out
}

// compoundPlurals are the short last words of compounds in the plural.
var compoundPlurals = map[string]bool{"ups": true, "ins": true, "ons": true}

// escapedBreak reports a line break or tab written as two characters at i,
// "\n" before a capital, a digit, a bracket or the end ("McGowan\nThomas"),
// not the letters of a path ("C:\new").
func escapedBreak(s string, i int) bool {
	if i+1 >= len(s) || s[i+1] != 'n' && s[i+1] != 't' && s[i+1] != 'r' {
		return false
	}
	if i+2 == len(s) {
		return true
	}
	c := s[i+2]
	return c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '(' || c == '[' || c == ' ' || c == '\\'
}

// normWord folds a word: lower case, accents removed (NFD, marks dropped),
// a plural ending removed ("cities" → "city", "buses" → "bus", "stores" →
// "store").
func normWord(w string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(w)) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		switch r {
		case 'ß':
			b.WriteString("ss")
		case 'æ':
			b.WriteString("ae")
		case 'ø':
			b.WriteByte('o')
		case 'ł':
			b.WriteByte('l')
		default:
			b.WriteRune(r)
		}
	}
	return singular(b.String())
}

func singular(w string) string {
	if len(w) <= 3 || w[len(w)-1] != 's' || w[len(w)-2] >= '0' && w[len(w)-2] <= '9' {
		return w
	}
	switch {
	case strings.HasSuffix(w, "ies") && len(w) > 4:
		return w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "sses"), strings.HasSuffix(w, "uses"), strings.HasSuffix(w, "xes"), strings.HasSuffix(w, "ches"), strings.HasSuffix(w, "shes"), strings.HasSuffix(w, "zes"):
		return w[:len(w)-2]
	case strings.HasSuffix(w, "ss"), strings.HasSuffix(w, "us"), strings.HasSuffix(w, "is"):
		return w
	}
	return w[:len(w)-1]
}
