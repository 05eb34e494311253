import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { chatReducer, initialChat, itemsFromMessages } from '../lib/chat';
import type { Suggestion } from '../lib/events.gen';
import { Rephrasings } from './Rephrasings';

const offered: Suggestion[] = [
  { label: 'how many rows where home is Boston', text: 'how many rows where home is Boston', kind: 'message' },
  { label: 'count of rows by venue', text: 'count of rows by venue', kind: 'message' },
  { label: 'Auto-analyze', kind: 'auto_analyze' },
];

describe('Rephrasings', () => {
  it('sends a rephrasing with one click', () => {
    const onAsk = vi.fn();
    const onAutoAnalyze = vi.fn();
    render(<Rephrasings suggestions={offered} onAsk={onAsk} onAutoAnalyze={onAutoAnalyze} />);
    fireEvent.click(screen.getByRole('button', { name: 'count of rows by venue' }));
    expect(onAsk).toHaveBeenCalledWith('count of rows by venue');
    expect(onAutoAnalyze).not.toHaveBeenCalled();
  });

  it('runs Auto-analyze from its button', () => {
    const onAsk = vi.fn();
    const onAutoAnalyze = vi.fn();
    render(<Rephrasings suggestions={offered} onAsk={onAsk} onAutoAnalyze={onAutoAnalyze} />);
    fireEvent.click(screen.getByRole('button', { name: /Auto-analyze/ }));
    expect(onAutoAnalyze).toHaveBeenCalledOnce();
    expect(onAsk).not.toHaveBeenCalled();
  });

  it('disables the buttons while a turn runs', () => {
    render(<Rephrasings suggestions={offered} onAsk={vi.fn()} onAutoAnalyze={vi.fn()} disabled />);
    for (const b of screen.getAllByRole('button')) expect((b as HTMLButtonElement).disabled).toBe(true);
  });

  it('shows nothing it cannot send', () => {
    const { container } = render(<Rephrasings suggestions={offered} />);
    expect(container.textContent).toBe('');
  });
});

describe('suggestions in the conversation', () => {
  it('come from the suggestions event', () => {
    const state = chatReducer(initialChat, { type: 'event', event: { event: 'suggestions', data: { suggestions: offered } } });
    const last = state.items[state.items.length - 1];
    expect(last.kind).toBe('suggestions');
    expect(last.kind === 'suggestions' && last.suggestions).toEqual(offered);
  });

  it('come back from the stored messages', () => {
    const items = itemsFromMessages([
      { id: 'a', role: 'assistant', type: 'suggestions', data: { suggestions: offered } },
    ]);
    expect(items).toHaveLength(1);
    expect(items[0].kind === 'suggestions' && items[0].suggestions.length).toBe(3);
  });
});
