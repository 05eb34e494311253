import { EditorView } from '@codemirror/view';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { SqlBlock } from './SqlBlock';

async function editor(): Promise<EditorView> {
  const content = await waitFor(() => {
    const el = document.querySelector('.cm-editor');
    if (!el) throw new Error('no editor yet');
    return el as HTMLElement;
  });
  const view = EditorView.findFromDOM(content);
  if (!view) throw new Error('no view');
  return view;
}

describe('SqlBlock', () => {
  it('highlights the query, runs the edited text as a new question and goes back to its own query', async () => {
    const sent: string[] = [];
    render(<SqlBlock sql="SELECT city FROM data" index={1} columns={['city', 'population']} onRun={(s) => (sent.push(s), true)} />);
    const view = await editor();
    expect(view.state.doc.toString()).toBe('SELECT city FROM data');
    // Keywords are highlighted as DuckDB SQL.
    await waitFor(() => expect(document.querySelector('.cm-content span')).not.toBeNull());
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: 'SELECT population FROM data' } });
    expect(await screen.findByText('edited')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Run the edited SQL' }));
    expect(sent).toEqual(['SELECT population FROM data']);
    await waitFor(() => expect(view.state.doc.toString()).toBe('SELECT city FROM data'));
    expect(screen.queryByText('edited')).toBeNull();
  });

  it('resets edits, and cannot run while a turn is running', async () => {
    const sent: string[] = [];
    render(<SqlBlock sql="SELECT 1" index={2} onRun={(s) => (sent.push(s), true)} runDisabled="Wait for the current answer to finish" />);
    const view = await editor();
    view.dispatch({ changes: { from: 7, to: 8, insert: '2' } });
    const run = (await screen.findByRole('button', { name: 'Run the edited SQL' })) as HTMLButtonElement;
    expect(run.disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Undo the edits' }));
    await waitFor(() => expect(view.state.doc.toString()).toBe('SELECT 1'));
    expect(sent).toEqual([]);
  });

  it('starts folded when asked, and opens on its toggle', async () => {
    render(<SqlBlock sql="SELECT 1" index={3} collapsed onRun={() => true} />);
    expect(document.querySelector('.cm-editor')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'SQL' }));
    await editor();
  });

  it('completes the dataset’s column names', async () => {
    const { completionStatus, startCompletion, currentCompletions } = await import('@codemirror/autocomplete');
    render(<SqlBlock sql="SELECT pop" index={4} columns={['city', 'population']} onRun={() => true} />);
    const view = await editor();
    view.dispatch({ selection: { anchor: view.state.doc.length } });
    startCompletion(view);
    await waitFor(() => expect(completionStatus(view.state)).toBe('active'));
    expect(currentCompletions(view.state).map((c) => c.label)).toContain('population');
  });
});
