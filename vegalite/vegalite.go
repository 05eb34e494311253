// Package vegalite checks the charts an analyst draws: a spec is made safe
// (every URL, link and external data source removed, the query's rows its
// only data) and validated against the Vega-Lite v5 JSON schema, embedded
// here, with an error message a model can act on.
package vegalite

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// schemaJSON is build/vega-lite-schema.json of the npm package
// vega-lite 5.23.0 (`npm pack vega-lite@5`), used unchanged. Its license,
// also in vega-lite-schema.LICENSE beside it:
//
// Copyright (c) 2015, University of Washington Interactive Data Lab.
// All rights reserved.
//
// Redistribution and use in source and binary forms, with or without
// modification, are permitted provided that the following conditions are met:
//
//  1. Redistributions of source code must retain the above copyright notice,
//     this list of conditions and the following disclaimer.
//  2. Redistributions in binary form must reproduce the above copyright
//     notice, this list of conditions and the following disclaimer in the
//     documentation and/or other materials provided with the distribution.
//  3. Neither the name of the copyright holder nor the names of its
//     contributors may be used to endorse or promote products derived from
//     this software without specific prior written permission.
//
// THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS"
// AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE
// IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE
// ARE DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT OWNER OR CONTRIBUTORS BE
// LIABLE FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR
// CONSEQUENTIAL DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF
// SUBSTITUTE GOODS OR SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS
// INTERRUPTION) HOWEVER CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN
// CONTRACT, STRICT LIABILITY, OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE)
// ARISING IN ANY WAY OUT OF THE USE OF THIS SOFTWARE, EVEN IF ADVISED OF THE
// POSSIBILITY OF SUCH DAMAGE.
//
//go:embed vega-lite-schema.json
var schemaJSON []byte

// SchemaURL is the $schema every stored plot carries.
const SchemaURL = "https://vega.github.io/schema/vega-lite/v5.json"

// vegaLite compiles the schema once, on first use (about half a second).
var compiled = sync.OnceValues(func() (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
	if err != nil {
		return nil, fmt.Errorf("vega-lite schema: %w", err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("vega-lite-schema.json", doc); err != nil {
		return nil, fmt.Errorf("vega-lite schema: %w", err)
	}
	return c.Compile("vega-lite-schema.json")
})

// Warm compiles the Vega-Lite schema now rather than during the
// first chart; call it in the background at start-up.
func Warm() { _, _ = compiled() }

// externalKeys are removed wherever they appear in a spec: each can make the
// browser fetch or open something outside the app (data.url, image marks'
// url channel, href channels and mark properties), or smuggle settings to
// the embedding library (usermeta.embedOptions can set a loader base URL).
// Named datasets and nested data are removed so that the only data a chart
// can show is the rows of its own query.
var externalKeys = map[string]bool{
	"url":      true,
	"href":     true,
	"usermeta": true,
	"datasets": true,
	"data":     true,
	"$schema":  true,
}

// Sanitize returns a copy of spec without any external reference and
// with values as its only data.
func Sanitize(spec map[string]any, values []any) map[string]any {
	out, _ := scrub(spec).(map[string]any)
	if out == nil {
		out = map[string]any{}
	}
	out["$schema"] = SchemaURL
	out["data"] = map[string]any{"values": values}
	labelChannels(out)
	return out
}

// titledChannels are the encoding channels that show an axis, a legend or
// a header title.
var titledChannels = []string{"x", "y", "color", "fill", "stroke", "size", "shape", "opacity", "theta", "radius", "row", "column", "facet"}

// labelChannels gives every titled channel without a title a readable one
// (Label), so that a chart never shows "count_star()" or "avg(price)"; it
// walks layers and nested views.
func labelChannels(spec map[string]any) {
	if enc, ok := spec["encoding"].(map[string]any); ok {
		for _, ch := range titledChannels {
			e, ok := enc[ch].(map[string]any)
			if !ok {
				continue
			}
			if _, has := e["title"]; has {
				continue
			}
			field, _ := e["field"].(string)
			agg, _ := e["aggregate"].(string)
			switch {
			case agg == "count":
				e["title"] = "Count"
			case field != "" && agg != "":
				e["title"] = Label(agg + "(" + unescapeField(field) + ")")
			case field != "":
				e["title"] = Label(unescapeField(field))
			}
		}
	}
	for _, key := range []string{"layer", "hconcat", "vconcat", "concat"} {
		if list, ok := spec[key].([]any); ok {
			for _, v := range list {
				if m, ok := v.(map[string]any); ok {
					labelChannels(m)
				}
			}
		}
	}
	if m, ok := spec["spec"].(map[string]any); ok {
		labelChannels(m)
	}
}

// unescapeField undoes Field's escaping.
func unescapeField(f string) string {
	return strings.NewReplacer(`\\`, `\`, `\.`, ".", `\[`, "[", `\]`, "]").Replace(f)
}

func scrub(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, val := range t {
			if externalKeys[k] {
				continue
			}
			// A lookup transform names a secondary data source: only the
			// query's rows may be shown, so the transform goes.
			if k == "transform" {
				val = dropLookups(val)
			}
			out[k] = scrub(val)
		}
		return out
	case []any:
		out := make([]any, 0, len(t))
		for _, val := range t {
			out = append(out, scrub(val))
		}
		return out
	case string:
		if isLinkString(t) {
			return ""
		}
		return t
	default:
		return v
	}
}

func dropLookups(v any) any {
	list, ok := v.([]any)
	if !ok {
		return v
	}
	out := make([]any, 0, len(list))
	for _, item := range list {
		if m, ok := item.(map[string]any); ok {
			if _, lookup := m["lookup"]; lookup {
				continue
			}
		}
		out = append(out, item)
	}
	return out
}

// isLinkString reports strings that a renderer could follow: absolute or
// protocol-relative URLs and javascript:/data: URIs.
func isLinkString(s string) bool {
	l := strings.ToLower(strings.TrimSpace(s))
	for _, p := range []string{"http://", "https://", "//", "javascript:", "data:", "file:", "ftp://"} {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	return false
}

var printer = message.NewPrinter(language.English)

// Validate checks spec against the Vega-Lite v5 schema and returns
// an error whose message names the first real problems, for the model to
// fix.
func Validate(spec any) error {
	sch, err := compiled()
	if err != nil {
		return err
	}
	err = sch.Validate(spec)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	return errors.New(summarizeValidation(ve))
}

// summarizeValidation picks, from the tree of anyOf branches the schema
// tries, the leaf errors at the deepest place in the spec: a spec that says
// "mark": "bars" fails every top-level branch, and the useful line is the
// one about /mark, not "missing property layer".
func summarizeValidation(ve *jsonschema.ValidationError) string {
	type leaf struct {
		loc string
		msg string
	}
	var leaves []leaf
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			leaves = append(leaves, leaf{"/" + strings.Join(e.InstanceLocation, "/"), e.ErrorKind.LocalizedString(printer)})
			return
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	if len(leaves) == 0 {
		return "the spec is not valid Vega-Lite v5"
	}
	depth := func(l leaf) int { return strings.Count(l.loc, "/") - boolInt(l.loc == "/") }
	deepest := 0
	for _, l := range leaves {
		deepest = max(deepest, depth(l))
	}
	var picked []leaf
	seen := map[string]bool{}
	for _, l := range leaves {
		if depth(l) != deepest || seen[l.msg] {
			continue
		}
		seen[l.msg] = true
		picked = append(picked, l)
	}
	// Enumerations and unknown properties say most; type mismatches least.
	rank := func(msg string) int {
		switch {
		case strings.Contains(msg, "one of"), strings.Contains(msg, "additional propert"):
			return 0
		case strings.Contains(msg, "missing propert"):
			return 1
		case strings.HasPrefix(msg, "got "):
			return 3
		}
		return 2
	}
	sort.SliceStable(picked, func(i, j int) bool {
		ri, rj := rank(picked[i].msg), rank(picked[j].msg)
		if ri != rj {
			return ri < rj
		}
		return len(picked[i].msg) < len(picked[j].msg)
	})
	if len(picked) > 3 {
		picked = picked[:3]
	}
	lines := make([]string, 0, len(picked))
	for _, l := range picked {
		loc := l.loc
		if loc == "/" {
			loc = "the top level"
		}
		lines = append(lines, fmt.Sprintf("at %s: %s", loc, l.msg))
	}
	return "the spec is not valid Vega-Lite v5: " + strings.Join(slices.Compact(lines), "; ")
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
