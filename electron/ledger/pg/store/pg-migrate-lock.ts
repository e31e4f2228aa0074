import { openPool, type PgConnection } from '../pg-types';

/** The session advisory lock held while a process migrates a database ("STOCKM"; the others: pg-ledger-store.ts, pg-audit-store.ts, pg-posting-store.ts, pg-company-store.ts). */
export const MIGRATE_LOCK_KEY = 0x5354_4f43_4b4d;

/**
 * Runs `migrate` holding MIGRATE_LOCK_KEY on a connection of its own: servers started with --migrate at once (after an
 * upgrade of each) migrate one after another, and the later ones find nothing left to run, instead of both running
 * the same migration (one of them failing half-way on a table the other made). One that has to wait says so. Should the
 * lock's connection be lost meanwhile (the lock goes with it), the run fails once `migrate` ends, saying why, rather than
 * end as if it had been alone.
 */
export async function withMigrationLock<T>(connection: PgConnection, migrate: () => Promise<T>, log: (line: string) => void = console.warn): Promise<T> {
  const pool = openPool(connection, 1);
  let lost: Error | null = null;
  try {
    const c = await pool.connect();
    // A borrowed client's error is its holder's to hear: without this, its connection ending would stop the process.
    const onError = (e: Error) => (lost ??= e);
    c.on('error', onError);
    try {
      const got = (await c.query<{ got: boolean }>('SELECT pg_try_advisory_lock($1) AS got', [MIGRATE_LOCK_KEY])).rows[0]!.got;
      if (!got) {
        log(`Stockbook: another server is migrating ${connection.database}; waiting for it to finish.`);
        await c.query('SELECT pg_advisory_lock($1)', [MIGRATE_LOCK_KEY]);
      }
      const result = await migrate();
      if (lost) throw new Error(`The connection holding the migration lock was lost while migrating (${(lost as Error).message}); run the migration again.`);
      return result;
    } finally {
      if (!lost) await c.query('SELECT pg_advisory_unlock($1)', [MIGRATE_LOCK_KEY]).catch(() => undefined); // the session's end releases it anyway
      c.off('error', onError);
      c.release(lost ?? undefined);
    }
  } finally {
    await pool.end();
  }
}
