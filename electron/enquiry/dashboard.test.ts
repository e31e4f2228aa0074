import { describe, expect, it } from 'vitest';
import { businessDay } from '../../shared/company-format';
import { movementValue } from '../../shared/quantity';
import { jobFinished, storePerTest, type StoreUnderTest } from '../../test/fixtures/store-under-test';
import { MOVEMENT_TYPES } from '../../shared/movement-types';
import { DAY_MS } from './dashboard';

/**
 * The dashboard on the configured store (SQLite and PostgreSQL), through enquiry.dashboard, against the movements read
 * by plain SQL; the exact count behind it through enquiry.count and enquiry.countRefine. SQLite's derived daily totals
 * (how many movements a refresh folds, a reset) and a count's slices and cancel: dashboard.sqlite.test.ts.
 */
const NOW = Date.UTC(2025, 5, 30, 15);
const day = (d: number, h = 10) => new Date(NOW - d * DAY_MS + (h - 15) * 3_600_000).toISOString();
let s: StoreUnderTest;
let clock = NOW;
storePerTest((opened) => (s = opened), { clock: () => (clock += 1000) });

let keys = 0;
const key = () => `dashboard-${process.pid}-${++keys}`;
const company = (timeZone: string) => s.call('company.update', { name: 'Harbour Kitchen Ltd', currency: 'GBP', timeZone, locale: 'en-GB', fyStartMonth: 4 });
const rice = (qty: number) => [{ productId: s.ids.bulk, qty, binId: s.ids.binA }];
const inbound = (occurredAt: string, qty: number) =>
  s.call('operations.receive', { idempotencyKey: key(), kind: 'inbound', siteId: s.ids.wh, dutyPaid: false, occurredAt, lines: [{ ...rice(qty)[0]!, unitCost: 2_0000 }] });
const wastage = (occurredAt: string, qty: number) => s.call('operations.writeOff', { idempotencyKey: key(), kind: 'wastage', reason: 'spoiled', siteId: s.ids.wh, occurredAt, lines: rice(qty) });
const outbound = (occurredAt: string, qty: number) => s.call('operations.despatch', { idempotencyKey: key(), kind: 'outbound', siteId: s.ids.wh, occurredAt, lines: rice(qty) });

const OUTBOUND = new Set<string>(MOVEMENT_TYPES.filter((t) => t.family === 'outbound').map((t) => t.code));

/** Ground truth straight from the movements (real sites only). */
async function truth(fromDay: number, toDay: number) {
  const rows = await s.rows<{ occurred_at: number; type: string; qty: number; unit_cost: number; scale: number; product_id: number }>(
    `SELECT m.occurred_at, m.type, m.qty, m.unit_cost, p.scale, m.product_id FROM movements m JOIN products p ON p.id = m.product_id
     JOIN sites s ON s.id = m.site_id AND s.kind != 'external'`,
  );
  const inPeriod = rows.filter((r) => Math.floor(r.occurred_at / DAY_MS) >= fromDay && Math.floor(r.occurred_at / DAY_MS) <= toDay);
  return { rows, inPeriod };
}

describe('dashboard', () => {
  it('adds up movements by type per day, value over time and top movers, and a backdated movement changes only its own day', async () => {
    // Days are the business time zone's; this test counts in UTC whatever the machine's zone.
    await company('UTC');
    for (let d = 12; d >= 0; d--) {
      await inbound(day(d), 10_000 + d);
      await (d % 2 ? wastage : outbound)(day(d), 1_000);
      if (d % 3 === 0) {
        const batch = { code: `D${d}`, expiry: '2027-01-01' };
        await s.call('operations.receive', { idempotencyKey: key(), kind: 'stock_receipt', siteId: s.ids.shop, dutyPaid: false, occurredAt: day(d), lines: [{ productId: s.ids.lot, qty: 6, batch, unitCost: 9_0000 }] });
      }
    }
    const check = async () => {
      const data = await s.call('enquiry.dashboard', { days: 7 });
      const lastDay = Math.floor(NOW / DAY_MS);
      const { rows, inPeriod } = await truth(lastDay - 6, lastDay);
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
      // Value out is what left to customers: the outbound family (the wastage every other day is not).
      const out = inPeriod.filter((r) => r.product_id === s.ids.bulk && OUTBOUND.has(r.type));
      expect(data.topMovers[0]!.qtyOut).toBe(out.reduce((n, r) => n - r.qty, 0));
      expect(data.topMovers[0]!.valueOut).toBe(out.reduce((n, r) => n - movementValue(r.qty, r.unit_cost, r.scale), 0));
      return data;
    };
    const before = await check();
    await wastage(day(3), 500);
    const after = await check();
    const changed = after.byDay.filter((d, i) => JSON.stringify(d) !== JSON.stringify(before.byDay[i])).map((d) => d.day);
    expect(changed).toEqual([day(3).slice(0, 10)]);
    // Asked again, and by a restarted worker, the same.
    expect(await s.call('enquiry.dashboard', { days: 7 })).toEqual(after);
    expect(await s.restartedOps()['enquiry.dashboard']({ days: 7 })).toEqual(after);
  });

  it('top movers count value out to customers: a receipt reversed, a write-off or a transfer is no outflow, a refund takes its sale back', async () => {
    await company('UTC');
    const wine = await s.call('operations.receive', { idempotencyKey: key(), kind: 'supplier_order', siteId: s.ids.wh, dutyPaid: false, occurredAt: day(2), lines: [{ productId: s.ids.lot, qty: 24, batch: { code: 'W1', expiry: '2030-01-01' }, unitCost: 9_0000 }] });
    await inbound(day(2), 10_000);
    // Wine: 12 bottles credited back to the supplier, 2 written off, 3 sent to the shop; none of it sold.
    await s.call('operations.reverseReceipt', { idempotencyKey: key(), kind: 'supplier_credit', documentId: wine.documentId!, occurredAt: day(1), lines: [{ seq: wine.firstSeq!, qty: 12 }] });
    await s.call('operations.writeOff', { idempotencyKey: key(), kind: 'wastage', reason: 'damaged', siteId: s.ids.wh, occurredAt: day(1), lines: [{ productId: s.ids.lot, qty: 2 }] });
    await s.call('operations.transfer', { idempotencyKey: key(), fromSiteId: s.ids.wh, toSiteId: s.ids.shop, occurredAt: day(1), lines: [{ productId: s.ids.lot, qty: 3 }] });
    // Rice: 3 kg sold, 1 kg of it refunded back to stock.
    const sold = await s.call('operations.despatch', { idempotencyKey: key(), kind: 'sale', siteId: s.ids.wh, occurredAt: day(1), lines: rice(3_000) });
    await s.call('operations.refund', { idempotencyKey: key(), kind: 'sale_refund', documentId: sold.documentId!, returnToStock: true, occurredAt: day(1), lines: [{ seq: sold.firstSeq!, qty: 1_000 }] });
    const { topMovers } = await s.call('enquiry.dashboard', { days: 7 });
    expect(topMovers.map((m) => [m.sku, m.qtyOut, m.valueOut])).toEqual([
      ['RICE-1KG', 2_000, movementValue(2_000, 2_0000, 3)],
      ['CLARET-75', 0, 0],
    ]);
  });

  it('counts a "more than" filter exactly in the background', async () => {
    for (let d = 12; d >= 0; d--) {
      await inbound(day(d), 10_000);
      await (d % 2 ? wastage : outbound)(day(d), 1_000);
    }
    const filter = { types: ['wastage', 'outbound'], siteId: s.ids.wh };
    const exact = (await s.call('enquiry.count', { filter, cap: 1_000_000 })).count;
    expect(exact).toBe(13);
    expect(await s.call('enquiry.count', { filter, cap: 3 })).toEqual({ count: 3, exact: false });
    const jobId = `count-${process.pid}-${++keys}`;
    await s.ops['enquiry.countRefine'](jobId, { filter });
    expect(await jobFinished(s, jobId)).toMatchObject({ ok: true, message: '13 movements match the filter' });
  });

  it('counts days in the company time zone: 00:30 BST falls on the next day in Europe/London, and a change of zone folds again', async () => {
    await company('UTC');
    await inbound(day(5), 100);
    for (const d of [4, 2, 1]) await wastage(day(d), 1);
    // 23:30 UTC on 28 June is 00:30 BST on 29 June.
    await wastage('2025-06-28T23:30:00.000Z', 1);
    const utc = await s.call('enquiry.dashboard', { days: 7 });
    await company('Europe/London');
    const london = await s.call('enquiry.dashboard', { days: 7 });
    const { rows } = await truth(-1e9, 1e9);
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
