import type pg from 'pg';

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
  /** The transaction's client, for a call that must be part of one transaction (a write, a lock): refused on a pool. */
  protected client(): pg.PoolClient {
    if ('totalCount' in this.db) throw new Error(`${this.constructor.name}: this call runs on one transaction's client, not on the pool.`);
    return this.db;
  }
}
