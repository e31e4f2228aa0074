import type pg from 'pg';

/** What a store's reads run on: the pool (each statement its own snapshot) or one connection inside a read snapshot. */
export type PgReader = pg.Pool | pg.PoolClient;

/**
 * Runs `work` on one connection in a REPEATABLE READ READ ONLY transaction: every statement it makes reads the same
 * snapshot of the ledger, so an answer built from several statements never mixes a document committed between them
 * (other servers post while it reads) with one that was not.
 */
export async function readSnapshot<T>(pool: pg.Pool, work: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  let broken: Error | undefined;
  try {
    await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const result = await work(c);
    await c.query('COMMIT');
    return result;
  } catch (e) {
    await c.query('ROLLBACK').catch((r: unknown) => (broken = r instanceof Error ? r : new Error(String(r))));
    throw e;
  } finally {
    c.release(broken);
  }
}
