import type pg from 'pg';
import type { EarlierImport } from '../../shared/operations';
import type { ImportBatch, ImportBin, ImportPlanSource, ImportProduct, ImportSerialUnit, ImportSite } from './import-plan-store';
import type { ImportRecords } from './import-rules';
import type { EarlierImportRow, ImportFileRecord, ImportPostingRow } from './import-store';
import type { RecordedRequest, ReplayedDocument } from './ops-store';
import { PgOpsStore } from './pg-ops-store';
import { companyLocale } from '../company/company-rules';
import { pgCompanyDateTime, pgCompanySettings } from '../company/pg-time-zone-store';

type Client = pg.PoolClient;

const POSTING_SELECT = `SELECT p.id, p.idempotency_key AS "idempotencyKey", p.request_hash AS "requestHash", p.content_hash AS "contentHash",
  p.confirm_duplicate AS "confirmDuplicate", p.kind, p.file_name AS "fileName", p.user_id AS "userId", u.display_name AS "userName", p.row_count AS rows,
  p.chunk_count AS chunks, p.posted_chunks AS "postedChunks", p.posted_rows AS "postedRows", p.document_ids AS "documentIds", p.status, p.error,
  p.created_at AS "createdAt" FROM import_postings p JOIN users u ON u.id = p.user_id`;
type RawPosting = Omit<ImportPostingRow, 'documentIds'> & { documentIds: string };
const posting = (r: RawPosting): ImportPostingRow => ({ ...r, documentIds: JSON.parse(r.documentIds) as number[] });

/**
 * Every PostgreSQL statement of stock import, on one client inside the caller's transaction: the import rules' records
 * (import-rules.ts: requests, documents, earlier and unfinished imports of a content), the products, sites and bins a
 * file is checked against, and the file's record once posted (UQ_import_files_content_copy backs up "posted once").
 */
export class PgImportStore implements ImportRecords {
  private readonly ops: PgOpsStore;
  constructor(private readonly c: Client) {
    this.ops = new PgOpsStore(c);
  }

  private async rows<R extends pg.QueryResultRow>(sql: string, params: unknown[]): Promise<R[]> {
    return (await this.c.query<R>(sql, params)).rows;
  }

  request(idempotencyKey: string): Promise<RecordedRequest | null> {
    return this.ops.request(idempotencyKey);
  }

  replay(idempotencyKey: string): Promise<ReplayedDocument | null> {
    return this.ops.replay(idempotencyKey);
  }

  async postingByKey(idempotencyKey: string): Promise<ImportPostingRow | undefined> {
    const [r] = await this.rows<RawPosting>(`${POSTING_SELECT} WHERE p.idempotency_key = $1`, [idempotencyKey]);
    return r && posting(r);
  }

  async unfinishedOf(contentHash: string): Promise<ImportPostingRow[]> {
    return (await this.rows<RawPosting>(`${POSTING_SELECT} WHERE p.content_hash = $1 AND p.status <> 'posted' ORDER BY p.id`, [contentHash])).map(posting);
  }

  /** An instant as an import's refusal names it: the company's date format and time zone. */
  dateTime(at: number): Promise<string> {
    return pgCompanyDateTime(this.c, at);
  }

  /** The locale the company writes numbers in: an import's refusals group their counts by it. */
  async locale(): Promise<string> {
    return companyLocale(await pgCompanySettings(this.c));
  }

  async earlier(contentHash: string): Promise<EarlierImport[]> {
    const found = await this.rows<EarlierImportRow>(
      `SELECT f.recorded_at AS "recordedAt", u.display_name AS "userName", f.file_name AS "fileName", f.kind, f.row_count AS rows, f.document_ids AS "documentIds"
       FROM import_files f JOIN users u ON u.id = f.user_id WHERE f.content_hash = $1 ORDER BY f.copy_no`,
      [contentHash],
    );
    return found.map((r) => ({ ...r, recordedAt: new Date(r.recordedAt).toISOString(), documentIds: JSON.parse(r.documentIds) as number[] }));
  }

  /** How many times this content was imported (the next import is copy n + 1). */
  async copies(contentHash: string): Promise<number> {
    return (await this.rows<{ n: number }>('SELECT COALESCE(MAX(copy_no), 0) AS n FROM import_files WHERE content_hash = $1', [contentHash]))[0]!.n;
  }

  /** Records an import; a second copy 1 (or n) of the same content fails on UQ_import_files_content_copy. */
  async record(r: ImportFileRecord): Promise<void> {
    await this.c.query(
      `INSERT INTO import_files (content_hash, copy_no, kind, file_name, idempotency_key, row_count, document_ids, user_id, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [r.contentHash, r.copyNo, r.kind, r.fileName, r.idempotencyKey, r.rows, JSON.stringify(r.documentIds), r.userId, r.recordedAt],
    );
  }

  /** Every product, site, bin and batch, as an import file is checked against them (import-plan.ts). */
  async planSource(): Promise<ImportPlanSource> {
    const products = await this.rows<ImportProduct>('SELECT id, sku, name, unit, scale, tracking, stock_type AS "stockType", stock_keeping::int AS "stockKeeping" FROM products', []);
    const sites = await this.rows<ImportSite>('SELECT id, code, name, kind, active FROM sites', []);
    const bins = await this.rows<ImportBin>('SELECT id, site_id AS "siteId", code, active FROM bins', []);
    const batches = await this.rows<ImportBatch>('SELECT product_id AS "productId", code, expiry FROM batches', []);
    const units = await this.rows<ImportSerialUnit & { productId: number; serial: string }>(
      'SELECT product_id AS "productId", serial, site_id AS "siteId", bin_id AS "binId", batch_id AS "batchId", in_stock AS "inStock" FROM serial_units WHERE in_stock',
      [],
    );
    const inStock = new Map(units.map(({ productId, serial, ...u }) => [`${productId}\u0000${serial}`, u]));
    return { products: () => products, sites: () => sites, bins: () => bins, batches: () => batches, unitInStock: (productId, serial) => inStock.get(`${productId}\u0000${serial}`) };
  }

  /** The import's records of a posted document: its operation row, and (for the first) the request under the key. */
  async recordDocument(documentId: number, meta: { kind: string; reason: string | null }, request: { idempotencyKey: string; hash: string; at: number } | null): Promise<void> {
    await this.ops.insertMeta(documentId, meta);
    if (request) await this.ops.insertRequest(request.idempotencyKey, 'import', request.hash, documentId, request.at);
  }
}
