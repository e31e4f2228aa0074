import type pg from 'pg';
import type { MovementFilter } from '../../../shared/contract/enquiry.schemas';
import type { CsvSeparator } from '../../../shared/csv';
import type { ExportFormat } from '../../../shared/enquiry';
import type { XlsxWriterOptions } from '../../exports/xlsx-writer';
import { readSnapshot } from '../../ledger/pg/store/pg-read-snapshot';
import { writeMovementsCsv, writeMovementsXlsx, type ExportProgress } from '../movement-export';
import { exportHistories, type ExportLookups, type LeanRow, type MovementExportSource } from '../movement-export-source';
import { emptyLeanMovement, LeanReader } from '../movement-export-store';
import { ChunkNames } from '../export-memo';
import { runLater } from '../../ledger/steps';
import { PgExportNamesStore } from './pg-export-names-store';
import { PgMovementQuery } from './pg-movement-query';
import { PgMovementStore } from './pg-movement-store';
import { PgStockStore } from './pg-stock-store';

/** The names for a PostgreSQL export's rows: every id of a chunk read (loadChunk) before its rows are written. */
function pgExportLookups(store: PgExportNamesStore): ExportLookups {
  const product = new ChunkNames('product', store.products, 1_000_000);
  const site = new ChunkNames('site', store.sites, 1_000_000);
  const bin = new ChunkNames('bin', store.bins, 1_000_000);
  const user = new ChunkNames('user', store.users, 1_000_000);
  const document = new ChunkNames('document', store.documents, 20_000);
  const batch = new ChunkNames('batch', store.batches, 100_000);
  const serial = new ChunkNames('serial', store.serials, 10_000);
  const reader = new LeanReader();
  const m = emptyLeanMovement();
  return {
    product: product.get,
    site: site.get,
    bin: bin.get,
    user: user.get,
    document: document.get,
    batch: batch.get,
    serial: serial.get,
    loadChunk: async (rows: readonly LeanRow[]) => {
      for (const r of rows) {
        reader.read(r, m);
        product.want(m.productId);
        site.want(m.siteId);
        user.want(m.userId);
        document.want(m.documentId);
        if (m.binId !== null) bin.want(m.binId);
        if (m.batchId !== null) batch.want(m.batchId);
        if (m.serialId !== null) serial.want(m.serialId);
      }
      // One after another: the statements share the snapshot's one connection.
      for (const names of [product, site, bin, user, document, batch, serial]) await runLater(names.load());
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
