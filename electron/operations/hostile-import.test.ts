import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeImportBytes } from '../../shared/text-decode';
import { jobFinished, storePerTest, type StoreUnderTest } from '../../test/fixtures/store-under-test';

/**
 * Hostile import files: malformed CSV, wrong encodings, malformed XLSX and formula injection. Every bad file gets a
 * clear preview error (naming the row where there is one) and the import job writes nothing. On the configured store
 * (test/fixtures/store-under-test.ts): SQLite by default, PostgreSQL in `npm run test:unit:pg`.
 */
// The movement exports write under the app's data folder: a temporary one for this file.
const home = mkdtempSync(join(tmpdir(), 'stockbook-hostile-'));
process.env.STOCKBOOK_HOME = home;
afterAll(() => rmSync(home, { recursive: true, force: true }));

let s: StoreUnderTest;
storePerTest((opened) => (s = opened));

type File = { csv?: string; xlsxBase64?: string; fileName?: string };
const HEADER = 'sku,site,bin,qty,batch,expiry,serial,unit_cost';
const GOOD_ROWS = 'RICE-1KG,WH1,A-01,12.5,,,,2.50\nCLARET-75,WH1,B-01,6,L9,2031-01-31,,8.00\nTAP-01,BAR,,1,,,SN-77,40\n';
let jobNo = 0;

/** Runs the import job, resolving with how it finished (or how it was refused up front). */
async function runJob(file: File): Promise<{ ok: boolean; message: string }> {
  jobNo++;
  try {
    await s.call('operations.importStart', { ...file, kind: 'inventory_import', jobId: `hostile-${jobNo}`, idempotencyKey: `hostile-key-${jobNo}` });
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
  return jobFinished(s, `hostile-${jobNo}`);
}

/** What the preview says about a file: its thrown message, or its problems one a line. */
async function previewText(file: File): Promise<string> {
  try {
    const p = await s.call('operations.importPreview', { ...file, kind: 'inventory_import' });
    expect(JSON.stringify(p).length).toBeLessThan(100_000);
    return p.problems.map((x) => `row ${x.row} ${x.field}: ${x.message}`).join('\n');
  } catch (e) {
    return (e as Error).message;
  }
}

/** The preview explains the file's problem, and the job refuses it without writing a row. */
async function expectRefused(file: File, preview: RegExp): Promise<void> {
  const before = await s.counts();
  expect(await previewText(file)).toMatch(preview);
  const job = await runJob(file);
  expect(job.ok).toBe(false);
  expect(job.message).toMatch(/nothing was imported|file is empty|unbalanced quote|NUL characters|not valid in the file's encoding|XLSX|worksheet/);
  expect(await s.counts()).toEqual(before);
}

/** The first column of a query's rows. */
const column = async (sql: string) => (await s.rows<Record<string, unknown>>(sql)).map((r) => Object.values(r)[0]);
const utf16le = (text: string) => Buffer.from(text, 'utf16le');

describe('malformed CSV', () => {
  it('an unbalanced quote is refused, naming the row where it opens', async () => {
    await expectRefused({ csv: `${HEADER}\nRICE-1KG,WH1,A-01,1,,,,2.50\nCLARET-75,WH1,"B-01,6,L9,2031-01-31,,8.00\nRICE-1KG,WH1,A-01,1,,,,2.50\n` }, /unbalanced quote.*row 3 of the file is never closed/);
    await expectRefused({ csv: `"sku,site,qty\nRICE-1KG,WH1,1\n` }, /unbalanced quote.*the header row/);
  });

  it('ragged rows: extra values are refused (shifted columns), missing values are row problems', async () => {
    await expectRefused({ csv: `${HEADER}\nRICE-1KG,WH1,A-01,1,,,,2.50,surplus\n` }, /row 2 row: The row has 9 values but the header names 8 columns/);
    await expectRefused({ csv: `${HEADER}\nRICE-1KG,WH1\nCLARET-75\n` }, /row 2 qty: Bad number[\s\S]*row 3 site: The site is empty/);
    // Trailing empty cells (as spreadsheets write them) are fine.
    expect(await previewText({ csv: `${HEADER}\nRICE-1KG,WH1,A-01,1,,,,2.50,,,\n` })).toBe('');
  });

  it('an empty file, a blank one with a BOM, and a header without rows are refused', async () => {
    await expectRefused({ csv: '' }, /file is empty/);
    await expectRefused({ csv: '\uFEFF \r\n\n' }, /file is empty/);
    await expectRefused({ csv: `${HEADER}\n` }, /row 0 rows: The file has a header row but no data rows/);
    await expectRefused({ csv: 'just,some,words\n' }, /header row must name the columns/);
  });

  it('a 10 MB single field is refused without echoing it back', async () => {
    const huge = 'X'.repeat(10 * 1024 * 1024);
    await expectRefused({ csv: `${HEADER}\n${huge},WH1,,1,,,,\n` }, /row 2 sku: A value is 10,485,760 characters long; no cell may exceed 200/);
    await expectRefused({ csv: `${HEADER}\nRICE-1KG,WH1,,1,"${huge}",,,\n` }, /row 2 batch: A value is 10,485,760 characters/);
  });

  it('NUL bytes are refused, naming the row', async () => {
    await expectRefused({ csv: `${HEADER}\nRICE-1KG,WH1,A-01,1,,,,2.50\nRICE\u0000-1KG,WH1,A-01,1,,,,2.50\n` }, /Row 3 of the file holds NUL characters/);
    await expectRefused({ csv: `${HEADER}\n\u0000\u0000\u0000\u0000,WH1,,1\n` }, /Row 2 of the file holds NUL characters/);
  });
});

describe('encodings', () => {
  it('UTF-16LE with a BOM, UTF-16LE/BE without one, and UTF-8 with a BOM are detected and decoded', async () => {
    const text = `${HEADER}\n${GOOD_ROWS}`;
    const be = Buffer.from(utf16le(text)).swap16();
    const cases: [Uint8Array, string][] = [
      [Buffer.concat([Buffer.from([0xff, 0xfe]), utf16le(text)]), 'utf-16le'],
      [utf16le(text), 'utf-16le'],
      [Buffer.concat([Buffer.from([0xfe, 0xff]), be]), 'utf-16be'],
      [be, 'utf-16be'],
      [Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), 'utf-8'],
    ];
    for (const [bytes, encoding] of cases) {
      const d = decodeImportBytes(bytes);
      expect(d).toEqual({ text, encoding });
      expect(await previewText({ csv: d.text })).toBe('');
    }
    const job = await runJob({ csv: decodeImportBytes(Buffer.concat([Buffer.from([0xff, 0xfe]), utf16le(text)])).text });
    expect(job).toMatchObject({ ok: true, message: expect.stringMatching(/^Imported 3 rows/) });
  });

  it('bytes that are not UTF-8 are read as Windows-1252 (Excel "CSV" on Windows): £ and accents survive', async () => {
    const bytes = Buffer.from(`${HEADER}\nCLARET-75,WH1,B-01,6,Cr\xe8me \x80,2031-01-31,,\xa38.00\n`, 'latin1');
    const d = decodeImportBytes(bytes);
    expect(d.encoding).toBe('windows-1252');
    expect(d.text).toContain('Crème €,2031-01-31,,£8.00');
    expect(await runJob({ csv: d.text })).toMatchObject({ ok: true });
    expect(await column('SELECT code FROM batches')).toEqual(['Crème €']);
    expect(await column('SELECT unit_cost FROM movements')).toEqual([80_000]);
    // Valid UTF-8 stays UTF-8.
    expect(decodeImportBytes(Buffer.from('sku\nCrème €\n'))).toEqual({ text: 'sku\nCrème €\n', encoding: 'utf-8' });
  });

  it('text already mis-decoded by a client (replacement characters, UTF-16 read as UTF-8) is refused, naming the row', async () => {
    const latin1AsUtf8 = Buffer.from(`${HEADER}\nRICE-1KG,WH1,A-01,1,,,,2.50\nCLARET-75,WH1,B-01,6,Cr\xe8me,2031-01-31,,8.00\n`, 'latin1').toString('utf8');
    await expectRefused({ csv: latin1AsUtf8 }, /Row 3 of the file holds characters that are not valid in the file's encoding/);
    const utf16AsUtf8 = Buffer.concat([Buffer.from([0xff, 0xfe]), utf16le(`${HEADER}\n${GOOD_ROWS}`)]).toString('utf8');
    await expectRefused({ csv: utf16AsUtf8 }, /The header row \(row 1 of the file\) holds (NUL characters|characters that are not valid)/);
  });
});

async function workbook(rows: unknown[][], sheets = 1): Promise<string> {
  const book = new ExcelJS.Workbook();
  for (let i = 0; i < sheets; i++) {
    const sheet = book.addWorksheet(`Stock${i}`);
    for (const r of rows) sheet.addRow(r);
  }
  return Buffer.from(await book.xlsx.writeBuffer()).toString('base64');
}

describe('malformed XLSX', () => {
  it('random bytes, a zip that is not a workbook, and a workbook without a sheet are refused', async () => {
    let seed = 42;
    const random = Buffer.from(Array.from({ length: 4096 }, () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) & 0xff));
    await expectRefused({ xlsxBase64: random.toString('base64') }, /not a readable XLSX workbook/);
    await expectRefused({ xlsxBase64: Buffer.concat([Buffer.from('PK\x03\x04'), random]).toString('base64') }, /not a readable XLSX workbook/);
    const zip = new JSZip();
    zip.file('readme.txt', 'not a workbook');
    zip.file('xl/other.xml', '<x/>');
    await expectRefused({ xlsxBase64: (await zip.generateAsync({ type: 'nodebuffer' })).toString('base64') }, /The workbook has no worksheet/);
    await expectRefused({ xlsxBase64: await workbook([], 0) }, /no worksheet/);
    await expectRefused({ xlsxBase64: await workbook([]) }, /header row must name the columns/);
    await expectRefused({ xlsxBase64: 'not base64 at all!!' }, /not a readable XLSX workbook/);
  });
});

describe('formula injection', () => {
  const hostile = ["=cmd|' /C calc'!A0", '+SUM(1+1)', '-2+3', '@SUM(A1)'];

  /** The movements exported by the operation (enquiry.exportStart's worker op), as CSV and as XLSX. */
  async function exportFile(format: 'csv' | 'xlsx'): Promise<string> {
    const jobId = `export-${++jobNo}`;
    const started = await s.ops['enquiry.exportStart'](jobId, { filter: {}, format, summary: '' });
    expect(await jobFinished(s, jobId)).toMatchObject({ ok: true });
    return started.file;
  }
  async function exported(): Promise<{ csv: string; cells: unknown[]; xml: string }> {
    const csvFile = await exportFile('csv');
    const xlsxFile = await exportFile('xlsx');
    const zip = await JSZip.loadAsync(readFileSync(xlsxFile));
    const xml = (await Promise.all(Object.keys(zip.files).filter((n) => n.startsWith('xl/worksheets/')).map((n) => zip.file(n)!.async('string')))).join('');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsxFile);
    const cells: unknown[] = [];
    wb.worksheets[0]!.eachRow((row) => row.eachCell((c) => cells.push(c.value)));
    return { csv: readFileSync(csvFile, 'utf8'), cells, xml };
  }

  it('formula cells in a CSV are stored as plain text and neutralised in CSV and XLSX exports', async () => {
    const rows = [
      `CLARET-75,WH1,B-01,6,"${hostile[0]!.replace(/"/g, '""')}",2031-01-31,,8.00`,
      ...hostile.map((s) => `TAP-01,BAR,,1,,,"${s}",40`),
    ];
    const fileName = '=HYPERLINK("http://evil.example","x").csv';
    expect(await runJob({ csv: `${HEADER}\n${rows.join('\n')}\n`, fileName })).toMatchObject({ ok: true, message: expect.stringMatching(/^Imported 5 rows/) });
    expect(await column('SELECT code FROM batches')).toEqual([hostile[0]]);
    expect(await column('SELECT serial FROM serial_units ORDER BY id')).toEqual(hostile);
    expect(await column('SELECT DISTINCT reference FROM documents')).toEqual([fileName]);

    const { csv, cells, xml } = await exported();
    for (const s of [...hostile, fileName]) {
      const quoted = `"'${s.replace(/"/g, '""')}"`;
      expect(csv.includes(`,'${s},`) || csv.includes(`,${quoted},`)).toBe(true);
      expect(cells).toContain(s); // a string cell, read back as text
    }
    expect(csv).not.toMatch(/(^|,)[=+@-][^0-9]/m);
    expect(xml).not.toMatch(/<f[ >]/); // no formula element anywhere in the sheets
  });

  it('formula text in an XLSX import is stored as text, and a formula cell imports its cached result only', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Stock');
    sheet.addRow(['SKU', 'Site', 'Bin', 'Qty', 'Batch', 'Expiry', 'Serial', 'Unit cost']);
    sheet.addRow(['TAP-01', 'BAR', null, 1, null, null, '=cmd|\' /C calc\'!A0', 40]);
    sheet.addRow(['TAP-01', 'BAR', null, 1, null, null, { formula: 'CONCAT("SN-","9")', result: 'SN-9' }, 40]);
    const xlsxBase64 = Buffer.from(await book.xlsx.writeBuffer()).toString('base64');
    expect(await runJob({ xlsxBase64 })).toMatchObject({ ok: true });
    expect(await column('SELECT serial FROM serial_units ORDER BY id')).toEqual(["=cmd|' /C calc'!A0", 'SN-9']);
    const { csv, xml } = await exported();
    expect(csv).toContain(`,'=cmd|' /C calc'!A0,`);
    expect(xml).not.toMatch(/<f[ >]/);
  });
});
