import { act, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
  window.history.replaceState(null, '', '/');
});

function json(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

describe('App', () => {
  it('trades the desktop one-time token for a session and cleans the address bar', async () => {
    window.history.replaceState(null, '', '/?login=one-time-123&x=1');
    const fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
      if (url === '/api/health') return json({ status: 'ok', provider: { name: 'builtin' } });
      if (url === '/api/auth/local') {
        expect(JSON.parse(String(init?.body))).toEqual({ token: 'one-time-123' });
        return json({ token: 'jwt-local' });
      }
      if (url === '/api/sessions') return json([]);
      throw new Error(`unexpected ${url}`);
    });
    vi.stubGlobal('fetch', fetchMock);
    const { App } = await import('./App');
    render(<App />);
    expect(window.location.search).toBe('?x=1');
    await waitFor(() => expect(screen.getByText('What would you like to analyze?')).toBeTruthy());
    expect(localStorage.getItem('analyzer.token')).toBe('jwt-local');
  });

  it('sends an expired token back to sign-in with a message', async () => {
    localStorage.setItem('analyzer.token', 'expired');
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => {
        if (url === '/api/health') return json({ status: 'ok' });
        return json({ detail: 'token expired' }, 401);
      }),
    );
    const { App } = await import('./App');
    render(<App />);
    await waitFor(() => expect(screen.getByText('Your session has expired. Please sign in again.')).toBeTruthy());
    expect(localStorage.getItem('analyzer.token')).toBeNull();
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeTruthy();
  });

  it('shows why the server signed the account out', async () => {
    localStorage.setItem('analyzer.token', 'jwt');
    localStorage.setItem('analyzer.email', 'a@b.co');
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => {
        if (url === '/api/health') return json({ status: 'ok' });
        if (url === '/api/sessions') return json([]);
        throw new Error(`unexpected ${url}`);
      }),
    );
    const { App } = await import('./App');
    const { notifyUnauthorized } = await import('./lib/api');
    render(<App />);
    await waitFor(() => expect(screen.getByText('What would you like to analyze?')).toBeTruthy());
    act(() => notifyUnauthorized('You were signed out: your password was changed.'));
    await waitFor(() => expect(screen.getByText('You were signed out: your password was changed.')).toBeTruthy());
    expect(localStorage.getItem('analyzer.token')).toBeNull();
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeTruthy();
  });
});
