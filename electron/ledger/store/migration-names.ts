import type Database from 'better-sqlite3';

/**
 * The migrations the file has applied, oldest first, read before anything migrates it (an older or newer Stockbook's file,
 * or not a ledger at all): none when the file has no migrations table.
 */
export function appliedMigrationNames(db: Database.Database): string[] {
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'migrations'").get();
  return hasTable ? (db.prepare('SELECT name FROM migrations ORDER BY id').all() as { name: string }[]).map((r) => r.name) : [];
}
