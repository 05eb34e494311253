package agent

import "encoding/json"

// ToolCallData is the Data of a tool_call record: the model's request as it
// made it, so that a later turn can replay it.
type ToolCallData struct {
	ID    string          `json:"id"`
	Name  string          `json:"name"`
	Input json.RawMessage `json:"input"`
}

// PlotMeta is the Data of a plot record: what the model asked for, beside
// the chart itself in PlotData.
type PlotMeta struct {
	ToolUseID string `json:"tool_use_id,omitempty"`
	SQL       string `json:"sql"`
	Points    int    `json:"points"`
}

// PlotData is the payload of a plot event and the PlotData of its record.
type PlotData struct {
	Title        string         `json:"title"`
	VegaLiteSpec map[string]any `json:"vega_lite_spec"`
}

// ToolResultData is the Data of a tool_result record: a tool outcome that is
// neither a query result nor a plot (a chart that could not be drawn), kept
// so that replay pairs it with its call. The UI does not show these.
type ToolResultData struct {
	ToolUseID string `json:"tool_use_id"`
	IsError   bool   `json:"is_error"`
}
