import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppError } from '../../shared/contract/errors';
import type { MovementFilter } from '../../shared/contract/enquiry.schemas';
import type { MovementCount, MovementCursor, MovementView } from '../../shared/enquiry';
import { toAppError } from '../app/to-app-error';
import { useClient, useClientEvent } from '../client';

const PAGE = 200;

export interface Movements {
  rows: MovementView[];
  /** More rows follow the last loaded one. */
  hasMore: boolean;
  loading: boolean;
  count: MovementCount | null;
  error: AppError | null;
  plan: string;
  /** Loads the next keyset page (infinite scroll); ignored while one is loading or at the end. */
  loadMore: () => void;
  refresh: () => void;
}

/**
 * Movements matching a filter, newest first (or oldest first), loaded page by page with keyset cursors; the count arrives
 * separately. `balanceOnDate`: the "Balance on that date" column is shown, so the rows carry it (showing it reloads).
 */
export function useMovements(filter: MovementFilter | null, order: 'asc' | 'desc' = 'desc', balanceOnDate = true): Movements {
  const client = useClient();
  const [rows, setRows] = useState<MovementView[]>([]);
  const [next, setNext] = useState<MovementCursor | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [loadedKey, setLoadedKey] = useState<string | null>(null);
  const [counted, setCounted] = useState<{ key: string; count: MovementCount } | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [plan, setPlan] = useState('');
  /** The background job refining a "more than N" count for the current filter. */
  const refining = useRef<{ key: string; jobId: string } | null>(null);
  const [version, setVersion] = useState(0);
  const generation = useRef(0);
  const busy = useRef(false);
  const key = filter === null ? null : JSON.stringify(filter);
  const countKey = `${version}:${key}`;
  const pageKey = `${order}:${balanceOnDate}:${countKey}`;

  useEffect(() => {
    const gen = ++generation.current;
    if (key === null) return;
    const f = JSON.parse(key) as MovementFilter;
    busy.current = true;
    client
      .call('enquiry.movements', { filter: f, order, limit: PAGE, balanceOnDate })
      .then((p) => {
        if (gen !== generation.current) return;
        setRows(p.rows);
        setNext(p.next);
        setPlan(p.plan);
        setError(null);
      })
      .catch((e: unknown) => gen === generation.current && setError(toAppError(e)))
      .finally(() => {
        if (gen !== generation.current) return;
        busy.current = false;
        setLoadedKey(pageKey);
      });
  }, [client, key, order, balanceOnDate, pageKey]);

  // The count depends on the filter only (not on the order or the columns shown).
  const countGeneration = useRef(0);
  useEffect(() => {
    const gen = ++countGeneration.current;
    if (key === null) return;
    const f = JSON.parse(key) as MovementFilter;
    const previous = refining.current;
    if (previous) void client.call('jobs.cancel', { jobId: previous.jobId }).catch(() => undefined);
    refining.current = null;
    client
      .call('enquiry.count', { filter: f })
      .then(async (c) => {
        if (gen !== countGeneration.current) return;
        setCounted({ key: countKey, count: c });
        // "More than N": count exactly in the background; job.finished brings the total.
        if (!c.exact) {
          const { jobId } = await client.call('enquiry.countRefine', { filter: f });
          if (gen === countGeneration.current) refining.current = { key: countKey, jobId };
          else void client.call('jobs.cancel', { jobId }).catch(() => undefined);
        }
      })
      .catch(() => undefined);
  }, [client, key, countKey]);

  useClientEvent('job.finished', (done) => {
    const r = refining.current;
    if (!r || done.jobId !== r.jobId) return;
    refining.current = null;
    const n = Number(/^[\d,]+/.exec(done.message)?.[0].replace(/,/g, '') ?? NaN);
    if (done.ok && Number.isFinite(n)) setCounted((c) => (c?.key === r.key ? { key: r.key, count: { count: n, exact: true } } : c));
  });

  const loadMore = useCallback(() => {
    if (busy.current || !next || key === null) return;
    const gen = generation.current;
    busy.current = true;
    setLoadingMore(true);
    client
      .call('enquiry.movements', { filter: JSON.parse(key) as MovementFilter, order, limit: PAGE, after: next, balanceOnDate })
      .then((p) => {
        if (gen !== generation.current) return;
        setRows((prev) => [...prev, ...p.rows]);
        setNext(p.next);
      })
      .catch((e: unknown) => gen === generation.current && setError(toAppError(e)))
      .finally(() => {
        if (gen !== generation.current) return;
        busy.current = false;
        setLoadingMore(false);
      });
  }, [client, key, order, next, balanceOnDate]);

  const refresh = useCallback(() => setVersion((v) => v + 1), []);
  const loading = key !== null && (loadingMore || loadedKey !== pageKey);
  const count = counted?.key === countKey ? counted.count : null;
  return { rows, hasMore: next !== null, loading, count, error, plan, loadMore, refresh };
}
