package samples

import (
	"bytes"
	"encoding/csv"
	"testing"
)

// TestSamplesAreWhatTheySay: every sample is embedded, parses as CSV, and
// has the rows and columns its description states.
func TestSamplesAreWhatTheySay(t *testing.T) {
	list := List()
	if len(list) < 2 {
		t.Fatalf("%d samples", len(list))
	}
	for _, s := range list {
		t.Run(s.ID, func(t *testing.T) {
			got, data, ok := Get(s.ID)
			if !ok || got.ID != s.ID || int64(len(data)) != s.SizeBytes || s.SizeBytes == 0 {
				t.Fatalf("Get: ok %v, %d bytes, size %d", ok, len(data), s.SizeBytes)
			}
			records, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if len(records)-1 != s.Rows || len(records[0]) != s.Columns {
				t.Errorf("%d rows × %d columns, described as %d × %d", len(records)-1, len(records[0]), s.Rows, s.Columns)
			}
			if s.License == "" || s.Source == "" || s.Title == "" || len(s.Questions) == 0 {
				t.Errorf("incomplete: %+v", s)
			}
		})
	}
	if _, _, ok := Get("../etc/passwd"); ok {
		t.Error("an unknown id was found")
	}
}
