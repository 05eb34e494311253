package server

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/analyzerhq/analyzer/apperr"
	"github.com/analyzerhq/analyzer/chat"
)

// errNULMessage refuses a chat message holding a NUL character.
const errNULMessage = "the message contains a NUL character"

// clientMessage is a client message as it arrives.
type clientMessage struct {
	Type      string          `json:"type"`
	Text      json.RawMessage `json:"text"`
	MessageID json.RawMessage `json:"message_id"`
}

// decodeClientMessage validates one client message: message and edit
// carry a text (trimmed, non-empty, valid UTF-8, no NUL, at most wsMaxText
// characters), retry and edit the id of a message; auto_analyze and stop
// carry nothing. It is pure, so that it can be fuzzed; an error's message
// is safe to send back as it is.
func decodeClientMessage(raw []byte) (chat.Command, error) {
	var msg clientMessage
	if err := json.Unmarshal(raw, &msg); err != nil {
		return chat.Command{}, apperr.New(apperr.Invalid, `messages must be JSON objects such as {"type": "message", "text": "..."}`)
	}
	cmd := chat.Command{Type: chat.CommandType(msg.Type)}
	switch cmd.Type {
	case chat.CommandMessage, chat.CommandEdit:
		text, err := decodeText(msg.Text)
		if err != nil {
			return chat.Command{}, err
		}
		cmd.Text = text
	case chat.CommandAutoAnalyze, chat.CommandStop, chat.CommandRetry:
	case "":
		return chat.Command{}, apperr.New(apperr.Invalid, `the message has no "type"`)
	default:
		return chat.Command{}, apperr.New(apperr.Invalid, fmt.Sprintf("unknown message type %q: use message, auto_analyze, stop, retry or edit", truncate(msg.Type, 40)))
	}
	if cmd.Type == chat.CommandRetry || cmd.Type == chat.CommandEdit {
		var id string
		if err := json.Unmarshal(msg.MessageID, &id); err != nil {
			return chat.Command{}, apperr.New(apperr.Invalid, `retry and edit need a "message_id" string`)
		}
		u, err := uuid.Parse(id)
		if err != nil {
			return chat.Command{}, apperr.New(apperr.Invalid, "the message_id is not a message id")
		}
		cmd.MessageID = u.String()
	}
	return cmd, nil
}

func decodeText(raw json.RawMessage) (string, error) {
	var text string
	if err := json.Unmarshal(raw, &text); err != nil {
		return "", apperr.New(apperr.Invalid, `a message needs a "text" string`)
	}
	text = strings.TrimSpace(text)
	switch {
	case text == "":
		return "", apperr.New(apperr.Invalid, "the message is empty")
	case !utf8.ValidString(text):
		return "", apperr.New(apperr.Invalid, "the message is not valid UTF-8")
	case strings.ContainsRune(text, 0):
		// Neither the database's text nor the SQL engine takes it.
		return "", apperr.New(apperr.Invalid, errNULMessage)
	case utf8.RuneCountInString(text) > wsMaxText:
		return "", apperr.New(apperr.Invalid, fmt.Sprintf("the message is longer than %d characters", wsMaxText))
	}
	return text, nil
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
