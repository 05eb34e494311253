package builtin

import (
	"strings"

	"github.com/analyzerhq/analyzer/duck"
	"github.com/analyzerhq/analyzer/numfmt"
)

// table is the view every session query reads (see duck's sandbox).
const table = "data"

// column is one column of the dataset with what the grammar and the report
// need to know about it.
type column struct {
	Name string // as in the data
	Type string // DuckDB type
	// kind is what the column's type holds (duck.TypeKind, or temporal /
	// numeric for text holding dates / numbers); class is what the profile
	// decided the column holds (duck's one classification), kind when the
	// profile is not known.
	kind, class duck.Kind
	// dateFmt is the strptime format of a text column holding dates.
	dateFmt string
	// numText marks a text column holding numbers ("$1,200", "12%").
	numText bool
	// unit and dur refine numText as the profile reads the text (see
	// duck.Reading): numbers followed by this unit ("10,080 ft", read by
	// the leading number), lengths of time ("4:25", read as seconds).
	unit string
	dur  bool

	words []string // normalised name, for matching
	flat  string   // words joined, for "unitprice"-style mentions

	// Statistics, when the profile has them (-1 when unknown).
	nonNull  int64
	distinct int64
	// values maps every value of a low-cardinality text column, lower
	// case, to its spelling, when the profile's top values cover them all.
	values map[string]string
	// numRole says how its numbers read (years and codes without
	// separators), from the profile.
	numRole numfmt.Role
	// dateRange is the profile's span of a temporal column, nil when
	// unknown.
	dateRange *duck.DateRange
}

func newColumn(name, typ string) *column {
	k := duck.TypeKind(typ)
	c := &column{Name: name, Type: typ, kind: k, class: k, nonNull: -1, distinct: -1}
	c.words = nameWords(name)
	c.flat = strings.Join(c.words, "")
	return c
}

func (c *column) isNumeric() bool  { return c.kind == duck.KindNumeric || c.numText }
func (c *column) isTemporal() bool { return c.kind == duck.KindTemporal }

// isCategory reports whether the column is fit to group by rather than to
// sum: text, booleans, and what the profile calls categorical (integers
// with few values whose name says they are labels: a year, a rating).
func (c *column) isCategory() bool {
	return c.kind == duck.KindText && !c.numText || c.kind == duck.KindBoolean || c.class == duck.KindCategorical || c.class == duck.KindBoolean
}

// isIdentifier reports a column that names rows rather than measures them
// (an id, a key, a code), as the profile decided.
func (c *column) isIdentifier() bool { return c.class == duck.KindIdentifier }

// ident is the column's quoted identifier.
func (c *column) ident() string { return duck.QuoteIdent(c.Name) }

// expr is the SQL expression of the column's value, typed: a text column
// holding numbers (with a unit, or lengths of time) or dates is read as
// duck reads it (duck.Reading).
func (c *column) expr() string {
	return c.reading().Expr(c.ident())
}

// reading is the profile's reading of the column's text.
func (c *column) reading() duck.Reading {
	return duck.Reading{DateFormat: c.dateFmt, Number: c.numText, Unit: c.unit, Duration: c.dur}
}

// textExpr is the column as text, for comparisons with a word.
func (c *column) textExpr() string {
	if c.kind == duck.KindText {
		return c.ident()
	}
	return "CAST(" + c.ident() + " AS VARCHAR)"
}

// schema is the dataset as the analyst sees it.
type schema struct {
	filename string
	rows     int64 // -1 when unknown
	cols     []*column
}

func (s *schema) byKind(pred func(*column) bool) []*column {
	var out []*column
	for _, c := range s.cols {
		if pred(c) {
			out = append(out, c)
		}
	}
	return out
}

func (s *schema) temporal() []*column { return s.byKind((*column).isTemporal) }
