import type pg from 'pg';
import type { CountsRecords, LedgerCounts } from '../../core-reads';

/**
 * The ledger's counts on PostgreSQL, the twin of StockQueries.counts on SQLite (the sites' list: PgSiteList; the
 * signed-in user: PgUsersStore.activeUser).
 */
export class PgCoreStore implements CountsRecords {
  constructor(private readonly pool: pg.Pool) {}

  async counts(): Promise<LedgerCounts> {
    return (await this.pool.query<LedgerCounts>(
      `SELECT (SELECT COUNT(*) FROM products) AS products, (SELECT COALESCE(MAX(seq), 0)::bigint FROM movements) AS movements,
              (SELECT COUNT(*) FROM sites WHERE kind <> 'external') AS sites`,
    )).rows[0]!;
  }
}
