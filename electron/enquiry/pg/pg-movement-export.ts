import type pg from 'pg';
import type { MovementFilter } from '../../../shared/contract/enquiry.schemas';
import type { CsvSeparator } from '../../../shared/csv';
import type { ExportFormat } from '../../../shared/enquiry';
import type { XlsxWriterOptions } from '../../exports/xlsx-writer';
import { readSnapshot } from '../../ledger/pg/store/pg-read-snapshot';
import { writeMovementsCsv, writeMovementsXlsx, type ExportProgress } from '../movement-export';
import { exportHistories, type ExportLookups, type LeanRow, type MovementExportSource } from '../movement-export-source';
import { emptyLeanMovement, LeanReader } from '../movement-export-store';
import { PgExportNamesStore } from './pg-export-names-store';
import { PgMovementQuery } from './pg-movement-query';
import { PgMovementStore } from './pg-movement-store';
import { PgStockStore } from './pg-stock-store';

/**
 * Names of one kind held by id for the chunks of an export, read for a chunk's ids not yet held in one statement; past
 * `limit` ids the held ones are dropped (memory stays flat) and the chunk's are read again.
 */
class HeldNames<V> {
  private readonly held = new Map<number, V>();

  constructor(
    private readonly kind: string,
    private readonly read: (ids: readonly number[]) => Promise<(V & { id: number })[]>,
    private readonly limit: number,
  ) {}

  async load(ids: ReadonlySet<number>): Promise<void> {
    let missing = [...ids].filter((id) => !this.held.has(id));
    if (missing.length === 0) return;
    if (this.held.size + missing.length > this.limit) {
      this.held.clear();
      missing = [...ids];
    }
    for (const v of await this.read(missing)) this.held.set(v.id, v);
  }

  get(id: number): V {
    const v = this.held.get(id);
    if (v === undefined) throw new Error(`The export found no ${this.kind} ${id} for a movement of the ledger.`);
    return v;
  }
}

/** The names for a PostgreSQL export's rows: every id of a chunk read (loadChunk) before its rows are written. */
function pgExportLookups(store: PgExportNamesStore): ExportLookups {
  const product = new HeldNames('product', store.products, 1_000_000);
  const site = new HeldNames('site', store.sites, 1_000_000);
  const bin = new HeldNames('bin', store.bins, 1_000_000);
  const user = new HeldNames('user', store.users, 1_000_000);
  const document = new HeldNames('document', store.documents, 20_000);
  const batch = new HeldNames('batch', store.batches, 100_000);
  const serial = new HeldNames('serial', store.serials, 10_000);
  const reader = new LeanReader();
  const m = emptyLeanMovement();
  return {
    product: (id) => product.get(id),
    site: (id) => site.get(id),
    bin: (id) => bin.get(id),
    user: (id) => user.get(id),
    document: (id) => document.get(id),
    batch: (id) => batch.get(id),
    serial: (id) => serial.get(id),
    loadChunk: async (rows: readonly LeanRow[]) => {
      const ids = { product: new Set<number>(), site: new Set<number>(), bin: new Set<number>(), user: new Set<number>(), document: new Set<number>(), batch: new Set<number>(), serial: new Set<number>() };
      for (const r of rows) {
        reader.read(r, m);
        ids.product.add(m.productId);
        ids.site.add(m.siteId);
        ids.user.add(m.userId);
        ids.document.add(m.documentId);
        if (m.binId !== null) ids.bin.add(m.binId);
        if (m.batchId !== null) ids.batch.add(m.batchId);
        if (m.serialId !== null) ids.serial.add(m.serialId);
      }
      // One after another: the statements share the snapshot's one connection.
      await product.load(ids.product);
      await site.load(ids.site);
      await bin.load(ids.bin);
      await user.load(ids.user);
      await document.load(ids.document);
      await batch.load(ids.batch);
      await serial.load(ids.serial);
    },
  };
}

/**
 * A PostgreSQL ledger as a movement export's source (the writers are movement-export.ts's, the same as SQLite's): the
 * filtered movements in keyset chunks (pg-movement-store.ts exportRows), their balances on that date, their names.
 * `c` is one connection in a read snapshot (readSnapshot), so the file is the ledger as it was when the export began.
 */
export async function pgMovementSource(c: pg.PoolClient, filter: MovementFilter): Promise<MovementExportSource> {
  const store = new PgMovementStore(c);
  const query = await PgMovementQuery.open(store, filter);
  return {
    total: (await query.count(50_000_000, () => new PgStockStore(c).head())).count,
    histories: exportHistories(filter),
    lookups: pgExportLookups(new PgExportNamesStore(c)),
    rows: (limit, after) => query.exportRows(limit, after),
    balances: (rows) => store.balancesOnDate(rows),
  };
}

/**
 * A movement export job's body on PostgreSQL: the filtered movements to `file` in `format` through the writers both
 * stores share, read in one snapshot on one connection of `pool` (keyset chunks: memory flat whatever the count).
 */
export function pgMovementExport(pool: pg.Pool, filter: MovementFilter, format: ExportFormat, style: { timeZone: string; separator: CsvSeparator }, xlsx: XlsxWriterOptions = {}) {
  const { timeZone, separator } = style;
  return (file: string, signal: AbortSignal, progress: (p: ExportProgress) => void): Promise<number> =>
    readSnapshot(pool, async (c) => {
      const source = await pgMovementSource(c, filter);
      return format === 'xlsx' ? writeMovementsXlsx(source, file, signal, progress, timeZone, xlsx) : writeMovementsCsv(source, file, signal, progress, timeZone, separator);
    });
}
