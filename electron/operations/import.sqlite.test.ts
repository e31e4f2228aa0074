import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { readImportFile } from './import-file';
import { planImport } from './import-plan';
import { ImportStore } from './import-store';

/**
 * The SQLite-only part of the import tests (import.test.ts runs the rest on both stores): the plan's number reading in
 * an explicit locale (import.test.ts checks the contract's choice and the company's default on both stores;
 * import-plan.ts is the same code on both) and SQLite's own import_files constraint on its store object.
 */
let f: Fixture;
beforeEach(async () => {
  f = await openFixture();
});
afterEach(async () => {
  expect(f.ledger.verify().ok).toBe(true);
  await f.cleanup();
});

describe("import numbers by the file's locale", () => {
  const csv = 'sku,site,bin,qty,batch,expiry,serial,unit_cost\nRICE-1KG,WH1,A-01,"1,5",,,,"2,10"\nRICE-1KG,WH1,A-01,"1,234",,,,2.10\nRICE-1KG,WH1,A-01,1.2345,,,,"1.234,50"\n';
  const problems = async (text: string, locale: string) => (await planImport(f.ledger.db, text, 'stock_receipt', { locale })).problems.map((p) => `${p.row} ${p.field}: ${p.message}`);

  it('en-GB refuses a comma decimal and grouped or over-precise numbers, naming the right spelling', async () => {
    expect(await problems(csv, 'en-GB')).toEqual([
      "2 qty: Bad number in qty: \"1,5\" uses a comma as decimal separator; this file is read as 1,234.56: choose 1.234,56 under 'Numbers in this file', or write 1.5.",
      "2 unit_cost: Bad number in unit_cost: \"2,10\" uses a comma as decimal separator; this file is read as 1,234.56: choose 1.234,56 under 'Numbers in this file', or write 2.10.",
      '3 qty: Bad number in qty: "1,234" has a thousands separator (a comma), so it is ambiguous (1234 or 1.234?); write it without one, e.g. 1234, with a point as decimal separator.',
      '4 qty: Bad number in qty: "1.2345" has more than 3 decimal places: it is counted to 3 decimals, so enter e.g. 1.234 or 1.235.',
      '4 unit_cost: Bad number in unit_cost: "1.234,50" has a thousands separator (a point), so it is ambiguous; write it without one, e.g. 1234.50, with a point as decimal separator.',
    ]);
  });

  it('de-DE reads "2,10" as 2.10 and "1.234,50" as 1234.50 (as the screen writes it), and refuses a point decimal', async () => {
    expect(await problems(csv, 'de-DE')).toEqual([
      "3 unit_cost: Bad number in unit_cost: \"2.10\" uses a point as decimal separator; this file is read as 1.234,56: choose 1,234.56 under 'Numbers in this file', or write 2,10.",
      '4 qty: Bad number in qty: "1.2345" uses a point as decimal separator; use a comma, e.g. 1,2345.',
    ]);
    const plan = await planImport(f.ledger.db, 'sku,site,qty,unit_cost\nRICE-1KG,WH1,"1,5","2,10"\nRICE-1KG,WH1,"1.234,5","1.234,50"\n', 'stock_receipt', { locale: 'de-DE' });
    expect(plan.lines).toEqual([expect.objectContaining({ qty: 1_500, unitCost: 21_000 }), expect.objectContaining({ qty: 1_234_500, unitCost: 12_345_000 })]);
  });

  it('XLSX number cells are read exactly whatever the locale', async () => {
    const ExcelJS = (await import('exceljs')).default;
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Stock');
    sheet.addRow(['SKU', 'Site', 'Qty', 'Unit cost']);
    sheet.addRow(['RICE-1KG', 'WH1', 1234.5, 2.1]);
    const xlsxBase64 = Buffer.from(await book.xlsx.writeBuffer()).toString('base64');
    for (const locale of ['en-GB', 'de-DE']) {
      const plan = await planImport(f.ledger.db, await readImportFile({ xlsxBase64 }, locale), 'stock_receipt', { locale });
      expect(plan.problems).toEqual([]);
      expect(plan.lines).toEqual([expect.objectContaining({ qty: 1_234_500, unitCost: 21_000 })]);
    }
  });
});

describe('the import record on SQLite', () => {
  it('two writers recording the same copy of one content cannot both succeed', async () => {
    const store = new ImportStore(f.ledger.db);
    const rec = { contentHash: 'a'.repeat(64), copyNo: 1, kind: 'inventory_import' as const, fileName: null, idempotencyKey: 'k-1', rows: 1, documentIds: [1], userId: f.ids.admin, recordedAt: 0 };
    store.record(rec);
    expect(() => store.record({ ...rec, idempotencyKey: 'k-2' })).toThrow(/UNIQUE constraint failed: import_files.content_hash, import_files.copy_no/);
    store.record({ ...rec, copyNo: 2, idempotencyKey: 'k-2' });
    expect(store.copies(rec.contentHash)).toBe(2);
  });
});
