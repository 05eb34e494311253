import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SettingsView } from '../lib/models';
import { openSettings } from '../lib/settingsBus';
import { SettingsPanel } from './SettingsPanel';

function view(over: Partial<SettingsView> = {}): SettingsView {
  return {
    editable: true,
    detailed: true,
    provider: 'anthropic',
    active: 'anthropic',
    locked: ['ANTHROPIC_MODEL'],
    anthropic: { key_set: true, key_hint: '…K9Z8', model: 'claude-sonnet-4-5', title_model: 'claude-haiku-4-5', models: ['claude-sonnet-4-5', 'claude-haiku-4-5'] },
    openai: { key_set: false },
    local: [{ name: 'Ollama', port: 11434, base_url: 'http://127.0.0.1:11434/v1', models: ['llama3.1:8b'] }],
    default: { id: 'anthropic:claude-sonnet-4-5', provider: 'anthropic', model: 'claude-sonnet-4-5', source: 'Claude', local: false },
    health: { status: 'rejected', problem: 'The Anthropic API key was rejected: check the key in Settings (or ANTHROPIC_API_KEY).' },
    monthly_token_budget: 0,
    ...over,
  };
}

let calls: { method: string; url: string; body?: unknown }[] = [];
beforeEach(() => {
  calls = [];
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.open = true;
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.open = false;
  };
});
afterEach(() => vi.unstubAllGlobals());

function serve(v: SettingsView, onPut?: (body: Record<string, unknown>) => Response) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      const body = init?.body ? JSON.parse(String(init.body)) : undefined;
      calls.push({ method: init?.method ?? 'GET', url, body });
      if (url === '/api/settings' && init?.method === 'PUT') return onPut ? onPut(body) : new Response(JSON.stringify(v));
      if (url === '/api/settings') return new Response(JSON.stringify(v));
      return new Response('{"detail":"not found"}', { status: 404 });
    }),
  );
}

describe('SettingsPanel', { timeout: 20_000 }, () => {
  it('shows the key by its last characters, the refused key’s reason, and what the environment locks', async () => {
    serve(view());
    render(<SettingsPanel />);
    act(() => openSettings());
    expect(await screen.findByText(/The Anthropic API key was rejected/)).toBeTruthy();
    const key = screen.getByLabelText('Anthropic API key') as HTMLInputElement;
    expect(key.value).toBe('');
    expect(screen.getByText(/A key ending in K9Z8 is saved/)).toBeTruthy();
    expect((screen.getByLabelText('Answering model') as HTMLSelectElement).disabled).toBe(true);
    expect(screen.getByText('Set by the environment variable ANTHROPIC_MODEL')).toBeTruthy();
    expect((screen.getByLabelText('Title model') as HTMLSelectElement).disabled).toBe(false);
  });

  it('saves a local server found on this computer', async () => {
    serve(view({ provider: 'builtin', active: 'builtin', locked: [], health: { status: 'ok' } }));
    render(<SettingsPanel />);
    act(() => openSettings());
    fireEvent.click(await screen.findByText('OpenAI-compatible'));
    fireEvent.click(screen.getByRole('button', { name: 'Use Ollama on port 11434' }));
    expect((screen.getByLabelText('Server address') as HTMLInputElement).value).toBe('http://127.0.0.1:11434/v1');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'PUT')).toBe(true));
    const put = calls.find((c) => c.method === 'PUT')!.body as { provider: string; openai: Record<string, string>; anthropic: Record<string, string> };
    expect(put.provider).toBe('openai');
    expect(put.openai).toMatchObject({ base_url: 'http://127.0.0.1:11434/v1', model: 'llama3.1:8b' });
    expect(put.anthropic.api_key).toBeUndefined();
    expect(await screen.findByText('Saved')).toBeTruthy();
  });

  it('shows why a save was refused', async () => {
    serve(view({ locked: [] }), () => new Response(JSON.stringify({ detail: 'The key was not saved. The Anthropic API key was rejected.' }), { status: 400 }));
    render(<SettingsPanel />);
    act(() => openSettings());
    fireEvent.change(await screen.findByLabelText('Anthropic API key'), { target: { value: 'sk-ant-wrong' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('The key was not saved. The Anthropic API key was rejected.')).toBeTruthy();
  });

  it('is read-only for an account that cannot change it', async () => {
    serve(view({ editable: false, detailed: false, local: null, health: { status: 'ok' } }));
    render(<SettingsPanel />);
    act(() => openSettings());
    expect(await screen.findByText(/The server’s administrator chooses the models/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Save' })).toBeNull();
    expect((screen.getByLabelText('Anthropic API key') as HTMLInputElement).disabled).toBe(true);
  });
});
