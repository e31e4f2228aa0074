import type { AppError } from '../../shared/contract/errors';
import type { ExpiredLot, ExpiredLotsDetails } from '../../shared/operations';

/**
 * A received line's expiry (YYYY-MM-DD) when it is before the document's business day: the day part of the form's
 * effective time, a wall-clock time in the company's time zone ("2026-12-05T09:30"). Null when not expired, or not known.
 */
export function expiredBefore(expiry: string, occurredAt: string): { expiry: string; day: string } | null {
  const day = occurredAt.slice(0, 10);
  return /^\d{4}-\d{2}-\d{2}$/.test(expiry) && /^\d{4}-\d{2}-\d{2}$/.test(day) && expiry < day ? { expiry, day } : null;
}

/** The expired batches a refusal names when posting them needs the clerk's confirmation (receipt or import), else null. */
export function expiredLotsOf(e: AppError | null): ExpiredLot[] | null {
  const d = e?.code === 'CONFLICT' ? (e.details as Partial<ExpiredLotsDetails> | undefined) : undefined;
  return d?.expiredLots?.length ? d.expiredLots : null;
}

/** The documents that bring a batch in (or move or add stock into one) and ask before it comes in expired. */
export type ExpiredDocument = 'receipt' | 'production' | 'return' | 'refund' | 'transfer' | 'adjustment';

/** How each such document words the mark under a line and the confirmation dialog. */
export const EXPIRED_WORDS: Record<ExpiredDocument, { day: string; title: string; confirm: string; where: (line: number) => string; fix: string; mean?: string }> = {
  receipt: { day: "this receipt's day", title: 'Receive expired stock?', confirm: 'Receive expired stock', where: (n) => `Line ${n}`, fix: 'correct the expiry' },
  production: { day: "this production's day", title: 'Produce expired stock?', confirm: 'Produce expired stock', where: () => 'Output', fix: 'correct the output expiry' },
  return: { day: "this return's day", title: 'Return expired stock?', confirm: 'Return expired stock', where: (n) => `Line ${n}`, fix: 'correct the expiry' },
  refund: { day: "this refund's day", title: 'Return expired stock?', confirm: 'Return expired stock', where: (n) => `Line ${n} of the sale`, fix: 'untick Return to stock' },
  transfer: { day: "this transfer's day", title: 'Move stock into an expired batch?', confirm: 'Move into expired batch', where: (n) => `Line ${n}`, fix: 'pick another to batch, or correct its expiry', mean: 'Move stock into it only if that is what you mean, such as stock set aside to be written off.' },
  adjustment: { day: "this adjustment's day", title: 'Add expired stock?', confirm: 'Add expired stock', where: (n) => `Line ${n}`, fix: 'correct the expiry on the line', mean: 'Add it only if that is what you mean, such as expired stock found to be written off.' },
};

/** What a form's document is for the expired-stock question, by its mode; null: it brings no batch in. */
export function expiredDocumentOf(mode: string): ExpiredDocument | null {
  const docs: Record<string, ExpiredDocument> = { receive: 'receipt', produce: 'production', inbound: 'return', refund: 'refund', internal: 'transfer' };
  return Object.hasOwn(docs, mode) ? docs[mode]! : null;
}
