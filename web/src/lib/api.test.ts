import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, errorFromResponse, onUnauthorized, tokenStore } from './api';

afterEach(() => {
  vi.unstubAllGlobals();
  onUnauthorized(null);
});

describe('errorFromResponse', () => {
  it('reads the detail field', () => {
    const e = errorFromResponse(409, '{"detail":"email already registered"}');
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(409);
    expect(e.message).toBe('email already registered');
  });

  it('adds Retry-After to throttling errors', () => {
    expect(errorFromResponse(429, '{"detail":"too many attempts"}', '30').message).toBe('too many attempts. Try again in 30 seconds.');
    expect(errorFromResponse(429, '', '1').retryAfter).toBe(1);
  });

  it('falls back to plain words when the body is not JSON', () => {
    expect(errorFromResponse(502, '<html>Bad gateway</html>').message).toMatch(/server/);
    expect(errorFromResponse(413, '').message).toMatch(/too large/);
  });
});

describe('request', () => {
  it('sends the bearer token and calls the 401 handler', async () => {
    tokenStore.set('jwt-1', 'a@b.co');
    const fetchMock = vi.fn().mockResolvedValue(new Response('{"detail":"token expired"}', { status: 401 }));
    vi.stubGlobal('fetch', fetchMock);
    const handler = vi.fn();
    onUnauthorized(handler);
    await expect(api.sessions()).rejects.toMatchObject({ status: 401 });
    expect(fetchMock.mock.calls[0][1].headers.Authorization).toBe('Bearer jwt-1');
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('does not treat a failed sign-in as an expired session', async () => {
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(new Response('{"detail":"invalid credentials"}', { status: 401 })));
    const handler = vi.fn();
    onUnauthorized(handler);
    await expect(api.login('a@b.co', 'x')).rejects.toMatchObject({ message: 'invalid credentials' });
    expect(handler).not.toHaveBeenCalled();
  });

  it('turns network failures into a readable error', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));
    await expect(api.health()).rejects.toMatchObject({ status: 0, message: expect.stringMatching(/reach/) });
  });

  it('pages a stored result by message id, and a refused token signs out', async () => {
    tokenStore.set('jwt-2', null);
    const page = { columns: ['a'], rows: [{ a: 1 }], row_offset: 100, stored_row_count: 101, has_more: false };
    const fetchMock = vi
      .fn()
      .mockResolvedValueOnce(new Response(JSON.stringify(page), { status: 200 }))
      .mockResolvedValueOnce(new Response('{"detail":"unauthorized"}', { status: 401 }));
    vi.stubGlobal('fetch', fetchMock);
    const handler = vi.fn();
    onUnauthorized(handler);
    await expect(api.resultRows('s/1', 'm 2', 100, 500)).resolves.toEqual(page);
    expect(fetchMock.mock.calls[0][0]).toBe('/api/sessions/s%2F1/messages/m%202/rows?offset=100&limit=500');
    expect(fetchMock.mock.calls[0][1].headers.Authorization).toBe('Bearer jwt-2');
    await expect(api.resultRows('s1', 'm2', 0)).rejects.toMatchObject({ status: 401 });
    expect(fetchMock.mock.calls[1][0]).toBe('/api/sessions/s1/messages/m2/rows?offset=0&limit=100');
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('returns undefined for 204', async () => {
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(new Response(null, { status: 204 })));
    await expect(api.deleteSession('x')).resolves.toBeUndefined();
  });
});
