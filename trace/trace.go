// Package trace holds where each figure of an answer came from: it finds
// the numbers an answer's text states (integers, decimals, thousands
// separators, percentages, currency, k/M/bn suffixes, negatives, ranges)
// and matches each one with a cell of the query results of the same turn,
// allowing for the rounding of the figure as written: 19.86 is 19.8619,
// 44% is a share of 0.4387 or 641 of 1,461, 4.4k is 4,426. A result's row
// count matches too, and so does a column's total where the sentence says
// "in total".
//
// Years, dates, times, ordinals, list numbers, "top 5", "2 columns", and
// numbers that appear in the user's question, in column names or inside a
// text value of a result are not figures: they are not counted.
package trace

import (
	"encoding/json"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Source kinds: how a figure was found in the results.
const (
	// KindCell: the figure is a cell's value, as written (rounded,
	// perhaps as a percentage of a share).
	KindCell = "cell"
	// KindShare: a percentage computed from two cells of one result (the
	// cell, and Of).
	KindShare = "share"
	// KindRowCount: the number of rows of a result.
	KindRowCount = "row_count"
	// KindTotal: the sum of a result's column, where the sentence says
	// "in total".
	KindTotal = "total"
)

// Result is one query result of the turn, as traced.
type Result struct {
	// MessageID is the stored result's id, when it is stored.
	MessageID string
	Columns   []string
	// Rows hold the result's cells in column order.
	Rows [][]any
	// RowCount is the number of rows the query returned (Rows may hold
	// fewer).
	RowCount int64
}

// Input is what a turn's text is traced against.
type Input struct {
	// Question is the user's message: numbers in it are not figures.
	Question string
	// Columns are the dataset's column names: numbers in them are not
	// figures.
	Columns []string
	// Results are the turn's query results, in the order they were shown
	// (failed queries included, as empty results, so that indexes match).
	Results []Result
}

// Cell names one cell of a result.
type Cell struct {
	// Result is the index of the result among the turn's query results.
	Result int `json:"result"`
	// MessageID is the stored result's id, when known.
	MessageID string `json:"message_id,omitempty"`
	// Row is the 0-based row; -1 for a row count or a column total.
	Row int `json:"row"`
	// Column is the column's name; empty for a row count.
	Column string `json:"column,omitempty"`
	// Value is the cell (or the count, or the total) as the result holds it.
	Value any `json:"value"`
}

// Source says where a traced figure came from: a cell (the fields of
// Cell), and how.
type Source struct {
	Result    int    `json:"result"`
	MessageID string `json:"message_id,omitempty"`
	Row       int    `json:"row"`
	Column    string `json:"column,omitempty"`
	Value     any    `json:"value"`
	// Kind is KindCell, KindShare, KindRowCount or KindTotal.
	Kind string `json:"kind"`
	// Of is the denominator of a KindShare.
	Of *Cell `json:"of,omitempty"`
}

func source(c Cell, kind string) *Source {
	return &Source{Result: c.Result, MessageID: c.MessageID, Row: c.Row, Column: c.Column, Value: c.Value, Kind: kind}
}

// Figure is one number the text states.
type Figure struct {
	// Start and End are the figure's byte offsets in the text.
	Start int `json:"start"`
	End   int `json:"end"`
	// Text is the figure as written ("$4.4k", "44%", "-12.5").
	Text string `json:"text"`
	// Value is what it says, units applied: 4400 for "4.4k", 44 for "44%".
	Value float64 `json:"value"`
	// Source is where it came from; nil when no result of the turn holds it.
	Source *Source `json:"source,omitempty"`
}

// Part is the trace of one text part of an answer.
type Part struct {
	// MessageID is the stored text's id, when known.
	MessageID string   `json:"message_id,omitempty"`
	Figures   []Figure `json:"figures"`
	// Traced counts the figures with a source.
	Traced int `json:"traced"`
}

// Untraced counts the figures without a source.
func (t Part) Untraced() int { return len(t.Figures) - t.Traced }

// Answer is the trace of a whole answer: each of its text parts in order.
type Answer struct {
	// Figures, Traced and Untraced count over every text part.
	Figures  int    `json:"figures"`
	Traced   int    `json:"traced"`
	Untraced int    `json:"untraced"`
	Parts    []Part `json:"parts"`
}

// Add appends a text part's trace.
func (a *Answer) Add(t Part) {
	a.Figures += len(t.Figures)
	a.Traced += t.Traced
	a.Untraced = a.Figures - a.Traced
	a.Parts = append(a.Parts, t)
}

// Trace finds the figures of text and where each came from.
func Trace(text string, in Input) Part {
	idx := newIndex(in.Results)
	return traceWith(text, in, idx)
}

// TraceAnswer traces each text part of an answer against the same input.
func TraceAnswer(texts []string, ids []string, in Input) Answer {
	idx := newIndex(in.Results)
	a := Answer{Parts: make([]Part, 0, len(texts))}
	for i, s := range texts {
		t := traceWith(s, in, idx)
		if i < len(ids) {
			t.MessageID = ids[i]
		}
		a.Add(t)
	}
	return a
}

func traceWith(text string, in Input, idx *index) Part {
	out := Part{Figures: []Figure{}}
	for _, f := range find(text, in) {
		fig := Figure{Start: f.start, End: f.end, Text: text[f.start:f.end], Value: f.value}
		fig.Source = idx.match(f, sentenceAround(text, f.start, f.end))
		if fig.Source != nil {
			out.Traced++
		}
		out.Figures = append(out.Figures, fig)
	}
	return out
}

// ---- matching --------------------------------------------------------------

// numCell is one number of a result.
type numCell struct {
	v      float64
	result int
	row    int
	col    int
}

type resultInfo struct {
	r      Result
	cells  []numCell // this result's numbers, in row order
	totals []float64 // per column; NaN when the column holds no number
}

type index struct {
	results []resultInfo
	sorted  []numCell // every number, by value
}

// maxShareCells bounds the numbers of one result whose pairs within a
// column are tried as shares; past it only pairs within a row and shares of
// a column's total are.
const maxShareCells = 400

func newIndex(results []Result) *index {
	idx := &index{}
	for ri, r := range results {
		info := resultInfo{r: r, totals: make([]float64, len(r.Columns))}
		seen := make([]bool, len(r.Columns))
		for row, cells := range r.Rows {
			for col, c := range cells {
				v, ok := cellNumber(c)
				if !ok {
					continue
				}
				nc := numCell{v: v, result: ri, row: row, col: col}
				info.cells = append(info.cells, nc)
				idx.sorted = append(idx.sorted, nc)
				if col < len(info.totals) {
					info.totals[col] += v
					seen[col] = true
				}
			}
		}
		for i := range info.totals {
			if !seen[i] {
				info.totals[i] = math.NaN()
			}
		}
		idx.results = append(idx.results, info)
	}
	sort.SliceStable(idx.sorted, func(i, j int) bool { return idx.sorted[i].v < idx.sorted[j].v })
	return idx
}

// cellNumber reads a cell as a number: numbers, and text that is one
// number as people write it ("$1,234.50", "12%").
func cellNumber(c any) (float64, bool) {
	switch v := c.(type) {
	case float64:
		return v, !math.IsNaN(v) && !math.IsInf(v, 0)
	case float32:
		return float64(v), true
	case int:
		return float64(v), true
	case int8:
		return float64(v), true
	case int16:
		return float64(v), true
	case int32:
		return float64(v), true
	case int64:
		return float64(v), true
	case uint8:
		return float64(v), true
	case uint16:
		return float64(v), true
	case uint32:
		return float64(v), true
	case uint64:
		return float64(v), true
	case json.Number:
		f, err := v.Float64()
		return f, err == nil
	case string:
		s := strings.TrimSpace(v)
		if s == "" || len(s) > 40 {
			return 0, false
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return f, true
		}
		figs := scan(s)
		if len(figs) == 1 && figs[0].start == 0 && figs[0].end == len(s) {
			return figs[0].value, true
		}
	}
	return 0, false
}

// within reports whether x, written as f, reads as f: rounded to the
// figure's precision, or cut at it.
func (f *found) within(x float64) bool {
	v, u := f.value, f.unit
	eps := 1e-9 * math.Max(1, math.Abs(v))
	if math.Abs(x-v) <= u/2+eps {
		return true
	}
	// Cut rather than rounded: 19.86 for 19.8671.
	if v >= 0 {
		return x >= v-eps && x < v+u
	}
	return x <= v+eps && x > v-u
}

// rng is the interval of values that read as f.
func (f *found) rng() (float64, float64) {
	v, u := f.value, f.unit
	eps := 1e-9 * math.Max(1, math.Abs(v))
	return v - u - eps, v + u + eps
}

// candidates returns the numbers of the results that read as f, in the
// order of the results, rows and columns.
func (idx *index) candidates(f *found) []numCell {
	lo, hi := f.rng()
	i := sort.Search(len(idx.sorted), func(i int) bool { return idx.sorted[i].v >= lo })
	var out []numCell
	for ; i < len(idx.sorted) && idx.sorted[i].v <= hi; i++ {
		if f.within(idx.sorted[i].v) {
			out = append(out, idx.sorted[i])
		}
	}
	sort.SliceStable(out, func(a, b int) bool {
		da, db := math.Abs(out[a].v-f.value), math.Abs(out[b].v-f.value)
		if da != db {
			return da < db
		}
		if out[a].result != out[b].result {
			return out[a].result < out[b].result
		}
		if out[a].row != out[b].row {
			return out[a].row < out[b].row
		}
		return out[a].col < out[b].col
	})
	return out
}

func (idx *index) cell(n numCell) Cell {
	r := idx.results[n.result].r
	c := Cell{Result: n.result, MessageID: r.MessageID, Row: n.row, Value: r.Rows[n.row][n.col]}
	if n.col < len(r.Columns) {
		c.Column = r.Columns[n.col]
	}
	return c
}

// match finds where figure f came from; sentence is the text around it.
func (idx *index) match(f found, sentence string) *Source {
	// The number itself (a percentage: a column of percentages); a row
	// count that is exactly the figure goes before a cell it rounds.
	c := idx.candidates(&f)
	if len(c) > 0 && c[0].v == f.value {
		return source(idx.cell(c[0]), KindCell)
	}
	if rc := idx.rowCount(&f); rc != nil {
		return rc
	}
	if len(c) > 0 {
		return source(idx.cell(c[0]), KindCell)
	}
	// Unsigned, it may state a negative value ("fell by 5").
	if f.value > 0 && !f.signed {
		neg := f
		neg.value = -f.value
		if c := idx.candidates(&neg); len(c) > 0 {
			return source(idx.cell(c[0]), KindCell)
		}
	}
	if f.percent {
		// A share written as a percentage: 44% is 0.4387.
		share := f
		share.value, share.unit = f.value/100, f.unit/100
		if c := idx.candidates(&share); len(c) > 0 {
			return source(idx.cell(c[0]), KindCell)
		}
		if s := idx.share(&share); s != nil {
			return s
		}
		return nil
	}
	if saysTotal(sentence) || f.denominator {
		for ri, info := range idx.results {
			if len(info.r.Rows) < 2 || int64(len(info.r.Rows)) < info.r.RowCount {
				continue // a total of part of the rows is no total
			}
			for col, t := range info.totals {
				if !math.IsNaN(t) && f.within(t) {
					return source(Cell{Result: ri, MessageID: info.r.MessageID, Row: -1, Column: info.r.Columns[col], Value: roundTotal(t)}, KindTotal)
				}
			}
		}
	}
	return nil
}

// rowCount finds a result with as many rows as f says.
func (idx *index) rowCount(f *found) *Source {
	if !f.integer() {
		return nil
	}
	for ri, info := range idx.results {
		if info.r.RowCount > 0 && float64(info.r.RowCount) == f.value {
			return source(Cell{Result: ri, MessageID: info.r.MessageID, Row: -1, Value: info.r.RowCount}, KindRowCount)
		}
	}
	return nil
}

// roundTotal drops the float noise of a sum (0.1+0.2).
func roundTotal(t float64) float64 {
	if t == math.Trunc(t) {
		return t
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(t, 'g', 12, 64), 64)
	return r
}

// share finds two numbers a ≤ b of one result whose quotient reads as f
// (a share, 0..1): a cell and its column's total, then two cells of a row,
// then two cells of a column.
func (idx *index) share(f *found) *Source {
	if f.value <= 0 || f.value > 1+f.unit {
		return nil
	}
	mk := func(a numCell, of Cell) *Source {
		s := source(idx.cell(a), KindShare)
		s.Of = &of
		return s
	}
	for _, info := range idx.results {
		if int64(len(info.r.Rows)) < info.r.RowCount || len(info.r.Rows) < 2 {
			continue // a total of part of the rows is no total
		}
		for _, a := range info.cells {
			if t := info.totals[a.col]; a.v > 0 && t > 0 && !math.IsNaN(t) && f.within(a.v/t) {
				return mk(a, Cell{Result: a.result, MessageID: info.r.MessageID, Row: -1, Column: info.r.Columns[a.col], Value: roundTotal(t)})
			}
		}
	}
	for _, sameRow := range []bool{true, false} {
		for _, info := range idx.results {
			cells := info.cells
			if !sameRow && len(cells) > maxShareCells {
				continue
			}
			for i, a := range cells {
				if a.v <= 0 {
					continue
				}
				lo, hi := 0, len(cells)
				if sameRow { // cells are in row order
					for lo = i; lo > 0 && cells[lo-1].row == a.row; lo-- {
					}
					for hi = i + 1; hi < len(cells) && cells[hi].row == a.row; hi++ {
					}
				}
				for j := lo; j < hi; j++ {
					b := cells[j]
					if i == j || b.v <= 0 || a.v > b.v || !sameRow && b.col != a.col {
						continue
					}
					if f.within(a.v / b.v) {
						return mk(a, idx.cell(b))
					}
				}
			}
		}
	}
	return nil
}

// sentenceAround returns the sentence holding text[start:end].
func sentenceAround(text string, start, end int) string {
	s := start
	for s > 0 {
		c := text[s-1]
		if c == '\n' || (c == '.' || c == '!' || c == '?' || c == ';') && s < len(text) && (text[s] == ' ' || text[s] == '\n') {
			break
		}
		s--
	}
	e := end
	for e < len(text) {
		c := text[e]
		if c == '\n' || (c == '.' || c == '!' || c == '?' || c == ';') && (e+1 == len(text) || text[e+1] == ' ' || text[e+1] == '\n') {
			break
		}
		e++
	}
	return text[s:e]
}

var totalWords = []string{"in total", "altogether", "combined", "total of", "overall total", "in all", "all together", "grand total", "sum of all", "totals"}

// saysTotal reports whether a sentence speaks of a total of a column.
func saysTotal(sentence string) bool {
	s := strings.ToLower(sentence)
	for _, w := range totalWords {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
