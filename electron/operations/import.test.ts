import { describe, expect, it } from 'vitest';
import { jobFinished, storePerTest, type StoreUnderTest } from '../../test/fixtures/store-under-test';
import { numberFormatName } from '../../shared/file-numbers';
import { numberSeparators } from '../../shared/quantity';
import { parseCsv } from './csv-parse';

/**
 * On the configured store (test/fixtures/store-under-test.ts): SQLite by default, PostgreSQL in `npm run test:unit:pg`.
 * The plan's explicit-locale checks and SQLite's import_files constraint are in import.sqlite.test.ts.
 */
let s: StoreUnderTest;
storePerTest((opened) => (s = opened));

const progress = () => s.events.filter((e) => e.event === 'job.progress');

describe('parseCsv', () => {
  it('reads quotes, escaped quotes, embedded line breaks, CRLF, a BOM and semicolons', () => {
    expect(parseCsv('\uFEFFa,b\r\n"x, y","say ""hi"""\n"multi\nline",2\n\n')).toEqual([['a', 'b'], ['x, y', 'say "hi"'], ['multi\nline', '2']]);
    expect(parseCsv('sku;qty\nA;1,5')).toEqual([['sku', 'qty'], ['A', '1,5']]);
  });
});

describe('inventory import', () => {
  const good = 'sku,site,bin,qty,batch,expiry,serial,unit_cost\nRICE-1KG,WH1,A-01,12.5,,,,2.50\nCLARET-75,WH1,B-01,6,L9,2031-01-31,,8.00\nTAP-01,BAR,,1,,,SN-77,40\n';

  it('previews every row problem before anything is written', async () => {
    const bad = 'SKU,Site,Bin,Quantity,Batch,Expiry,Serial,Cost\nNOPE,WH1,,1,,,,\nRICE-1KG,WH1,Z-99,1.2345,,,,\nCLARET-75,WH1,,2,,,,\nRICE-1KG,MARS,,abc,,,,\nRICE-1KG,WH1,A-01,1,,,,\n';
    const before = await s.counts();
    const p = await s.call('operations.importPreview', { csv: bad, kind: 'inventory_import' });
    expect(p.rows).toBe(5);
    expect(p.validRows).toBe(1);
    expect(p.problems.map((x) => [x.row, x.field])).toEqual([
      [2, 'sku'],
      [3, 'bin'],
      [3, 'qty'],
      [4, 'batch'],
      [5, 'site'],
      [5, 'qty'],
    ]);
    expect(p.problems[0]!.message).toMatch(/Unknown SKU "NOPE"/);
    expect(p.problems[2]!.message).toMatch(/Bad number/);
    expect(p.problems[3]!.message).toMatch(/batch is missing/);
    expect(await s.counts()).toEqual(before);
  });

  it('posts all rows as a job with progress', async () => {
    expect(await s.call('operations.importStart', { csv: good, kind: 'inventory_import', jobId: 'imp-1', idempotencyKey: 'import-key-1', fileName: 'opening.csv' })).toEqual({ started: true });
    const done = await jobFinished(s, 'imp-1');
    expect(done).toMatchObject({ ok: true, message: expect.stringMatching(/^Imported 3 rows in 1 document; posting took [\d.]+ s\.$/) });
    expect(await s.rows('SELECT type, qty, unit_cost, cost_source FROM movements ORDER BY seq')).toEqual([
      { type: 'inventory_import', qty: 12_500, unit_cost: 25_000, cost_source: 'declared' },
      { type: 'inventory_import', qty: 6, unit_cost: 80_000, cost_source: 'declared' },
      { type: 'inventory_import', qty: 1, unit_cost: 400_000, cost_source: 'declared' },
    ]);
    expect(progress().length).toBeGreaterThan(0);
  });

  it('imports a file whose name is longer than the document reason holds (40 characters), keeping the whole name in its record', async () => {
    const fileName = `${'stock-count-central-warehouse-'.repeat(3)}2026-12-03.csv`;
    await s.call('operations.importStart', { csv: good, kind: 'inventory_import', jobId: 'imp-long', idempotencyKey: 'import-key-long', fileName });
    expect(await jobFinished(s, 'imp-long')).toMatchObject({ ok: true, message: expect.stringMatching(/^Imported 3 rows/) });
    expect(await s.rows('SELECT d.reference, o.reason FROM documents d JOIN operation_documents o ON o.document_id = d.id')).toEqual([{ reference: fileName.slice(0, 80), reason: fileName.slice(0, 40) }]);
    expect(await s.rows('SELECT file_name FROM import_files')).toEqual([{ file_name: fileName }]);
  });

  it('refuses in the preview a batch longer than 64 characters or a serial longer than 128, as the operation forms do', async () => {
    const batch = 'L'.repeat(65);
    const serial = 'S'.repeat(129);
    const csv = `sku,site,bin,qty,batch,expiry,serial,unit_cost\nCLARET-75,WH1,B-01,6,${batch},2031-01-31,,8.00\nTAP-01,BAR,,1,,,${serial},40\n`;
    const before = await s.counts();
    const p = await s.call('operations.importPreview', { csv, kind: 'inventory_import' });
    expect(p.problems.map((x) => [x.row, x.field, x.message])).toEqual([
      [2, 'batch', 'The batch code must be at most 64 characters; this one has 65. Shorten it in the file and preview again.'],
      [3, 'serial', 'The serial number must be at most 128 characters; this one has 129. Shorten it in the file and preview again.'],
    ]);
    await s.call('operations.importStart', { csv, kind: 'inventory_import', jobId: 'imp-wide', idempotencyKey: 'import-key-wide' });
    const done = await jobFinished(s, 'imp-wide');
    expect(done.ok).toBe(false);
    expect(done.message).toMatch(/2 problems in the file .*nothing was imported/);
    expect(await s.counts()).toEqual(before);
  });

  it('tells a row whose product takes no batch or serial to leave it empty, not to shorten it as well', async () => {
    const csv = `sku,site,bin,qty,batch,expiry,serial,unit_cost\nRICE-1KG,WH1,A-01,1,${'L'.repeat(65)},,,2.50\nRICE-1KG,WH1,A-01,1,,,${'S'.repeat(129)},2.50\n`;
    const p = await s.call('operations.importPreview', { csv, kind: 'inventory_import' });
    expect(p.problems.map((x) => [x.row, x.field, x.message])).toEqual([
      [2, 'batch', 'RICE-1KG is not batch-tracked; leave the batch empty.'],
      [3, 'serial', 'RICE-1KG is not serial-tracked; leave the serial empty.'],
    ]);
  });

  it('refuses a row at a deactivated site or bin, naming the row, before anything is posted', async () => {
    const bar = (await s.call('masterdata.sites', {})).find((x) => x.id === s.ids.shop)!;
    await s.call('masterdata.siteUpdate', { id: bar.id, code: bar.code, name: bar.name, kind: 'shop', allowNegative: false, active: false });
    await s.call('masterdata.binUpdate', { id: s.ids.binB, code: 'B-01', name: 'B-01', stockStatus: 'sellable', active: false });
    const p = await s.call('operations.importPreview', { csv: good, kind: 'stock_receipt' });
    expect(p.problems.map((x) => [x.row, x.field, x.message])).toEqual([
      [3, 'bin', 'Bin B-01 at WH1 is inactive. Use another bin, or reactivate it in Sites & bins.'],
      [4, 'site', 'Site BAR (Soho Bar) is inactive. Use another site, or reactivate it in Sites & bins.'],
    ]);
  });

  it('writes nothing when any row is bad, or when the ledger refuses a row', async () => {
    const before = await s.counts();
    await s.call('operations.importStart', { csv: `${good}NOPE,WH1,,1,,,,\n`, kind: 'inventory_import', jobId: 'imp-2', idempotencyKey: 'import-key-2' });
    const done = await jobFinished(s, 'imp-2');
    expect(done.ok).toBe(false);
    expect(done.message).toMatch(/1 problem in the file .*row 5 of the file.*nothing was imported/);
    expect(await s.counts()).toEqual(before);
  });

  it('previews a serial already in stock as the import would refuse it: the row and the serial, not "valid"', async () => {
    await s.call('operations.receive', { idempotencyKey: 'serial-in-shop-preview', kind: 'inbound', siteId: s.ids.shop, dutyPaid: false, lines: [{ productId: s.ids.serial, qty: 1, serials: ['SN-77'], unitCost: 1 }] });
    for (const kind of ['inventory_import', 'stock_receipt'] as const) {
      const p = await s.call('operations.importPreview', { csv: good, kind });
      expect(p.validRows).toBe(2);
      expect(p.problems.map((x) => [x.row, x.field, x.message])).toEqual([
        [4, 'serial', 'Serial SN-77 of TAP-01 is already in stock at Soho Bar. Scan the right serial or move it out first.'],
      ]);
    }
    await s.call('operations.importStart', { csv: good, kind: 'inventory_import', jobId: 'imp-preview-serial', idempotencyKey: 'import-key-preview-serial' });
    const done = await jobFinished(s, 'imp-preview-serial');
    expect(done.ok).toBe(false);
    expect(done.message).toMatch(/row 4 of the file.*nothing was imported/);
  });

  it('rolls back every row when the ledger refuses one while posting', async () => {
    await s.call('operations.receive', { idempotencyKey: 'serial-in-shop-1', kind: 'inbound', siteId: s.ids.shop, dutyPaid: false, lines: [{ productId: s.ids.serial, qty: 1, serials: ['SN-77'], unitCost: 1 }] });
    const before = await s.counts();
    await s.call('operations.importStart', { csv: good, kind: 'inventory_import', jobId: 'imp-3', idempotencyKey: 'import-key-3' });
    const done = await jobFinished(s, 'imp-3');
    expect(done.ok).toBe(false);
    expect(done.message).toMatch(/SN-77 .* already in stock/);
    expect(await s.counts()).toEqual(before);
  });
});

describe('XLSX import', () => {
  async function workbook(rows: unknown[][]): Promise<string> {
    const ExcelJS = (await import('exceljs')).default;
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Stock');
    for (const r of rows) sheet.addRow(r);
    return Buffer.from(await book.xlsx.writeBuffer()).toString('base64');
  }
  const header = ['SKU', 'Site', 'Bin', 'Qty', 'Batch', 'Expiry', 'Serial', 'Unit cost'];

  it('previews an XLSX file like a CSV: numbers, real dates and every row problem', async () => {
    const xlsx = await workbook([header, ['RICE-1KG', 'WH1', 'A-01', 12.5, null, null, null, 2.5], ['CLARET-75', 'WH1', 'B-01', 6, 'L9', new Date(Date.UTC(2031, 0, 31)), null, 8], ['NOPE', 'WH1', null, 1], ['CLARET-75', 'WH1', null, 2]]);
    const before = await s.counts();
    const p = await s.call('operations.importPreview', { xlsxBase64: xlsx, kind: 'inventory_import', fileName: 'stock.xlsx' });
    expect(p).toMatchObject({ rows: 4, validRows: 2 });
    expect(p.problems.map((x) => [x.row, x.field])).toEqual([
      [4, 'sku'],
      [5, 'batch'],
    ]);
    expect(p.shown[1]).toMatchObject({ row: 3, file: { sku: 'CLARET-75', qty: '6', expiry: '2031-01-31', unitCost: '8' }, qty: 6, expiry: '2031-01-31', unitCost: 80_000, valid: true });
    expect(await s.counts()).toEqual(before);
  });

  it('imports all rows of an XLSX file as one job, and refuses a file that is not XLSX', async () => {
    const xlsx = await workbook([header, ['RICE-1KG', 'WH1', 'A-01', 12.5, null, null, null, 2.5], ['CLARET-75', 'WH1', 'B-01', 6, 'L9', new Date(Date.UTC(2031, 0, 31)), null, 8]]);
    await s.call('operations.importStart', { xlsxBase64: xlsx, kind: 'stock_receipt', jobId: 'imp-x', idempotencyKey: 'import-xlsx-1', fileName: 'stock.xlsx' });
    expect(await jobFinished(s, 'imp-x')).toMatchObject({ ok: true, message: expect.stringMatching(/^Imported 2 rows in 1 document;/) });
    expect(await s.rows('SELECT m.type, m.qty, m.unit_cost, b.expiry FROM movements m LEFT JOIN batches b ON b.id = m.batch_id ORDER BY seq')).toEqual([
      { type: 'stock_receipt', qty: 12_500, unit_cost: 25_000, expiry: null },
      { type: 'stock_receipt', qty: 6, unit_cost: 80_000, expiry: '2031-01-31' },
    ]);
    await expect(s.call('operations.importPreview', { xlsxBase64: Buffer.from('not a workbook').toString('base64'), kind: 'inventory_import' })).rejects.toThrow(/not a readable XLSX workbook/);
  });

  it('a reused import key with another file is a conflict; the same file replays', async () => {
    const good = 'sku,site,bin,qty,batch,expiry,serial,unit_cost\nRICE-1KG,WH1,A-01,1,,,,2.50\n';
    await s.call('operations.importStart', { csv: good, kind: 'inventory_import', jobId: 'imp-a', idempotencyKey: 'import-key-x' });
    expect((await jobFinished(s, 'imp-a')).ok).toBe(true);
    const again = async (csv: string) => {
      const jobId = `imp-${csv.length}`;
      await s.call('operations.importStart', { csv, kind: 'inventory_import', jobId, idempotencyKey: 'import-key-x' });
      return jobFinished(s, jobId);
    };
    expect(await again(good)).toMatchObject({ ok: true, message: expect.stringMatching(/already imported/) });
    expect(await again(`${good}RICE-1KG,WH1,A-01,2,,,,2.50\n`)).toMatchObject({ ok: false, message: expect.stringMatching(/already posted with idempotency key/) });
    expect(await s.rows('SELECT COUNT(*) AS n FROM movements')).toEqual([{ n: 1 }]);
  });
});

describe('the same file imported twice', () => {
  const csv = 'sku,site,bin,qty,batch,expiry,serial,unit_cost\nRICE-1KG,WH1,A-01,12.5,,,,2.50\nCLARET-75,WH1,B-01,6,L9,2031-01-31,,8.00\n';
  let n = 0;
  /** Starts an import as its own job and resolves with how the job finished, or with the error that refused it up front. */
  async function importFile(extra: { csv?: string; confirmDuplicate?: boolean; fileName?: string; locale?: string } = {}): Promise<{ ok: boolean; message: string; details?: unknown }> {
    const jobId = `dup-${++n}`;
    try {
      await s.call('operations.importStart', { csv, kind: 'inventory_import', jobId, idempotencyKey: `dup-key-${n}`, fileName: 'opening.csv', ...extra });
    } catch (e) {
      return { ok: false, message: (e as Error).message, details: (e as { details?: unknown }).details };
    }
    return jobFinished(s, jobId);
  }
  const movements = () => s.count('movements');
  const adminName = async () => (await s.rows<{ name: string }>('SELECT display_name AS name FROM users WHERE id = ?', [s.ids.admin]))[0]!.name;

  it("is refused naming when (in the company's date format and time zone, not the server's), by whom and as which documents, unless the second import is confirmed", async () => {
    // A German company on a server that is not: the refusal names the time as the company reads it.
    await s.call('company.update', { name: 'Weinhandel GmbH', currency: 'EUR', timeZone: 'Europe/Berlin', locale: 'de-DE', fyStartMonth: 1 });
    const inBerlin = (at: number) =>
      new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(at);
    const en = { locale: 'en-GB' }; // the file's numbers are written 12.5
    // How long posting took is written as the company writes numbers (0,13 s), not as the file's numbers were read.
    expect(await importFile(en)).toMatchObject({ ok: true, message: expect.stringMatching(/^Imported 2 rows in 1 document; posting took \d{1,3}(\.\d{3})*,\d\d s\.$/) });
    const first = (await s.rows<{ id: number; at: number }>('SELECT d.id, i.recorded_at AS at FROM documents d, import_files i'))[0]!;
    expect(await movements()).toBe(2);

    const again = await importFile({ ...en, fileName: 'opening (copy).csv' });
    expect(again.ok).toBe(false);
    expect(again.message).toBe(
      `This file was already imported on ${inBerlin(first.at)} by ${await adminName()} as document ${first.id} (opening.csv). Importing it again would add its stock a second time, so nothing was imported. If you do mean to import it again, confirm the second import.`,
    );
    expect(again.message).toMatch(/^This file was already imported on \d\d\.\d\d\.\d{4}, \d\d:\d\d by /);
    expect(again.details).toEqual({ duplicateImport: { earlier: [{ recordedAt: new Date(first.at).toISOString(), userName: await adminName(), fileName: 'opening.csv', kind: 'inventory_import', rows: 2, documentIds: [first.id] }] } });
    expect(await movements()).toBe(2);
    // The same rows with a BOM are the same content.
    expect(await importFile({ ...en, csv: `\uFEFF${csv}` })).toMatchObject({ ok: false, message: expect.stringMatching(/already imported/) });

    expect(await importFile({ ...en, confirmDuplicate: true })).toMatchObject({ ok: true });
    expect(await movements()).toBe(4);
    const third = await importFile(en);
    expect(third.message).toMatch(/already imported on .* as document \d+ \(opening\.csv\) and on .* as document \d+ \(opening\.csv\)\./);
    expect((third.details as { duplicateImport: { earlier: unknown[] } }).duplicateImport.earlier).toHaveLength(2);
    // Another file is not a duplicate.
    expect(await importFile({ ...en, csv: csv.replace('12.5', '12.4') })).toMatchObject({ ok: true });
    expect(await movements()).toBe(6);
  });

  it('a double click (two jobs of the same file checked at once) posts once', async () => {
    const [a, b] = await Promise.all([importFile(), importFile()]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    expect((a.ok ? b : a).message).toMatch(/^This file was already imported on .* nothing was imported/);
    expect(await movements()).toBe(2);
    expect((await s.rows<{ copy_no: number }>('SELECT copy_no FROM import_files')).map((r) => r.copy_no)).toEqual([1]);
  });
});

describe('the numbers of an import file', () => {
  /**
   * The company writes numbers unlike this process's own locale (LC_ALL/LANG: run it as LC_ALL=de_DE.UTF-8 too), so a
   * fallback to the process's locale would read the same file differently.
   */
  const processDecimal = numberSeparators(new Intl.NumberFormat().resolvedOptions().locale).decimal;
  const company = processDecimal === ',' ? 'en-GB' : 'de-DE';
  const other = company === 'de-DE' ? 'en-GB' : 'de-DE';
  const [dec, odd] = company === 'de-DE' ? [',', '.'] : ['.', ','];
  const sepName = (c: string) => (c === ',' ? 'a comma' : 'a point');
  const csv = (qty: string, cost: string) => `sku,site,qty,unit_cost\nRICE-1KG,WH1,"${qty}","${cost}"\n`;
  const setCompany = () => s.call('company.update', { name: 'Test Kitchen Ltd', currency: 'GBP', timeZone: 'Europe/London', locale: company, fyStartMonth: 1 });

  it("are read in the company's locale when the request names none, never in this process's", async () => {
    await setCompany();
    const p = await s.call('operations.importPreview', { csv: csv(`1${dec}5`, `2${dec}10`), kind: 'stock_receipt' });
    expect(p).toMatchObject({ locale: company, validRows: 1, errorCount: 0 });
    const refused = await s.call('operations.importPreview', { csv: csv(`1${odd}5`, '2'), kind: 'stock_receipt' });
    expect(refused.problems.map((x) => `${x.row} ${x.field}: ${x.message}`)).toEqual([
      `2 qty: Bad number in qty: "1${odd}5" uses ${sepName(odd)} as decimal separator; this file is read as ${numberFormatName(company)}: choose ${numberFormatName(other)} under 'Numbers in this file', or write 1${dec}5.`,
    ]);
    await s.call('operations.importStart', { csv: csv(`1${dec}5`, `2${dec}10`), kind: 'stock_receipt', jobId: 'imp-company', idempotencyKey: 'import-key-company' });
    expect(await jobFinished(s, 'imp-company')).toMatchObject({ ok: true });
    expect(await s.rows("SELECT qty, unit_cost FROM movements WHERE type = 'stock_receipt'")).toEqual([{ qty: 1_500, unit_cost: 21_000 }]);
  });

  it('are read in the format the request names; the same key with the same bytes read another way is a conflict', async () => {
    await setCompany();
    const bytes = csv(`1${odd}5`, '2');
    expect(await s.call('operations.importPreview', { csv: bytes, kind: 'stock_receipt', locale: other })).toMatchObject({ locale: other, validRows: 1 });
    await s.call('operations.importStart', { csv: bytes, kind: 'stock_receipt', locale: other, jobId: 'imp-named', idempotencyKey: 'import-key-named' });
    expect(await jobFinished(s, 'imp-named')).toMatchObject({ ok: true });
    expect(await s.rows("SELECT qty FROM movements WHERE type = 'stock_receipt'")).toEqual([{ qty: 1_500 }]);
    await s.call('operations.importStart', { csv: bytes, kind: 'stock_receipt', jobId: 'imp-named-again', idempotencyKey: 'import-key-named' });
    expect(await jobFinished(s, 'imp-named-again')).toMatchObject({ ok: false, message: expect.stringMatching(/already posted with idempotency key "import-key-named"/) });
    await expect(s.call('operations.importPreview', { csv: bytes, kind: 'stock_receipt', locale: 'not a locale' })).rejects.toThrow(/is not a locale/);
  });
});

describe('the expiry dates of an import file', () => {
  const csv = (expiry: string, batch = 'L9') => `sku,site,bin,qty,batch,expiry,serial,unit_cost\nCLARET-75,WH1,B-01,6,${batch},"${expiry}",,8\n`;
  const setCompany = (locale: string, timeZone: string) => s.call('company.update', { name: 'Weinhandel GmbH', currency: 'EUR', timeZone, locale, fyStartMonth: 1 });

  it("are read as ISO or as the company's own short date, in its locale's pattern only, and refused naming both forms", async () => {
    await setCompany('de-DE', 'Europe/Berlin');
    expect(await s.call('operations.importPreview', { csv: csv('31.05.2031'), kind: 'stock_receipt' })).toMatchObject({ validRows: 1, errorCount: 0 });
    const refused = await s.call('operations.importPreview', { csv: csv('05/31/2031'), kind: 'stock_receipt' });
    expect(refused.problems.map((x) => `${x.row} ${x.field}: ${x.message}`)).toEqual([
      `2 expiry: The expiry "05/31/2031" is not a date. Write it as 2026-05-31 (year-month-day), or as 31.05.2026 (the company's dates, de-DE).`,
    ]);
    // A day that is no day is refused, never rolled into the next month.
    expect((await s.call('operations.importPreview', { csv: csv('31.02.2031'), kind: 'stock_receipt' })).errorCount).toBe(1);
    await s.call('operations.importStart', { csv: csv('01.12.2031'), kind: 'stock_receipt', jobId: 'imp-expiry-de', idempotencyKey: 'import-expiry-de' });
    expect(await jobFinished(s, 'imp-expiry-de')).toMatchObject({ ok: true });
    expect(await s.rows('SELECT b.code, b.expiry FROM batches b')).toEqual([{ code: 'L9', expiry: '2031-12-01' }]);
  });

  it("of a batch already in the ledger are its own: a row may leave the expiry empty, and a row giving another is refused naming the row", async () => {
    await setCompany('en-GB', 'Europe/London');
    await s.call('operations.importStart', { csv: csv('2031-01-31'), kind: 'stock_receipt', jobId: 'imp-known-1', idempotencyKey: 'import-known-1' });
    expect(await jobFinished(s, 'imp-known-1')).toMatchObject({ ok: true });
    const rows = (lines: string[]) => `sku,site,bin,qty,batch,expiry,serial,unit_cost\n${lines.join('\n')}\n`;
    const known = rows(['CLARET-75,WH1,B-01,2,L9,,,8', 'CLARET-75,WH1,B-01,1,L9,2031-01-31,,8']);
    expect(await s.call('operations.importPreview', { csv: known, kind: 'stock_receipt' })).toMatchObject({ validRows: 2, errorCount: 0 });
    const other = await s.call('operations.importPreview', { csv: rows(['CLARET-75,WH1,B-01,2,L9,,,8', 'CLARET-75,WH1,B-01,1,L9,2032-06-30,,8']), kind: 'stock_receipt' });
    expect(other.problems.map((x) => `${x.row} ${x.field}: ${x.message}`)).toEqual([
      "3 expiry: Batch L9 of CLARET-75 already expires on 31/01/2031, not 30/06/2032. Correct the expiry, leave it empty to keep the batch's own, or use a new batch code.",
    ]);
    // A new batch takes its expiry from its first row that gives one; a later row giving another is refused.
    const fresh = await s.call('operations.importPreview', { csv: rows(['CLARET-75,WH1,B-01,2,L10,2033-03-31,,8', 'CLARET-75,WH1,B-01,1,L10,,,8', 'CLARET-75,WH1,B-01,1,L10,2033-04-30,,8']), kind: 'stock_receipt' });
    expect(fresh.problems.map((x) => `${x.row} ${x.field}: ${x.message}`)).toEqual([
      "4 expiry: Batch L10 of CLARET-75 expires on 31/03/2033 in row 2, not 30/04/2033. Correct the expiry, leave it empty to keep the batch's own, or use a new batch code.",
    ]);
    // A new batch first given without an expiry (a serial product's) keeps none: a later row may not give it one.
    const bare = await s.call('operations.importPreview', { csv: rows(['TAP-01,BAR,,1,B7,,SN-1,40', 'TAP-01,BAR,,1,B7,2030-01-01,SN-2,40']), kind: 'stock_receipt' });
    expect(bare.problems.map((x) => `${x.row} ${x.field}: ${x.message}`)).toEqual([
      '3 expiry: Batch B7 of TAP-01 has no expiry in row 2, so it cannot be given 01/01/2030 here. Give both rows the same expiry, or use a new batch code.',
    ]);
    // Written as the company writes dates, as the windows show the batch's expiry: a German company reads 31.01.2031.
    await setCompany('de-DE', 'Europe/Berlin');
    const german = await s.call('operations.importPreview', { csv: rows(['CLARET-75,WH1,B-01,1,L9,30.06.2032,,8']), kind: 'stock_receipt' });
    expect(german.problems.map((x) => `${x.row} ${x.field}: ${x.message}`)).toEqual([
      "2 expiry: Batch L9 of CLARET-75 already expires on 31.01.2031, not 30.06.2032. Correct the expiry, leave it empty to keep the batch's own, or use a new batch code.",
    ]);
    await s.call('operations.importStart', { csv: known, kind: 'stock_receipt', jobId: 'imp-known-2', idempotencyKey: 'import-known-2' });
    expect(await jobFinished(s, 'imp-known-2')).toMatchObject({ ok: true });
    expect(await s.rows('SELECT b.code, b.expiry FROM batches b')).toEqual([{ code: 'L9', expiry: '2031-01-31' }]);
    expect(await s.rows('SELECT SUM(m.qty) AS qty FROM movements m JOIN batches b ON b.id = m.batch_id')).toEqual([{ qty: 9 }]);
  });

  it("of a batch already expired on the import's day are warnings by row, and the rows post only when confirmed", async () => {
    await setCompany('en-US', 'America/Chicago');
    const rows = `sku,site,bin,qty,batch,expiry,serial,unit_cost\nCLARET-75,WH1,B-01,6,GOOD,12/31/2099,,8\nCLARET-75,WH1,B-01,4,GONE,03/31/2001,,8\n`;
    const p = await s.call('operations.importPreview', { csv: rows, kind: 'stock_receipt' });
    expect(p).toMatchObject({ validRows: 2, errorCount: 0, problems: [] });
    expect(p.warnings.map((x) => `${x.row} ${x.field}: ${x.message}`)).toEqual([
      expect.stringMatching(/^3 expiry: Row 3: batch GONE of CLARET-75 expired 03\/31\/2001, before the import's day \d\d\/\d\d\/20\d\d: imported only when you confirm it\.$/),
    ]);
    const before = await s.counts();
    await s.call('operations.importStart', { csv: rows, kind: 'stock_receipt', jobId: 'imp-expired-1', idempotencyKey: 'import-expired-1' });
    expect(await jobFinished(s, 'imp-expired-1')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^Row 3 of the file: batch GONE of CLARET-75 expired 03\/31\/2001, before the import's day .*so nothing was imported\. .*confirm receiving the expired stock \(confirmExpired\)\.$/),
    });
    expect(await s.counts()).toEqual(before);
    // The import's day is its effective time's, in the company's time zone: 1 April 2001 03:00 UTC is still 31 March in Chicago.
    const onTheDay = `sku,site,bin,qty,batch,expiry,serial,unit_cost\nCLARET-75,WH1,B-01,4,EDGE,03/31/2001,,8\n`;
    await s.call('operations.importStart', { csv: onTheDay, kind: 'stock_receipt', occurredAt: '2001-04-01T03:00:00.000Z', jobId: 'imp-expired-edge', idempotencyKey: 'import-expired-edge' });
    expect(await jobFinished(s, 'imp-expired-edge')).toMatchObject({ ok: true });
    await s.call('operations.importStart', { csv: rows, kind: 'stock_receipt', confirmExpired: true, jobId: 'imp-expired-2', idempotencyKey: 'import-expired-2' });
    expect(await jobFinished(s, 'imp-expired-2')).toMatchObject({ ok: true });
    expect(await s.rows("SELECT b.code, m.qty FROM movements m JOIN batches b ON b.id = m.batch_id WHERE b.code <> 'EDGE' ORDER BY m.seq")).toEqual([
      { code: 'GOOD', qty: 6 },
      { code: 'GONE', qty: 4 },
    ]);
  });

  it('01/12/2031 is 12 January for an en-US company and 1 December for an en-GB one, never guessed', async () => {
    await setCompany('en-US', 'America/New_York');
    await s.call('operations.importStart', { csv: csv('01/12/2031'), kind: 'stock_receipt', jobId: 'imp-expiry-us', idempotencyKey: 'import-expiry-us' });
    expect(await jobFinished(s, 'imp-expiry-us')).toMatchObject({ ok: true });
    expect(await s.rows('SELECT b.expiry FROM batches b')).toEqual([{ expiry: '2031-01-12' }]);
    expect((await s.call('operations.importPreview', { csv: csv('31/12/2031', 'L8'), kind: 'stock_receipt' })).problems[0]).toMatchObject({ field: 'expiry' });
    await setCompany('en-GB', 'Europe/London');
    expect((await s.call('operations.importPreview', { csv: csv('31/12/2031', 'L8'), kind: 'stock_receipt' })).errorCount).toBe(0);
    expect((await s.call('operations.importPreview', { csv: csv('12/31/2031', 'L8'), kind: 'stock_receipt' })).problems[0]).toMatchObject({ field: 'expiry' });
  });
});
