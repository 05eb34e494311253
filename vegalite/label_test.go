package vegalite

import "testing"

func TestLabel(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"count_star()", "Count"},
		{"count(*)", "Count"},
		{"COUNT(DISTINCT city)", "Distinct city"},
		{"count(order_id)", "Count of order id"},
		{"sum(precipitation)", "Total precipitation"},
		{"avg(price)", "Average price"},
		{"round(avg(price), 2)", "Average price"},
		{"year(date)", "Year"},
		{"date_trunc('month', order_date)", "Month"},
		{"total_precipitation", "Total precipitation"},
		{"avg_price", "Average price"},
		{"n_orders", "Number of orders"},
		{"n", "Count"},
		{"orderDate", "Order date"},
		{"Region", "Region"},
		{"GDP per capita", "GDP per capita"},
		{"price * quantity", "Price * quantity"},
		{"stddev_samp(price)", "Standard deviation of price"},
	} {
		if got := Label(tc.name); got != tc.want {
			t.Errorf("Label(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}
