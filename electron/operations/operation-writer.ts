import type { StockChange } from '../../shared/contract/events';
import type { MovementLineInput, PostDocumentInput } from '../../shared/contract/schemas';
import type { DocumentTypeCode } from '../../shared/document-types';
import type { OperationResult } from '../../shared/operations';
import type { WorkerContext } from '../ledger/worker-context';
import type { OperationMeta, OpsStore } from './ops-store';
import { earlierRequest, type OperationRequest } from './request-fingerprint';
import type { Pick } from './stock-picker';

/** What a document builder hands the writer: the ledger document (null when nothing moves), its meta, notes. */
export interface BuiltOperation {
  doc: PostDocumentInput | null;
  meta: OperationMeta;
  notes?: string[];
  /** Extra rows written in the same transaction (value-only credits); returns how many. */
  after?: (documentId: number | null) => number;
}

/**
 * Builds and posts one operation in ONE transaction: the ledger document through DocumentPoster,
 * plus its operation_documents row, its operation_requests row (the input's fingerprint) and any extra rows.
 * A repeated submit (same idempotency key, same input) returns the first result; the same key with another input
 * is refused as IDEMPOTENCY_CONFLICT.
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
  const earlier = earlierRequest(ops, idempotencyKey, request);
  if (earlier.replay) return replayed(ops, idempotencyKey, earlier.documentId);
  // Posted before requests were recorded (or by the ledger directly): replay by the document's key.
  const legacy = ops.replay(idempotencyKey);
  if (legacy) return { ...legacy, replayed: true, notes: [], valueCredits: 0 };
  const { db, poster } = ctx.ledger;
  let kind = 'operation';
  const touched = { products: new Set<number>(), sites: new Set<number>() };
  const run = db.transaction((): OperationResult => {
    const built = build();
    kind = built.meta.kind;
    let result: OperationResult = { documentId: null, documentType: null, reference: null, replayed: false, movementCount: 0, firstSeq: null, lastSeq: null, notes: built.notes ?? [], valueCredits: 0 };
    if (built.doc) {
      for (const l of built.doc.lines) {
        touched.products.add(l.productId);
        touched.sites.add(l.siteId);
      }
      const posted = poster.post(built.doc, userId);
      ops.insertMeta(posted.documentId, built.meta);
      result = { ...result, ...posted, documentType: built.doc.type, reference: built.doc.reference ?? null };
    }
    result.valueCredits = built.after?.(result.documentId) ?? 0;
    ops.insertRequest(idempotencyKey, request.operation, earlier.hash, result.documentId, clock());
    return result;
  });
  let result: OperationResult;
  try {
    result = run();
  } catch (e) {
    poster.reset();
    throw e;
  }
  if (result.documentId !== null) {
    ctx.emit('stock.changed', { documentId: result.documentId, reason: kind, products: [...touched.products], sites: [...touched.sites] } satisfies StockChange);
  }
  return result;
}

function replayed(ops: OpsStore, idempotencyKey: string, documentId: number | null): OperationResult {
  const doc = ops.replay(idempotencyKey);
  if (doc) return { ...doc, replayed: true, notes: [], valueCredits: 0 };
  return { documentId, documentType: null, reference: null, replayed: true, movementCount: 0, firstSeq: null, lastSeq: null, notes: [], valueCredits: ops.creditsByKey(idempotencyKey) };
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
