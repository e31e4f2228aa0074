import type Database from 'better-sqlite3';

/**
 * Runs `f` in one read transaction on `db` that lasts across its awaits (better-sqlite3's transaction() cannot hold an
 * async function): every read `f` makes sees the one snapshot taken at its first read.
 */
export async function inReadSnapshot<T>(db: Database.Database, f: () => Promise<T>): Promise<T> {
  db.exec('BEGIN');
  try {
    return await f();
  } finally {
    db.exec('COMMIT');
  }
}
