package duck

import (
	"strconv"
	"strings"
)

// QuoteString quotes s as a SQL string literal, doubling embedded single
// quotes; NUL characters, which DuckDB's parser stops at, are dropped. It is
// the one string quoting of the application's generated SQL.
func QuoteString(s string) string {
	s = strings.ReplaceAll(s, "\x00", "")
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// QuoteIdent quotes s as a SQL identifier (a column name), doubling
// embedded double quotes; NUL characters are dropped. Every column name
// the application generates SQL for goes through it, so names with spaces,
// quotes or symbols are safe.
func QuoteIdent(s string) string {
	s = strings.ReplaceAll(s, "\x00", "")
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// foldName folds a name the way DuckDB compares identifiers (case-insensitively).
func foldName(s string) string { return strings.ToLower(s) }

// trimStatement drops trailing semicolons and blanks so the statement can
// be nested in a subquery.
func trimStatement(s string) string {
	return strings.TrimRight(strings.TrimSpace(s), "; \t\r\n")
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
