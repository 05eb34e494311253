package duck

import (
	"regexp"
	"strings"

	"github.com/analyzerhq/analyzer/numfmt"
)

// Kind is what a column holds, decided once when the dataset is profiled
// (ColumnProfile.Class). Both analysts, the prompt and the UI read it;
// nobody derives it again.
type Kind string

const (
	KindNumeric     Kind = "numeric"     // a measure: sum it, average it
	KindTemporal    Kind = "temporal"    // dates or timestamps, typed or written as text
	KindCategorical Kind = "categorical" // labels to group by (text, or small integers like a year or a rating)
	KindBoolean     Kind = "boolean"
	KindIdentifier  Kind = "identifier" // names a row (an id, a key, a code); never summed
	KindText        Kind = "text"       // free text
	KindOther       Kind = "other"      // lists, structs, blobs, intervals, times of day: shown, not computed on
)

// Thresholds of the classification, defined once.
const (
	// CategoricalMaxDistinct: a text column with at most this many
	// distinct values is categorical ...
	CategoricalMaxDistinct = 100
	// CategoricalMaxShare: ... and so is one whose distinct values are at
	// most this share of its non-null values (229 airports in 3M flights).
	CategoricalMaxShare = 0.05
	// CategoricalIntMaxDistinct: an integer column with at most this many
	// distinct values whose name says it is a label (year, rating, ...) is
	// categorical.
	CategoricalIntMaxDistinct = 30
	// IdentifierUniqueShare: a column whose distinct values are at least
	// this share of its rows (and which has no nulls and more than
	// IdentifierMinRows rows) may identify rows ...
	IdentifierUniqueShare = 0.95
	IdentifierMinRows     = 20
	// IdentifierMaxLength: ... when, as text, no value is longer than this
	// (longer unique values are free text) ...
	IdentifierMaxLength = 40
	// IdentifierDenseSpan: ... or, as integers, they span at most this
	// many times the row count (a sequence, not a measure like population).
	IdentifierDenseSpan = 2
)

// storage is the family of a column's DuckDB type: what statistics it has.
// Its values are the legacy "kind" of the profile JSON.
type storage string

const (
	storageNumber    storage = "number"
	storageText      storage = "text"
	storageBoolean   storage = "boolean"
	storageDate      storage = "date"
	storageTimestamp storage = "timestamp"
	storageTime      storage = "time"
	storageOther     storage = "other"
)

func storageOf(t string) storage {
	t = strings.ToUpper(strings.TrimSpace(t))
	switch {
	case t == "BOOLEAN":
		return storageBoolean
	case t == "VARCHAR" || strings.HasPrefix(t, "ENUM"):
		return storageText
	case t == "DATE":
		return storageDate
	case strings.HasPrefix(t, "TIMESTAMP"):
		return storageTimestamp
	case strings.HasPrefix(t, "TIME"):
		return storageTime
	case strings.HasPrefix(t, "DECIMAL"), t == "FLOAT", t == "DOUBLE":
		return storageNumber
	}
	if isIntegerType(t) {
		return storageNumber
	}
	return storageOther
}

func isIntegerType(t string) bool {
	switch strings.ToUpper(t) {
	case "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT",
		"UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT":
		return true
	}
	return false
}

// identifierWords in a column's name ("user_id", "CustomerID", "zip")
// mark identifiers, keys and codes.
var identifierWords = map[string]bool{}

// identifierName reports a name of an identifier, key or code column.
func identifierName(name string) bool {
	if strings.EqualFold(name, "index") || rowNumName.MatchString(name) {
		return true
	}
	for _, w := range nameWords(name) {
		if identifierWords[w] {
			return true
		}
	}
	return false
}

var rowNumName = regexp.MustCompile(`(?i)^row_?(num|number|no)$`)

// labelWords in a column's name mark small integers as labels to group by
// rather than amounts.
var labelWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields("id uuid guid key idx code zip zipcode postcode phone sku isbn") {
		identifierWords[w] = true
	}
	for _, w := range strings.Fields("year month day week quarter hour weekday dow rating rank grade class level type group " +
		"category segment tier cluster star stars code flag status season gender sex region zone floor bedroom bedrooms room rooms generation cohort") {
		labelWords[w] = true
	}
}

// nameWords splits a column name into lower-case words: "OrderYear" and
// "order_year" both give [order year].
func nameWords(name string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	rs := []rune(name)
	for i, r := range rs {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			cur = append(cur, r)
		case r >= 'A' && r <= 'Z':
			if len(cur) > 0 && (i > 0 && rs[i-1] >= 'a' && rs[i-1] <= 'z') {
				flush()
			}
			cur = append(cur, r)
		default:
			flush()
		}
	}
	flush()
	return words
}

// classify decides a column's Kind from its type, name and statistics
// (the profile's, already computed). This is the one rule.
func classify(c *ColumnProfile, rows int64) Kind {
	nonNull := rows - c.NullCount
	distinct, _ := c.DistinctCount()
	unique := nonNull > IdentifierMinRows && c.NullCount == 0 && float64(distinct) >= IdentifierUniqueShare*float64(nonNull)
	switch c.storage() {
	case storageBoolean:
		return KindBoolean
	case storageDate, storageTimestamp:
		return KindTemporal
	case storageTime, storageOther:
		if strings.HasPrefix(strings.ToUpper(c.Type), "UUID") {
			return KindIdentifier
		}
		return KindOther
	case storageNumber:
		integer := isIntegerType(c.Type)
		if integer && identifierName(c.Name) {
			return KindIdentifier
		}
		if integer && unique {
			lo, okLo := toFloat(c.Min)
			hi, okHi := toFloat(c.Max)
			if okLo && okHi && hi-lo+1 <= IdentifierDenseSpan*float64(nonNull) {
				return KindIdentifier
			}
		}
		if integer && distinct >= 1 && distinct <= 2 {
			lo, _ := toFloat(c.Min)
			hi, _ := toFloat(c.Max)
			if lo == 0 && hi == 1 {
				return KindBoolean
			}
			return KindCategorical
		}
		if integer && distinct <= CategoricalIntMaxDistinct {
			for _, w := range nameWords(c.Name) {
				if labelWords[w] {
					return KindCategorical
				}
			}
		}
		return KindNumeric
	}
	// Text.
	if c.DateFormat != "" {
		return KindTemporal
	}
	if c.NumberText {
		return KindNumeric
	}
	if identifierName(c.Name) && distinct > CategoricalIntMaxDistinct {
		return KindIdentifier
	}
	if unique && c.MaxLength != nil && *c.MaxLength <= IdentifierMaxLength {
		return KindIdentifier
	}
	if nonNull > IdentifierMinRows && float64(distinct) >= IdentifierUniqueShare*float64(nonNull) {
		return KindText // (almost) every value different and long: free text
	}
	if distinct <= CategoricalMaxDistinct || float64(distinct) <= CategoricalMaxShare*float64(nonNull) {
		return KindCategorical
	}
	return KindText
}

// numberRole is how a numeric or categorical column's numbers read.
func numberRole(c *ColumnProfile) numfmt.Role {
	if c.storage() != storageNumber && !c.NumberText {
		return ""
	}
	lo, okLo := toFloat(c.Min)
	hi, okHi := toFloat(c.Max)
	if !okLo || !okHi {
		return numfmt.RoleFor(c.Name, c.Class == KindIdentifier, 0, 0, false)
	}
	return numfmt.RoleFor(c.Name, c.Class == KindIdentifier, lo, hi, isIntegerType(c.Type))
}
