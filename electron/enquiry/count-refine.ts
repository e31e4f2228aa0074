import { AppError } from '../../shared/contract/errors';
import type { MovementCount } from '../../shared/enquiry';
import { plural } from '../../shared/plural';
import { value, type Awaitable, type Steps } from '../ledger/steps';

/**
 * A filter's matches as either store's query counts them (MovementQuery on SQLite, PgMovementQuery on PostgreSQL): the
 * first answer (up to a cap) and the slices of a count refined in the background.
 */
export interface MovementCountRecords {
  /** True when nothing can match (a resolved id set is empty): every count is 0, read from nothing. */
  matchesNothing(): boolean;
  /** True when no predicate narrows: every movement matches. */
  matchesAll(): boolean;
  /** The matches, counted up to `limit`. */
  countUpTo(limit: number): Awaitable<number>;
  /** The matches among movements seq in [from, to] (a slice of the table). */
  countSlice(from: number, to: number): Awaitable<number>;
}

/**
 * Exact count up to `cap` (`exact: false`: "more than cap"). With no predicate the count is the ledger's head seq
 * (`head`): seq is dense from 1 and movements are never deleted (invariant 1), whatever the cap. The rule written once
 * for both stores (ledger/steps.ts).
 */
export function* countMatches(r: MovementCountRecords, cap: number, head: () => Awaitable<number>): Steps<MovementCount> {
  if (r.matchesNothing()) return { count: 0, exact: true };
  if (r.matchesAll()) return { count: yield* value(head()), exact: true };
  const n = yield* value(r.countUpTo(cap + 1));
  return n > cap ? { count: cap, exact: false } : { count: n, exact: true };
}

/** Movements counted per step (a rowid range of the table); the worker serves other requests between steps. */
export const COUNT_STEP = 200_000;

/**
 * The exact count of a filter's matches, refined in the background after the first answer was "more than N": walks
 * the table in seq slices (sequential reads, every predicate checked), reporting progress, stopping on cancel. The
 * query is either store's (SQLite's MovementQuery counts a slice at once, PostgreSQL's in a round trip).
 */
export async function refineCount(
  query: Pick<MovementCountRecords, 'countSlice'>,
  head: number,
  signal: AbortSignal,
  progress: (p: { done: number; total: number; phase: string }) => void,
  step = COUNT_STEP,
): Promise<number> {
  let n = 0;
  for (let from = 1; from <= head; from += step) {
    if (signal.aborted) throw new AppError('CANCELLED', 'The count was cancelled; the total stays "more than".');
    n += await query.countSlice(from, Math.min(head, from + step - 1));
    progress({ done: Math.min(head, from + step - 1), total: head, phase: `${n.toLocaleString('en-GB')} so far` });
    await new Promise((resolve) => setImmediate(resolve));
  }
  return n;
}

/** job.finished's message for a refined count: it starts with the count ("1,234,567 movements match the filter"). */
export function refinedCountMessage(n: number): string {
  return `${plural(n, 'movement')} ${n === 1 ? 'matches' : 'match'} the filter`;
}
