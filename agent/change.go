package agent

import (
	"context"
	"fmt"
	"strings"

	"github.com/analyzerhq/analyzer/duck"
	"github.com/analyzerhq/analyzer/numfmt"
)

// ChangeAuthor says who asked for a change to the data.
type ChangeAuthor string

// Authors of changes (storage keeps the same words).
const (
	AuthorUser    ChangeAuthor = "user"    // SQL the user typed
	AuthorBuiltin ChangeAuthor = "builtin" // the built-in analyst
	AuthorModel   ChangeAuthor = "model"   // a language model
)

// Change asks for a new version of one table: SQL is one read-only SELECT
// over the session's current tables that yields the table's new rows.
// A table that does not exist yet is created.
type Change struct {
	Table        string
	SQL          string
	Description  string // one line: what the change does
	Author       ChangeAuthor
	AuthorDetail string // the model's name
	// MustCreate refuses the change when the table exists (a CREATE
	// TABLE without OR REPLACE).
	MustCreate bool
}

// Changed is a change that was applied: the table's new current version.
type Changed struct {
	Table       string `json:"table"`
	Version     int64  `json:"version"` // its number in the table's history
	VersionID   string `json:"version_id"`
	Description string `json:"description"`
	RowCount    int64  `json:"row_count"`
	ColumnCount int64  `json:"column_count"`
	// PrevRowCount and PrevColumnCount are the version's before it; both
	// are 0 for a new table.
	PrevRowCount    int64 `json:"prev_row_count"`
	PrevColumnCount int64 `json:"prev_column_count"`
	Created         bool  `json:"created,omitempty"` // a new table
	// Notice says which old versions were dropped to stay within the
	// session's cap, when some were.
	Notice string `json:"notice,omitempty"`
}

// Changer applies changes to a session's data as new versions.
type Changer interface {
	Change(ctx context.Context, sessionID string, c Change) (*Changed, error)
}

// TableInfo describes one table of the session for the analysts.
type TableInfo struct {
	Name     string
	Filename string // the file it came from
	Primary  bool   // also the view `data`
	Version  int64
	RowCount int64
	Columns  []duck.Column
	Profile  *duck.Profile    // nil when not available
	Values   *duck.ValueIndex // its value index; nil when not available
}

// JoinKey is a pair of columns of two tables that share values, measured
// with SQL on the current data (not guessed from names alone).
type JoinKey struct {
	Left, LeftColumn   string
	Right, RightColumn string
	// Distinct values of the left column, and how many of them occur in
	// the right one.
	LeftDistinct int64
	Matched      int64
}

// ChangeNote words an applied change for the conversation: what changed,
// the new version's counts beside the previous one's, and how to undo.
func ChangeNote(ch *Changed) string {
	var b strings.Builder
	if ch.Created {
		fmt.Fprintf(&b, "**Created table `%s`**: %s. %s.", ch.Table, strings.TrimSuffix(ch.Description, "."), shape(ch.RowCount, ch.ColumnCount))
	} else {
		fmt.Fprintf(&b, "**Changed table `%s`** (version %d): %s. %s", ch.Table, ch.Version, strings.TrimSuffix(ch.Description, "."), shape(ch.RowCount, ch.ColumnCount))
		if ch.PrevRowCount != ch.RowCount || ch.PrevColumnCount != ch.ColumnCount {
			fmt.Fprintf(&b, ", was %s", shape(ch.PrevRowCount, ch.PrevColumnCount))
		}
		b.WriteString(". Undo brings back the previous version.")
	}
	if ch.Notice != "" {
		b.WriteString("\n\n" + ch.Notice)
	}
	return b.String()
}

func shape(rows, cols int64) string {
	r, c := "rows", "columns"
	if rows == 1 {
		r = "row"
	}
	if cols == 1 {
		c = "column"
	}
	return numfmt.Count(rows) + " " + r + " × " + numfmt.Count(cols) + " " + c
}
