import type { MovementFilter } from '../../shared/contract/enquiry.schemas';
import type { MovementCursor } from '../../shared/enquiry';
import type { BalanceKeyRow } from './balance-on-date-store';
import type { BatchNames, BinNames, DocumentNames, ProductNames, SerialNames, SiteNames, UserNames } from './movement-export-store';

/** A row as the ledger hands it over: the LEAN values (movement-export-store.ts). */
export type LeanRow = unknown[];

/** Names for the ids on a movement row; `loadChunk` is called with each chunk's rows before they are written. */
export interface ExportLookups {
  product(id: number): ProductNames;
  site(id: number): SiteNames;
  bin(id: number): BinNames;
  user(id: number): UserNames;
  document(id: number): DocumentNames;
  batch(id: number): BatchNames;
  serial(id: number): SerialNames;
  loadChunk(rows: readonly LeanRow[]): void | Promise<void>;
}

/**
 * How much of each product/site's history the filter keeps, which is how the balance on that date is worked out:
 * 'whole' (no filter but product and site: every history from its first movement, summed in memory), 'fromDate' (the
 * same from an effective date on: the first row of each is read from the ledger, the rest summed in memory), 'partial'
 * (any other field: each chunk's balances read from the ledger).
 */
export type ExportHistories = 'whole' | 'fromDate' | 'partial';

export function exportHistories(f: MovementFilter): ExportHistories {
  const ids = [f.binId, f.batchId, f.documentId, f.userId].some((v) => typeof v === 'number');
  const narrows = ids || (f.types?.length ?? 0) > 0 || f.recorded?.from !== undefined || f.recorded?.to !== undefined || !!(f.expiry?.from || f.expiry?.to) || !!f.search?.trim();
  return narrows ? 'partial' : f.occurred?.from !== undefined ? 'fromDate' : 'whole';
}

/**
 * Where a movement export reads from: the one thing that differs between the stores (the SQLite ledger in a job
 * thread's snapshot, sqlite-movement-export.ts; PostgreSQL in one read snapshot, pg/pg-movement-export.ts). The writers
 * (movement-export.ts) are the same for both, so the same ledger gives the same file.
 */
export interface MovementExportSource {
  /** The filtered movements' count (the progress's total). */
  total: number;
  histories: ExportHistories;
  lookups: ExportLookups;
  /** The next `limit` filtered movements after `after`, oldest first in (occurred_at, seq) order, as LEAN rows. */
  rows(limit: number, after?: MovementCursor): LeanRow[] | Promise<LeanRow[]>;
  /** Each row's product/site balance on that date, by seq (`contiguous`: the rows continue the last ones asked for). */
  balances(rows: BalanceKeyRow[], contiguous: boolean): Map<number, number> | Promise<Map<number, number>>;
}
