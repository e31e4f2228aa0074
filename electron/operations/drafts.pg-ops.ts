import type { StockChange } from '../../shared/contract/events';
import type { PgOpsFactory } from '../ledger/pg/pg-ops';
import { readSnapshot } from '../ledger/pg/store/pg-read-snapshot';
import { pgTransaction } from '../ledger/pg/store/pg-ledger-store';
import { runLater, type Steps } from '../ledger/steps';
import type { AnsweredLater } from '../ledger/store-answers';
import { createDraft, deleteDraft, deleteDraftLine, draftPosting, getDraft, heldDraft, listDrafts, saveDraftLine, updateDraft, type DraftRecords } from './draft-rules';
import { touchedBy, type BuiltOperation } from './operation-writer';
import { PgDraftStore } from './pg-draft-store';
import { PgImports } from './pg-imports';
import { PgOperations } from './pg-operations';
import { buildOver, OpsSnapshot } from './ops-snapshot';
import { PgOpsStore } from './pg-ops-store';
import type { StockImports } from './stock-imports';

/** The review step of posting a draft (operations.review of 'draftPost'): its posting, built and rolled back as SQLite's (AdjustmentDrafts.review). */
export function reviewDraft(operations: PgOperations, input: { draftId: number; idempotencyKey: string; confirmExpired?: boolean | undefined }, userId: number) {
  const { draftId, idempotencyKey, confirmExpired } = input;
  return operations.reviewPrepared(idempotencyKey, userId, { operation: 'draftPost', input: { draftId } }, async (c) => {
    const draft = await runLater(heldDraft(new PgDraftStore(c), draftId));
    const reads = new PgOpsStore(c);
    return buildOver(new OpsSnapshot(), (need, facts) => reads.read(need, facts), (ops) => draftPosting(draft, idempotencyKey, ops, confirmExpired, true));
  });
}

/**
 * Adjustment drafts and stock import on a PostgreSQL ledger: the same names, answers and refusals as SQLite's
 * (operations.ops.ts), by the same rules (draft-rules.ts; import-refusals.ts, import-plan.ts). Each draft call is one
 * transaction holding the draft's row; posting a draft posts its document through the ledger core and marks it posted
 * in that one transaction (PgOperations.postPrepared), so two servers posting one draft make one document.
 */
export const draftsPgOps: PgOpsFactory = (ctx) => {
  const { pool, clock } = ctx;
  const operations = new PgOperations(pool, clock);
  const imports: AnsweredLater<StockImports> = new PgImports(ctx);
  const run = <T>(steps: (r: DraftRecords) => Steps<T>): Promise<T> => pgTransaction(pool, (c) => runLater(steps(new PgDraftStore(c))));
  return {
    'operations.draftCreate': (input, caller) => run((r) => createDraft(r, input, caller.userId, clock())),
    'operations.draftUpdate': (input, caller) => run((r) => updateDraft(r, input, caller?.userId ?? 0, clock())),
    'operations.draftSaveLine': (input, caller) => run((r) => saveDraftLine(r, input, caller?.userId ?? 0, clock())),
    'operations.draftDeleteLine': ({ draftId, lineNo }) => run((r) => deleteDraftLine(r, draftId, lineNo, clock())),
    'operations.draftDelete': ({ draftId }) => run((r) => deleteDraft(r, draftId)),
    'operations.draftList': ({ status }) => run((r) => listDrafts(r, status)),
    // a draft's heading and its lines from one snapshot: a line another server saves meanwhile is in both or neither
    'operations.draftGet': ({ draftId }) => readSnapshot(pool, (c) => runLater(getDraft(new PgDraftStore(c), draftId))),
    'operations.draftPost': async ({ draftId, idempotencyKey, confirmExpired }, caller) => {
      let built: BuiltOperation | undefined;
      const result = await operations.postPrepared(
        idempotencyKey,
        caller.userId,
        { operation: 'draftPost', input: { draftId } },
        async (c) => {
          const draft = await runLater(heldDraft(new PgDraftStore(c), draftId));
          // What the posting reads (the company's days, known batches' expiries) from a snapshot read in this transaction.
          const reads = new PgOpsStore(c);
          return (built = await buildOver(new OpsSnapshot(), (need, facts) => reads.read(need, facts), (ops) => draftPosting(draft, idempotencyKey, ops, confirmExpired)));
        },
        (c, documentId) => new PgDraftStore(c).markPosted(draftId, documentId, clock()),
      );
      if (!result.replayed && result.documentId !== null && built?.doc) {
        ctx.emit('stock.changed', { documentId: result.documentId, reason: built.meta.kind, ...touchedBy(built.doc) } satisfies StockChange);
      }
      return result;
    },
    'operations.importPreview': (input) => imports.importPreview(input),
    'operations.importStart': (input, caller) => imports.importStart(input, caller.userId),
  };
};
