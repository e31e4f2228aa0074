import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storePerTest, type StoreUnderTest } from '../../test/fixtures/store-under-test';
import type { ParsedScan, ScanEvent, ScanResolution } from '../../shared/scanning/scan-types';
import { GS } from '../../shared/scanning/scan-types';
import { parseScan } from '../../shared/scanning/parse-scan';
import type { HidBackend, HidDeviceHandle, HidDeviceInfo } from './hid-backend';
import { encodeHidPosReports } from './hid-pos-report';
import { ScanQueue } from './scan-queue';
import { ScannerService } from './scanner-service';

/**
 * Scans resolved against the configured store (test/fixtures/store-under-test.ts: SQLite by default, PostgreSQL in
 * `npm run test:unit:pg`) by its scannerResolve operation, the one the app gives the scanner service. The USB scanner is
 * faked at its narrowest seam, the HID backend (the device's reports are real HID POS reports).
 */
const GTIN13 = '4006381333931';
let s: StoreUnderTest;
storePerTest((opened) => (s = opened));
/** The folder of the workstation's ledger path: the scanner keeps its settings file beside the ledger there. */
let dir: string;

beforeEach(async () => {
  const { wh, binA, lot, serial, bulk } = s.ids;
  await s.exec(`INSERT INTO product_barcodes (barcode, product_id) VALUES ('${GTIN13}', ${lot}), ('RICE-BC', ${bulk})`);
  await s.call('operations.receive', {
    idempotencyKey: 'scanner-receipt',
    kind: 'stock_receipt',
    siteId: wh,
    dutyPaid: false,
    lines: [
      { productId: lot, qty: 12, binId: binA, batch: { code: 'L1', expiry: '2027-03-31' }, unitCost: 90_000 },
      { productId: serial, qty: 1, binId: binA, serials: ['TAP-SN-1'], unitCost: 500_000 },
    ],
  });
  dir = mkdtempSync(join(tmpdir(), 'stockbook-scanner-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A scan as the app resolves it: the store's scannerResolve. */
const resolveScan = (scan: ParsedScan): Promise<ScanResolution> => s.ops.scannerResolve(scan);
const resolve = (code: string) => resolveScan(parseScan(code));
const attachBarcode = (productId: number, barcode: string) => s.call('scanner.attachBarcode', { productId, barcode });

describe('resolving a scan', () => {
  it('finds a product by EAN-13 barcode, and by the GTIN-14 of a GS1 code with batch and expiry', async () => {
    expect(await resolve(GTIN13)).toMatchObject({ product: { sku: 'CLARET-75', tracking: 'LOT' }, matchedBy: 'barcode' });
    const r = await resolve(`]d201${GTIN13.padStart(14, '0')}17270331` + `10L1${GS}3006`);
    expect(r).toMatchObject({ product: { sku: 'CLARET-75' }, matchedBy: 'gtin', batch: { code: 'L1', expiry: '2027-03-31' } });
    expect(r.message).toBe('CLARET-75 — Claret 2019 75cl · batch L1 · expiry 2027-03-31 · qty 6');
    expect((await resolve(`]d201${GTIN13.padStart(14, '0')}10NEWLOT`)).message).toMatch(/batch NEWLOT \(new\)/);
  });
  it('finds by other barcode, SKU, serial number and batch code', async () => {
    expect(await resolve('RICE-BC')).toMatchObject({ product: { sku: 'RICE-1KG' }, matchedBy: 'barcode' });
    expect(await resolve('tap-01')).toMatchObject({ product: { sku: 'TAP-01' }, matchedBy: 'sku' });
    expect(await resolve('TAP-SN-1')).toMatchObject({ product: { sku: 'TAP-01' }, matchedBy: 'serial', serialUnit: { serial: 'TAP-SN-1', inStock: true } });
    expect(await resolve('L1')).toMatchObject({ product: { sku: 'CLARET-75' }, matchedBy: 'batch', batch: { code: 'L1' } });
  });
  it('says plainly when a code is unknown', async () => {
    const r = await resolve('5012345678900');
    expect(r.product).toBeNull();
    expect(r.message).toBe('No product has the barcode GTIN 05012345678900. Attach it to a product, or scan another code.');
  });
  it('attaches a barcode to a product, refusing one owned by another product', async () => {
    expect(await attachBarcode(s.ids.bulk, '5012345678900')).toEqual({ productId: s.ids.bulk, sku: 'RICE-1KG', barcode: '5012345678900' });
    expect((await resolve('5012345678900')).product?.sku).toBe('RICE-1KG');
    await expect(attachBarcode(s.ids.serial, '5012345678900')).rejects.toThrow(/already belongs to RICE-1KG/);
    await expect(attachBarcode(99_999, 'X1')).rejects.toThrow(/does not exist/);
  });
});

describe('ScanQueue', () => {
  it('handles 10 scans each once, in arrival order, one lookup at a time, even when a later lookup is quicker than an earlier one', async () => {
    const events: ScanEvent[] = [];
    let i = 0;
    let inFlight = 0;
    let mostAtOnce = 0;
    const finished: string[] = [];
    const slowFirst = async (scan: ParsedScan): Promise<ScanResolution> => {
      mostAtOnce = Math.max(mostAtOnce, ++inFlight);
      await new Promise((r) => setTimeout(r, 30 - 3 * i++));
      inFlight--;
      finished.push(scan.data);
      return resolveScan(scan);
    };
    const q = new ScanQueue(slowFirst, (e) => events.push(e));
    const codes = Array.from({ length: 10 }, (_, n) => `CODE-${n}`);
    const results = await Promise.all(codes.map((code, n) => q.submit({ code, scanId: `s${n}`, source: 'wedge', origin: 'w1' })));
    expect(mostAtOnce).toBe(1); // no lookup overtakes another (the first is the slowest)
    expect(finished).toEqual(codes);
    expect(events.map((e) => e.parsed.data)).toEqual(codes);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(results.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
  it('a resubmitted scan id is handled once; a failing lookup still yields an event and the queue goes on', async () => {
    const events: ScanEvent[] = [];
    let fail = true;
    const q = new ScanQueue(async (scan) => {
      if (fail) {
        fail = false;
        throw new Error('ledger busy');
      }
      return resolveScan(scan);
    }, (e) => events.push(e));
    const a = q.submit({ code: 'A', scanId: 'x', source: 'wedge', origin: 'w' });
    const again = q.submit({ code: 'A', scanId: 'x', source: 'wedge', origin: 'w' });
    const b = q.submit({ code: GTIN13, scanId: 'y', source: 'wedge', origin: 'w' });
    expect(await again).toBe(await a);
    expect((await a).resolution.message).toMatch(/could not be looked up \(ledger busy\)/);
    expect((await b).resolution.product?.sku).toBe('CLARET-75');
    expect(events.map((e) => e.scanId)).toEqual(['x', 'y']);
  });
});

class FakeDevice extends EventEmitter implements HidDeviceHandle {
  close(): void {}
}

describe('ScannerService', () => {
  it('HID POS reports and wedge submissions feed one ordered queue to resolved scan.received events', async () => {
    const device = new FakeDevice();
    const info: HidDeviceInfo = { path: 'hid-1', vendorId: 0x0c2e, productId: 0x0b61, product: 'Voyager 1470g', usagePage: 0x8c };
    const backend: HidBackend = { devices: () => [info], open: () => device };
    const svc = await ScannerService.start({ dbPath: join(dir, 'ledger.db'), resolve: resolveScan, hid: { backend } });
    const events: ScanEvent[] = [];
    svc.onEvent((event, payload) => {
      if (event === 'scan.received') events.push(payload as ScanEvent);
    });
    expect(svc.status().connected?.product).toBe('Voyager 1470g');
    for (const r of encodeHidPosReports(']d2', `01${GTIN13.padStart(14, '0')}17270331` + `10L1${GS}21X`)) device.emit('data', r);
    const wedge = svc.submit({ code: 'TAP-SN-1', scanId: 'w-1', origin: 'win-1' });
    for (const r of encodeHidPosReports(']E0', GTIN13)) device.emit('data', r);
    await wedge;
    await svc.queue.idle();
    expect(events.map((e) => [e.seq, e.source, e.origin, e.resolution.product?.sku])).toEqual([
      [1, 'hid', null, 'CLARET-75'],
      [2, 'wedge', 'win-1', 'TAP-01'],
      [3, 'hid', null, 'CLARET-75'],
    ]);
    expect(events[0]!.parsed).toMatchObject({ symbology: 'GS1 DataMatrix', batch: 'L1', expiry: '2027-03-31', serial: 'X' });
    expect(svc.status().scansHandled).toBe(3);
    await svc.close();
  });

  it('keeps its settings in a file beside the ledger and turns HID off in wedge mode', async () => {
    const svc = await ScannerService.start({ dbPath: join(dir, 'ledger.db'), resolve: resolveScan, hid: { unavailable: 'node-hid could not load here.' } });
    expect(svc.config()).toMatchObject({ mode: 'auto', wedge: { maxGapMs: 30, terminator: 'enter-or-tab', gsKey: 'F8' } });
    const { config, status } = svc.configure({ ...svc.config(), mode: 'wedge', wedge: { ...svc.config().wedge, maxGapMs: 40 } });
    expect(config.wedge.maxGapMs).toBe(40);
    expect(status.hidAvailable).toBe(false);
    expect(JSON.parse(readFileSync(join(dir, 'ledger.scanner.json'), 'utf8')).mode).toBe('wedge');
    await svc.close();
  });
});
