package builtin

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/analyzerhq/analyzer/duck"
	"github.com/analyzerhq/analyzer/numfmt"
)

// Plain-language descriptions of a query, for the answer's first line, the
// chart titles and the session title.

func measureDesc(m measure) string {
	if m.col == nil && m.noun != "" {
		return "number of " + m.noun
	}
	if m.col == nil {
		return "number of rows"
	}
	switch m.fn {
	case aggCount:
		return "number of " + m.col.Name + " values"
	case aggCountDistinct:
		return "number of distinct " + m.col.Name + " values"
	case aggStddev, aggVar:
		return aggName(m.fn) + " of " + m.col.Name
	}
	return aggName(m.fn) + " " + m.col.Name
}

func measuresDesc(ms []measure) string {
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = measureDesc(m)
	}
	return andList(parts)
}

func filterDesc(f filter) string {
	name := f.col.Name
	if f.year {
		name = "year of " + name
	}
	val := f.text
	switch {
	case f.date != "":
		val = f.date
	case f.year:
		val = numLit(f.num)
	case f.isNum:
		val = numfmt.Value(f.num, f.col.role())
	case f.col.kind != duck.KindBoolean:
		val = "“" + val + "”"
	}
	switch f.op {
	case "null":
		return name + " is missing"
	case "notnull":
		return name + " is not missing"
	case "contains":
		return name + " contains " + val
	case "notcontains":
		return name + " does not contain " + val
	case "between":
		if f.year {
			return name + " between " + numLit(f.num) + " and " + numLit(f.num2)
		}
		return name + " between " + numfmt.Value(f.num, f.col.role()) + " and " + numfmt.Value(f.num2, f.col.role())
	case "=":
		return name + " is " + val
	case "!=":
		return name + " is not " + val
	case ">":
		return name + " above " + val
	case ">=":
		return name + " at least " + val
	case "<":
		return name + " below " + val
	case "<=":
		return name + " at most " + val
	}
	return name + " " + f.op + " " + val
}

func filtersDesc(fs []filter) string {
	if len(fs) == 0 {
		return ""
	}
	parts := make([]string, len(fs))
	for i, f := range fs {
		parts[i] = filterDesc(f)
	}
	return " where " + andList(parts)
}

// condPhrase is "the condition X" or "the conditions X and Y".
func condPhrase(fs []filter) string {
	if len(fs) == 0 {
		return ""
	}
	parts := make([]string, len(fs))
	for i, f := range fs {
		parts[i] = filterDesc(f)
	}
	if len(fs) == 1 {
		return " the condition " + parts[0]
	}
	return " the conditions " + andList(parts)
}

func groupsDesc(gs []*column) string {
	names := make([]string, len(gs))
	for i, g := range gs {
		names[i] = g.Name
	}
	return andList(names)
}

func grainDesc(grain string) string {
	if grain == "" {
		return "period"
	}
	return grain
}

// queryDesc describes q in a phrase: "average Unit Price ($) by Region".
func queryDesc(q *query) string {
	var s string
	switch q.kind {
	case qAgg:
		s = measuresDesc(q.measures)
		if q.common && len(q.groups) == 1 {
			which := "most"
			if q.dir < 0 {
				which = "least"
			}
			s = which + " common " + q.groups[0].Name
			if q.limit > 0 {
				s = itoa(q.limit) + " " + s + " values"
			}
			break
		}
		if len(q.groups) > 0 {
			switch {
			case q.limit > 0 && q.dir < 0:
				s = "bottom " + itoa(q.limit) + " " + groupsDesc(q.groups) + " by " + s
			case q.limit > 0:
				s = "top " + itoa(q.limit) + " " + groupsDesc(q.groups) + " by " + s
			default:
				s += " by " + groupsDesc(q.groups)
			}
		}
	case qTime:
		s = measuresDesc(q.measures) + " per " + grainDesc(q.grain) + " of " + q.dateCol.Name
		if len(q.groups) > 0 {
			s += ", by " + groupsDesc(q.groups)
		}
	case qRows:
		switch {
		case q.orderCol != nil && q.dir < 0:
			s = "the " + itoa(q.limit) + " rows with the lowest " + q.orderCol.Name
		case q.orderCol != nil:
			s = "the " + itoa(q.limit) + " rows with the highest " + q.orderCol.Name
		case len(q.filters) > 0:
			s = "rows"
		default:
			s = "the first " + itoa(q.limit) + " rows"
		}
	case qDescribe:
		s = "summary of " + colsDesc(q.cols)
	case qDistribution:
		s = "distribution of " + colsDesc(q.cols)
		if len(q.groups) > 0 {
			s += " by " + groupsDesc(q.groups)
		}
	case qCorrelation:
		s = "correlation between " + q.cols[0].Name + " and " + q.cols[1].Name
	case qCorrMatrix:
		s = "correlations between the numeric columns"
	case qValues:
		s = "distinct values of " + colsDesc(q.cols)
	case qMissing:
		if len(q.cols) > 0 {
			s = "missing values of " + colsDesc(q.cols)
		} else {
			s = "missing values per column"
		}
	case qDuplicates:
		s = "duplicate rows"
	case qColumns:
		s = "the columns of the data"
	case qOverview:
		s = "an overview of the data"
	}
	return s + filtersDesc(q.filters)
}

func colsDesc(cs []*column) string {
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = c.Name
	}
	return andList(names)
}

// titleOf makes a session title from a parsed question.
func titleOf(q *query, stem string) string {
	switch q.kind {
	case qOverview:
		if stem != "" {
			return stem + " overview"
		}
		return "Data overview"
	case qColumns:
		if stem != "" {
			return "Columns of " + stem
		}
		return "Columns"
	}
	d := queryDesc(q)
	d = strings.TrimPrefix(d, "the ")
	return d
}

// chartTitle is queryDesc as a chart's title: capitalized, and without
// the date column a time series is drawn over, which its axis names
// ("Total precipitation per month", not "…per month of date").
func chartTitle(q *query) string {
	s := queryDesc(q)
	if q.kind == qTime && q.dateCol != nil {
		s = strings.Replace(s, " of "+q.dateCol.Name, "", 1)
	}
	s = strings.TrimPrefix(s, "the ")
	if r, size := utf8.DecodeRuneInString(s); size > 0 {
		s = string(unicode.ToUpper(r)) + s[size:]
	}
	return s
}
