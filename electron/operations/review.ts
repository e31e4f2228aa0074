import type { OperationReview, ReviewCredit, ReviewMovement } from '../../shared/operations';
import { movementValue } from '../../shared/quantity';
import type { WorkerContext } from '../ledger/worker-context';
import { postedInFormTerms } from './form-lines';
import { writeExtras, type BuiltOperation } from './operation-writer';
import type { OpsStore } from './ops-store';
import { runNow } from '../ledger/steps';
import { reviewUnderKey, type OperationRequest } from './request-fingerprint';
import { ReviewStore, type ReviewRow as Row } from './review-store';

/** Thrown to roll the review's transaction back, carrying what it showed. */
export class Rollback {
  constructor(readonly review: OperationReview) {}
}

/**
 * The review step: builds the document and posts it inside a transaction that is always rolled back, so the
 * user sees exactly the movements (picks, costs, values) posting would write — or the error it would raise.
 */
export function reviewOperation(ctx: WorkerContext, ops: OpsStore, idempotencyKey: string, userId: number, request: OperationRequest, build: () => BuiltOperation): OperationReview {
  // What posting would do under the key decides first, by posting's own rule: a replay shows what the key holds.
  const replay = runNow(reviewUnderKey(ops, idempotencyKey, request));
  const { db, poster } = ctx.ledger;
  if (replay) return { ...describe(db, replay.documentId, idempotencyKey, []), alreadyPosted: true, alreadyPostedDocumentId: replay.documentId };
  const run = db.transaction(() => {
    const built = build();
    const doc = built.doc;
    const posted = doc ? postedInFormTerms(doc, () => poster.post(doc, userId)) : { documentId: null, firstSeq: null };
    const { documentId } = posted;
    writeExtras(ops, built, posted);
    throw new Rollback({ ...describe(db, documentId, idempotencyKey, built.notes ?? []), kits: built.kits ?? [] });
  });
  try {
    run();
  } catch (e) {
    poster.reset();
    if (e instanceof Rollback) return e.review;
    throw e;
  }
  throw new Error('unreachable: the review transaction always rolls back');
}

function describe(db: OpsStore['db'], documentId: number | null, idempotencyKey: string, notes: string[]): OperationReview {
  const store = new ReviewStore(db);
  return reviewOf(documentId === null ? [] : store.movements(documentId), store.levelsAt(documentId), store.credits(idempotencyKey), notes);
}

/**
 * What the review reads of the stock with the document posted, at the document's effective time: a quant's and a
 * product-at-site's quantity (now less the movements dated after the document), and whether any are.
 */
export interface ReviewLevels {
  quantQty(productId: number, siteId: number, binId: number | null, batchId: number | null): number;
  siteQty(productId: number, siteId: number): number;
  /** The product has movements at the site dated after the document (the figures are then not the stock now). */
  later(productId: number, siteId: number): boolean;
}

/**
 * The review of a posted (and about to be rolled back) document's movements and credits, on either store. An outbound
 * line's on-hand figures are what the lines above it leave (in document order): two lines of 5 of a quant holding 8
 * show 8 then 3, so the second shows it takes more than is left. They are held at the document's effective time: for
 * a backdated document, without what was moved after it (onHandThen).
 */
export function reviewOf(rows: Row[], levels: ReviewLevels, recorded: Omit<ReviewCredit, 'onCostValue'>[], notes: string[]): OperationReview {
  // What each quant and each product-at-site held before the document: now minus what this document moved there.
  const held = new Map<string, number>();
  const quant = (r: Row) => `q${r.productId}:${r.siteId}:${r.binId}:${r.batchId}`;
  const atSite = (r: Row) => `s${r.productId}:${r.siteId}`;
  for (const r of rows) {
    for (const [k, now] of [[quant(r), () => levels.quantQty(r.productId, r.siteId, r.binId, r.batchId)], [atSite(r), () => levels.siteQty(r.productId, r.siteId)]] as const) {
      held.set(k, (held.get(k) ?? now()) - r.qty);
    }
  }
  // Then down the document: each line reads what is held when it comes, and leaves that less what it takes.
  const before = (k: string, qty: number) => {
    const h = held.get(k)!;
    held.set(k, h + qty);
    return h;
  };
  let valueIn = 0;
  let valueOut = 0;
  const movements: ReviewMovement[] = rows.map((row) => {
    const { siteId: _s, binId: _b, batchId: _t, ...r } = row;
    const value = movementValue(r.qty, r.unitCost, r.scale);
    if (r.qty > 0) valueIn += value;
    else valueOut -= value;
    const here = before(quant(row), r.qty);
    const site = before(atSite(row), r.qty);
    const out = r.qty < 0;
    return {
      ...r,
      value,
      onCostValue: movementValue(r.qty, r.onCostPerUnit, r.scale),
      availableHere: out ? here : null,
      availableAtSite: out ? site : null,
      onHandThen: out && levels.later(row.productId, row.siteId),
    };
  });
  const credits = recorded.map((c) => ({ ...c, onCostValue: movementValue(c.qty, c.onCostPerUnit, c.scale) }));
  return { alreadyPosted: false, alreadyPostedDocumentId: null, movements, kits: [], credits, notes, valueIn, valueOut };
}
