package chat

import (
	"context"
	"encoding/json"
	"time"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/storage"
)

// Message is a stored message as a client reloads it (GET
// /api/sessions/{id}): the contract's fields with ours added.
type Message struct {
	ID        string           `json:"id"`
	Role      agent.Role       `json:"role"`
	Text      string           `json:"text"`
	Type      agent.RecordType `json:"type"`
	PlotData  storage.JSON     `json:"plot_data"`
	CreatedAt time.Time        `json:"created_at"`
	Data      storage.JSON     `json:"data"`
	Usage     storage.JSON     `json:"usage"`
	Stopped   bool             `json:"stopped"`
	// Kind is what a user message asked for (message, auto_analyze).
	Kind agent.Kind `json:"kind,omitempty"`
	// Answer is set on the last message the client shows of each answer:
	// who answered, the tokens of all its model calls and their cost.
	Answer *agent.AnswerUsage `json:"answer,omitempty"`
}

// visible reports whether the client shows records of type t: tool calls
// and tool results are kept only for the model's replay.
func visible(t agent.RecordType) bool {
	return t != agent.TypeToolCall && t != agent.TypeToolResult
}

// Transcript returns the session's current conversation as the client
// shows it, oldest first: replaced messages and replay-only records left
// out.
func (c *Chats) Transcript(ctx context.Context, sessionID string) ([]Message, error) {
	msgs, err := c.store.ListMessages(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	out := make([]Message, 0, len(msgs))
	var answer *agent.AnswerUsage // the answer being read
	last := -1                    // its last shown message in out
	end := func() {
		if answer != nil && last >= 0 {
			out[last].Answer = answer
		}
		answer, last = nil, -1
	}
	for _, m := range msgs {
		if m.Role == string(agent.RoleUser) {
			end()
		} else if m.Provider != "" {
			if answer == nil {
				answer = &agent.AnswerUsage{Model: agent.Info{Name: m.Provider, Model: m.Model, Local: m.ModelLocal}}
				answer.Cost.Local = m.ModelLocal
			}
			answer.Usage.Add(agent.Usage{InputTokens: m.InputTokens, OutputTokens: m.OutputTokens,
				CacheReadTokens: m.CacheReadTokens, CacheWriteTokens: m.CacheWriteTokens})
			if m.CostNanoUSD == storage.UnknownCost {
				answer.Cost.Unknown = true
			} else {
				answer.Cost.USD += float64(m.CostNanoUSD) / 1e9
			}
		}
		if !visible(agent.RecordType(m.Type)) {
			continue
		}
		out = append(out, Message{
			ID: m.ID, Role: agent.Role(m.Role), Text: m.Text, Type: agent.RecordType(m.Type),
			PlotData: m.PlotData, CreatedAt: m.CreatedAt, Data: m.Data, Usage: m.Usage,
			Stopped: m.Stopped, Kind: agent.Kind(m.Kind),
		})
		if m.Role == string(agent.RoleAssistant) {
			last = len(out) - 1
		}
	}
	end()
	return out, nil
}

// Records maps stored messages to the records the agent replays.
func Records(msgs []storage.Message) []agent.Record {
	out := make([]agent.Record, 0, len(msgs))
	for _, m := range msgs {
		r := agent.Record{Role: agent.Role(m.Role), Type: agent.RecordType(m.Type), Kind: agent.Kind(m.Kind), Text: m.Text, Stopped: m.Stopped}
		if len(m.PlotData) > 0 {
			r.PlotData = json.RawMessage(m.PlotData)
		}
		if len(m.Data) > 0 {
			r.Data = json.RawMessage(m.Data)
		}
		out = append(out, r)
	}
	return out
}

// toMessage maps a record to the row that stores it.
func toMessage(sessionID string, r agent.Record) *storage.Message {
	m := &storage.Message{
		SessionID: sessionID,
		Role:      string(r.Role),
		Type:      string(r.Type),
		Kind:      string(r.Kind),
		Text:      r.Text,
		PlotData:  storage.JSON(r.PlotData),
		Data:      storage.JSON(r.Data),
		Stopped:   r.Stopped,
	}
	if r.Usage != nil {
		m.Usage = storage.MustJSON(r.Usage)
	}
	return m
}
