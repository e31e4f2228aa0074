import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MovementFilter } from '../../shared/contract/enquiry.schemas';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { BalanceOnDateStore, type BalanceKeyRow } from './balance-on-date-store';
import { MovementQuery, StatementCache } from './movement-query';

/**
 * The balance on that date against a brute-force sum, whichever way the store reaches a page: forward from zero,
 * backward from the current level, from an earlier page's balance, or continuing an export's chunks in memory.
 * 400 movements of one product at two sites, effective at random times within 40 days, posted in random order (so
 * most are backdated against some earlier-recorded one), with ties in effective time.
 */
let f: Fixture;
let truth: Map<number, number>;
let rows: (BalanceKeyRow & { type: string })[];
const T0 = Date.UTC(2026, 2, 1);

beforeAll(async () => {
  f = await openFixture();
  const { bulk, lot, wh, shop, admin } = f.ids;
  let seed = 7;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
  const docs = Array.from({ length: 400 }, (_, i) => {
    const out = i % 3 === 2;
    const at = T0 + rand(40) * 86_400_000 + rand(4) * 3_600_000;
    const productId = i % 5 === 0 ? lot : bulk;
    const line = out
      ? { productId, siteId: i % 2 ? wh : shop, type: 'stock_despatch', qty: -(1 + rand(5)), ...(productId === lot ? { batch: { code: 'B1' } } : {}) }
      : { productId, siteId: i % 2 ? wh : shop, type: 'stock_receipt', qty: 1 + rand(20), unitCost: 10_000, ...(productId === lot ? { batch: { code: 'B1' } } : {}) };
    return f.doc(out ? 'despatch' : 'receipt', [line], { occurredAt: new Date(at).toISOString() });
  });
  // Opening stock first (recorded first, effective last of all at one site) so no despatch runs short in recording order.
  const opening = [bulk, lot].flatMap((productId) =>
    [wh, shop].map((siteId, i) =>
      f.doc('receipt', [{ productId, siteId, type: 'stock_receipt', qty: 1000, unitCost: 10_000, ...(productId === lot ? { batch: { code: 'B1' } } : {}) }], {
        occurredAt: new Date(i ? T0 - 86_400_000 : T0 + 50 * 86_400_000).toISOString(),
      }),
    ),
  );
  f.ledger.poster.postMany([...opening, ...docs], admin);
  rows = f.ledger.db
    .prepare('SELECT seq, product_id AS productId, site_id AS siteId, occurred_at AS occurredAt, qty, type FROM movements ORDER BY occurred_at, seq')
    .all() as typeof rows;
  truth = new Map();
  const running = new Map<string, number>();
  for (const r of rows) {
    const k = `${r.productId}:${r.siteId}`;
    const b = (running.get(k) ?? 0) + r.qty;
    running.set(k, b);
    truth.set(r.seq, b);
  }
}, 60_000);
afterAll(() => f.cleanup());

/** Every page of a filter, through one query (so later pages may start from earlier pages' balances). */
function pages(filter: MovementFilter, order: 'asc' | 'desc', limit: number): Map<number, number> {
  const q = new MovementQuery(f.ledger.db, filter, new StatementCache(f.ledger.db));
  const got = new Map<number, number>();
  let p = q.page(order, limit);
  for (;;) {
    for (const r of p.rows) got.set(r.seq, r.balanceOnDate!);
    if (!p.next) break;
    p = q.page(order, limit, p.next);
  }
  return got;
}

const expected = (pred: (r: (typeof rows)[number]) => boolean) => new Map(rows.filter(pred).map((r) => [r.seq, truth.get(r.seq)!]));

describe('balance on that date (effective order) against a brute-force sum', () => {
  it('most movements are out of recording order, so the two balances differ', () => {
    const after = new Map(f.ledger.db.prepare('SELECT seq, balance_after FROM movements').raw().all() as [number, number][]);
    expect([...truth].filter(([seq, b]) => after.get(seq) !== b).length).toBeGreaterThan(300);
  });

  it('every page, newest first and oldest first, unfiltered', () => {
    expect(pages({}, 'desc', 23)).toEqual(expected(() => true));
    expect(pages({}, 'asc', 31)).toEqual(expected(() => true));
  });

  it('a page asked without its column (hidden) carries no balance on that date; shown again, the same rows carry it', () => {
    const q = new MovementQuery(f.ledger.db, { types: ['stock_despatch'] }, new StatementCache(f.ledger.db));
    const hidden = q.page('desc', 40, undefined, undefined, { balanceOnDate: false });
    expect(hidden.rows).toHaveLength(40);
    expect(hidden.rows.every((r) => r.balanceOnDate === null)).toBe(true);
    const shown = q.page('desc', 40, undefined, undefined, { balanceOnDate: true });
    expect(shown.rows.map((r) => r.seq)).toEqual(hidden.rows.map((r) => r.seq));
    expect(new Map(shown.rows.map((r) => [r.seq, r.balanceOnDate]))).toEqual(expected((r) => hidden.rows.some((h) => h.seq === r.seq)));
  });

  it('filtered pages still count the movements the filter leaves out', () => {
    expect(pages({ types: ['stock_despatch'] }, 'desc', 17)).toEqual(expected((r) => r.type === 'stock_despatch'));
    expect(pages({ siteId: f.ids.wh, occurred: { from: T0 + 10 * 86_400_000 } }, 'asc', 19)).toEqual(
      expected((r) => r.siteId === f.ids.wh && r.occurredAt >= T0 + 10 * 86_400_000),
    );
  });

  it('reads the index alone: every scan and count covered by the product/site index, no movement row read', () => {
    const texts: string[] = [];
    new BalanceOnDateStore((sql) => (texts.push(sql), f.ledger.db.prepare(sql)));
    expect(texts).toHaveLength(3);
    for (const sql of texts) {
      const plan = (f.ledger.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ keys: '[]', seqs: '[]', cap: 1 }) as { detail: string }[]).map((r) => r.detail);
      const onMovements = plan.filter((d) => /\b(SEARCH|SCAN) (m|movements)\b/.test(d));
      expect(onMovements.length, plan.join('\n')).toBeGreaterThan(0);
      for (const d of onMovements) expect(d).toMatch(/USING COVERING INDEX IDX_movements_product_site_occurred \(product_id=\? AND site_id=\? AND occurred_at[<>]/);
    }
  });

  it('an export’s consecutive ascending chunks continue in memory from their last balances', () => {
    const store = new BalanceOnDateStore((sql) => f.ledger.db.prepare(sql));
    const got = new Map<number, number>();
    for (let i = 0; i < rows.length; i += 29) for (const [seq, b] of store.balances(rows.slice(i, i + 29), true)) got.set(seq, b);
    expect(got).toEqual(truth);
    // The same chunks of one site from day 10 on (a filter that keeps whole histories from its first row).
    const part = rows.filter((r) => r.siteId === f.ids.shop && r.occurredAt >= T0 + 10 * 86_400_000);
    const store2 = new BalanceOnDateStore((sql) => f.ledger.db.prepare(sql));
    const got2 = new Map<number, number>();
    for (let i = 0; i < part.length; i += 13) for (const [seq, b] of store2.balances(part.slice(i, i + 13), true)) got2.set(seq, b);
    expect(got2).toEqual(new Map(part.map((r) => [r.seq, truth.get(r.seq)!])));
  });
});
