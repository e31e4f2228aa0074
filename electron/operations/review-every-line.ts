import { AppError } from '../../shared/contract/errors';
import type { ReviewLineProblem } from '../../shared/operations';
import { inFormLineNumbers, lineProblemsError, refusedLineOf } from '../../shared/line-problems';
import { value, type Awaitable, type Steps } from '../ledger/steps';

/** At most this many bad lines are looked for in one review (each is one more rolled-back try). */
const MAX_LINES_TOLD = 50;

/** The line (1-based) a refusal is about (refusedLineOf), if it is one of the `count` lines sent. */
function refusedLine(e: unknown, count: number): number | null {
  if (!(e instanceof AppError)) return null;
  const n = refusedLineOf(e);
  return n !== null && n <= count ? n : null;
}

/** A refusal of line n of the lines sent, told for the form's own lines (inFormLineNumbers). */
function problemOf(e: AppError, n: number, formLines: number[]): ReviewLineProblem {
  const field = (e.details as { field?: unknown } | undefined)?.field;
  return { line: formLines[n - 1]!, field: typeof field === 'string' ? field : null, code: e.code, message: inFormLineNumbers(e.message, formLines) };
}

/**
 * A review that tells every bad line at once (walk F10), not only the first: when the ledger refuses a line (a
 * refusal naming its line: refusedLineOf), that line is left out and the rest is reviewed again, until the rest reviews or
 * refuses the document as a whole. One bad line is refused as before, unchanged; several are refused together
 * (lineProblemsError). Nothing is written either way (each try is the review's rolled-back transaction), and posting
 * stays all-or-nothing. Written once for both stores: SQLite runs it with runNow, PostgreSQL with runLater.
 */
export function* reviewEveryLine<I extends object, R>(input: I, review: (input: I) => Awaitable<R>): Steps<R> {
  const all = (input as { lines?: unknown }).lines;
  if (!Array.isArray(all) || all.length < 2) return yield* value(review(input));
  let formLines = all.map((_, i) => i + 1);
  const problems: ReviewLineProblem[] = [];
  let firstRefusal: unknown = null;
  for (;;) {
    const sent = problems.length ? { ...input, lines: formLines.map((n) => all[n - 1]) } : input;
    try {
      const reviewed = yield* value(review(sent));
      if (!problems.length) return reviewed;
      break;
    } catch (e) {
      const n = refusedLine(e, formLines.length);
      if (n === null) {
        if (!problems.length) throw e;
        break; // the rest refused as a whole: the lines' own refusals are what the clerk corrects first
      }
      firstRefusal ??= e;
      problems.push(problemOf(e as AppError, n, formLines));
      formLines = formLines.filter((_, i) => i !== n - 1);
      if (formLines.length === 0 || problems.length >= MAX_LINES_TOLD) break;
    }
  }
  if (problems.length === 1) throw firstRefusal;
  throw lineProblemsError(problems);
}
