import type Database from 'better-sqlite3';
import type { MovementLineInput } from '../../shared/contract/schemas';
import { BATCH_CODE_MAX, IMPORT_PREVIEW_ROWS, SERIAL_MAX, type ExpiredLot, type ImportPreview, type ImportPreviewRow, type ImportRowProblem } from '../../shared/operations';
import { OtherNumberFormat, readFileMoney, readFileQuantity } from '../../shared/file-numbers';
import { numberSeparators } from '../../shared/quantity';
import { fileDayFormats, parseFileDay } from '../catalog/file-dates';
import { formatCalendarDay } from '../../shared/company-format';
import { shiftedRowProblem } from '../../shared/csv';
import { parseCsvNumbered, type NumberedRows } from './csv-parse';
import { expiredLot, expiredLotText } from './expired-receipt';
import { serialRefusal } from '../ledger/store/document-rules';
import { ImportPlanStore, type ImportPlanSource, type ImportProduct, type ImportSite } from './import-plan-store';

export const IMPORT_COLUMNS = ['sku', 'site', 'bin', 'qty', 'batch', 'expiry', 'serial', 'unit_cost'] as const;
type Column = (typeof IMPORT_COLUMNS)[number];
const REQUIRED: Column[] = ['sku', 'site', 'qty'];
const MAX_PROBLEMS = 500;
/** No SKU, code, batch, serial or number is longer; a longer cell is a shifted column or a hostile file. */
const MAX_CELL = 200;
/** A cell as echoed back in a message or the preview sample: never more than MAX_CELL characters. */
const clip = (text: string) => (text.length > MAX_CELL ? `${text.slice(0, MAX_CELL)}…` : text);
/** A cell's number refused: what is wrong and what to write (a number in another file format says which format reads it). */
/** A refused number cell; the parser's message is followed by an example only where it gives none itself ("e.g."). */
const badNumber = (column: string, e: unknown, such: string) => {
  const message = (e as Error).message;
  return `Bad number in ${column}: ${message}${e instanceof OtherNumberFormat || /\be\.g\./.test(message) ? '' : `. Enter ${such}`}.`;
};
const ALIASES: Record<string, Column> = { quantity: 'qty', site_code: 'site', bin_code: 'bin', batch_code: 'batch', lot: 'batch', expiry_date: 'expiry', serial_number: 'serial', cost: 'unit_cost', unitcost: 'unit_cost' };

/**
 * A row giving a batch another expiry than the ledger (or an earlier row of the file) gave it: refused, never overwritten
 * or ignored. Both days are written as the company writes dates (`day`), as the windows show a batch's expiry.
 */
function expiryConflict(sku: string, batch: string, given: string, was: { expiry: string | null; row: number | null }, day: (iso: string) => string): string {
  const expiry = day(given);
  const known = { ...was, expiry: was.expiry === null ? null : day(was.expiry) };
  const fix = 'Correct the expiry, leave it empty to keep the batch\'s own, or use a new batch code.';
  if (known.row !== null && known.expiry === null) return `Batch ${batch} of ${sku} has no expiry in row ${known.row}, so it cannot be given ${expiry} here. Give both rows the same expiry, or use a new batch code.`;
  if (known.row !== null) return `Batch ${batch} of ${sku} expires on ${known.expiry} in row ${known.row}, not ${expiry}. ${fix}`;
  if (known.expiry === null) return `Batch ${batch} of ${sku} is in stock without an expiry, so it cannot be given ${expiry}. Leave the expiry empty or use a new batch code.`;
  return `Batch ${batch} of ${sku} already expires on ${known.expiry}, not ${expiry}. ${fix}`;
}

/** The checked rows of an import file: one ledger line per valid row, and every row's problems. */
export interface ImportPlan {
  rows: number;
  lines: (MovementLineInput | null)[];
  problems: ImportRowProblem[];
  problemCount: number;
  /** Valid rows whose batch expired before the import's business day (hooks.today): imported only when confirmed. */
  expired: ExpiredLot[];
  preview: ImportPreview;
}

/** Reads and checks an import file without writing anything. `yieldEvery` lets a job pause between chunks. */
export async function planImport(
  /** SQLite's database, or what another store read of its products, sites and bins (PostgreSQL's pg-import-store.ts). */
  db: Database.Database | ImportPlanSource,
  /**
   * CSV text, or rows already read (e.g. from an XLSX file), with their row numbers in the file where known (header =
   * row 1): every problem and warning names a row by that number, as the clerk's spreadsheet shows it.
   */
  source: string | string[][] | NumberedRows,
  type: 'inventory_import' | 'stock_receipt',
  /**
   * `locale`: the file's "Numbers in this file" (the company's by default), never this process's own. `dateLocale`: the
   * company's locale, whose short date an expiry may be written in (31.05.2026 in de-DE) besides ISO; ISO only without it.
   * `today`: the import's business day (YYYY-MM-DD, company time zone): a valid row whose batch expired before it is a
   * warning (imported only when confirmed).
   */
  hooks: { locale: string; dateLocale?: string; today?: string; signal?: AbortSignal; progress?: (done: number, total: number) => void; chunk?: number },
): Promise<ImportPlan> {
  /** Numbers are read in the file's locale, by the same parser as the forms. */
  const { locale } = hooks;
  /** A day as the company writes dates (ISO without a company locale). */
  const day = (iso: string) => (hooks.dateLocale ? formatCalendarDay(iso, hooks.dateLocale) : iso);
  const example = (n: string) => n.replace('.', numberSeparators(locale).decimal);
  const read = typeof source === 'string' ? parseCsvNumbered(source) : Array.isArray(source) ? { rows: source, fileRows: [] } : source;
  const table = read.rows;
  /** Data row i's number in the file (header = 1; an empty row of the file counts too). */
  const fileRow = (i: number) => read.fileRows[i + 1] ?? i + 2;
  const header = (table[0] ?? []).map((h) => {
    const k = h.trim().toLowerCase().replace(/[\s-]+/g, '_');
    return (ALIASES[k] ?? k) as Column;
  });
  const col = Object.fromEntries(IMPORT_COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<Column, number>;
  const data = table.slice(1);
  const problems: ImportRowProblem[] = [];
  let problemCount = 0;
  const problem = (row: number, field: string, message: string) => {
    problemCount++;
    if (problems.length < MAX_PROBLEMS) problems.push({ row, field, message });
  };
  const missing = REQUIRED.filter((c) => col[c] < 0);
  if (table.length === 0 || missing.length) {
    problem(1, missing.join(', ') || 'header', `The header row must name the columns ${IMPORT_COLUMNS.join(', ')} (${REQUIRED.join(', ')} required); missing: ${missing.join(', ') || 'all'}. Fix the header and preview again.`);
  } else if (data.length === 0) {
    problem(0, 'rows', 'The file has a header row but no data rows. Add one row per stock line below the header and preview again.');
  }

  const store = 'prepare' in db ? new ImportPlanStore(db) : db;
  const products = new Map<string, ImportProduct>();
  for (const p of store.products()) {
    products.set(p.sku.toLowerCase(), p);
  }
  const sites = new Map<string, ImportSite>();
  for (const s of store.sites()) sites.set(s.code.toLowerCase(), s);
  const siteName = (id: number) => [...sites.values()].find((x) => x.id === id)?.name ?? `site ${id}`;
  const bins = new Map<string, { id: number; active: boolean | number }>();
  for (const b of store.bins()) bins.set(`${b.siteId}:${b.code.toLowerCase()}`, b);
  // A batch's expiry is set once, when it is first received: a row naming a known batch takes it, and may not give another.
  const batchExpiry = new Map<string, { expiry: string | null; row: number | null }>();
  for (const b of store.batches()) batchExpiry.set(`${b.productId}\u0000${b.code}`, { expiry: b.expiry, row: null });

  const lines: (MovementLineInput | null)[] = [];
  const expired: ExpiredLot[] = [];
  const serialsSeen = new Set<string>();
  const usedProducts = new Set<number>();
  const usedSites = new Set<number>();
  const chunk = hooks.chunk ?? 5_000;
  const get = (r: string[], c: Column) => (col[c] >= 0 ? (r[col[c]] ?? '').trim() : '');
  const cell = (r: string[], c: Column) => clip(get(r, c));
  /** The first rows as read and as they will be posted, so a misread number or date is seen before posting. */
  const shown: ImportPreviewRow[] = [];

  for (let i = 0; i < data.length && missing.length === 0; i++) {
    if (i > 0 && i % chunk === 0) {
      hooks.progress?.(i, data.length);
      await new Promise((resolve) => setImmediate(resolve));
      if (hooks.signal?.aborted) throw Object.assign(new Error('cancelled'), { cancelled: true });
    }
    const r = data[i]!;
    const rowNo = fileRow(i);
    const before = problemCount;
    /** What this row will post, field by field, as far as it was read (the preview shows it). */
    const got: Omit<ImportPreviewRow, 'row' | 'file' | 'valid'> = { product: null, site: null, bin: null, qty: null, unitCost: null, batch: null, expiry: null, serial: null };
    try {
    const shifted = shiftedRowProblem(r, header.length);
    if (shifted) {
      problem(rowNo, 'row', shifted);
      lines.push(null);
      continue;
    }
    const long = r.findIndex((cell) => cell.length > MAX_CELL);
    if (long >= 0) {
      problem(rowNo, header[long] ?? 'row', `A value is ${r[long]!.length.toLocaleString('en-GB')} characters long; no cell may exceed ${MAX_CELL}. Check the row for a missing quote or line break and preview again.`);
      lines.push(null);
      continue;
    }
    const sku = get(r, 'sku');
    const product = sku ? products.get(sku.toLowerCase()) : undefined;
    if (!sku) problem(rowNo, 'sku', 'The SKU is empty. Enter the product SKU.');
    else if (!product) problem(rowNo, 'sku', `Unknown SKU "${sku}". Correct it or create the product first.`);
    else if (product.stockType === 'Recipe' || product.stockType === 'Other') problem(rowNo, 'sku', `${sku} is a ${product.stockType} product and holds no stock. Remove the row.`);
    else if (!product.stockKeeping) problem(rowNo, 'sku', `Stock keeping is switched off for ${sku}. Switch it on or remove the row.`);
    if (product) got.product = { sku: product.sku, name: product.name, unit: product.unit, scale: product.scale };
    const siteCode = get(r, 'site');
    const site = sites.get(siteCode.toLowerCase());
    if (!site) problem(rowNo, 'site', siteCode ? `Unknown site "${siteCode}". Use a site code.` : 'The site is empty. Enter a site code.');
    else if (site.kind === 'external') problem(rowNo, 'site', "Stock cannot be imported into 'External'. Use one of your sites.");
    else if (!site.active) problem(rowNo, 'site', `Site ${site.code} (${site.name}) is inactive. Use another site, or reactivate it in Sites & bins.`);
    if (site) got.site = { code: site.code, name: site.name };
    const binCode = get(r, 'bin');
    const bin = binCode && site ? bins.get(`${site.id}:${binCode.toLowerCase()}`) : undefined;
    const binId = bin?.id;
    if (binCode && site && !bin) problem(rowNo, 'bin', `Site ${siteCode} has no bin "${binCode}". Use one of its bin codes or leave the bin empty.`);
    if (bin) got.bin = binCode;
    if (bin && !bin.active) problem(rowNo, 'bin', `Bin ${binCode} at ${site!.code} is inactive. Use another bin, or reactivate it in Sites & bins.`);
    let qty = 0;
    const qtyText = get(r, 'qty');
    if (product) {
      try {
        qty = readFileQuantity(qtyText, product.scale, locale);
        got.qty = qty;
        if (qty <= 0) problem(rowNo, 'qty', `The quantity "${qtyText}" must be more than zero.`);
      } catch (e) {
        problem(rowNo, 'qty', badNumber('qty', e, `a quantity such as ${example(product.scale ? '12.5' : '12')}`));
      }
    }
    const batch = get(r, 'batch');
    const expiryText = get(r, 'expiry');
    let expiry = expiryText && parseFileDay(expiryText, hooks.dateLocale);
    if (expiryText && !expiry) problem(rowNo, 'expiry', `The expiry "${expiryText}" is not a date. ${fileDayFormats(hooks.dateLocale)}.`);
    const serial = get(r, 'serial');
    got.batch = batch || null;
    got.serial = serial || null;
    const tooLong = (field: 'batch' | 'serial', what: string, text: string, max: number) => {
      if (text && text.length > max) problem(rowNo, field, `${what} must be at most ${max} characters; this one has ${text.length}. Shorten it in the file and preview again.`);
    };
    // a product that takes no batch (or serial) is told to leave it empty below, not to shorten it as well
    if (product?.tracking !== 'BULK') tooLong('batch', 'The batch code', batch, BATCH_CODE_MAX);
    if (!product || product.tracking === 'SERIAL' || product.tracking === 'RFID') tooLong('serial', 'The serial number', serial, SERIAL_MAX);
    if (product) {
      if (product.tracking === 'LOT' && !batch) problem(rowNo, 'batch', `${sku} is lot-tracked: the batch is missing. Enter its batch and expiry.`);
      const known = batch && product.tracking !== 'BULK' ? batchExpiry.get(`${product.id}\u0000${batch}`) : undefined;
      if (known && expiry && expiry !== known.expiry) problem(rowNo, 'expiry', expiryConflict(sku, batch, expiry, known, day));
      else if (known) expiry = known.expiry ?? '';
      else if (product.tracking === 'LOT' && batch && !expiryText) problem(rowNo, 'expiry', `${sku} is lot-tracked: enter the expiry date of batch ${batch}.`);
      // a batch first given without an expiry is remembered too: a later row may not give it one the poster would ignore
      else if (batch && product.tracking !== 'BULK') batchExpiry.set(`${product.id}\u0000${batch}`, { expiry: expiry || null, row: rowNo });
      if (product.tracking === 'BULK' && batch) problem(rowNo, 'batch', `${sku} is not batch-tracked; leave the batch empty.`);
      if (product.tracking === 'SERIAL' || product.tracking === 'RFID') {
        if (!serial) problem(rowNo, 'serial', `${sku} is serial-tracked: enter one serial number per row.`);
        else if (serialsSeen.has(`${product.id}:${serial}`)) problem(rowNo, 'serial', `Serial ${serial} of ${sku} appears twice in the file. Remove the duplicate.`);
        else serialsSeen.add(`${product.id}:${serial}`);
        if (qty && qty !== 10 ** product.scale) problem(rowNo, 'qty', `A serial-tracked row holds exactly one unit; the qty must be 1.`);
      } else if (serial) problem(rowNo, 'serial', `${sku} is not serial-tracked; leave the serial empty.`);
    }
    got.expiry = expiry || null;
    let unitCost: number | undefined;
    const costText = get(r, 'unit_cost');
    if (costText) {
      try {
        unitCost = readFileMoney(costText, locale);
        got.unitCost = unitCost;
        if (unitCost < 0) problem(rowNo, 'unit_cost', 'The unit cost cannot be negative.');
      } catch (e) {
        problem(rowNo, 'unit_cost', badNumber('unit_cost', e, `a price such as ${example('12.50')}`));
      }
    } else if (type === 'stock_receipt') problem(rowNo, 'unit_cost', 'A receipt declares its unit cost; enter the unit_cost.');

    if (problemCount > before || !product || !site) {
      lines.push(null);
      continue;
    }
    const line: MovementLineInput = { productId: product.id, siteId: site.id, type, qty };
    if (binId !== undefined) line.binId = binId;
    if (batch) line.batch = expiry ? { code: batch, expiry } : { code: batch };
    if (serial) line.serial = serial;
    // The poster's own rule (serialRefusal), so the preview and the import never disagree about a serial in stock.
    const refused = serial ? serialRefusal(store.unitInStock(product.id, serial), product, { ...site, external: site.kind === 'external' }, line, binId ?? null, siteName) : null;
    if (refused) {
      problem(rowNo, 'serial', `${refused[0]!.toUpperCase()}${refused.slice(1)}`);
      lines.push(null);
      continue;
    }
    const lot = hooks.today ? expiredLot(rowNo, product.sku, line.batch, hooks.today) : null;
    if (lot) expired.push(lot);
    if (unitCost !== undefined) {
      line.unitCost = unitCost;
      line.costSource = 'declared';
    }
    lines.push(line);
    usedProducts.add(product.id);
    usedSites.add(site.id);
    } finally {
      if (i < IMPORT_PREVIEW_ROWS) {
        const file = { sku: cell(r, 'sku'), site: cell(r, 'site'), bin: cell(r, 'bin'), qty: cell(r, 'qty'), batch: cell(r, 'batch'), expiry: cell(r, 'expiry'), serial: cell(r, 'serial'), unitCost: cell(r, 'unit_cost') };
        shown.push({ row: rowNo, file, valid: problemCount === before, ...got });
      }
    }
  }
  hooks.progress?.(data.length, data.length);
  const validRows = lines.filter((l) => l !== null).length;
  const warnings = expired.slice(0, MAX_PROBLEMS).map((lot) => ({ row: lot.line, field: 'expiry', message: `${expiredLotText(`Row ${lot.line}`, lot, day, 'the import')}: imported only when you confirm it.` }));
  return {
    rows: data.length,
    lines,
    problems,
    problemCount,
    expired,
    preview: { locale, rows: data.length, validRows, errorCount: problemCount, problems, warnings, shown, products: usedProducts.size, sites: usedSites.size },
  };
}
