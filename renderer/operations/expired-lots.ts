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
