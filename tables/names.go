package tables

import (
	"path"
	"strconv"
	"strings"
	"unicode"

	"github.com/analyzerhq/analyzer/duck"
)

// maxNameLen bounds a table name made from a file name.
const maxNameLen = 48

// sqlWords are names a table does not get: SQL would need them quoted.
var sqlWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields("all and any as asc between by case cast create desc distinct drop else end " +
		"except exists false from full group having in inner insert intersect into is join left like limit not null " +
		"offset on or order outer over pivot right select set table then true union unpivot update using values when where window with") {
		sqlWords[w] = true
	}
}

// NameFor makes a table name from a file name: lower-case letters,
// digits and underscores, not starting with a digit, not an SQL word,
// and unique among taken (compared case-insensitively; `data` is always
// taken: it names the first table).
func NameFor(filename string, taken []string) string {
	base := strings.TrimSuffix(filename, path.Ext(filename))
	var b strings.Builder
	under := false
	for _, r := range strings.ToLower(base) {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
			under = false
		case !under && b.Len() > 0:
			b.WriteByte('_')
			under = true
		}
	}
	name := strings.Trim(b.String(), "_")
	if len(name) > maxNameLen {
		name = strings.TrimRight(name[:maxNameLen], "_")
	}
	switch {
	case name == "":
		name = "file"
	case name[0] >= '0' && name[0] <= '9':
		name = "t_" + name
	}
	if sqlWords[name] {
		name += "_table"
	}
	used := map[string]bool{duck.PrimaryView: true}
	for _, t := range taken {
		used[strings.ToLower(t)] = true
	}
	if !used[name] {
		return name
	}
	for i := 2; ; i++ {
		if c := name + "_" + strconv.Itoa(i); !used[c] {
			return c
		}
	}
}
