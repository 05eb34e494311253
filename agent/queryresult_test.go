package agent

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/analyzerhq/analyzer/duck"
)

// storedQuery decodes a stored query result record.
type storedQueryJSON struct {
	Result          []map[string]any `json:"result"`
	RowCount        int64            `json:"row_count"`
	Truncated       bool             `json:"truncated"`
	TruncatedReason string           `json:"truncated_reason"`
	StoredTruncated bool             `json:"stored_truncated"`
	SQL             string           `json:"sql"`
}

func TestStoredResultIsBoundedByBytes(t *testing.T) {
	eng, sid := mustSession(t)
	ctx := context.Background()
	tests := []struct {
		name     string
		sql      string
		minRows  int // rows the stored copy must keep at least
		wantCut  bool
		checkRow func(t *testing.T, row map[string]any)
	}{
		{
			name: "one huge cell is cut, the row kept", sql: "SELECT repeat('x', 2000000) AS s, 7 AS n",
			minRows: 1, wantCut: true,
			checkRow: func(t *testing.T, row map[string]any) {
				s, _ := row["s"].(string)
				if len(s) > StoredCellBytes || !strings.HasSuffix(s, "…") || row["n"] != float64(7) {
					t.Fatalf("row kept as %d bytes, n=%v", len(s), row["n"])
				}
			},
		},
		{
			name: "many wide rows stop at the byte budget", sql: "SELECT range AS i, repeat('y', 2000) AS s FROM range(5000)",
			minRows: 50, wantCut: true,
		},
		{
			name: "a list of long strings is kept as cut JSON text", sql: "SELECT list_transform(range(100), i -> repeat('z', 10000)) AS l",
			minRows: 1, wantCut: true,
		},
		{
			name: "a small result is stored whole", sql: "SELECT range AS i FROM range(10)",
			minRows: 10, wantCut: false,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := RunQuery(ctx, eng, sid, tt.sql)
			if q.IsError {
				t.Fatalf("query failed: %s", q.Error)
			}
			r := q.Record()
			if len(r.Data) > StoredResultBytes+4<<10 {
				t.Fatalf("stored %d bytes, over %d", len(r.Data), StoredResultBytes)
			}
			var got storedQueryJSON
			if err := json.Unmarshal(r.Data, &got); err != nil {
				t.Fatal(err)
			}
			if len(got.Result) < tt.minRows || got.StoredTruncated != tt.wantCut {
				t.Fatalf("stored %d rows, stored_truncated %v; want ≥%d rows, %v", len(got.Result), got.StoredTruncated, tt.minRows, tt.wantCut)
			}
			if tt.checkRow != nil {
				tt.checkRow(t, got.Result[0])
			}
			// The live copy is untouched.
			if len(q.Result) < len(got.Result) {
				t.Fatalf("live result shrank to %d rows", len(q.Result))
			}
		})
	}
}

func TestStoredResultKeepsTruncatedReason(t *testing.T) {
	q := (&QueryResult{SQL: "SELECT 1", Truncated: true, TruncatedReason: duck.TruncatedBytes, Columns: []string{"a"}})
	var got storedQueryJSON
	if err := json.Unmarshal(q.Record().Data, &got); err != nil {
		t.Fatal(err)
	}
	if got.TruncatedReason != duck.TruncatedBytes || !got.Truncated {
		t.Fatalf("stored %+v", got)
	}
}

func TestBoundRecord(t *testing.T) {
	long := strings.Repeat("é", StoredTextBytes)
	r := BoundRecord(Record{Type: TypeText, Text: long})
	if len(r.Text) > StoredTextBytes || !strings.HasSuffix(r.Text, "…") {
		t.Fatalf("text kept as %d bytes", len(r.Text))
	}
	values := make([]any, 20000)
	for i := range values {
		values[i] = map[string]any{"x": i, "label": strings.Repeat("w", 100)}
	}
	plot, _ := json.Marshal(PlotData{Title: "Big", VegaLiteSpec: map[string]any{"mark": "bar", "data": map[string]any{"values": values}}})
	if len(plot) <= StoredPlotBytes {
		t.Fatalf("test plot too small: %d", len(plot))
	}
	r = BoundRecord(Record{Type: TypePlot, Text: "Big", PlotData: plot})
	var got struct {
		Title        string         `json:"title"`
		Spec         map[string]any `json:"vega_lite_spec"`
		StoredCutOff bool           `json:"stored_truncated"`
	}
	if len(r.PlotData) > StoredPlotBytes || json.Unmarshal(r.PlotData, &got) != nil || got.Title != "Big" || !got.StoredCutOff || got.Spec["mark"] != "bar" {
		t.Fatalf("plot kept as %d bytes: %.200s", len(r.PlotData), r.PlotData)
	}
}
