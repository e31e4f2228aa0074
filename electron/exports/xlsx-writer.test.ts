import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CollectSink } from './collect-sink';
import { CellGroup, cellBytes, EMPTY_BODY, numberBody, rowXml, SheetCells, textBody, XLSX_STYLE, XlsxWriter } from './xlsx-writer';

/** A zip's entries from its central directory: each one's data inflated on its own (a strict raw inflate) and its recorded CRC-32 and size. */
function zipEntries(zip: Buffer): Map<string, { data: Buffer; crc: number; size: number }> {
  const entries = new Map<string, { data: Buffer; crc: number; size: number }>();
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let at = zip.readUInt32LE(eocd + 16);
  for (let n = zip.readUInt16LE(eocd + 10); n > 0; n--) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const [method, crc, packed, size] = [zip.readUInt16LE(at + 10), zip.readUInt32LE(at + 16), zip.readUInt32LE(at + 20), zip.readUInt32LE(at + 24)];
    const nameLength = zip.readUInt16LE(at + 28);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const local = zip.readUInt32LE(at + 42);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(start, start + packed);
    entries.set(name, { data: method === 8 ? inflateRawSync(raw) : raw, crc, size });
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return entries;
}

describe('rowXml', () => {
  it('gives every cell its reference (streaming readers such as exceljs need one) and leaves empty cells out', () => {
    const bodies = [numberBody(1), numberBody('2.50', XLSX_STYLE.money2), EMPTY_BODY, EMPTY_BODY, textBody('x'), numberBody(3), EMPTY_BODY, numberBody(4)];
    expect(rowXml(7, bodies)).toBe(
      '<row r="7"><c r="A7"><v>1</v></c><c r="B7" s="3"><v>2.50</v></c>' +
        '<c r="E7" t="inlineStr"><is><t>x</t></is></c><c r="F7"><v>3</v></c><c r="H7"><v>4</v></c></row>',
    );
    expect(rowXml(2, [EMPTY_BODY, numberBody(5)])).toBe('<row r="2"><c r="B2"><v>5</v></c></row>');
  });
});

describe('SheetCells', () => {
  it('writes as bytes what rowXml writes, cell by cell or in groups of consecutive cells, for row numbers of every length and gaps anywhere', () => {
    // 30 columns, one past Z to cross a column-letter boundary; texts with UTF-8 and XML's special characters.
    const pool = [numberBody(0, XLSX_STYLE.money4), numberBody('12.5000', XLSX_STYLE.money4), textBody('Größe <1>'), numberBody(42), EMPTY_BODY, EMPTY_BODY];
    const sink = new CollectSink(48);
    const cells = new SheetCells(30);
    cells.to(sink);
    let want = '';
    let seed = 7;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
    for (const rowNo of [1, 2, 9, 10, 99, 100, 12_345, 1_048_576, 777]) {
      const bodies = Array.from({ length: 30 }, () => pool[next() % pool.length]!);
      cells.byte(35); // '#' between rows: each row lands where the writing stood
      want += `#${rowXml(rowNo, bodies)}`;
      cells.row(rowNo);
      // columns 0–9 one by one, 10–19 as one group, 20–29 as groups of two
      for (let c = 0; c < 10; c++) if (bodies[c] !== EMPTY_BODY) cells.cell(c, cellBytes(bodies[c]!));
      new CellGroup(10, bodies.slice(10, 20)).write(cells);
      for (let c = 20; c < 30; c += 2) new CellGroup(c, bodies.slice(c, c + 2)).write(cells);
      cells.end();
    }
    cells.flush();
    expect(sink.text()).toBe(want);
  });
});

describe('CellGroup', () => {
  it('made once and written in many rows, writes each row\'s own references, across digit counts and back (a new sheet starts again at row 2)', () => {
    const bodies = [textBody('Größe <1>'), EMPTY_BODY, numberBody('0', XLSX_STYLE.money4), numberBody(42)];
    const group = new CellGroup(25, bodies);
    const other = new CellGroup(0, [numberBody(7), EMPTY_BODY]);
    const empty = new CellGroup(3, [EMPTY_BODY, EMPTY_BODY]);
    const sink = new CollectSink(64);
    const cells = new SheetCells(30);
    cells.to(sink);
    const full = () => [...Array<string>(25).fill(EMPTY_BODY), ...bodies];
    let want = '';
    for (const rowNo of [2, 3, 9, 10, 11, 99, 100, 1_048_576, 2, 2, 5, 123_456]) {
      const row = full();
      row[0] = numberBody(7);
      want += rowXml(rowNo, row);
      cells.row(rowNo);
      other.write(cells);
      empty.write(cells);
      group.write(cells);
      cells.end();
    }
    cells.flush();
    expect(sink.text()).toBe(want);
  });
});

describe('SheetCells value cells', () => {
  it('write integers, fixed-point decimals of every sign and scale and ASCII values as rowXml writes their bodies, across its buffer\'s spills', () => {
    const sink = new CollectSink(64);
    const cells = new SheetCells(30);
    cells.to(sink);
    const head = cellBytes(' s="2"><v>');
    const fixed: [number, number, string][] = [[-12_500, 3, '-12.500'], [0, 0, '0'], [7, 4, '0.0007'], [-1, 2, '-0.01'], [Number.MAX_SAFE_INTEGER, 4, '900719925474.0991'], [1_000_000, 0, '1000000']];
    let want = '';
    for (const rowNo of [2, 10, 1_048_576]) {
      cells.row(rowNo);
      cells.intCell(0, head, 0);
      cells.intCell(1, head, Number.MAX_SAFE_INTEGER);
      fixed.forEach(([units, scale], i) => cells.fixedCell(2 + i, head, units, scale));
      cells.asciiCell(27, head, '45996.25');
      cells.end();
      const bodies = [0, Number.MAX_SAFE_INTEGER, ...fixed.map(([, , text]) => text), ...Array<string>(19).fill(''), '45996.25'].map((v) => (v === '' ? EMPTY_BODY : numberBody(v, XLSX_STYLE.money4)));
      want += rowXml(rowNo, bodies);
    }
    cells.flush();
    expect(sink.text()).toBe(want);
  });
});

describe('XlsxWriter', () => {
  it('deflates a sheet of many buffers on several compressors into one valid entry: the rows as written, its CRC-32 and size right, every sheet', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stockbook-xlsx-writer-'));
    try {
      const file = join(dir, 'big.xlsx');
      const w = new XlsxWriter(file, { created: Date.UTC(2026, 0, 2) });
      const sheets: string[] = [];
      // ~5 MB of rows in the first sheet (several 1 MB buffers, so every compressor gets some), a little in the second.
      for (const [name, rows] of [['Big', 60_000], ['Small', 3]] as const) {
        await w.startSheet(name, [{ header: 'n', width: 8 }, { header: 'text', width: 20 }]);
        let xml = '';
        for (let r = 2; r <= rows + 1; r++) {
          const row = rowXml(r, [numberBody(r * 7919), textBody(`row ${r} Größe <${r % 97}> ${'x'.repeat(r % 40)}`)]);
          w.row(row);
          xml += row;
          if (r % 5_000 === 0) await w.drain();
          if (w.turnDue) await w.turn();
        }
        sheets.push(xml);
      }
      await w.finish();
      const entries = zipEntries(readFileSync(file));
      for (const [i, xml] of sheets.entries()) {
        const e = entries.get(`xl/worksheets/sheet${i + 1}.xml`)!;
        expect(e.data.length).toBe(e.size);
        expect(crc32(e.data) >>> 0).toBe(e.crc);
        const text = e.data.toString('utf8');
        expect(text.slice(text.indexOf('</row>') + 6, -'</sheetData></worksheet>'.length)).toBe(xml);
      }
      expect(sheets[0]!.length).toBeGreaterThan(4 << 20);
      for (const [name, e] of entries) expect(crc32(e.data) >>> 0, name).toBe(e.crc);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
