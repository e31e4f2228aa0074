import type pg from 'pg';
import type { StockAtDateQuery } from '../../../shared/contract/enquiry.schemas';
import type { CurrentStockPage } from '../../../shared/domain';
import type { StockAtDateResult } from '../../../shared/enquiry';
import { runLater } from '../../ledger/steps';
import type { ReportPages } from '../report-pages';
import { lowStock, stockAtPage, type LowStockQuery, type StockEnquiry } from '../stock-enquiry';
import { PgStockStore } from './pg-stock-store';

/**
 * enquiry.stockAt and enquiry.lowStock on PostgreSQL (issue 17, step two): the same questions, pages and rows as
 * SqliteStockEnquiry gives on SQLite (the rules in stock-enquiry.ts, run on PgStockStore). It is built on one read
 * snapshot's client (readSnapshot), never on the pool, so a stock-at-date report and the ledger state it is kept under
 * are read from the same snapshot: no caller can read one outside it.
 */
export class PgStockEnquiry implements StockEnquiry {
  private readonly store: PgStockStore;

  /** `c`: the read snapshot's client; `stockAtPages`: the reports kept for their next pages, shared by every snapshot's enquiry. */
  constructor(
    c: pg.PoolClient,
    private readonly stockAtPages: ReportPages<StockAtDateResult>,
  ) {
    this.store = new PgStockStore(c);
  }

  /** A page of stock as at `q.at`; a date or local time is read in `timeZone` (the business time zone). */
  stockAt(q: StockAtDateQuery, timeZone: string): Promise<StockAtDateResult> {
    return runLater(stockAtPage(this.store, this.stockAtPages, q, timeZone));
  }

  /** A page of low-stock alerts (low, and out when asked), by SKU then site. */
  lowStock(q: LowStockQuery): Promise<CurrentStockPage> {
    return runLater(lowStock(this.store, q));
  }
}
