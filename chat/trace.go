package chat

import (
	"bytes"
	"encoding/json"
	"sync"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/trace"
)

// answerTrace traces a turn's answer where its parts are kept: each text
// part, when it is complete, against the query results the turn showed
// before it. The trace is stored with the text (its data) and sent with
// `done`.
type answerTrace struct {
	mu     sync.Mutex
	in     trace.Input
	answer trace.Answer
}

func newAnswerTrace(req agent.Request) *answerTrace {
	a := &answerTrace{in: trace.Input{Question: req.Text}}
	for _, c := range req.Dataset.Columns {
		a.in.Columns = append(a.in.Columns, c.Name)
	}
	return a
}

// text traces a text part about to be kept; its JSON is the record's data.
func (a *answerTrace) text(s string) (trace.Part, json.RawMessage) {
	a.mu.Lock()
	t := trace.Trace(s, a.in)
	a.mu.Unlock()
	data, _ := json.Marshal(t) // plain data: cannot fail
	return t, data
}

// kept notes a record once stored with id: a text's trace joins the
// answer, a query result joins what later text is traced against.
func (a *answerTrace) kept(r agent.Record, id string, t *trace.Part) {
	a.mu.Lock()
	defer a.mu.Unlock()
	switch {
	case r.Type == agent.TypeText && t != nil && r.Text != "":
		t.MessageID = id
		a.answer.Add(*t)
	case r.Type == agent.TypeQueryResult:
		res := storedResult(r.Data)
		res.MessageID = id
		a.in.Results = append(a.in.Results, res)
	}
}

// result is the answer's trace, nil when it wrote no text.
func (a *answerTrace) result() *trace.Answer {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.answer.Parts) == 0 {
		return nil
	}
	ans := a.answer
	return &ans
}

// storedResult reads a stored query result's cells, in column order, under
// the names the client reads them by (the keys of its row objects).
func storedResult(data json.RawMessage) trace.Result {
	var q struct {
		Result   []json.RawMessage `json:"result"`
		IsError  bool              `json:"is_error"`
		Columns  []string          `json:"columns"`
		RowCount int64             `json:"row_count"`
	}
	if json.Unmarshal(data, &q) != nil || q.IsError {
		return trace.Result{}
	}
	res := trace.Result{Columns: q.Columns, RowCount: q.RowCount, Rows: make([][]any, 0, len(q.Result))}
	for i, raw := range q.Result {
		keys, vals, err := orderedObject(raw)
		if err != nil {
			return trace.Result{}
		}
		if i == 0 {
			res.Columns = keys
		}
		res.Rows = append(res.Rows, vals)
	}
	return res
}

// orderedObject decodes a JSON object's keys and values in order, numbers
// as json.Number.
func orderedObject(raw json.RawMessage) ([]string, []any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if _, err := dec.Token(); err != nil { // {
		return nil, nil, err
	}
	var keys []string
	var vals []any
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, nil, err
		}
		k, _ := tok.(string)
		var v any
		if err := dec.Decode(&v); err != nil {
			return nil, nil, err
		}
		keys, vals = append(keys, k), append(vals, v)
	}
	return keys, vals, nil
}
