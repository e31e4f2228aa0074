import type { OperationReview, ReviewCredit, ReviewMovement } from '../../shared/operations';
import { movementValue } from '../../shared/quantity';
import type { WorkerContext } from '../ledger/worker-context';
import type { BuiltOperation } from './operation-writer';
import type { OpsDb } from './ops-db';
import { earlierRequest, type OperationRequest } from './request-fingerprint';

const ON_COSTS = 'm.oc_insurance + m.oc_freight + m.oc_excise + m.oc_customs + m.oc_rhd + m.oc_rent + m.oc_delivery + m.oc_labour + m.oc_overhead';

const MOVEMENTS_SQL = `SELECT m.line_no AS lineNo, m.product_id AS productId, p.sku, p.name, p.unit, p.scale, s.name AS siteName, m.site_id AS siteId,
    m.bin_id AS binId, bn.code AS binCode, m.batch_id AS batchId, b.code AS batchCode, b.expiry, su.serial, m.type, m.qty, m.unit_cost AS unitCost,
    m.cost_source AS costSource, ${ON_COSTS} AS onCostPerUnit
  FROM movements m JOIN products p ON p.id = m.product_id JOIN sites s ON s.id = m.site_id LEFT JOIN bins bn ON bn.id = m.bin_id
  LEFT JOIN batches b ON b.id = m.batch_id LEFT JOIN serial_units su ON su.id = m.serial_id
  WHERE m.document_id = ? ORDER BY m.seq`;

type Row = Omit<ReviewMovement, 'value' | 'onCostValue' | 'availableHere' | 'availableAtSite'> & { siteId: number; binId: number | null; batchId: number | null };

class Rollback {
  constructor(readonly review: OperationReview) {}
}

/**
 * The review step: builds the document and posts it inside a transaction that is always rolled back, so the
 * user sees exactly the movements (picks, costs, values) posting would write — or the error it would raise.
 */
export function reviewOperation(ctx: WorkerContext, ops: OpsDb, idempotencyKey: string, userId: number, request: OperationRequest, build: () => BuiltOperation): OperationReview {
  const earlier = earlierRequest(ops, idempotencyKey, request);
  const { db, poster } = ctx.ledger;
  if (earlier.replay) return { ...describe(db, earlier.documentId, idempotencyKey, []), alreadyPostedDocumentId: earlier.documentId };
  const run = db.transaction(() => {
    const built = build();
    let documentId: number | null = null;
    if (built.doc) documentId = poster.post(built.doc, userId).documentId;
    built.after?.(documentId);
    throw new Rollback(describe(db, documentId, idempotencyKey, built.notes ?? []));
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

function describe(db: OpsDb['db'], documentId: number | null, idempotencyKey: string, notes: string[]): OperationReview {
  const rows = documentId === null ? [] : (db.prepare(MOVEMENTS_SQL).all(documentId) as Row[]);
  // What each quant held before the document: now minus what this document moved there.
  const moved = new Map<string, number>();
  const movedAtSite = new Map<string, number>();
  const quant = (r: Row) => `${r.productId}:${r.siteId}:${r.binId}:${r.batchId}`;
  for (const r of rows) {
    moved.set(quant(r), (moved.get(quant(r)) ?? 0) + r.qty);
    movedAtSite.set(`${r.productId}:${r.siteId}`, (movedAtSite.get(`${r.productId}:${r.siteId}`) ?? 0) + r.qty);
  }
  const level = db.prepare('SELECT COALESCE(SUM(qty), 0) AS q FROM stock_levels WHERE product_id = ? AND site_id = ? AND bin_id IS ? AND batch_id IS ?');
  const siteLevel = db.prepare('SELECT COALESCE(SUM(qty), 0) AS q FROM stock_levels WHERE product_id = ? AND site_id = ?');
  let valueIn = 0;
  let valueOut = 0;
  const movements: ReviewMovement[] = rows.map(({ siteId, binId, batchId, ...r }) => {
    const value = movementValue(r.qty, r.unitCost, r.scale);
    if (r.qty > 0) valueIn += value;
    else valueOut -= value;
    const out = r.qty < 0;
    const row = { ...r, siteId, binId, batchId };
    return {
      ...r,
      value,
      onCostValue: movementValue(r.qty, r.onCostPerUnit, r.scale),
      availableHere: out ? (level.get(r.productId, siteId, binId, batchId) as { q: number }).q - moved.get(quant(row))! : null,
      availableAtSite: out ? (siteLevel.get(r.productId, siteId) as { q: number }).q - movedAtSite.get(`${r.productId}:${siteId}`)! : null,
    };
  });
  const credits = (
    db
      .prepare(
        `SELECT p.sku, p.name, p.scale, v.qty, v.unit_cost AS unitCost, v.value, ${ON_COSTS} AS onCostPerUnit
         FROM operation_value_credits v JOIN products p ON p.id = v.product_id JOIN movements m ON m.seq = v.sale_seq
         WHERE v.idempotency_key = ? ORDER BY v.line_no`,
      )
      .all(idempotencyKey) as Omit<ReviewCredit, 'onCostValue'>[]
  ).map((c) => ({ ...c, onCostValue: movementValue(c.qty, c.onCostPerUnit, c.scale) }));
  return { alreadyPostedDocumentId: null, movements, credits, notes, valueIn, valueOut };
}
