package builtin

// "what is interesting here", "summarize", "give me an overview": the
// auto-analysis.

var overviewWords = set("interesting", "summarize", "summarise", "summary", "overview", "insight", "insights",
	"notable", "highlights", "analyze", "analyse")

var overviewFillers = set("what", "whats", "is", "are", "here", "me", "give", "an", "a", "the", "of", "this",
	"data", "dataset", "file", "table", "tell", "about", "anything", "something", "please", "show", "some", "in", "it")

func matchOverview(l *linked) *plan {
	hit := false
	for i, w := range l.words {
		switch {
		case overviewWords[w.w]:
			hit = true
		case !overviewFillers[w.w]:
			return nil
		}
		l.use(i)
	}
	if !hit {
		return nil
	}
	return &plan{auto: true}
}
