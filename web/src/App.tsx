import { useCallback, useEffect, useState } from 'react';
import { AuthScreen } from './components/AuthScreen';
import { Workspace } from './components/Workspace';
import { Spinner } from './components/ui';
import { api, onUnauthorized, tokenStore } from './lib/api';
import { useModelsChanged } from './lib/settingsBus';
import type { Health } from './lib/types';

const EXPIRED = 'Your session has expired. Please sign in again.';

/** Reads the desktop one-time token from ?login= and removes it from the address bar. */
function takeLoginParam(): string | null {
  const url = new URL(window.location.href);
  const token = url.searchParams.get('login');
  if (token === null) return null;
  url.searchParams.delete('login');
  window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
  return token;
}

// Read once per page load, so that a double render cannot lose it.
let pendingLogin: string | null | undefined;
function pendingLoginToken(): string | null {
  if (pendingLogin === undefined) pendingLogin = takeLoginParam();
  return pendingLogin;
}

export function App() {
  const [token, setToken] = useState<string | null>(() => tokenStore.get());
  const [notice, setNotice] = useState<{ text: string; tone: 'info' | 'error' } | null>(null);
  const [health, setHealth] = useState<Health | null>(null);
  const [exchanging, setExchanging] = useState(() => !!pendingLoginToken());

  const loadHealth = useCallback(() => {
    api.health().then(setHealth, () => setHealth(null));
  }, []);
  useEffect(loadHealth, [loadHealth]);
  // Saved settings change who answers: the badge and the health banner follow.
  useModelsChanged(loadHealth);

  useEffect(() => {
    onUnauthorized((reason) => {
      tokenStore.clear();
      setToken(null);
      setNotice({ text: reason || EXPIRED, tone: 'info' });
    });
    return () => onUnauthorized(null);
  }, []);

  // Desktop mode opens the browser with a one-time token: trade it for a session.
  useEffect(() => {
    const once = pendingLoginToken();
    if (!once) return;
    pendingLogin = null;
    api
      .localLogin(once)
      .then(({ token: jwt }) => {
        tokenStore.set(jwt, null);
        setToken(jwt);
        setNotice(null);
      })
      .catch((err: Error) => {
        if (!tokenStore.get()) setNotice({ text: `Automatic sign-in did not work: ${err.message}`, tone: 'error' });
      })
      .finally(() => setExchanging(false));
  }, []);

  const signedIn = useCallback((jwt: string, email: string) => {
    tokenStore.set(jwt, email);
    setNotice(null);
    setToken(jwt);
  }, []);

  const signOut = useCallback(() => {
    tokenStore.clear();
    setNotice(null);
    setToken(null);
  }, []);

  if (exchanging) {
    return (
      <div className="splash" role="status">
        <Spinner size={22} />
        <span>Signing you in…</span>
      </div>
    );
  }
  if (!token) return <AuthScreen notice={notice} onSignedIn={signedIn} />;
  return <Workspace health={health} email={tokenStore.email()} onSignOut={signOut} />;
}
