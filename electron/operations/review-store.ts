import type Database from 'better-sqlite3';
import type { ReviewCredit, ReviewMovement } from '../../shared/operations';
import type { EntityRecord } from '../ledger/entities/columns';
import type { MovementEntity } from '../ledger/entities/document.entities';

/** A movement's per-unit on-costs, summed (the same SQL on both stores). */
export const ON_COST_SUM = 'm.oc_insurance + m.oc_freight + m.oc_excise + m.oc_customs + m.oc_rhd + m.oc_rent + m.oc_delivery + m.oc_labour + m.oc_overhead';

/** A movement of the reviewed document, with its quant's key. */
export type ReviewRow = Omit<ReviewMovement, 'value' | 'onCostValue' | 'availableHere' | 'availableAtSite'> &
  Pick<EntityRecord<typeof MovementEntity>, 'siteId' | 'binId' | 'batchId'>;

/** Every SQL statement of the review step's reads: the document's movements, what its quants hold, its value credits. */
export class ReviewStore {
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      movements: db.prepare(
        `SELECT m.line_no AS lineNo, m.product_id AS productId, p.sku, p.name, p.unit, p.scale, s.name AS siteName, m.site_id AS siteId,
           m.bin_id AS binId, bn.code AS binCode, m.batch_id AS batchId, b.code AS batchCode, b.expiry, su.serial, m.type, m.qty, m.unit_cost AS unitCost,
           m.cost_source AS costSource, ${ON_COST_SUM} AS onCostPerUnit
         FROM movements m JOIN products p ON p.id = m.product_id JOIN sites s ON s.id = m.site_id LEFT JOIN bins bn ON bn.id = m.bin_id
         LEFT JOIN batches b ON b.id = m.batch_id LEFT JOIN serial_units su ON su.id = m.serial_id
         WHERE m.document_id = ? ORDER BY m.seq`,
      ),
      level: db.prepare('SELECT COALESCE(SUM(qty), 0) AS q FROM stock_levels WHERE product_id = ? AND site_id = ? AND bin_id IS ? AND batch_id IS ?').pluck(),
      siteLevel: db.prepare('SELECT COALESCE(SUM(qty), 0) AS q FROM stock_levels WHERE product_id = ? AND site_id = ?').pluck(),
      credits: db.prepare(
        `SELECT p.sku, p.name, p.scale, v.qty, v.unit_cost AS unitCost, v.value, ${ON_COST_SUM} AS onCostPerUnit
         FROM operation_value_credits v JOIN products p ON p.id = v.product_id JOIN movements m ON m.seq = v.sale_seq
         WHERE v.idempotency_key = ? ORDER BY v.line_no`,
      ),
    };
  }

  /** The document's movements in seq order. */
  movements(documentId: number): ReviewRow[] {
    return this.s.movements.all(documentId) as ReviewRow[];
  }

  /** What a quant holds now. */
  quantQty(productId: number, siteId: number, binId: number | null, batchId: number | null): number {
    return this.s.level.get(productId, siteId, binId, batchId) as number;
  }

  /** What a product holds at a site now, over all its bins and batches. */
  siteQty(productId: number, siteId: number): number {
    return this.s.siteLevel.get(productId, siteId) as number;
  }

  /** The value credits recorded under an idempotency key, in line order. */
  credits(idempotencyKey: string): Omit<ReviewCredit, 'onCostValue'>[] {
    return this.s.credits.all(idempotencyKey) as Omit<ReviewCredit, 'onCostValue'>[];
  }
}
