import type Database from 'better-sqlite3';
import type { AvailabilityRow, BinOption, DocumentDetail, DocumentLineInfo, DocumentSummary, ProductOption } from '../../shared/operations';
import type { EntityRecord, Joined } from '../ledger/entities/columns';
import type { DocumentEntity } from '../ledger/entities/document.entities';
import type { OperationDocumentEntity } from '../ledger/entities/operations.entities';
import type { LookupRecords } from './lookups';

/** A document as the pickers read it (times still epoch ms), with its operation's reason, duty and source. */
export type SummaryRow = Omit<DocumentSummary, 'occurredAt' | 'recordedAt'> &
  Pick<EntityRecord<typeof DocumentEntity>, 'occurredAt' | 'recordedAt'> &
  Joined<Pick<EntityRecord<typeof OperationDocumentEntity>, 'reason' | 'dutyPaid' | 'sourceDocumentId'>>;

/** A product option as read: its default bins still JSON {siteId: binId}. */
export type OptionRow = Omit<ProductOption, 'exact' | 'defaultBins'> & { defaultBins: string };

/**
 * A document's kind and site: its operation's (Receive, Despatch…), else the one movement type / site all its movements
 * share (a document written by the demo loader has no operation row), else none (several).
 */
const SUMMARY_SQL = `SELECT d.id AS documentId, d.type,
  COALESCE(o.kind, (SELECT CASE WHEN COUNT(DISTINCT m.type) = 1 THEN MIN(m.type) END FROM movements m WHERE m.document_id = d.id)) AS kind, d.reference, d.occurred_at AS occurredAt, d.recorded_at AS recordedAt,
  u.display_name AS userName, (SELECT COUNT(*) FROM movements m WHERE m.document_id = d.id) AS movementCount, s.name AS siteName,
  o.reason, o.duty_paid AS dutyPaid, o.source_document_id AS sourceDocumentId, sp.name AS supplierName
  FROM documents d JOIN users u ON u.id = d.user_id LEFT JOIN operation_documents o ON o.document_id = d.id LEFT JOIN sites s ON s.id = COALESCE(o.site_id,
    (SELECT CASE WHEN COUNT(DISTINCT m.site_id) = 1 THEN MIN(m.site_id) END FROM movements m WHERE m.document_id = d.id))
  LEFT JOIN document_suppliers ds ON ds.document_id = d.id LEFT JOIN suppliers sp ON sp.id = ds.supplier_id`;

/** A product's default bin per site (product_sites), as JSON {siteId: binId}, for the Receive form to preselect. */
const DEFAULT_BINS = `(SELECT json_group_object(ps.site_id, ps.default_bin_id) FROM product_sites ps
  WHERE ps.product_id = products.id AND ps.default_bin_id IS NOT NULL) AS defaultBins`;

const OPTION_SQL = `SELECT id, sku, name, unit, scale, stock_type AS stockType, tracking, ${DEFAULT_BINS} FROM products WHERE active = 1`;

/** Every SQL statement of the Operations window's reads: product picker, bins, what is in stock, documents to reverse. */
export class LookupStore implements LookupRecords {
  constructor(readonly db: Database.Database) {}

  /** The first active products by SKU. */
  products(limit: number): OptionRow[] {
    return this.db.prepare(`${OPTION_SQL} ORDER BY sku COLLATE NOCASE LIMIT ?`).all(limit) as OptionRow[];
  }

  /**
   * Active products whose SKU (any case) or barcode is `q`, or whose SKU or name contains it (`like`: the escaped
   * %q% pattern, `prefix`: q%): exact matches first, then SKUs starting with it.
   */
  search(q: string, like: string, prefix: string, limit: number): (OptionRow & { exact: 0 | 1 })[] {
    return this.db
      .prepare(
        `SELECT id, sku, name, unit, scale, stock_type AS stockType, tracking, ${DEFAULT_BINS},
           (sku = ? COLLATE NOCASE OR id IN (SELECT product_id FROM product_barcodes WHERE barcode = ?)) AS exact
         FROM products
         WHERE active = 1 AND (sku = ? COLLATE NOCASE OR sku LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\'
           OR id IN (SELECT product_id FROM product_barcodes WHERE barcode = ?))
         ORDER BY exact DESC, (sku LIKE ? ESCAPE '\\') DESC, sku COLLATE NOCASE LIMIT ?`,
      )
      .all(q, q, q, like, like, q, prefix, limit) as (OptionRow & { exact: 0 | 1 })[];
  }

  bins(siteId: number): BinOption[] {
    return this.db.prepare('SELECT id, site_id AS siteId, code, name FROM bins WHERE site_id = ? AND active = 1 ORDER BY code').all(siteId) as BinOption[];
  }

  availability(productId: number, siteId: number): AvailabilityRow[] {
    return this.db
      .prepare(
        `SELECT sl.bin_id AS binId, bn.code AS binCode, b.code AS batchCode, b.expiry, sl.qty
         FROM stock_levels sl LEFT JOIN batches b ON b.id = sl.batch_id LEFT JOIN bins bn ON bn.id = sl.bin_id
         WHERE sl.product_id = ? AND sl.site_id = ? AND sl.qty <> 0 ORDER BY b.expiry IS NULL, b.expiry, sl.batch_id, bn.code`,
      )
      .all(productId, siteId) as AvailabilityRow[];
  }

  /** The latest documents, of some types or any. */
  recent(types: readonly string[] | undefined, limit: number): SummaryRow[] {
    const where = types?.length ? ` WHERE d.type IN (${types.map(() => '?').join(', ')})` : '';
    return this.db.prepare(`${SUMMARY_SQL}${where} ORDER BY d.id DESC LIMIT ?`).all(...(types ?? []), limit) as SummaryRow[];
  }

  document(documentId: number): SummaryRow | undefined {
    return this.db.prepare(`${SUMMARY_SQL} WHERE d.id = ?`).get(documentId) as SummaryRow | undefined;
  }

  /** A document's movements with what is left of each to reverse or credit. */
  documentLines(documentId: number): DocumentDetail['lines'] {
    return this.db
      .prepare(
        `SELECT m.seq, m.line_no AS lineNo, m.product_id AS productId, p.sku, p.name, p.scale, m.site_id AS siteId, s.name AS siteName,
           bn.code AS binCode, b.code AS batchCode, b.expiry, su.serial, m.type, m.qty, m.unit_cost AS unitCost, m.cost_source AS costSource,
           ABS(m.qty) - ABS(COALESCE((SELECT SUM(r.qty) FROM movements r WHERE r.reversal_of = m.seq), 0))
             - COALESCE((SELECT SUM(v.qty) FROM operation_value_credits v WHERE v.sale_seq = m.seq), 0) AS remaining
         FROM movements m JOIN products p ON p.id = m.product_id JOIN sites s ON s.id = m.site_id LEFT JOIN bins bn ON bn.id = m.bin_id
         LEFT JOIN batches b ON b.id = m.batch_id LEFT JOIN serial_units su ON su.id = m.serial_id
         WHERE m.document_id = ? ORDER BY m.seq`,
      )
      .all(documentId) as DocumentLineInfo[];
  }
}
