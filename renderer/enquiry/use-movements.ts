import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppError } from '../../shared/contract/errors';
import type { MovementFilter } from '../../shared/contract/enquiry.schemas';
import type { MovementCount, MovementCursor, MovementView } from '../../shared/enquiry';
import { toAppError } from '../app/to-app-error';
import { useClient } from '../client';

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

/** Movements matching a filter, newest first, loaded page by page with keyset cursors; the count arrives separately. */
export function useMovements(filter: MovementFilter): Movements {
  const client = useClient();
  const [rows, setRows] = useState<MovementView[]>([]);
  const [next, setNext] = useState<MovementCursor | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [loadedKey, setLoadedKey] = useState<string | null>(null);
  const [counted, setCounted] = useState<{ key: string; count: MovementCount } | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [plan, setPlan] = useState('');
  const [version, setVersion] = useState(0);
  const generation = useRef(0);
  const busy = useRef(false);
  const key = JSON.stringify(filter);
  const pageKey = `${version}:${key}`;

  useEffect(() => {
    const gen = ++generation.current;
    const f = JSON.parse(key) as MovementFilter;
    busy.current = true;
    client
      .call('enquiry.movements', { filter: f, limit: PAGE })
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
    client
      .call('enquiry.count', { filter: f })
      .then((c) => gen === generation.current && setCounted({ key: pageKey, count: c }))
      .catch(() => undefined);
  }, [client, key, pageKey]);

  const loadMore = useCallback(() => {
    if (busy.current || !next) return;
    const gen = generation.current;
    busy.current = true;
    setLoadingMore(true);
    client
      .call('enquiry.movements', { filter: JSON.parse(key) as MovementFilter, limit: PAGE, after: next })
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
  }, [client, key, next]);

  const refresh = useCallback(() => setVersion((v) => v + 1), []);
  const loading = loadingMore || loadedKey !== pageKey;
  const count = counted?.key === pageKey ? counted.count : null;
  return { rows, hasMore: next !== null, loading, count, error, plan, loadMore, refresh };
}
