const STORAGE_KEY = 'stockbook.token';

/**
 * Browser mode: the server opens the app at `…/#token=abc`. The token is read once,
 * kept in sessionStorage (so a reload of the tab still connects) and removed from the
 * address bar, which the hash router then uses for routes such as `#/stock`.
 */
export function takeSessionToken(): string | null {
  const params = new URLSearchParams(location.hash.replace(/^#\/?/, ''));
  const fromHash = params.get('token');
  if (fromHash) {
    try {
      sessionStorage.setItem(STORAGE_KEY, fromHash);
    } catch {
      // Storage can be disabled; the token then only lives for this page load.
    }
    history.replaceState(history.state, '', `${location.pathname}${location.search}`);
    return fromHash;
  }
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}
