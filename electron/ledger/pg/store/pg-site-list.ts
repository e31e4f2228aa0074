import type pg from 'pg';
import type { SiteInfo } from '../../../../shared/domain';
import type { SiteListRecords } from '../../core-reads';

/** The sites' list (`sites.list`) on PostgreSQL, the twin of SiteList: the same answer (codes in SQLite's byte order, external last). */
export class PgSiteList implements SiteListRecords {
  constructor(private readonly pool: pg.Pool) {}

  async list(): Promise<SiteInfo[]> {
    return (await this.pool.query<SiteInfo>(
      `SELECT id, code, name, kind, allow_negative AS "allowNegative", active FROM sites ORDER BY kind = 'external', code COLLATE "C"`,
    )).rows;
  }
}
