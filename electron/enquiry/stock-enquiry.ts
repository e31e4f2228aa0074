import type { StockAtDateQuery } from '../../shared/contract/enquiry.schemas';
import type { CurrentStockQuery } from '../../shared/contract/schemas';
import { instantOf } from '../../shared/business-time';

/**
 * The rules of the stock enquiries that both stores answer (SQLite in enquiry.ops.ts, PostgreSQL in
 * pg/pg-stock-enquiry.ts): what instant "stock as at" means and which report a page belongs to, and which current
 * stock lines a low-stock alert lists and in what order.
 */

/** A "stock as at" question: the instant (a date is the end of that local day in the business time zone), the narrowing, and the report's key. */
export function stockAtQuestion(q: Omit<StockAtDateQuery, 'offset' | 'limit'>, timeZone: string): { at: number; filter: { productId?: number | undefined; siteId?: number | undefined; level: 'batch' | 'site' }; key: string } {
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
export function lowStockAsCurrentStock(q: LowStockQuery): Required<Omit<CurrentStockQuery, 'search' | 'siteId'>> & Pick<CurrentStockQuery, 'search' | 'siteId'> {
  return { status: q.includeOut ? 'low_or_out' : 'low', siteId: q.siteId, limit: q.limit, offset: q.offset, sort: 'sku', direction: 'asc', search: undefined };
}
