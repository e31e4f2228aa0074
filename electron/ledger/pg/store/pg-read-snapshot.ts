import pg from 'pg';

const { escapeLiteral } = pg;

/*
 * The PostgreSQL stores' read transactions: the BEGIN … READ ONLY, COMMIT and ROLLBACK every capability's store reads
 * run inside. Transaction control is the stores' plumbing, not a capability's SQL, so it lives among the store modules.
 */

/** What a store's reads run on: the pool (each statement its own snapshot) or one connection inside a read snapshot. */
export type PgReader = pg.Pool | pg.PoolClient;

const BEGIN = 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY';

/**
 * Runs `work` on one connection in a REPEATABLE READ READ ONLY transaction: every statement it makes reads the same
 * snapshot of the ledger, so an answer built from several statements never mixes a document committed between them
 * (other servers post while it reads) with one that was not.
 */
export function readSnapshot<T>(pool: pg.Pool, work: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  return readSnapshotOpening(pool, [], work);
}

/**
 * A statement with its values written in as literals, for readSnapshotOpening (a simple query takes no parameters):
 * text by node-postgres's escapeLiteral, numbers as integers (anything else is refused). `$n` stands for values[n - 1].
 */
export function inlined({ text, values }: { text: string; values: readonly unknown[] }): string {
  return text.replace(/\$(\d+)/g, (_, n: string) => {
    const v = values[Number(n) - 1];
    if (typeof v === 'string') return escapeLiteral(v);
    if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
    throw new Error(`A statement's value ${String(v)} cannot be written into its text. Report this to Stockbook support.`);
  });
}

/**
 * readSnapshot whose first reads are `openings`, statements of no parameters (their values written in: inlined) sent
 * with the BEGIN in one round trip (one simple query of several statements: the snapshot is the first opening's), each
 * one's rows handed to `work`, in their order.
 *
 * The answer is handed on as soon as `work` has it, without waiting for the COMMIT's answer (one round trip less): the
 * transaction only read, so its COMMIT changes nothing and the answer is whole whatever it says. The connection goes
 * back to the pool once the COMMIT has answered (node-postgres sends a connection's statements one after another, so
 * no other work runs on it before), or is closed when the COMMIT failed.
 */
export async function readSnapshotOpening<T>(pool: pg.Pool, openings: readonly string[], work: (c: pg.PoolClient, opened: pg.QueryResultRow[][]) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  let result: T;
  try {
    const begun = await c.query([BEGIN, ...openings].join('; '));
    // Several statements in one simple query answer with one result each: the BEGIN's, then the openings'.
    result = await work(c, openings.length === 0 ? [] : (begun as unknown as pg.QueryResult[]).slice(1).map((r) => r.rows));
  } catch (e) {
    let broken: Error | undefined;
    await c.query('ROLLBACK').catch((r: unknown) => (broken = asError(r)));
    c.release(broken);
    throw e;
  }
  c.query('COMMIT').then(
    () => c.release(),
    (e: unknown) => {
      // The answer stands (a read-only snapshot commits nothing); the connection is closed, and the failure is said once here.
      console.warn(`Stockbook: a read's COMMIT on PostgreSQL failed (${asError(e).message}); its connection was closed.`);
      c.release(asError(e));
    },
  );
  return result;
}

const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));
