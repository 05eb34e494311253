package duck

import (
	"context"
	"encoding/json"
	"testing"
)

func TestIngestQueryPreviewProfile(t *testing.T) {
	e := newTestEngine(t)
	csv := "id,name,amount,day\n1,Alice,10.5,2024-01-01\n2,Bob,20,2024-02-01\n3,Alice,,2024-03-01\n"
	id, ds := mustIngest(t, e, "Sales.CSV", []byte(csv))
	if ds.Format != "csv" || ds.RowCount != 3 || len(ds.Columns) != 4 {
		t.Fatalf("dataset = %+v", ds)
	}
	want := []Column{{"id", "BIGINT"}, {"name", "VARCHAR"}, {"amount", "DOUBLE"}, {"day", "DATE"}}
	for i, c := range want {
		if ds.Columns[i] != c {
			t.Errorf("column %d = %+v, want %+v", i, ds.Columns[i], c)
		}
	}
	res := mustQuery(t, e, id, "SELECT name, sum(amount) AS total FROM data GROUP BY name ORDER BY name")
	b, _ := json.Marshal(res.Objects())
	if string(b) != `[{"name":"Alice","total":10.5},{"name":"Bob","total":20}]` {
		t.Errorf("objects = %s", b)
	}
	pv, err := e.Preview(context.Background(), id, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(pv.Rows) != 2 || pv.RowCount != 3 || !pv.Truncated {
		t.Errorf("preview = %+v", pv)
	}
	p, err := e.Profile(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	pb, _ := json.MarshalIndent(p, "", " ")
	t.Logf("%s", pb)
	if !e.IsSQL(context.Background(), "FROM data LIMIT 3") || e.IsSQL(context.Background(), "show me the top 10") {
		t.Error("IsSQL")
	}
	if err := e.Remove(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	if files := listFiles(t, e.dataDir); len(files) != 0 {
		t.Errorf("left behind: %v", files)
	}
}
