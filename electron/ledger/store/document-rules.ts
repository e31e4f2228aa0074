import { hash } from 'node:crypto';
import { AppError } from '../../../shared/contract/errors';
import type { MovementLineInput, PostDocumentInput } from '../../../shared/contract/schemas';
import { STOCK_COUNT_DOCUMENT_TYPE } from '../../../shared/counts';
import { DOCUMENT_TYPES, documentAllows, isDocumentTypeCode } from '../../../shared/document-types';
import { directionAllows, isMovementTypeCode, movementType } from '../../../shared/movement-types';
import { formatQuantity } from '../../../shared/quantity';
import type { ProductRef, SiteRef } from './reference-cache';
import { checkTransferLegs } from './transfer-legs';

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
      throw lineError(lineNo, `Line ${lineNo}`, `a ${movementType(line.type).displayName} movement does not belong on ${/^[aeiou]/.test(doc) ? 'an' : 'a'} ${doc} document (it holds ${names}). Post it through its own operation.`, 'type');
    }
    if (!Number.isSafeInteger(line.qty)) throw lineError(lineNo, `Line ${lineNo}`, `the quantity ${String(line.qty)} is not a whole number of base units.`, 'qty');
  }
  if (type === 'transfer') checkTransferLegs(doc.lines, skuOf, siteNameOf);
}

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
    throw new AppError('VALIDATION', `The effective time ${show(occurredAt)} is in the future. Enter a time up to now.`, { field: 'occurredAt' });
  }
  return occurredAt;
}

/** A line's product must hold stock, move in its type's direction, and carry the batch or serial its tracking asks for. */
export function checkProduct(product: ProductRef, line: MovementLineInput, where: string, lineNo: number): void {
  if (product.stockType === 'Recipe') throw lineError(lineNo, where, `${product.sku} is a Recipe product; post movements for its components instead.`, 'productId');
  if (product.stockType === 'Other') throw lineError(lineNo, where, `${product.sku} is not a stock product (stock type Other); remove the line.`, 'productId');
  if (!product.stockKeeping) throw lineError(lineNo, where, `stock keeping is switched off for ${product.sku}; switch it on in the product first.`, 'productId');
  if (!directionAllows(line.type, line.qty)) {
    const info = movementType(line.type);
    throw lineError(lineNo, where, `a ${info.displayName} movement must have a ${info.direction === '+' ? 'positive' : 'negative'} quantity.`, 'qty');
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
