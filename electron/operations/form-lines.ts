import { AppError } from '../../shared/contract/errors';
import type { MovementLineInput, PostDocumentInput } from '../../shared/contract/schemas';

/**
 * The form line each built movement line comes from ("Line 2", "Line 2 (GIFTBOX)", "Component 1"): a recipe explodes
 * into its components, serials and batches split a line, a transfer writes two legs, so the document's line numbers
 * are not the form's. Kept beside the lines (never posted), read when the poster refuses a line.
 */
const FORM_LINE = new WeakMap<MovementLineInput, { where: string; product?: FormLineProduct }>();

/** The product of a form line, as a refusal of its serial numbers names it. */
export type FormLineProduct = { sku: string; tracking: string };

/** Marks `lines` as built from the form line `where` (of `product`, where the builder has it); returns them. */
export function onFormLine<T extends MovementLineInput[]>(lines: T, where: string, product?: FormLineProduct): T {
  for (const l of lines) FORM_LINE.set(l, product ? { where, product } : { where });
  return lines;
}

/**
 * One unit listed on two lines of a form (the same serial of a product moving the same way twice) is refused naming
 * the serial and both lines, before the poster would refuse the second as "already in stock" (or "not in stock") at
 * the very place the first line puts it. A transfer's two legs of one unit move opposite ways and are not a repeat.
 */
export function refuseUnitOnTwoLines(doc: PostDocumentInput): void {
  const first = new Map<string, number>();
  doc.lines.forEach((line, i) => {
    if (line.serial === undefined) return;
    const key = `${line.productId}\u0000${line.serial}\u0000${Math.sign(line.qty)}`;
    const earlier = first.get(key);
    if (earlier === undefined) return void first.set(key, i);
    const a = FORM_LINE.get(doc.lines[earlier]!);
    const b = FORM_LINE.get(line);
    const whereA = a?.where ?? `Line ${earlier + 1}`;
    const whereB = b?.where ?? `Line ${i + 1}`;
    const product = b?.product ?? a?.product;
    const what = product?.tracking === 'RFID' ? 'Tag' : 'Serial number';
    const of = product ? ` of ${product.sku}` : '';
    const lines = whereA === whereB ? `twice on ${lower(whereA)}` : `on ${lower(whereA)} and ${lower(whereB)}`;
    throw new AppError('VALIDATION', `${what} ${line.serial}${of} is ${lines}: one unit is listed once. Remove it from one of the lines.`, {
      field: 'serials',
      serial: line.serial,
      line: lineNumber(whereB, i + 1),
    });
  });
}

const lower = (where: string) => where.replace(/^Line\b/, 'line');
const lineNumber = (where: string, fallback: number) => Number(/(\d+)/.exec(where)?.[1] ?? fallback);

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
  const where = line ? FORM_LINE.get(line)?.where : undefined;
  const prefix = new RegExp(`^Line ${n}(?!\\d)`);
  if (where === undefined || where === `Line ${n}` || !prefix.test(e.message)) return e;
  const formLine = lineNumber(where, n);
  return new AppError(e.code, e.message.replace(prefix, where), { ...details, line: formLine, documentLine: n });
}

/** `post()` of a built document, a refusal of one of its lines told in the form's terms. */
export function postedInFormTerms<T>(doc: PostDocumentInput | null, post: () => T): T {
  if (doc) refuseUnitOnTwoLines(doc);
  try {
    return post();
  } catch (e) {
    throw inFormTerms(doc, e);
  }
}

/** postedInFormTerms for a store whose posting is asynchronous (PostgreSQL). */
export async function postedInFormTermsAsync<T>(doc: PostDocumentInput | null, post: () => Promise<T>): Promise<T> {
  if (doc) refuseUnitOnTwoLines(doc);
  try {
    return await post();
  } catch (e) {
    throw inFormTerms(doc, e);
  }
}
