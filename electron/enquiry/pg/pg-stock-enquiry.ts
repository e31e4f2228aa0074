import type { StockAtDateQuery } from '../../../shared/contract/enquiry.schemas';
import type { CurrentStockPage } from '../../../shared/domain';
import type { StockAtDateResult } from '../../../shared/enquiry';
import { runLater } from '../../ledger/steps';
import { ReportPages } from '../report-pages';
import { lowStock, stockAtPage, type LowStockQuery, type StockEnquiry } from '../stock-enquiry';
import type { PgStockStore } from './pg-stock-store';

/**
 * enquiry.stockAt and enquiry.lowStock on PostgreSQL (issue 17, step two): the same questions, pages and rows as
 * SqliteStockEnquiry gives on SQLite (the rules in stock-enquiry.ts, run on PgStockStore), and the current stock view.
 */
export class PgStockEnquiry implements StockEnquiry {
  private readonly stockAtPages = new ReportPages<StockAtDateResult>();

  constructor(private readonly store: PgStockStore) {}

  /**
   * A page of stock as at `q.at`; a date or local time is read in `timeZone` (the business time zone). `store`: where
   * the state and the sum are read, one snapshot's (enquiry.pg-ops.ts) so the report is kept under the state it was summed at.
   */
  stockAt(q: StockAtDateQuery, timeZone: string, store = this.store): Promise<StockAtDateResult> {
    return runLater(stockAtPage(store, this.stockAtPages, q, timeZone));
  }

  /** A page of the current stock view (status, site, search, sort) (`stock.current`), as StockQueries.current on SQLite. */
  current(q: Parameters<PgStockStore['currentStock']>[0]): Promise<CurrentStockPage> {
    return this.store.currentStock(q);
  }

  /** A page of low-stock alerts (low, and out when asked), by SKU then site. */
  lowStock(q: LowStockQuery): Promise<CurrentStockPage> {
    return runLater(lowStock(this.store, q));
  }
}
