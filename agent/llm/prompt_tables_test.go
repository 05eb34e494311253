package llm

import (
	"strings"
	"testing"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/duck"
)

func TestPromptCoversEveryTable(t *testing.T) {
	ds := agent.Dataset{
		SessionID: "s", Filename: "orders.csv", RowCount: 5,
		Columns: []duck.Column{{Name: "order_id", Type: "BIGINT"}, {Name: "customer_id", Type: "BIGINT"}},
		Tables: []agent.TableInfo{
			{Name: "orders", Filename: "orders.csv", Primary: true, Version: 2, RowCount: 5,
				Columns: []duck.Column{{Name: "order_id", Type: "BIGINT"}, {Name: "customer_id", Type: "BIGINT"}}},
			{Name: "customers", Filename: "customers.csv", Version: 1, RowCount: 3,
				Columns: []duck.Column{{Name: "customer_id", Type: "BIGINT"}, {Name: "Full Name", Type: "VARCHAR"}}},
		},
		JoinKeys: []agent.JoinKey{{Left: "orders", LeftColumn: "customer_id", Right: "customers", RightColumn: "customer_id", LeftDistinct: 4, Matched: 3}},
	}
	p := SystemPrompt(ds, nil, false)
	for _, want := range []string{
		`also named "orders"`,
		`Table "customers" (file customers.csv): 3 rows, 2 columns.`,
		`- "Full Name" VARCHAR`,
		`"orders"."customer_id" = "customers"."customer_id": 3 of the 4 distinct values`,
		"say which key you joined on",
		"Some tables were changed",
	} {
		if !strings.Contains(p, want) {
			t.Errorf("the prompt lacks %q:\n%s", want, p)
		}
	}
	// One table never changed: the prompt is what it always was.
	one := ds
	one.Tables, one.JoinKeys = nil, nil
	if q := SystemPrompt(one, nil, false); strings.Contains(q, "Other tables") || strings.Contains(q, "share values") {
		t.Errorf("a single table's prompt mentions other tables:\n%s", q)
	}
}
