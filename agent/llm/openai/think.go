package openai

import (
	"strings"
)

// Reasoning models served locally (DeepSeek-R1, Qwen3 on Ollama or
// llama.cpp) often write their chain of thought inline between <think> and
// </think>. It is not the answer: the user should not see it streamed, and it
// must not be stored or replayed as what the assistant said.

const (
	thinkOpen  = "<think>"
	thinkClose = "</think>"
)

// thinkFilter removes <think>…</think> spans from streamed text, tags split
// across deltas included.
type thinkFilter struct {
	in      bool   // inside a think span
	closed  bool   // a span just closed: drop the line breaks after it
	pending string // a possible partial tag held back
}

// feed takes a delta and returns the text to show.
func (f *thinkFilter) feed(s string) string {
	if s == "" {
		return ""
	}
	s = f.pending + s
	f.pending = ""
	var out strings.Builder
	for s != "" {
		tag := thinkOpen
		if f.in {
			tag = thinkClose
		}
		if f.closed {
			s = strings.TrimLeft(s, "\r\n")
			if s == "" {
				break
			}
			f.closed = false
		}
		if i := strings.Index(s, tag); i >= 0 {
			if !f.in {
				out.WriteString(s[:i])
			}
			f.in = !f.in
			f.closed = !f.in
			s = s[i+len(tag):]
			continue
		}
		// Hold back a suffix that may be the start of the tag.
		keep := partialSuffix(s, tag)
		if !f.in {
			out.WriteString(s[:len(s)-keep])
		}
		f.pending = s[len(s)-keep:]
		break
	}
	return out.String()
}

// flush returns text held back at the end of the stream.
func (f *thinkFilter) flush() string {
	p := f.pending
	f.pending = ""
	if f.in {
		return ""
	}
	return p
}

// partialSuffix is the length of the longest suffix of s that is a proper
// prefix of tag.
func partialSuffix(s, tag string) int {
	for n := min(len(tag)-1, len(s)); n > 0; n-- {
		if strings.HasSuffix(s, tag[:n]) {
			return n
		}
	}
	return 0
}

// stripThink removes think spans from a complete text.
func stripThink(s string) string {
	var f thinkFilter
	return strings.TrimSpace(f.feed(s) + f.flush())
}
