import { closeSync, openSync, writeSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { constants as zlibConstants, crc32, createDeflateRaw, type DeflateRaw } from 'node:zlib';
import { ByteSink } from './byte-sink';
import { Zip, ZipPassThrough, type AsyncFlateStreamHandler, type ZipInputFile } from 'fflate';

/**
 * A streaming .xlsx writer: the sheet XML is built as text by the caller (cell helpers below) and streamed through
 * fflate's Zip container, the sheet entry deflated by Node's native zlib; the file is written one ~1 MB write at a time.
 * Memory holds one chunk of rows and the shared strings (which callers use only for values of bounded sets: products,
 * sites, users, types; free text goes inline), so it stays flat whatever the row count.
 * Chosen by measurement over exceljs's streaming WorkbookWriter (13,480 rows/s on the movement export): see issue 15.
 */

/** A column: its header, width in characters and the number format of its cells (dates, money). */
export interface XlsxColumn {
  header: string;
  width: number;
  style?: XlsxStyle;
}

/** The cell styles of styles.xml, by cellXfs index (0 = General). */
export const XLSX_STYLE = { general: 0, dateTime: 1, money4: 2, money2: 3, header: 4 } as const;
export type XlsxStyle = (typeof XLSX_STYLE)[keyof typeof XLSX_STYLE];

const NUM_FMTS: [number, string][] = [
  [164, 'yyyy-mm-dd hh:mm:ss'],
  [165, '#,##0.0000'],
  [166, '#,##0.00'],
];

/** Excel's serial day number of a wall-clock instant (ms whose UTC fields read the wall time): days since 1899-12-30. */
export const excelSerial = (wallMs: number): number => wallMs / 86_400_000 + 25_569;

const XML_SPECIAL = /[&<>]/;
/** Characters XML 1.0 cannot hold (controls other than tab, line feed and carriage return; lone surrogates' halves are kept). */
// eslint-disable-next-line no-control-regex -- these are the control characters XML cannot hold
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;
const XML_INVALID_ALL = new RegExp(XML_INVALID.source, 'g');

/** Text for an XML text node: & < > escaped, characters XML cannot hold dropped. */
export function xmlText(s: string): string {
  const t = XML_INVALID.test(s) ? s.replace(XML_INVALID_ALL, '') : s;
  return XML_SPECIAL.test(t) ? t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : t;
}

/*
 * Cells are written as `<c r="B7"` + a body (what follows: attributes, value, `</c>`): every cell with its reference.
 * The schema makes a reference optional, and Excel, LibreOffice and openpyxl place a cell without one after the one
 * before it, but exceljs's streaming WorkbookReader fails on such a cell (it reads `r` unconditionally), and other
 * streaming readers do the same: a file a common library cannot read costs more than the ~30% of sheet XML the
 * references take (measured, issue 15: see the commit that put them back). An empty cell is left out.
 * The helpers below give bodies, so a body can be built once and reused for every row it repeats in.
 */

/** A number cell's body from a plain decimal text ("-12.500", "42"): the text is the value, exactly as the CSV writes it. */
export const numberBody = (decimalText: string | number, style: XlsxStyle = 0): string => (style ? ` s="${style}"><v>${decimalText}</v></c>` : `><v>${decimalText}</v></c>`);

/** A date-time cell's body for a wall-clock instant. */
export const dateBody = (wallMs: number): string => ` s="${XLSX_STYLE.dateTime}"><v>${excelSerial(wallMs)}</v></c>`;

/**
 * An inline text cell's body; null or empty is an empty cell. A text cell is never a formula, whatever it starts with
 * (= + - @), so a spreadsheet shows it as written: formula injection cannot happen through it.
 */
export function textBody(s: string | null | undefined): string {
  if (s === null || s === undefined || s === '') return EMPTY_BODY;
  return ` t="inlineStr"><is><t${edgeSpace(s)}>${xmlText(s)}</t></is></c>`;
}

/** A cell with no value: left out of a row. */
export const EMPTY_BODY = '/>';

const edgeSpace = (s: string) => (/^\s|\s$/.test(s) ? ' xml:space="preserve"' : '');

/** Column letters: A … Z, AA … (index 0 = A). */
export function columnName(i: number): string {
  let n = i + 1;
  let name = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    name = String.fromCharCode(65 + r) + name;
    n = Math.floor((n - 1) / 26);
  }
  return name;
}

/** A whole row from cell bodies in column order (1-based row number, as the sheet counts); EMPTY_BODY cells are left out. */
export function rowXml(rowNo: number, bodies: readonly string[]): string {
  let xml = `<row r="${rowNo}">`;
  for (let i = 0; i < bodies.length; i++) {
    const body = bodies[i]!;
    if (body !== EMPTY_BODY) xml += `<c r="${columnName(i)}${rowNo}"${body}`;
  }
  return `${xml}</row>`;
}

const ascii = (s: string) => Buffer.from(s, 'latin1');
const NO_BYTES = Buffer.alloc(0);
/** `<c r="B` of each column, made once (a CellGroup per document or batch would otherwise make its own). */
const CELL_REFS: string[] = [];
const cellRef = (col: number): string => (CELL_REFS[col] ??= `<c r="${columnName(col)}`);
const ROW_OPEN = ascii('<row r="');
const QUOTE_GT = ascii('">');
const ROW_END = ascii('</row>');

/**
 * A cell's body as SheetCells writes it, after the reference's row digits: the quote that closes the reference, then
 * the body (what `numberBody`, `textBody`… give, or the start of one whose value the caller writes next).
 */
export const cellBytes = (body: string): Buffer => Buffer.from(`"${body}`, 'utf8');

/** What ends a value cell: `</v></c>`. */
const VALUE_END = ascii('</v></c>');
/** Rows are built here and handed to the sheet 64 KB at a time (a buffer that stays in the CPU's cache). */
const CELLS_BYTES = 64 << 10;
const POW10 = Array.from({ length: 17 }, (_, i) => 10 ** i);

/**
 * Rows written as bytes into a sheet, as rowXml writes them: each cell is its column's `<c r="B`, the row's digits
 * (made once per row) and its body (cellBytes), and a value cell its value and `</v></c>` too, in one call with one
 * room check. Rows are built in SheetCells' own buffer, which goes to the sheet (`to`: XlsxWriter.out) when full and
 * on `flush` (before the caller waits for the compressor, and before a sheet ends).
 */
export class SheetCells extends ByteSink {
  /** `<c r="B` per column. */
  readonly refs: Buffer[];
  /** The current row's number as digits: one buffer per digit count, filled once per row. */
  rowDigits: Buffer = NO_BYTES;
  /** The current row's number (0 before the first). */
  rowNo = 0;
  private readonly digitsByLength = Array.from({ length: 17 }, (_, n) => Buffer.alloc(n));
  private target: ByteSink | null = null;

  constructor(columns: number) {
    super(CELLS_BYTES);
    this.refs = Array.from({ length: columns }, (_, i) => ascii(`<c r="${columnName(i)}`));
  }

  /** Where the rows go from now on (what was written before goes to the previous sink first). */
  to(sink: ByteSink): void {
    this.flush();
    this.target = sink;
  }

  /** Hands what is written so far to the sink. */
  flush(): void {
    if (this.used > 0) this.spill();
  }

  protected spill(): void {
    if (!this.target) throw new Error('rows before SheetCells.to');
    this.target.bytes(this.buf, this.used);
    this.used = 0;
  }

  /** Starts row `rowNo` (1-based): `<row r="7">`. */
  row(rowNo: number): void {
    let len = 0;
    for (let d = rowNo; d > 0; d = Math.floor(d / 10)) len++;
    const digits = this.digitsByLength[len]!;
    for (let d = rowNo, at = len - 1; at >= 0; d = Math.floor(d / 10), at--) digits[at] = 48 + (d % 10);
    this.rowDigits = digits;
    this.rowNo = rowNo;
    this.room(ROW_OPEN.length + len + QUOTE_GT.length);
    this.used = put(this.buf, put(this.buf, put(this.buf, this.used, ROW_OPEN), digits), QUOTE_GT);
  }

  /** The cell in column `col`: `<c r="B7`, then `body` (cellBytes: `"` and what follows the reference). */
  cell(col: number, body: Uint8Array): void {
    this.used = this.open(col, body, 0);
  }

  /** A number cell of a non-negative integer: `<c r="B7`, `head` (cellBytes ending `<v>`), its digits, `</v></c>`. */
  intCell(col: number, head: Uint8Array, n: number): void {
    const buf = this.buf;
    const at = putDigits(buf, this.open(col, head, 24), n, 0);
    this.used = put(buf, at, VALUE_END);
  }

  /** A number cell of an integer at a scale (0–15) as a fixed-point decimal ("-12.500"), as ByteSink.fixed writes it. */
  fixedCell(col: number, head: Uint8Array, units: number, scale: number): void {
    const buf = this.buf;
    let at = this.open(col, head, 48);
    if (units < 0) {
      buf[at++] = MINUS;
      units = -units;
    }
    if (scale === 0) at = putDigits(buf, at, units, 0);
    else {
      const div = POW10[scale]!;
      const r = units % div;
      at = putDigits(buf, at, (units - r) / div, 0);
      buf[at++] = DOT;
      at = putDigits(buf, at, r, scale);
    }
    this.used = put(buf, at, VALUE_END);
  }

  /** A number cell whose value is ASCII text (a date's serial as String() writes it). */
  asciiCell(col: number, head: Uint8Array, text: string): void {
    const n = text.length;
    const buf = this.buf;
    let at = this.open(col, head, n + VALUE_END.length);
    for (let i = 0; i < n; i++) buf[at++] = text.charCodeAt(i);
    this.used = put(buf, at, VALUE_END);
  }

  /** Ends the row: `</row>`. */
  end(): void {
    this.bytes(ROW_END);
  }

  /** Writes `<c r="B7` and `head` after room for them and `more` bytes; returns where the caller writes next. */
  private open(col: number, head: Uint8Array, more: number): number {
    const ref = this.refs[col]!;
    const digits = this.rowDigits;
    this.room(ref.length + digits.length + head.length + more);
    const buf = this.buf;
    return put(buf, put(buf, put(buf, this.used, ref), digits), head);
  }
}

const MINUS = 45;
const DOT = 46;

/** Copies `b` into `buf` at `at`; returns the end. Short pieces byte by byte (a TypedArray set's call costs more). */
function put(buf: Buffer, at: number, b: Uint8Array): number {
  const n = b.length;
  if (n < 24) for (let i = 0; i < n; i++) buf[at++] = b[i]!;
  else {
    buf.set(b, at);
    at += n;
  }
  return at;
}

/** A non-negative safe integer's digits at `at`, left-padded with zeros to `width`; returns the end. */
function putDigits(buf: Buffer, at: number, n: number, width: number): number {
  let len = 1;
  while (len < 16 && n >= POW10[len]!) len++;
  if (len < width) len = width;
  const end = at + len;
  for (let i = end - 1; i >= at; i--) {
    const q = Math.floor(n / 10);
    buf[i] = 48 + (n - q * 10);
    n = q;
  }
  return end;
}

/**
 * Cells of consecutive columns made once (a product's SKU and name, a document's type, reference and id; the on-cost
 * cells of a row without on-costs; empty ones left out), held as one stamp: their bytes with slots for the row's digits,
 * which are written into the slots when the row changes, so a group is one copy into the sink whatever its cells.
 * The stamp is made again when the row number's digit count changes (9 → 10, 99 → 100: a handful of times a sheet).
 */
export class CellGroup {
  private readonly refs: string[] = [];
  private readonly bodies: string[] = [];
  private stamp = NO_BYTES;
  /** Where each cell's row digits go in the stamp. */
  private readonly slots: number[] = [];
  /** The digit count the stamp is made for, and the row whose digits are in it. */
  private digitCount = -1;
  private rowNo = -1;

  /** The cells from column `col` on, as bodies (the helpers above; EMPTY_BODY for an empty cell). */
  constructor(col: number, bodies: readonly string[]) {
    for (let i = 0; i < bodies.length; i++) {
      if (bodies[i] === EMPTY_BODY) continue;
      this.refs.push(cellRef(col + i));
      this.bodies.push(`"${bodies[i]!}`);
    }
  }

  write(cells: SheetCells): void {
    const n = this.refs.length;
    if (n === 0) return;
    const digits = cells.rowDigits;
    const len = digits.length;
    if (len !== this.digitCount) this.make(len);
    if (cells.rowNo !== this.rowNo) {
      this.rowNo = cells.rowNo;
      const stamp = this.stamp;
      const slots = this.slots;
      for (let i = 0; i < n; i++) for (let at = slots[i]!, d = 0; d < len; d++) stamp[at++] = digits[d]!;
    }
    cells.bytes(this.stamp);
  }

  /** The stamp for row numbers of `len` digits (the digits themselves are written by `write`). */
  private make(len: number): void {
    let size = 0;
    for (let i = 0; i < this.refs.length; i++) size += this.refs[i]!.length + len + Buffer.byteLength(this.bodies[i]!, 'utf8');
    // Every byte is written below or by `write` before the stamp is copied; allocUnsafe takes small ones from Node's pool.
    const stamp = Buffer.allocUnsafe(size);
    let at = 0;
    for (let i = 0; i < this.refs.length; i++) {
      at += stamp.write(this.refs[i]!, at, 'latin1');
      this.slots[i] = at;
      at += len;
      at += stamp.write(this.bodies[i]!, at, 'utf8');
    }
    this.stamp = stamp;
    this.digitCount = len;
    this.rowNo = -1;
  }
}

export interface XlsxWriterOptions {
  /** zlib level of the sheet entries (1: fastest, the file ~6× smaller than the XML). */
  level?: number;
  creator?: string;
  /** When the workbook was made (ms; default now): its creation time and every zip entry's time, so a file can be made again byte for byte. */
  created?: number;
}

/** Sheet XML bytes encoded before they go to the compressor. */
const BUFFER_BYTES = 1 << 20;
/**
 * Sheet XML the compressor may hold not yet deflated before the row writer waits for it (NativeDeflateFile.drain), and
 * what it waits down to: half of it, so the compressor still has buffers to deflate when the writer goes on.
 */
const LAG_BYTES = 8 << 20;
const RESUME_BYTES = LAG_BYTES >> 1;
/** Output bytes gathered before one fs write. */
const WRITE_BYTES = 1 << 20;

export class XlsxWriter {
  private readonly fd: number;
  private readonly zip: Zip;
  private readonly pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private failure: Error | null = null;
  private done: Promise<void>;
  private resolveDone!: () => void;
  private readonly sheets: string[] = [];
  private sheet: NativeDeflateFile | null = null;
  private readonly strings = new Map<string, number>();
  private readonly stringList: string[] = [];
  private closed = false;
  private readonly created: number;

  constructor(
    file: string,
    private readonly options: XlsxWriterOptions = {},
  ) {
    this.created = options.created ?? Date.now();
    this.fd = openSync(file, 'w');
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    this.zip = new Zip((err, chunk, final) => {
      if (err) {
        this.failure = err;
        return;
      }
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      if (this.pendingBytes >= WRITE_BYTES || final) this.flush();
      if (final) this.resolveDone();
    });
  }

  /** Index of a text in the shared strings (for values of bounded sets only: every distinct one stays in memory). */
  shared(s: string): number {
    let i = this.strings.get(s);
    if (i === undefined) {
      i = this.stringList.length;
      this.strings.set(s, i);
      this.stringList.push(s);
    }
    return i;
  }

  /** A shared-string cell's body; null or empty is an empty cell. */
  sharedBody(s: string | null | undefined): string {
    return s === null || s === undefined || s === '' ? EMPTY_BODY : ` t="s"><v>${this.shared(s)}</v></c>`;
  }

  /** Starts a sheet (ending the previous one): frozen header row in bold, column widths, then rows by `rows()`. */
  async startSheet(name: string, columns: readonly XlsxColumn[]): Promise<void> {
    await this.endSheet();
    this.sheets.push(name);
    const file = new NativeDeflateFile(`xl/worksheets/sheet${this.sheets.length}.xml`, this.options.level ?? 1, this.created);
    this.zip.add(file);
    this.sheet = file;
    const cols = columns.map((c, i) => `<col min="${i + 1}" max="${i + 1}" width="${c.width}" customWidth="1"${c.style ? ` style="${c.style}"` : ''}/>`).join('');
    file.write(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
        `<worksheet xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">` +
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>' +
        `<sheetFormatPr defaultRowHeight="15"/><cols>${cols}</cols><sheetData>` +
        rowXml(1, columns.map((c) => ` s="${XLSX_STYLE.header}" t="inlineStr"><is><t>${xmlText(c.header)}</t></is></c>`)),
    );
    await file.drain();
  }

  /**
   * Appends one row's XML (rowXml, or the caller's own as rowXml writes it), encoded straight into the sheet's output
   * buffer: no string grows beyond a row.
   */
  row(xml: string): void {
    this.out.write(xml);
  }

  /** The current sheet's output, to write rows into as bytes (SheetCells, or rows as `row()` takes them). */
  get out(): ByteSink {
    if (!this.sheet) throw new Error('row before startSheet');
    return this.sheet;
  }

  /** Waits while the compressor is behind (call between chunks of rows); throws what the compressor or zip failed with. */
  async drain(): Promise<void> {
    this.check();
    await this.sheet?.drain();
  }

  /**
   * True when a full buffer of sheet XML went to the compressor since the last `turn`: the compressor takes its next
   * buffer only in a callback on this thread, so a row loop that never returns to the event loop leaves it idle.
   */
  get turnDue(): boolean {
    return this.sheet !== null && this.sheet.handed;
  }

  /** Returns to the event loop once, so the compressor's callbacks run and it starts on the buffers handed to it. */
  async turn(): Promise<void> {
    if (this.sheet) this.sheet.handed = false;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  private async endSheet(): Promise<void> {
    if (!this.sheet) return;
    const s = this.sheet;
    this.sheet = null;
    await s.end('</sheetData></worksheet>');
  }

  /** Ends the last sheet and writes the workbook's other parts and the zip directory; closes the file. */
  async finish(): Promise<void> {
    await this.endSheet();
    const parts: [string, string][] = [
      ['[Content_Types].xml', contentTypes(this.sheets.length, this.stringList.length > 0)],
      ['_rels/.rels', ROOT_RELS],
      ['docProps/core.xml', coreProps(this.options.creator ?? 'Stockbook', this.created)],
      ['xl/workbook.xml', workbook(this.sheets)],
      ['xl/_rels/workbook.xml.rels', workbookRels(this.sheets.length, this.stringList.length > 0)],
      ['xl/styles.xml', STYLES],
    ];
    if (this.stringList.length > 0) parts.push(['xl/sharedStrings.xml', sharedStrings(this.stringList)]);
    for (const [name, text] of parts) {
      const f = new ZipPassThrough(name);
      f.mtime = this.created;
      this.zip.add(f);
      f.push(Buffer.from(text, 'utf8'), true);
    }
    this.zip.end();
    await this.done;
    this.check();
    this.close();
  }

  /** Closes the file without finishing it (a cancel or failure; the caller removes the part file). */
  abort(): void {
    this.sheet?.destroy();
    this.close();
  }

  private check(): void {
    const e = this.failure ?? this.sheet?.failure;
    if (e) throw e;
  }

  private flush(): void {
    if (this.pendingBytes === 0) return;
    const buf = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    for (let off = 0; off < buf.length; ) off += writeSync(this.fd, buf, off, buf.length - off);
    this.pending.length = 0;
    this.pendingBytes = 0;
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}

/** An empty last block (fixed codes: BFINAL set, end-of-block), which ends a deflate stream after a flush. */
const LAST_EMPTY_BLOCK = Uint8Array.of(0x03, 0x00);
/** Compressors a sheet deflates its buffers on at once (zlib's thread pool has 4 threads; one core builds the rows). */
const DEFLATE_STREAMS = Math.max(2, Math.min(3, availableParallelism()));

/**
 * One of a sheet's compressors: a raw deflate stream whose every write ends with a full flush, so the output of each
 * buffer written to it is whole bytes that refer to nothing before them (deflate blocks, then an empty stored block).
 * Its output is held until NativeDeflateFile passes it on in the sheet's order.
 */
class DeflateSlot {
  readonly z: DeflateRaw;
  /** Output received and not yet passed on, oldest first. */
  private readonly chunks: Buffer[] = [];
  /** Output bytes received ('data') and passed on so far. */
  received = 0;
  private passed = 0;
  /** Where the output of each buffer written ends in this slot's output, oldest first. */
  readonly ends: number[] = [];

  constructor(level: number, onData: () => void) {
    this.z = createDeflateRaw({ level, flush: zlibConstants.Z_FULL_FLUSH, chunkSize: 256 * 1024 });
    this.z.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.received += chunk.length;
      onData();
    });
  }

  /** The buffer just written is deflated: its output ends after what was received and what is still in the stream. */
  written(): void {
    this.ends.push(this.received + this.z.readableLength);
  }

  /** Passes on the oldest buffer's output when all of it is here; false when it is not (yet). */
  pass(emit: (b: Buffer) => void): boolean {
    const end = this.ends[0];
    if (end === undefined || this.received < end) return false;
    this.ends.shift();
    while (this.passed < end) {
      const c = this.chunks[0]!;
      const n = Math.min(c.length, end - this.passed);
      if (n === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(n);
      emit(n === c.length ? c : c.subarray(0, n));
      this.passed += n;
    }
    return true;
  }
}

/**
 * A zip entry deflated by Node's native zlib (several times fflate's pure-JS deflate here) on several of its threads at
 * once; rows are written into it as bytes (ByteSink), each full ~1 MB buffer handed to the next of DEFLATE_STREAMS
 * compressors in turn. Each buffer's output ends with a full flush (whole bytes, no reference to earlier data), so the
 * outputs, passed on in the buffers' order and ended by an empty last block, are one deflate stream, as pigz makes
 * them. One compressor was the export's bottleneck whenever it got less than a core: the row writer waited for it
 * (24% of wall, issue 15). The entry's CRC-32 is worked out on this thread as each buffer is handed on (zlib.crc32,
 * ~0.2 ms a MB).
 */
class NativeDeflateFile extends ByteSink implements ZipInputFile {
  size = 0;
  crc = 0;
  readonly compression = 8;
  ondata?: AsyncFlateStreamHandler;
  failure: Error | null = null;
  /** A buffer went to a compressor since the writer's last turn (XlsxWriter.turnDue). */
  handed = false;
  private readonly slots: DeflateSlot[];
  /** Buffers handed to the compressors so far, and whose output was passed on to the zip. */
  private handedCount = 0;
  private passedCount = 0;
  /** Bytes handed to the compressors and not yet deflated. */
  private inFlight = 0;
  /** The writer waiting in `drain`, woken when `inFlight` is down to RESUME_BYTES (or a compressor fails). */
  private waiter: (() => void) | null = null;
  /** `end` waiting for the last output, and failing when a compressor does. */
  private finished: { resolve: () => void; reject: (e: Error) => void } | null = null;
  /** Buffers the compressors are done with, to fill again. */
  private readonly free: Buffer[] = [];

  constructor(
    readonly filename: string,
    level: number,
    readonly mtime: number,
  ) {
    super(BUFFER_BYTES);
    this.slots = Array.from({ length: DEFLATE_STREAMS }, () => new DeflateSlot(level, () => this.pump()));
    for (const s of this.slots) s.z.on('error', (e) => this.fail(e));
  }

  /**
   * Waits for the compressors only when they hold more than LAG_BYTES not yet deflated, and then only until they are
   * down to RESUME_BYTES, not empty: they go on deflating on zlib's threads while the caller reads and writes the next
   * rows. Memory stays bounded by LAG_BYTES and a buffer.
   */
  async drain(): Promise<void> {
    if (this.inFlight > LAG_BYTES && !this.failure) await new Promise<void>((resolve) => (this.waiter = resolve));
  }

  /** Passes on to the zip, in the sheet's order, the outputs of the buffers that are deflated; ends the entry after the last. */
  private pump(): void {
    while (this.passedCount < this.handedCount && this.slots[this.passedCount % DEFLATE_STREAMS]!.pass((b) => this.emit(b, false))) this.passedCount++;
    if (this.finished && this.passedCount === this.handedCount) {
      const f = this.finished;
      this.finished = null;
      this.emit(Buffer.from(LAST_EMPTY_BLOCK), true);
      for (const s of this.slots) s.z.close();
      f.resolve();
    }
  }

  private emit(b: Buffer, final: boolean): void {
    this.ondata!(null, new Uint8Array(b.buffer as ArrayBuffer, b.byteOffset, b.length), final);
  }

  private fail(e: Error): void {
    this.failure ??= e;
    this.wake();
    const f = this.finished;
    this.finished = null;
    f?.reject(this.failure);
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }

  async end(text: string): Promise<void> {
    this.write(text);
    if (this.used > 0) this.spill();
    if (this.failure) throw this.failure;
    await new Promise<void>((resolve, reject) => {
      this.finished = { resolve, reject };
      this.pump();
    });
  }

  /**
   * The full buffer goes to the next compressor (which holds it until deflated), a free one takes its place: buffers come
   * back to `free` once deflated, so a sheet uses the same ~LAG_BYTES of them throughout (a fresh 1 MB buffer per spill
   * cost its page faults and the garbage collections its external memory set off, measured: issue 15).
   */
  protected spill(): void {
    const full = this.buf;
    const bytes = full.subarray(0, this.used);
    this.buf = this.free.pop() ?? Buffer.allocUnsafe(BUFFER_BYTES);
    this.used = 0;
    this.size += bytes.length;
    this.crc = crc32(bytes, this.crc);
    this.inFlight += bytes.length;
    this.handed = true;
    const slot = this.slots[this.handedCount++ % DEFLATE_STREAMS]!;
    slot.z.write(bytes, (e) => {
      if (e) return this.fail(e);
      slot.written();
      this.inFlight -= bytes.length;
      if (full.length === BUFFER_BYTES) this.free.push(full);
      this.pump();
      if (this.inFlight <= RESUME_BYTES) this.wake();
    });
  }

  destroy(): void {
    for (const s of this.slots) s.z.destroy();
  }

  terminate(): void {
    this.destroy();
  }
}

const NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const NS_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

function contentTypes(sheets: number, strings: boolean): string {
  const ws = Array.from({ length: sheets }, (_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('');
  return (
    `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
    `${ws}<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
    (strings ? '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>' : '') +
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>'
  );
}

const ROOT_RELS =
  `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>' +
  '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>';

function coreProps(creator: string, created: number): string {
  const now = new Date(created).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return (
    `${XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" ` +
    'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:creator>${xmlText(creator)}</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">${now}</dcterms:created></cp:coreProperties>`
  );
}

function workbook(sheets: readonly string[]): string {
  const list = sheets.map((name, i) => `<sheet name="${xmlText(name).replace(/"/g, '&quot;')}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('');
  return `${XML_HEAD}<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_REL}"><bookViews><workbookView/></bookViews><sheets>${list}</sheets></workbook>`;
}

function workbookRels(sheets: number, strings: boolean): string {
  const ws = Array.from({ length: sheets }, (_, i) => `<Relationship Id="rId${i + 1}" Type="${NS_REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('');
  return (
    `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${ws}` +
    `<Relationship Id="rId${sheets + 1}" Type="${NS_REL}/styles" Target="styles.xml"/>` +
    (strings ? `<Relationship Id="rId${sheets + 2}" Type="${NS_REL}/sharedStrings" Target="sharedStrings.xml"/>` : '') +
    '</Relationships>'
  );
}

/** General, date-time, money to 4 and to 2 decimals, bold header: the cellXfs order of XLSX_STYLE. */
const STYLES =
  `${XML_HEAD}<styleSheet xmlns="${NS_MAIN}">` +
  `<numFmts count="${NUM_FMTS.length}">${NUM_FMTS.map(([id, code]) => `<numFmt numFmtId="${id}" formatCode="${code}"/>`).join('')}</numFmts>` +
  '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
  '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>' +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>';

function sharedStrings(list: readonly string[]): string {
  const items = list.map((s) => `<si><t${edgeSpace(s)}>${xmlText(s)}</t></si>`).join('');
  return `${XML_HEAD}<sst xmlns="${NS_MAIN}" count="${list.length}" uniqueCount="${list.length}">${items}</sst>`;
}
