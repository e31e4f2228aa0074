import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceiveInput } from '../../shared/contract/operations.schemas';
import { closeVerified, jobFinished, storeForFile, type StoreUnderTest } from '../../test/fixtures/store-under-test';
import { exportHeader } from './movement-export';
import { DAY_MS } from './stock-snapshots';

/**
 * Stock at a date, the batch journey, product details and the movement export on the configured store
 * (test/fixtures/store-under-test.ts): SQLite by default, PostgreSQL in `npm run test:unit:pg`. Every movement is
 * posted through the contract's operations, every answer read through the enquiry's. The SQLite snapshots' own patching
 * and dropping, and its export writer cancelled before it starts: stock-views.sqlite.test.ts.
 */
// The movement export writes under the app's data folder: a temporary one for this file.
const home = mkdtempSync(join(tmpdir(), 'stockbook-stock-views-'));
process.env.STOCKBOOK_HOME = home;

const D0 = Date.UTC(2025, 0, 1);
const open = storeForFile();
let s: StoreUnderTest;
let n = 0;
const key = () => `stock-views-${process.pid}-${++n}`;
const at = (day: number, hour: number) => new Date(D0 + day * DAY_MS + hour * 3_600_000).toISOString();

beforeAll(async () => {
  let now = Date.UTC(2025, 6, 1);
  s = await open({ clock: () => (now += 1000) });
  await s.call('company.update', { name: 'Test Kitchen Ltd', currency: 'GBP', timeZone: 'UTC', locale: 'en-GB', fyStartMonth: 1 });
});
afterAll(async () => {
  if (s) await closeVerified(s);
  rmSync(home, { recursive: true, force: true });
});

/** A small seeded random so the property checks are repeatable. */
function rng(seed: number) {
  let x = seed >>> 0;
  return () => ((x = (x * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const receive = (occurredAt: string, kind: ReceiveInput['kind'], siteId: number, lines: ReceiveInput['lines'], reference?: string, note?: string) =>
  s.call('operations.receive', { idempotencyKey: key(), kind, siteId, dutyPaid: false, occurredAt, ...(reference ? { reference } : {}), ...(note ? { note } : {}), lines });

/** Ground truth: the sum of movements with occurred_at ≤ T per product/site/bin/batch (real sites only), by plain SQL. */
async function truth(t: number): Promise<Map<string, number>> {
  const rows = await s.rows<{ p: number; s: number; b: number | null; t: number | null; q: number | string }>(
    `SELECT m.product_id AS p, m.site_id AS s, m.bin_id AS b, m.batch_id AS t, SUM(m.qty) AS q
     FROM movements m JOIN sites s ON s.id = m.site_id AND s.kind != 'external' WHERE m.occurred_at <= ? GROUP BY m.product_id, m.site_id, m.bin_id, m.batch_id`,
    [t],
  );
  return new Map(rows.filter((r) => Number(r.q) !== 0).map((r) => [`${r.p}:${r.s}:${r.b ?? 0}:${r.t ?? 0}`, Number(r.q)]));
}

/** enquiry.stockAt at the instant `t`, per product/site/bin/batch. */
async function answer(t: number): Promise<Map<string, number>> {
  const r = await s.call('enquiry.stockAt', { at: new Date(t).toISOString(), limit: 5000 });
  expect(r.total).toBe(r.rows.length);
  return new Map(r.rows.map((x) => [`${x.productId}:${x.siteId}:${x.binId ?? 0}:${x.batchId ?? 0}`, x.qty]));
}

describe('stock at a date, batch journey, product details, export', () => {
  it('stock at date equals the sum of movements up to T, before and after backdated postings and a snapshot rebuild', async () => {
    const { wh, shop, binA, bulk, lot } = s.ids;
    const r = rng(7);
    for (let day = 0; day < 60; day++) {
      for (let k = 0; k < 5; k++) {
        const hour = Math.floor(r() * 24);
        await receive(at(day, hour), 'inbound', wh, [{ productId: bulk, binId: binA, qty: 1000 + Math.floor(r() * 500), unitCost: 100 }]);
        await receive(at(day, hour), 'inbound', k % 2 ? wh : shop, [{ productId: lot, batch: { code: `B${day % 4}`, expiry: '2027-06-30' }, qty: 10, unitCost: 100 }]);
        await s.call('operations.despatch', { idempotencyKey: key(), kind: 'outbound', siteId: wh, occurredAt: at(day, hour), lines: [{ productId: bulk, binId: binA, qty: Math.floor(r() * 800) + 1 }] });
      }
    }
    await s.call('enquiry.rebuildSnapshots', {});
    const dates = Array.from({ length: 12 }, () => D0 + Math.floor(r() * 62 * DAY_MS));
    dates.push(D0 + 10 * DAY_MS, D0 + 10 * DAY_MS - 1, D0 - 1, D0 + 100 * DAY_MS);
    for (const t of dates) expect(await answer(t)).toEqual(await truth(t));

    // A backdated movement (day 20), then many at once (days 30 to 34): still exact, at and around them.
    await receive(at(20, 5), 'inbound', wh, [{ productId: bulk, binId: binA, qty: 777_000, unitCost: 100 }], 'LATE-1');
    for (const t of [...dates, D0 + 20 * DAY_MS + 5 * 3_600_000, D0 + 20 * DAY_MS + 5 * 3_600_000 - 1]) expect(await answer(t)).toEqual(await truth(t));
    for (let i = 0; i < 40; i++) await receive(at(30 + (i % 5), 1), 'inbound', wh, [{ productId: lot, batch: { code: 'LATE', expiry: '2027-06-30' }, qty: 3, unitCost: 100 }]);
    for (const t of dates) expect(await answer(t)).toEqual(await truth(t));
    await s.call('enquiry.rebuildSnapshots', {});
    for (const t of dates) expect(await answer(t)).toEqual(await truth(t));
    const site = await s.call('enquiry.stockAt', { at: new Date(D0 + 40 * DAY_MS).toISOString(), level: 'site', productId: bulk });
    expect(site.rows).toHaveLength(1);
    expect(site.rows[0]!.qty).toBe([...(await truth(D0 + 40 * DAY_MS))].filter(([k]) => k.startsWith(`${bulk}:`)).reduce((t, [, q]) => t + q, 0));
  }, 600_000); // 940 documents through the operations: minutes on a loaded machine (no timing is asserted)

  it('stock at a date and time typed with seconds (06:10:30, wall clock) counts to that second: 06:10:20 in, 06:10:40 not', async () => {
    const { shop, bulk } = s.ids;
    const q = { at: '2025-06-10T06:10:30', level: 'site' as const, productId: bulk, siteId: shop };
    const qty = async () => (await s.call('enquiry.stockAt', q)).rows.reduce((t, r) => t + r.qty, 0);
    const before = await qty();
    await receive('2025-06-10T06:10:20.000Z', 'inbound', shop, [{ productId: bulk, qty: 5_000, unitCost: 100 }]);
    await receive('2025-06-10T06:10:40.000Z', 'inbound', shop, [{ productId: bulk, qty: 7_000, unitCost: 100 }]);
    const r = await s.call('enquiry.stockAt', q);
    expect(r.at).toBe(Date.UTC(2025, 5, 10, 6, 10, 30));
    expect(await qty()).toBe(before + 5_000);
  });

  it('follows a batch through its whole life with the running remainder', async () => {
    const { wh, shop, external, lot } = s.ids;
    const batch = { code: 'JOURNEY' };
    await receive(at(70, 9), 'stock_receipt', wh, [{ productId: lot, batch: { code: 'JOURNEY', expiry: '2027-01-31' }, qty: 100, unitCost: 500 }], 'PO-J');
    await s.call('operations.transfer', { idempotencyKey: key(), occurredAt: at(71, 9), fromSiteId: wh, toSiteId: shop, lines: [{ productId: lot, batch, qty: 30 }] });
    await s.call('operations.despatch', { idempotencyKey: key(), kind: 'sale', siteId: shop, occurredAt: at(72, 9), lines: [{ productId: lot, batch, qty: 12 }] });
    await s.call('operations.transfer', { idempotencyKey: key(), occurredAt: at(72, 9), fromSiteId: wh, toSiteId: external, lines: [{ productId: lot, batch, qty: 8 }] });
    // Backdated: recorded last, occurred first after the receipt.
    await s.call('operations.writeOff', { idempotencyKey: key(), kind: 'clear', reason: 'other', siteId: wh, occurredAt: at(70, 12), lines: [{ productId: lot, batch, qty: 5 }] });
    const id = (await s.rows<{ id: number }>("SELECT id FROM batches WHERE code = 'JOURNEY'"))[0]!.id;
    const j = await s.call('enquiry.batchJourney', { batchId: id });
    expect(j.expiry).toBe('2027-01-31');
    expect(j.steps.map((x) => [x.type, x.siteCode, x.qty, x.remainder])).toEqual([
      ['stock_receipt', 'WH1', 100, 100],
      ['clear', 'WH1', -5, 95],
      ['transfer_out', 'WH1', -30, 65],
      ['transfer_in', 'BAR', 30, 95],
      ['sale', 'BAR', -12, 83],
      ['transfer_out', 'WH1', -8, 75],
      ['transfer_in', 'EXTERNAL', 8, 75],
    ]);
    expect(j.remaining).toBe(75);
    const details = await s.call('enquiry.productDetails', { productId: lot });
    expect(details.lines.find((l) => l.batchCode === 'JOURNEY' && l.siteCode === 'BAR')!.qty).toBe(18);
    expect(details.onHand).toBe(details.lines.reduce((t, l) => t + l.qty, 0));
    expect(details.history.at(-1)!.balance).toBe(details.onHand);
  });

  it('exports the filtered movements to CSV, neutralising formulas', async () => {
    const { wh, bulk } = s.ids;
    await receive(at(80, 1), 'inbound', wh, [{ productId: bulk, qty: 2500, unitCost: 12_3456 }], '+44 "quoted", ref');
    await s.call('operations.writeOff', { idempotencyKey: key(), kind: 'wastage', reason: 'spoiled', siteId: wh, occurredAt: at(80, 2), reference: '-minus', lines: [{ productId: bulk, qty: 500 }] });
    await s.call('operations.despatch', { idempotencyKey: key(), kind: 'outbound', siteId: wh, occurredAt: at(80, 2), reference: '@cmd', lines: [{ productId: bulk, qty: 100 }] });
    // A line's own note: an adjustment line carries it after its reason (a document's note is no movement's); the draft's name is its reference.
    const draft = await s.call('operations.draftCreate', { name: '=SUM(A1:A9)', siteId: wh, effectiveAt: at(80, 3) });
    await s.call('operations.draftSaveLine', { draftId: draft.id, productId: bulk, qty: 100, reason: 'found', note: '@cmd|line\nbreak' });
    await s.call('operations.draftPost', { draftId: draft.id, idempotencyKey: key() });
    const jobId = `stock-views-export-${++n}`;
    const started = await s.ops['enquiry.exportStart'](jobId, { filter: { occurred: { from: D0 + 80 * DAY_MS, to: D0 + 81 * DAY_MS } }, format: 'csv', summary: '' });
    expect(await jobFinished(s, jobId)).toMatchObject({ ok: true, message: expect.stringMatching(/^Exported 4 movements to /) as string });
    const job = (await s.call('enquiry.exports', {})).find((x) => x.jobId === jobId)!;
    expect([job.status, job.rows]).toEqual(['done', 4]);
    expect(s.events.filter((e) => e.event === 'job.progress' && (e.payload as { jobId: string }).jobId === jobId).at(-1)?.payload).toMatchObject({ done: 4 });
    const text = readFileSync(started.file, 'utf8');
    const lines = text.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe(exportHeader('UTC').join(','));
    expect(lines[1]).toContain(',RICE-1KG,Arborio rice,WH1,,Inbound,inbound,2.500,');
    expect(lines[1]).toContain(",12.3456,30.8640,declared,receipt,\"'+44 \"\"quoted\"\", ref\",");
    expect(text).toContain(',Wastage,wastage,-0.500,');
    expect(text).toContain(",write_off,'-minus,");
    expect(text).toContain(",'@cmd,");
    expect(text).toContain(",adjustment,'=SUM(A1:A9),");
    expect(text).toContain(`,"found: @cmd|line\nbreak",Administrator,`);
  });
});
