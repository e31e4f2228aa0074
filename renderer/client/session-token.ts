const STORAGE_KEY = 'stockbook.token';

/**
 * Browser mode: the server opens the app at `…/#token=abc`. The token is read once,
 * kept in sessionStorage (so a reload of the tab still connects) and removed from the
 * address bar, which the hash router then uses for routes such as `#/stock`. main.tsx takes it first thing, before
 * the app's scripts load (the address may change meanwhile); later calls get the same token.
 */
let taken: string | null = null;

export function takeSessionToken(): string | null {
  if (taken) return taken;
  const params = new URLSearchParams(location.hash.replace(/^#\/?/, ''));
  const fromHash = params.get('token');
  if (fromHash) {
    try {
      sessionStorage.setItem(STORAGE_KEY, fromHash);
    } catch {
      // Storage can be disabled; the token then only lives for this page load.
    }
    history.replaceState(history.state, '', `${location.pathname}${location.search}`);
    taken = fromHash;
    return fromHash;
  }
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}
