import type Database from 'better-sqlite3';
import type { SiteInfo } from '../../../shared/domain';
import type { SiteListRecords } from '../core-reads';

/** The sites' list (`sites.list`): every site, external last, then by code; PostgreSQL's twin is PgSiteList. */
export class SiteList implements SiteListRecords {
  private readonly stmt: Database.Statement;

  constructor(db: Database.Database) {
    this.stmt = db.prepare("SELECT id, code, name, kind, allow_negative AS allowNegative, active FROM sites ORDER BY kind = 'external', code");
  }

  list(): SiteInfo[] {
    return (this.stmt.all() as (Omit<SiteInfo, 'allowNegative' | 'active'> & { allowNegative: number; active: number })[]).map((s) => ({
      ...s,
      allowNegative: s.allowNegative === 1,
      active: s.active === 1,
    }));
  }
}
