import type { CurrentStockQuery } from '../../shared/contract/schemas';

export type StockSortKey = NonNullable<CurrentStockQuery['sort']>;
export type SortDirection = NonNullable<CurrentStockQuery['direction']>;
export type StockStatusFilter = NonNullable<CurrentStockQuery['status']>;

/** What the toolbar and column headers choose; turned into a stock.current query. */
export interface StockFilters {
  search: string;
  siteId: number | null;
  status: StockStatusFilter;
  sort: StockSortKey;
  direction: SortDirection;
}

export const DEFAULT_FILTERS: StockFilters = { search: '', siteId: null, status: 'all', sort: 'sku', direction: 'asc' };

/** Rows fetched per stock.current call. */
export const PAGE_SIZE = 500;

export type StockQuery = Omit<CurrentStockQuery, 'limit' | 'offset'>;

export function toQuery(filters: StockFilters): StockQuery {
  const search = filters.search.trim();
  return {
    ...(search ? { search } : {}),
    ...(filters.siteId !== null ? { siteId: filters.siteId } : {}),
    status: filters.status,
    sort: filters.sort,
    direction: filters.direction,
  };
}

export const STATUS_OPTIONS: readonly { value: StockStatusFilter; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'low', label: 'Low in stock' },
  { value: 'out', label: 'Out of stock' },
];
