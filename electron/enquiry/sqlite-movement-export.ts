import type Database from 'better-sqlite3';
import type { MovementFilter } from '../../shared/contract/enquiry.schemas';
import { ExportNamesStore, LEAN, LEAN_SELECT, leanDocumentId, leanSerialId } from './movement-export-store';
import { exportHistories, type ExportLookups, type LeanRow, type MovementExportSource } from './movement-export-source';
import { writeMovementsCsv, writeMovementsXlsx, type ExportProgress } from './movement-export';
import { MovementQuery, type StatementCache } from './movement-query';
import { ChunkNames, memoId } from './export-memo';
import { runNow } from '../ledger/steps';

/** The SQLite ledger `db` as a movement export's source (MovementQuery's plans read the rows). */
export function sqliteMovementSource(db: Database.Database, cache: StatementCache, filter: MovementFilter): MovementExportSource {
  const query = new MovementQuery(db, filter, cache);
  return {
    total: query.count(50_000_000).count,
    histories: exportHistories(filter),
    lookups: exportLookups(db),
    rows: (limit, after) => query.rows(LEAN_SELECT, limit, after),
    balances: (rows, contiguous) => query.balanceStore().balances(rows, contiguous),
  };
}

/**
 * Names for the ids on a movement (ExportNamesStore: primary-key lookups per distinct id instead of seven joins per
 * row), memoised; documents, batches and serial units read for a chunk at once (`loadChunk`).
 */
function exportLookups(db: Database.Database): ExportLookups {
  const names = new ExportNamesStore(db);
  const product = memoId(names.product);
  const site = memoId(names.site);
  const bin = memoId(names.bin);
  const user = memoId(names.user);
  const documents = new ChunkNames('document', names.documents, 20_000);
  const batches = new ChunkNames('batch', names.batches, 100_000);
  const serials = new ChunkNames('serial', names.serials, 10_000);
  /** Reads the names of the chunk's documents, batches and serial units not held yet, in one statement each. */
  const loadChunk = (rows: readonly LeanRow[]) => {
    // A document's lines and a batch's movements come in runs: each is asked for once per run, not once per row.
    let lastDocument = NaN;
    let lastBatch: number | null = null;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      const d = leanDocumentId(r);
      if (d !== lastDocument) documents.want((lastDocument = d));
      const b = r[LEAN.batchId] as number | null;
      if (b !== null && b !== lastBatch) batches.want((lastBatch = b));
      if (r[LEAN.rare] !== null) {
        const s = leanSerialId(r);
        if (s !== null) serials.want(s);
      }
    }
    runNow(documents.load());
    runNow(batches.load());
    runNow(serials.load());
  };
  return { product, site, bin, user, document: documents.get, batch: batches.get, serial: serials.get, loadChunk };
}

/** A movement writer over the SQLite ledger `db`: its filtered movements as sqliteMovementSource reads them. */
const onSqlite =
  (write: (source: MovementExportSource, file: string, signal: AbortSignal, progress: (p: ExportProgress) => void, timeZone: string) => Promise<number>) =>
  (db: Database.Database, cache: StatementCache, filter: MovementFilter, file: string, signal: AbortSignal, progress: (p: ExportProgress) => void, timeZone: string): Promise<number> =>
    write(sqliteMovementSource(db, cache, filter), file, signal, progress, timeZone);

/** The SQLite ledger's filtered movements to a CSV file (writeMovementsCsv). */
export const exportMovementsCsv = onSqlite(writeMovementsCsv);
/** The SQLite ledger's filtered movements to an .xlsx (writeMovementsXlsx). */
export const exportMovementsXlsx = onSqlite(writeMovementsXlsx);
