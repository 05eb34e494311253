import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';

function subscribeLocation(cb: () => void) {
  window.addEventListener('popstate', cb);
  window.addEventListener('analyzer:navigate', cb);
  return () => {
    window.removeEventListener('popstate', cb);
    window.removeEventListener('analyzer:navigate', cb);
  };
}

export function navigate(to: string, opts: { replace?: boolean } = {}) {
  if (to === window.location.pathname + window.location.search) return;
  if (opts.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event('analyzer:navigate'));
}

/** The current path; re-renders on back/forward and on navigate(). */
export function usePath(): string {
  return useSyncExternalStore(subscribeLocation, () => window.location.pathname);
}

export function sessionPath(id: string) {
  return `/sessions/${encodeURIComponent(id)}`;
}

export function sessionIdFromPath(path: string): string | null {
  const m = /^\/sessions\/([^/]+)\/?$/.exec(path);
  return m ? decodeURIComponent(m[1]) : null;
}

export function useMediaQuery(query: string): boolean {
  const get = useCallback(() => typeof window !== 'undefined' && !!window.matchMedia?.(query).matches, [query]);
  const [matches, setMatches] = useState(get);
  useEffect(() => {
    const mql = window.matchMedia?.(query);
    if (!mql) return;
    const onChange = () => setMatches(mql.matches);
    onChange();
    mql.addEventListener('change', onChange);
    return () => mql.removeEventListener('change', onChange);
  }, [query]);
  return matches;
}

export function useDarkMode(): boolean {
  return useMediaQuery('(prefers-color-scheme: dark)');
}
