import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UndoToast } from './UndoToast';

afterEach(() => vi.useRealTimers());

describe('UndoToast', () => {
  it('offers Undo until its time is up, then goes', () => {
    vi.useFakeTimers();
    const onUndo = vi.fn();
    const onDismiss = vi.fn();
    render(<UndoToast message="Deleted “Sales”" seconds={28} onUndo={onUndo} onDismiss={onDismiss} />);
    expect(screen.getByRole('status').textContent).toMatch(/Deleted “Sales”/);
    fireEvent.click(screen.getByRole('button', { name: 'Undo' }));
    expect(onUndo).toHaveBeenCalledOnce();
    act(() => vi.advanceTimersByTime(27_999));
    expect(onDismiss).not.toHaveBeenCalled();
    act(() => vi.advanceTimersByTime(1));
    expect(onDismiss).toHaveBeenCalledOnce();
  });

  it('shows an error without an Undo', () => {
    render(<UndoToast message="" error="Not found." seconds={8} onUndo={vi.fn()} onDismiss={vi.fn()} />);
    expect(screen.getByRole('status').textContent).toMatch(/Not found/);
    expect(screen.queryByRole('button', { name: 'Undo' })).toBeNull();
  });
});
