import type pg from 'pg';

/**
 * Keys of one advisory-lock class share this many locks (hashtext(key) & (KEY_LOCK_BUCKETS - 1)): a transaction holds at
 * most 1,024 of a class, so an import of thousands of keys (barcodes, supplier codes and names) fits PostgreSQL's shared
 * lock table (max_locks_per_transaction x max_connections, 3,200 at 50 connections) instead of failing "out of shared
 * memory". Two keys in one lock only wait on each other.
 */
export const KEY_LOCK_BUCKETS = 1_024;

/**
 * What a capability's PostgreSQL store is built on: a pool (each call on any connection) or one transaction's client,
 * and the three shapes of answer its reads take.
 */
export abstract class PgQueries {
  constructor(protected readonly db: pg.Pool | pg.PoolClient) {}

  protected async rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.db.query(sql, params)).rows as T[];
  }
  protected async one<T>(sql: string, params: unknown[] = []): Promise<T | null> {
    return (await this.rows<T>(sql, params))[0] ?? null;
  }
  /** The `id` of the first row, if any (a look-up, or an INSERT … RETURNING id). */
  protected async id(sql: string, params: unknown[]): Promise<number | null> {
    return (await this.one<{ id: number }>(sql, params))?.id ?? null;
  }
  /**
   * Holds `keys` of `lockClass` until the transaction ends, in KEY_LOCK_BUCKETS buckets: one statement, the locks in one
   * order on every server (no two changes wait on each other in a cycle); the two-int form keeps these keys apart from
   * the ledger's one-number advisory locks.
   */
  protected async lockKeyBuckets(lockClass: number, keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.client().query('SELECT pg_advisory_xact_lock($1, b) FROM (SELECT DISTINCT hashtext(k) & $3 AS b FROM unnest($2::text[]) AS k ORDER BY b) AS keys', [
      lockClass,
      keys,
      KEY_LOCK_BUCKETS - 1,
    ]);
  }
  /** The transaction's client, for a call that must be part of one transaction (a write, a lock): refused on a pool. */
  protected client(): pg.PoolClient {
    if ('totalCount' in this.db) throw new Error(`${this.constructor.name}: this call runs on one transaction's client, not on the pool.`);
    return this.db;
  }
}
