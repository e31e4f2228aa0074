import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeVerified, jobFinished, storeForFile, type StoreUnderTest } from '../../test/fixtures/store-under-test';

/**
 * Stock at a date in the business time zone on the configured store (test/fixtures/store-under-test.ts): SQLite by
 * default, PostgreSQL in `npm run test:unit:pg`. Receipts through operations.receive, answers through enquiry.stockAt and
 * the Stock at a date export (a job's read). SQLite's own snapshots (their cuts, refresh and swap): stock-snapshots.sqlite.test.ts.
 */
// The export writes under the app's data folder: a temporary one for this file.
const home = mkdtempSync(join(tmpdir(), 'stockbook-stock-snapshots-'));
process.env.STOCKBOOK_HOME = home;

const open = storeForFile();
let s: StoreUnderTest;
let n = 0;
const key = () => `stock-snapshots-${process.pid}-${++n}`;
const receive = (occurredAt: string, qty: number) =>
  s.call('operations.receive', { idempotencyKey: key(), kind: 'inbound', siteId: s.ids.wh, dutyPaid: false, occurredAt: new Date(occurredAt).toISOString(), lines: [{ productId: s.ids.bulk, binId: s.ids.binA, qty, unitCost: 10_000 }] });

beforeEach(async () => {
  let now = Date.parse('2026-08-01T00:00:00Z');
  s = await open({ clock: () => (now += 1000) });
  await s.call('company.update', { name: 'Test Kitchen Ltd', currency: 'GBP', timeZone: 'Europe/London', locale: 'en-GB', fyStartMonth: 1 });
  // 23:30 BST on 1 July (22:30 UTC) and 00:30 BST on 2 July (23:30 UTC on 1 July): different local days.
  for (const [at, qty] of [['2026-07-01T23:30:00+01:00', 1_000], ['2026-07-02T00:30:00+01:00', 500], ['2026-07-02T12:00:00+01:00', 250]] as const) await receive(at, qty);
});
afterEach(() => closeVerified(s));
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** enquiry.stockAt of rice at the warehouse, per site, as at `at` (a date, a local time or an instant). */
const qtyAt = async (at: string) => {
  const r = await s.call('enquiry.stockAt', { at, productId: s.ids.bulk, siteId: s.ids.wh, level: 'site' });
  expect(r.rows.length).toBeLessThanOrEqual(1);
  return r.rows[0]?.qty ?? 0;
};

describe('stock at a date in the business time zone (Europe/London, BST)', () => {
  it('a date is the end of that local day; a local time and an instant are read as such, inclusive', async () => {
    expect(await qtyAt('2026-07-01')).toBe(1_000);
    expect(await qtyAt('2026-07-02')).toBe(1_750);
    expect(await qtyAt('2026-07-02T00:30')).toBe(1_500);
    expect(await qtyAt('2026-07-02T00:29:59')).toBe(1_000);
    expect(await qtyAt('2026-07-01T23:29:59Z')).toBe(1_000);
    expect(await qtyAt('2026-07-01T23:30:00Z')).toBe(1_500);
    expect(await qtyAt('2026-06-30')).toBe(0);
    // Per bin and batch: the same rice, in bin A-01.
    const lines = await s.call('enquiry.stockAt', { at: '2026-07-02', productId: s.ids.bulk });
    expect(lines.rows.map((r) => [r.siteId, r.binId, r.qty])).toEqual([[s.ids.wh, s.ids.binA, 1_750]]);
  });

  it('after a snapshot rebuild, a backdated receipt recorded later is counted from its date on, in the enquiry and in the export (a job read)', async () => {
    await s.call('enquiry.rebuildSnapshots', {});
    await receive('2026-07-01T10:00:00Z', 7); // effective on 1 July, before both local day ends
    expect(await qtyAt('2026-07-01')).toBe(1_007);
    expect(await qtyAt('2026-07-02')).toBe(1_757);
    expect(await qtyAt('2026-07-01T09:00')).toBe(0);
    expect(await qtyAt('2026-07-01T11:00')).toBe(7);

    const jobId = `stock-at-export-${process.pid}-${++n}`;
    await s.ops['exports.start'](jobId, { list: 'stockAt', query: { at: '2026-07-01', siteId: s.ids.wh, level: 'site' } }, 'csv', 'stock at 1 July', null);
    expect(await jobFinished(s, jobId)).toMatchObject({ ok: true });
    const info = (await s.call('exports.job', { jobId }))!;
    const rows = readFileSync(info.file, 'utf8').replace(/^\uFEFF/, '').split('\r\n').slice(1, -1);
    expect(rows).toEqual(['RICE-1KG,Arborio rice,WH1,1.007,kg']);
  });
});
