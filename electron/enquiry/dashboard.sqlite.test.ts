import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { machineDefaults } from '../company/company-rules';
import { CompanyStore } from '../company/company-store';
import { refineCount } from './count-refine';
import { Dashboard, DAY_MS } from './dashboard';
import { MovementQuery, StatementCache } from './movement-query';

/**
 * SQLite-only: the Dashboard's derived daily totals (how many movements a refresh folds, a reset; PostgreSQL keeps none
 * and sums the movements at each read), and refineCount's slices and a cancel before its first slice (the contract's
 * job counts in 200,000-movement slices and starts at once). The dashboard's sums on both stores: dashboard.test.ts.
 */
let f: Fixture;
const NOW = Date.UTC(2025, 5, 30, 15);
const day = (d: number) => new Date(NOW - d * DAY_MS - 5 * 3_600_000).toISOString();

beforeAll(async () => {
  let clock = NOW;
  f = await openFixture({ clock: () => (clock += 1000) });
  new CompanyStore(f.ledger.db).saveSettings({ ...machineDefaults(), timeZone: 'UTC' }, NOW);
});
afterAll(() => f.cleanup());

function post(d: number, lines: Parameters<Fixture['doc']>[1]) {
  f.ledger.poster.post(f.docOf(lines, { occurredAt: day(d) }), f.ids.admin);
}

describe('dashboard (SQLite totals)', () => {
  it('folds only the movements since its last refresh, and a reset folds them all again to the same totals', async () => {
    const { wh, bulk } = f.ids;
    for (let d = 12; d >= 0; d--) {
      post(d, [{ productId: bulk, siteId: wh, type: 'inbound', qty: 10_000, unitCost: 2_0000 }]);
      post(d, [{ productId: bulk, siteId: wh, type: d % 2 ? 'wastage' : 'outbound', qty: -1_000 }]);
    }
    const dash = new Dashboard(f.ledger.db);
    expect(await dash.refresh()).toBe(26);
    post(3, [{ productId: bulk, siteId: wh, type: 'wastage', qty: -500 }]);
    expect(await dash.refresh()).toBe(1);
    expect(await dash.refresh()).toBe(0);
    const after = dash.read(7, NOW);
    dash.reset();
    expect(await dash.refresh()).toBe(27);
    expect(dash.read(7, NOW)).toEqual(after);
  });

  it('totals folded by the earlier rule (value out of every movement out) are folded again once, by the outbound family', async () => {
    const dash = new Dashboard(f.ledger.db);
    await dash.refresh();
    const now = dash.read(7, NOW);
    // A ledger whose totals were folded before the rule: no fold-rule row, and value out counting the wastage too.
    f.ledger.db.prepare("DELETE FROM settings WHERE key = 'dashboard.fold'").run();
    f.ledger.db.prepare('UPDATE dashboard_day_product SET raw_out = raw_out + 1000000, qty_out = qty_out + 1000').run();
    const head = f.ledger.db.prepare('SELECT MAX(seq) FROM movements').pluck().get() as number;
    expect(await dash.refresh()).toBe(head);
    expect(dash.read(7, NOW)).toEqual(now);
    expect(await dash.refresh()).toBe(0);
  });

  it('refines a count slice by slice, and stops on cancel', async () => {
    const q = new MovementQuery(f.ledger.db, { types: ['wastage', 'outbound'], siteId: f.ids.wh }, new StatementCache(f.ledger.db));
    const exact = q.count(1_000_000).count;
    const head = f.ledger.db.prepare('SELECT MAX(seq) FROM movements').pluck().get() as number;
    const seen: number[] = [];
    expect(await refineCount(q, head, new AbortController().signal, (p) => seen.push(p.done), 7)).toBe(exact);
    expect(seen).toEqual([7, 14, 21, 27]);
    expect(seen.at(-1)).toBe(head);
    const stop = new AbortController();
    stop.abort();
    await expect(refineCount(q, head, stop.signal, () => {}, 7)).rejects.toThrow(/cancelled/);
  });
});
