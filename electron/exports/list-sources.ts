import { numeral, type CsvCell } from '../../shared/csv';
import type { CurrentStockPage, CurrentStockRow, StockStatus } from '../../shared/domain';
import type { StockAtDateResult } from '../../shared/enquiry';
import { instantOf } from '../../shared/business-time';
import type { TrialBalance } from '../../shared/posting';
import { localClock } from '../../shared/local-time';
import type { ExportWhat } from '../../shared/contract/exports.schemas';
import { decimal } from '../enquiry/movement-export';
import type { Parsed as CurrentStockQuery } from '../ledger/store/stock-queries';
import { canonicalTargetKey } from '../posting/targets/open-target';
import type { ListSource } from './list-file';

/** Rows per chunk read from the ledger. */
export const LIST_CHUNK = 5_000;

const STATUS_TEXT: Record<StockStatus, string> = { in_stock: 'In stock', low: 'Low', out: 'Out of stock' };
const qty = (units: number, scale: number) => numeral(decimal(units, scale));
const money = (units: number) => numeral(decimal(units, 4));

type StockFilter = Extract<ExportWhat, { list: 'currentStock' }>['query'];

/** Any list the windows show but the movements (which have their own job). */
export type ListWhat = Exclude<ExportWhat, { list: 'movements' }>;

/**
 * What a list export reads from a ledger: the one thing that differs between the stores (SQLite: list-export-job.ts in
 * a job thread's snapshot; PostgreSQL: exports.pg-ops.ts in one read snapshot). Everything else, the rows' text and
 * the file, is the same for both (listSource below, list-file.ts).
 */
export interface ListReads {
  currentStock(q: CurrentStockQuery): CurrentStockPage | Promise<CurrentStockPage>;
  stockAt(at: number, q: { productId?: number | undefined; siteId?: number | undefined; level: 'batch' | 'site' }): StockAtDateResult | Promise<StockAtDateResult>;
  trialBalance(target: string): TrialBalance | Promise<TrialBalance>;
}

/** The list `what` as `reads` gives it, its times in `timeZone` (the business time zone). */
export async function listSource(reads: ListReads, what: ListWhat, timeZone: string): Promise<ListSource> {
  switch (what.list) {
    case 'currentStock':
      return currentStockSource(reads, what.query, timeZone);
    case 'lowStock':
      return currentStockSource(reads, { status: what.query.includeOut ? 'low_or_out' : 'low', siteId: what.query.siteId, sort: 'sku', direction: 'asc' }, timeZone, 'Low stock');
    case 'stockAt': {
      const q = what.query;
      return stockAtSource(await reads.stockAt(instantOf(q.at, timeZone), { productId: q.productId, siteId: q.siteId, level: q.level }), q.level);
    }
    case 'trialBalance':
      return trialBalanceSource(await reads.trialBalance(canonicalTargetKey(what.target)));
  }
}

/** Current Stock (and Low stock, which is Current Stock filtered to low or out) for the window's filters and sort, every row. */
export async function currentStockSource(reads: Pick<ListReads, 'currentStock'>, q: StockFilter, timeZone: string, sheet = 'Current stock'): Promise<ListSource> {
  const clock = localClock(timeZone);
  const base = { search: q.search, siteId: q.siteId, status: q.status, sort: q.sort, direction: q.direction };
  const first = await reads.currentStock({ ...base, limit: LIST_CHUNK, offset: 0 });
  const row = (r: CurrentStockRow): CsvCell[] => [
    r.sku, r.name, r.siteCode, r.siteName, r.stockType, qty(r.onHand, r.scale), r.unit,
    r.lowStockLevel === null ? null : qty(r.lowStockLevel, r.scale), STATUS_TEXT[r.status],
    r.lastMovementAt ? clock.text(Date.parse(r.lastMovementAt)) : null,
  ];
  return {
    noun: 'lines',
    sheet,
    header: ['SKU', 'Product', 'Site', 'Site name', 'Stock type', 'On hand', 'Unit', 'Low-stock level', 'Status', `Last movement (${timeZone})`],
    total: first.total,
    async *chunks() {
      let page = first;
      for (let offset = 0; page.rows.length > 0; ) {
        yield page.rows.map(row);
        offset += page.rows.length;
        if (page.rows.length < LIST_CHUNK) return;
        page = await reads.currentStock({ ...base, limit: LIST_CHUNK, offset });
      }
    },
  };
}

/** Stock at a date, at the level the window shows (per product and site, or per bin and batch). */
export function stockAtSource(result: StockAtDateResult, level: 'batch' | 'site'): ListSource {
  const batch = level === 'batch';
  return {
    noun: 'lines',
    sheet: 'Stock at date',
    header: ['SKU', 'Product', 'Site', ...(batch ? ['Bin', 'Batch', 'Expiry'] : []), 'Quantity', 'Unit'],
    total: result.rows.length,
    *chunks() {
      for (let i = 0; i < result.rows.length; i += LIST_CHUNK) {
        yield result.rows.slice(i, i + LIST_CHUNK).map((r) => [
          r.sku, r.name, r.siteCode, ...(batch ? [r.binCode, r.batchCode, r.expiry] : []), qty(r.qty, r.scale), r.unit,
        ]);
      }
    },
  };
}

/** The trial balance of a finance target: one row per account (money in the base currency, 4 decimals). */
export function trialBalanceSource(tb: TrialBalance): ListSource {
  return {
    noun: 'accounts',
    sheet: 'Trial balance',
    header: ['Account', 'Name', 'Debit', 'Credit', 'Balance (debit +, credit −)'],
    total: tb.rows.length,
    *chunks() {
      if (tb.rows.length) yield tb.rows.map((r) => [r.code, r.name, money(r.debit), money(r.credit), money(r.balance)]);
    },
  };
}
