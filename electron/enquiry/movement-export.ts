import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { AppError } from '../../shared/contract/errors';
import type { MovementFilter } from '../../shared/contract/enquiry.schemas';
import type { MovementCursor, MovementView } from '../../shared/enquiry';
import { MONEY_SCALE } from '../../shared/quantity';
import { csvLine, csvNumber, csvText } from './csv';
import { MovementQuery, type StatementCache } from './movement-query';

const CHUNK = 5_000;

export const EXPORT_HEADER = [
  'Seq', 'Occurred at', 'Recorded at', 'SKU', 'Product', 'Site', 'Bin', 'Movement type', 'Type code', 'Quantity',
  'Balance after', 'Unit', 'Batch', 'Expiry', 'Serial', 'Unit cost', 'Value', 'Cost source', 'Source document',
  'Source reference', 'Document id', 'Line', 'Note', 'User', 'Reversal of',
];

/** Fixed-point decimal text of an integer at a scale: (-12500, 3) → "-12.500". No grouping, so spreadsheets parse it. */
export function decimal(units: number, scale: number): string {
  if (scale === 0) return String(units);
  const sign = units < 0 ? '-' : '';
  const abs = Math.abs(units);
  const div = 10 ** scale;
  return `${sign}${Math.floor(abs / div)}.${String(abs % div).padStart(scale, '0')}`;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function exportRow(r: MovementView): string {
  return csvLine([
    csvNumber(r.seq), iso(r.occurredAt), iso(r.recordedAt), csvText(r.sku), csvText(r.productName), csvText(r.siteCode), csvText(r.binCode),
    csvText(r.typeName), csvText(r.type), csvNumber(decimal(r.qty, r.scale)), csvNumber(decimal(r.balanceAfter, r.scale)), csvText(r.unit),
    csvText(r.batchCode), csvText(r.expiry), csvText(r.serial), csvNumber(decimal(r.unitCost, 4)), csvNumber(decimal(r.value, 4)),
    csvText(r.costSource), csvText(r.documentType), csvText(r.documentReference), csvNumber(r.documentId), csvNumber(r.lineNo),
    csvText(r.note), csvText(r.userName), csvNumber(r.reversalOf),
  ]);
}

export interface ExportProgress {
  done: number;
  total: number;
  phase: string;
}

/**
 * Streams the filtered movements, oldest first, to `<dir>/<name>.csv` in keyset chunks: memory holds one chunk whatever
 * the row count. Written to a .part file and renamed when complete, so a cancel or failure leaves no half file.
 */
export async function exportMovementsCsv(
  db: Database.Database,
  cache: StatementCache,
  filter: MovementFilter,
  file: string,
  signal: AbortSignal,
  progress: (p: ExportProgress) => void,
): Promise<number> {
  if (MONEY_SCALE !== 10_000) throw new Error('export assumes money in 1/10000');
  mkdirSync(join(file, '..'), { recursive: true });
  const query = new MovementQuery(db, filter, cache);
  const total = query.count(50_000_000).count;
  const part = `${file}.part`;
  const fd = openSync(part, 'w');
  let done = 0;
  try {
    writeSync(fd, `\uFEFF${csvLine(EXPORT_HEADER)}`);
    let cursor: MovementCursor | undefined;
    for (;;) {
      if (signal.aborted) throw new AppError('CANCELLED', `The export was cancelled after ${done} of ${total} rows; no file was left behind.`);
      const page = query.page('asc', CHUNK, cursor);
      let text = '';
      for (const r of page.rows) text += exportRow(r);
      writeSync(fd, text);
      done += page.rows.length;
      progress({ done, total, phase: 'writing' });
      if (!page.next) break;
      cursor = page.next;
      await new Promise((resolve) => setImmediate(resolve));
    }
    closeSync(fd);
    renameSync(part, file);
    return done;
  } catch (e) {
    try {
      closeSync(fd);
    } catch {
      /* already closed */
    }
    rmSync(part, { force: true });
    throw e;
  }
}
