import type { CurrentStockPage } from '../../shared/domain';
import type { StockAtDateQuery } from '../../shared/contract/enquiry.schemas';
import type { StockAtDateResult } from '../../shared/enquiry';
import type { StockQueries } from '../ledger/store/stock-queries';
import { runNow } from '../ledger/steps';
import type { MovementStore } from './movement-store';
import { ReportPages } from './report-pages';
import { lowStock, stockAtPage, type LowStockQuery, type StockEnquiry, type StockEnquiryRecords } from './stock-enquiry';
import type { StockSnapshots } from './stock-snapshots';

/** What the stock enquiries read on SQLite: the daily snapshots (and movements since), the ledger's report state, the current stock. */
export const sqliteStockRecords = (snapshots: StockSnapshots, movements: MovementStore, queries: StockQueries): StockEnquiryRecords => ({
  reportState: () => movements.reportState(),
  stockAt: (at, f) => snapshots.stockAt(at, f),
  currentStock: (q) => queries.current(q),
});

/** enquiry.stockAt and enquiry.lowStock in the SQLite worker (the rules: stock-enquiry.ts), answered at once. */
export class SqliteStockEnquiry implements StockEnquiry {
  private readonly stockAtPages = new ReportPages<StockAtDateResult>();

  constructor(private readonly records: StockEnquiryRecords) {}

  stockAt(q: StockAtDateQuery, timeZone: string): StockAtDateResult {
    return runNow(stockAtPage(this.records, this.stockAtPages, q, timeZone));
  }

  lowStock(q: LowStockQuery): CurrentStockPage {
    return runNow(lowStock(this.records, q));
  }
}
