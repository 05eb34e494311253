package builtin

// The grammar's vocabulary, keyed by the lower-case word as written.

// fillers carry no meaning for the grammar: they may appear anywhere.
var fillers = set(
	"what", "whats", "which", "who", "whose", "is", "are", "was", "were", "be", "been", "the", "a", "an", "of",
	"show", "shows", "showing", "me", "us", "give", "get", "find", "list", "display", "tell", "please", "can",
	"could", "would", "will", "you", "i", "we", "want", "like", "to", "see", "know", "data", "dataset", "table",
	"file", "there", "do", "does", "did", "have", "has", "had", "it", "its", "all", "on", "compute", "calculate",
	"plot", "chart", "graph", "draw", "visualize", "visualise", "overall", "this", "that", "these", "those",
	"my", "our", "some", "any", "just", "only", "also", "then", "at", "look", "using", "from", "as", "and",
	"in", "for", "with", "value", "values", "result", "results", "thing", "things", "let", "lets", "now",
	"break", "down", "broken", "split", "grouped", "group", "how", "vary", "varies", "change", "changes",
	"changed", "go", "goes", "went", "evolve", "evolved", "evolves", "over", "across", "into", "entire", "whole",
	"here", "them", "they", "their", "by", "per", "each", "every", "ok", "okay", "hey", "hi", "thanks",
	"thank", "possible", "maybe", "kindly", "bar", "line", "pie", "scatter", "column", "columns", "field",
	"fields", "should", "need", "used", "make", "about", "happen", "happens", "numbers", "number", "figure",
	"figures", "statistic", "based", "where", "when", "if", "having", "than",
	"being", "between", "out", "up", "one", "ones", "so",
	"such", "own", "same", "similar", "much", "many", "amount", "amounts", "level", "levels", "actual",
	"sold", "bought", "purchased", "placed", "recorded", "made", "generated", "generates", "generate", "earned",
	"spent", "received", "shipped", "breakdown", "altogether", "combined",
)

// aggWords map a word to an aggregate.
var aggWords = map[string]aggFn{
	"sum": aggSum, "total": aggSum, "totals": aggSum, "summed": aggSum, "sums": aggSum,
	"average": aggAvg, "avg": aggAvg, "mean": aggAvg, "averages": aggAvg, "typical": aggAvg,
	"min": aggMin, "minimum": aggMin, "minimal": aggMin,
	"max": aggMax, "maximum": aggMax, "maximal": aggMax,
	"median": aggMedian, "middle": aggMedian,
	"count": aggCount, "counts": aggCount,
	"stddev": aggStddev, "std": aggStddev, "stdev": aggStddev, "variance": aggVar,
	"earliest": aggMin, "oldest": aggMin, "latest": aggMax, "newest": aggMax,
}

// grainWords name a time grain, as a noun or an adjective.
var grainWords = map[string]string{
	"year": "year", "years": "year", "yearly": "year", "annual": "year", "annually": "year",
	"quarter": "quarter", "quarters": "quarter", "quarterly": "quarter",
	"month": "month", "months": "month", "monthly": "month",
	"week": "week", "weeks": "week", "weekly": "week",
	"day": "day", "days": "day", "daily": "day", "date": "day", "dates": "day",
	"hour": "hour", "hours": "hour", "hourly": "hour",
}

var adjectiveGrains = set("yearly", "annual", "annually", "quarterly", "monthly", "weekly", "daily", "hourly")

var rowNouns = set("row", "rows", "record", "records", "entry", "entries", "line", "lines", "observation",
	"observations", "item", "items", "datapoint", "datapoints", "sample", "samples", "instance", "instances")

var highWords = set("top", "highest", "largest", "biggest", "greatest", "best", "most", "longest", "tallest", "heaviest",
	"widest", "deepest", "farthest", "furthest")
var lowWords = set("bottom", "lowest", "smallest", "least", "worst", "fewest", "rarest", "shortest", "lightest",
	"narrowest", "shallowest", "nearest", "closest")
var commonWords = set("common", "frequent", "popular", "often", "usual", "occurring", "prevalent")

var describeWords = set("describe", "summarize", "summarise", "summary", "summaries", "stats", "statistics",
	"profile", "overview", "analyze", "analyse", "analysis", "explore", "eda", "insight", "insights", "report")
var distributionWords = set("distribution", "distributions", "histogram", "histograms", "spread",
	"frequency", "frequencies", "distributed")
var correlationWords = set("correlation", "correlations", "correlate", "correlated", "correlates",
	"relationship", "relationships", "relation", "related", "relate", "association", "associated", "vs", "versus", "against")
var previewWords = set("preview", "sample", "head", "example", "examples", "raw", "peek", "glimpse")
var schemaWords = set("column", "columns", "field", "fields", "schema", "variable", "variables", "header", "headers", "attributes", "structure")
var distinctWords = set("distinct", "unique", "different", "individual")
var missingWords = set("missing", "null", "nulls", "empty", "blank", "na", "nan", "none")
var duplicateWords = set("duplicate", "duplicates", "duplicated", "dupes", "repeated")
var trendWords = set("trend", "trends", "timeline", "evolution", "history", "seasonality", "time")

// Comparison words; a following "than"/"to" is consumed with them.
var cmpWords = map[string]string{
	"above": ">", "over": ">", "exceeds": ">", "exceeding": ">", "exceed": ">", "after": ">", "since": ">=",
	"below": "<", "under": "<", "before": "<", "until": "<=",
	"greater": ">", "more": ">", "higher": ">", "bigger": ">", "larger": ">",
	"less": "<", "lower": "<", "smaller": "<", "fewer": "<",
}

var eqWords = set("is", "equals", "equal", "equaling", "=", "was", "are", "being")
var containsWords = set("contains", "contain", "containing", "includes", "include", "including", "like", "matching", "matches")

// reserved words are never read as part of a column name by the partial and
// typo matchers: they mean something to the grammar.
func isReserved(w string) bool {
	if fillers[w] || rowNouns[w] || highWords[w] || lowWords[w] || commonWords[w] || describeWords[w] ||
		distributionWords[w] || correlationWords[w] || previewWords[w] || schemaWords[w] || distinctWords[w] ||
		missingWords[w] || duplicateWords[w] || trendWords[w] || eqWords[w] || containsWords[w] {
		return true
	}
	if _, ok := aggWords[w]; ok {
		return true
	}
	if _, ok := grainWords[w]; ok {
		return true
	}
	if _, ok := cmpWords[w]; ok {
		return true
	}
	switch w {
	case "top", "bottom", "limit", "sort", "sorted", "order", "ordered", "rank", "ranked", "ascending", "asc",
		"descending", "desc", "than", "least", "atleast", "atmost", "no", "true", "false", "yes", "null":
		return true
	}
	return false
}

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}
