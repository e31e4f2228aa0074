import Database from 'better-sqlite3';
import { existsSync, rmSync, statSync } from 'node:fs';
import { demoPartialPath, removeSqliteFile } from '../demo/demo-file';
import { clearDemoLoading, holdsOtherDocuments, isDemoLoading } from '../demo/demo-marker-store';

/**
 * At start, under the writer lock (so no live process is using them): removes what a killed run left
 * behind beside the ledger — an unfinished `stockbook demo` file, a restore's staging copy — and discards
 * a ledger that holds only a demo load that was killed part-way, so it starts empty and a new demo load is
 * accepted. Returns notes for the log.
 */
export function clearLeftovers(dbPath: string): string[] {
  const notes: string[] = [];
  const partial = demoPartialPath(dbPath);
  if (existsSync(partial)) {
    removeSqliteFile(partial);
    notes.push(`Removed ${partial}, left by a "stockbook demo" that did not finish.`);
  }
  rmSync(`${dbPath}.restoring`, { force: true });
  const demo = existsSync(dbPath) && statSync(dbPath).size > 0 ? interruptedDemo(dbPath) : 'none';
  if (demo === 'only-demo') {
    removeSqliteFile(dbPath);
    notes.push('The ledger held only demo data whose loading did not finish; it was discarded, so the ledger starts empty. Load demo data again if you want it.');
  } else if (demo === 'with-other-documents') {
    notes.push('Loading demo data did not finish, but other documents were posted meanwhile, so the ledger was kept as it is.');
  }
  return notes;
}

/** Whether the file holds a demo load that did not finish, and whether anything else was posted into it meanwhile (then it is kept, unmarked). */
function interruptedDemo(dbPath: string): 'none' | 'only-demo' | 'with-other-documents' {
  let db: Database.Database | null = null;
  try {
    db = new Database(dbPath, { fileMustExist: true });
    if (!isDemoLoading(db)) return 'none';
    if (!holdsOtherDocuments(db)) return 'only-demo';
    clearDemoLoading(db);
    return 'with-other-documents';
  } catch {
    return 'none'; // A damaged file is the start-up check's business.
  } finally {
    db?.close();
  }
}
