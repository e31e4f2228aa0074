import { AppError } from '../../shared/contract/errors';
import { targetLabel, type PostingReport } from '../../shared/posting';
import { buildReport } from './posting-report';
import type { PostingStore } from './posting-store';
import type { FinanceTarget } from './targets/finance-target';

/**
 * Corrections: a posted batch is never edited. Its mirror (every line negated) is posted as a new batch, and in the
 * same transaction its movements are released, so a corrected re-run posts them again — still exactly once in effect.
 */
export function reverseBatch(store: PostingStore, target: FinanceTarget, batchId: number, userId: number, now: number): PostingReport {
  const original = store.batch(batchId);
  if (original.target !== target.key) throw new AppError('VALIDATION', `Batch ${batchId} was posted to ${targetLabel(original.target)}; choose that finance system to reverse it.`);
  if (original.status === 'running') throw new AppError('CONFLICT', `Batch ${batchId} is still running. Wait for it to finish or cancel it, then reverse it.`);
  if (original.reversed_by !== null) throw new AppError('CONFLICT', `Batch ${batchId} was already reversed by batch ${original.reversed_by}.`);
  if (original.reversal_of !== null) throw new AppError('VALIDATION', `Batch ${batchId} is itself a reversal; post the movements again instead of reversing it.`);
  target.sync();
  const before = target.lastEntryId();
  const id = store.createBatch({ target: target.key, postedTo: original.posted_to, summarised: original.summarised === 1, userId, now, lastEntry: before, targetStart: target.startMark(), reversalOf: batchId });
  store.reverseInto(batchId, id, before + 1);
  target.sync();
  const after = target.entriesHeld();
  const row = { ...store.batch(id), status: 'posted' as const, finished_at: now };
  const report = buildReport(store, row, after, `Reversed batch ${batchId}: ${row.entry_count} mirror entries posted; its movements can be posted again.`);
  store.finishBatch(id, 'posted', now, after, JSON.stringify(report));
  return report;
}
