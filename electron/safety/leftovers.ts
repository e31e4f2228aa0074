import Database from 'better-sqlite3';
import { existsSync, rmSync, statSync } from 'node:fs';
import { demoPartialPath, removeSqliteFile } from '../demo/demo-file';
import { clearDemoLoading, isDemoLoading } from '../demo/demo-marker-store';
import { ledgerContent } from '../demo/empty-ledger-store';

/**
 * At start, under the writer lock (so no live process is using them): removes what a killed run left
 * behind beside the ledger — an unfinished `stockbook demo` file, a restore's staging copy — and discards
 * a ledger that holds only a demo load that was killed part-way (nothing else: no other documents, sites,
 * bins, users with a password, settings or audit entries), so it starts empty and a new demo load is
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
  } else if (demo !== 'none') {
    notes.push(`Loading demo data did not finish, but the ledger also holds ${demo.join(', ')}, so it was kept as it is, partial demo data included.`);
  }
  return notes;
}

/**
 * Whether the file holds a demo load that did not finish, and if so what else is in it (e.g. ["sites"]): a
 * file that holds anything besides the demo's own rows is kept, unmarked — only a new ledger with nothing
 * but the partial demo is discarded.
 */
function interruptedDemo(dbPath: string): 'none' | 'only-demo' | string[] {
  let db: Database.Database | null = null;
  try {
    db = new Database(dbPath, { fileMustExist: true });
    if (!isDemoLoading(db)) return 'none';
    const other = ledgerContent(db, { besidesDemo: true });
    if (other.length === 0) return 'only-demo';
    clearDemoLoading(db);
    return other;
  } catch {
    return 'none'; // A damaged file is the start-up check's business; it is kept.
  } finally {
    db?.close();
  }
}
