import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../../shared/contract/errors';
import { SqliteLedger } from '../ledger/store/sqlite-ledger';
import { acquireWriterLock, borrowedLock } from '../ledger/writer-lock';
import { generateDemo, type DemoOptions, type DemoResult } from './generate-demo';

/** Where `stockbook demo` builds the ledger before it is renamed into place. */
export const demoPartialPath = (dbPath: string) => `${dbPath}.demo-partial`;

/** Removes an SQLite file with its WAL, shared-memory and journal files. */
export function removeSqliteFile(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${path}${suffix}`, { force: true });
}

/**
 * `stockbook demo`: generates into `<db>.demo-partial` under `<db>`'s writer lock and renames it into place
 * only when complete, so a run killed part-way never leaves a half-filled ledger at `<db>`; the next run
 * (or the next start of Stockbook on `<db>`) removes the leftover and starts over. `<db>` may be absent
 * or an empty ledger (e.g. from `stockbook init`), which the demo replaces.
 */
export async function generateDemoFile(dbPath: string, options: DemoOptions): Promise<DemoResult> {
  mkdirSync(dirname(dbPath), { recursive: true });
  const lock = acquireWriterLock(dbPath, 'stockbook demo');
  try {
    if (existsSync(dbPath)) {
      const current = await SqliteLedger.open(dbPath, { writerLock: borrowedLock(lock) });
      try {
        const c = current.queries.counts();
        if (c.products > 0 || c.movements > 0) {
          throw new AppError('CONFLICT', `${dbPath} already holds data; demo data loads only into a new or empty ledger. Give another --db path.`);
        }
        current.db.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        await current.close();
      }
    }
    const partial = demoPartialPath(dbPath);
    removeSqliteFile(partial);
    const ledger = await SqliteLedger.open(partial, { writerLock: borrowedLock(lock) });
    let result: DemoResult;
    try {
      result = await generateDemo(ledger, options);
      ledger.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch (e) {
      await ledger.close();
      removeSqliteFile(partial);
      throw e;
    }
    await ledger.close();
    // Both files are closed and checkpointed: their WAL files are empty or gone, so none can be replayed onto the other.
    for (const suffix of ['-wal', '-shm', '-journal']) {
      rmSync(`${dbPath}${suffix}`, { force: true });
      rmSync(`${partial}${suffix}`, { force: true });
    }
    renameSync(partial, dbPath);
    return result;
  } finally {
    lock.release();
  }
}
