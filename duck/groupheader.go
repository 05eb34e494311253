package duck

import (
	"context"
	"database/sql"
	"regexp"
	"strings"
)

// Tables copied from web pages and spreadsheets often have a header of two
// rows: headings over groups of columns, then the columns' own names.
//
//	Week,Date,Results,Results,Attendance
//	Week,Date,Final score,Team record,Attendance
//
// Read as one header row, the second row becomes the table's first row: a
// count of rows is one too many and every number column under it is text.
// DuckDB's sniffer does not know such headers; it names the repeated
// headings "Results", "Results_1". When the first row repeats the names of
// the columns outside the groups and gives the grouped ones distinct names
// of their own, the file is read again from its second line, so the second
// row is the header; the first is reported as skipped (SkipGroupHeader).

var dedupSuffix = regexp.MustCompile(`^(.+)_[0-9]+$`)

// headingGroups gives, for each column, the heading it repeats ("" for a
// column outside any group); nil when no heading repeats.
func headingGroups(names []string) []string {
	has := make(map[string]bool, len(names))
	for _, n := range names {
		has[n] = true
	}
	out := make([]string, len(names))
	found := false
	for i, n := range names {
		if m := dedupSuffix.FindStringSubmatch(n); m != nil && has[m[1]] {
			out[i], found = m[1], true
			for j, o := range names {
				if o == m[1] {
					out[j] = o
				}
			}
		}
	}
	if !found {
		return nil
	}
	return out
}

// groupHeader returns how many lines to skip so that the reads start at
// the second header row, with the headings over the groups; 0 when the
// file's header is one row.
func (r csvRead) groupHeader(ctx context.Context, db *sql.DB, d dialect) (int64, []string) {
	if d.prompt == "" || !strings.Contains(d.prompt, "header=true") || len(d.names) < 2 {
		return 0, nil
	}
	groups := headingGroups(d.names)
	if groups == nil {
		return 0, nil
	}
	row := make([]sql.NullString, len(d.names))
	dest := make([]any, len(row))
	for i := range row {
		dest[i] = &row[i]
	}
	q := "SELECT COLUMNS(*)::VARCHAR FROM " + d.prompt + ", ignore_errors = true, parallel = false) LIMIT 1"
	if err := db.QueryRowContext(ctx, q).Scan(dest...); err != nil {
		return 0, nil
	}
	repeated, seen := 0, map[string]bool{}
	var headings []string
	for i, v := range row {
		name := strings.TrimSpace(v.String)
		key := strings.ToLower(name)
		if !v.Valid || name == "" || seen[key] {
			return 0, nil // a blank or repeated name: not a header row
		}
		seen[key] = true
		switch {
		case groups[i] == "" && !strings.EqualFold(name, d.names[i]):
			return 0, nil // a value, not the column's name again
		case groups[i] == "":
			repeated++
		case len(headings) == 0 || headings[len(headings)-1] != groups[i]:
			headings = append(headings, groups[i])
		}
	}
	if repeated == 0 {
		return 0, nil
	}
	return d.skip + 1, headings
}
