import type Database from 'better-sqlite3';
import { AppError } from '../../shared/contract/errors';
import type { OnCosts, StockType, TrackingMode } from '../../shared/domain';
import type { EntityRecord, EntityRow, Joined } from '../ledger/entities/columns';
import type { DocumentEntity, MovementEntity } from '../ledger/entities/document.entities';
import type { MovementKitLineEntity, OperationRequestEntity } from '../ledger/entities/operations.entities';
import type { BinEntity, SiteEntity } from '../ledger/entities/place.entities';
import type { ProductEntity } from '../ledger/entities/product.entities';
import type { BatchEntity, CostStateEntity, SerialUnitEntity, StockLevelEntity } from '../ledger/entities/stock.entities';
import { RecipeStore, type ComponentQty } from '../recipes/recipe-store';
import { CompanyStore } from '../company/company-store';
import { companyDateTime, companyDaysFor, type CompanyDays } from '../company/company-time';
import { receiptSuppliers, type ReceiptSuppliers } from '../suppliers/receipt-supplier';
import type { ReceiptSupplier } from '../suppliers/suppliers';
import type { OpsReads } from './ops-reads';
import type { KeyRecords } from './request-fingerprint';
import { ValueCreditStore, type NewValueCredit } from './value-credit-store';

type ProductRecord = EntityRecord<typeof ProductEntity>;
type SiteRecord = EntityRecord<typeof SiteEntity>;
type BinRecord = EntityRecord<typeof BinEntity>;
type BatchRecord = EntityRecord<typeof BatchEntity>;
type LevelRecord = EntityRecord<typeof StockLevelEntity>;
type SerialRecord = EntityRecord<typeof SerialUnitEntity>;
type DocumentRecord = EntityRecord<typeof DocumentEntity>;
type MovementRecord = EntityRecord<typeof MovementEntity>;
type RequestRecord = EntityRecord<typeof OperationRequestEntity>;
type KitLineRecord = EntityRecord<typeof MovementKitLineEntity>;

/** A product as the operations check it (stock type and tracking as the CHECK constraints allow them). */
export type OpProduct = Pick<ProductRecord, 'id' | 'sku' | 'name' | 'unit' | 'scale'> & { stockType: StockType; tracking: TrackingMode; stockKeeping: boolean };
type ProductRow = Omit<OpProduct, 'stockKeeping'> & Pick<ProductRecord, 'stockKeeping'>;

export type OpSite = Pick<SiteRecord, 'id' | 'code' | 'name'> & { external: boolean; allowNegative: boolean };
type SiteRow = Pick<SiteRecord, 'id' | 'code' | 'name' | 'allowNegative'> & { external: 0 | 1 };

/**
 * What the movements of one batch of a product at a site dated after a time moved (`qty`, its bins summed; batch 0 or
 * null: stock without a batch), and `lowestRun` the lowest their running sum reached at the end of any of those
 * effective times (peers summed together, as balanceFromSql's).
 */
export type BatchMovedLater = Pick<LevelRecord, 'batchId' | 'qty'> & { lowestRun: number };

/** A posted document as an operation on it reads it (a reversal, a refund): what it is called and when it took effect. */
export type OpDocument = Pick<DocumentRecord, 'id' | 'type' | 'reference' | 'occurredAt'>;

/** A quant of a product at a site, with its bin and batch codes. */
export type LevelRow = Pick<LevelRecord, 'binId' | 'batchId' | 'qty'> & { binCode: BinRecord['code'] | null; batchCode: BatchRecord['code'] | null; expiry: BatchRecord['expiry'] };

/**
 * A product/site balance by effective time (README "Effective time, backdating and latest cost"): `held` at the end of
 * an instant; `firstLater` the first effective time after it; `lowest` the lowest balance at the end of any later
 * effective time (`held` when none is later) and `lowestAt` the first time it is reached (null when none is later);
 * `now` the balance after every movement (the most a line dated later could take).
 */
export interface EffectiveBalance {
  held: number;
  now: number;
  firstLater: number | null;
  lowest: number;
  lowestAt: number | null;
}

/**
 * The balance statement of one product/site (`k.p`, `k.s`) from `k.t` on, the same on both stores: the current level
 * less what is effective later gives what was held at the end of `k.t`; the later movements' running sum per effective
 * time (peers summed together) gives the lowest point after it. Reads only the later entries of
 * IDX_movements_product_site_occurred (product_id, site_id, occurred_at …, qty) and the quants.
 */
export const balanceFromSql = (k: { p: string; s: string; t: string }) => `SELECT
    (SELECT COALESCE(SUM(qty), 0) FROM stock_levels WHERE product_id = ${k.p} AND site_id = ${k.s}) AS "heldNow",
    COALESCE((SELECT SUM(qty) FROM movements WHERE product_id = ${k.p} AND site_id = ${k.s} AND occurred_at > ${k.t}), 0) AS "movedLater",
    (SELECT MIN(occurred_at) FROM movements WHERE product_id = ${k.p} AND site_id = ${k.s} AND occurred_at > ${k.t}) AS "firstLater",
    (SELECT MIN(run) FROM (SELECT SUM(qty) OVER (ORDER BY occurred_at) AS run FROM movements WHERE product_id = ${k.p} AND site_id = ${k.s} AND occurred_at > ${k.t}) r) AS "lowestRun",
    (SELECT at FROM (SELECT occurred_at AS at, SUM(qty) OVER (ORDER BY occurred_at) AS run FROM movements WHERE product_id = ${k.p} AND site_id = ${k.s} AND occurred_at > ${k.t}) r
      ORDER BY run, at LIMIT 1) AS "lowestAt"`;

/**
 * What one serial unit's movements at a site dated after a time moved (`moved`, in the product's smallest unit) and
 * the lowest their running sum reached at the end of any of those effective times (0 when none moved it).
 */
export interface SerialMovedLater {
  moved: number;
  lowestRun: number;
}

/** The SerialMovedLater of unit (`k.p`, `k.serial`) at site `k.s` after `k.t`, the same on both stores (IDX_movements_serial_occurred). */
export const serialLaterSql = (k: { p: string; serial: string; s: string; t: string }) => `SELECT COALESCE(SUM(r.qty), 0) AS moved, COALESCE(MIN(r.run), 0) AS "lowestRun"
  FROM (SELECT m.qty, SUM(m.qty) OVER (ORDER BY m.occurred_at) AS run FROM movements m
        WHERE m.serial_id = (SELECT u.id FROM serial_units u WHERE u.product_id = ${k.p} AND u.serial = ${k.serial}) AND m.site_id = ${k.s} AND m.occurred_at > ${k.t}) r`;

/** What balanceFromSql returns, as an EffectiveBalance. */
export const effectiveBalance = (r: { heldNow: number; movedLater: number; firstLater: number | null; lowestRun: number | null; lowestAt: number | null }): EffectiveBalance => {
  const held = r.heldNow - r.movedLater;
  return { held, now: r.heldNow, firstLater: r.firstLater, lowest: r.lowestRun === null ? held : held + r.lowestRun, lowestAt: r.lowestAt };
};

/** Where a serial unit is, and whether it is in stock. */
export type SerialUnitPlace = Pick<SerialRecord, 'siteId' | 'binId' | 'inStock'> & { batchCode: BatchRecord['code'] | null };

/** The kit line of a sale a component movement came from (movement_kit_lines): the form line, the kit product, the quantity typed. */
export type KitOrigin = Pick<KitLineRecord, 'formLineNo' | 'kitProductId' | 'kitQty'>;
/** A movement_kit_lines row to write (the sale's, in its transaction). */
export type NewKitLine = EntityRow<typeof MovementKitLineEntity>;

/** The kit origin of a movement read through a LEFT JOIN of movement_kit_lines (null: not a kit's component, or sold before 0050). */
export const kitOrigin = (r: Joined<KitOrigin>): KitOrigin | null =>
  r.formLineNo === null || r.kitProductId === null || r.kitQty === null ? null : { formLineNo: r.formLineNo, kitProductId: r.kitProductId, kitQty: r.kitQty };

/** A document's movement as reversals read it: its codes, cost and non-zero per-unit on-costs, and the kit line it was sold as. */
export type DocMovement = Pick<MovementRecord, 'seq' | 'lineNo' | 'productId' | 'siteId' | 'binId' | 'type' | 'qty' | 'unitCost' | 'costSource'> & {
  batchCode: BatchRecord['code'] | null;
  expiry: BatchRecord['expiry'] | null;
  serial: SerialRecord['serial'] | null;
  onCosts: Record<string, number>;
  kit: KitOrigin | null;
};

/** An earlier document posted under an idempotency key, with its movement counts. */
export interface ReplayedDocument {
  documentId: DocumentRecord['id'];
  documentType: DocumentRecord['type'];
  reference: DocumentRecord['reference'];
  movementCount: number;
  firstSeq: MovementRecord['seq'] | null;
  lastSeq: MovementRecord['seq'] | null;
}

/** The operation request recorded under a key: its operation and input fingerprint. */
export type RecordedRequest = Pick<RequestRecord, 'operation' | 'inputHash' | 'documentId'>;

export interface OperationMeta {
  kind: string;
  siteId?: number | null;
  toSiteId?: number | null;
  reason?: string | null;
  dutyPaid?: boolean;
  sourceDocumentId?: number | null;
  counterparty?: string | null;
}

export const ON_COST_SELECT = `m.oc_insurance AS insurance, m.oc_freight AS freight, m.oc_excise AS excise, m.oc_customs AS customs, m.oc_rhd AS rhd,
  m.oc_rent AS rent, m.oc_delivery AS delivery, m.oc_labour AS labour, m.oc_overhead AS overhead`;
const ON_COST_KEYS = ['insurance', 'freight', 'excise', 'customs', 'rhd', 'rent', 'delivery', 'labour', 'overhead'] as const;
/** The per-unit on-cost columns of a movement, as ON_COST_SELECT names them. */
export type OnCostRow = Record<(typeof ON_COST_KEYS)[number], MovementRecord['ocInsurance']>;

export const nonZero = (r: OnCostRow): Record<string, number> => {
  const onCosts: Record<string, number> = {};
  for (const k of ON_COST_KEYS) if (r[k]) onCosts[k] = r[k];
  return onCosts;
};

/** The refusals of a read that finds nothing, the same on both stores. */
export const productMissing = (where: string) =>
  new AppError('NOT_FOUND', `${where}${where ? 'the' : 'The'} product picked does not exist (it may have been removed). Pick a product from the list.`, { field: 'productId' });
export const siteMissing = (role: string) => new AppError('NOT_FOUND', `The ${role} picked does not exist (it may have been removed). Pick a site from the list.`, { field: 'siteId' });
export const documentMissing = (id: number) => new AppError('NOT_FOUND', `Document ${id} does not exist. Pick the document from the list.`, { field: 'documentId' });

/**
 * The operations' store: the look-ups their rules check (products, sites, quants, costs, serial units), the documents
 * they reverse and replay, what is recorded under a key (KeyRecords, as pg-ops-store.ts answers it on PostgreSQL), and
 * the request and document records they write. Raw statements, prepared once; no method
 * opens a transaction (the operation writer runs them inside its own).
 */
export class OpsStore implements OpsReads, KeyRecords {
  private readonly s;
  private readonly recipes: RecipeStore;
  private readonly suppliers: ReceiptSuppliers;
  private readonly credits: ValueCreditStore;
  constructor(readonly db: Database.Database) {
    this.recipes = new RecipeStore(db);
    this.suppliers = receiptSuppliers(db);
    this.credits = new ValueCreditStore(db);
    this.s = {
      product: db.prepare(
        'SELECT id, sku, name, unit, scale, stock_type AS stockType, tracking, stock_keeping AS stockKeeping FROM products WHERE id = ?',
      ),
      productBySku: db.prepare(
        'SELECT id, sku, name, unit, scale, stock_type AS stockType, tracking, stock_keeping AS stockKeeping FROM products WHERE sku = ?',
      ),
      site: db.prepare("SELECT id, code, name, kind = 'external' AS external, allow_negative AS allowNegative FROM sites WHERE id = ?"),
      levels: db.prepare(
        `SELECT sl.bin_id AS binId, bn.code AS binCode, sl.batch_id AS batchId, b.code AS batchCode, b.expiry AS expiry, sl.qty AS qty
         FROM stock_levels sl LEFT JOIN batches b ON b.id = sl.batch_id LEFT JOIN bins bn ON bn.id = sl.bin_id
         WHERE sl.product_id = ? AND sl.site_id = ? AND sl.qty <> 0
         ORDER BY b.expiry IS NULL, b.expiry, sl.batch_id, sl.bin_id IS NOT NULL, sl.bin_id`,
      ),
      level: db.prepare(
        `SELECT COALESCE(SUM(sl.qty), 0) AS qty FROM stock_levels sl LEFT JOIN batches b ON b.id = sl.batch_id
         WHERE sl.product_id = ? AND sl.site_id = ? AND sl.bin_id IS ? AND b.code IS ?`,
      ),
      latestAt: db.prepare('SELECT MAX(occurred_at) FROM movements WHERE product_id = ? AND site_id = ?').pluck(),
      balanceFrom: db.prepare(balanceFromSql({ p: '@p', s: '@s', t: '@t' })),
      laterByBatch: db.prepare(
        `SELECT batchId, SUM(qty) AS qty, MIN(run) AS lowestRun FROM (
           SELECT batch_id AS batchId, qty, SUM(qty) OVER (PARTITION BY batch_id ORDER BY occurred_at) AS run
           FROM movements WHERE product_id = ? AND site_id = ? AND occurred_at > ?) GROUP BY batchId`,
      ),
      serialLater: db.prepare(serialLaterSql({ p: '@p', serial: '@serial', s: '@s', t: '@t' })),
      batchExpiry: db.prepare('SELECT expiry FROM batches WHERE product_id = ? AND code = ?'),
      latestCost: db.prepare('SELECT latest_cost AS latest FROM cost_state WHERE product_id = ? AND site_id = ?'),
      latestOnCosts: db.prepare(`SELECT ${ON_COST_SELECT} FROM cost_state c JOIN movements m ON m.seq = c.updated_seq WHERE c.product_id = ? AND c.site_id = ?`),
      serialUnit: db.prepare(
        `SELECT s.site_id AS siteId, s.bin_id AS binId, b.code AS batchCode, s.in_stock AS inStock
         FROM serial_units s LEFT JOIN batches b ON b.id = s.batch_id WHERE s.product_id = ? AND s.serial = ?`,
      ),
      otherCase: db
        .prepare('SELECT serial FROM serial_units WHERE product_id = ? AND lower(serial) = lower(?) AND serial <> ? AND site_id = ? AND in_stock = 1 ORDER BY serial')
        .pluck(),
      document: db.prepare('SELECT id, type, reference, occurred_at AS occurredAt FROM documents WHERE id = ?'),
      documentByKey: db.prepare('SELECT id, type, reference FROM documents WHERE idempotency_key = ?'),
      docStats: db.prepare('SELECT COUNT(*) AS n, MIN(seq) AS first, MAX(seq) AS last FROM movements WHERE document_id = ?'),
      docMovements: db.prepare(
        `SELECT m.seq, m.line_no AS lineNo, m.product_id AS productId, m.site_id AS siteId, m.bin_id AS binId, b.code AS batchCode, b.expiry,
           s.serial AS serial, m.type, m.qty, m.unit_cost AS unitCost, m.cost_source AS costSource, ${ON_COST_SELECT},
           k.form_line_no AS formLineNo, k.kit_product_id AS kitProductId, k.kit_qty AS kitQty
         FROM movements m LEFT JOIN batches b ON b.id = m.batch_id LEFT JOIN serial_units s ON s.id = m.serial_id
           LEFT JOIN movement_kit_lines k ON k.seq = m.seq
         WHERE m.document_id = ? ORDER BY m.seq`,
      ),
      insertKitLine: db.prepare('INSERT INTO movement_kit_lines (seq, form_line_no, kit_product_id, kit_qty) VALUES (@seq, @form_line_no, @kit_product_id, @kit_qty)'),
      reversedQty: db.prepare('SELECT COALESCE(SUM(qty), 0) AS q FROM movements WHERE reversal_of = ?'),
      valueCredited: db.prepare('SELECT COALESCE(SUM(qty), 0) AS q FROM operation_value_credits WHERE sale_seq = ?'),
      request: db.prepare('SELECT operation, input_hash AS inputHash, document_id AS documentId FROM operation_requests WHERE idempotency_key = ?'),
      insertRequest: db.prepare('INSERT INTO operation_requests (idempotency_key, operation, input_hash, document_id, recorded_at) VALUES (?, ?, ?, ?, ?)'),
      creditsByKey: db.prepare('SELECT COUNT(*) AS n FROM operation_value_credits WHERE idempotency_key = ?'),
      insertMeta: db.prepare(
        `INSERT INTO operation_documents (document_id, kind, site_id, to_site_id, reason, duty_paid, source_document_id, counterparty)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
    };
  }

  product(id: number, where = ''): OpProduct {
    const row = this.s.product.get(id) as ProductRow | undefined;
    if (!row) throw productMissing(where);
    return { ...row, stockKeeping: row.stockKeeping === 1 };
  }

  productBySku(sku: string): OpProduct | null {
    const row = this.s.productBySku.get(sku) as ProductRow | undefined;
    return row ? { ...row, stockKeeping: row.stockKeeping === 1 } : null;
  }

  site(id: number, role = 'site'): OpSite {
    const row = this.s.site.get(id) as SiteRow | undefined;
    if (!row) throw siteMissing(role);
    return { ...row, external: row.external === 1, allowNegative: row.allowNegative === 1 };
  }

  /** Quants of a product at a site with stock (or debt), first expiry first. */
  levels(productId: number, siteId: number): LevelRow[] {
    return this.s.levels.all(productId, siteId) as LevelRow[];
  }

  levelQty(productId: number, siteId: number, binId: number | null, batchCode: string | null): number {
    return (this.s.level.get(productId, siteId, binId, batchCode) as Pick<LevelRecord, 'qty'>).qty;
  }

  latestAt(productId: number, siteId: number): number | null {
    return (this.s.latestAt.get(productId, siteId) as number | null) ?? null;
  }

  balanceFrom(productId: number, siteId: number, at: number): EffectiveBalance {
    return effectiveBalance(this.s.balanceFrom.get({ p: productId, s: siteId, t: at }) as Parameters<typeof effectiveBalance>[0]);
  }

  laterByBatch(productId: number, siteId: number, at: number): BatchMovedLater[] {
    return this.s.laterByBatch.all(productId, siteId, at) as BatchMovedLater[];
  }

  batchExpiry(productId: number, code: string): string | null {
    return (this.s.batchExpiry.get(productId, code) as Pick<BatchRecord, 'expiry'> | undefined)?.expiry ?? null;
  }

  latestCost(productId: number, siteId: number): number | null {
    const row = this.s.latestCost.get(productId, siteId) as { latest: EntityRecord<typeof CostStateEntity>['latestCost'] } | undefined;
    return row ? row.latest : null;
  }

  /** The components of the recipe version in force at `at` (epoch ms): a backdated sale explodes as it would have then. */
  components(recipeId: number, at: number): ComponentQty[] {
    return this.recipes.componentsAt(recipeId, at);
  }

  /** Per-unit on-costs of the stock at a site: those of the movement that set its latest cost (none when it has no cost). */
  latestOnCosts(productId: number, siteId: number): OnCosts {
    const row = this.s.latestOnCosts.get(productId, siteId) as OnCostRow | undefined;
    return row ? nonZero(row) : {};
  }

  serialUnit(productId: number, serial: string): SerialUnitPlace | null {
    return (this.s.serialUnit.get(productId, serial) as SerialUnitPlace | undefined) ?? null;
  }

  serialLater(productId: number, serial: string, siteId: number, at: number): SerialMovedLater {
    return this.s.serialLater.get({ p: productId, serial, s: siteId, t: at }) as SerialMovedLater;
  }

  serialsInOtherCase(productId: number, serial: string, siteId: number): string[] {
    return this.s.otherCase.all(productId, serial, serial, siteId) as string[];
  }

  document(id: number): OpDocument {
    const row = this.s.document.get(id) as OpDocument | undefined;
    if (!row) throw documentMissing(id);
    return row;
  }

  /** An earlier document posted under this key: its movement counts (a replayed submit). */
  replay(idempotencyKey: string): ReplayedDocument | null {
    const doc = this.s.documentByKey.get(idempotencyKey) as Pick<DocumentRecord, 'id' | 'type' | 'reference'> | undefined;
    if (!doc) return null;
    const m = this.s.docStats.get(doc.id) as { n: number; first: number | null; last: number | null };
    return { documentId: doc.id, documentType: doc.type, reference: doc.reference, movementCount: m.n, firstSeq: m.first, lastSeq: m.last };
  }

  /** The operation request recorded under this key (its input fingerprint), if any. */
  request(idempotencyKey: string): RecordedRequest | null {
    return (this.s.request.get(idempotencyKey) as RecordedRequest | undefined) ?? null;
  }

  insertRequest(idempotencyKey: string, operation: string, inputHash: string, documentId: number | null, now: number): void {
    this.s.insertRequest.run(idempotencyKey, operation, inputHash, documentId, now);
  }

  /** Value-only credit lines written under this key. */
  creditsByKey(idempotencyKey: string): number {
    return (this.s.creditsByKey.get(idempotencyKey) as { n: number }).n;
  }

  movementsOf(documentId: number): DocMovement[] {
    const rows = this.s.docMovements.all(documentId) as (Omit<DocMovement, 'onCosts' | 'kit'> & OnCostRow & Joined<KitOrigin>)[];
    return rows.map((r) => {
      const onCosts = nonZero(r);
      const { seq, lineNo, productId, siteId, binId, batchCode, expiry, serial, type, qty, unitCost, costSource } = r;
      return { seq, lineNo, productId, siteId, binId, batchCode, expiry, serial, type, qty, unitCost, costSource, onCosts, kit: kitOrigin(r) };
    });
  }

  /** Which kit line of the sale each of its component movements came from (posted just now, in this transaction). */
  insertKitLines(rows: readonly NewKitLine[]): void {
    for (const r of rows) this.s.insertKitLine.run(r);
  }

  /** Signed sum of the movements that point at this one. */
  reversedQty(seq: number): number {
    return (this.s.reversedQty.get(seq) as { q: number }).q;
  }

  valueCredited(seq: number): number {
    return (this.s.valueCredited.get(seq) as { q: number }).q;
  }

  insertMeta(documentId: number, m: OperationMeta): void {
    this.s.insertMeta.run(
      documentId, m.kind, m.siteId ?? null, m.toSiteId ?? null, m.reason ?? null, m.dutyPaid ? 1 : 0, m.sourceDocumentId ?? null, m.counterparty ?? null,
    );
  }

  receiptSupplier(supplierId: number): ReceiptSupplier {
    return this.suppliers.forReceipt(supplierId);
  }

  dateTime(at: number): string {
    return companyDateTime(this.db, at);
  }

  days(): CompanyDays {
    return companyDaysFor(new CompanyStore(this.db).settings());
  }

  /** The supplier of a posted receipt, with seed 004's two customs facts (the suppliers' store writes them). */
  recordReceiptSupplier(documentId: number, supplier: ReceiptSupplier, customsDutyPaid: boolean): void {
    this.suppliers.record(documentId, supplier, customsDutyPaid);
  }

  insertCredits(credits: readonly NewValueCredit[]): void {
    for (const c of credits) this.credits.insert(c);
  }
}
