import type { StockAtDateQuery } from '../../shared/contract/enquiry.schemas';
import type { CurrentStockPage } from '../../shared/domain';
import type { StockAtDateResult } from '../../shared/enquiry';
import { instantOf } from '../../shared/business-time';
import type { Parsed as CurrentStockAsk } from '../ledger/store/stock-queries';
import { value, type Awaitable, type Steps } from '../ledger/steps';
import type { ReportPages } from './report-pages';

/**
 * The rules of the stock enquiries that both stores answer (SQLite's SqliteStockEnquiry, PostgreSQL's PgStockEnquiry,
 * both a StockEnquiry): what instant "stock as at" means and which report a page belongs to, and which current stock
 * lines a low-stock alert lists and in what order.
 */

/** What a "stock as at" answer is narrowed to ('batch': per product/site/bin/batch; 'site': per product/site). */
export interface StockAtFilter {
  productId?: number | undefined;
  siteId?: number | undefined;
  level: 'batch' | 'site';
}

/**
 * What the stock enquiries read: on SQLite the daily snapshots, the ledger's report state and StockQueries.current
 * (sqlite-stock-enquiry.ts sqliteStockRecords), on PostgreSQL PgStockStore (each answer one statement).
 */
export interface StockEnquiryRecords {
  /** What a kept report was computed against: the last movement and the last audit entry, "seq:auditId". */
  reportState(): Awaitable<string>;
  /** Stock as at `at` (inclusive): zero lines and external pseudo-sites left out. */
  stockAt(at: number, f: StockAtFilter): Awaitable<StockAtDateResult>;
  /** A page of current stock lines (the current stock view and low-stock alerts). */
  currentStock(q: CurrentStockAsk): Awaitable<CurrentStockPage>;
}

/** The stock enquiries as both stores answer them (SQLite at once, PostgreSQL later). */
export interface StockEnquiry {
  /** A page of stock as at `q.at`; a date or local time is read in `timeZone` (the business time zone). */
  stockAt(q: StockAtDateQuery, timeZone: string): Awaitable<StockAtDateResult>;
  /** A page of low-stock alerts (low, and out when asked), by SKU then site. */
  lowStock(q: LowStockQuery): Awaitable<CurrentStockPage>;
}

/**
 * A page of stock as at `q.at` (the rule for both stores): the report is summed once per question and ledger state
 * and kept in `pages` for the next pages.
 */
export function* stockAtPage(r: StockEnquiryRecords, pages: ReportPages<StockAtDateResult>, { offset, limit, ...q }: StockAtDateQuery, timeZone: string): Steps<StockAtDateResult> {
  const { at, filter, key } = stockAtQuestion(q, timeZone);
  return yield* pages.pageSteps(r.reportState(), key, () => r.stockAt(at, filter), offset, limit);
}

/** A page of low-stock alerts: the current stock lines lowStockAsCurrentStock names (the rule for both stores). */
export function* lowStock(r: StockEnquiryRecords, q: LowStockQuery): Steps<CurrentStockPage> {
  return yield* value(r.currentStock(lowStockAsCurrentStock(q)));
}

/** A "stock as at" question: the instant (a date is the end of that local day in the business time zone), the narrowing, and the report's key. */
export function stockAtQuestion(q: Omit<StockAtDateQuery, 'offset' | 'limit'>, timeZone: string): { at: number; filter: StockAtFilter; key: string } {
  const at = instantOf(q.at, timeZone);
  return { at, filter: { productId: q.productId, siteId: q.siteId, level: q.level }, key: JSON.stringify({ ...q, at }) };
}

/** The low-stock query as the contract parses it. */
export interface LowStockQuery {
  siteId?: number | undefined;
  includeOut: boolean;
  limit: number;
  offset: number;
}

/** Low-stock alerts are the current stock lines that are low (and out, when asked), by SKU then site. */
export function lowStockAsCurrentStock(q: LowStockQuery): CurrentStockAsk {
  return { status: q.includeOut ? 'low_or_out' : 'low', siteId: q.siteId, limit: q.limit, offset: q.offset, sort: 'sku', direction: 'asc', search: undefined };
}
