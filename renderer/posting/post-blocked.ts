import type { TargetKind } from './target-key';

/** What "Post…" waits for, as the Posting window knows it before asking main. */
export interface PostConditions {
  running: boolean;
  /** "Post movements up to" holds a date and time main can read. */
  validTo: boolean;
  /** Its text is not a date and time (the field says so too). */
  toInvalid: boolean;
  kind: TargetKind;
  path: string;
}

/**
 * Why "Post…" is off, and what to do, in one sentence shown beside it; null when it is on. Everything else (no control
 * accounts, nothing unposted up to the date) is main's to say: Post… asks it, and its answer is shown.
 */
export function postBlockedReason(c: PostConditions): string | null {
  if (c.running) return 'A posting is running: wait for it to finish, or cancel it.';
  if (!c.validTo || c.toInvalid) return 'Post movements up to is not a date and time: type one (e.g. 2026-12-05 23:59:59) or pick it.';
  if (c.kind !== 'builtin' && !c.path.trim()) {
    return c.kind === 'hledger' ? 'No journal file is named: type the path of the hledger journal to post to.' : 'No export folder is named: type the folder the CSV files go to.';
  }
  return null;
}
