import type pg from 'pg';
import type { StockType } from '../../shared/domain';
import type { DraftLine } from '../../shared/operations';
import { pgCompanyDateTime } from '../company/pg-time-zone-store';
import type { DraftChange, DraftLineSave, DraftSummaryRow, NewDraft } from './adjustment-draft-store';
import type { DraftRecords, DraftStamp } from './draft-rules';
import { productMissing, siteMissing } from './ops-store';

type Client = pg.PoolClient;

const SUMMARY_SQL = `SELECT d.id, d.version, d.name, d.site_id AS "siteId", s.name AS "siteName", d.effective_at AS "effectiveAt", d.status,
  d.document_id AS "documentId", d.updated_at AS "updatedAt", d.note, u.display_name AS "userName", d.duty_paid::int AS "dutyPaid",
  (SELECT COUNT(*) FROM adjustment_draft_lines l WHERE l.draft_id = d.id)::int AS "lineCount"
  FROM adjustment_drafts d JOIN sites s ON s.id = d.site_id JOIN users u ON u.id = d.user_id`;

const STAMP_SQL = {
  'adjustment draft': 'SELECT t.version, t.updated_at AS "changedAt", u.display_name AS "changedBy" FROM adjustment_drafts t LEFT JOIN users u ON u.id = t.updated_by WHERE t.id = $1',
  'adjustment draft line':
    'SELECT t.version, t.updated_at AS "changedAt", u.display_name AS "changedBy" FROM adjustment_draft_lines t LEFT JOIN users u ON u.id = t.updated_by WHERE t.id = $1',
} as const;

/**
 * Every PostgreSQL statement of adjustment drafts: the draft rules' store (draft-rules.ts) on one client, inside the
 * rule's transaction. `hold` takes the draft's row lock, so clerks on several servers editing or posting one draft
 * take turns, and each reads the other's committed save; the versions are checked in the statements themselves.
 */
export class PgDraftStore implements DraftRecords {
  constructor(private readonly c: Client) {}

  private async rows<R extends pg.QueryResultRow>(sql: string, params: unknown[]): Promise<R[]> {
    return (await this.c.query<R>(sql, params)).rows;
  }

  async hold(draftId: number): Promise<void> {
    await this.c.query('SELECT id FROM adjustment_drafts WHERE id = $1 FOR UPDATE', [draftId]);
  }

  async site(id: number): Promise<unknown> {
    const [s] = await this.rows('SELECT id FROM sites WHERE id = $1', [id]);
    if (!s) throw siteMissing('site');
    return s;
  }

  async product(id: number): Promise<{ sku: string; stockType: StockType }> {
    const [p] = await this.rows<{ sku: string; stockType: StockType }>('SELECT sku, stock_type AS "stockType" FROM products WHERE id = $1', [id]);
    if (!p) throw productMissing('');
    return p;
  }

  async insert(d: NewDraft): Promise<number> {
    const [r] = await this.rows<{ id: number }>(
      `INSERT INTO adjustment_drafts (name, site_id, effective_at, note, status, user_id, created_at, updated_at, duty_paid)
       VALUES ($1, $2, $3, $4, 'draft', $5, $6, $6, $7) RETURNING id`,
      [d.name, d.siteId, d.effectiveAt, d.note, d.userId, d.now, d.dutyPaid === 1],
    );
    return r!.id;
  }

  async update(c: DraftChange): Promise<number> {
    const r = await this.c.query(
      `UPDATE adjustment_drafts SET name = COALESCE($1, name), site_id = COALESCE($2, site_id), effective_at = COALESCE($3, effective_at),
       note = COALESCE($4, note), duty_paid = COALESCE($5::int = 1, duty_paid), updated_at = $6, version = version + 1, updated_by = $7
       WHERE id = $8 AND ($9::int IS NULL OR version = $9)`,
      [c.name, c.siteId, c.effectiveAt, c.note, c.dutyPaid, c.now, c.userId, c.draftId, c.version],
    );
    return r.rowCount ?? 0;
  }

  async nextLineNo(draftId: number): Promise<number> {
    return (await this.rows<{ n: number }>('SELECT COALESCE(MAX(line_no), 0) + 1 AS n FROM adjustment_draft_lines WHERE draft_id = $1', [draftId]))[0]!.n;
  }

  async saveLine(l: DraftLineSave): Promise<number> {
    const r = await this.c.query(
      `INSERT INTO adjustment_draft_lines (draft_id, line_no, product_id, bin_id, batch_code, batch_expiry, serial, qty, reason, note, updated_at, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (draft_id, line_no) DO UPDATE SET product_id = excluded.product_id, bin_id = excluded.bin_id, batch_code = excluded.batch_code,
         batch_expiry = excluded.batch_expiry, serial = excluded.serial, qty = excluded.qty, reason = excluded.reason, note = excluded.note,
         updated_at = excluded.updated_at, updated_by = excluded.updated_by, version = adjustment_draft_lines.version + 1
         WHERE $13::int IS NULL OR adjustment_draft_lines.version = $13`,
      [l.draftId, l.lineNo, l.productId, l.binId, l.batchCode, l.batchExpiry, l.serial, l.qty, l.reason, l.note, l.updatedAt, l.updatedBy, l.version],
    );
    return r.rowCount ?? 0;
  }

  async deleteLine(draftId: number, lineNo: number): Promise<void> {
    await this.c.query('DELETE FROM adjustment_draft_lines WHERE draft_id = $1 AND line_no = $2', [draftId, lineNo]);
  }

  async deleteDraft(draftId: number): Promise<void> {
    await this.c.query('DELETE FROM adjustment_drafts WHERE id = $1', [draftId]);
  }

  /** The latest 500 drafts of a status (or all), last changed first. */
  summaries(status: 'draft' | 'posted' | 'all'): Promise<DraftSummaryRow[]> {
    return status === 'all'
      ? this.rows<DraftSummaryRow>(`${SUMMARY_SQL} ORDER BY d.updated_at DESC, d.id DESC LIMIT 500`, [])
      : this.rows<DraftSummaryRow>(`${SUMMARY_SQL} WHERE d.status = $1 ORDER BY d.updated_at DESC, d.id DESC LIMIT 500`, [status]);
  }

  async summary(draftId: number): Promise<DraftSummaryRow | undefined> {
    return (await this.rows<DraftSummaryRow>(`${SUMMARY_SQL} WHERE d.id = $1`, [draftId]))[0];
  }

  lines(draftId: number): Promise<DraftLine[]> {
    return this.rows<DraftLine>(
      `SELECT l.line_no AS "lineNo", l.version, l.product_id AS "productId", p.sku, p.name, p.scale, p.tracking, l.bin_id AS "binId", l.batch_code AS "batchCode",
         l.batch_expiry AS "batchExpiry", l.serial, l.qty, l.reason, l.note
       FROM adjustment_draft_lines l JOIN products p ON p.id = l.product_id WHERE l.draft_id = $1 ORDER BY l.line_no`,
      [draftId],
    );
  }

  async lineId(draftId: number, lineNo: number): Promise<number> {
    return (await this.rows<{ id: number }>('SELECT id FROM adjustment_draft_lines WHERE draft_id = $1 AND line_no = $2', [draftId, lineNo]))[0]!.id;
  }

  async touch(draftId: number, now: number): Promise<void> {
    await this.c.query('UPDATE adjustment_drafts SET updated_at = $1 WHERE id = $2', [now, draftId]);
  }

  async markPosted(draftId: number, documentId: number | null, at: number): Promise<void> {
    await this.c.query("UPDATE adjustment_drafts SET status = 'posted', document_id = $1, updated_at = $2 WHERE id = $3", [documentId, at, draftId]);
  }

  async stamp(record: 'adjustment draft' | 'adjustment draft line', id: number): Promise<DraftStamp | null> {
    return (await this.rows<DraftStamp>(STAMP_SQL[record], [id]))[0] ?? null;
  }

  companyTime(at: number): Promise<string> {
    return pgCompanyDateTime(this.c, at);
  }
}
