import type { SiteInfo } from '../../shared/domain';
import type { Awaitable } from './steps';

/**
 * The core ledger's reads (ledger.ops.ts on SQLite, ledger.pg-ops.ts on PostgreSQL), each one interface both stores
 * answer: SQLite at once, PostgreSQL with a promise.
 */

/** The sites' list (`sites.list`): every site, external last, then by code. SiteList on SQLite, PgSiteList on PostgreSQL. */
export interface SiteListRecords {
  list(): Awaitable<SiteInfo[]>;
}
