import { AppError } from './contract/errors';
import type { ReviewLineProblem } from './operations';

/**
 * A message about some of a form's lines sent on their own, told in the form's numbers: `formLines[k - 1]` is sent line
 * k's number on the form, and every "Line k"/"line k" of the message is renumbered so.
 */
export function inFormLineNumbers(message: string, formLines: readonly number[]): string {
  return message.replace(/\b([Ll]ine) (\d+)\b/g, (all, word: string, k: string) => {
    const on = formLines[Number(k) - 1];
    return on === undefined ? all : `${word} ${on}`;
  });
}

/**
 * The form line a refusal is about: its details.line, else the line its message starts with ("Line 5: not enough …",
 * as the builders refuse a line); null for a refusal of the document as a whole (or of a recipe's component).
 */
export function refusedLineOf(e: AppError): number | null {
  const n = (e.details as { line?: unknown } | undefined)?.line;
  if (typeof n === 'number' && Number.isInteger(n) && n >= 1) return n;
  const m = /^Line (\d+)\b/.exec(e.message);
  return m ? Number(m[1]) : null;
}

/** The lines of a refusal: its details.problems, else its one line (refusedLineOf), else none. */
export function lineProblemsOf(e: AppError): ReviewLineProblem[] {
  const d = (e.details ?? {}) as { problems?: ReviewLineProblem[]; field?: unknown };
  if (Array.isArray(d.problems)) return d.problems;
  const line = refusedLineOf(e);
  if (line === null) return [];
  return [{ line, field: typeof d.field === 'string' ? d.field : null, code: e.code, message: e.message }];
}

/**
 * The refusal of a document with several bad lines: every line's own refusal, in line order, in one message ("3 lines
 * cannot be posted as they are, so nothing was posted: Line 2: … Line 4: …") and in details.problems, each naming its
 * line and field for the form to mark; details.line and details.field are the first's. One problem is its own refusal.
 */
export function lineProblemsError(problems: ReviewLineProblem[]): AppError {
  const sorted = [...problems].sort((a, b) => a.line - b.line);
  const first = sorted[0]!;
  const details = { line: first.line, ...(first.field ? { field: first.field } : {}), problems: sorted };
  if (sorted.length === 1) return new AppError(first.code as AppError['code'], first.message, details);
  return new AppError(
    sorted.every((p) => p.code === first.code) ? (first.code as AppError['code']) : 'VALIDATION',
    `${sorted.length} lines cannot be posted as they are, so nothing was posted: ${sorted.map(problemText).join(' ')} Correct them and review again.`,
    details,
  );
}

/** One bad line as the refusal of several words it: its message, led by its line ("Line 4: …"). */
const problemText = (p: ReviewLineProblem) => (/^Line \d/.test(p.message) ? p.message : `Line ${p.line}: ${p.message}`);

/**
 * A refusal of several lines (lineProblemsError) in parts, for a screen to list one bad line a row: the lead-in ("3 lines
 * cannot be posted as they are, so nothing was posted:"), each line's message, and what to do ("Correct them and review
 * again."), all in the message's own words. Null for any other error (shown as its message).
 */
export function lineProblemsParts(e: AppError): { lead: string; lines: string[]; tail: string } | null {
  const problems = (e.details as { problems?: ReviewLineProblem[] } | undefined)?.problems;
  if (!Array.isArray(problems) || problems.length < 2) return null;
  const lines = problems.map(problemText);
  const at = e.message.indexOf(lines.join(' '));
  if (at <= 0) return null;
  return { lead: e.message.slice(0, at).trim(), lines, tail: e.message.slice(at + lines.join(' ').length).trim() };
}
