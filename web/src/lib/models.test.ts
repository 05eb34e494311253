// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { chatReducer, initialChat, itemsFromMessages } from './chat';
import { choiceLabel, formatCost, formatTokens, modelName, totalTokens, usageDetail } from './models';
import type { Message, ServerEvent } from './types';

describe('the cost meter', () => {
  it('writes token counts short', () => {
    expect([0, 950, 1290, 12_345, 999_999, 2_500_000].map(formatTokens)).toEqual(['0', '950', '1.3k', '12k', '1000k', '2.5M']);
  });

  it('writes costs as estimates, local as free, unknown as unknown', () => {
    expect(formatCost({ usd: 0.000653 })).toBe('≈ $0.00065');
    expect(formatCost({ usd: 1.2345 })).toBe('≈ $1.23');
    expect(formatCost({ usd: 0, local: true })).toBe('local, free');
    expect(formatCost({ usd: 0, unknown: true })).toBe('cost unknown');
    expect(formatCost({ usd: 0.5, unknown: true })).toBe('≈ $0.50 + unpriced');
  });

  it('counts every token, cache included, and says which is which', () => {
    const u = { input_tokens: 100, output_tokens: 20, cache_read_tokens: 50, cache_write_tokens: 10 };
    expect(totalTokens(u)).toBe(180);
    expect(usageDetail(u)).toBe('Tokens: 100 in, 20 out, 50 read from cache, 10 written to cache');
  });

  it('names who answered', () => {
    expect(modelName({ name: 'builtin', model: '' })).toBe('Built-in analyst');
    expect(modelName({ name: 'openai', model: 'qwen2.5:7b', local: true })).toBe('qwen2.5:7b');
    expect(choiceLabel({ provider: 'anthropic', model: '' })).toBe('Claude');
  });
});

describe('the answer meter in the conversation', () => {
  const model = { name: 'anthropic', model: 'claude-sonnet-4-5' };
  const usage = { input_tokens: 100, output_tokens: 20 };

  it('follows an answer when done names its model, not a plain SQL turn', () => {
    let s = chatReducer(initialChat, { type: 'send', text: 'q' });
    s = chatReducer(s, { type: 'event', event: { event: 'text', data: { text: 'Hi' } } as ServerEvent });
    s = chatReducer(s, { type: 'event', event: { event: 'done', data: { data_updated: false, stopped: false, model, usage, cost: { usd: 0.0006 } } } });
    expect(s.items.map((i) => i.kind)).toEqual(['user', 'text', 'meter']);
    expect(s.items[2]).toMatchObject({ answer: { model, usage, cost: { usd: 0.0006 } } });

    s = chatReducer(s, { type: 'send', text: 'SELECT 1' });
    s = chatReducer(s, { type: 'event', event: { event: 'done', data: { data_updated: false, stopped: false } } });
    expect(s.items.at(-1)?.kind).toBe('user');
  });

  it('shows the budget notice before the answer', () => {
    let s = chatReducer(initialChat, { type: 'send', text: 'q' });
    s = chatReducer(s, { type: 'event', event: { event: 'notice', data: { message: 'You have used this month’s model budget' } } });
    expect(s.items[1]).toMatchObject({ kind: 'notice', tone: 'warning', text: 'You have used this month’s model budget' });
  });

  it('comes back on reload from the answer’s last message', () => {
    const messages: Message[] = [
      { id: 'u', role: 'user', type: 'text', text: 'q' },
      { id: 'a', role: 'assistant', type: 'text', text: 'A', answer: { model, usage, cost: { usd: 0.0006 } } },
    ];
    const items = itemsFromMessages(messages);
    expect(items.map((i) => i.kind)).toEqual(['user', 'text', 'meter']);
  });
});
