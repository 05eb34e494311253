package tables

import "testing"

func TestNameFor(t *testing.T) {
	for _, tc := range []struct {
		file  string
		taken []string
		want  string
	}{
		{"orders.csv", nil, "orders"},
		{"Orders 2024 (final).CSV", nil, "orders_2024_final"},
		{"2023-sales.parquet", nil, "t_2023_sales"},
		{"données.csv", nil, "donn_es"},
		{"___.csv", nil, "file"},
		{"data.csv", nil, "data_2"},
		{"select.csv", nil, "select_table"},
		{"orders.csv", []string{"Orders"}, "orders_2"},
		{"orders.csv", []string{"orders", "orders_2"}, "orders_3"},
	} {
		if got := NameFor(tc.file, tc.taken); got != tc.want {
			t.Errorf("NameFor(%q, %v) = %q, want %q", tc.file, tc.taken, got, tc.want)
		}
	}
}
