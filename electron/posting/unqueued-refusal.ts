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
