import { AppError } from '../../shared/contract/errors';
import type { ExpiredLot, ExpiredLotsDetails } from '../../shared/operations';
import type { CompanyDays } from '../company/company-time';

/** A received batch whose expiry is before `day` (the document's business day, YYYY-MM-DD), as an ExpiredLot; else null. */
export function expiredLot(line: number, sku: string, batch: { code: string; expiry?: string | undefined } | undefined, day: string): ExpiredLot | null {
  return batch?.expiry && batch.expiry < day ? { line, sku, batch: batch.code, expiry: batch.expiry, day } : null;
}

/** "Line 2: batch L1 of AMOX500 expired 30/11/2026, before this receipt's day 05/12/2026", both days as the company writes dates. */
export function expiredLotText(where: string, lot: ExpiredLot, shown: CompanyDays['shown'], document: string): string {
  return `${where}: batch ${lot.batch} of ${lot.sku} expired ${shown(lot.expiry)}, before ${document}'s day ${shown(lot.day)}`;
}

/**
 * Receiving stock that has already expired (a return to be written off) is allowed but never unseen: without the
 * clerk's confirmation it is refused, naming every such line, with the lots in its details for the confirmation dialog.
 */
export function refuseExpired(lots: ExpiredLot[], shown: CompanyDays['shown'], where: (lot: ExpiredLot) => string, document: string, nothing: 'received' | 'imported'): never {
  const details: ExpiredLotsDetails = { expiredLots: lots };
  const list = lots.map((l) => expiredLotText(where(l), l, shown, document)).join('; ');
  throw new AppError(
    'CONFLICT',
    `${list}. Expired stock is received only when you confirm it, so nothing was ${nothing}. Correct the expiry if it was mistyped, or confirm receiving the expired stock (confirmExpired).`,
    details,
  );
}
