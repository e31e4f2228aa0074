import { AppError } from '../../shared/contract/errors';
import { driveAsync, driveSync } from '../ledger/steps';
import type { CountScanInput } from '../../shared/contract/counts.schemas';
import { countReference, type CountLine, type CountScanResult } from '../../shared/counts';
import type { CountQueries } from './count-queries';
import { draftHead } from './count-rules';
import type { CountLineRef as LineRef, CountScanStore, ScannedProduct, SerialUnitRef as UnitRef } from './count-scan-store';
import type { CountStore, SessionHead } from './count-store';

/** Everything a scan reads and writes, as SQLite's stores answer it (synchronously); PostgreSQL's store answers the same asynchronously. */
export interface ScanOps {
  head(sessionId: number): SessionHead | undefined;
  codeInSession(sessionId: number, code: string): { lineId: number; sku: string; binCode: string | null } | undefined;
  lineById(sessionId: number, lineId: number): LineRef | undefined;
  unitsBySerial(serial: string): UnitRef[];
  productByCode(code: string): ScannedProduct | undefined;
  linesOfProduct(sessionId: number, productId: number): LineRef[];
  lineByKey(sessionId: number, productId: number, binId: number | null, batchId: number | null): LineRef | undefined;
  level(productId: number, siteId: number, binId: number | null, batchId: number | null): { id: number; qty: number; lastSeq: number } | undefined;
  movedSince(afterSeq: number, productId: number, siteId: number, binId: number | null, batchId: number | null): number;
  insertLine(sessionId: number, stockLevelId: number | null, productId: number, binId: number | null, batchId: number | null, systemQty: number): number;
  insertCode(sessionId: number, lineId: number, code: string, flag: 'elsewhere' | 'unknown' | null, at: number, userId: number): void;
  recount(lineId: number, at: number, userId: number): void;
  increment(lineId: number, qty: number, at: number, userId: number): void;
  binCode(id: number): string | undefined;
  siteName(id: number): string;
  /** The sheet line as the count sheet shows it. */
  line(sessionId: number, lineId: number): CountLine;
}

/** One read or write a scan asks its store for: a call on the store's ops (SQLite's answer at once, PostgreSQL's as a promise). */
export type ScanAsk = (ops: ScanOps) => unknown;
type Steps<T> = Generator<ScanAsk, T, unknown>;
/** ScanOps answered asynchronously (PostgreSQL). */
export type AsyncScanOps = { [K in keyof ScanOps]: (...a: Parameters<ScanOps[K]>) => Promise<ReturnType<ScanOps[K]>> };

function* ask<K extends keyof ScanOps>(op: K, ...args: Parameters<ScanOps[K]>): Steps<ReturnType<ScanOps[K]>> {
  return (yield (ops) => (ops[op] as (...a: unknown[]) => unknown)(...args)) as ReturnType<ScanOps[K]>;
}

/** Runs a scan's steps against synchronous ops (SQLite, inside the worker's transaction). */
export function runScanSync<T>(steps: Steps<T>, ops: ScanOps): T {
  return driveSync(steps, (step) => step(ops));
}

/** Runs a scan's steps against asynchronous ops (PostgreSQL, inside one transaction). */
export function runScanAsync<T>(steps: Steps<T>, ops: AsyncScanOps): Promise<T> {
  return driveAsync(steps, (step) => step(ops as unknown as ScanOps));
}

const lineGone = (sessionId: number, lineId: number) =>
  new AppError('NOT_FOUND', `That line is not a line of stock count ${countReference(sessionId)} (it may have been removed). Reload the count sheet.`, { lineId });

/** The refusal of removing a code that is not on the line. */
export const codeNotOnLine = (lineId: number, code: string) => new AppError('NOT_FOUND', `${code} is not scanned on this line. Reload the count sheet.`, { lineId, code });

/**
 * Scans and typed codes: a serial/RFID code is recorded on its line (a duplicate is ignored and reported,
 * a unit recorded elsewhere is flagged); a product barcode or SKU adds one to its line, adding the line if needed.
 * The rules are steps (a generator) asking their store for each read and write, so SQLite runs them synchronously in
 * the worker's transaction and PostgreSQL asynchronously in its own: one set of rules for both.
 */
export function* scanSteps(input: CountScanInput, userId: number, now: () => number): Steps<CountScanResult> {
  const session = draftHead(input.sessionId, yield* ask('head', input.sessionId));
  const sessionId = input.sessionId;
  const code = input.code.trim();
  const seen = yield* ask('codeInSession', sessionId, code);
  if (seen) {
    return {
      outcome: 'duplicate',
      message: `${code} was already scanned on ${seen.sku}${seen.binCode ? ` in ${seen.binCode}` : ''}; this scan was ignored.`,
      line: yield* ask('line', sessionId, seen.lineId),
    };
  }
  const chosen = input.lineId !== undefined ? yield* lineById(sessionId, input.lineId) : null;
  const units = yield* ask('unitsBySerial', code);
  if (chosen && isSerial(chosen.tracking)) return yield* addCode(sessionId, session, chosen, code, units, userId, now);
  if (units.length > 0) return yield* scanUnit(sessionId, session, code, units, userId, now);
  const product = yield* ask('productByCode', code);
  if (!product) return { outcome: 'not_found', message: `No product, barcode or serial number matches "${code}". Check the code and scan again.`, line: null };
  if (isSerial(product.tracking)) {
    return { outcome: 'flagged', message: `${product.sku} is ${product.tracking.toLowerCase()}-tracked: scan each unit's ${product.tracking === 'RFID' ? 'tag' : 'serial number'}, not the product barcode.`, line: null };
  }
  if (chosen && chosen.productId === product.id) return yield* increment(sessionId, chosen, userId, false, now);
  const lines = yield* ask('linesOfProduct', sessionId, product.id);
  const inBin = session.binId === null ? lines : lines.filter((l) => l.binId === session.binId);
  if (inBin.length === 1) return yield* increment(sessionId, inBin[0]!, userId, false, now);
  if (inBin.length > 1) {
    return { outcome: 'flagged', message: `${product.sku} has ${inBin.length} lines in this count (bins or batches). Select its line, then scan again.`, line: null };
  }
  if (product.tracking === 'LOT') {
    return { outcome: 'flagged', message: `${product.sku} is lot-tracked and has no line in this count. Count it on a line with its batch.`, line: null };
  }
  if (product.stockType === 'Recipe' || product.stockType === 'Other' || !product.stockKeeping) {
    return { outcome: 'flagged', message: `${product.sku} does not keep stock, so it cannot be counted.`, line: null };
  }
  const line = yield* addLine(sessionId, session, product.id, session.binId, null);
  return yield* increment(sessionId, line, userId, true, now);
}

function* scanUnit(sessionId: number, session: SessionHead, code: string, units: UnitRef[], userId: number, now: () => number): Steps<CountScanResult> {
  // A unit in stock inside this count's scope goes onto the line of its quant.
  for (const u of units) {
    if (u.inStock && u.siteId === session.siteId && (session.binId === null || u.binId === session.binId)) {
      const line = (yield* ask('lineByKey', sessionId, u.productId, u.binId, u.batchId)) ?? (yield* addLine(sessionId, session, u.productId, u.binId, u.batchId));
      return yield* addCode(sessionId, session, line, code, units, userId, now);
    }
  }
  // Otherwise, in a single-bin count, it was found in this bin: record it on its product's line there, flagged.
  const serialUnit = units[0];
  if (serialUnit && session.binId !== null) {
    const lines = (yield* ask('linesOfProduct', sessionId, serialUnit.productId)).filter((l) => l.binId === session.binId);
    const line = lines[0] ?? (yield* addLine(sessionId, session, serialUnit.productId, session.binId, serialUnit.batchId));
    return yield* addCode(sessionId, session, line, code, units, userId, now);
  }
  return { outcome: 'flagged', message: `${code} belongs to ${serialUnit!.sku}, recorded ${yield* describe(serialUnit!)}, outside this count's lines. Select the line where you found it and scan again.`, line: null };
}

function* addCode(sessionId: number, session: SessionHead, line: LineRef, code: string, units: UnitRef[], userId: number, now: () => number): Steps<CountScanResult> {
  if (!isSerial(line.tracking)) {
    return { outcome: 'flagged', message: `${line.sku} is not serial-tracked; ${code} cannot be recorded on its line.`, line: yield* ask('line', sessionId, line.id) };
  }
  const own = units.find((u) => u.productId === line.productId);
  if (!own && units.length > 0) {
    return {
      outcome: 'flagged',
      message: `${code} is a serial number of ${units.map((u) => u.sku).join(', ')}, not of ${line.sku}. It was not recorded; scan it on that product's line.`,
      line: yield* ask('line', sessionId, line.id),
    };
  }
  const here = own && own.inStock && own.siteId === session.siteId && own.binId === line.binId && own.batchId === line.batchId;
  const flag = !own ? 'unknown' : here ? null : 'elsewhere';
  yield* ask('insertCode', sessionId, line.id, code, flag, now(), userId);
  yield* ask('recount', line.id, now(), userId);
  const message =
    flag === null
      ? `${code} counted on ${line.sku}.`
      : flag === 'elsewhere'
        ? `${code} counted on ${line.sku}, but the system has it ${yield* describe(own!)}; completing moves it here.`
        : `${code} is not known for ${line.sku}; completing adds it as a found unit.`;
  return { outcome: flag === null ? 'added' : 'flagged', message, line: yield* ask('line', sessionId, line.id) };
}

function* increment(sessionId: number, line: LineRef, userId: number, added: boolean, now: () => number): Steps<CountScanResult> {
  yield* ask('increment', line.id, 10 ** line.scale, now(), userId);
  const updated = yield* ask('line', sessionId, line.id);
  return { outcome: 'incremented', message: `${line.sku}: counted one more${added ? ' (new line added)' : ''}.`, line: updated, ...(added ? { addedLine: true } : {}) };
}

/** A line for a quant that was not in the snapshot: its system quantity is the quant's quantity at the snapshot seq. */
function* addLine(sessionId: number, session: SessionHead, productId: number, binId: number | null, batchId: number | null): Steps<LineRef> {
  const level = yield* ask('level', productId, session.siteId, binId, batchId);
  let systemQty = 0;
  if (level) {
    const moved = level.lastSeq > session.snapshotSeq ? yield* ask('movedSince', session.snapshotSeq, productId, session.siteId, binId, batchId) : 0;
    systemQty = level.qty - moved;
  }
  const id = yield* ask('insertLine', sessionId, level?.id ?? null, productId, binId, batchId, systemQty);
  return yield* lineById(sessionId, id);
}

function* lineById(sessionId: number, lineId: number): Steps<LineRef> {
  const line = yield* ask('lineById', sessionId, lineId);
  if (!line) throw lineGone(sessionId, lineId);
  return line;
}

function* describe(u: UnitRef): Steps<string> {
  if (!u.inStock || u.siteId === null) return 'as not in stock';
  const bin = u.binId === null ? null : yield* ask('binCode', u.binId);
  const site = yield* ask('siteName', u.siteId);
  return `at ${site}${bin ? ` in ${bin}` : ''}`;
}

const isSerial = (tracking: string) => tracking === 'SERIAL' || tracking === 'RFID';

/** Scanning into a count on SQLite: the scan steps over the worker's prepared statements, in one transaction. */
export class CountScanning {
  private readonly ops: ScanOps;

  constructor(
    private readonly store: CountStore,
    private readonly scans: CountScanStore,
    private readonly queries: CountQueries,
    private readonly clock: () => number = Date.now,
  ) {
    const s = scans;
    this.ops = {
      head: (id) => store.head(id),
      codeInSession: (id, code) => s.codeInSession(id, code),
      lineById: (id, lineId) => s.lineById(id, lineId),
      unitsBySerial: (serial) => s.unitsBySerial(serial),
      productByCode: (code) => s.productByCode(code),
      linesOfProduct: (id, productId) => s.linesOfProduct(id, productId),
      lineByKey: (id, productId, binId, batchId) => s.lineByKey(id, productId, binId, batchId),
      level: (productId, siteId, binId, batchId) => s.level(productId, siteId, binId, batchId),
      movedSince: (afterSeq, productId, siteId, binId, batchId) => s.movedSince(afterSeq, productId, siteId, binId, batchId),
      insertLine: (id, levelId, productId, binId, batchId, qty) => s.insertLine(id, levelId, productId, binId, batchId, qty),
      insertCode: (id, lineId, code, flag, at, user) => s.insertCode(id, lineId, code, flag, at, user),
      recount: (lineId, at, user) => s.recount(lineId, at, user),
      increment: (lineId, qty, at, user) => s.increment(lineId, qty, at, user),
      binCode: (id) => s.binCode(id),
      siteName: (id) => s.siteName(id),
      line: (id, lineId) => queries.line(id, lineId),
    };
  }

  scan(input: CountScanInput, userId: number): CountScanResult {
    return this.store.transaction(() => runScanSync(scanSteps(input, userId, this.clock), this.ops));
  }

  removeCode(sessionId: number, lineId: number, code: string, userId: number): CountLine {
    return this.store.transaction(() => {
      this.queries.requireDraft(sessionId);
      const removed = this.scans.deleteCode(sessionId, lineId, code.trim());
      if (!removed) throw codeNotOnLine(lineId, code);
      this.scans.recount(lineId, this.clock(), userId);
      return this.queries.line(sessionId, lineId);
    });
  }
}
