import { AppError } from '../../shared/contract/errors';
import { plural } from '../../shared/plural';

/** Movements counted per step (a rowid range of the table); the worker serves other requests between steps. */
export const COUNT_STEP = 200_000;

/**
 * The exact count of a filter's matches, refined in the background after the first answer was "more than N": walks
 * the table in seq slices (sequential reads, every predicate checked), reporting progress, stopping on cancel. The
 * query is either store's (SQLite's MovementQuery counts a slice at once, PostgreSQL's in a round trip).
 */
export async function refineCount(
  query: { countSlice(from: number, to: number): number | Promise<number> },
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
