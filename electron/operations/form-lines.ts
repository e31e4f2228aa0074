import { AppError } from '../../shared/contract/errors';
import type { MovementLineInput, PostDocumentInput } from '../../shared/contract/schemas';

/**
 * The form line each built movement line comes from ("Line 2", "Line 2 (GIFTBOX)", "Component 1"): a recipe explodes
 * into its components, serials and batches split a line, a transfer writes two legs, so the document's line numbers
 * are not the form's. Kept beside the lines (never posted), read when the poster refuses a line.
 */
const FORM_LINE = new WeakMap<MovementLineInput, string>();

/** Marks `lines` as built from the form line `where`; returns them. */
export function onFormLine<T extends MovementLineInput[]>(lines: T, where: string): T {
  for (const l of lines) FORM_LINE.set(l, where);
  return lines;
}

/**
 * A refusal of document line N ("Line 5: …", details.line 5) told in the form's terms: "Line 2 (GIFTBOX): …", with
 * details.line the form's line (for the form to mark) and details.documentLine N. Anything else is returned as it is.
 */
export function inFormTerms(doc: PostDocumentInput | null, e: unknown): unknown {
  if (!(e instanceof AppError) || !doc) return e;
  const details = (e.details ?? {}) as Record<string, unknown>;
  const n = details.line;
  if (typeof n !== 'number') return e;
  const line = doc.lines[n - 1];
  const where = line ? FORM_LINE.get(line) : undefined;
  const prefix = new RegExp(`^Line ${n}(?!\\d)`);
  if (where === undefined || where === `Line ${n}` || !prefix.test(e.message)) return e;
  const formLine = Number(/(\d+)/.exec(where)?.[1] ?? n);
  return new AppError(e.code, e.message.replace(prefix, where), { ...details, line: formLine, documentLine: n });
}

/** `post()` of a built document, a refusal of one of its lines told in the form's terms. */
export function postedInFormTerms<T>(doc: PostDocumentInput | null, post: () => T): T {
  try {
    return post();
  } catch (e) {
    throw inFormTerms(doc, e);
  }
}

/** postedInFormTerms for a store whose posting is asynchronous (PostgreSQL). */
export async function postedInFormTermsAsync<T>(doc: PostDocumentInput | null, post: () => Promise<T>): Promise<T> {
  try {
    return await post();
  } catch (e) {
    throw inFormTerms(doc, e);
  }
}
