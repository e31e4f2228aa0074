import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { AuthStatus } from '../../shared/auth';
import type { AppError } from '../../shared/contract/errors';
import { useClient, useConnectionStatus } from '../client';
import { toAppError } from '../app/to-app-error';

interface AuthState {
  status: AuthStatus | null;
  error: AppError | null;
  setStatus: (s: AuthStatus) => void;
  refresh: () => Promise<void>;
  lock: () => Promise<void>;
  signOut: () => Promise<void>;
  /** The signed-in user has a password or PIN, so the session can lock. */
  lockable: boolean;
  /** Why Lock now and Sign out are greyed (the title both the user menu and Settings show); undefined when lockable. */
  lockRefusal: string | undefined;
  /** Why the server signed this session out (session.signedOut: its user was disabled), shown on the sign-in screen. */
  signedOutBy: string | null;
}

const AuthContext = createContext<AuthState | null>(null);
const POLL_MS = 30_000;

/** The session's sign-in state from auth.status: loaded on (re)connect, polled so a server-side idle lock shows. */
export function AuthProvider({ children }: { children: ReactNode }) {
  const client = useClient();
  const connection = useConnectionStatus();
  const [status, setStatus] = useState<AuthStatus | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [signedOutBy, setSignedOutBy] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    try {
      setStatus(await client.call('auth.status', {}));
      setError(null);
    } catch (e) {
      setError(toAppError(e));
    }
  }, [client]);

  useEffect(() => {
    if (connection !== 'open') return undefined;
    const first = setTimeout(() => void refresh(), 0);
    const timer = setInterval(() => void refresh(), POLL_MS);
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }, [connection, refresh]);

  // The full ledger check runs after the window opens; when it fails the ledger switches to safe mode: show it now.
  useEffect(
    () =>
      client.on('job.finished', (f) => {
        if (f.kind === 'ledger-check' && !f.ok && !f.cancelled) void refresh();
      }),
    [client, refresh],
  );

  // Signed out by the server (an administrator disabled the user): the sign-in screen shows at once, saying why.
  useEffect(
    () =>
      client.on('session.signedOut', (e) => {
        setSignedOutBy(e.message);
        void refresh();
      }),
    [client, refresh],
  );
  const showStatus = useCallback((s: AuthStatus) => {
    if (s.signedIn) setSignedOutBy(null);
    setStatus(s);
  }, []);

  const lock = useCallback(async () => setStatus(await client.call('auth.lock', {})), [client]);
  const signOut = useCallback(async () => setStatus(await client.call('auth.signOut', {})), [client]);
  const lockable = Boolean(
    status?.user && !status.openAccess && status.users.some((u) => u.username === status.user?.username && (u.hasPassword || u.hasPin)),
  );
  /** Without a password or PIN of one's own there is nothing to sign in or unlock with again. */
  const lockRefusal = lockable ? undefined : 'You have no password or PIN yet, so you could not sign in again: set one first (Change password or PIN).';
  const value = useMemo(
    () => ({ status, error, setStatus: showStatus, refresh, lock, signOut, lockable, lockRefusal, signedOutBy }),
    [status, error, showStatus, refresh, lock, signOut, lockable, lockRefusal, signedOutBy],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth() must be used inside <AuthProvider>');
  return value;
}
