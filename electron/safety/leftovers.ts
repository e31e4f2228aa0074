import Database from 'better-sqlite3';
import { existsSync, rmSync, statSync } from 'node:fs';
import { demoPartialPath, removeSqliteFile } from '../demo/demo-file';
import { isDemoLoading } from '../demo/demo-marker-store';

/**
 * At start, under the writer lock (so no live process is using them): removes what a killed run left
 * behind beside the ledger — an unfinished `stockbook demo` file, a restore's staging copy — and discards
 * a ledger that holds only a demo load that was killed or stopped part-way, so it starts empty and a new
 * demo load is accepted. Returns notes for the log.
 */
export function clearLeftovers(dbPath: string): string[] {
  const notes: string[] = [];
  const partial = demoPartialPath(dbPath);
  if (existsSync(partial)) {
    removeSqliteFile(partial);
    notes.push(`Removed ${partial}, left by a "stockbook demo" that did not finish.`);
  }
  rmSync(`${dbPath}.restoring`, { force: true });
  if (existsSync(dbPath) && statSync(dbPath).size > 0 && holdsInterruptedDemo(dbPath)) {
    removeSqliteFile(dbPath);
    notes.push('The ledger held only demo data whose loading did not finish; it was discarded, so the ledger starts empty. Load demo data again if you want it.');
  }
  return notes;
}

function holdsInterruptedDemo(dbPath: string): boolean {
  let db: Database.Database | null = null;
  try {
    db = new Database(dbPath, { readonly: true, fileMustExist: true });
    return isDemoLoading(db);
  } catch {
    return false; // A damaged file is the start-up check's business.
  } finally {
    db?.close();
  }
}
