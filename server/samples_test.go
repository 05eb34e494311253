package server

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/analyzerhq/analyzer/samples"
)

func TestSampleDatasets(t *testing.T) {
	env := newTestEnv(t)
	alice := env.register("alice@example.com")

	status, body := env.doJSON("GET", "/api/samples", alice, nil)
	var list []samples.Sample
	if status != 200 || json.Unmarshal(body, &list) != nil || len(list) < 2 {
		t.Fatalf("list: %d %s", status, body)
	}
	if status, _ := env.doJSON("GET", "/api/samples", "", nil); status != 401 {
		t.Errorf("list without a token: %d", status)
	}
	for _, s := range list {
		t.Run("load "+s.ID, func(t *testing.T) {
			status, body := env.doJSON("POST", "/api/samples/"+s.ID, alice, nil)
			if status != 200 {
				t.Fatalf("load: %d %s", status, body)
			}
			var up uploadResult
			json.Unmarshal(body, &up)
			if up.File.Filename != s.Filename || up.File.RowCount != int64(s.Rows) || up.File.ColumnCount != s.Columns || len(up.File.Preview) == 0 {
				t.Errorf("loaded %+v", up.File)
			}
			// It is a session like any upload: listed, queryable, exportable.
			if got := listSessions(t, env, alice, "?q="+strings.TrimSuffix(s.Filename, ".csv")); len(got) != 1 || got[0].ID != up.SessionID {
				t.Errorf("listed %+v", got)
			}
			if status, _ := env.doJSON("GET", "/api/sessions/"+up.SessionID+"/profile", alice, nil); status != 200 {
				t.Errorf("profile: %d", status)
			}
		})
	}
	for _, id := range []string{"nope", "..%2Fsamples.go"} {
		if status, body := env.doJSON("POST", "/api/samples/"+id, alice, nil); status != 404 || detail(body) == "" {
			t.Errorf("%s: %d %s", id, status, body)
		}
	}
}
