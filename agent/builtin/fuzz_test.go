package builtin

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/analyzerhq/analyzer/duck"
)

// statementFor builds the main SQL of a parsed query, as the analyst would.
func statementFor(q *query, s *schema) string {
	switch q.kind {
	case qAgg, qTime:
		if q.kind == qTime && q.grain == "" {
			q.grain = "month"
		}
		return aggSQL(q)
	case qRows:
		return rowsSQL(q) + countSQL(q.filters)
	case qDescribe:
		return describeSQL(q.cols[0], q.filters) + histogramSQL(q.cols[0], q.filters)
	case qDistribution:
		if len(q.groups) == 1 {
			return boxSQL(q.cols[0], q.groups[0], q.filters)
		}
		return histogramSQL(q.cols[0], q.filters) + valueCountsSQL(q.cols[0], q.filters, 10)
	case qCorrelation:
		return corrSQL(q.cols[0], q.cols[1], q.filters) + scatterSQL(q.cols[0], q.cols[1], q.filters, 10)
	case qCorrMatrix:
		cols := q.cols
		if len(cols) == 0 {
			cols = numericForMatrix(s)
		}
		return corrMatrixSQL(cols)
	case qValues:
		return valueCountsSQL(q.cols[0], q.filters, 0)
	case qMissing:
		cols := q.cols
		if len(cols) == 0 {
			cols = s.cols
		}
		return missingSQL(cols)
	case qDuplicates:
		return duplicatesSQL()
	case qColumns:
		return schemaSQL()
	}
	return ""
}

// FuzzParse checks that no question makes the parser or the SQL builders
// panic, and that what parses describes itself and builds a statement
// reading only the dataset.
func FuzzParse(f *testing.F) {
	for _, q := range []string{
		"average unit price by region",
		"top 5 rows by quantity",
		"how many rows where region is 'West' and quantity at least 5",
		"total quantity per month",
		"correlation between unit price and quantity",
	} {
		f.Add(q)
	}
	s := grammarSchema()
	f.Fuzz(func(t *testing.T, question string) {
		q, perr := parse(question, s)
		if perr != nil {
			if perr.msg == "" {
				t.Fatalf("a refusal without a reason for %q", question)
			}
			return
		}
		if queryDesc(q) == "" {
			t.Fatalf("%q parsed into a query without a description", question)
		}
		_ = titleOf(q, "sales")
		if q.kind == qOverview {
			return
		}
		sql := statementFor(q, s)
		if sql == "" {
			t.Fatalf("%q parsed into kind %d without a statement", question, q.kind)
		}
		if !utf8.ValidString(sql) || strings.ContainsRune(sql, 0) {
			t.Fatalf("statement for %q is not clean text: %q", question, sql)
		}
		for _, fl := range q.filters {
			literal := fl.text != "" && !fl.isNum && fl.date == "" && fl.col.kind != duck.KindBoolean
			if literal && !strings.Contains(sql, duck.QuoteString(fl.text)) {
				t.Fatalf("the value %q of %q is not a quoted literal in:\n%s", fl.text, question, sql)
			}
		}
	})
}

func FuzzTokenize(f *testing.F) {
	f.Add("above $1,200.50 or 2.5k 40% -3 .5 2023-01-31")
	f.Add("'unclosed \"quote")
	f.Fuzz(func(t *testing.T, q string) {
		for _, tok := range tokenize(q) {
			if tok.w == "" && !tok.quoted {
				t.Fatalf("empty token in %q", q)
			}
		}
	})
}
