package duck

import (
	"context"
	"database/sql"
	"strings"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/analyzerhq/analyzer/apperr"
)

// EXPLAIN ANALYZE runs the statement it explains, whatever it is: EXPLAIN
// ANALYZE COPY ... TO 'data.parquet' (USE_TMP_FILE false) would overwrite
// the session's own (allowed) file. So an EXPLAIN is taken apart: the
// statement after EXPLAIN [ANALYZE] [(options)] must be one SELECT by
// DuckDB's own typing, and what runs is "EXPLAIN [ANALYZE] " followed by
// exactly that checked text. Options are dropped, so nothing the checked
// text does not contain can be smuggled past the check.

// explainParts splits text into its ANALYZE flag and explained statement.
// ok is false when text does not start with EXPLAIN (after blanks and
// comments).
func explainParts(text string) (analyze bool, inner string, ok bool) {
	rest := skipBlank(text)
	word, rest := leadingWord(rest)
	if !strings.EqualFold(word, "EXPLAIN") {
		return false, "", false
	}
	rest = skipBlank(rest)
	if w, after := leadingWord(rest); strings.EqualFold(w, "ANALYZE") || strings.EqualFold(w, "ANALYSE") {
		analyze, rest = true, skipBlank(after)
	}
	if strings.HasPrefix(rest, "(") {
		end := closingParen(rest)
		if end < 0 {
			return false, "", false
		}
		rest = skipBlank(rest[end+1:])
	}
	return analyze, rest, rest != ""
}

// explainable returns the EXPLAIN to run for text, or an error if it does
// not explain a single SELECT.
func (e *Engine) explainable(ctx context.Context, conn *sql.Conn, text string) (string, error) {
	refuse := apperr.New(apperr.Invalid, "EXPLAIN is allowed for read-only queries only")
	analyze, inner, ok := explainParts(text)
	if !ok || e.oneStatement(inner) != nil {
		return "", refuse
	}
	st, err := statementType(ctx, conn, inner)
	if err != nil {
		return "", err
	}
	if st != duckdb.STATEMENT_TYPE_SELECT {
		return "", refuse
	}
	if analyze {
		return "EXPLAIN ANALYZE " + inner, nil
	}
	return "EXPLAIN " + inner, nil
}

// skipBlank drops leading white space and SQL comments.
func skipBlank(s string) string {
	for {
		t := strings.TrimLeft(s, " \t\r\n\f\v")
		switch {
		case strings.HasPrefix(t, "--"):
			if i := strings.IndexByte(t, '\n'); i >= 0 {
				s = t[i+1:]
				continue
			}
			return ""
		case strings.HasPrefix(t, "/*"):
			if i := strings.Index(t[2:], "*/"); i >= 0 {
				s = t[2+i+2:]
				continue
			}
			return ""
		}
		return t
	}
}

// leadingWord returns the leading run of letters and what follows it.
func leadingWord(s string) (string, string) {
	i := 0
	for i < len(s) && (s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z' || s[i] == '_') {
		i++
	}
	return s[:i], s[i:]
}

// closingParen returns the index of the parenthesis closing s[0], skipping
// quoted strings and identifiers, or -1.
func closingParen(s string) int {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return i
			}
		case '\'', '"':
			j := strings.IndexByte(s[i+1:], c)
			if j < 0 {
				return -1
			}
			i += j + 1
		}
	}
	return -1
}
