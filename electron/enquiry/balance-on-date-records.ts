import type { Awaitable } from '../ledger/steps';
import type { BalanceKeyRow } from './balance-on-date-store';

/**
 * "Balance on that date" for some movement rows: each row's product/site balance just after it in effective
 * (occurred_at, seq) order, by seq. SQLite works it out by balance-on-date-store.ts (BatchJourneyStore answers with it),
 * PostgreSQL by PgMovementStore's one statement (PgBatchJourneyStore answers with that).
 */
export interface BalancesOnDateRecords {
  balancesOnDate(rows: readonly BalanceKeyRow[]): Awaitable<Map<number, number>>;
}
