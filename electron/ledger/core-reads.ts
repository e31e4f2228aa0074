import { AppError } from '../../shared/contract/errors';
import type { SiteInfo } from '../../shared/domain';
import type { UserRecords } from '../auth/user-rules';
import type { LedgerUser } from './ledger.ops';
import { value, type Awaitable, type Steps } from './steps';

/**
 * The core ledger's reads (ledger.ops.ts on SQLite, ledger.pg-ops.ts on PostgreSQL), each one interface both stores
 * answer: SQLite at once, PostgreSQL with a promise. The signed-in user is read through the users' store (UserRecords).
 */

/** What the status bar counts: products, movements (the last sequence number) and real (not external) sites. */
export interface LedgerCounts {
  products: number;
  movements: number;
  sites: number;
}

/** The ledger's counts: StockQueries on SQLite, PgCoreStore on PostgreSQL. */
export interface CountsRecords {
  counts(): Awaitable<LedgerCounts>;
}

/** The sites' list (`sites.list`): every site, external last, then by code. SiteList on SQLite, PgSiteList on PostgreSQL. */
export interface SiteListRecords {
  list(): Awaitable<SiteInfo[]>;
}

/** The active user an operation acts for, with its permissions; refused when there is none by that name. */
export function* ledgerUser(users: Pick<UserRecords, 'activeUser'>, username: string): Steps<LedgerUser> {
  const row = yield* value(users.activeUser(username));
  if (!row) throw new AppError('NOT_FOUND', `There is no active user "${username}".`);
  return { ...row, permissions: JSON.parse(row.permissions) as string[] };
}
