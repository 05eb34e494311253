import { describe, expect, it } from 'vitest';
import { chatReducer, initialChat, itemsFromMessages } from './chat';
import type { Part } from './events.gen';
import { renderMarkdown } from './markdown';
import { markFiguresHTML, sourceTitle, traceSummary, UNTRACED_TITLE } from './trace';
import type { Message } from './types';

const part: Part = {
  figures: [
    { start: 4, end: 7, text: '641', value: 641, source: { result: 0, row: 0, column: 'n', value: 641, kind: 'cell' } },
    { start: 20, end: 23, text: '44%', value: 44, source: { result: 0, row: 0, column: 'n', value: 641, kind: 'share', of: { result: 0, row: 0, column: 'days', value: 1461 } } },
    { start: 40, end: 44, text: '7.77', value: 7.77 },
  ],
  traced: 2,
};
const text = 'Sun **641** days, or 44% of them; hail `7.77` in code, and 7.77 here. 1641 is not it.';

function dom(html: string): HTMLElement {
  const d = document.createElement('div');
  d.innerHTML = html;
  return d;
}

describe('markFiguresHTML', () => {
  it('links traced figures and marks untraced ones, outside code', () => {
    const d = dom(markFiguresHTML(renderMarkdown(text), part.figures));
    const links = [...d.querySelectorAll('a.fig-traced')];
    expect(links.map((a) => a.textContent)).toEqual(['641', '44%']);
    expect(links[0].closest('strong')).toBeTruthy();
    expect(links[0].getAttribute('title')).toBe('n, row 1: 641 (result 1)');
    expect(links[1].getAttribute('title')).toBe('n, row 1: 641 of days, row 1: 1461 (result 1)');
    expect(links.map((a) => a.getAttribute('data-fig'))).toEqual(['0', '1']);
    const marks = [...d.querySelectorAll('.fig-untraced')];
    expect(marks).toHaveLength(1);
    expect(marks[0].textContent).toBe('7.77');
    expect(marks[0].closest('code')).toBeNull();
    expect(marks[0].getAttribute('title')).toBe(UNTRACED_TITLE);
    expect(d.textContent).toContain('1641 is not it.');
  });

  it('leaves text without figures alone', () => {
    const html = renderMarkdown(text);
    expect(markFiguresHTML(html, [])).toBe(html);
    expect(markFiguresHTML(html, undefined)).toBe(html);
  });

  it('finds a figure not inside a longer number', () => {
    const d = dom(markFiguresHTML(renderMarkdown('1,641 and 641.'), [{ start: 10, end: 13, text: '641', value: 641 }]));
    expect(d.querySelector('.fig-untraced')?.previousSibling?.textContent).toBe('1,641 and ');
  });
});

describe('trace summary and sources', () => {
  it('counts figures over the parts of an answer', () => {
    expect(traceSummary([part])).toEqual({ text: '2 of 3 traced', all: false });
    expect(traceSummary([{ figures: part.figures.slice(0, 2), traced: 2 }, undefined])).toEqual({ text: '2 of 2 figures traced', all: true });
    expect(traceSummary([{ figures: [], traced: 0 }])).toBeNull();
  });

  it('describes row counts and totals', () => {
    expect(sourceTitle({ result: 1, row: -1, value: 4, kind: 'row_count' })).toBe('row count: 4 (result 2)');
    expect(sourceTitle({ result: 0, row: -1, column: 'n', value: 1461, kind: 'total' })).toBe('total of n: 1461 (result 1)');
  });
});

describe('traces in the conversation', () => {
  it('done gives the answer’s text parts their traces, in order', () => {
    let s = chatReducer(initialChat, { type: 'send', text: 'how many sunny days?' });
    s = chatReducer(s, { type: 'event', event: { event: 'text', data: { text: 'Counting.' } } });
    s = chatReducer(s, { type: 'event', event: { event: 'query_result', data: { sql: 'SELECT 1', result: [{ n: 641 }], is_error: false, columns: ['n'], row_count: 1, truncated: false, elapsed_ms: 1 } } });
    s = chatReducer(s, { type: 'event', event: { event: 'text', data: { text: text } } });
    s = chatReducer(s, {
      type: 'event',
      event: { event: 'done', data: { data_updated: false, stopped: false, trace: { figures: 3, traced: 2, untraced: 1, parts: [{ figures: [], traced: 0 }, part] } } },
    });
    const texts = s.items.filter((it) => it.kind === 'text');
    expect(texts.map((t) => (t.kind === 'text' ? t.trace?.traced : -1))).toEqual([0, 2]);
  });

  it('a reload reads each text’s trace from its data', () => {
    const msgs: Message[] = [
      { id: 'u', role: 'user', type: 'text', text: 'q' },
      { id: 't', role: 'assistant', type: 'text', text, data: part as unknown as Record<string, unknown> },
      { id: 't2', role: 'assistant', type: 'text', text: 'old answer' },
    ];
    const items = itemsFromMessages(msgs);
    expect(items[1].kind === 'text' && items[1].trace?.figures.length).toBe(3);
    expect(items[2].kind === 'text' && items[2].trace).toBeUndefined();
  });
});
