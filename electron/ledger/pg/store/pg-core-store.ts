import type pg from 'pg';
import type { SiteInfo } from '../../../../shared/domain';

/**
 * The core ledger's reads on PostgreSQL, the twins of StockQueries.counts/sites and UsersStore.activeUser on SQLite:
 * the same answers (sites in SQLite's byte order of codes, external last).
 */
export class PgCoreStore {
  constructor(private readonly pool: pg.Pool) {}

  async counts(): Promise<{ products: number; movements: number; sites: number }> {
    return (await this.pool.query<{ products: number; movements: number; sites: number }>(
      `SELECT (SELECT COUNT(*) FROM products) AS products, (SELECT COALESCE(MAX(seq), 0)::bigint FROM movements) AS movements,
              (SELECT COUNT(*) FROM sites WHERE kind <> 'external') AS sites`,
    )).rows[0]!;
  }

  async sites(): Promise<SiteInfo[]> {
    return (await this.pool.query<SiteInfo>(
      `SELECT id, code, name, kind, allow_negative AS "allowNegative", active FROM sites ORDER BY kind = 'external', code COLLATE "C"`,
    )).rows;
  }

  /** An active user by name, permissions as stored (a JSON array's text). */
  async activeUser(username: string): Promise<{ id: number; username: string; displayName: string; permissions: string } | undefined> {
    return (await this.pool.query<{ id: number; username: string; displayName: string; permissions: string }>(
      'SELECT id, username, display_name AS "displayName", permissions FROM users WHERE username = $1 AND active',
      [username],
    )).rows[0];
  }
}
