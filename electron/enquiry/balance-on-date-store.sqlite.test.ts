import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MovementFilter } from '../../shared/contract/enquiry.schemas';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { balanceOnDatePlan, bruteForceBalances, DAY, T0, type BalanceRow } from './balance-on-date-cases';
import { BalanceOnDateStore } from './balance-on-date-store';
import { MovementQuery, StatementCache } from './movement-query';
import { StockSnapshots } from './stock-snapshots';

/**
 * SQLite's balance-on-date store against a brute-force sum, whichever way it reaches a page: forward from zero,
 * backward from the current level, from an earlier page's balance, from the nearest daily stock snapshot (which only
 * SQLite keeps), or continuing an export's chunks in memory; and the index alone read by its statements (its query
 * plans). The ledger of balance-on-date-cases.ts, posted to SQLite's writer. The pages on both stores, through the contract:
 * balance-on-date-store.test.ts.
 */
let f: Fixture;
let truth: Map<number, number>;
let rows: BalanceRow[];

beforeAll(async () => {
  f = await openFixture();
  const docs = balanceOnDatePlan(f.ids).map((line) => {
    const batch = line.lot ? { batch: { code: 'B1' } } : {};
    return line.out
      ? f.doc('despatch', [{ productId: line.productId, siteId: line.siteId, type: 'stock_despatch', qty: -line.units, ...batch }], { occurredAt: line.occurredAt })
      : f.doc('receipt', [{ productId: line.productId, siteId: line.siteId, type: 'stock_receipt', qty: line.units, unitCost: 10_000, ...batch }], { occurredAt: line.occurredAt });
  });
  f.ledger.poster.postMany(docs, f.ids.admin);
  bruteForce();
}, 60_000);

/** Every movement in effective order and its balance on that date, summed from the start. */
function bruteForce(): void {
  rows = f.ledger.db.prepare('SELECT seq, product_id AS "productId", site_id AS "siteId", occurred_at AS "occurredAt", qty, type FROM movements ORDER BY occurred_at, seq').all() as BalanceRow[];
  truth = bruteForceBalances(rows);
}
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

describe('balance on that date (effective order) against a brute-force sum, on SQLite\'s own ways', () => {
  it('reads the index alone: every scan and count covered by the product/site index; only the movements recorded since the snapshots read by seq', () => {
    const texts: string[] = [];
    new BalanceOnDateStore((sql) => (texts.push(sql), f.ledger.db.prepare(sql)));
    // Seven since the count of the entries just after the nearest snapshot (rows near one skip counting the other ways).
    expect(texts).toHaveLength(7);
    for (const sql of texts) {
      const plan = (f.ledger.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ keys: '[]', seqs: '[]', cap: 1 }) as { detail: string }[]).map((r) => r.detail);
      expect(plan.join('\n')).not.toMatch(/\bSCAN (m|movements|stock_snapshots|stock_levels)\b/);
      const onMovements = plan.filter((d) => /\bSEARCH (m|movements)\b/.test(d));
      expect(onMovements.length, plan.join('\n')).toBeGreaterThan(0);
      for (const d of onMovements) {
        // The head (MAX(seq)) and the movements past the snapshots' through_seq are rowid seeks; the rest index-only.
        if (/^SEARCH movements( USING INTEGER PRIMARY KEY \(rowid>\?\))?$/.test(d)) continue;
        expect(d).toMatch(/USING COVERING INDEX IDX_movements_product_site_occurred \(product_id=\? AND site_id=\? AND occurred_at[<>]/);
      }
      for (const d of plan.filter((x) => /\bstock_snapshots\b/.test(x))) expect(d).toMatch(/^SEARCH stock_snapshots USING (COVERING )?INDEX sqlite_autoindex_stock_snapshots_1 \(day_end/);
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

describe('balance on that date from the nearest daily stock snapshot', () => {
  const snapshots = () => new StockSnapshots(f.ledger.db, { spacing: 20 });
  const state = () => f.ledger.db.prepare('SELECT (SELECT through_seq FROM stock_snapshot_state) AS through, (SELECT MAX(seq) FROM movements) AS head').get() as { through: number; head: number };
  /** Balances of slices of the rows (as pages of a filter would hold them), each through a fresh store. */
  const slices = (limit = Infinity) => {
    const got = new Map<number, number>();
    const ways = { memory: 0, zero: 0, current: 0, remembered: 0, snapshot: 0 };
    for (let i = 0; i < rows.length; i += 37) {
      const store = new BalanceOnDateStore((sql) => f.ledger.db.prepare(sql), limit);
      for (const [seq, b] of store.balances(rows.slice(i, i + 37))) got.set(seq, b);
      for (const w of Object.keys(ways) as (keyof typeof ways)[]) ways[w] += store.ways[w];
    }
    return { got, ways };
  };

  beforeAll(() => {
    expect(snapshots().rebuild()).toBeGreaterThan(3);
  });

  it('starts rows between two snapshots from the nearer one and still matches the brute-force sum', () => {
    const { got, ways } = slices();
    expect(got).toEqual(truth);
    expect(ways.snapshot).toBeGreaterThan(0);
    // Rows in the middle of every history: each product/site starts from a snapshot, none walks from today or from zero.
    const middle = rows.slice(200, 230);
    const store = new BalanceOnDateStore((sql) => f.ledger.db.prepare(sql));
    expect(store.balances(middle)).toEqual(new Map(middle.map((r) => [r.seq, truth.get(r.seq)!])));
    expect(store.ways).toEqual({ memory: 0, zero: 0, current: 0, remembered: 0, snapshot: new Set(middle.map((r) => `${r.productId}:${r.siteId}`)).size });
    expect(pages({}, 'desc', 23)).toEqual(truth);
    expect(pages({ types: ['stock_despatch'] }, 'asc', 17)).toEqual(expected((r) => r.type === 'stock_despatch'));
  });

  it('rows a few entries after a snapshot start from it without counting the other ways; at the cap they are counted, to the same balances', () => {
    const middle = rows.slice(200, 230);
    const groups = new Set(middle.map((r) => `${r.productId}:${r.siteId}`)).size;
    const want = new Map(middle.map((r) => [r.seq, truth.get(r.seq)!]));
    const near = new BalanceOnDateStore((sql) => f.ledger.db.prepare(sql));
    expect(near.balances(middle)).toEqual(want);
    expect(near.counted).toBe(0);
    expect(near.ways.snapshot).toBe(groups);
    // No fast way (cap 0): every product/site counted, and the counts choose the snapshots too.
    const counted = new BalanceOnDateStore((sql) => f.ledger.db.prepare(sql), undefined, 0);
    expect(counted.balances(middle)).toEqual(want);
    expect(counted.counted).toBe(groups);
    expect(counted.ways.snapshot).toBe(groups);
    // Cap 1: a product/site with an entry between its snapshot and its first row is counted instead (rows effective an
    // hour after others of theirs that day, days after the last snapshot).
    const later = rows.filter((r) => r.occurredAt === T0 + 769 * 3_600_000);
    const dayEnds = f.ledger.db.prepare('SELECT DISTINCT day_end FROM stock_snapshots ORDER BY day_end').pluck().all() as number[];
    const firsts = [...new Map(later.map((r) => [`${r.productId}:${r.siteId}`, r] as const)).values()].map(
      (r) => later.find((m) => m.productId === r.productId && m.siteId === r.siteId)!,
    );
    const farther = firsts.filter((lo) => {
      const day = dayEnds.filter((d) => d <= lo.occurredAt).pop()!;
      return rows.some((r) => r.productId === lo.productId && r.siteId === lo.siteId && r.occurredAt >= day && r.occurredAt < lo.occurredAt);
    }).length;
    expect(farther).toBeGreaterThan(0);
    const capped = new BalanceOnDateStore((sql) => f.ledger.db.prepare(sql), undefined, 1);
    expect(capped.balances(later)).toEqual(new Map(later.map((r) => [r.seq, truth.get(r.seq)!])));
    expect(capped.counted).toBe(farther);
    // Snapshots too far behind (unseen limit): nothing near one.
    const stale = new BalanceOnDateStore((sql) => f.ledger.db.prepare(sql), -1);
    expect(stale.balances(middle)).toEqual(want);
    expect(stale.counted).toBe(groups);
    expect(stale.ways.snapshot).toBe(0);
  });

  it('counts backdated movements, transfers and reversals recorded after the snapshots were cut, before and after they are folded in', () => {
    const { bulk, lot, wh, shop, admin } = f.ids;
    const at = (day: number) => new Date(T0 + day * DAY + 3_600_000).toISOString();
    const receipt = f.ledger.poster.post(f.doc('receipt', [{ productId: bulk, siteId: wh, type: 'stock_receipt', qty: 37, unitCost: 10_000 }], { occurredAt: at(3) }), admin);
    f.ledger.poster.postMany(
      [
        f.doc('receipt_reversal', [{ productId: bulk, siteId: wh, type: 'inbound_reversal', qty: -37, reversalOf: receipt.firstSeq! }], { occurredAt: at(20) }),
        f.docOf(
          [
            { productId: lot, siteId: wh, batch: { code: 'B1' }, type: 'stock_transfer_out', qty: -11 },
            { productId: lot, siteId: shop, batch: { code: 'B1' }, type: 'stock_transfer_in', qty: 11 },
          ],
          { occurredAt: at(7) },
        ),
        f.doc('receipt', [{ productId: lot, siteId: shop, type: 'stock_receipt', qty: 5, unitCost: 10_000, batch: { code: 'B2' } }], { occurredAt: at(15) }),
        f.doc('despatch', [{ productId: bulk, siteId: shop, type: 'stock_despatch', qty: -3 }], { occurredAt: at(30) }),
      ],
      admin,
    );
    bruteForce();
    const s = state();
    expect(s.head - s.through).toBe(6); // recorded since the snapshots, all effective before some of their day ends
    const seen = slices();
    expect(seen.got).toEqual(truth);
    expect(seen.ways.snapshot).toBeGreaterThan(0);
    expect(pages({}, 'asc', 29)).toEqual(truth);
    // Too many recorded since (here: any): the snapshots are left alone, and the balances are the same.
    const stale = slices(0);
    expect(stale.ways.snapshot).toBe(0);
    expect(stale.got).toEqual(truth);
    // Folded in (patched from the earliest one's date on), the snapshots alone carry them.
    snapshots().refresh();
    expect(state().through).toBe(state().head);
    const folded = slices();
    expect(folded.got).toEqual(truth);
    expect(folded.ways.snapshot).toBeGreaterThan(0);
  });
});
