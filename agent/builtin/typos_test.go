package builtin

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

const conferenceCSV = `Year,Location,Attendance,Host
2004,Orlando,5273,Steve Mills
2005,Las Vegas,5800,Steve Mills
2006,Orlando,6000,Mike Rhodin
2007,Nice,7100,Mike Rhodin
`

// A misspelt word is read as the one word it stands for, and the reading
// says so; a word of its own, or one near two words, is not corrected.
func TestMisspeltWords(t *testing.T) {
	runShapeCases(t, []shapeCase{
		{conferenceCSV, "conference.csv", "which year had the leargest attendeance?", "2007"},
		{conferenceCSV, "conference.csv", "which year had the smallest attendence?", "2004"},
		// "lagoons" is no misspelling of any word here: unplaced, declined.
		{conferenceCSV, "conference.csv", "which lagoons had the largest attendance?", ""},
	})
	f := ingest(t, "conference.csv", conferenceCSV)
	if text := ask(t, f, "which year had the leargest attendeance?").text(); !strings.Contains(text, "reading “leargest” as “largest”, reading “attendeance” as “attendance”") {
		t.Errorf("the reading does not say what was corrected:\n%s", text)
	}
}

const shopsCSV = `Shop,Printers,Pointers,Starter
North,3,5,Ann
South,4,2,Bob
`

// Which words are corrected: one target at one edit; not an inflection of
// a name's word, not a word as near to two names, not a word near none.
func TestTypoFixes(t *testing.T) {
	f := ingest(t, "shops.csv", shopsCSV)
	a := sharedAnalyst()
	s, _, err := a.schemaFor(context.Background(), f.ds)
	if err != nil {
		t.Fatal(err)
	}
	idx, _ := a.engine.Values(context.Background(), f.ds.SessionID)
	for _, c := range []struct{ q, want string }{
		{"which shop has the larrgest printers?", "which shop has the largest printers? [{larrgest largest}]"},
		{"which shop has the hightest printers?", " []"}, // highest or lightest
		{"which shop has the most pinters?", " []"},      // under eight letters
		{"which shop has the most poitners?", "which shop has the most pointers? [{poitners pointers}]"},
		{"who started the most shops?", " []"},       // an inflection of Starter
		{"which shop has the most psinters?", " []"}, // Printers or Pointers
		{"which shop has the most lagoons?", " []"},
	} {
		q, fixes := linkWords(c.q, s, idx).typoFixes()
		if got := fmt.Sprint(q, " ", fixes); got != c.want {
			t.Errorf("%q: got %q, want %q", c.q, got, c.want)
		}
	}
}
