import { AppError } from '../../shared/contract/errors';
import type { MovementQuery } from './movement-query';

/** Movements counted per step (a rowid range of the table); the worker serves other requests between steps. */
export const COUNT_STEP = 200_000;

/**
 * The exact count of a filter's matches, refined in the background after the first answer was "more than N": walks
 * the table in seq slices (sequential reads, every predicate checked), reporting progress, stopping on cancel.
 */
export async function refineCount(
  query: MovementQuery,
  head: number,
  signal: AbortSignal,
  progress: (p: { done: number; total: number; phase: string }) => void,
  step = COUNT_STEP,
): Promise<number> {
  let n = 0;
  for (let from = 1; from <= head; from += step) {
    if (signal.aborted) throw new AppError('CANCELLED', 'The count was cancelled; the total stays "more than".');
    n += query.countSlice(from, Math.min(head, from + step - 1));
    progress({ done: Math.min(head, from + step - 1), total: head, phase: `${n.toLocaleString('en-GB')} so far` });
    await new Promise((resolve) => setImmediate(resolve));
  }
  return n;
}
