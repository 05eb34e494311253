// Package llm is the analyst that answers with a language model: the
// bounded tool loop (generate_query, create_plot), the system prompt built
// from the dataset's description, the auto-analyze request built from its
// findings, and the replay of a stored conversation as model messages.
// Providers live beneath it (llm/anthropic, llm/openai) and implement
// Model only; the turn's contract (Request, Reply, records) is package
// agent's.
package llm

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/apperr"
	"github.com/analyzerhq/analyzer/duck"
)

// Options tunes a Analyst. Zero values take the defaults.
type Options struct {
	// SendRows lets sample rows and top values go to the model in the
	// system prompt; when false it sees only names, types and aggregate
	// statistics (query results still go to it: that is how it answers).
	SendRows bool
	// MaxRounds bounds the tool rounds of one turn (default 8); after the
	// last one the model must answer in text.
	MaxRounds int
	// MaxTokens bounds the output of one model call (default 4096).
	MaxTokens int64
	// MaxTurnTokens bounds the output tokens of a whole turn (default
	// 16384): past it the model must answer in text.
	MaxTurnTokens int64
	// MaxPlotPoints bounds a chart's rows (default DefaultMaxPlotPoints).
	MaxPlotPoints int
	// RetryAttempts is the number of calls made for one model round when
	// the provider is rate limited or overloaded (default 4: three retries).
	RetryAttempts int
	// RetryBase is the first wait, doubled each retry (default 2s); a
	// provider's Retry-After longer than that wins, up to RetryMax (30s).
	RetryBase time.Duration
	RetryMax  time.Duration
	Log       *slog.Logger
	// Changer, when set, gives the model the transform_data tool.
	Changer agent.Changer
}

// Analyst is an Analyst over any Model: it builds the prompt from the
// dataset's profile, replays the stored history, runs the bounded tool loop
// (generate_query, create_plot), streams text to the sink, keeps every
// completed piece as a record, retries rate limits and overloads with
// backoff, and names sessions. A provider only implements Model.
type Analyst struct {
	model  Model
	engine agent.Engine
	tools  []tool
	byName map[string]tool
	opts   Options
	retry  retryPolicy
	log    *slog.Logger
}

var _ agent.Analyst = (*Analyst)(nil)

// NewAnalyst returns an analyst answering with model and querying
// through engine.
func NewAnalyst(model Model, engine agent.Engine, opts Options) *Analyst {
	if opts.MaxRounds <= 0 {
		opts.MaxRounds = 8
	}
	if opts.MaxTokens <= 0 {
		opts.MaxTokens = 4096
	}
	if opts.MaxTurnTokens <= 0 {
		opts.MaxTurnTokens = 16384
	}
	if opts.RetryAttempts <= 0 {
		opts.RetryAttempts = 4
	}
	if opts.RetryBase <= 0 {
		opts.RetryBase = 2 * time.Second
	}
	if opts.RetryMax <= 0 {
		opts.RetryMax = 30 * time.Second
	}
	log := opts.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	a := &Analyst{
		model:  model,
		engine: engine,
		opts:   opts,
		retry:  retryPolicy{Attempts: opts.RetryAttempts, Base: opts.RetryBase, Max: opts.RetryMax},
		log:    log,
		byName: map[string]tool{},
	}
	a.tools = []tool{NewGenerateQuery(engine), NewCreatePlot(engine, opts.MaxPlotPoints)}
	if opts.Changer != nil {
		a.tools = append(a.tools, NewTransformData(opts.Changer, model.Info().Model))
	}
	for _, t := range a.tools {
		a.byName[t.Spec().Name] = t
	}
	return a
}

// Info names the model that answers.
func (a *Analyst) Info() agent.Info { return a.model.Info() }

// Answer runs one turn.
func (a *Analyst) Answer(ctx context.Context, req agent.Request, reply *agent.Reply) (agent.Usage, error) {
	t := &modelTurn{a: a, req: req, reply: reply}
	err := t.run(ctx)
	return t.usage, err
}

// modelTurn is the state of one Answer.
type modelTurn struct {
	a     *Analyst
	req   agent.Request
	reply *agent.Reply
	usage agent.Usage // the whole turn's
}

func (t *modelTurn) run(ctx context.Context) error {
	a := t.a
	ds := t.req.Dataset
	ds.Profile = a.profile(ctx, ds)
	var sample *duck.Result
	if a.opts.SendRows {
		sample = sampleRows(ctx, a.engine, ds.SessionID)
	}
	system := SystemPrompt(ds, sample, a.opts.SendRows)
	if a.opts.Changer != nil {
		system += changeRules
	}
	msgs := History(t.req.History)

	question := t.req.Text
	var links string
	if t.req.Kind == agent.KindAutoAnalyze {
		t.reply.Status("Looking for patterns…")
		if err := ctx.Err(); err != nil {
			return err
		}
		question = UnprofiledAutoAnalyzePrompt()
		if ds.Profile != nil {
			question = AutoAnalyzePrompt(ds.Profile.Findings)
		}
	} else {
		links = a.questionLinks(ctx, ds.SessionID, question)
		if more := otherTableLinks(question, ds, a.opts.SendRows); more != "" {
			links = strings.TrimSpace(links + "\n" + more)
		}
	}
	if strings.TrimSpace(question) == "" {
		return apperr.New(apperr.Invalid, "the message is empty")
	}
	blocks := []Block{TextBlock(question)}
	if links != "" {
		blocks = append(blocks, TextBlock(links))
	}
	msgs = appendMessage(msgs, agent.RoleUser, blocks...)

	specs := make([]ToolSpec, len(a.tools))
	for i, tl := range a.tools {
		specs[i] = tl.Spec()
	}
	env := toolEnv{SessionID: ds.SessionID, Dataset: ds}

	for round := 0; ; round++ {
		last := round >= a.opts.MaxRounds || t.usage.OutputTokens >= a.opts.MaxTurnTokens
		resp, err := t.call(ctx, Request{System: system, Messages: msgs, Tools: specs, NoTools: last, MaxTokens: a.opts.MaxTokens})
		if err != nil {
			return err
		}
		calls := resp.ToolUses()
		wantsTools := resp.StopReason == StopToolUse && len(calls) > 0 && !last
		if err := t.keepResponse(resp, wantsTools); err != nil {
			return err
		}
		if !wantsTools {
			return t.finish(resp)
		}

		msgs = appendMessage(msgs, agent.RoleAssistant, resp.Content...)
		results := make([]Block, 0, len(calls))
		for _, c := range calls {
			env.ToolUseID = c.ID
			out := t.runTool(ctx, env, c)
			if err := out.deliver(t.reply, c.ID); err != nil {
				return err
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			results = append(results, Block{Type: BlockToolResult, ToolUseID: c.ID, Text: out.Content, IsError: out.IsError})
		}
		msgs = appendMessage(msgs, agent.RoleUser, results...)
	}
}

func (t *modelTurn) runTool(ctx context.Context, env toolEnv, c Block) toolOutput {
	tl, ok := t.a.byName[c.Name]
	if !ok {
		return errorOutput(fmt.Sprintf("there is no tool named %q; use generate_query or create_plot", c.Name))
	}
	t.reply.Status(tl.Status())
	return tl.Call(ctx, env, c.Input)
}

// keepResponse keeps a completed model message: its text as one record,
// then one record per tool call that will run, in order.
func (t *modelTurn) keepResponse(resp *Response, withTools bool) error {
	if err := t.reply.EndText(); err != nil {
		return err
	}
	if !withTools {
		return nil
	}
	for _, b := range resp.ToolUses() {
		if err := t.reply.ToolCall(agent.ToolCallData{ID: b.ID, Name: b.Name, Input: b.Input}); err != nil {
			return err
		}
	}
	return nil
}

// finish ends a turn whose last model message asked for no more tools,
// saying so when the answer was cut short.
func (t *modelTurn) finish(resp *Response) error {
	var note string
	switch {
	case resp.StopReason == StopMaxTokens:
		note = "\n\n*(The answer reached its length limit and was cut here.)*"
	case resp.StopReason == StopToolUse:
		note = "\n\n*(Stopped here: this turn used all its queries. Ask a narrower question to go on.)*"
	case resp.StopReason == StopRefusal && !hasText(resp):
		note = "I can't help with that request."
	}
	if note == "" {
		return nil
	}
	t.reply.Text(note)
	return t.reply.EndText()
}

func hasText(resp *Response) bool {
	for _, b := range resp.Content {
		if b.Type == BlockText && strings.TrimSpace(b.Text) != "" {
			return true
		}
	}
	return false
}

// call makes one model call, streaming its text to the user (a provider
// that streamed nothing has its text sent when the call completes). Rate
// limits and overloads are retried with backoff while nothing has been
// streamed. When the call fails or is stopped after text was streamed,
// that text stays in the reply (kept when the turn ends, marked stopped on
// a stop) and the call is not retried.
func (t *modelTurn) call(ctx context.Context, req Request) (*Response, error) {
	for attempt := 0; ; attempt++ {
		streamed := false
		resp, err := t.a.model.Stream(ctx, req, func(_ int, delta string) {
			if delta == "" {
				return
			}
			streamed = true
			t.reply.Text(delta)
		})
		if resp != nil {
			t.usage.Add(resp.Usage)
			t.reply.Usage(resp.Usage)
		}
		if err == nil {
			if resp == nil {
				return nil, apperr.New(apperr.Unavailable, "The model returned no answer.")
			}
			if !streamed {
				for _, b := range resp.Content {
					if b.Type == BlockText {
						t.reply.Text(b.Text)
					}
				}
			}
			return resp, nil
		}
		if streamed {
			return nil, err
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if !IsRetryable(err) || attempt+1 >= t.a.retry.Attempts {
			return nil, err
		}
		var hint time.Duration
		if e, ok := apperr.As(err); ok {
			hint = e.RetryAfter
		}
		wait := t.a.retry.wait(attempt, hint)
		what := "Model busy"
		if apperr.KindOf(err) == apperr.TooMany {
			what = "Rate limited"
		}
		t.a.log.Info("model call failed, retrying", "session", t.req.Dataset.SessionID, "attempt", attempt+1, "wait", wait, "err", err)
		t.reply.Status(fmt.Sprintf("%s, retrying in %s…", what, humanWait(wait)))
		timer := time.NewTimer(wait)
		select {
		case <-timer.C:
		case <-ctx.Done():
			timer.Stop()
			return nil, ctx.Err()
		}
	}
}

func humanWait(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%dms", d.Milliseconds())
	}
	return fmt.Sprintf("%ds", int((d+time.Second/2)/time.Second))
}

// Title proposes a short title from the user's first message.
func (a *Analyst) Title(ctx context.Context, req agent.Request) (string, error) {
	ask := fmt.Sprintf("The user's first message: %q", req.Text)
	if req.Kind == agent.KindAutoAnalyze || strings.TrimSpace(req.Text) == "" {
		ask = "The user asked for an automatic overview of the dataset."
	}
	names := make([]string, 0, len(req.Dataset.Columns))
	for i, c := range req.Dataset.Columns {
		if i == 30 {
			break
		}
		names = append(names, c.Name)
	}
	prompt := fmt.Sprintf("A data-analysis conversation about the file %q (columns: %s).\n%s\n\n"+
		"Write a title for this conversation of at most six words. Answer with the title only: no quotes, no final period.",
		req.Dataset.Filename, strings.Join(names, ", "), ask)
	out, err := a.model.Complete(ctx, CompletionRequest{
		System:    "You name data-analysis conversations with short, specific titles.",
		Prompt:    prompt,
		MaxTokens: 30,
	})
	if err != nil {
		return "", err
	}
	return cleanTitle(out), nil
}

// cleanTitle keeps the first line of a model's title, without quotes,
// markdown or a final period, at most 80 characters.
func cleanTitle(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimPrefix(s, "Title:")
	s = strings.Trim(strings.TrimSpace(s), "\"'`*#“”‘’ ")
	s = strings.TrimRight(s, ".")
	if r := []rune(s); len(r) > 80 {
		s = strings.TrimSpace(string(r[:80]))
	}
	return s
}
