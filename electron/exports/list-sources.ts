import { numeral, type CsvCell } from '../../shared/csv';
import type { CurrentStockRow, StockStatus } from '../../shared/domain';
import type { StockAtDateResult } from '../../shared/enquiry';
import type { TrialBalance } from '../../shared/posting';
import { localClock } from '../../shared/local-time';
import type { ExportWhat } from '../../shared/contract/exports.schemas';
import { decimal } from '../enquiry/movement-export';
import type { StockQueries } from '../ledger/store/stock-queries';
import type { ListSource } from './list-file';

/** Rows per chunk read from the ledger. */
export const LIST_CHUNK = 5_000;

const STATUS_TEXT: Record<StockStatus, string> = { in_stock: 'In stock', low: 'Low', out: 'Out of stock' };
const qty = (units: number, scale: number) => numeral(decimal(units, scale));
const money = (units: number) => numeral(decimal(units, 4));

type StockFilter = Extract<ExportWhat, { list: 'currentStock' }>['query'];

/** Current Stock (and Low stock, which is Current Stock filtered to low or out) for the window's filters and sort, every row. */
export function currentStockSource(queries: StockQueries, q: StockFilter, timeZone: string, sheet = 'Current stock'): ListSource {
  const clock = localClock(timeZone);
  const base = { search: q.search, siteId: q.siteId, status: q.status, sort: q.sort, direction: q.direction };
  const first = queries.currentStock({ ...base, limit: LIST_CHUNK, offset: 0 });
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
    *chunks() {
      let page = first;
      for (let offset = 0; page.rows.length > 0; ) {
        yield page.rows.map(row);
        offset += page.rows.length;
        if (page.rows.length < LIST_CHUNK) return;
        page = queries.currentStock({ ...base, limit: LIST_CHUNK, offset });
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
