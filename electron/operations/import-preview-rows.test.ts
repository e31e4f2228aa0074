import { describe, expect, it } from 'vitest';
import { jobFinished, storePerTest, type StoreUnderTest } from '../../test/fixtures/store-under-test';

/**
 * The import preview says what each row will post (German walk F6), and every import message names a row as the
 * clerk's spreadsheet numbers it: the header is row 1, an empty row counts. On the configured store
 * (test/fixtures/store-under-test.ts): SQLite by default, PostgreSQL in `npm run test:unit:pg`.
 */
let s: StoreUnderTest;
storePerTest((opened) => (s = opened));

async function workbook(rows: (string | number | Date | null)[][]): Promise<string> {
  const ExcelJS = (await import('exceljs')).default;
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Stock');
  rows.forEach((r, i) => (r.length ? sheet.getRow(i + 1).values = r : undefined));
  return Buffer.from(await book.xlsx.writeBuffer()).toString('base64');
}

describe('import preview rows', () => {
  it("shows what each row of a German ';' file with decimal commas will post: product, site, bin, quantity, cost, batch, expiry, serial", async () => {
    const csv = 'sku;site;bin;qty;batch;expiry;serial;unit_cost\r\nRICE-1KG;WH1;A-01;1.250,5;;;;0,61\r\nCLARET-75;WH1;;6;L9;2031-01-31;;1.234,50\r\nTAP-01;BAR;;1;;;SN-77;40\r\nNOPE;WH1;;2;;;;1\r\n';
    const p = await s.call('operations.importPreview', { csv, kind: 'stock_receipt', locale: 'de-DE' });
    expect(p).toMatchObject({ rows: 4, validRows: 3, errorCount: 1 });
    expect(p.shown).toHaveLength(4);
    expect(p.shown[0]).toMatchObject({
      row: 2,
      file: { sku: 'RICE-1KG', qty: '1.250,5', unitCost: '0,61' },
      product: { sku: 'RICE-1KG', scale: 3 },
      site: { code: 'WH1' },
      bin: 'A-01',
      qty: 1_250_500,
      unitCost: 6_100,
      batch: null,
      expiry: null,
      valid: true,
    });
    expect(p.shown[0]!.product!.name).toEqual(expect.any(String));
    expect(p.shown[0]!.product!.unit).toEqual(expect.any(String));
    expect(p.shown[1]).toMatchObject({ row: 3, qty: 6, unitCost: 12_345_000, batch: 'L9', expiry: '2031-01-31', valid: true });
    expect(p.shown[2]).toMatchObject({ row: 4, serial: 'SN-77', qty: 1, site: { code: 'BAR' }, valid: true });
    expect(p.shown[3]).toMatchObject({ row: 5, product: null, qty: null, unitCost: 10_000, valid: false });
  });

  it('shows the first rows of a large file only, with the counts of all', async () => {
    const rows = Array.from({ length: 250 }, (_, i) => `RICE-1KG,WH1,,${i + 1},,,,1`).join('\n');
    const p = await s.call('operations.importPreview', { csv: `sku,site,bin,qty,batch,expiry,serial,unit_cost\n${rows}\n`, kind: 'inventory_import' });
    expect(p).toMatchObject({ rows: 250, validRows: 250 });
    expect(p.shown).toHaveLength(100);
    expect(p.shown.at(-1)).toMatchObject({ row: 101, qty: 100_000 });
  });

  it('names CSV rows as a spreadsheet numbers them: the header is row 1, an empty line counts', async () => {
    const csv = 'sku,site,bin,qty,batch,expiry,serial,unit_cost\nRICE-1KG,WH1,A-01,1,,,,2\n\nNOPE,WH1,,1,,,,2\nRICE-1KG,"WH1",,abc,,,,2\n';
    const p = await s.call('operations.importPreview', { csv, kind: 'inventory_import' });
    expect(p.problems.map((x) => [x.row, x.field])).toEqual([
      [4, 'sku'],
      [5, 'qty'],
    ]);
    expect(p.shown.map((r) => r.row)).toEqual([2, 4, 5]);
    await s.call('operations.importStart', { csv, kind: 'inventory_import', jobId: 'rows-1', idempotencyKey: 'rows-key-1' });
    expect(await jobFinished(s, 'rows-1')).toMatchObject({ ok: false, message: expect.stringMatching(/first: row 4 of the file, sku: Unknown SKU "NOPE"/) as string });
  });

  it('names XLSX rows by their row number in the sheet, an empty row counted', async () => {
    const header = ['sku', 'site', 'bin', 'qty', 'batch', 'expiry', 'serial', 'unit_cost'];
    const xlsx = await workbook([header, ['RICE-1KG', 'WH1', null, 1, null, null, null, 2], [], ['NOPE', 'WH1', null, 1, null, null, null, 2]]);
    const p = await s.call('operations.importPreview', { xlsxBase64: xlsx, kind: 'inventory_import' });
    expect(p.problems.map((x) => [x.row, x.field])).toEqual([[4, 'sku']]);
    expect(p.shown.map((r) => r.row)).toEqual([2, 4]);
  });

  it('names an unbalanced quote and garbled text by the row of the file', async () => {
    await expect(s.call('operations.importPreview', { csv: 'sku,site,bin,qty,batch,expiry,serial,unit_cost\nRICE-1KG,WH1,,1,,,,2\n"NOPE,WH1,,1,,,,2\n', kind: 'inventory_import' })).rejects.toThrow(/row 3 of the file is never closed/);
    await expect(s.call('operations.importPreview', { csv: 'sku,site,bin,qty,batch,expiry,serial,unit_cost\nRICE\u0000,WH1,,1,,,,2\n', kind: 'inventory_import' })).rejects.toThrow(/Row 2 of the file holds NUL characters/);
  });
});
