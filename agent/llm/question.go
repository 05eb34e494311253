package llm

import (
	"context"
	"fmt"
	"strings"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/duck"
	"github.com/analyzerhq/analyzer/numfmt"
)

// maxValueLinks bounds the values of a question listed for the model.
const maxValueLinks = 20

// describer is the engine's description of a dataset and its value index
// (*duck.Engine), used when the request carries no profile and to link a
// question's words to the data's values.
type describer interface {
	Profile(ctx context.Context, sessionID string) (*duck.Profile, error)
	Values(ctx context.Context, sessionID string) (*duck.ValueIndex, error)
}

// ValueLinks is the section added to a user's question: the values of the
// data its words name, from the value index (schema linking), so that the
// model filters on values that exist, spelled as stored. Empty when the
// question names none.
func ValueLinks(question string, idx *duck.ValueIndex) string {
	matches := idx.Lookup(question)
	if len(matches) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("Values in the question found in the data (column = value as stored, rows holding it):\n")
	for i, m := range matches {
		if i == maxValueLinks {
			fmt.Fprintf(&b, "- and %d more\n", len(matches)-i)
			break
		}
		phrase := question[m.Span[0]:m.Span[1]]
		fmt.Fprintf(&b, "- %q: %s = %s (%s rows)\n", phrase, duck.QuoteIdent(m.Column), duck.QuoteString(m.Value), numfmt.Count(m.Count))
	}
	return strings.TrimRight(b.String(), "\n")
}

// questionLinks returns the value links of the user's question, "" when
// rows may not be sent to the model or the index cannot be read.
func (a *Analyst) questionLinks(ctx context.Context, sessionID, question string) string {
	if !a.opts.SendRows {
		return ""
	}
	d, ok := a.engine.(describer)
	if !ok {
		return ""
	}
	idx, err := d.Values(ctx, sessionID)
	if err != nil {
		a.log.Debug("value index unavailable", "session", sessionID, "err", err)
		return ""
	}
	return ValueLinks(question, idx)
}

// profile returns the dataset's description: the request's, else the
// engine's; nil when there is none.
func (a *Analyst) profile(ctx context.Context, ds agent.Dataset) *duck.Profile {
	if ds.Profile != nil {
		return ds.Profile
	}
	if d, ok := a.engine.(describer); ok {
		if p, err := d.Profile(ctx, ds.SessionID); err == nil {
			return p
		}
	}
	return nil
}

// UnprofiledAutoAnalyzePrompt is the user message of an auto_analyze turn
// on a dataset whose profile could not be computed: no finding is known,
// which is not the same as none found.
func UnprofiledAutoAnalyzePrompt() string {
	return "Give me an overview of this dataset.\n\n" +
		"The automatic checks could not be run on it, so no finding is known: compute what you state with generate_query " +
		"(missing values, duplicates, the distributions of the main measures, the most common categories, trends over time), " +
		"say which checks you ran, and draw the 2 to 4 charts that matter most with create_plot, each from an aggregated query."
}

// AutoAnalyzePrompt is the user message of an auto_analyze turn: the
// dataset's findings as duck computed them when it was profiled (nil
// findings: none notable), then what to do with them.
func AutoAnalyzePrompt(findings []duck.Finding) string {
	var b strings.Builder
	b.WriteString("Give me an overview of this dataset.\n\n")
	if len(findings) == 0 {
		b.WriteString("The automatic checks (missing values, duplicates, text formats, skew, outliers, correlations, dominant categories, trends over time) found nothing notable.\n")
	} else {
		b.WriteString("These findings were computed with SQL on the whole dataset; you may quote their numbers (a number said \"about\" is an estimate: say so):\n")
		for i, fd := range findings {
			tag := string(fd.Kind)
			if fd.Alert {
				tag += ", alert"
			}
			if fd.Approx {
				tag += ", approx"
			}
			fmt.Fprintf(&b, "%d. [%s] %s\n   SQL: %s\n", i+1, tag, fd.Text, strings.ReplaceAll(fd.SQL, "\n", " "))
		}
	}
	b.WriteString("\nWrite a short overview: one or two sentences on what the data holds, then the findings that matter most, in plain words, " +
		"with what they mean for someone analysing this data (for instance missing values or outliers to handle). " +
		"Draw the 2 to 4 charts that matter most with create_plot (a trend over time, the distribution of a skewed measure, " +
		"the dominant categories, the strongest correlation), each from an aggregated query. " +
		"For any number that is not in the findings, run generate_query first.")
	return b.String()
}
