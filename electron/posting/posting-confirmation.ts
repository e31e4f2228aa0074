import { AppError } from '../../shared/contract/errors';
import { plural } from '../../shared/plural';
import type { PostingPreview } from '../../shared/posting';

/** What is left to post up to an instant, as either store counts it (PostingStoreApi.unposted). */
export interface Unposted {
  movements: number;
  valueCredits: number;
  first: number | null;
  last: number | null;
}

/** The preview the user confirms: how many movements, up to when (the instant read in the business time zone), to which target. */
export function previewOf(input: { target: string; summarised: boolean }, at: number, u: Unposted): PostingPreview {
  const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
  return { to: new Date(at).toISOString(), target: input.target, summarised: input.summarised, unposted: u.movements, unpostedValueCredits: u.valueCredits, firstAt: iso(u.first), lastAt: iso(u.last) };
}

/** A stale confirmation must not post something different from what the user confirmed: refused, naming both counts. */
export function refuseStaleConfirmation(now: number, expectedMovements: number): void {
  if (now === expectedMovements) return;
  throw new AppError(
    'CONFLICT',
    `${plural(now, 'movement')} ${now === 1 ? 'is' : 'are'} unposted up to that time now, not the ${expectedMovements.toLocaleString('en-GB')} you confirmed: movements were recorded or posted since. Nothing was posted; review the posting again and confirm the new count.`,
    { expectedMovements, unposted: now },
  );
}

/** One run per server at a time (another server's run is refused or waited for by the store's claim). */
export const ALREADY_RUNNING = 'A posting run is already in progress. Wait for it to finish or cancel it.';
/** A reversal asked for while this server's posting run is in progress (one batch at a time). */
export const reverseWhileRunning = (batchId: number) => `A posting run is in progress. Wait for it to finish or cancel it, then reverse batch ${batchId}.`;
