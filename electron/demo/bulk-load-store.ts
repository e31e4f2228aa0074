import type Database from 'better-sqlite3';

/**
 * Runs one chunk of the demo's bulk load with SQLite's foreign-key checks off, and turns them back on after it,
 * whether it commits or fails. Safe only where the writer checks every reference itself: the document poster
 * resolves each line's product, site and bin, writes or finds its batch and serial unit, checks the user and the
 * corrected movement, and the demo is the only writer of its new ledger. It saves ~6 index look-ups per movement.
 * Inside a running transaction the pragma cannot change, so there the checks stay on.
 */
export function withoutForeignKeyChecks<T>(db: Database.Database, run: () => T): T {
  if (db.inTransaction) return run();
  db.pragma('foreign_keys = OFF');
  try {
    return run();
  } finally {
    db.pragma('foreign_keys = ON');
  }
}
