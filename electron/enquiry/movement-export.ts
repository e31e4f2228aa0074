import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../shared/contract/errors';
import type { MovementCursor } from '../../shared/enquiry';
import { MONEY_SCALE, movementValue } from '../../shared/quantity';
import { csvLine, csvNumber, csvText, type CsvSeparator } from '../../shared/csv';
import { ON_COST_LABELS, ON_COSTS } from '../../shared/domain';
import { noteForReader } from '../../shared/counts';
import { localClock } from '../../shared/local-time';
import type { EntityRecord } from '../ledger/entities/columns';
import type { ProductEntity } from '../ledger/entities/product.entities';
import { typeName } from './movement-query';
import { emptyLeanMovement, LEAN, leanProductId, LeanReader, leanSiteId, onCostsOfKey, type LeanMovement } from './movement-export-store';
import type { ExportLookups, LeanRow, MovementExportSource } from './movement-export-source';
import { memo, memoId } from './export-memo';
import { plural } from '../../shared/plural';
import { BufferedFile } from '../exports/buffered-file';
import type { ByteSink } from '../exports/byte-sink';
import { CellGroup, cellBytes, EMPTY_BODY, excelSerial, numberBody, SheetCells, textBody, XLSX_STYLE, XlsxWriter, type XlsxColumn, type XlsxStyle, type XlsxWriterOptions } from '../exports/xlsx-writer';

const DAY_MS = 86_400_000;

/** Rows per keyset chunk: memory holds one chunk whatever the row count. */
export const EXPORT_CHUNK = 5_000;

/**
 * The export's columns. The two times are local wall-clock times in the business time zone, which the headers name
 * ("Occurred at (Europe/London)"): a spreadsheet date has no zone, so the file says which one its dates are in.
 * Backdated is "yes" when the movement is effective on an earlier business day than it was recorded (shared/backdated.ts);
 * the two balances are the product's stock at the site after the movement in recording order (the ledger's
 * balance_after) and in effective order (the stock on that date).
 */
export function exportHeader(timeZone: string): string[] {
  return EXPORT_HEADER.map((h, i) => (i === 1 || i === 2 ? `${h} (${timeZone})` : h));
}

const EXPORT_HEADER = [
  'Seq', 'Occurred at', 'Recorded at', 'Backdated', 'SKU', 'Product', 'Site', 'Bin', 'Movement type', 'Type code', 'Quantity',
  'Balance (as recorded)', 'Balance on that date', 'Unit', 'Batch', 'Expiry', 'Serial', 'Unit cost', 'Value', 'Cost source', 'Source document',
  'Source reference', 'Document id', 'Line', 'Note', 'User', 'Reversal of',
  // On-costs per unit (money per display unit, like Unit cost), then their value for the movement's quantity.
  ...ON_COSTS.map((k) => `${ON_COST_LABELS[k]} / unit`), 'On-cost value',
];

/** Divisors of the scales products and money use (0–4 decimals). */
const DIVS = [1, 10, 100, 1000, 10_000];
/** FRACTIONS[scale][r]: "." and r in `scale` digits (the fraction part of a decimal, from a table instead of padStart per cell). */
const FRACTIONS = DIVS.map((div, scale) => (scale === 0 ? [] : Array.from({ length: div }, (_, r) => `.${String(r).padStart(scale, '0')}`)));

/** Fixed-point decimal text of an integer at a scale: (-12500, 3) → "-12.500". No grouping, so spreadsheets parse it. */
export function decimal(units: number, scale: number): string {
  if (scale === 0) return String(units);
  if (scale <= 4) {
    const div = DIVS[scale]!;
    // % and the division of an exact multiple are exact on safe integers (a float floor() is not near 2^53).
    if (units >= 0) {
      const r = units % div;
      return `${(units - r) / div}${FRACTIONS[scale]![r]}`;
    }
    const r = -units % div;
    return `-${(-units - r) / div}${FRACTIONS[scale]![r]}`;
  }
  const sign = units < 0 ? '-' : '';
  const abs = Math.abs(units);
  const div = 10 ** scale;
  return `${sign}${Math.floor(abs / div)}.${String(abs % div).padStart(scale, '0')}`;
}

const OC_COUNT = ON_COSTS.length;

/** Σ movementValue(qty, on-cost, scale) over a movement's on-costs: its on-cost value. */
function onCostValue(onCosts: readonly number[], qty: number, scale: number): number {
  let v = 0;
  for (let j = 0; j < onCosts.length; j++) {
    const oc = onCosts[j]!;
    if (oc !== 0) v += movementValue(qty, oc, scale);
  }
  return v;
}

export interface ExportProgress {
  done: number;
  total: number;
  phase: string;
}

/** Rows of a chunk and, at the same index, each one's balance on that date. */
interface Chunk {
  rows: LeanRow[];
  onDate: number[];
}

/**
 * The filtered movements, oldest first, in keyset chunks of EXPORT_CHUNK, each one ordered read of the rows themselves
 * (MovementQuery.rows), with the names of their documents and batches read for the chunk at once (`k.loadChunk`).
 * Awaits between chunks; stops with CANCELLED at a chunk boundary when the signal aborts.
 */
async function* movementChunks(source: MovementExportSource, signal: AbortSignal): AsyncGenerator<Chunk> {
  const { total, lookups: k } = source;
  const balances = chunkBalances(source);
  let cursor: MovementCursor | undefined;
  let done = 0;
  for (;;) {
    if (signal.aborted) throw new AppError('CANCELLED', `The export was cancelled after ${done.toLocaleString('en-GB')} of ${plural(total, 'row')}; no file was left behind.`);
    const rows = await source.rows(EXPORT_CHUNK, cursor);
    if (rows.length === 0) return;
    done += rows.length;
    await k.loadChunk(rows);
    yield { rows, onDate: await balances(rows) };
    if (rows.length < EXPORT_CHUNK) return;
    const last = rows[rows.length - 1]!;
    cursor = { occurredAt: last[LEAN.occurredAt] as number, seq: last[LEAN.seq] as number };
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Balances on that date of consecutive ascending chunks. When the filter keeps whole histories, a product/site's
 * balance is read from the ledger (BalanceOnDateStore) for the chunk it first appears in and then runs on in memory;
 * otherwise each chunk asks the store, which continues from the previous chunk's rows where it can.
 */
function chunkBalances(source: MovementExportSource): (rows: LeanRow[]) => Promise<number[]> {
  const keyRow = (r: LeanRow) => ({ seq: r[LEAN.seq] as number, productId: leanProductId(r), siteId: leanSiteId(r), occurredAt: r[LEAN.occurredAt] as number, qty: r[LEAN.qty] as number });
  if (source.histories === 'partial') {
    return async (rows) => {
      const bySeq = await source.balances(rows.map(keyRow), false);
      return rows.map((r) => bySeq.get(r[LEAN.seq] as number)!);
    };
  }
  /** Running balance by site, then product: small-integer keys (one key of both, product × 2^20 + site, is a heap number per row). */
  const running = new Map<number, Map<number, number>>();
  const ofSite = (r: LeanRow) => {
    const site = leanSiteId(r);
    let m = running.get(site);
    if (m === undefined) running.set(site, (m = new Map()));
    return m;
  };
  if (source.histories === 'whole') {
    // Every product/site's history from its first movement on: each starts from zero, no SQL.
    return async (rows) => {
      const onDate = new Array<number>(rows.length);
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i]!;
        const m = ofSite(r);
        const p = leanProductId(r);
        const b = (m.get(p) ?? 0) + (r[LEAN.qty] as number);
        m.set(p, b);
        onDate[i] = b;
      }
      return onDate;
    };
  }
  return async (rows) => {
    const onDate = new Array<number>(rows.length);
    /** The product/sites first seen in this chunk (product × 2^20 + site: once per chunk, not per row). */
    const fresh = new Set<number>();
    const first: LeanRow[] = [];
    const isFresh = (r: LeanRow) => fresh.size > 0 && fresh.has(leanProductId(r) * 1_048_576 + leanSiteId(r));
    for (const r of rows) {
      if (isFresh(r) || !ofSite(r).has(leanProductId(r))) {
        fresh.add(leanProductId(r) * 1_048_576 + leanSiteId(r));
        first.push(r);
      }
    }
    const fromLedger = first.length ? await source.balances(first.map(keyRow), false) : null;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      const m = ofSite(r);
      const p = leanProductId(r);
      if (fromLedger && isFresh(r)) {
        onDate[i] = fromLedger.get(r[LEAN.seq] as number)!;
        m.set(p, onDate[i]!);
      } else {
        const b = m.get(p)! + (r[LEAN.qty] as number);
        m.set(p, b);
        onDate[i] = b;
      }
    }
    return onDate;
  };
}

/**
 * A movement row unpacked once for both writers (CSV and XLSX): its columns (LeanMovement), the product's scale, the
 * two times as local wall times in the business time zone, whether it is backdated, and its value and on-cost value.
 * One object is reused for every row (`decode` fills it), so unpacking allocates nothing but the rare JSON arrays.
 */
export interface ExportRow extends LeanMovement, Pick<EntityRecord<typeof ProductEntity>, 'scale'>, ExportFigures {}

/** What `decode` works out for an ExportRow: none of it is read from a table. */
interface ExportFigures {
  /** the product's stock at the site on that date (effective order) */
  onDate: number;
  /** occurred_at and recorded_at as local wall times (ms whose UTC fields read the wall time) */
  occurredWall: number;
  recordedWall: number;
  /** isBackdated (shared/backdated.ts): effective on an earlier local day than recorded */
  backdated: boolean;
  /** qty × unit cost, in money units */
  value: number;
  /** Σ of the on-costs' values for the quantity (0 when none) */
  onCostValue: number;
}

/** Unpacks rows into one reused ExportRow: see ExportRow. */
function rowDecoder(k: ExportLookups, timeZone: string): (r: LeanRow, onDate: number) => ExportRow {
  const occClock = localClock(timeZone);
  const recClock = localClock(timeZone);
  const reader = new LeanReader();
  const m: ExportRow = { ...emptyLeanMovement(), scale: 0, onDate: 0, occurredWall: 0, recordedWall: 0, backdated: false, value: 0, onCostValue: 0 };
  return (r, onDate) => {
    reader.read(r, m);
    const scale = k.product(m.productId).scale;
    const occ = m.occurredAt;
    const rec = m.recordedAt;
    const occWall = occClock.wall(occ);
    const recWall = recClock.wall(rec);
    m.scale = scale;
    m.onDate = onDate;
    m.occurredWall = occWall;
    m.recordedWall = recWall;
    m.backdated = occ < rec && Math.floor(occWall / DAY_MS) < Math.floor(recWall / DAY_MS);
    m.value = movementValue(m.qty, m.unitCost, scale);
    m.onCostValue = m.hasOnCosts ? onCostValue(m.onCosts, m.qty, scale) : 0;
    return m;
  };
}

/** The bytes of a text. */
const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');
const COMMA = 44;
const DOT = 46;

/**
 * Local date-times as "2026-11-02 05:30:00" bytes: "YYYY-MM-DD " made once per day (rows come in time order, so the
 * last day's bytes usually hold for the next row), the time of day as digits, then the byte `then` (a comma).
 */
function wallTimeWriter(): (out: ByteSink, wall: number, then: number) => void {
  const dayText = memo((day: number) => Buffer.from(`${new Date(day * DAY_MS).toISOString().slice(0, 10)} `, 'latin1'), 10_000);
  let day = NaN;
  let prefix = Buffer.alloc(0);
  return (out, wall, then) => {
    const d = Math.floor(wall / DAY_MS);
    if (d !== day) {
      day = d;
      prefix = dayText(d);
    }
    out.bytes(prefix);
    out.timeOfDay(Math.floor((wall - d * DAY_MS) / 1000), then);
  };
}

/** The last key's value: rows of a document (its lines) and of a type come in runs, so one comparison usually answers. */
function lastOf<K, V>(make: (k: K) => V): (k: K) => V {
  let key: K | undefined;
  let value: V = undefined as V;
  return (k) => {
    if (k !== key) {
      key = k;
      value = make(k);
    }
    return value;
  };
}

/**
 * CSV lines for a chunk, written piece by piece into the file's buffer (no string per row): texts that repeat as bytes
 * made once, numbers as digits; times as local "2026-11-02 05:30:00" in the business time zone. Fields are separated by
 * `separator`; in a ';' file (a decimal-comma company's) decimals are written with a comma, as spreadsheets there read them.
 */
function csvWriter(k: ExportLookups, timeZone: string, out: BufferedFile, separator: CsvSeparator): (chunk: Chunk) => void {
  const decode = rowDecoder(k, timeZone);
  const occTime = wallTimeWriter();
  const recTime = wallTimeWriter();
  const SEP = separator.charCodeAt(0);
  const POINT = separator === ';' ? COMMA : DOT;
  const text = (t: string | null | undefined) => `${csvText(t, separator)}${separator}`;
  // Texts that repeat, CSV-escaped once, each with the separator after it, and joined with the columns that usually
  // follow them, so a row is a few copies: "no,SKU,Name," of a product (backdated rows write "yes," then "SKU,Name,"); a
  // bin's "Site,Bin," (a row without a bin: its site's "Site,,"); its unit, with the empty batch, expiry and serial
  // after it when the row has none; a user's name with the empty reversal and on-costs after it when the row has
  // none; type, batch; a cost source with the document of its run of lines (documents seldom come back, so they are
  // not held beyond it).
  const productText = memoId((id) => utf8(text(k.product(id).sku) + text(k.product(id).name)));
  const notBackdatedProductText = memoId((id) => utf8(`no${separator}${text(k.product(id).sku)}${text(k.product(id).name)}`));
  const unitText = memoId((id) => utf8(text(k.product(id).unit)));
  const unitNoBatchText = memoId((id) => utf8(text(k.product(id).unit) + separator.repeat(3)));
  const siteNoBinText = memoId((id) => utf8(text(k.site(id).code) + separator));
  /** "Site,Bin," by bin, made again when a bin's row is at another site than its last one (a bin is at one site). */
  const placeSite: number[] = [];
  const placeBytes: Buffer[] = [];
  const placeText = (site: number, bin: number): Buffer => {
    if (bin > 1_000_000) return utf8(text(k.site(site).code) + text(k.bin(bin).code));
    if (placeSite[bin] !== site) {
      placeSite[bin] = site;
      placeBytes[bin] = utf8(text(k.site(site).code) + text(k.bin(bin).code));
    }
    return placeBytes[bin]!;
  };
  const userText = memoId((id) => utf8(text(k.user(id).name)));
  const userNoTailText = memoId((id) => Buffer.concat([utf8(text(k.user(id).name) + separator), NO_ON_COSTS]));
  const typeText = lastOf(memo((code: string) => utf8(text(typeName(code)) + text(code))));
  let runDocument = NaN;
  let runSource = '';
  let runBytes: Buffer = Buffer.alloc(0);
  /** "Source,Type,Reference,Id," of a row: made again when the document or the cost source differs from the last row's. */
  const sourceDocumentText = (source: string, id: number) => {
    if (id !== runDocument || source !== runSource) {
      runDocument = id;
      runSource = source;
      runBytes = utf8(`${text(source)}${text(k.document(id).type)}${text(k.document(id).reference)}${id}${separator}`);
    }
    return runBytes;
  };
  const batchText = memoId((id) => utf8(text(k.batch(id).code) + text(k.batch(id).expiry)), 100_000);
  const YES = utf8(`yes${separator}`);
  const zero4 = `0${String.fromCharCode(POINT)}0000`;
  const ZERO4 = utf8(zero4 + separator);
  const EOL = utf8('\r\n');
  /** A row's on-cost columns and value when it has none: "0.0000," per on-cost, "0.0000" and the line end. */
  const NO_ON_COSTS = utf8(`${(zero4 + separator).repeat(OC_COUNT)}${zero4}\r\n`);
  /** The on-cost columns of rows with on-costs, each followed by its separator, made once per distinct on-costs. */
  const onCostsText = memo((key: string) => utf8(onCostsOfKey(key).map((v) => csvNumber(decimal(v, 4), separator) + separator).join('')), 5_000);
  const money = (v: number) => {
    if (v === 0) out.bytes(ZERO4);
    else out.fixed(v, 4, SEP, POINT);
  };
  return ({ rows, onDate }) => {
    for (let i = 0; i < rows.length; i++) {
      const m = decode(rows[i]!, onDate[i]!);
      const scale = m.scale;
      out.int(m.seq, SEP);
      occTime(out, m.occurredWall, SEP);
      recTime(out, m.recordedWall, SEP);
      if (m.backdated) {
        out.bytes(YES);
        out.bytes(productText(m.productId));
      } else out.bytes(notBackdatedProductText(m.productId));
      out.bytes(m.binId === null ? siteNoBinText(m.siteId) : placeText(m.siteId, m.binId));
      out.bytes(typeText(m.type));
      out.fixed(m.qty, scale, SEP, POINT);
      out.fixed(m.balanceAfter, scale, SEP, POINT);
      out.fixed(m.onDate, scale, SEP, POINT);
      if (m.batchId === null && m.serialId === null) out.bytes(unitNoBatchText(m.productId));
      else {
        out.bytes(unitText(m.productId));
        if (m.batchId === null) {
          out.byte(SEP);
          out.byte(SEP);
        } else out.bytes(batchText(m.batchId));
        if (m.serialId !== null) out.write(csvText(k.serial(m.serialId).serial, separator));
        out.byte(SEP);
      }
      money(m.unitCost);
      money(m.value);
      out.bytes(sourceDocumentText(m.costSource, m.documentId));
      out.int(m.lineNo, SEP);
      if (m.note !== null) out.write(csvText(noteForReader(m.note)!, separator));
      out.byte(SEP);
      if (m.reversalOf === null && !m.hasOnCosts) out.bytes(userNoTailText(m.userId));
      else {
        out.bytes(userText(m.userId));
        if (m.reversalOf !== null) out.int(m.reversalOf);
        out.byte(SEP);
        if (!m.hasOnCosts) out.bytes(NO_ON_COSTS);
        else {
          out.bytes(onCostsText(m.onCostsKey!));
          out.fixed(m.onCostValue, 4, -1, POINT);
          out.bytes(EOL);
        }
      }
    }
  };
}

/** Writes to `<file>.part` and renames when complete, so a cancel or failure leaves no half file. */
export async function writeAtomically(file: string, write: (part: string) => Promise<number>): Promise<number> {
  mkdirSync(join(file, '..'), { recursive: true });
  const part = `${file}.part`;
  try {
    const n = await write(part);
    renameSync(part, file);
    return n;
  } catch (e) {
    rmSync(part, { force: true });
    throw e;
  }
}

/**
 * Streams the source's movements, oldest first, to a CSV file (UTF-8 with BOM, CRLF, formulas neutralised) in keyset
 * chunks through a ~1 MB write buffer, memory flat whatever the row count.
 */
export async function writeMovementsCsv(
  source: MovementExportSource,
  file: string,
  signal: AbortSignal,
  progress: (p: ExportProgress) => void,
  timeZone: string,
  separator: CsvSeparator = ',',
): Promise<number> {
  if (MONEY_SCALE !== 10_000) throw new Error('export assumes money in 1/10000');
  const { total, lookups } = source;
  return writeAtomically(file, async (part) => {
    const out = new BufferedFile(part);
    const write = csvWriter(lookups, timeZone, out, separator);
    let done = 0;
    try {
      out.write(`\uFEFF${csvLine(exportHeader(timeZone), separator)}`);
      for await (const chunk of movementChunks(source, signal)) {
        write(chunk);
        done += chunk.rows.length;
        progress({ done, total, phase: 'writing' });
      }
      if (done === 0) progress({ done, total, phase: 'writing' });
    } catch (e) {
      out.abandon();
      throw e;
    }
    out.close();
    return done;
  });
}

/** Excel's row limit per sheet, less the header. */
const XLSX_SHEET_ROWS = 1_048_575;

/** The XLSX columns: widths in characters, and the number formats of the dates and money columns (as the CSV's decimals). */
function xlsxColumns(timeZone: string): XlsxColumn[] {
  const widths = [10, 20, 20, 10, 14, 32, 8, 8, 22, 18, 12, 12, 12, 6, 14, 11, 14, 12, 12, 10, 14, 16, 10, 6, 24, 16, 10, ...ON_COSTS.map(() => 12), 12];
  const style: Record<number, XlsxStyle> = { 1: XLSX_STYLE.dateTime, 2: XLSX_STYLE.dateTime, 17: XLSX_STYLE.money4, 18: XLSX_STYLE.money2 };
  ON_COSTS.forEach((_, j) => (style[EXPORT_HEADER.length - OC_COUNT - 1 + j] = XLSX_STYLE.money4));
  style[EXPORT_HEADER.length - 1] = XLSX_STYLE.money2;
  return exportHeader(timeZone).map((header, i) => ({ header, width: widths[i]!, style: style[i] }));
}

/**
 * Streams the source's movements to an .xlsx (XlsxWriter: the sheet XML written here as bytes, cell by cell through
 * SheetCells, each with its reference): the same rows and values as the CSV export, typed. Quantities, balances, costs and values are number cells
 * holding the CSV's exact decimal text; times are date cells holding the local wall time in the business time zone
 * (named in the headers); names from master data are shared strings, free text (references, notes, batches, serials)
 * inline. Starts a new sheet when one is full. Memory holds one chunk whatever the row count.
 */
export async function writeMovementsXlsx(
  source: MovementExportSource,
  file: string,
  signal: AbortSignal,
  progress: (p: ExportProgress) => void,
  timeZone: string,
  options: XlsxWriterOptions = {},
): Promise<number> {
  if (MONEY_SCALE !== 10_000) throw new Error('export assumes money in 1/10000');
  const { total, lookups: k } = source;
  const columns = xlsxColumns(timeZone);
  return writeAtomically(file, async (part) => {
    const w = new XlsxWriter(part, options);
    const cells = new SheetCells(EXPORT_HEADER.length);
    // Cell bodies (cellBytes: what follows a cell's reference) and groups of cells of consecutive columns (CellGroup), made once per id
    // or text: a product's SKU and name, its unit; a site's, bin's, user's name; a type's name and code; a document's
    // type, reference and id; a batch's code and expiry. null for an empty cell, which is left out.
    const body = (xml: string): Buffer | null => (xml === EMPTY_BODY ? null : cellBytes(xml));
    const shared = (s: string | null) => w.sharedBody(s);
    const yes = body(shared('yes'))!;
    const no = body(shared('no'))!;
    const productCells = memoId((id) => new CellGroup(4, [shared(k.product(id).sku), shared(k.product(id).name)]));
    const siteBody = memoId((id) => body(shared(k.site(id).code)));
    const binBody = memoId((id) => body(shared(k.bin(id).code)));
    const unitBody = memoId((id) => body(shared(k.product(id).unit)));
    const userBody = memoId((id) => body(shared(k.user(id).name)));
    const typeCells = lastOf(memo((code: string) => new CellGroup(8, [shared(typeName(code)), shared(code)])));
    const sourceBody = lastOf(memo((text: string) => body(shared(text))));
    // A document's cells are made per document (tens of thousands in an export): its type's body is one per type, its
    // reference one buffer (or none when empty) and its id written as digits, so a document allocates one buffer.
    const documentTypeBody = memo((type: string) => body(shared(type)));
    const documentType = lastOf((id: number) => documentTypeBody(k.document(id).type));
    const documentReference = lastOf((id: number) => body(textBody(k.document(id).reference)));
    const batchCells = memo((id: number) => new CellGroup(14, [textBody(k.batch(id).code), textBody(k.batch(id).expiry)]));
    const decode = rowDecoder(k, timeZone);
    const NUM = cellBytes('><v>');
    const DATE = cellBytes(` s="${XLSX_STYLE.dateTime}"><v>`);
    const MONEY4 = cellBytes(` s="${XLSX_STYLE.money4}"><v>`);
    const MONEY2 = cellBytes(` s="${XLSX_STYLE.money2}"><v>`);
    const ZERO4 = cellBytes(ZERO_MONEY4);
    const ZERO2 = cellBytes(ZERO_MONEY2);
    const NOTHING = cellBytes('');
    const put = (col: number, b: Buffer | null) => {
      if (b !== null) cells.cell(col, b);
    };
    const money = (col: number, v: number, style: Buffer, zero: Buffer) => {
      if (v === 0) cells.cell(col, zero);
      else cells.fixedCell(col, style, v, 4);
    };
    // A date cell's serial as text, remembered per column: a document's lines share their times. Written as ASCII
    // straight into the sink (most rows have times of their own, so a Buffer per time would be one allocation per row).
    // Recorded at is most often occurred at itself: its serial is then the one just made.
    const lastWall = [NaN, NaN, NaN];
    const lastSerial = ['', '', ''];
    const date = (col: number, wall: number) => {
      if (wall !== lastWall[col]) {
        lastSerial[col] = col === 2 && wall === lastWall[1] ? lastSerial[1]! : String(excelSerial(wall));
        lastWall[col] = wall;
      }
      cells.asciiCell(col, DATE, lastSerial[col]!);
    };
    const text = (col: number, s: string | null) => {
      if (s === null || s === '') return;
      cells.cell(col, NOTHING);
      cells.write(textBody(s));
    };
    const OC_COL = EXPORT_HEADER.length - OC_COUNT - 1;
    /** A row's on-cost cells when it has none (most rows): zero per on-cost and a zero value, in one copy. */
    const noOnCosts = new CellGroup(OC_COL, [...ON_COSTS.map(() => ZERO_MONEY4), ZERO_MONEY2]);
    /** The on-cost cells of rows with on-costs, made once per distinct on-costs (their value follows: it varies with the quantity). */
    const onCostCells = memo((key: string) => new CellGroup(OC_COL, onCostsOfKey(key).map((v) => (v === 0 ? ZERO_MONEY4 : numberBody(decimal(v, 4), XLSX_STYLE.money4)))), 5_000);
    const startSheet = async (name: string) => {
      cells.flush();
      await w.startSheet(name, columns);
      cells.to(w.out);
    };
    let sheetNo = 1;
    let inSheet = 0;
    let done = 0;
    try {
      await startSheet('Movements');
      for await (const { rows, onDate } of movementChunks(source, signal)) {
        for (let i = 0; i < rows.length; i++) {
          const r = rows[i]!;
          if (inSheet === XLSX_SHEET_ROWS) {
            await startSheet(`Movements ${++sheetNo}`);
            inSheet = 0;
          }
          inSheet++;
          const m = decode(r, onDate[i]!);
          const scale = m.scale;
          cells.row(inSheet + 1);
          cells.intCell(0, NUM, m.seq);
          date(1, m.occurredWall);
          date(2, m.recordedWall);
          cells.cell(3, m.backdated ? yes : no);
          productCells(m.productId).write(cells);
          put(6, siteBody(m.siteId));
          if (m.binId !== null) put(7, binBody(m.binId));
          typeCells(m.type).write(cells);
          cells.fixedCell(10, NUM, m.qty, scale);
          cells.fixedCell(11, NUM, m.balanceAfter, scale);
          cells.fixedCell(12, NUM, m.onDate, scale);
          put(13, unitBody(m.productId));
          if (m.batchId !== null) batchCells(m.batchId).write(cells);
          if (m.serialId !== null) text(16, k.serial(m.serialId).serial);
          money(17, m.unitCost, MONEY4, ZERO4);
          money(18, m.value, MONEY2, ZERO2);
          put(19, sourceBody(m.costSource));
          put(20, documentType(m.documentId));
          put(21, documentReference(m.documentId));
          cells.intCell(22, NUM, m.documentId);
          cells.intCell(23, NUM, m.lineNo);
          text(24, noteForReader(m.note));
          put(25, userBody(m.userId));
          if (m.reversalOf !== null) cells.intCell(26, NUM, m.reversalOf);
          if (!m.hasOnCosts) noOnCosts.write(cells);
          else {
            onCostCells(m.onCostsKey!).write(cells);
            money(OC_COL + OC_COUNT, m.onCostValue, MONEY2, ZERO2);
          }
          cells.end();
          // The compressor takes its next buffer only when this thread returns to the event loop: once per buffer
          // handed to it (~1 MB of XML), not once per chunk, so it deflates while the next rows are written.
          if (w.turnDue) await w.turn();
        }
        cells.flush();
        await w.drain();
        done += rows.length;
        progress({ done, total, phase: 'writing' });
      }
      if (done === 0) progress({ done, total, phase: 'writing' });
      cells.flush();
      await w.finish();
    } catch (e) {
      w.abort();
      throw e;
    }
    return done;
  });
}

const ZERO_MONEY4 = numberBody('0', XLSX_STYLE.money4);
const ZERO_MONEY2 = numberBody('0', XLSX_STYLE.money2);
