import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { AppError } from '../../shared/contract/errors';
import type { CurrentStockPage, CurrentStockRow } from '../../shared/domain';
import { useClient } from '../client';
import { toAppError } from '../app/to-app-error';
import { PAGE_SIZE, toQuery, type StockFilters, type StockQuery } from './stock-query';

/** What the table shows: one consistent result set, loaded page by page. */
export interface StockView {
  /** Bumped on every reset (new filters or a refresh); page loads for older generations are dropped. */
  generation: number;
  query: StockQuery;
  /** JSON of the query, so the table can scroll to the top when the filters (not the data) change. */
  queryKey: string;
  total: number;
  lowCount: number;
  outCount: number;
  pages: ReadonlyMap<number, CurrentStockRow[]>;
  loadedAt: Date;
}

export interface CurrentStock {
  view: StockView | null;
  /** A new result set (filters changed or refresh) is being fetched. */
  loading: boolean;
  error: AppError | null;
  loadedRows: number;
  rowAt(index: number): CurrentStockRow | undefined;
  /** Tells the hook which rows are on screen; fetches the pages they need. */
  ensureRows(first: number, last: number): void;
  /** Re-queries the pages on screen; calls made while one is running are coalesced. */
  refresh(): void;
  dismissError(): void;
}

/** Current stock for the filters, paged by offset as the user scrolls. */
export function useCurrentStock(filters: StockFilters): CurrentStock {
  const client = useClient();
  const [view, setView] = useState<StockView | null>(null);
  const [refreshing, setRefreshing] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  const viewRef = useRef<StockView | null>(null);
  const generation = useRef(0);
  const inflight = useRef(new Set<number>());
  const visible = useRef({ first: 0, last: 0 });
  const queryRef = useRef<StockQuery | null>(null);
  const refreshState = useRef({ running: false, again: false });

  const { search, siteId, status, sort, direction } = filters;
  const query = useMemo(
    () => toQuery({ search, siteId, status, sort, direction }),
    [search, siteId, status, sort, direction],
  );
  const queryKey = JSON.stringify(query);

  const commit = useCallback((next: StockView) => {
    viewRef.current = next;
    setView(next);
  }, []);

  const fetchPage = useCallback(
    (q: StockQuery, page: number): Promise<CurrentStockPage> =>
      client.call('stock.current', { ...q, limit: PAGE_SIZE, offset: page * PAGE_SIZE }),
    [client],
  );

  /** Replaces the view with a fresh result set made of the given pages; a newer reset wins. */
  const reset = useCallback(
    async (q: StockQuery, pages: number[]) => {
      const gen = ++generation.current;
      inflight.current = new Set();
      try {
        const results = await Promise.all(pages.map((p) => fetchPage(q, p)));
        if (gen !== generation.current) return;
        const head = results[0];
        if (!head) return;
        const map = new Map<number, CurrentStockRow[]>();
        pages.forEach((p, i) => map.set(p, results[i]?.rows ?? []));
        commit({
          generation: gen,
          query: q,
          queryKey: JSON.stringify(q),
          total: head.total,
          lowCount: head.lowCount,
          outCount: head.outCount,
          pages: map,
          loadedAt: new Date(),
        });
        setError(null);
      } catch (e) {
        if (gen === generation.current) setError(toAppError(e));
      }
    },
    [commit, fetchPage],
  );

  // New filters: start again from the first page.
  useEffect(() => {
    queryRef.current = query;
    void reset(query, [0]);
  }, [query, reset]);

  const ensureRows = useCallback(
    (first: number, last: number) => {
      visible.current = { first, last };
      const v = viewRef.current;
      if (!v || v.generation !== generation.current || v.total === 0) return;
      const lastPage = Math.floor(Math.min(last, v.total - 1) / PAGE_SIZE);
      for (let page = Math.floor(Math.max(first, 0) / PAGE_SIZE); page <= lastPage; page++) {
        if (v.pages.has(page) || inflight.current.has(page)) continue;
        inflight.current.add(page);
        const gen = v.generation;
        fetchPage(v.query, page)
          .then((result) => {
            const current = viewRef.current;
            if (gen !== generation.current || !current || current.generation !== gen) return;
            const pages = new Map(current.pages);
            pages.set(page, result.rows);
            commit({ ...current, total: result.total, lowCount: result.lowCount, outCount: result.outCount, pages });
          })
          .catch((e: unknown) => {
            if (gen === generation.current) setError(toAppError(e));
          })
          .finally(() => {
            if (gen === generation.current) inflight.current.delete(page);
          });
      }
    },
    [commit, fetchPage],
  );

  const refresh = useCallback(() => {
    const state = refreshState.current;
    if (state.running) {
      state.again = true;
      return;
    }
    state.running = true;
    setRefreshing(true);
    void (async () => {
      do {
        state.again = false;
        const q = queryRef.current;
        if (!q) break;
        const { first, last } = visible.current;
        const pages: number[] = [];
        for (let p = Math.floor(first / PAGE_SIZE); p <= Math.floor(Math.max(first, last) / PAGE_SIZE); p++) pages.push(p);
        await reset(q, pages.length ? pages : [0]);
      } while (state.again);
      state.running = false;
      setRefreshing(false);
    })();
  }, [reset]);

  const rowAt = useCallback(
    (index: number) => view?.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE],
    [view],
  );

  const loadedRows = useMemo(() => {
    let n = 0;
    view?.pages.forEach((rows) => (n += rows.length));
    return n;
  }, [view]);

  const dismissError = useCallback(() => setError(null), []);

  // Loading: a refresh is running, or the rows on screen are for other filters (and that query has not failed).
  const loading = refreshing || (view?.queryKey !== queryKey && error === null);

  return { view, loading, error, loadedRows, rowAt, ensureRows, refresh, dismissError };
}
