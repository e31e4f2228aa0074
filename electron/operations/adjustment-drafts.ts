import { AppError } from '../../shared/contract/errors';
import type { DraftCreateInput, DraftLineInput, DraftUpdateInput } from '../../shared/contract/operations.schemas';
import type { MovementLineInput } from '../../shared/contract/schemas';
import type { AdjustmentHistoryEntry, DraftDetail, DraftLine, DraftSummary, OperationResult } from '../../shared/operations';
import type { WorkerContext } from '../ledger/worker-context';
import { docHeader, postOperation } from './operation-writer';
import { staleRecord } from '../ledger/store/record-version-store';
import type { OpsStore } from './ops-store';
import { AdjustmentDraftStore, type DraftSummaryRow } from './adjustment-draft-store';
import { adjustmentHistory } from './adjustment-history';
import { runNow } from '../ledger/steps';

const iso = (ms: number) => new Date(ms).toISOString();

const summary = ({ note: _note, ...r }: DraftSummaryRow): DraftSummary => ({ ...r, effectiveAt: iso(r.effectiveAt), updatedAt: iso(r.updatedAt), dutyPaid: r.dutyPaid === 1 });

/**
 * Named, dated adjustments (seed 003): each line edit autosaves; posting turns the draft into inventory_adjustment
 * movements — or, when its "Duty paid" box is ticked, into seed 004's Stock Adjustment (In) / (Out), whose rules post
 * duty-paid stock coming in at its product cost and on-costs added together (one debit, one credit).
 */
export class AdjustmentDrafts {
  private readonly store: AdjustmentDraftStore;

  constructor(private readonly ctx: WorkerContext, private readonly ops: OpsStore, private readonly clock: () => number = Date.now) {
    this.store = new AdjustmentDraftStore(ops.db);
  }

  create(input: DraftCreateInput, userId: number): DraftDetail {
    this.ops.site(input.siteId);
    const now = this.clock();
    const id = this.store.insert({ name: input.name, siteId: input.siteId, effectiveAt: Date.parse(input.effectiveAt), note: input.note ?? null, userId, now, dutyPaid: input.dutyPaid ? 1 : 0 });
    return this.get(id);
  }

  update(input: DraftUpdateInput, userId = 0): DraftDetail {
    return this.store.transaction(() => {
      const before = this.open(input.draftId);
      if (input.siteId !== undefined) this.ops.site(input.siteId);
      const v = input.version ?? null;
      // The version is checked in the UPDATE itself: a save from an older version writes nothing.
      const changes = this.store.update({
        draftId: input.draftId,
        name: input.name ?? null,
        siteId: input.siteId ?? null,
        effectiveAt: input.effectiveAt ? Date.parse(input.effectiveAt) : null,
        note: input.note ?? null,
        dutyPaid: input.dutyPaid === undefined ? null : input.dutyPaid ? 1 : 0,
        now: this.clock(),
        userId: userId || null,
        version: v,
      });
      if (changes === 0) throw staleRecord(this.store.db, 'adjustment draft', input.draftId, `Adjustment "${before.name}"`, before);
      return this.get(input.draftId);
    });
  }

  /** Saves one line (new when lineNo is omitted). Called on every line edit. */
  saveLine(input: DraftLineInput, userId = 0): DraftLine {
    const draft = this.open(input.draftId);
    const product = this.ops.product(input.productId);
    if (product.stockType === 'Recipe' || product.stockType === 'Other') {
      throw new AppError('VALIDATION', `${product.sku} is a ${product.stockType} product and holds no stock; adjust its components instead.`, { field: 'productId' });
    }
    const now = this.clock();
    const lineNo = input.lineNo ?? this.store.nextLineNo(input.draftId);
    this.store.transaction(() => {
      const changes = this.store.saveLine({
        draftId: input.draftId,
        lineNo,
        productId: input.productId,
        binId: input.binId ?? null,
        batchCode: input.batch?.code ?? null,
        batchExpiry: input.batch?.expiry ?? null,
        serial: input.serial ?? null,
        qty: input.qty,
        reason: input.reason,
        note: input.note ?? null,
        updatedAt: now,
        updatedBy: userId || null,
        version: input.version ?? null,
      });
      if (changes === 0) {
        const current = this.lines(input.draftId).find((l) => l.lineNo === lineNo)!;
        throw staleRecord(this.store.db, 'adjustment draft line', this.lineId(input.draftId, lineNo), `Line ${lineNo} of adjustment "${draft.name}"`, current);
      }
      this.store.touch(input.draftId, now);
    });
    const line = this.lines(input.draftId).find((l) => l.lineNo === lineNo);
    return line!;
  }

  deleteLine(draftId: number, lineNo: number): DraftDetail {
    this.open(draftId);
    this.store.deleteLine(draftId, lineNo);
    this.store.touch(draftId, this.clock());
    return this.get(draftId);
  }

  delete(draftId: number): { deleted: true } {
    this.open(draftId);
    this.store.deleteDraft(draftId);
    return { deleted: true };
  }

  list(status: 'draft' | 'posted' | 'all'): DraftSummary[] {
    return this.store.summaries(status).map(summary);
  }

  get(draftId: number): DraftDetail {
    const r = this.store.summary(draftId);
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
          this.store.markPosted(draftId, documentId, this.clock());
          return 0;
        },
      };
    });
  }

  /** Posted adjustments, newest first, with what each line changed and its value (adjustment-history.ts). */
  history(limit: number, offset: number): AdjustmentHistoryEntry[] {
    return runNow(adjustmentHistory(this.store, limit, offset));
  }

  private lines(draftId: number): DraftLine[] {
    return this.store.lines(draftId);
  }

  private open(draftId: number): DraftDetail {
    const d = this.get(draftId);
    if (d.status !== 'draft') throw new AppError('CONFLICT', `"${d.name}" is already posted and can no longer change. Start a new adjustment.`);
    return d;
  }

  private lineId(draftId: number, lineNo: number): number {
    return this.store.lineId(draftId, lineNo);
  }
}
