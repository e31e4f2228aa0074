import { AppError } from '../../shared/contract/errors';
import { plural } from '../../shared/plural';
import { reversedRefusal } from './posting-items';
import { targetLabel, type PostingReport } from '../../shared/posting';
import { reportSteps } from './posting-report';
import type { BatchRow, PostingStore } from './posting-store';
import type { PostingStoreApi } from './posting-store-api';
import { runLater, runNow, value, type Steps } from '../ledger/steps';
import type { FinanceTarget, PostingTarget } from './targets/finance-target';

/**
 * Corrections: a posted batch is never edited. Its mirror (every line negated) is posted as a new batch, and in the
 * same transaction its movements are released, so a corrected re-run posts them again — still exactly once in effect.
 */
export function reverseBatch(store: PostingStore, target: FinanceTarget, batchId: number, userId: number, now: number): PostingReport {
  return runNow(reverseSteps(store, target, batchId, userId, now));
}

/** reverseBatch on a store that answers later (PostgreSQL): the same steps. */
export function reverseBatchOn(store: PostingStoreApi, target: PostingTarget, batchId: number, userId: number, now: number): Promise<PostingReport> {
  return runLater(reverseSteps(store, target, batchId, userId, now));
}

/** Why `original` cannot be reversed into the target `targetKey`, thrown: asked before a reversal starts (or waits its turn), and again as it runs. */
export function refuseReversal(original: BatchRow, targetKey: string): void {
  const batchId = original.id;
  if (original.target !== targetKey) throw new AppError('VALIDATION', `Batch ${batchId} was posted to ${targetLabel(original.target)}; choose that finance system to reverse it.`);
  if (original.status === 'running') throw new AppError('CONFLICT', `Batch ${batchId} is still running. Wait for it to finish or cancel it, then reverse it.`);
  if (original.reversed_by !== null) throw reversedRefusal(batchId, original.reversed_by);
  if (original.reversal_of !== null) throw new AppError('VALIDATION', `Batch ${batchId} is itself a reversal; post the movements again instead of reversing it.`);
}

function* reverseSteps(store: PostingStoreApi, target: PostingTarget, batchId: number, userId: number, now: number): Steps<PostingReport> {
  const original = yield* value(store.batch(batchId));
  refuseReversal(original, target.key);
  const claim = yield* value(store.claim());
  try {
    // read again under the claim: another server may have reversed it meanwhile
    const held = yield* value(store.batch(batchId));
    if (held.reversed_by !== null) throw reversedRefusal(batchId, held.reversed_by);
    yield* value(target.sync());
    const before = yield* value(target.lastEntryId());
    const start = yield* value(target.startMark());
    const id = yield* value(store.createBatch({ target: target.key, postedTo: original.posted_to, summarised: original.summarised === 1, userId, now, lastEntry: before, ...start, reversalOf: batchId }));
    yield* value(store.reverseInto(batchId, id, before + 1));
    yield* value(target.sync());
    const after = yield* value(target.entriesHeld());
    const row = { ...(yield* value(store.batch(id))), status: 'posted' as const, finished_at: now };
    const report = yield* reportSteps(store, row, after, `Reversed batch ${batchId}: ${plural(row.entry_count, 'entry', 'entries')} posted with the opposite amounts, each dated as the entry it cancels; its movements can be posted again.`);
    yield* value(store.finishBatch(id, 'posted', now, after, JSON.stringify(report)));
    return report;
  } finally {
    yield* value(claim.release());
  }
}
