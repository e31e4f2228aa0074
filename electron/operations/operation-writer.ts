import type { StockChange } from '../../shared/contract/events';
import type { MovementLineInput, PostDocumentInput } from '../../shared/contract/schemas';
import type { DocumentTypeCode } from '../../shared/document-types';
import type { OperationResult, ReviewKit } from '../../shared/operations';
import type { WorkerContext } from '../ledger/worker-context';
import type { ReceiptSupplier } from '../suppliers/suppliers';
import { kitLineRows, type KitSource } from './kit-lines';
import type { OperationMeta, OpsStore } from './ops-store';
import { postedInFormTerms } from './form-lines';
import { runNow } from '../ledger/steps';
import { submitUnderKey, type OperationRequest } from './request-fingerprint';
import type { Pick } from './stock-picker';
import type { NewValueCredit } from './value-credit-store';

/** What a document builder hands the writer: the ledger document (null when nothing moves), its meta, notes. */
export interface BuiltOperation {
  doc: PostDocumentInput | null;
  meta: OperationMeta;
  notes?: string[];
  /** The kit lines of the form over the document lines their components became (the review shows them). */
  kits?: ReviewKit[];
  /** A sale's kit lines, each over the document lines its components became: written to movement_kit_lines with the movements. */
  kitLines?: KitSource[];
  /** The receipt's supplier, recorded on the posted document with whether customs duty was paid (same transaction). */
  supplier?: { supplier: ReceiptSupplier; customsDutyPaid: boolean };
  /** Value-only credits (a refund without return to stock), written in the same transaction. */
  credits?: NewValueCredit[];
  /** SQLite only (adjustment drafts): extra rows written in the same transaction; returns how many value credits. */
  after?: (documentId: number | null) => number;
}

/** The result of a built operation before anything is posted: its notes, nothing moved. */
export function emptyResult(built: BuiltOperation): OperationResult {
  return { documentId: null, documentType: null, reference: null, replayed: false, movementCount: 0, firstSeq: null, lastSeq: null, notes: built.notes ?? [], valueCredits: built.credits?.length ?? 0 };
}

/** The product and site ids a built document moves (for the stock.changed event). */
export function touchedBy(doc: PostDocumentInput): { products: number[]; sites: number[] } {
  return { products: [...new Set(doc.lines.map((l) => l.productId))], sites: [...new Set(doc.lines.map((l) => l.siteId))] };
}

/** The stock.changed event of a posted operation (both stores): its document, its kind, what it moved. */
export function stockChangeOf(built: BuiltOperation, documentId: number): StockChange {
  return { documentId, reason: built.meta.kind, ...(built.doc ? touchedBy(built.doc) : { products: [], sites: [] }) };
}

/**
 * Builds and posts one operation in ONE transaction: the ledger document through DocumentPoster,
 * plus its operation_documents row, its operation_requests row (the input's fingerprint) and any extra rows.
 * What is recorded under the key decides first (submitUnderKey, the rule PostgreSQL's posting runs too): a repeated
 * submit (same idempotency key, same input) returns the first result; the same key with another input is refused as
 * IDEMPOTENCY_CONFLICT.
 */
export function postOperation(
  ctx: WorkerContext,
  ops: OpsStore,
  idempotencyKey: string,
  userId: number,
  request: OperationRequest,
  build: () => BuiltOperation,
  clock: () => number = Date.now,
): OperationResult {
  const keyed = runNow(submitUnderKey(ops, idempotencyKey, request));
  if (keyed.replayed) return keyed.replayed;
  const { db, poster } = ctx.ledger;
  let change: StockChange | null = null;
  const run = db.transaction((): OperationResult => {
    const built = build();
    let result = emptyResult(built);
    if (built.doc) {
      const doc = built.doc;
      const posted = postedInFormTerms(doc, () => poster.post(doc, userId));
      ops.insertMeta(posted.documentId, built.meta);
      result = { ...result, ...posted, documentType: built.doc.type, reference: built.doc.reference ?? null };
      change = stockChangeOf(built, posted.documentId);
    }
    result.valueCredits += writeExtras(ops, built, result);
    ops.insertRequest(idempotencyKey, request.operation, keyed.hash, result.documentId, clock());
    return result;
  });
  let result: OperationResult;
  try {
    result = run();
  } catch (e) {
    poster.reset();
    throw e;
  }
  if (change) ctx.emit('stock.changed', change);
  return result;
}

/**
 * On SQLite, in the posting (or review) transaction: the receipt's supplier, which kit line each component movement of a
 * sale came from, the value credits and any extra rows; returns the extra rows' value credits.
 */
export function writeExtras(ops: OpsStore, built: BuiltOperation, posted: { documentId: number | null; firstSeq: number | null; replayed?: boolean }): number {
  const { documentId } = posted;
  // (a replayed document's movements were written, with their kit lines, by its first posting)
  const firstSeq = posted.replayed ? null : posted.firstSeq;
  if (built.supplier && documentId !== null) ops.recordReceiptSupplier(documentId, built.supplier.supplier, built.supplier.customsDutyPaid);
  if (built.kitLines && firstSeq !== null) ops.insertKitLines(kitLineRows(firstSeq, built.kitLines));
  if (built.credits) ops.insertCredits(built.credits);
  return built.after?.(documentId) ?? 0;
}

/** A ledger line for a picked (or received) quantity. */
export function lineFor(
  productId: number,
  siteId: number,
  type: MovementLineInput['type'],
  pick: Pick,
  sign: 1 | -1,
  extra: Partial<MovementLineInput> = {},
): MovementLineInput {
  const line: MovementLineInput = { productId, siteId, type, qty: sign * pick.qty, ...extra };
  if (pick.binId !== null) line.binId = pick.binId;
  if (pick.batchCode !== null && line.batch === undefined) line.batch = { code: pick.batchCode };
  if (pick.serial !== null) line.serial = pick.serial;
  return line;
}

/** When a document takes effect (epoch ms): its effective time, else now. Recipes explode with the version in force then. */
export function effectiveAt(input: { occurredAt?: string | undefined }, clock: () => number): number {
  const at = input.occurredAt ? Date.parse(input.occurredAt) : clock();
  return Number.isFinite(at) ? at : clock();
}

/**
 * The effective time a document names (epoch ms, as effectiveAt reads it), or undefined when it names none and takes
 * effect now: only a named time can be backdated (stock-picker.ts checks the balance by effective time then).
 */
export function namedEffectiveTime(input: { occurredAt?: string | undefined }, at: number): number | undefined {
  return input.occurredAt ? at : undefined;
}

/** The document header fields shared by every operation. */
export function docHeader(
  type: DocumentTypeCode,
  input: { idempotencyKey: string; reference?: string | undefined; occurredAt?: string | undefined; note?: string | undefined },
  lines: MovementLineInput[],
): PostDocumentInput {
  const doc: PostDocumentInput = { idempotencyKey: input.idempotencyKey, type, lines };
  if (input.reference) doc.reference = input.reference;
  if (input.occurredAt) doc.occurredAt = input.occurredAt;
  if (input.note) doc.note = input.note;
  return doc;
}
