import { useCallback, useEffect, useState } from 'react';
import type { AppError } from '../../shared/contract/errors';
import type { CountLine, CountSheet } from '../../shared/counts';
import { toAppError } from '../app/to-app-error';
import { useClient, useClientEvent } from '../client';
import { touchesCount } from '../../shared/ledger-change';

export interface CountSheetState {
  sheet: CountSheet | null;
  error: AppError | null;
  loading: boolean;
  reload: () => void;
  /** Replace one line with the server's answer after an edit. */
  patchLine: (line: CountLine) => void;
  /** Goes up with each reload (the sheet's cells start again from the lines as loaded). */
  loads: number;
}

/** The whole sheet of one session (10,000 lines load in one call), patched line by line as edits autosave. */
export function useCountSheet(sessionId: number): CountSheetState {
  const client = useClient();
  const [sheet, setSheet] = useState<CountSheet | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [version, setVersion] = useState(0);
  const [loadedVersion, setLoadedVersion] = useState(-1);

  useEffect(() => {
    let live = true;
    client.call('counts.get', { sessionId }).then(
      (s) => {
        if (!live) return;
        setSheet(s);
        setError(null);
        setLoadedVersion(version);
      },
      (e: unknown) => {
        if (!live) return;
        setError(toAppError(e));
        setLoadedVersion(version);
      },
    );
    return () => {
      live = false;
    };
  }, [client, sessionId, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  // Another window counted a line, or stock moved: refetch quietly (no spinner), so the sheet stays live.
  useClientEvent('ledger.changed', (e) => {
    if (!touchesCount(e, sessionId)) return;
    client.call('counts.get', { sessionId }).then(
      (s) => setSheet((old) => (old === null || old.session.id === s.session.id ? s : old)),
      () => undefined,
    );
  });
  const patchLine = useCallback((line: CountLine) => {
    setSheet((s) => {
      if (!s) return s;
      const i = s.lines.findIndex((l) => l.id === line.id);
      const lines = i >= 0 ? s.lines.map((l, k) => (k === i ? line : l)) : [...s.lines, line];
      const countedCount = lines.reduce((n, l) => n + (l.countedQty === null ? 0 : 1), 0);
      return { session: { ...s.session, countedCount, lineCount: lines.length }, lines };
    });
  }, []);
  const current = sheet && sheet.session.id === sessionId ? sheet : null;
  return { sheet: current, error, loading: loadedVersion !== version, reload, patchLine, loads: version };
}
