package llm

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/duck"
	"github.com/analyzerhq/analyzer/numfmt"
)

// Prompt budgets.
const (
	promptColumns    = 200 // columns described; the rest are named only
	promptSampleRows = 5
	promptValueChars = 60
	promptSampleSize = 3000
)

// previewer is the engine's optional cheap first-rows read.
type previewer interface {
	Preview(ctx context.Context, sessionID string, limit int) (*duck.Result, error)
}

// sampleRows returns the first few rows of the dataset for the prompt, nil
// when they cannot be read (the prompt then goes without).
func sampleRows(ctx context.Context, engine agent.Engine, sessionID string) *duck.Result {
	if p, ok := engine.(previewer); ok {
		if res, err := p.Preview(ctx, sessionID, promptSampleRows); err == nil {
			return res
		}
		return nil
	}
	res, err := engine.Query(ctx, sessionID, fmt.Sprintf("SELECT * FROM data LIMIT %d", promptSampleRows))
	if err != nil {
		return nil
	}
	return res
}

const promptRules = `You are a careful data analyst. The user uploaded a dataset and asks questions about it. You answer by running DuckDB SQL with the generate_query tool, drawing charts with the create_plot tool, and then writing what you found.

Rules:
- Every number you state must come from a query you ran in this conversation (or a finding given to you as computed). Never estimate, guess or invent a number; the profile below is for planning queries, not for quoting. A statistic marked "about" (approx) is an estimate: if you quote it, say so.
- Take every figure in your answer from a tool result of this turn and write it as the result shows it (rounding is fine: 19.86 for 19.8619, 44% for 0.4387, 4.4k for 4,426). The figures of your answer are checked against this turn's query results, and the user sees any figure found in none of them marked as not found. To state a total, a difference or a share, compute it in SQL.
- The dataset is the table data. Run one read-only statement per call. Aggregate in SQL (GROUP BY, count, avg, quantiles) instead of reading raw rows.
- If a query fails, read the error, fix the query and try again.
- When a chart helps, call create_plot with a query that returns at most a few thousand rows and a Vega-Lite v5 spec without data: the rows are added for you. Use the query's column names in the encoding.
- Answer in short Markdown: the answer first, then the evidence. Do not repeat full tables the user already sees as query results. Do not show SQL unless asked.
- If the data cannot answer the question, say so plainly.

DuckDB dialect:
- Identifiers with spaces, capitals or symbols in double quotes ("Sales Amount"); strings in single quotes.
- Dates: date_trunc('month', d), strftime(d, '%Y-%m'), year(d), dayname(d), d::DATE, date_diff('day', a, b), current_date; strptime(s, '%d/%m/%Y') parses text.
- Text: ILIKE for case-insensitive matching, regexp_matches(s, 'pattern'), lower(), trim(), string_split(s, ',').
- Aggregates: count(*), count(DISTINCT x), avg, median(x), quantile_cont(x, 0.9), stddev_samp, corr(x, y), mode(x), arg_max(label, value), sum(x) FILTER (WHERE cond).
- Handy: SUMMARIZE data; DESCRIBE data; GROUP BY ALL; ORDER BY ALL; QUALIFY for window filters; TRY_CAST(x AS DOUBLE); NULLIF(x, 0) against division by zero; round(x, 2). / divides as floating point, // is integer division.
- Percentages: round(100.0 * count(*) / sum(count(*)) OVER (), 1).`

// SystemPrompt is the stable part of every model call of a session: the
// rules, the DuckDB hints and the dataset's description (duck.Profile):
// each column's kind, its statistics written by numfmt, estimates marked
// "about". With sendRows false it holds no value of the data: names,
// types, kinds and aggregate statistics of number and date columns only.
// sample may be nil.
func SystemPrompt(ds agent.Dataset, sample *duck.Result, sendRows bool) string {
	var b strings.Builder
	b.WriteString(promptRules)
	b.WriteString("\n\n# The dataset\n")
	name := ds.Filename
	if name == "" {
		name = "(unnamed)"
	}
	rows := ds.RowCount
	if rows == 0 && ds.Profile != nil {
		rows = ds.Profile.RowCount
	}
	fmt.Fprintf(&b, "File %s, table data: %s rows, %s columns.", name, numfmt.Count(rows), numfmt.Count(int64(len(ds.Columns))))
	if p := ds.Profile; p != nil && p.DuplicateRows > 0 {
		fmt.Fprintf(&b, " %s rows are exact duplicates of another row.", numfmt.Count(p.DuplicateRows))
	}
	b.WriteString("\n\nColumns (name, DuckDB type, kind: profile; a statistic said \"about\" is an estimate, approx):\n")

	profiles := map[string]*duck.ColumnProfile{}
	if ds.Profile != nil {
		for i := range ds.Profile.Columns {
			c := &ds.Profile.Columns[i]
			profiles[c.Name] = c
		}
	}
	cols := ds.Columns
	if len(cols) == 0 && ds.Profile != nil {
		for _, c := range ds.Profile.Columns {
			cols = append(cols, duck.Column{Name: c.Name, Type: c.Type})
		}
	}
	for i, c := range cols {
		if i == promptColumns {
			rest := make([]string, 0, len(cols)-i)
			for _, r := range cols[i:] {
				rest = append(rest, duck.QuoteIdent(r.Name)+" "+r.Type)
			}
			fmt.Fprintf(&b, "- and %d more: %s\n", len(rest), strings.Join(rest, ", "))
			break
		}
		fmt.Fprintf(&b, "- %s %s", duck.QuoteIdent(c.Name), c.Type)
		if p := profiles[c.Name]; p != nil {
			b.WriteString(", " + string(p.Class))
			if stats := columnStats(p, rows, sendRows); stats != "" {
				b.WriteString(": " + stats)
			}
		}
		b.WriteByte('\n')
	}

	if sendRows && sample != nil && len(sample.Rows) > 0 {
		b.WriteString("\nFirst rows (JSON arrays in column order):\n")
		header, _ := json.Marshal(sample.Columns)
		b.Write(header)
		b.WriteByte('\n')
		size := len(header)
		for _, row := range sample.Rows {
			short := make([]any, len(row))
			for i, v := range row {
				short[i] = shortValue(v)
			}
			line, err := json.Marshal(short)
			if err != nil {
				continue
			}
			if size+len(line) > promptSampleSize {
				break
			}
			size += len(line)
			b.Write(line)
			b.WriteByte('\n')
		}
	}
	b.WriteString(tablesPrompt(ds, sendRows))
	return strings.TrimRight(b.String(), "\n")
}

// columnStats describes one column's profile in a line, from its kind.
// Values of text columns (top values, the date range of dates written as
// text) appear only with sendRows.
func columnStats(p *duck.ColumnProfile, rows int64, sendRows bool) string {
	var parts []string
	if p.NullCount > 0 && rows > 0 {
		parts = append(parts, fmt.Sprintf("%s nulls (%s)", numfmt.Count(p.NullCount), numfmt.Percent(float64(p.NullCount)/float64(rows))))
	}
	if d, approx := p.DistinctCount(); p.Distinct != nil {
		parts = append(parts, countStat(d, approx)+" distinct")
	}
	switch {
	case p.DateFormat != "":
		parts = append(parts, fmt.Sprintf("dates stored as text (format %s): compute on %s", p.DateFormat, p.Expr()))
	case p.NumberText:
		parts = append(parts, "numbers stored as text: compute on "+p.Expr())
	}
	typed := p.DateFormat == "" && !p.NumberText // Min and Max are values of the column's own type
	switch p.Class {
	case duck.KindNumeric, duck.KindCategorical, duck.KindIdentifier, duck.KindBoolean:
		lo, okLo := number(p.Min)
		hi, okHi := number(p.Max)
		if okLo && okHi && typed {
			parts = append(parts, fmt.Sprintf("min %s, max %s", numfmt.Value(lo, p.NumberRole), numfmt.Value(hi, p.NumberRole)))
		}
		if p.Class == duck.KindIdentifier {
			break // an identifier's mean says nothing
		}
		if p.Mean != nil {
			parts = append(parts, "mean "+numfmt.Value(*p.Mean, p.NumberRole))
		}
		if p.Median != nil {
			parts = append(parts, "median "+numfmt.Stat(p.Median.Value, p.NumberRole, p.Median.Approx))
		}
		if p.Stddev != nil {
			parts = append(parts, "stddev "+numfmt.Number(*p.Stddev))
		}
	case duck.KindTemporal:
		if r := p.DateRange; r != nil && (typed || sendRows) {
			parts = append(parts, fmt.Sprintf("from %s to %s", r.From, r.To))
			if r.Granularity != "" {
				parts = append(parts, "granularity "+r.Granularity)
			}
		}
	}
	if p.MinLength != nil && p.MaxLength != nil && p.Class != duck.KindTemporal {
		parts = append(parts, fmt.Sprintf("length %d–%d", *p.MinLength, *p.MaxLength))
	}
	if sendRows && len(p.TopValues) > 0 && p.Class != duck.KindNumeric {
		tops := make([]string, 0, len(p.TopValues))
		for _, tv := range p.TopValues {
			tops = append(tops, fmt.Sprintf("%s (%s)", fmtValue(tv.Value, p.NumberRole), numfmt.Count(tv.Count)))
		}
		parts = append(parts, "top: "+strings.Join(tops, ", "))
	}
	return strings.Join(parts, "; ")
}

// countStat writes a count, "about" when it is an estimate.
func countStat(n int64, approx bool) string {
	if approx {
		return numfmt.About(numfmt.Count(n))
	}
	return numfmt.Count(n)
}

// fmtValue writes a value of the data: numbers by numfmt with the
// column's role, text quoted and cut.
func fmtValue(v any, role numfmt.Role) string {
	if v == nil {
		return "null"
	}
	if f, ok := number(v); ok {
		return numfmt.Value(f, role)
	}
	b, err := json.Marshal(shortValue(v))
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// number reads a numeric value of a profile or a result.
func number(v any) (float64, bool) {
	switch t := v.(type) {
	case float64:
		return t, true
	case float32:
		return float64(t), true
	case int:
		return float64(t), true
	case int32:
		return float64(t), true
	case int64:
		return float64(t), true
	case uint64:
		return float64(t), true
	case json.Number:
		f, err := t.Float64()
		return f, err == nil
	}
	return 0, false
}

// shortValue cuts long strings for the prompt.
func shortValue(v any) any {
	s, ok := v.(string)
	if !ok {
		return v
	}
	if r := []rune(s); len(r) > promptValueChars {
		return string(r[:promptValueChars]) + "…"
	}
	return s
}
