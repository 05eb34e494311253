package builtin

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/analyzerhq/analyzer/duck"
	"github.com/analyzerhq/analyzer/numfmt"
)

// fmtVal writes a result value for a sentence.
func fmtVal(v any) string {
	if v == nil {
		return "(missing)"
	}
	if f, ok := duck.ToFloat(v); ok {
		if _, isStr := v.(string); !isStr {
			return numfmt.Number(f)
		}
	}
	switch x := v.(type) {
	case string:
		if x == "" {
			return "(empty)"
		}
		return x
	case bool:
		return strconv.FormatBool(x)
	}
	return fmt.Sprint(v)
}

// pct writes a share as a percentage.
func pct(part, whole float64) string {
	if whole == 0 {
		return "0%"
	}
	return numfmt.Percent(part / whole)
}

// plural writes "1 row", "3 rows".
func plural(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return numfmt.Count(n) + " " + many
}

// code writes a name as inline markdown code, safe whatever it contains.
func code(s string) string {
	n := 1
	for strings.Contains(s, strings.Repeat("`", n)) {
		n++
	}
	fence := strings.Repeat("`", n)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

// bold writes text in bold, escaping markdown emphasis characters.
// A name written in Latin letters and then in its own script ("The Price
// to Pay 五個醒覺的少年") is bold in the letters the question used; the
// original follows.
func bold(s string) string {
	if i := duck.OtherScriptTail(s); i > 0 {
		return "**" + escapeMD(strings.TrimSpace(s[:i])) + "** " + escapeMD(s[i:])
	}
	return "**" + escapeMD(s) + "**"
}

// escapeMD escapes characters markdown would read as formatting.
func escapeMD(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`, "<", "&lt;", ">", "&gt;", "|", `\|`, "#", `\#`)
	return r.Replace(s)
}

// sqlBlock writes a SQL statement as a fenced code block.
func sqlBlock(sql string) string {
	fence := "```"
	for strings.Contains(sql, fence) {
		fence += "`"
	}
	return fence + "sql\n" + sql + "\n" + fence + "\n"
}
