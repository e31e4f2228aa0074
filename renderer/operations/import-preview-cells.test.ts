import { afterEach, describe, expect, it } from 'vitest';
import type { ImportPreviewRow } from '../../shared/operations';
import { showDatesIn } from '../common/format';
import { importPreviewCells } from './import-preview-cells';

const row = (over: Partial<ImportPreviewRow> = {}): ImportPreviewRow => ({
  row: 2,
  file: { sku: 'MEHL-405', site: 'PROD', bin: 'ROH-01', qty: '1.250,5', batch: 'K-2510', expiry: '31.01.2027', serial: '', unitCost: '0,61' },
  product: { sku: 'MEHL-405', name: 'Weizenmehl Type 405', unit: 'kg', scale: 3 },
  site: { code: 'PROD', name: 'Produktion' },
  bin: 'ROH-01',
  qty: 1_250_500,
  unitCost: 6_100,
  batch: 'K-2510',
  expiry: '2027-01-31',
  serial: null,
  valid: true,
  ...over,
});

afterEach(() => showDatesIn({ timeZone: 'Europe/London', locale: 'en-GB', currency: 'GBP' }));

describe('importPreviewCells', () => {
  it("writes what a German row posts as the company writes numbers, money and dates, with the file's text where it differs", () => {
    showDatesIn({ timeZone: 'Europe/Berlin', locale: 'de-DE', currency: 'EUR' });
    const c = importPreviewCells(row());
    expect(c.product).toEqual({ posted: 'MEHL-405 Weizenmehl Type 405', file: null });
    expect(c.place).toEqual({ posted: 'PROD / ROH-01', file: null });
    expect(c.qty).toEqual({ posted: '1.250,500 kg', file: '1.250,5' });
    expect(c.unitCost.posted).toMatch(/^0,61\s€$/);
    expect(c.expiry).toEqual({ posted: '31.01.2027', file: null });
    expect(c.batch).toEqual({ posted: 'K-2510', file: null });
  });

  it("shows a number read in another format than the company's as the value it became, so a misreading is seen", () => {
    // A German company's file read as 1,234.56: "1.250" became one and a quarter kilos, not 1250.
    showDatesIn({ timeZone: 'Europe/Berlin', locale: 'de-DE', currency: 'EUR' });
    const c = importPreviewCells(row({ file: { ...row().file, qty: '1.250', expiry: '2027-01-31' }, qty: 1_250 }));
    expect(c.qty).toEqual({ posted: '1,250 kg', file: '1.250' });
    expect(c.expiry).toEqual({ posted: '31.01.2027', file: '2027-01-31' });
  });

  it("shows a field the row could not read as '—' beside the file's text", () => {
    const c = importPreviewCells(row({ product: null, qty: null, expiry: null, site: null, bin: null, valid: false, file: { ...row().file, sku: 'NOPE', expiry: '2027-13-01' } }));
    expect(c.product).toEqual({ posted: '—', file: 'NOPE' });
    expect(c.qty).toEqual({ posted: '—', file: '1.250,5' });
    expect(c.expiry).toEqual({ posted: '—', file: '2027-13-01' });
    expect(c.place).toEqual({ posted: '—', file: 'PROD / ROH-01' });
  });
});
