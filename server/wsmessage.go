package server

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/apperr"
)

// errNULMessage refuses a chat message holding a NUL character.
const errNULMessage = "the message contains a NUL character"

// kindStop asks the running turn to stop.
const kindStop = "stop"

// clientMessage is a client message as it arrives.
type clientMessage struct {
	Type string          `json:"type"`
	Text json.RawMessage `json:"text"`
}

// clientRequest is a client message that passed validation: Kind is
// agent.KindMessage (with Text trimmed, non-empty, valid UTF-8 and at most
// wsMaxText characters), agent.KindAutoAnalyze or kindStop.
type clientRequest struct {
	Kind string
	Text string
}

// decodeClientMessage validates one client message. It is pure, so that it
// can be fuzzed; an error's message is safe to send back as it is.
func decodeClientMessage(raw []byte) (clientRequest, error) {
	var msg clientMessage
	if err := json.Unmarshal(raw, &msg); err != nil {
		return clientRequest{}, apperr.New(apperr.Invalid, `messages must be JSON objects such as {"type": "message", "text": "..."}`)
	}
	switch msg.Type {
	case agent.KindMessage:
		var text string
		if err := json.Unmarshal(msg.Text, &text); err != nil {
			return clientRequest{}, apperr.New(apperr.Invalid, `a message needs a "text" string`)
		}
		text = strings.TrimSpace(text)
		switch {
		case text == "":
			return clientRequest{}, apperr.New(apperr.Invalid, "the message is empty")
		case !utf8.ValidString(text):
			return clientRequest{}, apperr.New(apperr.Invalid, "the message is not valid UTF-8")
		case strings.ContainsRune(text, 0):
			// Neither the database's text nor the SQL engine takes it.
			return clientRequest{}, apperr.New(apperr.Invalid, errNULMessage)
		case utf8.RuneCountInString(text) > wsMaxText:
			return clientRequest{}, apperr.New(apperr.Invalid, fmt.Sprintf("the message is longer than %d characters", wsMaxText))
		}
		return clientRequest{Kind: agent.KindMessage, Text: text}, nil
	case agent.KindAutoAnalyze, kindStop:
		return clientRequest{Kind: msg.Type}, nil
	case "":
		return clientRequest{}, apperr.New(apperr.Invalid, `the message has no "type"`)
	default:
		return clientRequest{}, apperr.New(apperr.Invalid, fmt.Sprintf("unknown message type %q: use message, auto_analyze or stop", truncate(msg.Type, 40)))
	}
}
