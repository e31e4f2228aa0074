import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MovementFilter } from '../../shared/contract/enquiry.schemas';
import type { MovementCursor, MovementView } from '../../shared/enquiry';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { MovementQuery, StatementCache, type QueryTuning } from './movement-query';
import { expectedSeqs, HOUR, movementCases, T0 } from './movement-query-cases';

/**
 * SQLite-only: MovementQuery's plans (merge, windowed, whole, time walk, batch-list pruning), each forced by a tuning
 * no contract input gives, and the index SQLite's planner walks. The same cases through the contract on both stores are
 * in movement-query.test.ts. A ledger of 600 movements with many equal occurred_at values, two users, bins, lots with
 * expiries and a barcode, posted as raw documents (one receipt of three movement types a round).
 */
let f: Fixture;
let clerk: number;
let all: MovementView[];

beforeAll(async () => {
  let now = Date.UTC(2025, 6, 1);
  f = await openFixture({ clock: () => (now += 1000) });
  const r = f.ledger.reference;
  clerk = r.addUser('clerk', 'Clara Clerk', ['read:stock', 'post:movements']);
  const scan = r.addProduct({ sku: 'SCAN-01', name: 'Scanned tonic water', stockType: 'Supplied', barcodes: ['5012345678900'] });
  const { wh, shop, binA, binB, bulk, lot, admin } = f.ids;
  const poster = f.ledger.poster;
  // Receipts (many at the same instant), then issues; every fourth document by the clerk.
  for (let i = 0; i < 120; i++) {
    const at = new Date(T0 + Math.floor(i / 6) * HOUR).toISOString();
    const user = i % 4 === 0 ? clerk : admin;
    poster.post(
      f.doc(
        'receipt',
        [
          { productId: bulk, siteId: wh, binId: i % 2 ? binA : binB, type: 'inbound', qty: 5000, unitCost: 1200 },
          { productId: lot, siteId: wh, binId: binA, batch: { code: `LOT-${String(i % 7).padStart(2, '0')}`, expiry: `2026-0${1 + (i % 7)}-15` }, type: 'stock_receipt', qty: 12, unitCost: 8000 },
          { productId: scan, siteId: shop, type: 'supplier_order', qty: 24, unitCost: 300, note: i % 5 === 0 ? '=HYPERLINK("x")' : undefined },
        ],
        { occurredAt: at, reference: `PO-${1000 + i}` },
      ),
      user,
    );
    const bulkOut = { productId: bulk, siteId: wh, binId: i % 2 ? binA : binB, type: i % 3 ? 'outbound' : 'wastage', qty: -1000 } as const;
    const sale = { productId: scan, siteId: shop, type: 'sale', qty: -3 } as const;
    // Wastage is a write-off, not a despatch: it goes on its own document.
    if (bulkOut.type === 'wastage') poster.post(f.doc('write_off', [bulkOut], { occurredAt: at, reference: `SO-${i}` }), user);
    poster.post(f.doc('despatch', bulkOut.type === 'wastage' ? [sale] : [bulkOut, sale], { occurredAt: at, reference: `SO-${i}` }), user);
  }
  all = new MovementQuery(f.ledger.db, {}, new StatementCache(f.ledger.db)).page('asc', 2000).rows;
});
afterAll(() => f.cleanup());

const expected = (pred: (m: MovementView) => boolean) => expectedSeqs(all, pred);

/** Pages through in `order` with a small page size; returns seqs in the order seen. */
function pageAll(filter: MovementFilter, order: 'asc' | 'desc', tuning?: QueryTuning): number[] {
  const q = new MovementQuery(f.ledger.db, filter, new StatementCache(f.ledger.db), tuning);
  const seen: number[] = [];
  let cursor: MovementCursor | undefined;
  for (let guard = 0; guard < 1000; guard++) {
    const p = q.page(order, 7, cursor);
    seen.push(...p.rows.map((r) => r.seq));
    if (!p.next) break;
    cursor = p.next;
  }
  return seen;
}

/** Every plan: chosen, time walk, whole read, and time windows (as chosen, tiny and huge first windows). */
const TUNINGS: (QueryTuning | undefined)[] = [
  undefined, { timeWalk: true }, { wholeCap: 1e9 }, { wholeCap: 0 }, { wholeCap: 0, noMerge: true }, { wholeCap: 0, noMerge: true, firstWindow: 1 },
  { wholeCap: 0, noMerge: true, firstWindow: 1e13 }, { wholeCap: 0, pruneFrom: 1, pruneFirst: 1 }, { wholeCap: 0, noMerge: true, pruneFrom: 1, pruneFirst: 1 },
];

describe('movement enquiry', () => {
  it('has the data it tests on, with many equal occurred_at values', () => {
    expect(all.length).toBe(600);
    const times = new Set(all.map((m) => m.occurredAt));
    expect(times.size).toBe(20);
  });

  const cases = movementCases(() => ({ all, clerk, ids: f.ids }));

  for (const [name, filter, pred] of cases) {
    it(`filters by ${name} in every plan, paging without gaps or duplicates in both orders`, () => {
      const want = expected(pred);
      if (!name.startsWith('search with no match')) expect(want.length).toBeGreaterThan(0);
      for (const tuning of TUNINGS) {
        expect(pageAll(filter(), 'desc', tuning), JSON.stringify(tuning)).toEqual(want);
        expect(pageAll(filter(), 'asc', tuning), JSON.stringify(tuning)).toEqual([...want].reverse());
      }
    });
  }

  it('chooses merge, windowed, whole and time-walk plans as the filter asks', () => {
    const plan = (filter: MovementFilter, tuning?: QueryTuning) => new MovementQuery(f.ledger.db, filter, new StatementCache(f.ledger.db), tuning).page('desc', 5).plan;
    expect(plan({ types: ['wastage'] })).toBe('type/whole');
    expect(plan({ types: ['wastage'] }, { wholeCap: 0 })).toBe('type/merge');
    expect(plan({ search: 'lot-0', occurred: { from: T0 } }, { wholeCap: 0 })).toBe('search/merge');
    expect(plan({ types: ['wastage'], siteId: f.ids.wh }, { wholeCap: 0 })).toBe('type/windowed');
    expect(plan({ siteId: f.ids.wh })).toBe('time-walk/time-walk');
  });

  it('reads a recorded range of fewer than RECORDED_WHOLE movements whole by its index, past the other drivers\' whole cap', () => {
    const filter = { recorded: { from: all[100]!.recordedAt, to: all[250]!.recordedAt } };
    const query = (tuning: QueryTuning) => new MovementQuery(f.ledger.db, filter, new StatementCache(f.ledger.db), tuning);
    const want = expected((m) => m.recordedAt >= filter.recorded.from && m.recordedAt <= filter.recorded.to);
    expect(want.length).toBeGreaterThan(100);
    // 151 movements: more than the whole cap of 100 (a type or product that size would be walked in time order), fewer than RECORDED_WHOLE.
    const whole = query({ wholeCap: 100 });
    expect(whole.page('desc', 5).plan).toBe('recorded/whole');
    expect(whole.queryPlan()[0]).toMatch(/^SEARCH m USING INDEX IDX_movements_recorded \(recorded_at>\? AND recorded_at<\?\)/);
    // At RECORDED_WHOLE or more it walks the occurred_at index (as every recorded range did before), with the same rows.
    const walk = query({ wholeCap: 100, recordedWhole: 100 });
    expect(walk.page('desc', 5).plan).toBe('time-walk/time-walk');
    for (const tuning of [{ wholeCap: 100 }, { wholeCap: 100, recordedWhole: 100 }]) {
      expect(pageAll(filter, 'desc', tuning), JSON.stringify(tuning)).toEqual(want);
      expect(pageAll(filter, 'asc', tuning), JSON.stringify(tuning)).toEqual([...want].reverse());
    }
  });

  it('seeks a product (or the products a search names) by type: one index walk per product and type, no movement row read', () => {
    const query = (filter: MovementFilter, tuning?: QueryTuning) => new MovementQuery(f.ledger.db, filter, new StatementCache(f.ledger.db), tuning);
    const seek = /^SEARCH m USING COVERING INDEX IDX_movements_product_type_occurred \(product_id=\? AND type=\?/;
    for (const filter of [{ search: 'tonic', types: ['sale'] }, { search: 'ric', types: ['outbound', 'wastage'], occurred: { from: T0 + HOUR } }] as MovementFilter[]) {
      expect(query(filter).page('desc', 5).plan).toBe('search+type/whole');
      const merged = query(filter, { wholeCap: 0 });
      expect(merged.page('desc', 5).plan).toBe('search+type/merge');
      expect(merged.queryPlan()[0]).toMatch(seek);
    }
    const product = query({ productId: f.ids.bulk, types: ['wastage'] }, { wholeCap: 0 });
    expect(product.page('desc', 5).plan).toBe('product+type/merge');
    expect(product.queryPlan()[0]).toMatch(seek);
    expect(query({ productId: f.ids.bulk, types: ['wastage'] }).page('desc', 5).plan).toBe('product+type/whole');
    // A search that also names batches keeps one walk per product and per batch (the batch walk has no type in its index).
    expect(query({ search: 'lot-0', types: ['stock_receipt'] }, { wholeCap: 0 }).page('desc', 5).plan).not.toMatch(/^search\+type/);
  });

  it('reads a long batch list most recently moved first, newest first: the same rows, from the quants by their latest movement', () => {
    for (const filter of [{ search: 'lot-0' }, { expiry: { from: '2026-01-01', to: '2026-05-31' } }, { search: 'lot-0', siteId: f.ids.wh, occurred: { to: T0 + 9 * HOUR } }] as MovementFilter[]) {
      const plain = new MovementQuery(f.ledger.db, filter, new StatementCache(f.ledger.db), { wholeCap: 0, pruneFrom: 0 });
      expect(plain.queryPlan().join('\n')).not.toContain('stock_levels');
      const pruned = new MovementQuery(f.ledger.db, filter, new StatementCache(f.ledger.db), { wholeCap: 0, pruneFrom: 2, pruneFirst: 1 });
      expect(pruned.queryPlan()[0]).toBe('SCAN stock_levels USING COVERING INDEX IDX_stock_levels_batch_recent');
      for (const limit of [1, 5, 50]) expect(pruned.keys('desc', limit), JSON.stringify(filter)).toEqual(plain.keys('desc', limit));
    }
  });
});
