package duck

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/analyzerhq/analyzer/apperr"
)

// mapCatalog is a catalog held in memory, as the tables package keeps it
// in the database.
type mapCatalog struct {
	mu sync.Mutex
	m  map[string][]Mount
}

func (c *mapCatalog) Mounts(_ context.Context, id string) ([]Mount, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Mount(nil), c.m[id]...), nil
}

func (c *mapCatalog) set(id string, ms ...Mount) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[id] = ms
}

func TestSeveralTablesJoinAndTransform(t *testing.T) {
	e := newTestEngine(t)
	cat := &mapCatalog{m: map[string][]Mount{}}
	e.SetCatalog(cat)
	ctx := context.Background()
	orders, _ := mustIngest(t, e, "orders.csv", []byte("order_id,customer_id,amount\n1,10,5.5\n2,11,7\n3,10,1\n4,12,\n"))
	customers, _ := mustIngest(t, e, "customers.csv", []byte("customer_id,name\n10,Ann\n11,Bob\n12,Cy\n"))

	// The second file joins the first session without a copy.
	cv := uuid.NewString()
	v, err := e.LinkDataset(ctx, orders, cv, customers, "")
	if err != nil {
		t.Fatal(err)
	}
	if v.RowCount != 3 || len(v.Columns) != 2 {
		t.Fatalf("linked version: %+v", v)
	}
	cat.set(orders, Mount{Name: "orders"}, Mount{Name: "customers", Dir: VersionDir(cv)})
	res := mustQuery(t, e, orders, `SELECT c.name, sum(o.amount) AS total FROM orders o JOIN customers c USING (customer_id) GROUP BY 1 ORDER BY 1`)
	if len(res.Rows) != 3 || res.Rows[0][0] != "Ann" {
		t.Fatalf("join: %+v", res.Rows)
	}
	// `data` stays the first table.
	if r := mustQuery(t, e, orders, "SELECT count(*) FROM data"); r.Rows[0][0] != int64(4) {
		t.Fatalf("data: %v", r.Rows)
	}

	// A change writes a new version; the original is untouched.
	orig, _ := os.ReadFile(filepath.Join(e.dataDir, orders, parquetName))
	ov := uuid.NewString()
	v, err = e.Transform(ctx, orders, ov, "SELECT * FROM orders WHERE amount IS NOT NULL")
	if err != nil {
		t.Fatal(err)
	}
	if v.RowCount != 3 || v.DiskBytes == 0 {
		t.Fatalf("version: %+v", v)
	}
	if now, _ := os.ReadFile(filepath.Join(e.dataDir, orders, parquetName)); string(now) != string(orig) {
		t.Fatal("the original was modified")
	}
	cat.set(orders, Mount{Name: "orders", Dir: VersionDir(ov)}, Mount{Name: "customers", Dir: VersionDir(cv)})
	if r := mustQuery(t, e, orders, "SELECT count(*) FROM data"); r.Rows[0][0] != int64(3) {
		t.Fatalf("after the change: %v", r.Rows)
	}
	prev, err := e.Preview(ctx, orders, 10)
	if err != nil || prev.RowCount != 3 {
		t.Fatalf("preview after the change: %+v %v", prev, err)
	}
	p, err := e.Profile(ctx, orders)
	if err != nil || p.RowCount != 3 {
		t.Fatalf("profile after the change: %+v %v", p, err)
	}
	// Undo is moving the pointer back.
	cat.set(orders, Mount{Name: "orders"}, Mount{Name: "customers", Dir: VersionDir(cv)})
	if r := mustQuery(t, e, orders, "SELECT count(*) FROM orders"); r.Rows[0][0] != int64(4) {
		t.Fatalf("after undo: %v", r.Rows)
	}
	if prev, _ := e.Preview(ctx, orders, 10); prev.RowCount != 4 {
		t.Fatalf("preview after undo: %d", prev.RowCount)
	}
	if err := e.RemoveDataset(orders, VersionDir(ov)); err != nil {
		t.Fatal(err)
	}
}

func TestTransformRefusesWrites(t *testing.T) {
	e := newTestEngine(t)
	ctx := context.Background()
	id, _ := mustIngest(t, e, "a.csv", []byte("x\n1\n2\n"))
	outside := filepath.Join(t.TempDir(), "stolen.csv")
	for _, sel := range []string{
		"COPY data TO " + QuoteString(outside),
		"SELECT 1) TO " + QuoteString(outside) + " (FORMAT csv); --",
		"SELECT * FROM data; COPY data TO " + QuoteString(outside),
		"CREATE TABLE t AS SELECT * FROM data",
		"SELECT * FROM read_csv(" + QuoteString(outside) + ")",
		"SELECT * FROM read_parquet(" + QuoteString(filepath.Join(e.dataDir, "*", "data.parquet")) + ")",
		"ATTACH " + QuoteString(outside+".db"),
		"SELECT * FROM data --",
	} {
		v, err := e.Transform(ctx, id, uuid.NewString(), sel)
		if sel == "SELECT * FROM data --" {
			// A trailing comment is harmless.
			if err != nil {
				t.Errorf("%q: %v", sel, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("%q was accepted: %+v", sel, v)
			continue
		}
		if k := apperr.KindOf(err); k != apperr.Invalid && k != apperr.Forbidden {
			t.Errorf("%q: kind %v: %v", sel, k, err)
		}
		if strings.Contains(apperr.MessageOf(err), e.dataDir) {
			t.Errorf("%q: message leaks the data dir: %v", sel, err)
		}
	}
	if _, err := os.Stat(outside); err == nil {
		t.Fatal("a file was written outside the session")
	}
	// Nothing of the refused changes is left behind.
	entries, _ := os.ReadDir(filepath.Join(e.dataDir, id, versionsDir))
	if len(entries) != 1 {
		t.Fatalf("version dirs left: %d", len(entries))
	}
}

func TestCatalogCannotNameOtherPaths(t *testing.T) {
	e := newTestEngine(t)
	cat := &mapCatalog{m: map[string][]Mount{}}
	e.SetCatalog(cat)
	id, _ := mustIngest(t, e, "a.csv", []byte("x\n1\n"))
	other, _ := mustIngest(t, e, "b.csv", []byte("y\n2\n"))
	for _, dir := range []string{"../" + other, "v/../../" + other, "/etc", "v/not-a-uuid"} {
		cat.set(id, Mount{Name: "a"}, Mount{Name: "b", Dir: dir})
		if _, err := e.Query(context.Background(), id, "SELECT * FROM b"); err == nil {
			t.Errorf("dir %q was mounted", dir)
		}
	}
}

func TestVersionPreviewKeepsColumnsAndOrder(t *testing.T) {
	e := newTestEngine(t)
	ctx := context.Background()
	id, _ := mustIngest(t, e, "a.csv", []byte("x,y\n3,c\n1,a\n2,b\n"))
	vid := uuid.NewString()
	if _, err := e.Transform(ctx, id, vid, "SELECT * FROM data ORDER BY x DESC"); err != nil {
		t.Fatal(err)
	}
	res, err := e.DatasetPreview(ctx, id, VersionDir(vid), 10)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(res.Columns, ",") != "x,y" || res.RowCount != 3 || res.Rows[0][0] != int64(3) || res.Rows[2][0] != int64(1) {
		t.Fatalf("preview: %v %v rows=%d", res.Columns, res.Rows, res.RowCount)
	}
}
