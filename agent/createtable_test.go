package agent

import "testing"

func TestParseCreateTable(t *testing.T) {
	for _, tc := range []struct {
		text string
		ok   bool
		want CreateTable
	}{
		{"CREATE OR REPLACE TABLE orders AS SELECT * FROM orders WHERE amount > 0", true,
			CreateTable{Table: "orders", Query: "SELECT * FROM orders WHERE amount > 0", Replace: true}},
		{"create table clean as\n  select *\n  from data;", true, CreateTable{Table: "clean", Query: "select *\n  from data"}},
		{`CREATE OR REPLACE TABLE "Sales 2024" AS (SELECT 1)`, true, CreateTable{Table: "Sales 2024", Query: "(SELECT 1)", Replace: true}},
		{"-- tidy\nCREATE OR REPLACE TABLE main.t AS FROM data", true, CreateTable{Table: "t", Query: "FROM data", Replace: true}},
		{"CREATE TABLE IF NOT EXISTS t AS SELECT 1", true, CreateTable{Table: "t", Query: "SELECT 1"}},
		{"CREATE OR REPLACE TABLE IF NOT EXISTS t AS SELECT 1", false, CreateTable{}},
		{"CREATE TABLE t (a INT)", false, CreateTable{}},
		{"CREATE VIEW v AS SELECT 1", false, CreateTable{}},
		{"SELECT * FROM data", false, CreateTable{}},
		{"CREATE TABLE t AS", false, CreateTable{}},
	} {
		got, ok := ParseCreateTable(tc.text)
		if ok != tc.ok || got != tc.want {
			t.Errorf("ParseCreateTable(%q) = %+v, %v; want %+v, %v", tc.text, got, ok, tc.want, tc.ok)
		}
	}
}
