import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { AppError } from '../../shared/contract/errors';
import type { MovementFilter } from '../../shared/contract/enquiry.schemas';
import type { MovementCursor } from '../../shared/enquiry';
import { MONEY_SCALE, movementValue } from '../../shared/quantity';
import { csvLine, csvText } from '../../shared/csv';
import { ON_COST_LABELS, ON_COSTS } from '../../shared/domain';
import { localClock } from '../../shared/local-time';
import { isBackdated } from '../../shared/backdated';
import { MovementQuery, typeName, type StatementCache } from './movement-query';
import { plural } from '../../shared/plural';
import { BufferedFile } from '../exports/buffered-file';
import { columnName, dateBody, EMPTY_BODY, numberBody, textBody, XLSX_STYLE, XlsxWriter, type XlsxColumn, type XlsxStyle } from '../exports/xlsx-writer';

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

/** Fixed-point decimal text of an integer at a scale: (-12500, 3) → "-12.500". No grouping, so spreadsheets parse it. */
export function decimal(units: number, scale: number): string {
  if (scale === 0) return String(units);
  const sign = units < 0 ? '-' : '';
  const abs = Math.abs(units);
  const div = 10 ** scale;
  return `${sign}${Math.floor(abs / div)}.${String(abs % div).padStart(scale, '0')}`;
}

/** A movement as the export reads it: movements columns only, names looked up through ExportLookups. */
const LEAN_COLUMNS = [
  'seq', 'product_id', 'site_id', 'bin_id', 'type', 'qty', 'balance_after', 'batch_id', 'serial_id', 'document_id', 'line_no', 'note',
  'occurred_at', 'recorded_at', 'unit_cost', 'cost_source', 'user_id', 'reversal_of', ...ON_COSTS.map((k) => `oc_${k}` as const),
] as const;
const [SEQ, PID, SID, BID, TYPE, QTY, BAL, BATCH, SERIAL, DOC, LINE, NOTE, OCC, REC, COST, CSRC, UID, REV, OC0] = LEAN_COLUMNS.map((_, i) => i) as number[];
const OC_COUNT = ON_COSTS.length;

/** A row's on-costs per unit, in ON_COSTS order. */
const onCostsOf = (r: LeanRow): number[] => r.slice(OC0!, OC0! + OC_COUNT) as number[];
/** Σ movementValue(qty, on-cost, scale): the movement's on-cost value. */
function onCostValue(qty: number, onCosts: readonly number[], scale: number): number {
  let v = 0;
  for (const oc of onCosts) if (oc !== 0) v += movementValue(qty, oc, scale);
  return v;
}
type LeanRow = unknown[];
const LEAN_SQL = `SELECT ${LEAN_COLUMNS.map((c) => `m.${c}`).join(', ')} FROM json_each(?) j CROSS JOIN movements m ON m.seq = j.value`;

export interface ExportProgress {
  done: number;
  total: number;
  phase: string;
}

/** Memoised by key (a few thousand products, sites, bins, users; documents and batches repeat in runs). */
function memo<K, V>(make: (k: K) => V, limit = 100_000): (k: K) => V {
  const m = new Map<K, V>();
  return (k) => {
    let v = m.get(k);
    if (v === undefined) {
      v = make(k);
      if (m.size >= limit) m.clear();
      m.set(k, v);
    }
    return v;
  };
}

/** Memoised by a small integer id (products, sites, bins, users): an array slot instead of a Map lookup. */
function memoId<V>(make: (id: number) => V): (id: number) => V {
  const slots: (V | undefined)[] = [];
  return (id) => {
    if (id > 1_000_000) return make(id);
    let v = slots[id];
    if (v === undefined) v = slots[id] = make(id);
    return v;
  };
}

/** Remembers the last key only: documents and recorded times come in runs of equal values. */
function memoLast<K, V>(make: (k: K) => V): (k: K) => V {
  let lastKey: K | undefined;
  let last: V | undefined;
  return (k) => {
    if (k !== lastKey || last === undefined) {
      last = make(k);
      lastKey = k;
    }
    return last;
  };
}

/**
 * Names for the ids on a movement, one primary-key lookup per distinct id instead of seven joins per row (the joins
 * cost more than reading the movement itself). `text` forms are already CSV-escaped.
 */
function exportLookups(db: Database.Database) {
  const one = <T>(sql: string): ((id: number) => T) => {
    const stmt = db.prepare(sql);
    return (id) => stmt.get(id) as T;
  };
  const product = memoId(one<{ sku: string; name: string; unit: string; scale: number }>('SELECT sku, name, unit, scale FROM products WHERE id = ?'));
  const site = memoId(one<{ code: string }>('SELECT code FROM sites WHERE id = ?'));
  const bin = memoId(one<{ code: string }>('SELECT code FROM bins WHERE id = ?'));
  const user = memoId(one<{ name: string }>('SELECT display_name AS name FROM users WHERE id = ?'));
  const document = memo(one<{ type: string; reference: string | null }>('SELECT type, reference FROM documents WHERE id = ?'), 10_000);
  const batch = memo(one<{ code: string; expiry: string | null }>('SELECT code, expiry FROM batches WHERE id = ?'));
  const serial = memo(one<{ serial: string }>('SELECT serial FROM serial_units WHERE id = ?'), 10_000);
  return {
    product, site, bin, user, document, batch, serial,
    typeName: memo(typeName),
    productText: memoId((id: number) => `${csvText(product(id).sku)},${csvText(product(id).name)}`),
    siteText: memoId((id: number) => csvText(site(id).code)),
    binText: memoId((id: number) => csvText(bin(id).code)),
    userText: memoId((id: number) => csvText(user(id).name)),
    typeText: memo((code: string) => `${csvText(typeName(code))},${csvText(code)}`),
    plainText: memo((text: string) => csvText(text)),
    documentText: memoLast((id: number) => `${csvText(document(id).type)},${csvText(document(id).reference)}`),
    batchText: memo((id: number) => `${csvText(batch(id).code)},${csvText(batch(id).expiry)}`),
  };
}
type ExportLookups = ReturnType<typeof exportLookups>;

/**
 * The filtered movements, oldest first, as lean rows in keyset chunks of EXPORT_CHUNK. Awaits between chunks so the
 * ledger worker serves other requests; stops with CANCELLED at a chunk boundary when the signal aborts.
 */
async function* movementChunks(
  db: Database.Database,
  cache: StatementCache,
  query: MovementQuery,
  total: number,
  signal: AbortSignal,
): AsyncGenerator<Chunk> {
  const lean = cache.get(LEAN_SQL);
  let cursor: MovementCursor | undefined;
  let done = 0;
  for (;;) {
    if (signal.aborted) throw new AppError('CANCELLED', `The export was cancelled after ${done.toLocaleString('en-GB')} of ${plural(total, 'row')}; no file was left behind.`);
    const keys = query.keys('asc', EXPORT_CHUNK, cursor);
    if (keys.length === 0) return;
    const rows = lean.raw(true).all(JSON.stringify(keys.map((k) => k.seq))) as LeanRow[];
    done += rows.length;
    yield { rows, onDate: chunkBalances(query, rows) };
    if (keys.length < EXPORT_CHUNK) return;
    const last = keys[keys.length - 1]!;
    cursor = { occurredAt: last.occurredAt, seq: last.seq };
    await new Promise((resolve) => setImmediate(resolve));
  }
  void db;
}

/** A chunk of lean rows and their balances on that date by seq. */
interface Chunk {
  rows: LeanRow[];
  onDate: Map<number, number>;
}

/** Balances on that date of a chunk's rows: an export's chunks are consecutive and ascending, so they continue in memory where the filter allows. */
function chunkBalances(query: MovementQuery, rows: LeanRow[]): Map<number, number> {
  const keys = rows.map((r) => ({ seq: r[SEQ!] as number, productId: r[PID!] as number, siteId: r[SID!] as number, occurredAt: r[OCC!] as number, qty: r[QTY!] as number }));
  return query.balanceStore().balances(keys, query.completeHistories());
}

/** CSV lines for a chunk, each encoded into the file's buffer as it is made; times as local "2026-11-02 05:30:00" in the business time zone. */
function csvChunk({ rows, onDate }: Chunk, k: ExportLookups, occText: (ms: number) => string, recText: (ms: number) => string, timeZone: string, out: BufferedFile): void {
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const pid = r[PID!] as number;
    const product = k.product(pid);
    const scale = product.scale;
    const qty = r[QTY!] as number;
    const cost = r[COST!] as number;
    const bin = r[BID!] as number | null;
    const batch = r[BATCH!] as number | null;
    const serial = r[SERIAL!] as number | null;
    const rev = r[REV!] as number | null;
    const oc = onCostsOf(r);
    const occ = r[OCC!] as number;
    const rec = r[REC!] as number;
    let ocText = '';
    for (let j = 0; j < OC_COUNT; j++) ocText += `${decimal(oc[j]!, 4)},`;
    out.write(`${r[SEQ!]},${occText(occ)},${recText(rec)},${isBackdated(occ, rec, timeZone) ? 'yes' : 'no'},${k.productText(pid)},${k.siteText(r[SID!] as number)},${bin === null ? '' : k.binText(bin)},${k.typeText(r[TYPE!] as string)},${decimal(qty, scale)},${decimal(r[BAL!] as number, scale)},${decimal(onDate.get(r[SEQ!] as number)!, scale)},${k.plainText(product.unit)},${batch === null ? ',' : k.batchText(batch)},${serial === null ? '' : csvText(k.serial(serial).serial)},${decimal(cost, 4)},${decimal(movementValue(qty, cost, scale), 4)},${k.plainText(r[CSRC!] as string)},${k.documentText(r[DOC!] as number)},${r[DOC!]},${r[LINE!]},${csvText(r[NOTE!] as string | null)},${k.userText(r[UID!] as number)},${rev === null ? '' : rev},${ocText}${decimal(onCostValue(qty, oc, scale), 4)}\r\n`);
  }
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
 * Streams the filtered movements, oldest first, to a CSV file (UTF-8 with BOM, CRLF, formulas neutralised) in keyset
 * chunks through a ~1 MB write buffer, memory flat whatever the row count.
 */
export async function exportMovementsCsv(
  db: Database.Database,
  cache: StatementCache,
  filter: MovementFilter,
  file: string,
  signal: AbortSignal,
  progress: (p: ExportProgress) => void,
  timeZone: string,
): Promise<number> {
  if (MONEY_SCALE !== 10_000) throw new Error('export assumes money in 1/10000');
  const query = new MovementQuery(db, filter, cache);
  const total = query.count(50_000_000).count;
  const lookups = exportLookups(db);
  const clock = localClock(timeZone);
  const occText = memoLast(clock.text);
  const recText = memoLast(clock.text);
  return writeAtomically(file, async (part) => {
    const out = new BufferedFile(part);
    let done = 0;
    try {
      out.write(`\uFEFF${csvLine(exportHeader(timeZone))}`);
      for await (const chunk of movementChunks(db, cache, query, total, signal)) {
        csvChunk(chunk, lookups, occText, recText, timeZone, out);
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
 * Streams the filtered movements to an .xlsx (XlsxWriter: the sheet XML written here, row by row as one string per
 * chunk): the same rows and values as the CSV export, typed. Quantities, balances, costs and values are number cells
 * holding the CSV's exact decimal text; times are date cells holding the local wall time in the business time zone
 * (named in the headers); names from master data are shared strings, free text (references, notes, batches, serials)
 * inline. Starts a new sheet when one is full. Memory holds one chunk whatever the row count.
 */
export async function exportMovementsXlsx(
  db: Database.Database,
  cache: StatementCache,
  filter: MovementFilter,
  file: string,
  signal: AbortSignal,
  progress: (p: ExportProgress) => void,
  timeZone: string,
): Promise<number> {
  if (MONEY_SCALE !== 10_000) throw new Error('export assumes money in 1/10000');
  const query = new MovementQuery(db, filter, cache);
  const total = query.count(50_000_000).count;
  const k = exportLookups(db);
  const clock = localClock(timeZone);
  const columns = xlsxColumns(timeZone);
  return writeAtomically(file, async (part) => {
    const w = new XlsxWriter(part);
    // Cell bodies that repeat, built once per id: a product's SKU, name and unit; a site's, bin's, user's name; a type.
    const sharedId = (text: (id: number) => string | null) => memoId((id: number) => w.sharedBody(text(id)));
    const skuBody = sharedId((id) => k.product(id).sku);
    const nameBody = sharedId((id) => k.product(id).name);
    const unitBody = sharedId((id) => k.product(id).unit);
    const siteBody = sharedId((id) => k.site(id).code);
    const binBody = sharedId((id) => k.bin(id).code);
    const userBody = sharedId((id) => k.user(id).name);
    const typeNameBody = memo((code: string) => w.sharedBody(k.typeName(code)));
    const sharedText = memo((text: string) => w.sharedBody(text));
    const docTypeBody = memoLast((id: number) => w.sharedBody(k.document(id).type));
    const docRefBody = memoLast((id: number) => textBody(k.document(id).reference));
    const batchBody = memo((id: number) => textBody(k.batch(id).code));
    const expiryBody = memo((id: number) => textBody(k.batch(id).expiry));
    const occBody = memoLast((ms: number) => dateBody(clock.wall(ms)));
    const recBody = memoLast((ms: number) => dateBody(clock.wall(ms)));
    const yes = w.sharedBody('yes');
    const no = w.sharedBody('no');
    const money4 = (v: number) => (v === 0 ? ZERO_MONEY4 : numberBody(decimal(v, 4), XLSX_STYLE.money4));
    const money2 = (v: number) => (v === 0 ? ZERO_MONEY2 : numberBody(decimal(v, 4), XLSX_STYLE.money2));
    const ocCols = ON_COSTS.map((_, j) => `<c r="${columnName(EXPORT_HEADER.length - OC_COUNT - 1 + j)}`);
    const ocValueCol = `<c r="${columnName(EXPORT_HEADER.length - 1)}`;
    let sheetNo = 1;
    let inSheet = 0;
    let done = 0;
    try {
      await w.startSheet('Movements', columns);
      for await (const { rows, onDate } of movementChunks(db, cache, query, total, signal)) {
        for (const r of rows) {
          if (inSheet === XLSX_SHEET_ROWS) {
            await w.startSheet(`Movements ${++sheetNo}`, columns);
            inSheet = 0;
          }
          inSheet++;
          const pid = r[PID!] as number;
          const scale = k.product(pid).scale;
          const qty = r[QTY!] as number;
          const cost = r[COST!] as number;
          const bin = r[BID!] as number | null;
          const batch = r[BATCH!] as number | null;
          const serial = r[SERIAL!] as number | null;
          const rev = r[REV!] as number | null;
          const oc = onCostsOf(r);
          const occ = r[OCC!] as number;
          const rec = r[REC!] as number;
          const n = inSheet + 1;
          let ocCells = '';
          for (let j = 0; j < OC_COUNT; j++) ocCells += `${ocCols[j]}${n}"${money4(oc[j]!)}`;
          const type = r[TYPE!] as string;
          const doc = r[DOC!] as number;
          w.row(
            `<row r="${n}"><c r="A${n}"><v>${r[SEQ!]}</v></c><c r="B${n}"${occBody(occ)}<c r="C${n}"${recBody(rec)}<c r="D${n}"${isBackdated(occ, rec, timeZone) ? yes : no}` +
            `<c r="E${n}"${skuBody(pid)}<c r="F${n}"${nameBody(pid)}<c r="G${n}"${siteBody(r[SID!] as number)}<c r="H${n}"${bin === null ? EMPTY_BODY : binBody(bin)}` +
            `<c r="I${n}"${typeNameBody(type)}<c r="J${n}"${sharedText(type)}<c r="K${n}"${numberBody(decimal(qty, scale))}<c r="L${n}"${numberBody(decimal(r[BAL!] as number, scale))}` +
            `<c r="M${n}"${numberBody(decimal(onDate.get(r[SEQ!] as number)!, scale))}<c r="N${n}"${unitBody(pid)}<c r="O${n}"${batch === null ? EMPTY_BODY : batchBody(batch)}` +
            `<c r="P${n}"${batch === null ? EMPTY_BODY : expiryBody(batch)}<c r="Q${n}"${serial === null ? EMPTY_BODY : textBody(k.serial(serial).serial)}<c r="R${n}"${money4(cost)}` +
            `<c r="S${n}"${money2(movementValue(qty, cost, scale))}<c r="T${n}"${sharedText(r[CSRC!] as string)}<c r="U${n}"${docTypeBody(doc)}<c r="V${n}"${docRefBody(doc)}` +
            `<c r="W${n}"><v>${doc}</v></c><c r="X${n}"><v>${r[LINE!]}</v></c><c r="Y${n}"${textBody(r[NOTE!] as string | null)}<c r="Z${n}"${userBody(r[UID!] as number)}` +
            `<c r="AA${n}"${rev === null ? EMPTY_BODY : `><v>${rev}</v></c>`}${ocCells}${ocValueCol}${n}"${money2(onCostValue(qty, oc, scale))}</row>`,
          );
        }
        await w.drain();
        done += rows.length;
        progress({ done, total, phase: 'writing' });
      }
      if (done === 0) progress({ done, total, phase: 'writing' });
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
