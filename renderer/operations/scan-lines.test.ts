import { describe, expect, it } from 'vitest';
import type { ProductOption } from '../../shared/operations';
import type { ParsedScan, ScanEvent, ScanResolution } from '../../shared/scanning/scan-types';
import { emptyLine, type FormLine } from './line-model';
import { addScannedLine, scanLineOutcome } from './scan-lines';

const product = (p: Partial<ProductOption>): ProductOption => ({ id: 1, sku: 'P', name: 'P', unit: 'ea', scale: 0, stockType: 'Supplied', tracking: 'BULK', ...p });
const bulk = product({ id: 1, sku: 'RICE', name: 'Rice', unit: 'kg', scale: 3 });
const lot = product({ id: 2, sku: 'CLARET', name: 'Claret', unit: 'btl', tracking: 'LOT' });
const serial = product({ id: 3, sku: 'DRILL', name: 'Drill', tracking: 'SERIAL' });

function scan(p: ProductOption | null, parsed: Partial<ParsedScan> = {}, resolution: Partial<ScanResolution> = {}): ScanEvent {
  return {
    seq: 1,
    scanId: 's1',
    source: 'wedge',
    origin: 'main',
    receivedAt: 0,
    parsed: { raw: '', aim: null, symbology: 'EAN-13', data: '', gs1: false, elements: [], gtin: null, batch: null, expiry: null, serial: null, quantity: null, checkDigitOk: true, problem: null, ...parsed },
    resolution: { product: p, matchedBy: p ? 'barcode' : null, batch: null, serialUnit: null, message: p ? `${p.sku} — ${p.name}` : 'unknown', ...resolution },
  };
}
const scanAll = (events: ScanEvent[], receive = true, lines: FormLine[] = [emptyLine()]) => events.reduce((ls, e) => addScannedLine(ls, e, receive), lines);

describe('addScannedLine', () => {
  it('adds a LOT line with batch, expiry and the GS1 count on Receive, replacing the empty starter line', () => {
    const lines = scanAll([scan(lot, { gs1: true, batch: 'L1', expiry: '2028-01-31', quantity: 5 })]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ product: lot, qty: '5', batch: 'L1', expiry: '2028-01-31', serials: '' });
  });

  it('adds up scans of the same product and batch; another batch gets its own line', () => {
    const lines = scanAll([
      scan(lot, { batch: 'L1', expiry: '2028-01-31', quantity: 5 }),
      scan(lot, { batch: 'L1', expiry: '2028-01-31', quantity: 2 }),
      scan(lot, { batch: 'L2', expiry: '2029-06-30' }),
    ]);
    expect(lines.map((l) => [l.batch, l.qty, l.expiry])).toEqual([
      ['L1', '7', '2028-01-31'],
      ['L2', '1', '2029-06-30'],
    ]);
  });

  it('takes the known batch expiry when the code has none; Despatch never fills the expiry', () => {
    const known = scan(lot, { batch: 'L1' }, { batch: { id: 9, code: 'L1', expiry: '2027-03-31' } });
    expect(scanAll([known])[0]).toMatchObject({ batch: 'L1', expiry: '2027-03-31' });
    expect(scanAll([known], false)[0]).toMatchObject({ batch: 'L1', expiry: '' });
  });

  it('ignores batch and expiry for a BULK product and counts in its scale without thousands separators', () => {
    const lines = scanAll([scan(bulk, { batch: 'X', expiry: '2028-01-31', quantity: 999 }), scan(bulk, { quantity: 2 })]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ batch: '', expiry: '', qty: '1001.000' });
  });

  it('collects serials one unit each and never twice', () => {
    const lines = scanAll([scan(serial, { serial: 'SN1', quantity: 4 }), scan(serial, { serial: 'SN2' }), scan(serial, { serial: 'SN1' })]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ serials: 'SN1 SN2', qty: '2' });
  });

  it('takes the serial from the resolved unit when the code itself carries none', () => {
    const lines = scanAll([scan(serial, {}, { serialUnit: { serial: 'SN7', inStock: true, siteId: 1 }, matchedBy: 'serial' })]);
    expect(lines[0]).toMatchObject({ serials: 'SN7', qty: '1' });
  });

  it('leaves a line with an unreadable quantity alone and keeps the lines the user started', () => {
    const typed: FormLine = { ...emptyLine(), product: lot, qty: 'abc', batch: 'L1' };
    const started: FormLine = { ...emptyLine(), product: bulk, qty: '3' };
    const empty = emptyLine();
    expect(scanAll([scan(lot, { batch: 'L1' })], true, [started, typed, empty])).toEqual([started, typed, empty]);
    // a new line drops the untouched starter line but keeps the started ones
    expect(scanAll([scan(lot, { batch: 'L2' })], true, [started, empty]).map((l) => [l.product?.sku, l.qty, l.batch])).toEqual([
      ['RICE', '3', ''],
      ['CLARET', '1', 'L2'],
    ]);
  });

  it('changes nothing for an unknown code', () => {
    const lines = [emptyLine()];
    expect(addScannedLine(lines, scan(null), true)).toBe(lines);
  });
});

describe('scanLineOutcome', () => {
  it('is handled with the resolution message for a product, unknown otherwise', () => {
    expect(scanLineOutcome(scan(lot))).toEqual({ outcome: 'handled', message: 'Added to the lines: CLARET — Claret.' });
    expect(scanLineOutcome(scan(null))).toEqual({ outcome: 'unknown' });
  });
});
