import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuthScreen } from './AuthScreen';

afterEach(() => vi.unstubAllGlobals());

function fill(email: string, password: string) {
  fireEvent.change(screen.getByLabelText('Email'), { target: { value: email } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: password } });
}

describe('AuthScreen', () => {
  it('checks the email before asking the server', () => {
    const fetchMock = vi.fn();
    vi.stubGlobal('fetch', fetchMock);
    render(<AuthScreen notice={null} onSignedIn={vi.fn()} />);
    fill('not-an-email', 'password123');
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(screen.getByRole('alert').textContent).toMatch(/valid email/);
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('asks for 8 characters when registering', () => {
    render(<AuthScreen notice={null} onSignedIn={vi.fn()} />);
    fireEvent.click(screen.getByRole('button', { name: 'Create an account' }));
    fill('a@b.co', 'short');
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }));
    expect(screen.getByRole('alert').textContent).toMatch(/at least 8/);
  });

  it('explains wrong credentials and duplicate accounts in plain words', async () => {
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(new Response('{"detail":"invalid email or password"}', { status: 401 })));
    render(<AuthScreen notice={null} onSignedIn={vi.fn()} />);
    fill('a@b.co', 'password123');
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/do not match/));

    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(new Response('{"detail":"email already registered"}', { status: 409 })));
    fireEvent.click(screen.getByRole('button', { name: 'Create an account' }));
    fill('a@b.co', 'password123');
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/already exists/));
  });

  it('signs in with a normalised email', async () => {
    const fetchMock = vi.fn().mockResolvedValue(new Response('{"token":"jwt"}', { status: 200 }));
    vi.stubGlobal('fetch', fetchMock);
    const onSignedIn = vi.fn();
    render(<AuthScreen notice={{ text: 'Your session has expired. Please sign in again.', tone: 'info' }} onSignedIn={onSignedIn} />);
    expect(screen.getByText(/session has expired/)).toBeTruthy();
    fill('  Ann@Example.COM ', 'password123');
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(onSignedIn).toHaveBeenCalledWith('jwt', 'ann@example.com'));
    expect(JSON.parse(fetchMock.mock.calls[0][1].body)).toEqual({ email: 'ann@example.com', password: 'password123' });
  });
});
