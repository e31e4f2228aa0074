import type pg from 'pg';

/**
 * The core ledger's reads on PostgreSQL, the twins of StockQueries.counts and UsersStore.activeUser on SQLite
 * (the sites' list: PgSiteList).
 */
export class PgCoreStore {
  constructor(private readonly pool: pg.Pool) {}

  async counts(): Promise<{ products: number; movements: number; sites: number }> {
    return (await this.pool.query<{ products: number; movements: number; sites: number }>(
      `SELECT (SELECT COUNT(*) FROM products) AS products, (SELECT COALESCE(MAX(seq), 0)::bigint FROM movements) AS movements,
              (SELECT COUNT(*) FROM sites WHERE kind <> 'external') AS sites`,
    )).rows[0]!;
  }

  /** An active user by name, permissions as stored (a JSON array's text). */
  async activeUser(username: string): Promise<{ id: number; username: string; displayName: string; permissions: string } | undefined> {
    return (await this.pool.query<{ id: number; username: string; displayName: string; permissions: string }>(
      'SELECT id, username, display_name AS "displayName", permissions FROM users WHERE username = $1 AND active',
      [username],
    )).rows[0];
  }
}
