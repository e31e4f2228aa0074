import type { StockAtDateQuery } from '../../../shared/contract/enquiry.schemas';
import type { CurrentStockPage } from '../../../shared/domain';
import type { StockAtDateResult } from '../../../shared/enquiry';
import { ReportPages } from '../report-pages';
import { lowStockAsCurrentStock, stockAtQuestion, type LowStockQuery } from '../stock-enquiry';
import type { PgStockStore } from './pg-stock-store';

/**
 * enquiry.stockAt and enquiry.lowStock on PostgreSQL (issue 17, step two): the same questions, pages and rows as
 * enquiry.ops.ts gives on SQLite (the rules in stock-enquiry.ts and report-pages.ts are the ones both use), answered
 * by PgStockStore.
 */
export class PgStockEnquiry {
  private readonly stockAtPages = new ReportPages<StockAtDateResult>();

  constructor(private readonly store: PgStockStore) {}

  /**
   * A page of stock as at `q.at`; a date or local time is read in `timeZone` (the business time zone). `store`: where
   * the state and the sum are read, one snapshot's (enquiry.pg-ops.ts) so the report is kept under the state it was summed at.
   */
  async stockAt({ offset, limit, ...q }: StockAtDateQuery, timeZone: string, store = this.store): Promise<StockAtDateResult> {
    const { at, filter, key } = stockAtQuestion(q, timeZone);
    return this.stockAtPages.pageAsync(await store.reportState(), key, () => store.stockAt(at, filter), offset, limit);
  }

  /** A page of the current stock view (status, site, search, sort) (`stock.current`), as StockQueries.current on SQLite. */
  current(q: Parameters<PgStockStore['currentStock']>[0]): Promise<CurrentStockPage> {
    return this.store.currentStock(q);
  }

  /** A page of low-stock alerts (low, and out when asked), by SKU then site. */
  lowStock(q: LowStockQuery): Promise<CurrentStockPage> {
    return this.store.currentStock(lowStockAsCurrentStock(q));
  }
}
