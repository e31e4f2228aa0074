import { AppError } from '../../shared/contract/errors';
import { plural } from '../../shared/plural';

/**
 * What is left to post is read from the unposted queues (migration 0045), written by the code that inserts each movement
 * and value credit. A row in neither the queue nor the postings would never be posted, silently; so a batch does not
 * start (thrown inside the batch start's transaction: nothing of the batch is written and its "checked through" mark stays).
 */
export function refuseUnqueued(gap: { movements: number; valueCredits: number }): void {
  if (gap.movements === 0 && gap.valueCredits === 0) return;
  throw new AppError(
    'INTERNAL',
    `${plural(gap.movements, 'movement')} and ${plural(gap.valueCredits, 'value credit')} are neither posted nor in the unposted queue, so a batch would never post them. ` +
      'Nothing was posted. Report this to support: the ledger needs the unposted queues rebuilt (migration 0045 run again) before posting.',
    gap,
  );
}

/**
 * A chunk takes its movements off the unposted queue itself (migration 0048), each found by its (occurred_at, seq) key.
 * It reads them from that queue, so it finds each one there; fewer rows than movements means the queue no longer holds
 * what the chunk read (another writer posted or re-keyed them): the chunk is refused inside its transaction, so none of it stands.
 */
export function refuseUnqueuedPosting(batchId: number, chunkNo: number, movements: number, unqueued: number): void {
  if (unqueued === movements) return;
  throw new AppError(
    'INTERNAL',
    `Chunk ${chunkNo} of batch ${batchId} posts ${plural(movements, 'movement')} but found ${unqueued} of them in the unposted queue; nothing of the chunk was posted. ` +
      'Post again; if it happens again, report this to support.',
    { movements, unqueued },
  );
}
