import type Database from 'better-sqlite3';
import { AppError } from '../../shared/contract/errors';
import type { AvailabilityRow, BinOption, DocumentDetail, DocumentLineInfo, DocumentSummary, ProductOption } from '../../shared/operations';

const iso = (ms: number) => new Date(ms).toISOString();

const SUMMARY_SQL = `SELECT d.id AS documentId, d.type, o.kind, d.reference, d.occurred_at AS occurredAt, d.recorded_at AS recordedAt,
  u.display_name AS userName, (SELECT COUNT(*) FROM movements m WHERE m.document_id = d.id) AS movementCount, s.name AS siteName,
  o.reason, o.duty_paid AS dutyPaid, o.source_document_id AS sourceDocumentId, sp.name AS supplierName
  FROM documents d JOIN users u ON u.id = d.user_id LEFT JOIN operation_documents o ON o.document_id = d.id LEFT JOIN sites s ON s.id = o.site_id
  LEFT JOIN document_suppliers ds ON ds.document_id = d.id LEFT JOIN suppliers sp ON sp.id = ds.supplier_id`;
type SummaryRow = Omit<DocumentSummary, 'occurredAt' | 'recordedAt'> & { occurredAt: number; recordedAt: number; reason: string | null; dutyPaid: number | null; sourceDocumentId: number | null };

/** Reads the Operations window needs: product picker, bins, what is in stock, documents to reverse. */
/** A product's default bin per site (product_sites), as JSON {siteId: binId}, for the Receive form to preselect. */
const DEFAULT_BINS = `(SELECT json_group_object(ps.site_id, ps.default_bin_id) FROM product_sites ps
  WHERE ps.product_id = products.id AND ps.default_bin_id IS NOT NULL) AS defaultBins`;
type OptionRow = Omit<ProductOption, 'exact' | 'defaultBins'> & { defaultBins: string };
const option = ({ defaultBins, ...r }: OptionRow, exact?: boolean): ProductOption => {
  const bins = JSON.parse(defaultBins) as Record<string, number>;
  return { ...r, ...(exact === undefined ? {} : { exact }), ...(Object.keys(bins).length ? { defaultBins: bins } : {}) };
};

export class OperationLookups {
  constructor(private readonly db: Database.Database) {}

  /** Products by SKU, name or barcode; `exact` marks a product whose SKU (any case) or one of whose barcodes is the search text. */
  products(search: string, limit: number): ProductOption[] {
    const q = search.trim();
    const sql = `SELECT id, sku, name, unit, scale, stock_type AS stockType, tracking, ${DEFAULT_BINS} FROM products WHERE active = 1`;
    if (!q) return (this.db.prepare(`${sql} ORDER BY sku LIMIT ?`).all(limit) as OptionRow[]).map((r) => option(r));
    const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows = this.db
      .prepare(
        `SELECT id, sku, name, unit, scale, stock_type AS stockType, tracking, ${DEFAULT_BINS},
           (sku = ? COLLATE NOCASE OR id IN (SELECT product_id FROM product_barcodes WHERE barcode = ?)) AS exact
         FROM products
         WHERE active = 1 AND (sku = ? COLLATE NOCASE OR sku LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\'
           OR id IN (SELECT product_id FROM product_barcodes WHERE barcode = ?))
         ORDER BY exact DESC, (sku LIKE ? ESCAPE '\\') DESC, sku LIMIT ?`,
      )
      .all(q, q, q, like, like, q, `${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`, limit) as (OptionRow & { exact: number })[];
    return rows.map((r) => option(r, r.exact === 1));
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

  recent(types: string[] | undefined, limit: number): DocumentSummary[] {
    const where = types?.length ? ` WHERE d.type IN (${types.map(() => '?').join(', ')})` : '';
    const rows = this.db.prepare(`${SUMMARY_SQL}${where} ORDER BY d.id DESC LIMIT ?`).all(...(types ?? []), limit) as SummaryRow[];
    return rows.map((r) => this.summary(r));
  }

  /** A document with its lines and what is left of each to reverse or credit. */
  document(documentId: number): DocumentDetail {
    const r = this.db.prepare(`${SUMMARY_SQL} WHERE d.id = ?`).get(documentId) as SummaryRow | undefined;
    if (!r) throw new AppError('NOT_FOUND', `Document ${documentId} does not exist. Check the number.`);
    const lines = this.db
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
    return { ...this.summary(r), reason: r.reason, dutyPaid: r.dutyPaid === 1, sourceDocumentId: r.sourceDocumentId, lines };
  }

  private summary(r: SummaryRow): DocumentSummary {
    return {
      documentId: r.documentId,
      type: r.type,
      kind: r.kind,
      reference: r.reference,
      occurredAt: iso(r.occurredAt),
      recordedAt: iso(r.recordedAt),
      userName: r.userName,
      movementCount: r.movementCount,
      siteName: r.siteName,
      supplierName: r.supplierName,
    };
  }
}
