package duck

import (
	"regexp"
	"strconv"
	"strings"
)

// DuckDB's CSV messages name its reader's internals ("CSV Error on Line: 2",
// "state machine", options to set). These say what is wrong with the file
// instead: where (line, column when known) and what was expected.

var (
	reCSVLine     = regexp.MustCompile(`CSV Error on Line: (\d+)`)
	reColumnCount = regexp.MustCompile(`Expected Number of Columns: (\d+) Found: (\d+)`)
	reCast        = regexp.MustCompile(`(?s)converting column "(.*?)"\. Could not convert string "(.*?)" to '(.*?)'`)
	reLineSize    = regexp.MustCompile(`Maximum line size of (\d+) bytes exceeded`)
)

// csvProblem is the plain reason for a DuckDB CSV message, "" when it is
// not one we know. column is the column at fault when DuckDB names it.
func csvProblem(kind, column, msg string) string {
	switch {
	case kind == "CAST" || reCast.MatchString(msg):
		if m := reCast.FindStringSubmatch(msg); m != nil {
			return columnPrefix(firstNonEmpty(column, m[1])) + quoteValue(m[2]) + " is not " + typeWords(m[3]) + " like the rest of the column"
		}
		return columnPrefix(column) + "a value does not fit the column's type"
	case kind == "MISSING COLUMNS" || kind == "TOO MANY COLUMNS" || reColumnCount.MatchString(msg):
		if m := reColumnCount.FindStringSubmatch(msg); m != nil {
			want, _ := strconv.Atoi(m[1])
			got, _ := strconv.Atoi(m[2])
			if kind == "TOO MANY COLUMNS" || got > want {
				// DuckDB stops counting at the first field too many.
				return "expected " + fields(m[1]) + ", found more"
			}
			return "expected " + fields(m[1]) + ", found " + m[2]
		}
		if kind == "MISSING COLUMNS" {
			return "the row has fewer fields than the header"
		}
		return "the row has more fields than the header"
	case kind == "UNQUOTED VALUE" || strings.Contains(msg, "unterminated quote"):
		return columnPrefix(column) + "a quoted field is not closed (a \" is missing, or a quote inside a field is not doubled)"
	case kind == "LINE SIZE OVER MAXIMUM" || reLineSize.MatchString(msg):
		if m := reLineSize.FindStringSubmatch(msg); m != nil {
			if n, err := strconv.ParseInt(m[1], 10, 64); err == nil {
				return "the row is longer than " + itoa(n>>20) + " MB"
			}
		}
		return "the row is too long"
	case kind == "INVALID ENCODING" || strings.Contains(msg, "Invalid unicode"):
		return "the row is not valid text"
	case kind == "INVALID STATE" || strings.Contains(msg, "invalid state"):
		return "the row does not follow the file's CSV layout (a quote or delimiter out of place)"
	case strings.Contains(msg, "not possible to automatically detect") || strings.Contains(msg, "Error when sniffing"):
		return "no consistent CSV layout (delimiter, quoting, columns) was found"
	}
	return ""
}

// rejectText is the reason shown for a skipped row.
func rejectText(kind, column, msg string) string {
	if p := csvProblem(kind, column, msg); p != "" {
		return p
	}
	return plainMessage(msg)
}

// plainCSVError words a DuckDB error that refused a whole CSV file:
// "line 2: a quoted field is not closed ...".
func plainCSVError(msg string) string {
	p := csvProblem("", "", msg)
	if p == "" {
		return plainMessage(msg)
	}
	if m := reCSVLine.FindStringSubmatch(msg); m != nil {
		return "line " + m[1] + ": " + p
	}
	return p
}

func columnPrefix(column string) string {
	if column == "" {
		return ""
	}
	return "column " + strconv.Quote(column) + ": "
}

func quoteValue(v string) string {
	const max = 60
	if len(v) > max {
		v = v[:max] + "…"
	}
	return strconv.Quote(v)
}

func fields(n string) string {
	if n == "1" {
		return "1 field"
	}
	return n + " fields"
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// typeWords names a DuckDB type as a user would.
func typeWords(t string) string {
	switch {
	case strings.Contains(t, "INT") || strings.HasPrefix(t, "HUGEINT"):
		return "a whole number"
	case t == "DOUBLE" || t == "FLOAT" || strings.HasPrefix(t, "DECIMAL"):
		return "a number"
	case t == "DATE":
		return "a date"
	case strings.HasPrefix(t, "TIMESTAMP"):
		return "a date and time"
	case strings.HasPrefix(t, "TIME"):
		return "a time of day"
	case t == "BOOLEAN":
		return "true or false"
	}
	return "a " + strings.ToLower(t)
}
