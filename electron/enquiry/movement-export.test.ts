import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvUnneutralise } from '../../shared/csv';
import { parseCsv } from '../operations/csv-parse';
import type { MovementView } from '../../shared/enquiry';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { localClock } from '../../shared/local-time';
import { decimal, EXPORT_CHUNK, exportHeader } from './movement-export';
import { exportMovementsCsv, exportMovementsXlsx } from './sqlite-movement-export';
import { MovementQuery, StatementCache } from './movement-query';

/** Enough movements for several export chunks, with lots, bins, notes, two users and on-costs on some lines. */
let f: Fixture;
let all: MovementView[];
const T0 = Date.UTC(2025, 2, 1);
/** Notes that test the writers: formula starts, quotes, commas, XML's special characters, edge spaces, a line break. */
const NOTES: Record<number, string> = { 0: '=cmd, "x"', 1: '+SUM(A1) <b>&amp;</b>', 2: '-2+3', 3: '@x > y & z < w', 4: ' spaced ', 5: 'two\nlines' };

beforeAll(async () => {
  let now = Date.UTC(2025, 6, 1);
  f = await openFixture({ clock: () => (now += 7) });
  const { wh, binA, binB, bulk, lot, admin } = f.ids;
  const docs = Array.from({ length: Math.ceil((EXPORT_CHUNK * 2 + 321) / 2) }, (_, i) =>
    f.doc(
      'receipt',
      [
        { productId: bulk, siteId: wh, binId: i % 2 ? binA : binB, type: 'inbound', qty: 1250 + i, unitCost: 12_3456, note: NOTES[i % 97] },
        { productId: lot, siteId: wh, binId: binA, batch: { code: `L-${i % 13}`, expiry: `2026-${String(1 + (i % 13) % 12).padStart(2, '0')}-01` }, type: 'stock_receipt', qty: 3, unitCost: 8000, ...(i % 7 ? {} : { onCosts: { freight: 1_2345, customs: 5 + i } }) },
      ],
      { occurredAt: new Date(T0 + Math.floor(i / 3) * 61_000 + (i % 3)).toISOString(), reference: `PO-${i}` },
    ),
  );
  f.ledger.poster.postMany(docs, admin);
  all = new MovementQuery(f.ledger.db, {}, new StatementCache(f.ledger.db)).page('asc', 2000).rows;
}, 60_000);
afterAll(() => f.cleanup());

const utc = localClock('UTC');
/** Debian's python3, for which python3-openpyxl is installed (.ci/run). */
const PYTHON = '/usr/bin/python3';

describe('movement export', () => {
  it('writes decimals without grouping', () => {
    expect(decimal(-12500, 3)).toBe('-12.500');
  });

  it('writes every filtered movement to CSV across chunks, with the same text per row as the enquiry shows', async () => {
    const total = (f.ledger.db.prepare('SELECT COUNT(*) FROM movements').pluck().get() as number);
    expect(total).toBeGreaterThan(EXPORT_CHUNK * 2);
    const file = join(f.dir, 'exports', 'all.csv');
    const done: number[] = [];
    const n = await exportMovementsCsv(f.ledger.db, new StatementCache(f.ledger.db), {}, file, new AbortController().signal, (p) => done.push(p.done), 'UTC');
    expect(n).toBe(total);
    expect(done.at(-1)).toBe(total);
    const lines = readFileSync(file, 'utf8').replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe(exportHeader('UTC').join(','));
    expect(lines.length).toBe(total + 2); // header + rows + the empty string after the last CRLF
    // Oldest first in (occurred_at, seq) order; spot-check the first page against the enquiry's own rows.
    for (const m of all.slice(0, 300)) {
      const line = lines.find((l) => l.startsWith(`${m.seq},`))!;
      expect(line.startsWith(`${m.seq},${utc.text(m.occurredAt)},${utc.text(m.recordedAt)},${m.backdated ? 'yes' : 'no'},${m.sku},`)).toBe(true);
      expect(line).toContain(`,${m.typeName},${m.type},${decimal(m.qty, m.scale)},${decimal(m.balanceAfter, m.scale)},${decimal(m.balanceOnDate!, m.scale)},${m.unit},${m.batchCode ?? ''},${m.expiry ?? ''},,${decimal(m.unitCost, 4)},${decimal(m.value, 4)},`);
      expect(line).toContain(`,${m.documentType},${m.documentReference},${m.documentId},${m.lineNo},`);
    }
    const seqs = lines.slice(1, -1).map((l) => Number(l.split(',')[0]));
    expect(new Set(seqs).size).toBe(total);
    expect(lines.some((l) => l.includes(`,"'=cmd, ""x""",`))).toBe(true);
  });

  it('CSV: every row across chunks carries the balance on that date the enquiry shows, from the first movement or from an effective date on', async () => {
    const db = f.ledger.db;
    const from = T0 + 1200 * 61_000;
    for (const filter of [{}, { occurred: { from } }, { types: ['stock_receipt' as const] }]) {
      const q = new MovementQuery(db, filter, new StatementCache(db));
      const want = new Map<number, number>();
      let next: MovementView | undefined;
      for (;;) {
        const page = q.page('asc', 2000, next ? { occurredAt: next.occurredAt, seq: next.seq } : undefined);
        for (const m of page.rows) want.set(m.seq, m.balanceOnDate!);
        next = page.rows.at(-1);
        if (!page.next) break;
      }
      const file = join(f.dir, 'exports', 'balances.csv');
      await exportMovementsCsv(db, new StatementCache(db), filter, file, new AbortController().signal, () => {}, 'UTC');
      const rows = parseCsv(readFileSync(file, 'utf8').replace(/^\uFEFF/, '')).filter((r) => r.length > 1).slice(1);
      expect(rows.length).toBe(want.size);
      expect(rows.length).toBeGreaterThan(3000); // unfiltered and from a date: more than one chunk
      const scale = new Map(all.map((m) => [m.sku, m.scale]));
      for (const r of rows) expect(r[12]).toBe(decimal(want.get(Number(r[0]))!, scale.get(r[4]!)!));
    }
  });

  it('writes a filter to XLSX with numbers and dates, and removes the part file when cancelled', async () => {
    const file = join(f.dir, 'exports', 'lots.xlsx');
    const filter = { types: ['stock_receipt' as const] };
    const n = await exportMovementsXlsx(f.ledger.db, new StatementCache(f.ledger.db), filter, file, new AbortController().signal, () => {}, 'UTC');
    const want = all.length === 2000 ? null : all.filter((m) => m.type === 'stock_receipt').length;
    expect(n).toBe(f.ledger.db.prepare("SELECT COUNT(*) FROM movements WHERE type = 'stock_receipt'").pluck().get());
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

    const aborted = new AbortController();
    aborted.abort();
    const gone = join(f.dir, 'exports', 'gone.xlsx');
    await expect(exportMovementsXlsx(f.ledger.db, new StatementCache(f.ledger.db), {}, gone, aborted.signal, () => {}, 'UTC')).rejects.toThrow(/cancelled/);
    expect(existsSync(gone)).toBe(false);
    expect(existsSync(`${gone}.part`)).toBe(false);
  });

  it('CSV: times are local date-times in the business time zone that spreadsheets read as dates, and the header names the zone', async () => {
    const file = join(f.dir, 'exports', 'london.csv');
    await exportMovementsCsv(f.ledger.db, new StatementCache(f.ledger.db), { types: ['stock_receipt'] }, file, new AbortController().signal, () => {}, 'Europe/London');
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
    const file = join(f.dir, 'exports', 'london.xlsx');
    await exportMovementsXlsx(f.ledger.db, new StatementCache(f.ledger.db), { types: ['stock_receipt'] }, file, new AbortController().signal, () => {}, 'Europe/London');
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
    const file = join(f.dir, 'exports', 'streamed.xlsx');
    // the lot lines (batches, expiries, on-costs; no notes: exceljs's streaming reader unescapes a note's "&amp;" twice)
    const n = await exportMovementsXlsx(f.ledger.db, new StatementCache(f.ledger.db), { types: ['stock_receipt'] }, file, new AbortController().signal, () => {}, 'UTC');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const whole = wb.getWorksheet('Movements')!;
    let rows = 0;
    for await (const ws of new ExcelJS.stream.xlsx.WorkbookReader(file, { sharedStrings: 'cache', styles: 'cache', worksheets: 'emit' })) {
      for await (const row of ws as AsyncIterable<ExcelJS.Row>) {
        rows++;
        expect(row.values).toEqual(whole.getRow(row.number).values);
      }
    }
    expect(rows).toBe(n + 1);
  }, 60_000);

  it('XLSX holds what the CSV of the same rows holds, cell by cell, read back by openpyxl: dates, 4-decimal money, quantities with units, text never a formula', async () => {
    const csvFile = join(f.dir, 'exports', 'same.csv');
    const xlsxFile = join(f.dir, 'exports', 'same.xlsx');
    const filter = { occurred: { to: T0 + 400 * 61_000 } };
    const signal = new AbortController().signal;
    const n = await exportMovementsCsv(f.ledger.db, new StatementCache(f.ledger.db), filter, csvFile, signal, () => {}, 'Europe/London');
    expect(await exportMovementsXlsx(f.ledger.db, new StatementCache(f.ledger.db), filter, xlsxFile, signal, () => {}, 'Europe/London')).toBe(n);
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
    for (const note of Object.values(NOTES)) expect(book.rows.some((c) => c[at('Note')]![0] === note)).toBe(true);
  }, 180_000);
});
