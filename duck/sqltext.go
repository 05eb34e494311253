package duck

import (
	"strconv"
	"strings"
)

// sqlString quotes s as a SQL string literal.
func sqlString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// sqlIdent quotes s as a SQL identifier; every column name we generate SQL
// for goes through it, so names with spaces, quotes or symbols are safe.
func sqlIdent(s string) string {
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
