import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SessionSummary } from '../lib/types';
import { SEARCH_DELAY_MS, sessionMeta, Sidebar, uploadedLabel } from './Sidebar';

const now = new Date();
const sessions: SessionSummary[] = [
  { id: 'a', title: 'Rain per month', created_at: now.toISOString(), filename: 'weather.csv', row_count: 1461, column_count: 6, size_bytes: 48219 },
  { id: 'b', title: 'weather.csv', created_at: now.toISOString(), filename: 'weather.csv', row_count: 1461, column_count: 6, size_bytes: 48219 },
];

function renderSidebar(over: Partial<Parameters<typeof Sidebar>[0]> = {}) {
  const props = {
    onSearch: vi.fn<(q: string) => void>(),
    onRename: vi.fn(async (_s: SessionSummary, _t: string) => {}),
    sessions,
    error: null,
    activeId: null,
    email: 'a@b.co',
    onDelete: vi.fn(),
    onSignOut: vi.fn(),
    onClose: vi.fn(),
    onRetry: vi.fn(),
    ...over,
  };
  render(<Sidebar {...props} />);
  return props;
}

afterEach(() => vi.useRealTimers());

describe('Sidebar', () => {
  it("shows each file's name, size and upload time", () => {
    expect(sessionMeta(sessions[0], now)).toBe(`weather.csv · 47.1 KB · ${uploadedLabel(now.toISOString(), now)}`);
    // The title is the file name: it is not repeated.
    expect(sessionMeta(sessions[1], now)).toBe(`47.1 KB · ${uploadedLabel(now.toISOString(), now)}`);
    expect(uploadedLabel('2020-03-04T10:00:00Z', now)).toMatch(/2020/);
    renderSidebar();
    expect(screen.getAllByText(/47\.1 KB/)).toHaveLength(2);
  });

  it('searches once typing pauses, and clears with Escape', () => {
    vi.useFakeTimers();
    const onSearch = vi.fn<(q: string) => void>();
    const props = { ...renderSidebar({ onSearch }), onSearch };
    const box = screen.getByRole('searchbox', { name: /search analyses/i });
    act(() => vi.advanceTimersByTime(SEARCH_DELAY_MS));
    onSearch.mockClear();
    fireEvent.change(box, { target: { value: 'we' } });
    fireEvent.change(box, { target: { value: 'weather ' } });
    act(() => vi.advanceTimersByTime(SEARCH_DELAY_MS - 1));
    expect(props.onSearch).not.toHaveBeenCalled();
    act(() => vi.advanceTimersByTime(1));
    expect(props.onSearch).toHaveBeenCalledExactlyOnceWith('weather');
    fireEvent.keyDown(box, { key: 'Escape' });
    act(() => vi.advanceTimersByTime(SEARCH_DELAY_MS));
    expect(props.onSearch).toHaveBeenLastCalledWith('');
  });

  it('says when a search finds nothing', () => {
    renderSidebar({ sessions: [], search: 'zebra' });
    expect(screen.getByText(/No analysis matches “zebra”/)).toBeTruthy();
  });

  it('renames in place: Enter saves the trimmed title', async () => {
    const props = renderSidebar();
    fireEvent.click(screen.getByRole('button', { name: 'Rename Rain per month' }));
    const input = screen.getByRole('textbox', { name: 'New title' }) as HTMLInputElement;
    expect(input.value).toBe('Rain per month');
    fireEvent.change(input, { target: { value: '  Rain   in Seattle ' } });
    await act(async () => {
      fireEvent.submit(input.closest('form')!);
    });
    expect(props.onRename).toHaveBeenCalledWith(sessions[0], 'Rain in Seattle');
  });

  it('keeps the form and shows why when a rename is refused; Escape cancels', async () => {
    const onRename = vi.fn(async () => {
      throw new Error('the title is longer than 200 characters');
    });
    renderSidebar({ onRename });
    fireEvent.click(screen.getByRole('button', { name: 'Rename Rain per month' }));
    const input = screen.getByRole('textbox', { name: 'New title' });
    fireEvent.change(input, { target: { value: 'x'.repeat(20) } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Save the title' }));
    });
    expect(screen.getByRole('alert').textContent).toMatch(/longer than 200/);
    fireEvent.keyDown(screen.getByRole('textbox', { name: 'New title' }), { key: 'Escape' });
    expect(screen.queryByRole('textbox', { name: 'New title' })).toBeNull();
    expect(screen.getByText('Rain per month')).toBeTruthy();
  });

  it('an unchanged title saves nothing', () => {
    const props = renderSidebar();
    fireEvent.click(screen.getByRole('button', { name: 'Rename Rain per month' }));
    fireEvent.submit(screen.getByRole('textbox', { name: 'New title' }).closest('form')!);
    expect(props.onRename).not.toHaveBeenCalled();
  });

  it('deletes without asking', () => {
    const props = renderSidebar();
    fireEvent.click(screen.getByRole('button', { name: 'Delete Rain per month' }));
    expect(props.onDelete).toHaveBeenCalledWith(sessions[0]);
  });
});
