import { openPool, type PgConnection } from '../pg-types';

/** The session advisory lock held while a process migrates a database ("STOCKM"; the others: pg-ledger-store.ts, pg-audit-store.ts, pg-posting-store.ts, pg-company-store.ts). */
export const MIGRATE_LOCK_KEY = 0x5354_4f43_4b4d;

/**
 * Runs `migrate` holding MIGRATE_LOCK_KEY on a connection of its own: servers started with --migrate at once (after an
 * upgrade of each) migrate one after another, and the later ones find nothing left to run, instead of both running
 * the same migration (one of them failing half-way on a table the other made).
 */
export async function withMigrationLock<T>(connection: PgConnection, migrate: () => Promise<T>): Promise<T> {
  const pool = openPool(connection, 1);
  try {
    const c = await pool.connect();
    try {
      await c.query('SELECT pg_advisory_lock($1)', [MIGRATE_LOCK_KEY]);
      try {
        return await migrate();
      } finally {
        await c.query('SELECT pg_advisory_unlock($1)', [MIGRATE_LOCK_KEY]).catch(() => undefined); // the session's end releases it anyway
      }
    } finally {
      c.release();
    }
  } finally {
    await pool.end();
  }
}
