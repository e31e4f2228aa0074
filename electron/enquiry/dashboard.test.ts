import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessDay } from '../../shared/company-format';
import { movementValue } from '../../shared/quantity';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { machineDefaults } from '../company/company-rules';
import { CompanyStore } from '../company/company-store';
import { refineCount } from './count-refine';
import { Dashboard, DAY_MS } from './dashboard';
import { MovementQuery, StatementCache } from './movement-query';

let f: Fixture;
const NOW = Date.UTC(2025, 5, 30, 15);
const day = (d: number, h = 10) => new Date(NOW - d * DAY_MS + (h - 15) * 3_600_000).toISOString();

beforeAll(async () => {
  let clock = NOW;
  f = await openFixture({ clock: () => (clock += 1000) });
  // Days are the business time zone's; these tests count in UTC whatever the machine's zone.
  new CompanyStore(f.ledger.db).saveSettings({ ...machineDefaults(), timeZone: 'UTC' }, NOW);
});
afterAll(() => f.cleanup());

function post(d: number, lines: Parameters<Fixture['doc']>[1]) {
  f.ledger.poster.post(f.docOf(lines, { occurredAt: day(d) }), f.ids.admin);
}

/** Ground truth straight from the movements (real sites only). */
function truth(fromDay: number, toDay: number) {
  const rows = f.ledger.db
    .prepare(
      `SELECT m.occurred_at, m.type, m.qty, m.unit_cost, p.scale, m.product_id FROM movements m JOIN products p ON p.id = m.product_id
       JOIN sites s ON s.id = m.site_id AND s.kind != 'external'`,
    )
    .all() as { occurred_at: number; type: string; qty: number; unit_cost: number; scale: number; product_id: number }[];
  const inPeriod = rows.filter((r) => Math.floor(r.occurred_at / DAY_MS) >= fromDay && Math.floor(r.occurred_at / DAY_MS) <= toDay);
  return { rows, inPeriod };
}

describe('dashboard', () => {
  it('adds up movements by type per day, value over time and top movers, incrementally and with backdating', async () => {
    const { wh, shop, bulk, lot } = f.ids;
    for (let d = 12; d >= 0; d--) {
      post(d, [{ productId: bulk, siteId: wh, type: 'inbound', qty: 10_000 + d, unitCost: 2_0000 }]);
      post(d, [{ productId: bulk, siteId: wh, type: d % 2 ? 'wastage' : 'outbound', qty: -1_000 }]);
      if (d % 3 === 0) post(d, [{ productId: lot, siteId: shop, batch: { code: `D${d}`, expiry: '2027-01-01' }, type: 'stock_receipt', qty: 6, unitCost: 9_0000 }]);
    }
    const dash = new Dashboard(f.ledger.db);
    expect(await dash.refresh()).toBeGreaterThan(0);
    const check = () => {
      const data = dash.read(7, NOW);
      const lastDay = Math.floor(NOW / DAY_MS);
      const { rows, inPeriod } = truth(lastDay - 6, lastDay);
      expect(data.byDay).toHaveLength(7);
      expect(data.movements).toBe(inPeriod.length);
      for (const d of data.byDay) {
        const want: Record<string, number> = {};
        for (const r of inPeriod) if (new Date(r.occurred_at).toISOString().slice(0, 10) === d.day) want[r.type] = (want[r.type] ?? 0) + 1;
        expect(d.counts).toEqual(want);
      }
      // Day-end values step back from today's by the movement values after each day.
      const net = (from: number) => rows.filter((r) => r.occurred_at >= from).reduce((n, r) => n + movementValue(r.qty, r.unit_cost, r.scale), 0);
      for (const v of data.value) {
        const end = Date.parse(`${v.day}T00:00:00Z`) + DAY_MS;
        expect(Math.abs(v.value - (data.currentValue - net(end)))).toBeLessThanOrEqual(2);
      }
      expect(data.value.at(-1)!.value).toBe(data.currentValue);
      expect(data.topMovers[0]!.sku).toBe('RICE-1KG');
      const out = inPeriod.filter((r) => r.product_id === bulk && r.qty < 0);
      expect(data.topMovers[0]!.qtyOut).toBe(out.reduce((n, r) => n - r.qty, 0));
      expect(data.topMovers[0]!.valueOut).toBe(out.reduce((n, r) => n - movementValue(r.qty, r.unit_cost, r.scale), 0));
      return data;
    };
    const before = check();
    // A backdated movement: only its own day changes; the refresh reads just the new movement.
    post(3, [{ productId: bulk, siteId: wh, type: 'wastage', qty: -500 }]);
    expect(await dash.refresh()).toBe(1);
    const after = check();
    const changed = after.byDay.filter((d, i) => JSON.stringify(d) !== JSON.stringify(before.byDay[i])).map((d) => d.day);
    expect(changed).toEqual([day(3).slice(0, 10)]);
    expect(await dash.refresh()).toBe(0);
    // Rebuilt from scratch, the totals are the same.
    dash.reset();
    await dash.refresh();
    expect(dash.read(7, NOW)).toEqual(after);
  });

  it('refines a "more than" count exactly, slice by slice, and stops on cancel', async () => {
    const q = new MovementQuery(f.ledger.db, { types: ['wastage', 'outbound'], siteId: f.ids.wh }, new StatementCache(f.ledger.db));
    const exact = q.count(1_000_000).count;
    expect(q.count(3)).toEqual({ count: 3, exact: false });
    const head = f.ledger.db.prepare('SELECT MAX(seq) FROM movements').pluck().get() as number;
    const seen: number[] = [];
    expect(await refineCount(q, head, new AbortController().signal, (p) => seen.push(p.done), 7)).toBe(exact);
    expect(seen.at(-1)).toBe(head);
    const stop = new AbortController();
    stop.abort();
    await expect(refineCount(q, head, stop.signal, () => {}, 7)).rejects.toThrow(/cancelled/);
  });

  it('counts days in the company time zone: 00:30 BST falls on the next day in Europe/London, and a change of zone folds again', async () => {
    const dash = new Dashboard(f.ledger.db);
    await dash.refresh();
    // 23:30 UTC on 28 June is 00:30 BST on 29 June.
    f.ledger.poster.post(f.docOf([{ productId: f.ids.bulk, siteId: f.ids.wh, type: 'wastage', qty: -1 }], { occurredAt: '2025-06-28T23:30:00.000Z' }), f.ids.admin);
    await dash.refresh();
    const utc = dash.read(7, NOW);
    new CompanyStore(f.ledger.db).saveSettings({ ...machineDefaults(), timeZone: 'Europe/London' }, NOW);
    await dash.refresh();
    const london = dash.read(7, NOW);
    const rows = truth(-1e9, 1e9).rows;
    for (const [data, zone] of [[utc, 'UTC'], [london, 'Europe/London']] as const) {
      for (const d of data.byDay) {
        const want: Record<string, number> = {};
        for (const r of rows) if (businessDay(r.occurred_at, zone) === d.day) want[r.type] = (want[r.type] ?? 0) + 1;
        expect(d.counts).toEqual(want);
      }
    }
    const day28 = (data: typeof utc) => data.byDay.find((d) => d.day === '2025-06-28')!.counts.wastage ?? 0;
    const day29 = (data: typeof utc) => data.byDay.find((d) => d.day === '2025-06-29')!.counts.wastage ?? 0;
    expect(day28(london)).toBe(day28(utc) - 1);
    expect(day29(london)).toBe(day29(utc) + 1);
    expect(new Date(london.from).toISOString()).toBe('2025-06-23T23:00:00.000Z');
    expect(new Date(london.to).toISOString()).toBe('2025-06-30T22:59:59.999Z');
  });
});
