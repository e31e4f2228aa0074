import type Database from 'better-sqlite3';
import type { DraftLine, DraftSummary } from '../../shared/operations';
import type { EntityRecord } from '../ledger/entities/columns';
import type { DocumentEntity, MovementEntity } from '../ledger/entities/document.entities';
import type { AdjustmentDraftEntity, AdjustmentDraftLineEntity } from '../ledger/entities/operations.entities';
import type { ProductEntity } from '../ledger/entities/product.entities';
import type { SiteEntity } from '../ledger/entities/place.entities';
import type { UserEntity } from '../ledger/entities/user.entity';
import { recordStamp } from '../ledger/store/record-version-store';
import { companyDateTime } from '../company/company-time';
import type { DraftRecords, DraftStamp } from './draft-rules';
import type { OpsReads } from './ops-reads';
import type { OpProduct } from './ops-store';

type DraftRecord = EntityRecord<typeof AdjustmentDraftEntity>;
type DocumentRecord = EntityRecord<typeof DocumentEntity>;
type DraftLineRecord = EntityRecord<typeof AdjustmentDraftLineEntity>;

/** A draft as the list and the editor read it (times still epoch ms). */
export type DraftSummaryRow = Omit<DraftSummary, 'effectiveAt' | 'updatedAt' | 'dutyPaid'> & Pick<DraftRecord, 'effectiveAt' | 'updatedAt' | 'note' | 'dutyPaid'>;

/** A posted adjustment document as the history lists it. */
export type PostedAdjustmentRow = {
  documentId: DocumentRecord['id'];
  name: DocumentRecord['reference'];
  occurredAt: DocumentRecord['occurredAt'];
  postedAt: DocumentRecord['recordedAt'];
  userName: EntityRecord<typeof UserEntity>['displayName'];
  siteName: EntityRecord<typeof SiteEntity>['name'] | null;
  draftId: DraftRecord['id'] | null;
};

/** A movement of a posted adjustment. */
export type PostedAdjustmentLine = Pick<EntityRecord<typeof ProductEntity>, 'sku' | 'name' | 'scale'> &
  Pick<EntityRecord<typeof MovementEntity>, 'qty' | 'note' | 'unitCost' | 'balanceAfter'>;

export type NewDraft = Pick<DraftRecord, 'name' | 'siteId' | 'effectiveAt' | 'note' | 'userId' | 'dutyPaid'> & { now: number };

/** A change to a draft's header: null keeps the field; `version` null saves whatever the version. */
export type DraftChange = { [K in 'name' | 'siteId' | 'effectiveAt' | 'note' | 'dutyPaid' | 'userId' | 'version']: DraftRecord[K] | null } & {
  draftId: DraftRecord['id'];
  now: number;
};

export type DraftLineSave = Pick<DraftLineRecord, 'lineNo' | 'productId' | 'binId' | 'batchCode' | 'batchExpiry' | 'serial' | 'qty' | 'reason' | 'note' | 'updatedAt' | 'updatedBy'> & {
  draftId: number;
  version: number | null;
};

const SUMMARY_SQL = `SELECT d.id, d.version, d.name, d.site_id AS siteId, s.name AS siteName, d.effective_at AS effectiveAt, d.status, d.document_id AS documentId,
  d.updated_at AS updatedAt, d.note, u.display_name AS userName, d.duty_paid AS dutyPaid, (SELECT COUNT(*) FROM adjustment_draft_lines l WHERE l.draft_id = d.id) AS lineCount
  FROM adjustment_drafts d JOIN sites s ON s.id = d.site_id JOIN users u ON u.id = d.user_id`;

/**
 * Every SQL statement of adjustment drafts (seed 003) and their history, on SQLite: the draft rules' store
 * (draft-rules.ts), answering at once on the one writer. Sites and products are checked by the operations' store.
 */
export class AdjustmentDraftStore implements DraftRecords {
  private readonly s;

  constructor(readonly db: Database.Database, private readonly ops: Pick<OpsReads, 'site' | 'product'>) {
    this.s = {
      insert: db.prepare(
        'INSERT INTO adjustment_drafts (name, site_id, effective_at, note, status, user_id, created_at, updated_at, duty_paid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      // The version is checked in the UPDATE itself: a save from an older version writes nothing.
      update: db.prepare(
        `UPDATE adjustment_drafts SET name = COALESCE(?, name), site_id = COALESCE(?, site_id), effective_at = COALESCE(?, effective_at),
         note = COALESCE(?, note), duty_paid = COALESCE(?, duty_paid), updated_at = ?, version = version + 1, updated_by = ?
         WHERE id = ? AND (? IS NULL OR version = ?)`,
      ),
      nextLineNo: db.prepare('SELECT COALESCE(MAX(line_no), 0) + 1 AS n FROM adjustment_draft_lines WHERE draft_id = ?').pluck(),
      saveLine: db.prepare(
        `INSERT INTO adjustment_draft_lines (draft_id, line_no, product_id, bin_id, batch_code, batch_expiry, serial, qty, reason, note, updated_at, updated_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (draft_id, line_no) DO UPDATE SET product_id = excluded.product_id, bin_id = excluded.bin_id, batch_code = excluded.batch_code,
           batch_expiry = excluded.batch_expiry, serial = excluded.serial, qty = excluded.qty, reason = excluded.reason, note = excluded.note,
           updated_at = excluded.updated_at, updated_by = excluded.updated_by, version = adjustment_draft_lines.version + 1
           WHERE ? IS NULL OR adjustment_draft_lines.version = ?`,
      ),
      deleteLine: db.prepare('DELETE FROM adjustment_draft_lines WHERE draft_id = ? AND line_no = ?'),
      deleteDraft: db.prepare('DELETE FROM adjustment_drafts WHERE id = ?'),
      all: db.prepare(`${SUMMARY_SQL} ORDER BY d.updated_at DESC, d.id DESC LIMIT 500`),
      byStatus: db.prepare(`${SUMMARY_SQL} WHERE d.status = ? ORDER BY d.updated_at DESC, d.id DESC LIMIT 500`),
      one: db.prepare(`${SUMMARY_SQL} WHERE d.id = ?`),
      markPosted: db.prepare("UPDATE adjustment_drafts SET status = 'posted', document_id = ?, updated_at = ? WHERE id = ?"),
      posted: db.prepare(
        `SELECT d.id AS documentId, d.reference AS name, d.occurred_at AS occurredAt, d.recorded_at AS postedAt, u.display_name AS userName,
           s.name AS siteName, ad.id AS draftId
         FROM documents d JOIN operation_documents o ON o.document_id = d.id JOIN users u ON u.id = d.user_id
         LEFT JOIN sites s ON s.id = o.site_id LEFT JOIN adjustment_drafts ad ON ad.document_id = d.id
         WHERE o.kind = 'inventory_adjustment' ORDER BY d.id DESC LIMIT ? OFFSET ?`,
      ),
      postedLines: db.prepare(
        `SELECT p.sku, p.name, p.scale, m.qty, m.note, m.unit_cost AS unitCost, m.balance_after AS balanceAfter
         FROM movements m JOIN products p ON p.id = m.product_id WHERE m.document_id = ? ORDER BY m.seq`,
      ),
      lines: db.prepare(
        `SELECT l.line_no AS lineNo, l.version, l.product_id AS productId, p.sku, p.name, p.scale, p.tracking, l.bin_id AS binId, l.batch_code AS batchCode,
           l.batch_expiry AS batchExpiry, l.serial, l.qty, l.reason, l.note
         FROM adjustment_draft_lines l JOIN products p ON p.id = l.product_id WHERE l.draft_id = ? ORDER BY l.line_no`,
      ),
      lineId: db.prepare('SELECT id FROM adjustment_draft_lines WHERE draft_id = ? AND line_no = ?').pluck(),
      touch: db.prepare('UPDATE adjustment_drafts SET updated_at = ? WHERE id = ?'),
    };
  }

  /** Runs `fn` in a transaction, or inside the caller's when one is open (a savepoint). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /** SQLite's one writer is alone: nothing to hold. */
  hold(): void {}

  site(id: number): unknown {
    return this.ops.site(id);
  }

  product(id: number): { sku: string; stockType: OpProduct['stockType'] } {
    return this.ops.product(id);
  }

  stamp(record: 'adjustment draft' | 'adjustment draft line', id: number): DraftStamp | null {
    return recordStamp(this.db, record, id);
  }

  companyTime(at: number): string {
    return companyDateTime(this.db, at);
  }

  /** Inserts a draft; returns its id. */
  insert(d: NewDraft): number {
    return Number(this.s.insert.run(d.name, d.siteId, d.effectiveAt, d.note, 'draft', d.userId, d.now, d.now, d.dutyPaid).lastInsertRowid);
  }

  /** Changes a draft's header; returns 0 when `version` is not the draft's. */
  update(c: DraftChange): number {
    return this.s.update.run(c.name, c.siteId, c.effectiveAt, c.note, c.dutyPaid, c.now, c.userId, c.draftId, c.version, c.version).changes;
  }

  nextLineNo(draftId: number): number {
    return this.s.nextLineNo.get(draftId) as number;
  }

  /** Inserts or updates a line; returns 0 when `version` is not the line's. */
  saveLine(l: DraftLineSave): number {
    return this.s.saveLine.run(
      l.draftId, l.lineNo, l.productId, l.binId, l.batchCode, l.batchExpiry, l.serial, l.qty, l.reason, l.note, l.updatedAt, l.updatedBy, l.version, l.version,
    ).changes;
  }

  deleteLine(draftId: number, lineNo: number): void {
    this.s.deleteLine.run(draftId, lineNo);
  }

  deleteDraft(draftId: number): void {
    this.s.deleteDraft.run(draftId);
  }

  /** The latest 500 drafts of a status (or all), last changed first. */
  summaries(status: 'draft' | 'posted' | 'all'): DraftSummaryRow[] {
    return (status === 'all' ? this.s.all.all() : this.s.byStatus.all(status)) as DraftSummaryRow[];
  }

  summary(draftId: number): DraftSummaryRow | undefined {
    return this.s.one.get(draftId) as DraftSummaryRow | undefined;
  }

  markPosted(draftId: number, documentId: number | null, at: number): void {
    this.s.markPosted.run(documentId, at, draftId);
  }

  /** Posted adjustment documents, newest first. */
  postedAdjustments(limit: number, offset: number): PostedAdjustmentRow[] {
    return this.s.posted.all(limit, offset) as PostedAdjustmentRow[];
  }

  postedLines(documentId: number): PostedAdjustmentLine[] {
    return this.s.postedLines.all(documentId) as PostedAdjustmentLine[];
  }

  lines(draftId: number): DraftLine[] {
    return this.s.lines.all(draftId) as DraftLine[];
  }

  lineId(draftId: number, lineNo: number): number {
    return this.s.lineId.get(draftId, lineNo) as number;
  }

  touch(draftId: number, now: number): void {
    this.s.touch.run(now, draftId);
  }
}
