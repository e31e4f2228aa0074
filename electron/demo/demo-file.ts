import Database from 'better-sqlite3';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { SqliteLedger } from '../ledger/store/sqlite-ledger';
import { truncateCheckpoint } from '../ledger/store/wal-checkpoint';
import { acquireWriterLock, borrowedLock } from '../ledger/writer-lock';
import { generateDemo, refuseUnlessNewLedger, type DemoOptions, type DemoResult } from './generate-demo';

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
 * or a new, empty ledger (e.g. from `stockbook init`), which the demo replaces; any other ledger is refused
 * untouched, and checked again just before the rename, so nothing anyone set up is ever renamed over.
 */
export async function generateDemoFile(dbPath: string, options: DemoOptions): Promise<DemoResult> {
  mkdirSync(dirname(dbPath), { recursive: true });
  const lock = acquireWriterLock(dbPath, 'stockbook demo');
  try {
    if (existsSync(dbPath)) {
      const current = await SqliteLedger.open(dbPath, { writerLock: borrowedLock(lock) });
      try {
        refuseUnlessNewLedger(current.db, dbPath);
        truncateCheckpoint(current.db);
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
      truncateCheckpoint(ledger.db);
    } catch (e) {
      await ledger.close();
      removeSqliteFile(partial);
      throw e;
    }
    await ledger.close();
    // Still a new, empty ledger at <db>? (The writer lock keeps Stockbook out, but check again before replacing it.)
    if (existsSync(dbPath)) {
      const current = new Database(dbPath, { fileMustExist: true });
      try {
        refuseUnlessNewLedger(current, dbPath);
      } catch (e) {
        removeSqliteFile(partial);
        throw e;
      } finally {
        current.close();
      }
    }
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
