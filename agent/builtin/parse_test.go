package builtin

import (
	"strings"
	"testing"

	"github.com/analyzerhq/analyzer/duck"
)

// grammarSchema mirrors the sales fixture without an engine: the grammar's
// tests need only names, types and distinct counts.
func grammarSchema() *schema {
	s := &schema{filename: "sales.csv", rows: 600}
	add := func(name, typ string, distinct int64) *column {
		c := newColumn(name, typ)
		c.distinct, c.nonNull = distinct, 600
		s.cols = append(s.cols, c)
		return c
	}
	add("Order ID", "BIGINT", 600)
	d := add("Order Date", "VARCHAR", 500)
	d.kind, d.dateFmt = duck.KindTemporal, "%Y-%m-%d"
	r := add("Region", "VARCHAR", 4)
	r.values = map[string]string{"west": "West", "east": "East", "north": "North", "south": "South"}
	p := add("Product Category", "VARCHAR", 5)
	p.values = map[string]string{"toys": "Toys", "books": "Books", "garden": "Garden", "electronics": "Electronics", "food": "Food"}
	add("Unit Price ($)", "DOUBLE", 580)
	add("Quantity", "BIGINT", 20)
	add(`Discount "pct"`, "BIGINT", 5)
	add("Customer's Name", "VARCHAR", 200)
	add("Year", "BIGINT", 2)
	add("is_returned", "BOOLEAN", 2)
	return s
}

func TestParse(t *testing.T) {
	s := grammarSchema()
	cases := []struct {
		q    string
		want string // queryDesc of the parse
	}{
		{"how many rows are there?", "number of rows"},
		{"How many records", "number of rows"},
		{"count rows", "number of rows"},
		{"row count", "number of rows"},
		{"average unit price", "average Unit Price ($)"},
		{"What's the mean Unit_Price?", "average Unit Price ($)"},
		{"avg unitprice", "average Unit Price ($)"},
		{"average \"Unit Price ($)\"", "average Unit Price ($)"},
		{"Average Unit Price ($)", "average Unit Price ($)"},
		{"AVERAGE UNIT PRICES", "average Unit Price ($)"},
		{"average price", "average Unit Price ($)"},
		{"average unit prcie", "average Unit Price ($)"},
		{"total quantity", "total Quantity"},
		{"sum of quantities", "total Quantity"},
		{"median quantity", "median Quantity"},
		{"min and max unit price", "minimum Unit Price ($) and maximum Unit Price ($)"},
		{"standard deviation of unit price", "standard deviation of Unit Price ($)"},
		{"total quantity by region", "total Quantity by Region"},
		{"quantity by region", "total Quantity by Region"},
		{"unit price per region", "average Unit Price ($) by Region"},
		{"average unit price for each product category", "average Unit Price ($) by Product Category"},
		{"average unit price by region and product category", "average Unit Price ($) by Region and Product Category"},
		{"count by region", "number of rows by Region"},
		{"number of rows per region", "number of rows by Region"},
		{"how many rows per product category", "number of rows by Product Category"},
		{"top 3 product categories by total quantity", "top 3 Product Category by total Quantity"},
		{"top 3 product categories by quantity", "top 3 Product Category by total Quantity"},
		{"bottom 2 regions by average unit price", "bottom 2 Region by average Unit Price ($)"},
		{"5 highest regions by quantity", "top 5 Region by total Quantity"},
		{"which region has the highest total quantity", "total Quantity by Region"},
		{"which region has the most rows", "number of rows by Region"},
		{"most common region", "most common Region"},
		{"what is the most frequent product category?", "most common Product Category"},
		{"least common region", "least common Region"},
		{"top 3 regions", "top 3 Region by number of rows"},
		{"highest unit price", "maximum Unit Price ($)"},
		{"lowest quantity", "minimum Quantity"},
		{"top 5 rows by unit price", "the 5 rows with the highest Unit Price ($)"},
		{"top 10 by quantity", "the 10 rows with the highest Quantity"},
		{"5 lowest unit prices", "the 5 rows with the lowest Unit Price ($)"},
		{"show rows sorted by quantity", "the 10 rows with the highest Quantity"},
		{"max unit price where region is west", "maximum Unit Price ($) where Region is “west”"},
		{"max unit price where region = 'West'", "maximum Unit Price ($) where Region is “West”"},
		{"how many rows where quantity above 10", "number of rows where Quantity above 10"},
		{"how many rows where quantity > 10 and region is not East", "number of rows where Quantity above 10 and Region is not “East”"},
		{"rows with quantity at least 5", "rows where Quantity at least 5"},
		{"quantity greater than 15", "rows where Quantity above 15"},
		{"rows where unit price between 20 and 30", "rows where Unit Price ($) between 20 and 30"},
		{"average unit price where product category is books and quantity at least 5", "average Unit Price ($) where Product Category is “books” and Quantity at least 5"},
		{"total quantity where region is \"North West\"", "total Quantity where Region is “North West”"},
		{"rows where customer's name contains 12", "rows where Customer's Name contains “12”"},
		{"how many rows where region is missing", "number of rows where Region is missing"},
		{"sum of quantity in 2023", "total Quantity where year of Order Date is 2023"},
		{"total quantity per month", "total Quantity per month of Order Date"},
		{"monthly total quantity", "total Quantity per month of Order Date"},
		{"quantity per year", "total Quantity by Year"}, // the Year column wins over the grain
		{"quantity per quarter", "total Quantity per quarter of Order Date"},
		{"rows per week", "number of rows per week of Order Date"},
		{"number of rows by order date", "number of rows per period of Order Date"},
		{"quantity over time", "total Quantity per period of Order Date"},
		{"unit price trend", "average Unit Price ($) per period of Order Date"},
		{"total quantity per month by region", "total Quantity per month of Order Date, by Region"},
		{"daily average unit price", "average Unit Price ($) per day of Order Date"},
		{"how many distinct product categories", "number of distinct Product Category values"},
		{"how many regions", "number of distinct Region values"},
		{"number of unique customer's names", "number of distinct Customer's Name values"},
		{"unique values of region", "distinct values of Region"},
		{"describe quantity", "summary of Quantity"},
		{"summarize unit price", "summary of Unit Price ($)"},
		{"stats for region", "summary of Region"},
		{"tell me about order date", "summary of Order Date"},
		{"distribution of unit price", "distribution of Unit Price ($)"},
		{"histogram of quantity", "distribution of Quantity"},
		{"unit price distribution by region", "distribution of Unit Price ($) by Region"},
		{"breakdown by region", "number of rows by Region"},
		{"breakdown of quantity by region", "total Quantity by Region"},
		{"What's the total quantity sold per region?", "total Quantity by Region"},
		{"Which product category generates the most quantity?", "total Quantity by Product Category"},
		{"show me the top 10 customers by quantity", "top 10 Customer's Name by total Quantity"},
		{"correlation between unit price and quantity", "correlation between Unit Price ($) and Quantity"},
		{"unit price vs quantity", "correlation between Unit Price ($) and Quantity"},
		{"correlations", "correlations between the numeric columns"},
		{"average discount pct", `average Discount "pct"`},
		{"average unit price by year", "average Unit Price ($) by Year"},
		{"how many rows where is returned is true", "number of rows where is_returned is true"},
		{"show me 5 rows", "the first 5 rows"},
		{"preview", "the first 10 rows"},
		{"first 3 rows", "the first 3 rows"},
		{"what columns are there", "the columns of the data"},
		{"which columns have missing values", "missing values per column"},
		{"missing values in region", "missing values of Region"},
		{"are there duplicate rows?", "duplicate rows"},
		{"give me an overview", "an overview of the data"},
		{"summarize the data", "an overview of the data"},
		{"earliest order date", "minimum Order Date"},
		{"latest order date", "maximum Order Date"},
		{"total quantity sorted by region", "total Quantity by Region"},
		{"average unit price in the West region", "average Unit Price ($) where Region is “West”"},
		{"total quantity for books by region", "total Quantity by Region where Product Category is “Books”"},
		{"how many rows in north", "number of rows where Region is “North”"},
		{"which weather is most common? plot it", ""},
		{"count rows with quantity of at least 5", ""},
	}
	for _, tc := range cases {
		t.Run(tc.q, func(t *testing.T) {
			q, err := parse(tc.q, s)
			if tc.want == "" {
				if err == nil {
					t.Logf("parsed as %q (no expectation)", queryDesc(q))
				}
				return
			}
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			if got := queryDesc(q); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestParseRefuses checks that questions outside the grammar are refused
// with a reason, never read as something else.
func TestParseRefuses(t *testing.T) {
	s := grammarSchema()
	cases := []struct {
		q    string
		want string // in the message
	}{
		{"", "empty"},
		{"what is the weather tomorrow", "“weather” and “tomorrow” refer"},
		{"average profit", "“profit”"},
		{"average profit by region", "“profit”"},
		{"how many orders per region", "Order ID"},
		{"total region", "not numeric"},
		{"average customer's name", "not numeric"},
		{"quantity or unit price", "“or”"},
		{"rows where region is not", ""},
		{"sales excluding west", "“excluding”"},
		{"why did quantity drop", "“why”"},
		{"correlation between region and quantity", "two numeric columns"},
		{"average", "which column"},
		{"total quantity by region by product category by year", "at most two"},
		{strings.Repeat("average quantity ", 40), "longer"},
	}
	for _, tc := range cases {
		t.Run(tc.q, func(t *testing.T) {
			q, err := parse(tc.q, s)
			if err == nil {
				t.Fatalf("parsed as %q; want a refusal", queryDesc(q))
			}
			if !strings.Contains(err.msg, tc.want) {
				t.Errorf("message %q does not mention %q", err.msg, tc.want)
			}
		})
	}
}

func TestTokenizeNumbers(t *testing.T) {
	cases := []struct {
		in   string
		want float64
	}{
		{"1,200", 1200},
		{"$30", 30},
		{"2.5k", 2500},
		{"-4", -4},
		{"40%", 40},
		{"1,234.5", 1234.5},
		{"3m", 3e6},
		{".5", 0.5},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			toks := tokenize("above " + tc.in)
			if len(toks) != 2 || !toks[1].isNum || toks[1].num != tc.want {
				t.Fatalf("tokens %+v, want the number %v", toks, tc.want)
			}
		})
	}
}

func TestNameWords(t *testing.T) {
	cases := []struct {
		in   string
		want string
	}{
		{"Unit Price ($)", "unit price"},
		{"unit_price", "unit price"},
		{"UnitPrice", "unit price"},
		{"customerID", "customer id"},
		{"HTTPStatus", "http status"},
		{"Categories", "category"},
		{"Q1 Sales", "q1 sale"},
		{`Discount "pct"`, "discount pct"},
		{"%", "percent"}, // asked as "percentage"
		{"% of votes", "percent of vote"},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			if got := strings.Join(nameWords(tc.in), " "); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestQuoting(t *testing.T) {
	cases := []struct{ in, ident, str string }{
		{`plain`, `"plain"`, `'plain'`},
		{`Discount "pct"`, `"Discount ""pct"""`, `'Discount "pct"'`},
		{`Customer's Name`, `"Customer's Name"`, `'Customer''s Name'`},
		{"nul\x00byte", `"nulbyte"`, `'nulbyte'`},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			if got := duck.QuoteIdent(tc.in); got != tc.ident {
				t.Errorf("quoteIdent = %s, want %s", got, tc.ident)
			}
			if got := duck.QuoteString(tc.in); got != tc.str {
				t.Errorf("quoteString = %s, want %s", got, tc.str)
			}
		})
	}
}

// TestExamplesParse checks that the example questions offered to a user
// are ones the grammar reads.
func TestExamplesParse(t *testing.T) {
	s := grammarSchema()
	ex := examples(s, 10)
	if len(ex) < 5 {
		t.Fatalf("only %d examples: %q", len(ex), ex)
	}
	for _, e := range ex {
		if _, err := parse(e, s); err != nil {
			t.Errorf("example %q does not parse: %v", e, err)
		}
	}
}

// TestChartTitle: a chart's title reads as a title: capitalized, and a
// time series is not titled after its date column, which its axis names.
func TestChartTitle(t *testing.T) {
	s := grammarSchema()
	for _, tc := range []struct{ q, want string }{
		{"total quantity per month", "Total Quantity per month"},
		{"total quantity per month by region", "Total Quantity per month, by Region"},
		{"breakdown of quantity by region", "Total Quantity by Region"},
		{"show me 5 rows", "First 5 rows"},
	} {
		t.Run(tc.q, func(t *testing.T) {
			q, err := parse(tc.q, s)
			if err != nil {
				t.Fatal(err)
			}
			if got := chartTitle(q); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
