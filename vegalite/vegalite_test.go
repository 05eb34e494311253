package vegalite

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestSanitizeSpec(t *testing.T) {
	spec := map[string]any{
		"$schema":  "https://evil.example.com/schema.json",
		"data":     map[string]any{"url": "https://evil.example.com/data.csv"},
		"datasets": map[string]any{"x": []any{1}},
		"usermeta": map[string]any{"embedOptions": map[string]any{"loader": map[string]any{"baseURL": "https://evil.example.com"}}},
		"mark":     map[string]any{"type": "image", "href": "https://evil.example.com"},
		"encoding": map[string]any{
			"url":  map[string]any{"field": "img"},
			"href": map[string]any{"field": "link"},
			"x":    map[string]any{"field": "url", "type": "nominal"},
		},
		"transform": []any{
			map[string]any{"lookup": "id", "from": map[string]any{"data": map[string]any{"url": "x.csv"}, "key": "id"}},
			map[string]any{"filter": "datum.n > 1"},
		},
		"layer":       []any{map[string]any{"data": map[string]any{"values": []any{1}}, "mark": "bar"}},
		"description": "javascript:alert(1)",
	}
	got := Sanitize(spec, []any{map[string]any{"n": 1}})
	b, _ := json.Marshal(got)
	s := string(b)
	for _, bad := range []string{"evil", `"href"`, `"usermeta"`, `"datasets"`, `"lookup"`, "x.csv", "javascript"} {
		if strings.Contains(s, bad) {
			t.Errorf("sanitized spec keeps %s: %s", bad, s)
		}
	}
	enc := got["encoding"].(map[string]any)
	if _, ok := enc["url"]; ok {
		t.Errorf("url channel kept: %s", s)
	}
	if enc["x"].(map[string]any)["field"] != "url" {
		t.Errorf("a field named url must stay: %s", s)
	}
	if len(got["transform"].([]any)) != 1 {
		t.Errorf("transform = %v", got["transform"])
	}
	if _, ok := got["layer"].([]any)[0].(map[string]any)["data"]; ok {
		t.Errorf("nested data kept: %s", s)
	}
	if d := got["data"].(map[string]any); len(d) != 1 || d["values"] == nil {
		t.Errorf("data = %v", d)
	}
	// The input is not modified.
	if _, ok := spec["usermeta"]; !ok {
		t.Error("Sanitize changed its input")
	}
}

func TestValidate(t *testing.T) {
	values := []any{map[string]any{"city": "Paris", "n": 3}}
	for _, tc := range []struct {
		name string
		spec map[string]any
		want string // "" when valid; else a part of the message
	}{
		{"bar", map[string]any{"mark": "bar", "encoding": map[string]any{
			"x": map[string]any{"field": "city", "type": "nominal"},
			"y": map[string]any{"field": "n", "type": "quantitative"}}}, ""},
		{"layered", map[string]any{"layer": []any{
			map[string]any{"mark": "line", "encoding": map[string]any{"x": map[string]any{"field": "city", "type": "nominal"}}},
			map[string]any{"mark": "point", "encoding": map[string]any{"x": map[string]any{"field": "city", "type": "nominal"}}}}}, ""},
		{"unknown mark", map[string]any{"mark": "bars"}, "at /mark"},
		{"unknown channel property", map[string]any{"mark": "bar", "encoding": map[string]any{
			"x": map[string]any{"field": "city", "type": "nominal", "colour": "red"}}}, "/encoding/x"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Validate(Sanitize(tc.spec, values))
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("valid spec refused: %v", err)
			case tc.want != "" && err == nil:
				t.Fatal("invalid spec accepted")
			case tc.want != "" && !strings.Contains(err.Error(), tc.want):
				t.Fatalf("error %q does not name %s", err, tc.want)
			case tc.want != "" && !strings.HasPrefix(err.Error(), "the spec is not valid Vega-Lite v5"):
				t.Fatalf("error %q", err)
			}
		})
	}
}

func TestSanitizeTitlesChannels(t *testing.T) {
	spec := map[string]any{
		"mark": "bar",
		"encoding": map[string]any{
			"x":     map[string]any{"field": "count_star()", "type": "quantitative"},
			"y":     map[string]any{"field": "region", "type": "nominal", "title": "Where"},
			"color": map[string]any{"field": "price", "aggregate": "mean", "type": "quantitative"},
		},
		"layer": []any{map[string]any{"mark": "rule", "encoding": map[string]any{"y": map[string]any{"aggregate": "count", "type": "quantitative"}}}},
	}
	got := Sanitize(spec, nil)
	enc := got["encoding"].(map[string]any)
	for ch, want := range map[string]string{"x": "Count", "y": "Where", "color": "Average price"} {
		if title := enc[ch].(map[string]any)["title"]; title != want {
			t.Errorf("%s title %v, want %q", ch, title, want)
		}
	}
	layerY := got["layer"].([]any)[0].(map[string]any)["encoding"].(map[string]any)["y"].(map[string]any)
	if layerY["title"] != "Count" {
		t.Errorf("layer title %v", layerY["title"])
	}
	if unescapeField(Field(`a.b[c]\d`)) != `a.b[c]\d` {
		t.Errorf("unescape %q", unescapeField(Field(`a.b[c]\d`)))
	}
}
