import type pg from 'pg';

/** What a store's reads run on: the pool (each statement its own snapshot) or one connection inside a read snapshot. */
export type PgReader = pg.Pool | pg.PoolClient;

const BEGIN = 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY';

/**
 * Runs `work` on one connection in a REPEATABLE READ READ ONLY transaction: every statement it makes reads the same
 * snapshot of the ledger, so an answer built from several statements never mixes a document committed between them
 * (other servers post while it reads) with one that was not.
 */
export function readSnapshot<T>(pool: pg.Pool, work: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  return inSnapshot(pool, null, (c) => work(c));
}

/**
 * readSnapshot whose first read is `opening`, a statement of no parameters sent with the BEGIN in one round trip (one
 * simple query of two statements: the snapshot is the opening's), its rows handed to `work`.
 */
export function readSnapshotOpening<T>(pool: pg.Pool, opening: string, work: (c: pg.PoolClient, opened: pg.QueryResultRow[]) => Promise<T>): Promise<T> {
  return inSnapshot(pool, opening, work);
}

/**
 * The answer is handed on as soon as `work` has it, without waiting for the COMMIT's answer (one round trip less): the
 * transaction only read, so its COMMIT changes nothing and the answer is whole whatever it says. The connection goes
 * back to the pool once the COMMIT has answered (node-postgres sends a connection's statements one after another, so
 * no other work runs on it before), or is closed when the COMMIT failed.
 */
async function inSnapshot<T>(pool: pg.Pool, opening: string | null, work: (c: pg.PoolClient, opened: pg.QueryResultRow[]) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  let result: T;
  try {
    const begun = await c.query(opening === null ? BEGIN : `${BEGIN}; ${opening}`);
    // Two statements in one simple query answer with one result each: the BEGIN's, then the opening's.
    result = await work(c, opening === null ? [] : (begun as unknown as pg.QueryResult[])[1]!.rows);
  } catch (e) {
    let broken: Error | undefined;
    await c.query('ROLLBACK').catch((r: unknown) => (broken = asError(r)));
    c.release(broken);
    throw e;
  }
  c.query('COMMIT').then(() => c.release(), (e: unknown) => c.release(asError(e)));
  return result;
}

const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));
