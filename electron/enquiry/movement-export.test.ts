import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { unzipSync, zipSync } from 'fflate';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MovementFilter } from '../../shared/contract/enquiry.schemas';
import { csvText, csvUnneutralise } from '../../shared/csv';
import { parseCsv } from '../operations/csv-parse';
import type { MovementView } from '../../shared/enquiry';
import { closeVerified, jobFinished, storeForFile, type StoreUnderTest } from '../../test/fixtures/store-under-test';
import { localClock } from '../../shared/local-time';
import { decimal, EXPORT_CHUNK, exportHeader } from './movement-export';

/**
 * The movement export on the configured store (test/fixtures/store-under-test.ts): SQLite by default, PostgreSQL in
 * `npm run test:unit:pg`. Enough movements for several export chunks (receipts of four lines each, posted through
 * operations.receive), with lots, bins, two expiries a lot, on-costs on some lines, references that start formulas and
 * adjustment lines whose notes test the writers; exported by enquiry.exportStart (to its job.finished) in the company's
 * time zone, and compared with what enquiry.movements shows.
 */
// The movement exports write under the app's data folder: a temporary one for this file.
const home = mkdtempSync(join(tmpdir(), 'stockbook-movement-export-'));
process.env.STOCKBOOK_HOME = home;

const open = storeForFile();
let s: StoreUnderTest;
let all: MovementView[];
let made = 0;
const key = () => `movement-export-${process.pid}-${++made}`;
const T0 = Date.UTC(2025, 2, 1);
/** Rounds of an inbound of rice (4 lines, two bins) and a stock receipt of claret (4 lots): 8 movements each. */
const ROUNDS = 1_300;
/** Notes that test the writers: formula starts, quotes, commas, XML's special characters, edge spaces, a line break. */
const NOTES: Record<number, string> = { 0: '=cmd, "x"', 1: '+SUM(A1) <b>&amp;</b>', 2: '-2+3', 3: '@x > y & z < w', 4: ' spaced ', 5: 'two\nlines' };
const at = (round: number) => new Date(T0 + Math.floor(round / 3) * 61_000 + (round % 3)).toISOString();

beforeAll(async () => {
  let now = Date.UTC(2025, 6, 1);
  s = await open({ clock: () => (now += 7) });
  const { wh, binA, binB, bulk, lot } = s.ids;
  await zone('UTC');
  for (let i = 0; i < ROUNDS; i++) {
    const rice = [0, 1, 2, 3].map((k) => ({ productId: bulk, binId: k % 2 ? binA : binB, qty: 1250 + i + k, unitCost: 12_3456 }));
    const reference = i === 7 ? '=cmd, "x"' : `PO-${i}`;
    await s.call('operations.receive', { idempotencyKey: key(), kind: 'inbound', siteId: wh, dutyPaid: false, occurredAt: at(i), reference, lines: rice });
    const lots = [0, 1, 2, 3].map((k) => {
      const b = (i * 4 + k) % 13;
      return { productId: lot, binId: binA, batch: { code: `L-${b}`, expiry: `2026-${String(1 + (b % 12)).padStart(2, '0')}-01` }, qty: 3, unitCost: 8000, ...((i * 4 + k) % 7 ? {} : { onCosts: { freight: 1_2345, customs: 5 + i } }) };
    });
    await s.call('operations.receive', { idempotencyKey: key(), kind: 'stock_receipt', siteId: wh, dutyPaid: false, occurredAt: at(i), reference: `PO-L-${i}`, lines: lots });
    if (i === 10) {
      // A line's own note: an adjustment line carries it after its reason (no receipt line has one).
      const draft = await s.call('operations.draftCreate', { name: 'Notes', siteId: wh, effectiveAt: at(i) });
      for (const note of Object.values(NOTES)) await s.call('operations.draftSaveLine', { draftId: draft.id, productId: bulk, qty: 1, reason: 'found', note });
      await s.call('operations.draftPost', { draftId: draft.id, idempotencyKey: key() });
    }
  }
  all = (await s.call('enquiry.movements', { order: 'asc', limit: 2000 })).rows;
}, 600_000); // 2,600 documents through the operations: minutes on a loaded machine (no timing is asserted)
afterAll(async () => {
  if (s) await closeVerified(s);
  rmSync(home, { recursive: true, force: true });
});

/**
 * A copy of the XLSX `file` with the same parts, its worksheets moved after the others. exceljs's streaming reader
 * parks a worksheet that comes before the shared strings in a temporary file, and then races the zip's end: when the
 * end wins, it never reads the parts after the sheet and gives shared-string indexes and date serials instead of
 * values (exceljs issues 683 and 3064, open; seen here in about 1 read in 20 under load, and once in CI). Our writer
 * learns the shared strings while it writes the sheet, so they follow it, as the format allows; this copy keeps the
 * sheet's bytes and changes only the order, so the reader still checks every cell of the sheet we wrote.
 */
function sheetsLast(file: string): string {
  const parts = unzipSync(readFileSync(file));
  const sheet = (name: string) => (name.startsWith('xl/worksheets/') ? 1 : 0);
  const ordered = Object.fromEntries(Object.keys(parts).sort((a, b) => sheet(a) - sheet(b)).map((name) => [name, parts[name]!]));
  const copy = `${file}.sheets-last.xlsx`;
  writeFileSync(copy, zipSync(ordered));
  return copy;
}

/** The business time zone the exports are written in, and the locale their CSV numbers follow: the company's settings. */
async function zone(timeZone: string, locale = 'en-GB'): Promise<void> {
  await s.call('company.update', { name: 'Test Kitchen Ltd', currency: 'GBP', timeZone, locale, fyStartMonth: 1 });
}

/** The movement export (enquiry.exportStart's worker op) of `filter`, once its job has finished: its file and rows. */
async function exported(format: 'csv' | 'xlsx', filter: MovementFilter = {}): Promise<{ file: string; rows: number }> {
  const jobId = `movement-export-job-${++made}`;
  const started = await s.ops['enquiry.exportStart'](jobId, { filter, format, summary: '' });
  expect(await jobFinished(s, jobId)).toMatchObject({ ok: true });
  const job = (await s.call('enquiry.exports', {})).find((j) => j.jobId === jobId)!;
  expect(job.status).toBe('done');
  return { file: started.file, rows: job.rows };
}

const utc = localClock('UTC');
/** Debian's python3, for which python3-openpyxl is installed (.ci/run). */
const PYTHON = '/usr/bin/python3';

describe('movement export', () => {
  it('writes decimals without grouping', () => {
    expect(decimal(-12500, 3)).toBe('-12.500');
  });

  it('writes every filtered movement to CSV across chunks, with the same text per row as the enquiry shows', async () => {
    const total = Number((await s.rows<{ n: number }>('SELECT COUNT(*) AS n FROM movements'))[0]!.n);
    expect(total).toBeGreaterThan(EXPORT_CHUNK * 2);
    const { file, rows: n } = await exported('csv');
    expect(n).toBe(total);
    const lines = readFileSync(file, 'utf8').replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe(exportHeader('UTC').join(','));
    expect(lines.length).toBe(total + 2); // header + rows + the empty string after the last CRLF
    // Oldest first in (occurred_at, seq) order; spot-check the first page against the enquiry's own rows.
    for (const m of all.slice(0, 300)) {
      const line = lines.find((l) => l.startsWith(`${m.seq},`))!;
      expect(line.startsWith(`${m.seq},${utc.text(m.occurredAt)},${utc.text(m.recordedAt)},${m.backdated ? 'yes' : 'no'},${m.sku},`)).toBe(true);
      expect(line).toContain(`,${m.typeName},${m.type},${decimal(m.qty, m.scale)},${decimal(m.balanceAfter, m.scale)},${decimal(m.balanceOnDate!, m.scale)},${m.unit},${m.batchCode ?? ''},${m.expiry ?? ''},,${decimal(m.unitCost, 4)},${decimal(m.value, 4)},`);
      expect(line).toContain(`,${m.documentType},${csvText(m.documentReference)},${m.documentId},${m.lineNo},`); // a formula start neutralised, as below
    }
    const seqs = lines.slice(1, -1).map((l) => Number(l.split(',')[0]));
    expect(new Set(seqs).size).toBe(total);
    expect(lines.some((l) => l.includes(`,"'=cmd, ""x""",`))).toBe(true);
  });

  it('CSV of a decimal-comma company (de-DE): fields separated by ";", decimals with a comma, every cell as the "," file holds it', async () => {
    await zone('UTC');
    const filter = { occurred: { to: T0 + 120 * 61_000 } };
    const { file: commaFile, rows: n } = await exported('csv', filter);
    await zone('UTC', 'de-DE');
    try {
      const { file, rows } = await exported('csv', filter);
      expect(rows).toBe(n);
      const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
      expect(text.split('\r\n')[0]).toBe(exportHeader('UTC').join(';'));
      const semi = parseCsv(text);
      const comma = parseCsv(readFileSync(commaFile, 'utf8').replace(/^\uFEFF/, ''));
      expect(semi.length).toBe(comma.length);
      let decimals = 0;
      for (let r = 0; r < comma.length; r++) {
        expect(semi[r]!.length).toBe(comma[r]!.length);
        comma[r]!.forEach((cell, c) => {
          // a decimal "12.500" is "12,500" there; every other cell (text, dates, integers) is the same
          if (/^-?\d+\.\d+$/.test(cell)) {
            decimals++;
            expect(semi[r]![c]).toBe(cell.replace('.', ','));
          } else expect(semi[r]![c]).toBe(cell);
        });
      }
      expect(decimals).toBeGreaterThan(n * 5); // quantities, balances, costs, values and on-costs on every row
    } finally {
      await zone('UTC');
    }
  });

  it('CSV: every row across chunks carries the balance on that date the enquiry shows, from the first movement or from an effective date on', async () => {
    const from = T0 + 200 * 61_000;
    for (const filter of [{}, { occurred: { from } }, { types: ['stock_receipt' as const] }]) {
      const want = new Map<number, number>();
      let next: MovementView | undefined;
      for (;;) {
        const page = await s.call('enquiry.movements', { filter, order: 'asc', limit: 2000, ...(next ? { after: { occurredAt: next.occurredAt, seq: next.seq } } : {}) });
        for (const m of page.rows) want.set(m.seq, m.balanceOnDate!);
        next = page.rows.at(-1);
        if (!page.next) break;
      }
      const { file } = await exported('csv', filter);
      const rows = parseCsv(readFileSync(file, 'utf8').replace(/^\uFEFF/, '')).filter((r) => r.length > 1).slice(1);
      expect(rows.length).toBe(want.size);
      expect(rows.length).toBeGreaterThan(3000); // unfiltered and from a date: more than one chunk
      const scale = new Map(all.map((m) => [m.sku, m.scale]));
      for (const r of rows) expect(r[12]).toBe(decimal(want.get(Number(r[0]))!, scale.get(r[4]!)!));
    }
  });

  it('writes a filter to XLSX with numbers and dates, and removes the part file when cancelled', async () => {
    const { file, rows: n } = await exported('xlsx', { types: ['stock_receipt'] });
    const want = all.length === 2000 ? null : all.filter((m) => m.type === 'stock_receipt').length;
    expect(n).toBe(Number((await s.rows<{ n: number }>("SELECT COUNT(*) AS n FROM movements WHERE type = 'stock_receipt'"))[0]!.n));
    if (want !== null) expect(n).toBe(want);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.getWorksheet('Movements')!;
    expect(ws.getRow(1).values).toEqual([undefined, ...exportHeader('UTC')]);
    expect(ws.rowCount).toBe(n + 1);
    const first = all.find((m) => m.type === 'stock_receipt')!;
    const row = ws.getRow(2);
    expect(row.getCell(1).value).toBe(first.seq);
    expect((row.getCell(2).value as Date).getTime()).toBe(first.occurredAt);
    expect(row.getCell(4).value).toBe('yes'); // effective in March, recorded in July
    expect(row.getCell(5).value).toBe('CLARET-75');
    expect(row.getCell(11).value).toBe(3);
    expect(row.getCell(12).value).toBe(first.balanceAfter);
    expect(row.getCell(13).value).toBe(first.balanceOnDate);
    expect(row.getCell(15).value).toBe(first.batchCode);
    expect(row.getCell(18).value).toBe(0.8);
    expect(row.getCell(19).value).toBe(2.4);
    expect(row.getCell(22).value).toBe(first.documentReference);

    // Cancelled (jobs.cancel) as soon as it started: the job says so and leaves no file behind.
    const jobId = `movement-export-job-${++made}`;
    const { file: gone } = await s.ops['enquiry.exportStart'](jobId, { filter: {}, format: 'xlsx', summary: '' });
    expect(await s.call('jobs.cancel', { jobId })).toEqual({ cancelled: true });
    expect(await jobFinished(s, jobId)).toMatchObject({ ok: false, cancelled: true, message: expect.stringMatching(/cancelled/) as string });
    expect((await s.call('enquiry.exports', {})).find((j) => j.jobId === jobId)!.status).toBe('cancelled');
    expect(existsSync(gone)).toBe(false);
    expect(existsSync(`${gone}.part`)).toBe(false);
  });

  it('CSV: times are local date-times in the business time zone that spreadsheets read as dates, and the header names the zone', async () => {
    await zone('Europe/London');
    const { file } = await exported('csv', { types: ['stock_receipt'] });
    const [head, ...rows] = readFileSync(file, 'utf8').replace(/^\uFEFF/, '').split('\r\n').filter(Boolean).map((l) => l.split(','));
    expect(head!.slice(0, 3)).toEqual(['Seq', 'Occurred at (Europe/London)', 'Recorded at (Europe/London)']);
    const bySeq = new Map(all.map((m) => [m.seq, m]));
    let summer = 0;
    for (const r of rows.slice(0, 500)) {
      const m = bySeq.get(Number(r[0]));
      if (!m) continue;
      for (const [cell, at] of [[r[1]!, m.occurredAt], [r[2]!, m.recordedAt]] as const) {
        expect(cell).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/); // no ISO "T", no "Z", no milliseconds
        // read back as a London wall time, it is the same instant to the second
        const [d, t] = cell.split(' ');
        const wall = Date.parse(`${d}T${t}Z`);
        const offset = new Date(at).toLocaleString('en-GB', { timeZone: 'Europe/London', timeZoneName: 'short' }).endsWith('BST') ? 3_600_000 : 0;
        expect(wall - offset).toBe(at - (at % 1000));
        if (offset) summer++;
      }
    }
    expect(summer).toBeGreaterThan(0); // recorded in July: British Summer Time, an hour ahead of UTC
  });

  it('XLSX: times are real date cells holding the local wall time, formatted as dates, under headers naming the zone', async () => {
    await zone('Europe/London');
    const { file } = await exported('xlsx', { types: ['stock_receipt'] });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.getWorksheet('Movements')!;
    expect(ws.getRow(1).getCell(2).value).toBe('Occurred at (Europe/London)');
    expect(ws.getRow(1).getCell(3).value).toBe('Recorded at (Europe/London)');
    const first = all.find((m) => m.type === 'stock_receipt')!;
    const row = ws.getRow(2);
    expect(row.getCell(1).value).toBe(first.seq);
    for (const [col, at] of [[2, first.occurredAt], [3, first.recordedAt]] as const) {
      const cell = row.getCell(col);
      expect(cell.type).toBe(ExcelJS.ValueType.Date);
      expect(cell.numFmt).toBe('yyyy-mm-dd hh:mm:ss');
      // a spreadsheet date has no zone: it holds the London wall time (recorded in July 2025: BST, UTC+1)
      expect((cell.value as Date).toISOString().slice(0, 19).replace('T', ' ')).toBe(localClock('Europe/London').text(at));
    }
    expect((row.getCell(3).value as Date).getTime() - first.recordedAt).toBe(3_600_000);
  });

  it('XLSX reads through exceljs\'s streaming WorkbookReader (which needs every cell\'s reference) as through its whole-file reader, cell by cell', async () => {
    await zone('UTC');
    // the lot lines (batches, expiries, on-costs; no notes: exceljs's streaming reader unescapes a note's "&amp;" twice)
    const { file, rows: n } = await exported('xlsx', { types: ['stock_receipt'] });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const whole = wb.getWorksheet('Movements')!;
    let rows = 0;
    for await (const ws of new ExcelJS.stream.xlsx.WorkbookReader(sheetsLast(file), { sharedStrings: 'cache', styles: 'cache', worksheets: 'emit' })) {
      for await (const row of ws as AsyncIterable<ExcelJS.Row>) {
        rows++;
        expect(row.values).toEqual(whole.getRow(row.number).values);
      }
    }
    expect(rows).toBe(n + 1);
  }, 60_000);

  it('XLSX holds what the CSV of the same rows holds, cell by cell, read back by openpyxl: dates, 4-decimal money, quantities with units, text never a formula', async () => {
    await zone('Europe/London');
    const filter = { occurred: { to: T0 + 120 * 61_000 } };
    const { file: csvFile, rows: n } = await exported('csv', filter);
    const { file: xlsxFile, rows: xlsxRows } = await exported('xlsx', filter);
    expect(xlsxRows).toBe(n);
    const csv = parseCsv(readFileSync(csvFile, 'utf8').replace(/^\uFEFF/, '')).filter((r) => r.length > 1);
    // openpyxl (python3-openpyxl): every cell as [value, type, number format]; dates as "YYYY-MM-DD HH:MM:SS"
    const script = `
import json, sys, datetime, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).worksheets[0]
out = [[[c.value.strftime('%Y-%m-%d %H:%M:%S') if isinstance(c.value, datetime.datetime) else c.value, c.data_type, c.number_format] for c in row] for row in ws.iter_rows()]
print(json.dumps({'title': ws.title, 'frozen': ws.freeze_panes, 'bold': ws['A1'].font.b, 'rows': out}))`;
    const book = JSON.parse(execFileSync(PYTHON, ['-c', script, xlsxFile], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })) as {
      title: string; frozen: string; bold: boolean; rows: [string | number | null, string, string][][];
    };
    expect([book.title, book.frozen, book.bold]).toEqual(['Movements', 'A2', true]);
    expect(book.rows.length).toBe(csv.length);
    expect(n).toBeGreaterThan(2000);
    const header = csv[0]!;
    expect(book.rows[0]!.map((c) => c[0])).toEqual(header);
    const at = (name: string) => header.findIndex((h) => h.startsWith(name));
    const dates = [at('Occurred at'), at('Recorded at')];
    const money4 = [at('Unit cost'), ...header.flatMap((h, i) => (h.endsWith(' / unit') ? [i] : []))];
    const money2 = [at('Value'), at('On-cost value')];
    const numbers = new Set([at('Seq'), at('Quantity'), at('Balance (as recorded)'), at('Balance on that date'), at('Document id'), at('Line'), at('Reversal of'), ...money4, ...money2]);
    let notes = 0;
    for (let r = 1; r < csv.length; r++) {
      const row = book.rows[r]!;
      expect(row.length).toBe(header.length);
      csv[r]!.forEach((text, i) => {
        const [value, type, format] = row[i]!;
        if (text === '') return expect(value).toBeNull();
        if (dates.includes(i)) return expect([value, format]).toEqual([text, 'yyyy-mm-dd hh:mm:ss']);
        if (numbers.has(i)) {
          expect(type).toBe('n');
          if (money4.includes(i)) expect(format).toBe('#,##0.0000');
          if (money2.includes(i)) expect(format).toBe('#,##0.00');
          return expect(value).toBe(Number(text));
        }
        expect(type).toBe('s'); // text, never a formula ('f'), whatever it starts with
        expect(value).toBe(csvUnneutralise(text));
        if (i === at('Note')) notes++;
      });
    }
    // quantities keep their product's decimals (kg at 3) beside its unit; every note made it through as written
    const rice = book.rows.find((c) => c[at('SKU')]![0] === 'RICE-1KG')!;
    expect([rice[at('Quantity')]![0], rice[at('Unit')]![0]]).toEqual([1.25, 'kg']);
    expect(notes).toBeGreaterThanOrEqual(Object.keys(NOTES).length);
    // rows with on-costs and rows without (all ten cells zero, written as one run) both came through cell by cell
    const onCostValues = book.rows.slice(1).map((c) => c[at('On-cost value')]![0]);
    expect([onCostValues.some((v) => v !== 0), onCostValues.some((v) => v === 0)]).toEqual([true, true]);
    for (const note of Object.values(NOTES)) expect(book.rows.some((c) => c[at('Note')]![0] === `found: ${note}`)).toBe(true);
  }, 180_000);
});
