import type pg from 'pg';
import type { PgReader } from '../ledger/pg/store/pg-read-snapshot';
import type { AvailabilityRow, BinOption, DocumentLineInfo } from '../../shared/operations';
import type { PostedAdjustmentLine, PostedAdjustmentRow } from './adjustment-draft-store';
import type { AdjustmentHistoryRecords } from './adjustment-history';
import type { OptionRow, SummaryRow } from './lookup-store';
import type { LookupRecords } from './lookups';

/**
 * Text is ordered as SQLite orders it (byte order, COLLATE "C"), whatever the database's locale; flags come back as
 * 0/1 and JSON as text, as SQLite gives them, so lookups.ts shapes both stores' rows alike. A document's kind and site:
 * its operation's, else the one movement type / site all its movements share, else none (as lookup-store.ts).
 */
const SUMMARY_SQL = `SELECT d.id AS "documentId", d.type,
  COALESCE(o.kind, (SELECT CASE WHEN COUNT(DISTINCT m.type) = 1 THEN MIN(m.type) END FROM movements m WHERE m.document_id = d.id)) AS kind, d.reference, d.occurred_at AS "occurredAt", d.recorded_at AS "recordedAt",
  u.display_name AS "userName", (SELECT COUNT(*) FROM movements m WHERE m.document_id = d.id) AS "movementCount", s.name AS "siteName",
  o.reason, o.duty_paid::int AS "dutyPaid", o.source_document_id AS "sourceDocumentId", sp.name AS "supplierName"
  FROM documents d JOIN users u ON u.id = d.user_id LEFT JOIN operation_documents o ON o.document_id = d.id LEFT JOIN sites s ON s.id = COALESCE(o.site_id,
    (SELECT CASE WHEN COUNT(DISTINCT m.site_id) = 1 THEN MIN(m.site_id) END FROM movements m WHERE m.document_id = d.id))
  LEFT JOIN document_suppliers ds ON ds.document_id = d.id LEFT JOIN suppliers sp ON sp.id = ds.supplier_id`;

/** A product's default bin per site (product_sites), as JSON text {siteId: binId}, for the Receive form to preselect. */
const DEFAULT_BINS = `COALESCE((SELECT json_object_agg(ps.site_id, ps.default_bin_id ORDER BY ps.site_id)::text FROM product_sites ps
  WHERE ps.product_id = products.id AND ps.default_bin_id IS NOT NULL), '{}') AS "defaultBins"`;

const OPTION_COLUMNS = `id, sku, name, unit, scale, stock_type AS "stockType", tracking, ${DEFAULT_BINS}`;

/** A SKU or barcode equal to the search text ($1), a SKU in any case. */
const EXACT = 'lower(sku) = lower($1) OR id IN (SELECT product_id FROM product_barcodes WHERE barcode = $1)';

/** Every PostgreSQL statement of the Operations window's reads (the twin of lookup-store.ts) and of the adjustment history. */
export class PgLookupStore implements LookupRecords, AdjustmentHistoryRecords {
  constructor(private readonly pool: PgReader) {}

  private async rows<R extends pg.QueryResultRow>(sql: string, params: unknown[]): Promise<R[]> {
    return (await this.pool.query<R>(sql, params)).rows;
  }

  products(limit: number): Promise<OptionRow[]> {
    return this.rows(`SELECT ${OPTION_COLUMNS} FROM products WHERE active ORDER BY lower(sku COLLATE "C") LIMIT $1`, [limit]);
  }

  /** Exact matches first, then SKUs starting with the text; ILIKE for "contains", in any case. */
  search(q: string, like: string, prefix: string, limit: number): Promise<(OptionRow & { exact: 0 | 1 })[]> {
    return this.rows(
      `SELECT ${OPTION_COLUMNS}, (${EXACT})::int AS exact
       FROM products
       WHERE active AND (${EXACT} OR sku ILIKE $2 ESCAPE '\\' OR name ILIKE $2 ESCAPE '\\')
       ORDER BY exact DESC, (sku ILIKE $3 ESCAPE '\\') DESC, lower(sku COLLATE "C") LIMIT $4`,
      [q, like, prefix, limit],
    );
  }

  bins(siteId: number): Promise<BinOption[]> {
    return this.rows('SELECT id, site_id AS "siteId", code, name FROM bins WHERE site_id = $1 AND active ORDER BY code COLLATE "C"', [siteId]);
  }

  availability(productId: number, siteId: number): Promise<AvailabilityRow[]> {
    return this.rows(
      `SELECT sl.bin_id AS "binId", bn.code AS "binCode", b.code AS "batchCode", b.expiry, sl.qty
       FROM stock_levels sl LEFT JOIN batches b ON b.id = sl.batch_id LEFT JOIN bins bn ON bn.id = sl.bin_id
       WHERE sl.product_id = $1 AND sl.site_id = $2 AND sl.qty <> 0
       ORDER BY b.expiry IS NULL, b.expiry COLLATE "C", sl.batch_id NULLS FIRST, bn.code COLLATE "C" NULLS FIRST`,
      [productId, siteId],
    );
  }

  recent(types: readonly string[] | undefined, limit: number): Promise<SummaryRow[]> {
    return types?.length
      ? this.rows(`${SUMMARY_SQL} WHERE d.type = ANY($1::text[]) ORDER BY d.id DESC LIMIT $2`, [types, limit])
      : this.rows(`${SUMMARY_SQL} ORDER BY d.id DESC LIMIT $1`, [limit]);
  }

  async document(documentId: number): Promise<SummaryRow | undefined> {
    return (await this.rows<SummaryRow>(`${SUMMARY_SQL} WHERE d.id = $1`, [documentId]))[0];
  }

  documentLines(documentId: number): Promise<DocumentLineInfo[]> {
    return this.rows(
      `SELECT m.seq, m.line_no AS "lineNo", m.product_id AS "productId", p.sku, p.name, p.scale, m.site_id AS "siteId", s.name AS "siteName",
         bn.code AS "binCode", b.code AS "batchCode", b.expiry, su.serial, m.type, m.qty, m.unit_cost AS "unitCost", m.cost_source AS "costSource",
         (ABS(m.qty) - ABS(COALESCE((SELECT SUM(r.qty) FROM movements r WHERE r.reversal_of = m.seq), 0))
           - COALESCE((SELECT SUM(v.qty) FROM operation_value_credits v WHERE v.sale_seq = m.seq), 0))::bigint AS remaining
       FROM movements m JOIN products p ON p.id = m.product_id JOIN sites s ON s.id = m.site_id LEFT JOIN bins bn ON bn.id = m.bin_id
       LEFT JOIN batches b ON b.id = m.batch_id LEFT JOIN serial_units su ON su.id = m.serial_id
       WHERE m.document_id = $1 ORDER BY m.seq`,
      [documentId],
    );
  }

  postedAdjustments(limit: number, offset: number): Promise<PostedAdjustmentRow[]> {
    return this.rows(
      `SELECT d.id AS "documentId", d.reference AS name, d.occurred_at AS "occurredAt", d.recorded_at AS "postedAt", u.display_name AS "userName",
         s.name AS "siteName", ad.id AS "draftId"
       FROM documents d JOIN operation_documents o ON o.document_id = d.id JOIN users u ON u.id = d.user_id
       LEFT JOIN sites s ON s.id = o.site_id LEFT JOIN adjustment_drafts ad ON ad.document_id = d.id
       WHERE o.kind = 'inventory_adjustment' ORDER BY d.id DESC LIMIT $1 OFFSET $2`,
      [limit, offset],
    );
  }

  postedLines(documentId: number): Promise<PostedAdjustmentLine[]> {
    return this.rows(
      `SELECT p.sku, p.name, p.scale, m.qty, m.note, m.unit_cost AS "unitCost", m.balance_after AS "balanceAfter"
       FROM movements m JOIN products p ON p.id = m.product_id WHERE m.document_id = $1 ORDER BY m.seq`,
      [documentId],
    );
  }
}
