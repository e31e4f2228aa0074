import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppError } from '../../shared/contract/errors';
import { toAppError } from '../app/to-app-error';

/** Rows per call: a screenful many times over, small enough to arrive and render in one short task. */
export const REPORT_PAGE = 500;

export interface ReportPages<R extends { rows: T[] }, T> {
  /** The first page's answer (totals and headings), or null before it came. */
  head: R | null;
  rows: T[];
  total: number;
  hasMore: boolean;
  loading: boolean;
  error: AppError | null;
  /** Loads the next page (the grid calls it as the user scrolls near the end); ignored while one loads. */
  loadMore: () => void;
}

/**
 * A long report loaded a page at a time (offset paging) as a VirtualGrid scrolls: `key` names the question (null: not
 * asked), `fetch` asks for rows [offset, offset + limit). A new key starts again from the first page.
 */
export function useReportPages<R extends { rows: T[]; total: number }, T>(
  key: string | null,
  fetch: (offset: number, limit: number) => Promise<R>,
): ReportPages<R, T> {
  const [state, setState] = useState<{ key: string | null; head: R | null; rows: T[]; error: AppError | null }>({ key: null, head: null, rows: [], error: null });
  const [busy, setBusy] = useState(false);
  const generation = useRef(0);
  const loadingMore = useRef(false);
  const fetchRef = useRef(fetch);
  useEffect(() => {
    fetchRef.current = fetch;
  });

  // A new question: its first page (loading until it answers, as state.key differs from key).
  useEffect(() => {
    const gen = ++generation.current;
    loadingMore.current = false;
    if (key === null) return;
    fetchRef.current(0, REPORT_PAGE).then(
      (r) => gen === generation.current && setState({ key, head: r, rows: r.rows, error: null }),
      (e: unknown) => gen === generation.current && setState({ key, head: null, rows: [], error: toAppError(e) }),
    );
  }, [key]);

  const current = state.key === key;
  const rows = current ? state.rows : [];
  const total = current ? (state.head?.total ?? 0) : 0;
  const loadMore = useCallback(() => {
    if (loadingMore.current || state.key !== key || state.rows.length >= (state.head?.total ?? 0)) return;
    const gen = generation.current;
    loadingMore.current = true;
    setBusy(true);
    fetchRef.current(state.rows.length, REPORT_PAGE).then(
      (r) => gen === generation.current && setState((s) => ({ ...s, rows: [...s.rows, ...r.rows] })),
      (e: unknown) => gen === generation.current && setState((s) => ({ ...s, error: toAppError(e) })),
    ).finally(() => {
      if (gen === generation.current) loadingMore.current = false;
      setBusy(false);
    });
  }, [key, state]);

  return {
    head: current ? state.head : null,
    rows,
    total,
    hasMore: current && rows.length < total,
    loading: key !== null && ((busy && current) || !current),
    error: current ? state.error : null,
    loadMore,
  };
}
