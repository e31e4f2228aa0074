import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { AppError } from '../../shared/contract/errors';
import type { AppInfo } from '../../shared/domain';
import { useClient, useConnectionStatus } from '../client';
import { toAppError } from './to-app-error';

interface AppInfoState {
  info: AppInfo | null;
  error: AppError | null;
  reload: () => Promise<void>;
}

const AppInfoContext = createContext<AppInfoState | null>(null);

/** Loads app.info once (and again after reconnecting or when asked), for the header, Settings and empty states. */
export function AppInfoProvider({ children }: { children: ReactNode }) {
  const client = useClient();
  const connection = useConnectionStatus();
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [error, setError] = useState<AppError | null>(null);

  const reload = useCallback(async () => {
    try {
      setInfo(await client.call('app.info', {}));
      setError(null);
    } catch (e) {
      setError(toAppError(e));
    }
  }, [client]);

  // (Re)load whenever the connection is (re)established.
  useEffect(() => {
    if (connection !== 'open') return undefined;
    let live = true;
    client.call('app.info', {}).then(
      (next) => {
        if (!live) return;
        setInfo(next);
        setError(null);
      },
      (e: unknown) => {
        if (live) setError(toAppError(e));
      },
    );
    return () => {
      live = false;
    };
  }, [client, connection]);

  const value = useMemo(() => ({ info, error, reload }), [info, error, reload]);
  return <AppInfoContext.Provider value={value}>{children}</AppInfoContext.Provider>;
}

export function useAppInfo(): AppInfoState {
  const value = useContext(AppInfoContext);
  if (!value) throw new Error('useAppInfo() must be used inside <AppInfoProvider>');
  return value;
}
