import type Database from 'better-sqlite3';
import { setSetting } from '../safety/settings-store';

/**
 * "Demo data is loading" — set in the same transaction as the demo's first rows and cleared after its last,
 * so a ledger that still carries it holds a demo load that was killed part-way (demo data loads only into
 * a new, empty ledger, so such a file holds nothing else unless someone worked in it meanwhile). The next
 * start discards it if it holds nothing but the demo's rows, else keeps it and clears the mark
 * (electron/safety/leftovers.ts). A cancelled load clears the mark and keeps its documents.
 */
const KEY = 'demo.loading';

export function markDemoLoading(db: Database.Database, now = Date.now()): void {
  setSetting(db, KEY, { startedAt: now }, now);
}

export function clearDemoLoading(db: Database.Database): void {
  db.prepare('DELETE FROM settings WHERE key = ?').run(KEY);
}

/** True when the file holds a demo load that did not finish. Works on a file that predates the settings table. */
export function isDemoLoading(db: Database.Database): boolean {
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'settings'").get();
  return Boolean(hasTable && db.prepare('SELECT 1 FROM settings WHERE key = ?').get(KEY));
}
