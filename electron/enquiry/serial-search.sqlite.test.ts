import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MovementFilter } from '../../shared/contract/enquiry.schemas';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { MovementQuery, StatementCache, type QueryTuning } from './movement-query';
import { MovementStore } from './movement-store';

/**
 * SQLite-only: how the search box's serial units are read (migrations 0047, 0049). The units by a range of
 * IDX_serial_units_serial_nocase (any letter case), never a scan of serial_units; their movements by one seek each of the partial
 * IDX_movements_serial_occurred, never a walk of every movement, in each plan the search may take (whole, merge,
 * windowed). The rows themselves, on both stores: serial-search.test.ts.
 */
let f: Fixture;
const T0 = Date.UTC(2026, 0, 5, 8);
const HOUR = 3_600_000;

beforeAll(async () => {
  let now = Date.UTC(2026, 6, 1);
  f = await openFixture({ clock: () => (now += 1000) });
  const { wh, serial, bulk, admin } = f.ids;
  const poster = f.ledger.poster;
  const kit = f.ledger.reference.addProduct({ sku: 'SN-1KIT', name: 'Service kit', stockType: 'Supplied' });
  poster.post(f.doc('receipt', [{ productId: kit, siteId: wh, type: 'inbound', qty: 5, unitCost: 100 }], { occurredAt: new Date(T0).toISOString() }), admin);
  for (let i = 0; i < 40; i++) {
    const at = new Date(T0 + i * HOUR).toISOString();
    const sn = `SN-${1000 + i}`;
    poster.post(f.doc('receipt', [{ productId: serial, siteId: wh, serial: sn, type: 'stock_receipt', qty: 1, unitCost: 9000 }], { occurredAt: at }), admin);
    poster.post(f.doc('receipt', [{ productId: bulk, siteId: wh, type: 'inbound', qty: 5000, unitCost: 1200 }], { occurredAt: at }), admin);
    if (i % 2 === 0) poster.post(f.doc('despatch', [{ productId: serial, siteId: wh, serial: sn, type: 'sale', qty: -1 }], { occurredAt: new Date(T0 + i * HOUR + 1000).toISOString() }), admin);
    if (i % 4 === 0) poster.post(f.doc('despatch', [{ productId: bulk, siteId: wh, type: 'sale', qty: -10 }], { occurredAt: at }), admin);
  }
});
afterAll(async () => {
  await f?.cleanup();
});

const query = (filter: MovementFilter, tuning?: QueryTuning) => new MovementQuery(f.ledger.db, filter, new StatementCache(f.ledger.db), tuning);
const seek = /^SEARCH m USING (COVERING )?INDEX IDX_movements_serial_occurred \(serial_id=\?( AND occurred_at[<>]=?\?)*\)/;

describe('the serial search on SQLite', () => {
  it('finds the units by a range of their serial index, in any letter case', () => {
    const store = new MovementStore(f.ledger.db, new StatementCache(f.ledger.db));
    expect(store.serialsMatching('SN-100')).toHaveLength(10);
    expect(store.serialsMatching('SN-1007')).toHaveLength(1);
    expect(store.serialsMatching('sn-1007')).toEqual(store.serialsMatching('SN-1007'));
    expect(store.serialsMatching('sN-100')).toHaveLength(10);
    // LIKE's wildcards are the clerk's text, not patterns.
    expect(store.serialsMatching('SN-10%')).toEqual([]);
    expect(store.serialsMatching('SN_1007')).toEqual([]);
    const plan = (f.ledger.db.prepare("EXPLAIN QUERY PLAN SELECT id FROM serial_units WHERE serial LIKE ? ESCAPE '\\' ORDER BY id").all('sn-10%') as { detail: string }[]).map((r) => r.detail);
    expect(plan.join('\n')).toMatch(/SEARCH serial_units USING COVERING INDEX IDX_serial_units_serial_nocase \(serial>\? AND serial<\?\)/);
  });

  it("seeks each unit's movements in the partial serial index, in every plan, with the same rows", () => {
    const expected = (from: number) =>
      (f.ledger.db
        .prepare(
          `SELECT m.seq FROM movements m JOIN serial_units su ON su.id = m.serial_id WHERE su.serial LIKE 'SN-10%' AND m.occurred_at >= ? ORDER BY m.occurred_at DESC, m.seq DESC`,
        )
        .pluck()
        .all(from) as number[]);
    const cases: [MovementFilter, QueryTuning | undefined, string][] = [
      [{ search: 'SN-10' }, undefined, 'search/whole'],
      [{ search: 'SN-10' }, { wholeCap: 0 }, 'search/merge'],
      [{ search: 'SN-10', occurred: { from: T0 + 3 * HOUR } }, { wholeCap: 0 }, 'search/merge'],
      [{ search: 'SN-10', siteId: f.ids.wh }, { wholeCap: 0 }, 'search/windowed'],
    ];
    for (const [filter, tuning, plan] of cases) {
      const q = query(filter, tuning);
      const page = q.page('desc', 7, undefined, undefined, { balanceOnDate: false });
      expect(page.plan, JSON.stringify(filter)).toBe(plan);
      expect(page.rows.map((m) => m.seq)).toEqual(expected(filter.occurred?.from ?? 0).slice(0, 7));
      expect(page.rows.every((m) => m.serial?.startsWith('SN-10'))).toBe(true);
      const explained = q.queryPlan();
      expect(explained[0], JSON.stringify(explained)).toMatch(seek);
      expect(explained.join('\n')).not.toMatch(/SCAN m\b|IDX_movements_occurred/);
      expect(q.count(1000)).toEqual({ count: expected(filter.occurred?.from ?? 0).length, exact: true });
    }
  });

  it('reads a search naming a product and serial units as one walk of each index, merged', () => {
    // "SN-1" is the start of the kit's SKU and of every unit's serial; "SN-10" of the units' only.
    const both = query({ search: 'SN-1' }, { wholeCap: 0 });
    expect(both.page('desc', 5).plan).toBe('search/merge');
    const explained = both.queryPlan().join('\n');
    expect(explained).toMatch(/SEARCH m USING (COVERING )?INDEX IDX_movements_product_occurred \(product_id=\?\)/);
    expect(explained).toMatch(/SEARCH m USING (COVERING )?INDEX IDX_movements_serial_occurred \(serial_id=\?\)/);
    expect(explained).not.toMatch(/IDX_movements_occurred/);
    const units = query({ search: 'SN-10' }, { wholeCap: 0 }).queryPlan().join('\n');
    expect(units).not.toContain('IDX_movements_product_occurred');
  });
});
