package builtin

import (
	"context"
	"strconv"
	"strings"

	"github.com/analyzerhq/analyzer/agent"
)

// runPlan answers with a shape's plan: the reading and the SQL, the result
// table, then the sentence with the key value first.
func (a *Analyst) runPlan(ctx context.Context, o *out, sid string, p *plan) error {
	o.status("Running query…")
	qr := agent.RunQuery(ctx, a.engine, sid, p.sql)
	if err := ctx.Err(); err != nil {
		return err
	}
	if p.needRow && !qr.IsError {
		if r := qr.Rows(); r == nil || len(r.Rows) == 0 {
			// No row answers: say so, with no table that looks like an answer.
			o.say("Reading this as: " + bold(p.desc) + p.readingNote() + ", but no row of the table answers it, so I won't guess.")
			return nil
		}
	}
	o.say("Reading this as: " + bold(p.desc) + p.readingNote() + ".\n\n" + sqlBlock(p.sql))
	if err := o.result(qr); err != nil {
		return err
	}
	if qr.IsError {
		o.say("The query failed: " + qr.Error)
		return nil
	}
	if res := qr.Rows(); p.bar != "" && res != nil && len(res.Rows) > 1 && len(res.Columns) >= 2 {
		title := capTitle(p.bar)
		if err := o.plot(title, p.sql, barSpec(title, values(res, maxChartBars), res.Columns[0], res.Columns[1], "", false)); err != nil {
			return err
		}
	}
	o.say("\n\n" + p.say(qr.Rows()))
	return nil
}

// yesNo questions ("did A win more than B?", "is there…") are answered
// only by a shape that reads them.
var yesNo = set("is", "are", "was", "were", "did", "does", "do", "has", "have", "had", "can", "could")

// trustLegacy checks a reading of the older grammar against the linked
// question: every word must be placed (a column, a value, a word of the
// grammar), every value the question names must be one of its filters, and
// each of its text filters must be a value the data holds. Leftover words
// never become a filter.
func trustLegacy(l *linked, q *query, text string, s *schema) *parseError {
	if len(l.words) > 0 && yesNo[l.words[0].w] && len(l.words) > 2 && !l.words[1].isNum && (q.kind == qAgg || q.kind == qRows) {
		if l.words[1].w != "you" && l.words[1].w != "i" {
			return declineWords(l, nil, "I can't answer yes-or-no questions yet.")
		}
	}
	if asksRow(l) && q.kind == qAgg && len(q.groups) == 0 {
		// "who has the least losses", "which month had the highest
		// units": a row is asked for, not the figure.
		return declineWords(l, nil, "")
	}
	for _, m := range q.measures {
		if (m.fn == aggCount || m.fn == aggCountDistinct) && m.col != nil && countedNoun(m.col.words) != nil {
			return declineWords(l, nil, "") // "how many municipalities": No. of Municipalities is a count to add up
		}
	}
	if p := whichAsksRow(l, q); p != nil {
		return p
	}
	if p := legacyDuration(l, q); p != nil {
		return p
	}
	legacyCols := map[string]bool{}
	for _, t := range matchColumns(tokenize(text), s.cols) {
		ws := wordRe.FindAllString(strings.ToLower(t.raw), -1)
		if t.col != nil && len(ws) > 0 && len(ws) < len(t.col.words) && singular(ws[len(ws)-1]) != ws[len(ws)-1] {
			continue // a plural that only starts a column's name names the rows
		}
		if t.col != nil || t.amb != nil {
			for _, w := range ws {
				legacyCols[w] = true
			}
		}
	}
	legacyNums := map[float64]bool{float64(q.limit): q.limit > 0}
	for _, f := range q.filters {
		if f.isNum || f.year || f.op == "between" {
			legacyNums[f.num], legacyNums[f.num2] = true, true
		}
		for _, w := range wordRe.FindAllString(f.date+" "+f.text, -1) {
			if n, err := strconv.ParseFloat(w, 64); err == nil {
				legacyNums[n] = true
			}
		}
	}
	var left []string
	for _, w := range l.words {
		if w.isNum && !w.used && w.col == nil && w.val == nil && !legacyNums[w.num] {
			left = append(left, w.w)
		}
	}
	for _, w := range l.unplaced() {
		if _, err := strconv.ParseFloat(strings.ReplaceAll(w, ",", ""), 64); err == nil {
			continue // numbers: above
		}
		if fillers[w] || isReserved(w) || grammarWords[w] || legacyCols[w] || legacyCols[singular(w)] || s.rowNoun(singular(w)) {
			continue
		}
		left = append(left, w)
	}
	if len(left) > 0 {
		return declineWords(l, left, "")
	}
	counted := false
	for _, w := range l.words {
		if countWords[w.w] || rowWords[w.w] || w.w == "number" || w.w == "common" || w.w == "frequent" || w.w == "often" {
			counted = true
		}
	}
	for _, m := range q.measures {
		if m.fn == aggCount && m.col == nil && !counted && q.kind != qValues {
			return declineWords(l, nil, "") // "the most X" of a text column: no count was asked
		}
	}
	if p := panelSum(l, q, s); p != nil {
		return p
	}
	if p := countIgnoringColumn(l, q); p != nil {
		return p
	}
	for _, v := range l.vals {
		found := false
		for _, f := range q.filters {
			if v.col != nil && f.col == v.col && (f.op == "=" || f.op == "!=") {
				for _, x := range v.values {
					if strings.EqualFold(strings.TrimSpace(f.text), x) {
						found = true
					}
				}
			}
		}
		if !found {
			return declineWords(l, nil, "")
		}
	}
	for _, f := range q.filters {
		if (f.op == "=" || f.op == "!=" || f.op == "contains") && !f.isNum && f.date == "" && !f.year && f.text != "" {
			known := false
			for _, v := range l.vals {
				for _, x := range v.values {
					if strings.EqualFold(strings.TrimSpace(f.text), x) {
						known = true
					}
				}
			}
			if !known && f.op != "contains" {
				return declineWords(l, strings.Fields(strings.ToLower(f.text)), "")
			}
		}
	}
	return nil
}

// grammarWords are the other words the older grammar reads in phrases
// ("standard deviation", "per cent").
var grammarWords = set(
	"about", "above", "across", "actual", "after", "against", "age", "all", "also", "altogether", "among",
	"amount", "amounts", "an", "analyse", "analysis", "analyze", "and", "annual", "annually", "any", "are",
	"as", "asc", "ascending", "associated", "association", "at", "atleast", "atmost", "attributes", "average",
	"averages", "avg", "bar", "based", "be", "been", "before", "being", "below", "best", "bigger", "biggest",
	"blank", "bottom", "bought", "break", "breakdown", "broken", "by", "calculate", "called", "can", "change",
	"changed", "changes", "chart", "column", "columns", "combined", "common", "compute", "contain",
	"containing", "correlate", "correlated", "correlates", "correlation", "correlations", "could", "count",
	"counts", "daily", "data", "datapoint", "datapoints", "dataset", "date", "dates", "days", "decreasing",
	"desc", "descending", "describe", "deviation", "did", "different", "discount", "display", "distinct",
	"distributed", "distribution", "distributions", "do", "does", "doesnt", "down", "draw", "dupes",
	"duplicate", "duplicated", "duplicates", "during", "each", "earliest", "earned", "eda", "empty", "entire",
	"entries", "entry", "equal", "equaling", "equals", "every", "evolution", "evolve", "evolved", "evolves",
	"example", "examples", "exceed", "exceeding", "exceeds", "explore", "false", "fewer", "fewest", "field",
	"fields", "figure", "figures", "file", "filter", "filtered", "find", "first", "fmt", "for", "frequencies",
	"frequency", "frequent", "from", "generate", "generated", "generates", "get", "give", "glimpse", "go",
	"goes", "graph", "greater", "greatest", "group", "grouped", "had", "happen", "happens", "has", "have",
	"having", "head", "header", "headers", "here", "hey", "hi", "higher", "highest", "histogram", "histograms",
	"history", "hour", "hourly", "hours", "how", "humidity", "if", "in", "include", "includes", "including",
	"increasing", "index", "individual", "insight", "insights", "instance", "instances", "into", "is", "isnt",
	"it", "item", "items", "its", "just", "kindly", "know", "larger", "largest", "lat", "latest", "latitude",
	"least", "less", "let", "lets", "level", "levels", "like", "limit", "line", "lines", "list", "lng", "lon",
	"longitude", "look", "lower", "lowest", "made", "make", "many", "margin", "matches", "matching", "math",
	"max", "maximal", "maximum", "maybe", "me", "mean", "median", "middle", "min", "minimal", "minimum",
	"missing", "monthly", "months", "more", "most", "much", "my", "na", "named", "nan", "need", "newest", "no",
	"none", "not", "notcontains", "now", "nulls", "num", "number", "numbers", "observation", "observations",
	"occurring", "of", "often", "ok", "okay", "oldest", "on", "one", "ones", "only", "or", "order", "ordered",
	"our", "out", "over", "overall", "overview", "own", "pct", "peek", "per", "percent", "percentage", "pie",
	"placed", "please", "plot", "popular", "possible", "prevalent", "preview", "price", "probability",
	"profile", "purchased", "quarter", "quarterly", "quarters", "rank", "ranked", "rarest", "rate", "rating",
	"ratio", "raw", "received", "recent", "record", "recorded", "records", "refer", "refers", "relate",
	"related", "relation", "relationship", "relationships", "repeated", "report", "result", "results", "row",
	"rows", "same", "sample", "samples", "scatter", "schema", "score", "seasonality", "see", "series", "share",
	"shipped", "should", "show", "showing", "shows", "similar", "since", "smaller", "smallest", "so", "sold",
	"some", "sort", "sorted", "speed", "spent", "split", "spread", "standard", "statistic", "statistics",
	"stats", "std", "stddev", "stdev", "strconv", "strings", "structure", "such", "sum", "summaries",
	"summarise", "summarize", "summary", "summed", "sums", "table", "tell", "temp", "temperature", "than",
	"thank", "thanks", "that", "the", "their", "them", "then", "there", "these", "they", "thing", "things",
	"this", "those", "through", "throughout", "time", "timeline", "to", "top", "total", "totals", "trend",
	"trends", "true", "typical", "under", "unique", "until", "up", "us", "used", "using", "usual", "value",
	"values", "variable", "variables", "variance", "varies", "vary", "versus", "visualise", "visualize", "vs",
	"want", "was", "we", "week", "weekly", "weeks", "went", "were", "what", "whats", "when", "where", "which",
	"who", "whole", "whose", "will", "with", "within", "worst", "would", "yearly", "years", "yes", "you",
)

// countIgnoringColumn declines a count of rows that leaves out a number
// column the question names: "how many matches had goals" is no count of
// every match.
func countIgnoringColumn(l *linked, q *query) *parseError {
	if len(q.measures) == 0 {
		return nil
	}
	for _, m := range q.measures {
		if m.fn != aggCount || m.col != nil {
			return nil
		}
	}
	read := map[*column]bool{q.orderCol: true, q.dateCol: true}
	for _, c := range q.groups {
		read[c] = true
	}
	for _, c := range q.cols {
		read[c] = true
	}
	for _, f := range q.filters {
		read[f.col] = true
	}
	for _, w := range l.words {
		if c := w.col; c != nil && w.val == nil && !read[c] && c.isNumeric() && !c.isCategory() {
			return declineWords(l, nil, "")
		}
	}
	return nil
}

// asksRow reports a question asking for a row: "who …", "which …", "in
// which …", "for whom …".
func asksRow(l *linked) bool {
	for i := 0; i < len(l.words) && i < 2; i++ {
		switch l.words[i].w {
		case "who", "whom", "which":
			return true
		case "in", "for", "during", "on", "at":
			continue
		}
		return false
	}
	return false
}

// readingNote says which words were set aside as the table's title and
// which were read as another word.
func (p *plan) readingNote() string {
	var out string
	if p.title != "" {
		out += ", taking “" + p.title + "” as what the whole table is about"
	}
	for _, f := range p.typos {
		out += ", reading “" + f.from + "” as “" + f.to + "”"
	}
	return out
}
