package llm

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/duck"
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
- Every number you state must come from a query you ran in this conversation (or a finding given to you as computed). Never estimate, guess or invent a number; the profile below is for planning queries, not for quoting.
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
// rules, the DuckDB hints and the dataset's schema and profile. With
// sendRows false it holds no value of the data: names, types and aggregate
// statistics of number and date columns only. sample may be nil.
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
	fmt.Fprintf(&b, "File %s, table data: %d rows, %d columns.", name, rows, len(ds.Columns))
	if p := ds.Profile; p != nil && p.DuplicateRows > 0 {
		fmt.Fprintf(&b, " %d rows are exact duplicates of another row.", p.DuplicateRows)
	}
	b.WriteString("\n\nColumns (name, DuckDB type, approximate profile):\n")

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
				rest = append(rest, agent.QuoteIdent(r.Name)+" "+r.Type)
			}
			fmt.Fprintf(&b, "- and %d more: %s\n", len(rest), strings.Join(rest, ", "))
			break
		}
		fmt.Fprintf(&b, "- %s %s", agent.QuoteIdent(c.Name), c.Type)
		if p := profiles[c.Name]; p != nil {
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
	return strings.TrimRight(b.String(), "\n")
}

// columnStats describes one column's profile in a line. Values of text
// columns (min, max, top values) appear only with sendRows.
func columnStats(p *duck.ColumnProfile, rows int64, sendRows bool) string {
	var parts []string
	if p.NullCount > 0 {
		parts = append(parts, fmt.Sprintf("%d nulls (%s)", p.NullCount, pct(p.NullCount, rows)))
	}
	if p.DistinctApprox > 0 {
		parts = append(parts, fmt.Sprintf("~%d distinct", p.DistinctApprox))
	}
	switch p.Kind {
	case "number":
		if p.Min != nil || p.Max != nil {
			parts = append(parts, fmt.Sprintf("min %s, max %s", fmtValue(p.Min), fmtValue(p.Max)))
		}
		if p.Mean != nil {
			parts = append(parts, "mean "+fmtFloat(*p.Mean))
		}
		if p.Q50 != nil {
			parts = append(parts, "median "+fmtValue(p.Q50))
		}
		if p.Stddev != nil {
			parts = append(parts, "stddev "+fmtFloat(*p.Stddev))
		}
	case "date", "timestamp":
		if p.Min != nil || p.Max != nil {
			parts = append(parts, fmt.Sprintf("from %s to %s", fmtValue(p.Min), fmtValue(p.Max)))
		}
		if p.Granularity != "" {
			parts = append(parts, "granularity "+p.Granularity)
		}
	case "text", "boolean":
		if p.MinLength != nil && p.MaxLength != nil {
			parts = append(parts, fmt.Sprintf("length %d–%d", *p.MinLength, *p.MaxLength))
		}
		if sendRows && len(p.TopValues) > 0 {
			tops := make([]string, 0, len(p.TopValues))
			for _, tv := range p.TopValues {
				tops = append(tops, fmt.Sprintf("%s (%d)", fmtValue(tv.Value), tv.Count))
			}
			parts = append(parts, "top: "+strings.Join(tops, ", "))
		}
	}
	return strings.Join(parts, "; ")
}

func pct(n, total int64) string {
	if total <= 0 {
		return "?%"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(n)/float64(total))
}

func fmtFloat(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return fmt.Sprint(f)
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return fmt.Sprintf("%.0f", f)
	}
	return fmt.Sprintf("%.4g", f)
}

func fmtValue(v any) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case float64:
		return fmtFloat(t)
	case float32:
		return fmtFloat(float64(t))
	case json.Number:
		if f, err := t.Float64(); err == nil {
			return fmtFloat(f)
		}
		return t.String()
	case string:
		b, _ := json.Marshal(shortValue(t))
		return string(b)
	}
	b, err := json.Marshal(shortValue(v))
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
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
