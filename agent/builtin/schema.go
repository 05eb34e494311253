package builtin

import (
	"strings"

	"github.com/analyzerhq/analyzer/duck"
	"github.com/analyzerhq/analyzer/numfmt"
)

// table is the view every session query reads (see duck's sandbox).
const table = "data"

// kind is what a column holds, as far as the analyst is concerned.
type kind int

const (
	kindText kind = iota
	kindNumber
	kindTemporal // DATE, TIMESTAMP…, or text holding dates (dateFmt)
	kindBool
	kindOther // lists, structs, blobs: shown, never computed on
)

func (k kind) String() string {
	switch k {
	case kindNumber:
		return "numeric"
	case kindTemporal:
		return "date"
	case kindBool:
		return "boolean"
	case kindOther:
		return "other"
	}
	return "text"
}

// column is one column of the dataset with what the grammar and the report
// need to know about it.
type column struct {
	Name string // as in the data
	Type string // DuckDB type
	kind kind
	// dateFmt is the strptime format of a text column holding dates.
	dateFmt string
	// numText marks a text column holding numbers ("$1,200", "12%").
	numText bool
	// decComma marks numbers written with a decimal comma ("39,6").
	decComma bool

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
}

func newColumn(name, typ string) *column {
	c := &column{Name: name, Type: typ, kind: kindOf(typ), nonNull: -1, distinct: -1}
	c.words = nameWords(name)
	c.flat = strings.Join(c.words, "")
	return c
}

// kindOf classifies a DuckDB type name.
func kindOf(typ string) kind {
	t := strings.ToUpper(strings.TrimSpace(typ))
	switch {
	case strings.HasSuffix(t, "[]") || strings.HasPrefix(t, "STRUCT") || strings.HasPrefix(t, "MAP") ||
		strings.HasPrefix(t, "UNION") || t == "BLOB" || t == "BIT" || t == "UUID" || t == "INTERVAL" || t == "JSON":
		return kindOther
	case t == "BOOLEAN" || t == "BOOL":
		return kindBool
	case t == "DATE" || strings.HasPrefix(t, "TIMESTAMP") || t == "DATETIME":
		return kindTemporal
	case t == "TIME" || strings.HasPrefix(t, "TIME "):
		return kindOther
	case strings.HasPrefix(t, "DECIMAL") || strings.HasPrefix(t, "NUMERIC"):
		return kindNumber
	}
	switch t {
	case "TINYINT", "SMALLINT", "INTEGER", "INT", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
		"UBIGINT", "UHUGEINT", "FLOAT", "REAL", "DOUBLE", "INT1", "INT2", "INT4", "INT8", "FLOAT4", "FLOAT8", "VARINT", "BIGNUM":
		return kindNumber
	case "VARCHAR", "TEXT", "STRING", "CHAR", "BPCHAR", "ENUM":
		return kindText
	}
	if strings.HasPrefix(t, "VARCHAR") || strings.HasPrefix(t, "ENUM") {
		return kindText
	}
	return kindOther
}

func (c *column) isNumeric() bool  { return c.kind == kindNumber || c.numText }
func (c *column) isTemporal() bool { return c.kind == kindTemporal }

// isCategory reports whether the column is fit to group by rather than to
// sum: text, booleans, and integers with few values whose name says they
// are labels (a year, a rating, a 0/1 flag) rather than amounts.
func (c *column) isCategory() bool {
	switch {
	case c.kind == kindText && !c.numText, c.kind == kindBool:
		return true
	case c.kind != kindNumber || c.numText || !isIntType(c.Type) || c.distinct < 0 || c.distinct > 30:
		return false
	case c.distinct <= 2:
		return true
	}
	for _, w := range c.words {
		if categoryWords[w] {
			return true
		}
	}
	return false
}

// categoryWords in a column's name mark small integers as labels.
var categoryWords = set("year", "month", "day", "week", "quarter", "hour", "weekday", "dow", "rating", "rank",
	"grade", "class", "level", "type", "group", "category", "segment", "tier", "cluster", "star", "code",
	"flag", "status", "season", "gender", "sex", "region", "zone", "floor", "bedroom", "room", "generation", "cohort")

func isIntType(typ string) bool {
	t := strings.ToUpper(typ)
	return strings.Contains(t, "INT") && !strings.Contains(t, "INTERVAL")
}

// ident is the column's quoted identifier.
func (c *column) ident() string { return duck.QuoteIdent(c.Name) }

// expr is the SQL expression of the column's value, typed: a text column
// holding numbers is cleaned and cast, one holding dates is parsed.
func (c *column) expr() string {
	switch {
	case c.numText && c.decComma:
		return "TRY_CAST(replace(trim(" + c.ident() + "), ',', '.') AS DOUBLE)"
	case c.numText:
		return "TRY_CAST(regexp_replace(trim(" + c.ident() + `), '[\s$€£,%]', '', 'g') AS DOUBLE)`
	case c.dateFmt != "" && !strings.Contains(c.dateFmt, "%H"):
		return "CAST(try_strptime(trim(" + c.ident() + "), " + duck.QuoteString(c.dateFmt) + ") AS DATE)"
	case c.dateFmt != "":
		return "try_strptime(trim(" + c.ident() + "), " + duck.QuoteString(c.dateFmt) + ")"
	}
	return c.ident()
}

// textExpr is the column as text, for comparisons with a word.
func (c *column) textExpr() string {
	if c.kind == kindText {
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
