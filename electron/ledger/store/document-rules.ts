import { hash } from 'node:crypto';
import { AppError } from '../../../shared/contract/errors';
import type { MovementLineInput, PostDocumentInput } from '../../../shared/contract/schemas';
import { STOCK_COUNT_DOCUMENT_TYPE } from '../../../shared/counts';
import { DOCUMENT_TYPES, documentAllows, isDocumentTypeCode } from '../../../shared/document-types';
import { directionAllows, isMovementTypeCode, movementType } from '../../../shared/movement-types';
import { ON_COSTS, type CostSource } from '../../../shared/domain';
import { formatQuantity } from '../../../shared/quantity';
import type { EntityFields, EntityRecord } from '../entities/columns';
import type { MovementEntity } from '../entities/document.entities';
import type { SerialUnitEntity } from '../entities/stock.entities';
import type { BinRef, ProductRef, SiteRef } from './reference-cache';
import { checkTransferLegs } from './transfer-legs';
import { withArticle } from '../../../shared/article';

/**
 * The rules a document and its lines must pass before anything is written, whichever store posts them (SQLite's
 * DocumentPoster, PostgreSQL's PgLedgerStore): no SQL here, only the document, the looked-up references and the clock.
 */

export const FUTURE_TOLERANCE_MS = 5 * 60_000;

/** Who is posting, beyond the user: never part of a document, so nothing that arrives as input can set it. */
export interface PostContext {
  /**
   * The documents come from a completed stock count (electron/counts/count-completion.ts; demo history replays counts too).
   * Only then may a Stock Taking document be posted.
   */
  readonly fromCount?: boolean;
  /**
   * History written as if it had been entered live (demo data, electron/demo): each document is recorded at its own
   * effective time, so none of it reads as backdated. The effective time is still refused when it is in the future.
   */
  readonly recordedWhenEffective?: boolean;
}

/** What the idempotency key is held to: the submitted document's content. */
export const payloadHashOf = (doc: PostDocumentInput): string => hash('sha256', JSON.stringify(doc), 'hex');

export const idempotencyConflict = (key: string, documentId: number): AppError =>
  new AppError(
    'IDEMPOTENCY_CONFLICT',
    `A different document was already posted with idempotency key "${key}". Start a new document instead of reusing its key.`,
    { documentId },
  );

export const userGone = (): AppError => new AppError('PERMISSION', 'Your user no longer exists or is disabled. Sign in again.');

/** A line's refusal: `where` (Line n) and the message, naming the line and the field. */
const lineError = (lineNo: number, where: string, message: string, field: string): AppError =>
  new AppError('VALIDATION', `${where}: ${message}`, { line: lineNo, field });

/**
 * Refuses, before anything is written, every document `verify` would flag or that breaks the catalog:
 * a document type Stockbook does not know, a movement type that does not belong on the document,
 * Stock Taking outside a completed count, an empty document, and transfer legs that do not pair and net to zero.
 */
export function checkDocument(doc: PostDocumentInput, context: PostContext, skuOf: (id: number) => string, siteNameOf: (id: number) => string): void {
  const type: string = doc.type;
  if (!isDocumentTypeCode(type)) {
    const known = Object.values(DOCUMENT_TYPES).map((d) => d.displayName.toLowerCase()).join(', ');
    throw new AppError('VALIDATION', `Stockbook has no "${type}" document; stock moves only on a ${known} document. Post it through the matching operation.`, { field: 'type' });
  }
  if (type === STOCK_COUNT_DOCUMENT_TYPE && !context.fromCount) {
    throw new AppError('VALIDATION', 'Stock Taking movements come only from a completed stock count. Count the stock and complete the count, or post an adjustment.', { field: 'type' });
  }
  if (!Array.isArray(doc.lines) || doc.lines.length === 0) throw new AppError('VALIDATION', 'The document has no lines; add at least one line.', { field: 'lines' });
  const info = DOCUMENT_TYPES[type];
  // A plain loop and errors made only when thrown: this runs for every line posted (no closure per line).
  for (let i = 0; i < doc.lines.length; i++) {
    const line = doc.lines[i]!;
    const lineNo = i + 1;
    if (!isMovementTypeCode(line.type)) throw lineError(lineNo, `Line ${lineNo}`, `"${String(line.type)}" is not a movement type. Pick one from the list.`, 'type');
    if (!documentAllows(type, line.type)) {
      const names = info.movementTypes.map((t) => movementType(t).displayName).join(', ');
      const doc = info.displayName.toLowerCase();
      throw lineError(lineNo, `Line ${lineNo}`, `${withArticle(movementType(line.type).displayName)} movement does not belong on ${withArticle(doc)} document (it holds ${names}). Post it through its own operation.`, 'type');
    }
    if (!Number.isSafeInteger(line.qty)) throw lineError(lineNo, `Line ${lineNo}`, `the quantity ${String(line.qty)} is not a whole number of base units.`, 'qty');
  }
  if (type === 'transfer') checkTransferLegs(doc.lines, skuOf, siteNameOf);
}

const futureText = (shown: string) => `The effective time ${shown} is in the future. Enter a time up to now.`;

/**
 * The document's effective time (epoch ms): its own, or now. Refused when it is not a date or lies in the future;
 * `show` prints a time for the message (in the company's time zone where the store knows it).
 */
export function effectiveTime(doc: PostDocumentInput, clockNow: number, show: (at: number) => string): number {
  const occurredAt = doc.occurredAt ? Date.parse(doc.occurredAt) : clockNow;
  if (!Number.isFinite(occurredAt)) {
    throw new AppError('VALIDATION', `The effective time "${doc.occurredAt}" is not a date and time. Enter it as 2026-05-31T17:00:00Z.`, { field: 'occurredAt' });
  }
  if (occurredAt > clockNow + FUTURE_TOLERANCE_MS) {
    // The instant stays in the details: a store that cannot read the company's settings here words it again (inCompanyWords).
    throw new AppError('VALIDATION', futureText(show(occurredAt)), { field: 'occurredAt', futureAt: occurredAt });
  }
  return occurredAt;
}

/** A correction line whose target is missing or of another product (the user picked the wrong movement to correct). */
export const notCorrectable = (where: string, lineNo: number, reversalOf: number, product: ProductRef) =>
  new AppError('VALIDATION', `${where}: movement ${reversalOf} is not a movement of ${product.sku} and cannot be corrected by this line.`, { line: lineNo, field: 'reversalOf' });

/** What an expiry-mismatch refusal says, kept in its details so a store can word it again in the company's date format. */
interface ExpiryMismatch {
  where: string;
  sku: string;
  code: string;
  known: string;
  given: string;
}

const mismatchText = (m: ExpiryMismatch, shown: (day: string) => string) =>
  `${m.where}: batch ${m.code} of ${m.sku} expires on ${shown(m.known)}, not ${shown(m.given)}. Correct the expiry or use a new batch code.`;

/**
 * A line naming a known batch with another expiry than the batch was received with; both days as `shown` writes them
 * (the company's date format; a store that cannot read it here rewords the refusal with expiryMismatchShown).
 */
export const expiryMismatch = (where: string, lineNo: number, product: ProductRef, batch: { code: string; expiry?: string | undefined }, known: string, shown: (day: string) => string = (d) => d) => {
  const m: ExpiryMismatch = { where, sku: product.sku, code: batch.code, known, given: batch.expiry ?? '' };
  return new AppError('VALIDATION', mismatchText(m, shown), { line: lineNo, field: 'batch', expiryMismatch: m });
};

const mismatchOf = (e: unknown): ExpiryMismatch | undefined =>
  e instanceof AppError ? (e.details as { expiryMismatch?: ExpiryMismatch } | undefined)?.expiryMismatch : undefined;
const futureAtOf = (e: unknown): number | undefined => (e instanceof AppError ? (e.details as { futureAt?: number } | undefined)?.futureAt : undefined);

/**
 * Whether `e` is a refusal that names a day or a time (a batch-expiry mismatch, an effective time in the future): a
 * store whose posting plan cannot read the company's settings words it again with inCompanyWords, on that error path only.
 */
export function needsCompanyWords(e: unknown): boolean {
  return mismatchOf(e) !== undefined || futureAtOf(e) !== undefined;
}

/** Such a refusal worded as the company writes days and times (`shown`, `dateTime`); any other error as it is. */
export function inCompanyWords(e: unknown, words: { shown: (day: string) => string; dateTime: (at: number) => string }): unknown {
  if (!(e instanceof AppError)) return e;
  const m = mismatchOf(e);
  if (m) return new AppError(e.code, mismatchText(m, words.shown), e.details);
  const at = futureAtOf(e);
  return at === undefined ? e : new AppError(e.code, futureText(words.dateTime(at)), e.details);
}

/** Where a store finds a line's references (SQLite's ReferenceCache, PostgreSQL's locked snapshot). */
export interface LineRefs {
  product(id: number): ProductRef | null | undefined;
  site(id: number): SiteRef | null | undefined;
  bin(id: number): BinRef | null | undefined;
}

/**
 * A line's product and site must exist, the site be active, the product pass checkProduct, and its bin, when given, be
 * an active bin of that site. Returns what the line moves; a refusal names the line and the field.
 */
export function checkLinePlace(refs: LineRefs, line: MovementLineInput, where: string, lineNo: number): { product: ProductRef; site: SiteRef; binId: number | null } {
  const product = refs.product(line.productId);
  if (!product) throw new AppError('NOT_FOUND', `${where}: the product picked does not exist (it may have been removed). Pick a product from the list.`, { line: lineNo, field: 'productId' });
  const site = refs.site(line.siteId);
  if (!site) throw new AppError('NOT_FOUND', `${where}: the site picked does not exist (it may have been removed). Pick a site from the list.`, { line: lineNo, field: 'siteId' });
  if (!site.active) throw new AppError('CONFLICT', `${where}: ${site.name} is inactive. Pick another site, or reactivate it in Sites & bins.`, { line: lineNo, field: 'siteId' });
  checkProduct(product, line, where, lineNo);
  const binId = line.binId ?? null;
  if (binId !== null) {
    const bin = refs.bin(binId);
    if (!bin || bin.siteId !== site.id) {
      throw new AppError('VALIDATION', `${where}: ${bin ? `bin ${bin.code}` : 'the bin picked'} is not a bin of ${site.name}. Pick a bin of that site.`, { line: lineNo, field: 'binId' });
    }
    if (!bin.active) throw new AppError('CONFLICT', `${where}: bin ${bin.code} at ${site.name} is inactive. Pick another bin, or reactivate it in Sites & bins.`, { line: lineNo, field: 'binId' });
  }
  return { product, site, binId };
}

/** A line's product must hold stock, move in its type's direction, and carry the batch or serial its tracking asks for. */
export function checkProduct(product: ProductRef, line: MovementLineInput, where: string, lineNo: number): void {
  if (product.stockType === 'Recipe') throw lineError(lineNo, where, `${product.sku} is a Recipe product; post movements for its components instead.`, 'productId');
  if (product.stockType === 'Other') throw lineError(lineNo, where, `${product.sku} is not a stock product (stock type Other); remove the line.`, 'productId');
  if (!product.stockKeeping) throw lineError(lineNo, where, `stock keeping is switched off for ${product.sku}; switch it on in the product first.`, 'productId');
  if (!directionAllows(line.type, line.qty)) {
    const info = movementType(line.type);
    throw lineError(lineNo, where, `${withArticle(info.displayName)} movement must have a ${info.direction === '+' ? 'positive' : 'negative'} quantity.`, 'qty');
  }
  if (product.tracking === 'LOT' && !line.batch) throw lineError(lineNo, where, `${product.sku} is lot-tracked; enter its batch.`, 'batch');
  if (product.tracking === 'BULK' && line.batch) throw lineError(lineNo, where, `${product.sku} is not batch-tracked; remove the batch.`, 'batch');
  if (product.tracking === 'SERIAL' || product.tracking === 'RFID') {
    if (!line.serial) throw lineError(lineNo, where, `${product.sku} is ${product.tracking.toLowerCase()}-tracked; enter one ${product.tracking === 'RFID' ? 'tag' : 'serial number'} per unit.`, 'serial');
    if (Math.abs(line.qty) !== 10 ** product.scale) throw lineError(lineNo, where, `a line of ${product.sku} moves exactly one unit per ${product.tracking === 'RFID' ? 'tag' : 'serial number'}.`, 'qty');
  } else if (line.serial) {
    throw lineError(lineNo, where, `${product.sku} is not serial-tracked; remove the serial number.`, 'serial');
  }
}

/** The no-negative-stock refusal: what is on hand, what the line takes, and what to do. */
export function shortfall(product: ProductRef, site: SiteRef, after: number, qty: number, lineNo: number, narrowed: boolean): AppError {
  const onHand = after - qty;
  const q = (n: number) => formatQuantity(n, product.scale);
  return new AppError(
    'NEGATIVE_STOCK',
    `Line ${lineNo}: not enough ${product.sku} "${product.name}" at ${site.name}${narrowed ? ' in that bin/batch' : ''}: on hand ${q(onHand)}, this takes ${q(-qty)}, short by ${q(-after)}. Receive or adjust the stock first, or allow negative stock for ${site.name}.`,
    { line: lineNo, productId: product.id, siteId: site.id, onHand, requested: -qty, shortfall: -after },
  );
}

/** Where a serial-tracked unit is: its site, bin and batch, and whether it is in stock. */
export type SerialPlace = Pick<EntityFields<typeof SerialUnitEntity>, 'siteId' | 'binId' | 'batchId' | 'inStock'>;

/**
 * Why a serial number may not move with its line, or null when it may: in, the unit must not already be in stock
 * (into 'External' it may: out of our hands); out, it must be in stock at that site, and bin when the line names one;
 * out of 'External', nothing to check. The reason names the serial and where it is, without the line ("serial SN-1 of
 * TAP-01 is already in stock at Central Warehouse. …"): the poster puts its line before it, an import preview its row.
 */
export function serialRefusal(
  unit: SerialPlace | undefined,
  product: Pick<ProductRef, 'sku'>,
  site: Pick<SiteRef, 'id' | 'name' | 'external'>,
  line: Pick<MovementLineInput, 'qty' | 'serial'>,
  binId: number | null,
  siteNameOf: (id: number) => string,
): string | null {
  const serial = line.serial!;
  if (line.qty > 0) {
    if (!unit || !unit.inStock || site.external) return null;
    const where = unit.siteId !== null ? siteNameOf(unit.siteId) : 'another site';
    return `serial ${serial} of ${product.sku} is already in stock at ${where}. Scan the right serial or move it out first.`;
  }
  if (site.external) return null;
  if (!unit || !unit.inStock || unit.siteId !== site.id || (binId !== null && unit.binId !== binId)) {
    return `serial ${serial} of ${product.sku} is not in stock at ${site.name}${binId !== null ? ' in that bin' : ''}. Check the serial number (serials are matched exactly, letter case included).`;
  }
  return null;
}

/**
 * A serial number moves with its line (serialRefusal says when it may not): returns the unit's new place — in, at the
 * site (into 'External': recorded there, in stock nowhere); out, in stock nowhere; out of 'External', known or new. A
 * refusal names the line, the serial and the site. `unit` is the unit as stored (or as an earlier line of the same
 * transaction left it).
 */
export function nextSerialPlace(
  unit: SerialPlace | undefined,
  product: ProductRef,
  site: SiteRef,
  line: MovementLineInput,
  binId: number | null,
  batchId: number | null,
  lineNo: number,
  siteNameOf: (id: number) => string,
): SerialPlace {
  const refused = serialRefusal(unit, product, site, line, binId, siteNameOf);
  if (refused) throw new AppError('CONFLICT', `Line ${lineNo}: ${refused}`, { line: lineNo, field: 'serial' });
  if (line.qty > 0) {
    if (!unit) return { siteId: site.external ? null : site.id, binId: site.external ? null : binId, batchId, inStock: !site.external };
    return { siteId: site.external ? null : site.id, binId: site.external ? null : binId, batchId: batchId ?? unit.batchId, inStock: !site.external };
  }
  if (site.external) return unit ?? { siteId: null, binId: null, batchId, inStock: false };
  return { siteId: null, binId: null, batchId: unit!.batchId, inStock: false };
}

/** A product's cost at a site: the latest cost (set by the latest effective inbound cost) and the moving average. */
export interface SiteCost {
  latest: number;
  average: number;
  /** the movement that set the latest cost */
  seq: number;
  /** effective time of that movement */
  at: number;
  /** per-unit on-costs (ON_COSTS order) of that movement */
  onCosts: readonly number[];
}

/**
 * A declared inbound cost (with its per-unit on-costs) moves the weighted average, and becomes the latest cost unless
 * the latest one is effective later: latest cost follows effective time, so a receipt backdated to last month does
 * not replace a cost received since (ties go to the one recorded last).
 */
export function afterInboundCost(prev: SiteCost | null, onHandBefore: number, qty: number, unitCost: number, seq: number, occurredAt: number, onCosts: readonly number[]): SiteCost {
  const base = Math.max(onHandBefore, 0);
  const average = prev && base > 0 ? Math.round((prev.average * base + unitCost * qty) / (base + qty)) : unitCost;
  const later = prev !== null && prev.at > occurredAt;
  return later ? { ...prev, average } : { latest: unitCost, average, seq, at: occurredAt, onCosts };
}

/** The movement a line corrects (reversal_of): its product, quantity, unit cost and per-unit on-costs. */
export type Corrected = Pick<EntityRecord<typeof MovementEntity>, 'productId' | 'qty' | 'unitCost'> & {
  onCosts: readonly number[];
};

/**
 * The line's unit cost, its source and per-unit on-costs (ON_COSTS order). A declared cost (or a transfer in at the
 * dispatching site's cost) and its on-costs become the site's latest (`inbound`: the caller records it with
 * afterInboundCost). A line without a cost takes the latest cost at the site and, unless it names its own, the latest
 * on-costs there: stock moves carrying the on-costs it came in with, per unit, copied as integers (never divided). A
 * correction without a cost of its own (a refund pointing at its sale) takes the cost and on-costs of the movement it
 * corrects, so it undoes exactly what that movement carried. `current` is read only when needed.
 */
export function lineCost(
  line: MovementLineInput,
  declared: readonly number[],
  corrected: Corrected | null,
  current: () => SiteCost | null,
): { unitCost: number; costSource: CostSource; onCosts: readonly number[]; inbound: boolean } {
  if (line.unitCost !== undefined) {
    const costSource = line.costSource ?? 'declared';
    const inbound = line.qty > 0 && (costSource === 'declared' || costSource === 'dispatching_site');
    return { unitCost: line.unitCost, costSource, onCosts: declared, inbound };
  }
  if (corrected && Math.sign(corrected.qty) === -Math.sign(line.qty)) {
    return { unitCost: corrected.unitCost, costSource: 'latest_at_site', onCosts: line.onCosts === undefined ? corrected.onCosts : declared, inbound: false };
  }
  const c = current();
  if (!c) return { unitCost: 0, costSource: 'none', onCosts: declared, inbound: false };
  return { unitCost: c.latest, costSource: 'latest_at_site', onCosts: line.onCosts === undefined ? c.onCosts : declared, inbound: false };
}

const NO_ON_COSTS: readonly number[] = Object.freeze(ON_COSTS.map(() => 0));
/** The line's per-unit on-costs in ON_COSTS order (one shared, frozen row of zeros for the many lines that carry none). */
export const onCostArray = (line: MovementLineInput): readonly number[] => (line.onCosts ? ON_COSTS.map((k) => line.onCosts?.[k] ?? 0) : NO_ON_COSTS);
