import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MovementFilter } from '../../shared/contract/enquiry.schemas';
import type { MovementCursor, MovementView } from '../../shared/enquiry';
import { parseCsv } from '../operations/csv-parse';
import { closeVerified, jobFinished, storeForFile, type StoreUnderTest } from '../../test/fixtures/store-under-test';

/**
 * A serial number's history in the Enquiry window, on the configured store (SQLite, PostgreSQL in the pg config): the
 * search box matches serial units whose serial starts with it (the exact one among them), in any letter case (a clerk
 * types `sn-4471` for the label's SN-4471), beside the products, batches and documents it already matches. A unit received, transferred, sold and
 * returned (through the operations), among other units whose serials share a prefix or differ only in case, a product
 * whose SKU starts like the serials, and enough other movements for several pages. Every answer (pages both ways,
 * count, export, balance on that date) is checked against a plain read of the movements.
 */
const home = mkdtempSync(join(tmpdir(), 'stockbook-serial-search-'));
process.env.STOCKBOOK_HOME = home;

const open = storeForFile();
let s: StoreUnderTest;
let made = 0;
const key = () => `serial-search-${process.pid}-${++made}`;
const T0 = Date.UTC(2026, 1, 2, 9);
const at = (hour: number) => new Date(T0 + hour * 3_600_000).toISOString();

/** A movement as the plain read gives it. */
interface Row {
  seq: number;
  occurredAt: number;
  type: string;
  siteId: number;
  productId: number;
  sku: string;
  serial: string | null;
}
let rows: Row[];
let keg = 0;
let cable = 0;

beforeAll(async () => {
  let now = Date.UTC(2026, 2, 1);
  s = await open({ clock: () => (now += 1000) });
  const { wh, shop, serial, bulk } = s.ids;
  const product = async (sku: string, name: string, tracking: 'BULK' | 'SERIAL') =>
    (await s.call('masterdata.productCreate', { sku, name, unit: 'each', scale: 0, stockType: 'Supplied', tracking, stockKeeping: true, lowStockLevel: null, groupId: null, barcodes: [] })).id;
  keg = await product('KEG-02', 'Keg coupler', 'SERIAL');
  cable = await product('SN-44-CAB', 'Patch lead', 'BULK');
  const receive = (hour: number, productId: number, qty: number, serials?: string[]) =>
    s.call('operations.receive', { idempotencyKey: key(), kind: 'stock_receipt', siteId: wh, dutyPaid: false, occurredAt: at(hour), lines: [{ productId, qty, unitCost: 5_000, ...(serials ? { serials } : {}) }] });
  await receive(0, serial, 3, ['SN-4471', 'SN-4472', 'SN-5000']);
  await receive(1, keg, 2, ['sn-4471', 'SN-44710']);
  await receive(2, cable, 40);
  // Other stock moving on the same days: many pages of it.
  for (let i = 0; i < 60; i++) await receive(3 + i / 10, bulk, 1000 + i);
  await s.call('operations.transfer', { idempotencyKey: key(), occurredAt: at(10), fromSiteId: wh, toSiteId: shop, lines: [{ productId: serial, qty: 1, serials: ['SN-4471'] }] });
  await s.call('operations.transfer', { idempotencyKey: key(), occurredAt: at(10), fromSiteId: wh, toSiteId: shop, lines: [{ productId: keg, qty: 1, serials: ['SN-44710'] }] });
  const sale = await s.call('operations.despatch', { idempotencyKey: key(), kind: 'sale', siteId: shop, occurredAt: at(20), lines: [{ productId: serial, qty: 1, serials: ['SN-4471'] }] });
  await s.call('operations.despatch', { idempotencyKey: key(), kind: 'sale', siteId: wh, occurredAt: at(21), lines: [{ productId: cable, qty: 3 }] });
  await s.call('operations.refund', { idempotencyKey: key(), kind: 'sale_refund', occurredAt: at(30), documentId: sale.documentId!, returnToStock: true, lines: [{ seq: sale.firstSeq!, qty: 1 }] });
  // Backdated: the second unit sold on the day it came in, recorded after everything else.
  await s.call('operations.despatch', { idempotencyKey: key(), kind: 'sale', siteId: wh, occurredAt: at(0.5), lines: [{ productId: serial, qty: 1, serials: ['SN-4472'] }] });
  rows = await s.rows<Row>(
    `SELECT m.seq, m.occurred_at AS "occurredAt", m.type, m.site_id AS "siteId", m.product_id AS "productId", p.sku, su.serial
     FROM movements m JOIN products p ON p.id = m.product_id LEFT JOIN serial_units su ON su.id = m.serial_id ORDER BY m.seq`,
  );
  for (const r of rows) r.occurredAt = Number(r.occurredAt);
}, 300_000);
afterAll(async () => {
  if (s) await closeVerified(s);
  rmSync(home, { recursive: true, force: true });
});

/** Whether a row's serial starts with `prefix`, letter case folded as the search box folds it. */
const serialFrom = (r: Row, prefix: string) => r.serial?.toLowerCase().startsWith(prefix.toLowerCase()) === true;

/** Seqs of the rows `keep` picks, newest first. */
const newestFirst = (keep: (r: Row) => boolean) =>
  rows
    .filter(keep)
    .sort((a, b) => b.occurredAt - a.occurredAt || b.seq - a.seq)
    .map((r) => r.seq);

/** Every page of `filter` in `order`, `limit` rows a page, following the cursors; `back`: paged back from the last non-empty page. */
async function pageAll(filter: MovementFilter, order: 'asc' | 'desc', limit: number): Promise<{ seqs: number[]; views: MovementView[]; back: number[] }> {
  const views: MovementView[] = [];
  const pages: MovementView[][] = [];
  let after: MovementCursor | undefined;
  for (let guard = 0; guard < 100; guard++) {
    const p = await s.call('enquiry.movements', { filter, order, limit, ...(after ? { after } : {}) });
    views.push(...p.rows);
    pages.push(p.rows);
    if (!p.next) break;
    after = p.next;
  }
  // Paging back from the last page's first row gives every earlier row, page by page.
  const back: number[] = [];
  const last = pages.filter((p) => p.length > 0);
  const from = last.length > 1 ? last.at(-1)![0]! : undefined;
  let before = from ? { occurredAt: from.occurredAt, seq: from.seq } : undefined;
  while (before) {
    const p = await s.call('enquiry.movements', { filter, order, limit, before });
    back.unshift(...p.rows.map((m) => m.seq));
    before = p.prev ?? undefined;
  }
  return { seqs: views.map((m) => m.seq), views, back };
}

describe('finding a serial number in Enquiry', () => {
  it("shows an exact serial's whole history (received, transferred, sold, returned), each row naming the serial, typed in any letter case", async () => {
    const want = newestFirst((r) => r.serial === 'SN-4471');
    const types = rows.filter((r) => r.serial === 'SN-4471').map((r) => r.type);
    expect(types).toEqual(expect.arrayContaining(['stock_receipt', 'transfer_out', 'transfer_in', 'sale', 'sale_refund']));
    // SN-4471 is also the start of SN-44710 and, letter case folded, of sn-4471 (another product's units): the prefix match finds them too.
    const prefix = newestFirst((r) => serialFrom(r, 'SN-4471'));
    expect(prefix.length).toBeGreaterThan(want.length);
    for (const typed of ['SN-4471', 'sn-4471', 'Sn-4471', '  sn-4471 ']) {
      // Surrounding spaces are not part of the serial (the search box trims, as the operations trim serials).
      const page = await s.call('enquiry.movements', { filter: { search: typed }, limit: 50 });
      expect(page.rows.map((m) => m.seq), typed).toEqual(prefix);
      expect(page.rows.filter((m) => m.productId === s.ids.serial).map((m) => m.seq), typed).toEqual(want);
      expect(new Set(page.rows.map((m) => m.serial)), typed).toEqual(new Set(['SN-4471', 'SN-44710', 'sn-4471']));
      expect(await s.call('enquiry.count', { filter: { search: typed } }), typed).toEqual({ count: prefix.length, exact: true });
    }
    // The unit typed in lower case on its receipt is found by its serial in capitals, as by its own.
    expect(new Set((await s.call('enquiry.movements', { filter: { search: 'SN-4471', productId: keg }, limit: 50 })).rows.map((m) => m.serial))).toEqual(new Set(['sn-4471', 'SN-44710']));
    expect(await s.call('enquiry.movements', { filter: { search: 'SN-9999' } })).toMatchObject({ rows: [], next: null, prev: null });
    expect(await s.call('enquiry.count', { filter: { search: 'SN-9999' } })).toEqual({ count: 0, exact: true });
  });

  it('matches serial prefixes beside the products a search names, paging both ways without gaps, with the other fields narrowing', async () => {
    // "SN-44": the patch lead's SKU and the serials SN-44… and sn-44… (letter case folded, as the search box matches SKUs).
    const cases: [MovementFilter, (r: Row) => boolean][] = [
      [{ search: 'SN-44' }, (r) => serialFrom(r, 'SN-44') || r.productId === cable],
      [{ search: 'sn-44' }, (r) => serialFrom(r, 'sn-44') || r.productId === cable],
      [{ search: 'SN-' }, (r) => serialFrom(r, 'SN-') || r.productId === cable],
      [{ search: 'SN-44', types: ['sale'] }, (r) => (serialFrom(r, 'SN-44') || r.productId === cable) && r.type === 'sale'],
      [{ search: 'SN-447', siteId: s.ids.shop }, (r) => serialFrom(r, 'SN-447') && r.siteId === s.ids.shop],
      [{ search: 'sn-4471', occurred: { from: T0 + 5 * 3_600_000 } }, (r) => serialFrom(r, 'SN-4471') && r.occurredAt >= T0 + 5 * 3_600_000],
      [{ search: 'SN-4472', productId: s.ids.serial }, (r) => r.serial === 'SN-4472'],
      [{ search: 'SN-4472', productId: keg }, () => false],
    ];
    for (const [filter, keep] of cases) {
      const want = newestFirst(keep);
      if (filter.productId !== keg) expect(want.length, JSON.stringify(filter)).toBeGreaterThan(0);
      for (const limit of [2, 7, 200]) {
        const desc = await pageAll(filter, 'desc', limit);
        expect(desc.seqs, `${JSON.stringify(filter)} desc ${limit}`).toEqual(want);
        expect(desc.back, `${JSON.stringify(filter)} back ${limit}`).toEqual(want.slice(0, desc.back.length));
        expect((await pageAll(filter, 'asc', limit)).seqs, `${JSON.stringify(filter)} asc ${limit}`).toEqual([...want].reverse());
      }
      expect(await s.call('enquiry.count', { filter }), JSON.stringify(filter)).toEqual({ count: want.length, exact: true });
      expect(await s.call('enquiry.count', { filter, cap: 1 }), JSON.stringify(filter)).toEqual({ count: Math.min(1, want.length), exact: want.length <= 1 });
    }
  });

  it("shows each found row's balance on that date as the unfiltered enquiry does", async () => {
    const everything = new Map((await pageAll({}, 'desc', 500)).views.map((m) => [m.seq, m.balanceOnDate]));
    const found = (await pageAll({ search: 'SN-44' }, 'desc', 3)).views;
    expect(found.length).toBeGreaterThan(5);
    for (const m of found) {
      expect(m.balanceOnDate, `seq ${m.seq}`).not.toBeNull();
      expect(m.balanceOnDate, `seq ${m.seq}`).toBe(everything.get(m.seq));
    }
    // The sold-and-returned unit's site: out on the day of the sale, back on the day of the refund.
    const shopRows = found.filter((m) => m.serial === 'SN-4471' && m.siteId === s.ids.shop).map((m) => [m.type, m.balanceOnDate]);
    expect(shopRows).toEqual([['sale_refund', 1], ['sale', 0], ['transfer_in', 1]]);
  });

  it('exports the movements a serial search finds, with their serial numbers', async () => {
    const filter: MovementFilter = { search: 'SN-4471' };
    const jobId = `serial-export-${process.pid}`;
    const started = await s.ops['enquiry.exportStart'](jobId, { filter, format: 'csv', summary: '' });
    expect(await jobFinished(s, jobId)).toMatchObject({ ok: true });
    const table = parseCsv(readFileSync(started.file, 'utf8').replace(/^\uFEFF/, ''));
    const header = table[0]!;
    const lines = table.slice(1).filter((l) => l.length > 1);
    const want = [...newestFirst((r) => serialFrom(r, 'SN-4471'))].reverse();
    expect(lines.map((l) => Number(l[0]))).toEqual(want);
    const serialAt = header.indexOf('Serial');
    expect(serialAt).toBeGreaterThan(0);
    expect(lines.map((l) => l[serialAt])).toEqual(want.map((seq) => rows.find((r) => r.seq === seq)!.serial));
  });
});
