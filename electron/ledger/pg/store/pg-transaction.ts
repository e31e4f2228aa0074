import type pg from 'pg';

/** Failures PostgreSQL asks the client to retry: serialization failure and deadlock. */
const RETRY_CODES = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 5;

/**
 * One transaction on its own connection (READ COMMITTED; the locks give the order), retried from the start when
 * PostgreSQL asks for it (`retryable`: serialization failure and deadlock unless told otherwise). `work` runs again
 * on a retry, so it must start from nothing but its inputs. A connection whose ROLLBACK failed is broken: it is
 * dropped from the pool, never handed to the next caller.
 */
export async function pgTransaction<T>(pool: pg.Pool, work: (c: pg.PoolClient) => Promise<T>, retryable: (e: unknown) => boolean = isRetryable): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const c = await pool.connect();
    let broken: Error | undefined;
    try {
      // READ COMMITTED always, whatever the database's default: each statement after a lock must see the rows
      // committed before the lock was granted (under REPEATABLE READ the snapshot would predate the lock).
      await c.query('BEGIN ISOLATION LEVEL READ COMMITTED');
      const result = await work(c);
      await c.query('COMMIT');
      return result;
    } catch (e) {
      await c.query('ROLLBACK').catch((r: unknown) => (broken = r instanceof Error ? r : new Error(String(r))));
      if (!broken && attempt < MAX_ATTEMPTS && retryable(e)) continue;
      throw e;
    } finally {
      c.release(broken);
    }
  }
}

/** Serialization failure or deadlock. */
export const isRetryable = (e: unknown): boolean => RETRY_CODES.has((e as { code?: string }).code ?? '');
