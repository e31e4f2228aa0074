import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppError } from '../../shared/contract/errors';
import type { ProductsListInput } from '../../shared/contract/masterdata.schemas';
import type { ProductRecord } from '../../shared/masterdata';
import { toAppError } from '../app/to-app-error';
import { useClient } from '../client';

const PAGE = 200;

export type ProductListQuery = Omit<ProductsListInput, 'limit' | 'offset'>;

export interface ProductList {
  rows: ProductRecord[];
  /** Products matching the query; null until the first page arrives. */
  total: number | null;
  /** More than `total` match (the count stops at 10,000): show "10,000+". */
  totalCapped: boolean;
  hasMore: boolean;
  loading: boolean;
  error: AppError | null;
  /** The next page (infinite scroll); ignored while one is loading or at the end. */
  loadMore: () => void;
  /** Reloads from the first page (after a change). */
  refresh: () => void;
}

/** The products matching a query, page by page; a new query (or refresh) starts again from the first page. */
export function useProductList(query: ProductListQuery): ProductList {
  const client = useClient();
  const [rows, setRows] = useState<ProductRecord[]>([]);
  const [total, setTotal] = useState<number | null>(null);
  const [totalCapped, setTotalCapped] = useState(false);
  const [ended, setEnded] = useState(false);
  const [loadedKey, setLoadedKey] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [version, setVersion] = useState(0);
  const generation = useRef(0);
  const busy = useRef(false);
  const key = JSON.stringify(query);
  const pageKey = `${version}:${key}`;

  useEffect(() => {
    const gen = ++generation.current;
    busy.current = true;
    client
      .call('masterdata.products', { ...(JSON.parse(key) as ProductListQuery), limit: PAGE, offset: 0 })
      .then((p) => {
        if (gen !== generation.current) return;
        setRows(p.rows);
        setTotal(p.total);
        setTotalCapped(p.totalCapped);
        setEnded(p.rows.length < PAGE);
        setError(null);
      })
      .catch((e: unknown) => gen === generation.current && setError(toAppError(e)))
      .finally(() => {
        if (gen !== generation.current) return;
        busy.current = false;
        setLoadedKey(pageKey);
      });
  }, [client, key, pageKey]);

  const hasMore = total !== null && !ended && (totalCapped || rows.length < total);
  const loadMore = useCallback(() => {
    if (busy.current || !hasMore) return;
    const gen = generation.current;
    busy.current = true;
    setLoadingMore(true);
    client
      .call('masterdata.products', { ...(JSON.parse(key) as ProductListQuery), limit: PAGE, offset: rows.length })
      .then((p) => {
        if (gen !== generation.current) return;
        // A product added meanwhile shifts the pages: keep each product once.
        setRows((prev) => {
          const seen = new Set(prev.map((r) => r.id));
          return [...prev, ...p.rows.filter((r) => !seen.has(r.id))];
        });
        setTotal(p.rows.length ? p.total : rows.length); // products removed meanwhile: this is the end
        setTotalCapped(p.rows.length ? p.totalCapped : false);
        setEnded(p.rows.length < PAGE);
      })
      .catch((e: unknown) => gen === generation.current && setError(toAppError(e)))
      .finally(() => {
        if (gen !== generation.current) return;
        busy.current = false;
        setLoadingMore(false);
      });
  }, [client, key, hasMore, rows.length]);

  const refresh = useCallback(() => setVersion((v) => v + 1), []);
  return { rows, total, totalCapped, hasMore, loading: loadingMore || loadedKey !== pageKey, error, loadMore, refresh };
}
