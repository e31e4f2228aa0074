import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFixture, tableCounts, type Fixture } from '../../test/fixtures/ledger';
import { createWorkerContext } from '../ledger/worker-context';
import { parseCsv } from './csv-parse';
import { readImportFile } from './import-file';
import { planImport } from './import-plan';
import { ImportStore } from './import-store';
import { operationsOps, type OperationsOps } from './operations.ops';
import { asUser } from '../../test/fixtures/caller';

let f: Fixture;
let o: OperationsOps;
let finished: Promise<{ ok: boolean; message: string }>;
let progress: { done: number; total: number; phase: string }[];

beforeEach(async () => {
  f = await openFixture();
  progress = [];
  let resolve!: (v: { ok: boolean; message: string }) => void;
  finished = new Promise((r) => (resolve = r));
  o = operationsOps(
    createWorkerContext(f.ledger, (event, payload) => {
      if (event === 'job.finished') resolve(payload as { ok: boolean; message: string });
      if (event === 'job.progress') progress.push(payload as { done: number; total: number; phase: string });
    }),
  );
});
afterEach(async () => {
  expect(f.ledger.verify().ok).toBe(true);
  await f.cleanup();
});

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
    const before = tableCounts(f.ledger);
    const p = await o['operations.importPreview']({ csv: bad, kind: 'inventory_import' });
    expect(p.rows).toBe(5);
    expect(p.validRows).toBe(1);
    expect(p.problems.map((x) => [x.row, x.field])).toEqual([
      [1, 'sku'],
      [2, 'bin'],
      [2, 'qty'],
      [3, 'batch'],
      [4, 'site'],
      [4, 'qty'],
    ]);
    expect(p.problems[0]!.message).toMatch(/Unknown SKU "NOPE"/);
    expect(p.problems[2]!.message).toMatch(/Bad number/);
    expect(p.problems[3]!.message).toMatch(/batch is missing/);
    expect(tableCounts(f.ledger)).toEqual(before);
  });

  it('posts all rows as a job with progress', async () => {
    expect(o['operations.importStart']({ csv: good, kind: 'inventory_import', jobId: 'imp-1', idempotencyKey: 'import-key-1', fileName: 'opening.csv' }, asUser(f.ids.admin))).toEqual({ started: true });
    const done = await finished;
    expect(done).toMatchObject({ ok: true, message: expect.stringMatching(/^Imported 3 rows in 1 document; posting took [\d.]+ s\.$/) });
    expect(f.ledger.db.prepare('SELECT type, qty, unit_cost, cost_source FROM movements ORDER BY seq').all()).toEqual([
      { type: 'inventory_import', qty: 12_500, unit_cost: 25_000, cost_source: 'declared' },
      { type: 'inventory_import', qty: 6, unit_cost: 80_000, cost_source: 'declared' },
      { type: 'inventory_import', qty: 1, unit_cost: 400_000, cost_source: 'declared' },
    ]);
    expect(progress.length).toBeGreaterThan(0);
  });

  it('writes nothing when any row is bad, or when the ledger refuses a row', async () => {
    const before = tableCounts(f.ledger);
    o['operations.importStart']({ csv: `${good}NOPE,WH1,,1,,,,\n`, kind: 'inventory_import', jobId: 'imp-2', idempotencyKey: 'import-key-2' }, asUser(f.ids.admin));
    const done = await finished;
    expect(done.ok).toBe(false);
    expect(done.message).toMatch(/1 problem in the file .*row 4.*nothing was imported/);
    expect(tableCounts(f.ledger)).toEqual(before);
  });

  it('rolls back every row when the ledger refuses one while posting', async () => {
    f.ledger.poster.post(f.doc('receipt', [{ productId: f.ids.serial, siteId: f.ids.shop, type: 'inbound', qty: 1, serial: 'SN-77', unitCost: 1 }]), f.ids.admin);
    const before = tableCounts(f.ledger);
    o['operations.importStart']({ csv: good, kind: 'inventory_import', jobId: 'imp-3', idempotencyKey: 'import-key-3' }, asUser(f.ids.admin));
    const done = await finished;
    expect(done.ok).toBe(false);
    expect(done.message).toMatch(/SN-77 .* already in stock/);
    expect(tableCounts(f.ledger)).toEqual(before);
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
    const before = tableCounts(f.ledger);
    const p = await o['operations.importPreview']({ xlsxBase64: xlsx, kind: 'inventory_import', fileName: 'stock.xlsx' });
    expect(p).toMatchObject({ rows: 4, validRows: 2 });
    expect(p.problems.map((x) => [x.row, x.field])).toEqual([
      [3, 'sku'],
      [4, 'batch'],
    ]);
    expect(p.sample[1]).toMatchObject({ sku: 'CLARET-75', qty: '6', expiry: '2031-01-31', unitCost: '8' });
    expect(tableCounts(f.ledger)).toEqual(before);
  });

  it('imports all rows of an XLSX file as one job, and refuses a file that is not XLSX', async () => {
    const xlsx = await workbook([header, ['RICE-1KG', 'WH1', 'A-01', 12.5, null, null, null, 2.5], ['CLARET-75', 'WH1', 'B-01', 6, 'L9', new Date(Date.UTC(2031, 0, 31)), null, 8]]);
    o['operations.importStart']({ xlsxBase64: xlsx, kind: 'stock_receipt', jobId: 'imp-x', idempotencyKey: 'import-xlsx-1', fileName: 'stock.xlsx' }, asUser(f.ids.admin));
    expect(await finished).toMatchObject({ ok: true, message: expect.stringMatching(/^Imported 2 rows in 1 document;/) });
    expect(f.ledger.db.prepare('SELECT m.type, m.qty, m.unit_cost, b.expiry FROM movements m LEFT JOIN batches b ON b.id = m.batch_id ORDER BY seq').all()).toEqual([
      { type: 'stock_receipt', qty: 12_500, unit_cost: 25_000, expiry: null },
      { type: 'stock_receipt', qty: 6, unit_cost: 80_000, expiry: '2031-01-31' },
    ]);
    await expect(o['operations.importPreview']({ xlsxBase64: Buffer.from('not a workbook').toString('base64'), kind: 'inventory_import' })).rejects.toThrow(/not a readable XLSX workbook/);
  });

  it('a reused import key with another file is a conflict; the same file replays', async () => {
    const good = 'sku,site,bin,qty,batch,expiry,serial,unit_cost\nRICE-1KG,WH1,A-01,1,,,,2.50\n';
    o['operations.importStart']({ csv: good, kind: 'inventory_import', jobId: 'imp-a', idempotencyKey: 'import-key-x' }, asUser(f.ids.admin));
    expect((await finished).ok).toBe(true);
    const again = async (csv: string) => {
      let resolve!: (v: { ok: boolean; message: string }) => void;
      const done = new Promise<{ ok: boolean; message: string }>((r) => (resolve = r));
      const o2 = operationsOps(createWorkerContext(f.ledger, (event, payload) => event === 'job.finished' && resolve(payload as { ok: boolean; message: string })));
      o2['operations.importStart']({ csv, kind: 'inventory_import', jobId: `imp-${csv.length}`, idempotencyKey: 'import-key-x' }, asUser(f.ids.admin));
      return done;
    };
    expect(await again(good)).toMatchObject({ ok: true, message: expect.stringMatching(/already imported/) });
    expect(await again(`${good}RICE-1KG,WH1,A-01,2,,,,2.50\n`)).toMatchObject({ ok: false, message: expect.stringMatching(/already posted with idempotency key/) });
    expect(f.ledger.db.prepare('SELECT COUNT(*) AS n FROM movements').get()).toEqual({ n: 1 });
  });
});

describe('import numbers by the locale in force', () => {
  const csv = 'sku,site,bin,qty,batch,expiry,serial,unit_cost\nRICE-1KG,WH1,A-01,"1,5",,,,"2,10"\nRICE-1KG,WH1,A-01,"1,234",,,,2.10\nRICE-1KG,WH1,A-01,1.2345,,,,"1.234,50"\n';
  const problems = async (text: string, locale: string) => (await planImport(f.ledger.db, text, 'stock_receipt', { locale })).problems.map((p) => `${p.row} ${p.field}: ${p.message}`);

  it('en-GB refuses a comma decimal and grouped or over-precise numbers, naming the right spelling', async () => {
    expect(await problems(csv, 'en-GB')).toEqual([
      '1 qty: Bad number in qty: "1,5" uses a comma as decimal separator; use a point, e.g. 1.5. Enter a quantity such as 12.5.',
      '1 unit_cost: Bad number in unit_cost: "2,10" uses a comma as decimal separator; use a point, e.g. 2.10. Enter a price such as 12.50.',
      '2 qty: Bad number in qty: "1,234" has a thousands separator (a comma), so it is ambiguous (1234 or 1.234?); write it without one, e.g. 1234, with a point as decimal separator. Enter a quantity such as 12.5.',
      '3 qty: Bad number in qty: "1.2345" has more than 3 decimal places. Enter a quantity such as 12.5.',
      '3 unit_cost: Bad number in unit_cost: "1.234,50" has a thousands separator (a point), so it is ambiguous; write it without one, e.g. 1234.50, with a point as decimal separator. Enter a price such as 12.50.',
    ]);
  });

  it('de-DE reads "2,10" as 2.10 and refuses a point decimal or grouping', async () => {
    expect(await problems(csv, 'de-DE')).toEqual([
      '2 unit_cost: Bad number in unit_cost: "2.10" uses a point as decimal separator; use a comma, e.g. 2,10. Enter a price such as 12,50.',
      '3 qty: Bad number in qty: "1.2345" uses a point as decimal separator; use a comma, e.g. 1,2345. Enter a quantity such as 12,5.',
      '3 unit_cost: Bad number in unit_cost: "1.234,50" has a thousands separator (a point), so it is ambiguous; write it without one, e.g. 1234,50, with a comma as decimal separator. Enter a price such as 12,50.',
    ]);
    const plan = await planImport(f.ledger.db, 'sku,site,qty,unit_cost\nRICE-1KG,WH1,"1,5","2,10"\n', 'stock_receipt', { locale: 'de-DE' });
    expect(plan.lines).toEqual([expect.objectContaining({ qty: 1_500, unitCost: 21_000 })]);
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


describe('the same file imported twice', () => {
  const csv = 'sku,site,bin,qty,batch,expiry,serial,unit_cost\nRICE-1KG,WH1,A-01,12.5,,,,2.50\nCLARET-75,WH1,B-01,6,L9,2031-01-31,,8.00\n';
  let n = 0;
  /** Starts an import on its own ops and resolves with how the job finished, or with the error that refused it up front. */
  async function importFile(extra: { csv?: string; confirmDuplicate?: boolean; fileName?: string } = {}): Promise<{ ok: boolean; message: string; details?: unknown }> {
    let resolve!: (v: { ok: boolean; message: string }) => void;
    const done = new Promise<{ ok: boolean; message: string }>((r) => (resolve = r));
    const o2 = operationsOps(createWorkerContext(f.ledger, (event, payload) => event === 'job.finished' && resolve(payload as { ok: boolean; message: string })));
    n++;
    try {
      o2['operations.importStart']({ csv, kind: 'inventory_import', jobId: `dup-${n}`, idempotencyKey: `dup-key-${n}`, fileName: 'opening.csv', ...extra }, asUser(f.ids.admin));
    } catch (e) {
      return { ok: false, message: (e as Error).message, details: (e as { details?: unknown }).details };
    }
    return done;
  }
  const movements = () => (f.ledger.db.prepare('SELECT COUNT(*) AS n FROM movements').get() as { n: number }).n;
  const adminName = () => (f.ledger.db.prepare('SELECT display_name AS name FROM users WHERE id = ?').get(f.ids.admin) as { name: string }).name;

  it('is refused naming when, by whom and as which documents, unless the second import is confirmed', async () => {
    expect(await importFile()).toMatchObject({ ok: true, message: expect.stringMatching(/^Imported 2 rows/) });
    const first = f.ledger.db.prepare('SELECT d.id, i.recorded_at AS at FROM documents d, import_files i').get() as { id: number; at: number };
    expect(movements()).toBe(2);

    const again = await importFile({ fileName: 'opening (copy).csv' });
    expect(again.ok).toBe(false);
    expect(again.message).toBe(
      `This file was already imported on ${new Date(first.at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })} by ${adminName()} as document ${first.id} (opening.csv). Importing it again would add its stock a second time, so nothing was imported. If you do mean to import it again, confirm the second import.`,
    );
    expect(again.details).toEqual({ duplicateImport: { earlier: [{ recordedAt: new Date(first.at).toISOString(), userName: adminName(), fileName: 'opening.csv', kind: 'inventory_import', rows: 2, documentIds: [first.id] }] } });
    expect(movements()).toBe(2);
    // The same rows with a BOM are the same content.
    expect(await importFile({ csv: `\uFEFF${csv}` })).toMatchObject({ ok: false, message: expect.stringMatching(/already imported/) });

    expect(await importFile({ confirmDuplicate: true })).toMatchObject({ ok: true });
    expect(movements()).toBe(4);
    const third = await importFile();
    expect(third.message).toMatch(/already imported on .* as document \d+ \(opening\.csv\) and on .* as document \d+ \(opening\.csv\)\./);
    expect((third.details as { duplicateImport: { earlier: unknown[] } }).duplicateImport.earlier).toHaveLength(2);
    // Another file is not a duplicate.
    expect(await importFile({ csv: csv.replace('12.5', '12.4') })).toMatchObject({ ok: true });
    expect(movements()).toBe(6);
  });

  it('a double click (two jobs of the same file checked at once) posts once', async () => {
    const [a, b] = await Promise.all([importFile(), importFile()]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    expect((a.ok ? b : a).message).toMatch(/^This file was already imported on .* nothing was imported/);
    expect(movements()).toBe(2);
    expect(f.ledger.db.prepare('SELECT copy_no FROM import_files').pluck().all()).toEqual([1]);
  });

  it('two writers recording the same copy of one content cannot both succeed', async () => {
    const store = new ImportStore(f.ledger.db);
    const rec = { contentHash: 'a'.repeat(64), copyNo: 1, kind: 'inventory_import' as const, fileName: null, idempotencyKey: 'k-1', rows: 1, documentIds: [1], userId: f.ids.admin, recordedAt: 0 };
    store.record(rec);
    expect(() => store.record({ ...rec, idempotencyKey: 'k-2' })).toThrow(/UNIQUE constraint failed: import_files.content_hash, import_files.copy_no/);
    store.record({ ...rec, copyNo: 2, idempotencyKey: 'k-2' });
    expect(store.copies(rec.contentHash)).toBe(2);
  });
});
