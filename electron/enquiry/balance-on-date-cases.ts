import type { EntityRecord } from '../ledger/entities/columns';
import type { MovementEntity } from '../ledger/entities/document.entities';
import type { BalanceKeyRow } from './balance-on-date-store';

/**
 * The ledger balance-on-date-store.test.ts (both stores, through the contract) and balance-on-date-store.sqlite.test.ts
 * (SQLite's balance store, its plans and its daily snapshots) build alike, and the brute-force sum both check against.
 * 400 movements of two products at two sites, effective at random times within 40 days, posted in random order (so
 * most are backdated against some earlier-recorded one), with ties in effective time.
 */
export const T0 = Date.UTC(2026, 2, 1);
export const DAY = 86_400_000;

/** One line of the ledger: a receipt in (with its cost) or a despatch out, the lot always of batch B1. */
export interface PlannedLine {
  out: boolean;
  productId: number;
  siteId: number;
  /** Positive: the units received or despatched. */
  units: number;
  occurredAt: string;
  lot: boolean;
}

/**
 * The lines in recording order: opening stock first (recorded first, effective last of all at the warehouse, so its
 * balances on those dates run below zero) so no despatch runs short in recording order, then the 400.
 */
export function balanceOnDatePlan(ids: { bulk: number; lot: number; wh: number; shop: number }): PlannedLine[] {
  const { bulk, lot, wh, shop } = ids;
  let seed = 7;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
  const docs = Array.from({ length: 400 }, (_, i): PlannedLine => {
    const out = i % 3 === 2;
    const at = T0 + rand(40) * DAY + rand(4) * 3_600_000;
    const productId = i % 5 === 0 ? lot : bulk;
    const units = out ? 1 + rand(5) : 1 + rand(20);
    return { out, productId, siteId: i % 2 ? wh : shop, units, occurredAt: new Date(at).toISOString(), lot: productId === lot };
  });
  const openingAt = (siteId: number) => (siteId === wh ? T0 + 50 * DAY : T0 - DAY);
  const openingLines = [bulk, lot].flatMap((productId) =>
    [wh, shop].map((siteId): PlannedLine => ({ out: false, productId, siteId, units: 1000, occurredAt: new Date(openingAt(siteId)).toISOString(), lot: productId === lot })),
  );
  return [...openingLines, ...docs];
}

/** A movement as the brute-force sum reads it. */
export type BalanceRow = BalanceKeyRow & Pick<EntityRecord<typeof MovementEntity>, 'type'>;

/** Each movement's balance on that date by seq, summed from the start per product/site (rows in effective order). */
export function bruteForceBalances(rows: readonly BalanceRow[]): Map<number, number> {
  const truth = new Map<number, number>();
  const running = new Map<string, number>();
  for (const r of rows) {
    const k = `${r.productId}:${r.siteId}`;
    const b = (running.get(k) ?? 0) + r.qty;
    running.set(k, b);
    truth.set(r.seq, b);
  }
  return truth;
}
