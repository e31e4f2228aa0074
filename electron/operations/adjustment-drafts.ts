import { AppError } from '../../shared/contract/errors';
import type { DraftCreateInput, DraftLineInput, DraftUpdateInput } from '../../shared/contract/operations.schemas';
import type { MovementLineInput } from '../../shared/contract/schemas';
import { movementValue } from '../../shared/quantity';
import type { AdjustmentHistoryEntry, DraftDetail, DraftLine, DraftSummary, OperationResult } from '../../shared/operations';
import type { WorkerContext } from '../ledger/worker-context';
import { docHeader, postOperation } from './operation-writer';
import { staleRecord } from '../ledger/store/record-version-store';
import type { OpsDb } from './ops-db';

const iso = (ms: number) => new Date(ms).toISOString();

const SUMMARY_SQL = `SELECT d.id, d.version, d.name, d.site_id AS siteId, s.name AS siteName, d.effective_at AS effectiveAt, d.status, d.document_id AS documentId,
  d.updated_at AS updatedAt, d.note, u.display_name AS userName, d.duty_paid AS dutyPaid, (SELECT COUNT(*) FROM adjustment_draft_lines l WHERE l.draft_id = d.id) AS lineCount
  FROM adjustment_drafts d JOIN sites s ON s.id = d.site_id JOIN users u ON u.id = d.user_id`;

type SummaryRow = Omit<DraftSummary, 'effectiveAt' | 'updatedAt' | 'dutyPaid'> & { effectiveAt: number; updatedAt: number; note: string | null; dutyPaid: 0 | 1 };
const summary = ({ note: _note, ...r }: SummaryRow): DraftSummary => ({ ...r, effectiveAt: iso(r.effectiveAt), updatedAt: iso(r.updatedAt), dutyPaid: r.dutyPaid === 1 });

/**
 * Named, dated adjustments (seed 003): each line edit autosaves; posting turns the draft into inventory_adjustment
 * movements — or, when its "Duty paid" box is ticked, into seed 004's Stock Adjustment (In) / (Out), whose rules post
 * duty-paid stock coming in at its product cost and on-costs added together (one debit, one credit).
 */
export class AdjustmentDrafts {
  constructor(private readonly ctx: WorkerContext, private readonly ops: OpsDb, private readonly clock: () => number = Date.now) {}

  private get db() {
    return this.ops.db;
  }

  create(input: DraftCreateInput, userId: number): DraftDetail {
    this.ops.site(input.siteId);
    const now = this.clock();
    const id = Number(
      this.db
        .prepare('INSERT INTO adjustment_drafts (name, site_id, effective_at, note, status, user_id, created_at, updated_at, duty_paid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(input.name, input.siteId, Date.parse(input.effectiveAt), input.note ?? null, 'draft', userId, now, now, input.dutyPaid ? 1 : 0).lastInsertRowid,
    );
    return this.get(id);
  }

  update(input: DraftUpdateInput, userId = 0): DraftDetail {
    return this.db.transaction(() => {
      const before = this.open(input.draftId);
      if (input.siteId !== undefined) this.ops.site(input.siteId);
      const v = input.version ?? null;
      // The version is checked in the UPDATE itself: a save from an older version writes nothing.
      const { changes } = this.db
        .prepare(
          `UPDATE adjustment_drafts SET name = COALESCE(?, name), site_id = COALESCE(?, site_id), effective_at = COALESCE(?, effective_at),
           note = COALESCE(?, note), duty_paid = COALESCE(?, duty_paid), updated_at = ?, version = version + 1, updated_by = ?
           WHERE id = ? AND (? IS NULL OR version = ?)`,
        )
        .run(
          input.name ?? null, input.siteId ?? null, input.effectiveAt ? Date.parse(input.effectiveAt) : null, input.note ?? null,
          input.dutyPaid === undefined ? null : input.dutyPaid ? 1 : 0, this.clock(), userId || null, input.draftId, v, v,
        );
      if (changes === 0) throw staleRecord(this.db, 'adjustment draft', input.draftId, `Adjustment "${before.name}"`, before);
      return this.get(input.draftId);
    })();
  }

  /** Saves one line (new when lineNo is omitted). Called on every line edit. */
  saveLine(input: DraftLineInput, userId = 0): DraftLine {
    const draft = this.open(input.draftId);
    const product = this.ops.product(input.productId);
    if (product.stockType === 'Recipe' || product.stockType === 'Other') {
      throw new AppError('VALIDATION', `${product.sku} is a ${product.stockType} product and holds no stock; adjust its components instead.`, { field: 'productId' });
    }
    const now = this.clock();
    const lineNo =
      input.lineNo ?? (this.db.prepare('SELECT COALESCE(MAX(line_no), 0) + 1 AS n FROM adjustment_draft_lines WHERE draft_id = ?').get(input.draftId) as { n: number }).n;
    this.db.transaction(() => {
      const { changes } = this.db
        .prepare(
          `INSERT INTO adjustment_draft_lines (draft_id, line_no, product_id, bin_id, batch_code, batch_expiry, serial, qty, reason, note, updated_at, updated_by)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (draft_id, line_no) DO UPDATE SET product_id = excluded.product_id, bin_id = excluded.bin_id, batch_code = excluded.batch_code,
             batch_expiry = excluded.batch_expiry, serial = excluded.serial, qty = excluded.qty, reason = excluded.reason, note = excluded.note,
             updated_at = excluded.updated_at, updated_by = excluded.updated_by, version = adjustment_draft_lines.version + 1
             WHERE ? IS NULL OR adjustment_draft_lines.version = ?`,
        )
        .run(
          input.draftId, lineNo, input.productId, input.binId ?? null, input.batch?.code ?? null, input.batch?.expiry ?? null, input.serial ?? null,
          input.qty, input.reason, input.note ?? null, now, userId || null, input.version ?? null, input.version ?? null,
        );
      if (changes === 0) {
        const current = this.lines(input.draftId).find((l) => l.lineNo === lineNo)!;
        throw staleRecord(this.db, 'adjustment draft line', this.lineId(input.draftId, lineNo), `Line ${lineNo} of adjustment "${draft.name}"`, current);
      }
      this.touch(input.draftId, now);
    })();
    const line = this.lines(input.draftId).find((l) => l.lineNo === lineNo);
    return line!;
  }

  deleteLine(draftId: number, lineNo: number): DraftDetail {
    this.open(draftId);
    this.db.prepare('DELETE FROM adjustment_draft_lines WHERE draft_id = ? AND line_no = ?').run(draftId, lineNo);
    this.touch(draftId, this.clock());
    return this.get(draftId);
  }

  delete(draftId: number): { deleted: true } {
    this.open(draftId);
    this.db.prepare('DELETE FROM adjustment_drafts WHERE id = ?').run(draftId);
    return { deleted: true };
  }

  list(status: 'draft' | 'posted' | 'all'): DraftSummary[] {
    const where = status === 'all' ? '' : ' WHERE d.status = ?';
    const rows = this.db.prepare(`${SUMMARY_SQL}${where} ORDER BY d.updated_at DESC, d.id DESC LIMIT 500`).all(...(status === 'all' ? [] : [status])) as SummaryRow[];
    return rows.map(summary);
  }

  get(draftId: number): DraftDetail {
    const r = this.db.prepare(`${SUMMARY_SQL} WHERE d.id = ?`).get(draftId) as SummaryRow | undefined;
    if (!r) throw new AppError('NOT_FOUND', `Adjustment draft ${draftId} does not exist (it may have been deleted). Pick one from the drafts list.`);
    return { ...summary(r), note: r.note, lines: this.lines(draftId) };
  }

  /**
   * Posts the draft as one adjustment document, dated to the draft's date, and marks it posted — together. Duty paid:
   * lines in are stock_adjustment_in, lines out stock_adjustment_out, and the document is marked duty paid (what the
   * posting rules read); each line's cost and on-costs are the site's latest, as for any adjustment.
   */
  post(draftId: number, idempotencyKey: string, userId: number): OperationResult {
    return postOperation(this.ctx, this.ops, idempotencyKey, userId, { operation: 'draftPost', input: { draftId } }, () => {
      const draft = this.get(draftId);
      if (draft.status !== 'draft') throw new AppError('CONFLICT', `"${draft.name}" was already posted. Start a new adjustment.`);
      if (draft.lines.length === 0) throw new AppError('VALIDATION', `"${draft.name}" has no lines. Add at least one line before posting.`);
      const lines: MovementLineInput[] = draft.lines.map((l) => {
        const type = !draft.dutyPaid ? 'inventory_adjustment' : l.qty > 0 ? 'stock_adjustment_in' : 'stock_adjustment_out';
        const line: MovementLineInput = { productId: l.productId, siteId: draft.siteId, type, qty: l.qty, note: l.note ? `${l.reason}: ${l.note}` : l.reason };
        if (l.binId !== null) line.binId = l.binId;
        if (l.batchCode !== null) line.batch = l.batchExpiry ? { code: l.batchCode, expiry: l.batchExpiry } : { code: l.batchCode };
        if (l.serial !== null) line.serial = l.serial;
        return line;
      });
      return {
        doc: docHeader('adjustment', { idempotencyKey, reference: draft.name.slice(0, 100), occurredAt: draft.effectiveAt, note: draft.note ?? undefined }, lines),
        meta: { kind: 'inventory_adjustment', siteId: draft.siteId, reason: `draft:${draft.id}`, dutyPaid: draft.dutyPaid },
        after: (documentId) => {
          this.db.prepare("UPDATE adjustment_drafts SET status = 'posted', document_id = ?, updated_at = ? WHERE id = ?").run(documentId, this.clock(), draftId);
          return 0;
        },
      };
    });
  }

  /** Posted adjustments, newest first, with what each line changed and its value. */
  history(limit: number, offset: number): AdjustmentHistoryEntry[] {
    const docs = this.db
      .prepare(
        `SELECT d.id AS documentId, d.reference AS name, d.occurred_at AS occurredAt, d.recorded_at AS postedAt, u.display_name AS userName,
           s.name AS siteName, ad.id AS draftId
         FROM documents d JOIN operation_documents o ON o.document_id = d.id JOIN users u ON u.id = d.user_id
         LEFT JOIN sites s ON s.id = o.site_id LEFT JOIN adjustment_drafts ad ON ad.document_id = d.id
         WHERE o.kind = 'inventory_adjustment' ORDER BY d.id DESC LIMIT ? OFFSET ?`,
      )
      .all(limit, offset) as { documentId: number; name: string | null; occurredAt: number; postedAt: number; userName: string; siteName: string | null; draftId: number | null }[];
    const lines = this.db.prepare(
      `SELECT p.sku, p.name, p.scale, m.qty, m.note, m.unit_cost AS unitCost, m.balance_after AS balanceAfter
       FROM movements m JOIN products p ON p.id = m.product_id WHERE m.document_id = ? ORDER BY m.seq`,
    );
    return docs.map((d) => ({
      documentId: d.documentId,
      draftId: d.draftId,
      name: d.name ?? `Adjustment ${d.documentId}`,
      siteName: d.siteName ?? '',
      occurredAt: iso(d.occurredAt),
      postedAt: iso(d.postedAt),
      userName: d.userName,
      lines: (lines.all(d.documentId) as { sku: string; name: string; scale: number; qty: number; note: string | null; unitCost: number; balanceAfter: number }[]).map(
        (l) => ({
          sku: l.sku,
          name: l.name,
          scale: l.scale,
          qty: l.qty,
          reason: (l.note ?? '').split(':')[0] ?? '',
          unitCost: l.unitCost,
          value: movementValue(l.qty, l.unitCost, l.scale),
          balanceAfter: l.balanceAfter,
        }),
      ),
    }));
  }

  private lines(draftId: number): DraftLine[] {
    return this.db
      .prepare(
        `SELECT l.line_no AS lineNo, l.version, l.product_id AS productId, p.sku, p.name, p.scale, p.tracking, l.bin_id AS binId, l.batch_code AS batchCode,
           l.batch_expiry AS batchExpiry, l.serial, l.qty, l.reason, l.note
         FROM adjustment_draft_lines l JOIN products p ON p.id = l.product_id WHERE l.draft_id = ? ORDER BY l.line_no`,
      )
      .all(draftId) as DraftLine[];
  }

  private open(draftId: number): DraftDetail {
    const d = this.get(draftId);
    if (d.status !== 'draft') throw new AppError('CONFLICT', `"${d.name}" is already posted and can no longer change. Start a new adjustment.`);
    return d;
  }

  private lineId(draftId: number, lineNo: number): number {
    return (this.db.prepare('SELECT id FROM adjustment_draft_lines WHERE draft_id = ? AND line_no = ?').get(draftId, lineNo) as { id: number }).id;
  }

  private touch(draftId: number, now: number): void {
    this.db.prepare('UPDATE adjustment_drafts SET updated_at = ? WHERE id = ?').run(now, draftId);
  }
}
