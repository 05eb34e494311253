// A fake Anthropic Messages API for the browser test, speaking the real
// wire format as agent/llm/anthropic/anthropictest does (the Go fake runs
// inside Go tests only): streamed requests get the next scripted message
// as server-sent events, a request without stream (a session title) gets
// a JSON message.
import { createServer } from 'node:http';

/** A text block streamed in the given pieces. */
export const text = (...pieces) => ({ text: pieces });
/** A tool_use block. */
export const tool = (id, name, input) => ({ call: { id, name, input } });

function frames(blocks) {
  const out = [];
  const add = (event, data) => out.push(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  const stop = blocks.some((b) => b.call) ? 'tool_use' : 'end_turn';
  add('message_start', {
    type: 'message_start',
    message: { id: 'msg_e2e', type: 'message', role: 'assistant', model: 'claude-test', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 100, output_tokens: 1 } },
  });
  blocks.forEach((b, index) => {
    if (b.call) {
      add('content_block_start', { type: 'content_block_start', index, content_block: { type: 'tool_use', id: b.call.id, name: b.call.name, input: {} } });
      const json = JSON.stringify(b.call.input);
      for (let i = 0; i < json.length; i += 7) add('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: json.slice(i, i + 7) } });
    } else {
      add('content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
      for (const piece of b.text) add('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } });
    }
    add('content_block_stop', { type: 'content_block_stop', index });
  });
  add('message_delta', { type: 'message_delta', delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: 20 } });
  add('message_stop', { type: 'message_stop' });
  return out;
}

/** Starts the fake on a free loopback port; script is a list of messages (lists of blocks). */
export function startFakeClaude(script, title = 'Orders by region') {
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
        /* not JSON */
      }
      requests.push(parsed);
      if (req.method !== 'POST' || !req.url.startsWith('/v1/messages')) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"type":"error","error":{"type":"not_found_error","message":"no such endpoint"}}');
        return;
      }
      if (!parsed.stream) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({ id: 'msg_title', type: 'message', role: 'assistant', model: 'claude-test', content: [{ type: 'text', text: title }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 30, output_tokens: 5 } }),
        );
        return;
      }
      const next = queue.shift();
      if (!next) {
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"type":"error","error":{"type":"api_error","message":"script exhausted"}}');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      for (const f of frames(next)) res.write(f);
      res.end();
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}`, requests, close: () => new Promise((r) => server.close(r)) }));
  });
}
