import type { DraftCreateInput, DraftLineInput, DraftUpdateInput } from '../../shared/contract/operations.schemas';
import type { AdjustmentHistoryEntry, DraftDetail, DraftLine, DraftSummary, OperationResult, OperationReview } from '../../shared/operations';
import type { WorkerContext } from '../ledger/worker-context';
import { runNow, type Steps } from '../ledger/steps';
import { postOperation } from './operation-writer';
import type { OpsStore } from './ops-store';
import { reviewOperation } from './review';
import { AdjustmentDraftStore } from './adjustment-draft-store';
import { adjustmentHistory } from './adjustment-history';
import { createDraft, deleteDraft, deleteDraftLine, draftPosting, getDraft, heldDraft, listDrafts, saveDraftLine, updateDraft } from './draft-rules';


/**
 * Named, dated adjustments (seed 003) on SQLite: each line edit autosaves; posting turns the draft into
 * inventory_adjustment movements — or, when its "Duty paid" box is ticked, into seed 004's Stock Adjustment (In) /
 * (Out), whose rules post duty-paid stock coming in at its product cost and on-costs added together (one debit, one
 * credit). The rules are draft-rules.ts's, the same on PostgreSQL; each call is one transaction on the writer.
 */
export class AdjustmentDrafts {
  private readonly store: AdjustmentDraftStore;

  constructor(private readonly ctx: WorkerContext, private readonly ops: OpsStore, private readonly clock: () => number = Date.now) {
    this.store = new AdjustmentDraftStore(ops.db, ops);
  }

  private run<T>(steps: (r: AdjustmentDraftStore) => Steps<T>): T {
    return this.store.transaction(() => runNow(steps(this.store)));
  }

  draftCreate(input: DraftCreateInput, userId: number): DraftDetail {
    return this.run((r) => createDraft(r, input, userId, this.clock()));
  }

  draftUpdate(input: DraftUpdateInput, userId = 0): DraftDetail {
    return this.run((r) => updateDraft(r, input, userId, this.clock()));
  }

  /** Saves one line (new when lineNo is omitted). Called on every line edit. */
  draftSaveLine(input: DraftLineInput, userId = 0): DraftLine {
    return this.run((r) => saveDraftLine(r, input, userId, this.clock()));
  }

  draftDeleteLine(draftId: number, lineNo: number): DraftDetail {
    return this.run((r) => deleteDraftLine(r, draftId, lineNo, this.clock()));
  }

  draftDelete(draftId: number): { deleted: true } {
    return this.run((r) => deleteDraft(r, draftId));
  }

  draftList(status: 'draft' | 'posted' | 'all'): DraftSummary[] {
    return this.run((r) => listDrafts(r, status));
  }

  draftGet(draftId: number): DraftDetail {
    return this.run((r) => getDraft(r, draftId));
  }

  /** Posts the draft as one adjustment document (draftPosting) and marks it posted — together. */
  draftPost(draftId: number, idempotencyKey: string, userId: number, confirmExpired?: boolean): OperationResult {
    // The request is the draft (a confirmed retry of a refused post is the same request).
    return postOperation(this.ctx, this.ops, idempotencyKey, userId, { operation: 'draftPost', input: { draftId } }, () => ({
      ...draftPosting(runNow(heldDraft(this.store, draftId)), idempotencyKey, this.ops, confirmExpired),
      after: (documentId) => {
        this.store.markPosted(draftId, documentId, this.clock());
        return 0;
      },
    }));
  }

  /**
   * The review step of posting the draft (reviewOperation): the movements `draftPost` would write under this key, with what
   * each line finds and leaves and its value, in a transaction that is always rolled back — the draft stays a draft.
   */
  review(draftId: number, idempotencyKey: string, userId: number, confirmExpired?: boolean): OperationReview {
    return reviewOperation(this.ctx, this.ops, idempotencyKey, userId, { operation: 'draftPost', input: { draftId } }, () =>
      draftPosting(runNow(heldDraft(this.store, draftId)), idempotencyKey, this.ops, confirmExpired, true),
    );
  }

  /** Posted adjustments, newest first, with what each line changed and its value (adjustment-history.ts). */
  adjustmentHistory(limit: number, offset: number): AdjustmentHistoryEntry[] {
    return runNow(adjustmentHistory(this.store, limit, offset));
  }
}
