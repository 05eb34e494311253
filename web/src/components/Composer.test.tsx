import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { Composer } from './Composer';

function setup(props: Partial<Parameters<typeof Composer>[0]> = {}) {
  const onSend = vi.fn().mockReturnValue(true);
  const onStop = vi.fn();
  const onAutoAnalyze = vi.fn();
  render(
    <Composer
      running={false}
      connected
      providerLabel="Built-in analyst"
      onSend={onSend}
      onStop={onStop}
      onAutoAnalyze={onAutoAnalyze}
      {...props}
    />,
  );
  const box = screen.getByLabelText('Ask a question about your data') as HTMLTextAreaElement;
  return { onSend, onStop, onAutoAnalyze, box };
}

describe('Composer', () => {
  it('sends on Enter and clears the box', () => {
    const { onSend, box } = setup();
    fireEvent.change(box, { target: { value: '  average price by region ' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(onSend).toHaveBeenCalledWith('average price by region');
    expect(box.value).toBe('');
  });

  it('keeps Shift+Enter for a new line', () => {
    const { onSend, box } = setup();
    fireEvent.change(box, { target: { value: 'line one' } });
    fireEvent.keyDown(box, { key: 'Enter', shiftKey: true });
    expect(onSend).not.toHaveBeenCalled();
  });

  it('does not send empty text or while a turn runs', () => {
    const { onSend, box } = setup({ running: true });
    fireEvent.change(box, { target: { value: 'next' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(onSend).not.toHaveBeenCalled();
    expect(screen.queryByRole('button', { name: 'Send' })).toBeNull();
  });

  it('shows Stop while running and Auto-analyze otherwise', () => {
    const { onStop } = setup({ running: true });
    fireEvent.click(screen.getByRole('button', { name: 'Stop' }));
    expect(onStop).toHaveBeenCalled();
    expect((screen.getByRole('button', { name: /Auto-analyze/ }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('shows the provider', () => {
    const { onAutoAnalyze } = setup();
    expect(screen.getByText('Built-in analyst')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: /Auto-analyze/ }));
    expect(onAutoAnalyze).toHaveBeenCalled();
  });
});
