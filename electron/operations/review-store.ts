import type Database from 'better-sqlite3';
import type { ReviewCredit, ReviewMovement } from '../../shared/operations';
import type { EntityRecord } from '../ledger/entities/columns';
import type { MovementEntity } from '../ledger/entities/document.entities';
import type { ReviewLevels } from './review';

/** A movement's per-unit on-costs, summed (the same SQL on both stores). */
export const ON_COST_SUM = 'm.oc_insurance + m.oc_freight + m.oc_excise + m.oc_customs + m.oc_rhd + m.oc_rent + m.oc_delivery + m.oc_labour + m.oc_overhead';

/** A movement of the reviewed document, with its quant's key. */
export type ReviewRow = Omit<ReviewMovement, 'value' | 'onCostValue' | 'availableHere' | 'availableAtSite' | 'onHandThen'> &
  Pick<EntityRecord<typeof MovementEntity>, 'siteId' | 'binId' | 'batchId'>;

/** What the movements of a quant dated after a reviewed document moved. */
type QuantLater = Pick<EntityRecord<typeof MovementEntity>, 'binId' | 'batchId' | 'qty'>;

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
      // The movements of a product at a site dated after a document (a backdated one: by IDX_movements_product_occurred).
      later: db.prepare(
        `SELECT m.bin_id AS binId, m.batch_id AS batchId, SUM(m.qty) AS qty FROM movements m
         WHERE m.product_id = ? AND m.site_id = ? AND m.occurred_at > (SELECT occurred_at FROM documents WHERE id = ?)
         GROUP BY m.bin_id, m.batch_id`,
      ),
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

  /**
   * The levels at a document's effective time: what a quant, and a product at a site, hold now less what movements dated
   * after the document moved (none for a document taking effect now; `null`: no document).
   */
  levelsAt(documentId: number | null): ReviewLevels {
    const laterOf = new Map<string, QuantLater[]>();
    const later = (productId: number, siteId: number): QuantLater[] => {
      const k = `${productId}:${siteId}`;
      let l = laterOf.get(k);
      if (l === undefined) laterOf.set(k, (l = documentId === null ? [] : (this.s.later.all(productId, siteId, documentId) as QuantLater[])));
      return l;
    };
    const sum = (ls: QuantLater[]) => ls.reduce((n, l) => n + l.qty, 0);
    return {
      quantQty: (productId, siteId, binId, batchId) =>
        (this.s.level.get(productId, siteId, binId, batchId) as number) - sum(later(productId, siteId).filter((l) => l.binId === binId && l.batchId === batchId)),
      siteQty: (productId, siteId) => (this.s.siteLevel.get(productId, siteId) as number) - sum(later(productId, siteId)),
      later: (productId, siteId) => later(productId, siteId).length > 0,
    };
  }

  /** The value credits recorded under an idempotency key, in line order. */
  credits(idempotencyKey: string): Omit<ReviewCredit, 'onCostValue'>[] {
    return this.s.credits.all(idempotencyKey) as Omit<ReviewCredit, 'onCostValue'>[];
  }
}
