import type Database from 'better-sqlite3';
import type { MovementFilter } from '../../shared/contract/enquiry.schemas';
import { ExportNamesStore, LEAN, LEAN_SELECT, leanDocumentId, leanSerialId } from './movement-export-store';
import { exportHistories, type ExportLookups, type LeanRow, type MovementExportSource } from './movement-export-source';
import { writeMovementsCsv, writeMovementsXlsx, type ExportProgress } from './movement-export';
import { MovementQuery, type StatementCache } from './movement-query';
import { memoId } from './export-memo';

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
 * Names by id read a chunk at a time (`load`: one statement for the ids of a chunk not yet held, instead of one per
 * id), held for the next chunks up to `limit` ids, then dropped (memory stays flat).
 */
function chunkNames<V>(one: (id: number) => V, many: (ids: readonly number[]) => (V & { id: number })[], limit: number) {
  const held = new Map<number, V>();
  const wanted = new Set<number>();
  return {
    get(id: number): V {
      let v = held.get(id);
      if (v === undefined) held.set(id, (v = one(id)));
      return v;
    },
    want(id: number): void {
      if (!held.has(id)) wanted.add(id);
    },
    load(): void {
      if (wanted.size === 0) return;
      if (held.size + wanted.size > limit) held.clear();
      for (const v of many([...wanted])) held.set(v.id, v);
      wanted.clear();
    },
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
  const documents = chunkNames(names.document, names.documents, 20_000);
  const batches = chunkNames(names.batch, names.batches, 100_000);
  const serials = chunkNames(names.serial, names.serials, 10_000);
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
    documents.load();
    batches.load();
    serials.load();
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
