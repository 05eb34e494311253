// A fake OpenAI-compatible server for the browser tests (what Ollama,
// LM Studio, llama.cpp and vLLM serve), speaking the real wire format as
// agent/llm/openai/openaitest does for Go tests: GET /v1/models lists its
// models; POST /v1/chat/completions streams the next scripted answer as
// chat.completion.chunk events, ending with a usage chunk and [DONE]; a
// request without stream (a session title) gets a JSON completion.
import { createServer } from 'node:http';

/** A text answer in pieces, with the usage the server reports. */
export const answer = (usage, ...pieces) => ({ pieces, usage });

function chunk(model, delta, finish = null) {
  return { id: 'chatcmpl-e2e', object: 'chat.completion.chunk', created: 1767225600, model, choices: [{ index: 0, delta, finish_reason: finish }] };
}

const usageOf = (u) => ({ prompt_tokens: u.prompt, completion_tokens: u.completion, total_tokens: u.prompt + u.completion });

/** Starts the fake on a free loopback port, serving models and answering with script in order. */
export function startFakeOpenAI(models, script, title = 'Orders by region') {
  const queue = [...script];
  const requests = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      let parsed = {};
      try {
        parsed = JSON.parse(body);
      } catch {
        /* not JSON (GET) */
      }
      requests.push({ method: req.method, path: req.url, body: parsed });
      const json = (status, v) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(v));
      if (req.method === 'GET' && req.url === '/v1/models') {
        json(200, { object: 'list', data: models.map((id) => ({ id, object: 'model', created: 1767225600, owned_by: 'library' })) });
        return;
      }
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        json(404, { error: { message: 'no such endpoint', type: 'invalid_request_error' } });
        return;
      }
      const model = parsed.model;
      if (!parsed.stream) {
        json(200, {
          id: 'chatcmpl-title', object: 'chat.completion', created: 1767225600, model,
          choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: title } }],
          usage: usageOf({ prompt: 40, completion: 4 }),
        });
        return;
      }
      const next = queue.shift();
      if (!next) {
        json(500, { error: { message: 'script exhausted', type: 'server_error' } });
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const send = (v) => res.write(`data: ${JSON.stringify(v)}\n\n`);
      send(chunk(model, { role: 'assistant', content: '' }));
      for (const p of next.pieces) send(chunk(model, { content: p }));
      send(chunk(model, {}, 'stop'));
      send({ id: 'chatcmpl-e2e', object: 'chat.completion.chunk', created: 1767225600, model, choices: [], usage: usageOf(next.usage) });
      res.end('data: [DONE]\n\n');
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const port = server.address().port;
      resolve({ port, url: `http://127.0.0.1:${port}/v1`, requests, close: () => new Promise((r) => server.close(r)) });
    });
  });
}
