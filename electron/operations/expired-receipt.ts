import { AppError } from '../../shared/contract/errors';
import type { ExpiredLot, ExpiredLotsDetails } from '../../shared/operations';
import type { CompanyDays } from '../company/company-time';

/** A received batch whose expiry is before `day` (the document's business day, YYYY-MM-DD), as an ExpiredLot; else null. */
export function expiredLot(line: number, sku: string, batch: { code: string; expiry?: string | null | undefined } | undefined, day: string): ExpiredLot | null {
  return batch?.expiry && batch.expiry < day ? { line, sku, batch: batch.code, expiry: batch.expiry, day } : null;
}

/** "Line 2: batch L1 of AMOX500 expired 30/11/2026, before this receipt's day 05/12/2026", both days as the company writes dates. */
export function expiredLotText(where: string, lot: ExpiredLot, shown: CompanyDays['shown'], document: string): string {
  return `${where}: batch ${lot.batch} of ${lot.sku} expired ${shown(lot.expiry)}, before ${document}'s day ${shown(lot.day)}`;
}

/** How a document that brings stock in names itself when it asks about expired stock. */
export interface InboundWording {
  /** "this receipt" */
  document: string;
  /** What the stock is: "received", "produced", "returned to stock". */
  done: string;
  /** "so nothing was …": "received", "imported", "produced", "returned". */
  nothing: string;
  /** "confirm … the expired stock": "receiving", "producing", "returning". */
  confirming: string;
  /** What to do instead: "Correct the expiry if it was mistyped". */
  fix: string;
  /** The refusal's rule, where "Expired stock is <done> only when you confirm it, so nothing was <nothing>." does not fit. */
  rule?: string;
  /** What confirming is, where "confirm <confirming> the expired stock" does not fit. */
  confirm?: string;
}

const MISTYPED = 'Correct the expiry if it was mistyped';
export const RECEIPT_WORDING: InboundWording = { document: 'this receipt', done: 'received', nothing: 'received', confirming: 'receiving', fix: MISTYPED };
export const IMPORT_WORDING: InboundWording = { ...RECEIPT_WORDING, document: 'the import', nothing: 'imported' };
export const PRODUCTION_WORDING: InboundWording = { document: 'this production', done: 'produced', nothing: 'produced', confirming: 'producing', fix: MISTYPED };
export const RETURN_WORDING: InboundWording = { document: 'this return', done: 'returned to stock', nothing: 'returned', confirming: 'returning', fix: MISTYPED };
export const REFUND_WORDING: InboundWording = { ...RETURN_WORDING, document: 'this refund', fix: 'Untick Return to stock to credit it without taking it back' };
/** An internal transfer into a batch ("to batch") that has expired: the stock moved takes that batch's expiry. */
export const TRANSFER_WORDING: InboundWording = {
  document: 'this transfer',
  done: 'moved into that batch',
  nothing: 'moved',
  confirming: 'moving',
  fix: 'Pick another batch to move it to, or correct the to expiry if it was mistyped',
  rule: 'Stock is moved into an expired batch only when you confirm it, so nothing was moved.',
  confirm: 'confirm moving it into the expired batch',
};
/** A positive adjustment line bringing stock into a batch that has expired (a new batch with a past expiry, or a known expired one). */
export const ADJUSTMENT_WORDING: InboundWording = { document: 'this adjustment', done: 'added to stock', nothing: 'posted', confirming: 'adding', fix: 'Correct the expiry on the line if it was mistyped' };

/**
 * Bringing in stock that has already expired (a return to be written off) is allowed but never unseen: without the
 * clerk's confirmation it is refused, naming every such line, with the lots in its details for the confirmation dialog.
 */
export function refuseExpired(lots: ExpiredLot[], shown: CompanyDays['shown'], where: (lot: ExpiredLot) => string, wording: InboundWording): never {
  const details: ExpiredLotsDetails = { expiredLots: lots };
  const list = lots.map((l) => expiredLotText(where(l), l, shown, wording.document)).join('; ');
  throw new AppError(
    'CONFLICT',
    `${list}. ${wording.rule ?? `Expired stock is ${wording.done} only when you confirm it, so nothing was ${wording.nothing}.`} ${wording.fix}, or ${wording.confirm ?? `confirm ${wording.confirming} the expired stock`} (confirmExpired).`,
    details,
  );
}

/** A line of an inbound document that may bring in a batch: its number as the clerk sees it, product code and batch. */
export interface InboundLot {
  line: number;
  sku: string;
  batch: { code: string; expiry?: string | null | undefined } | undefined;
}

/**
 * The one check of every document that brings a batch in (receipt, production output, sales return, refund to stock):
 * a batch that expired before the document's business day (`at`, in the company's time zone) is refused unless
 * `confirmed`; `reviewing` (the review step) names such lines in its notes instead. Returns the notes.
 */
export function expiredNotes(
  days: () => CompanyDays,
  lines: InboundLot[],
  at: number,
  opts: { confirmed: boolean | undefined; reviewing: boolean; wording: InboundWording; where?: (lot: ExpiredLot) => string },
): string[] {
  if (!lines.some((l) => l.batch?.expiry)) return [];
  const d = days();
  const day = d.day(at);
  const lots = lines.flatMap((l) => expiredLot(l.line, l.sku, l.batch, day) ?? []);
  if (lots.length === 0) return [];
  const where = opts.where ?? ((lot: ExpiredLot) => `Line ${lot.line}`);
  if (!opts.reviewing && !opts.confirmed) refuseExpired(lots, d.shown, where, opts.wording);
  const asks = opts.reviewing && !opts.confirmed ? '; posting asks you to confirm it' : '';
  return lots.map((lot) => `${expiredLotText(where(lot), lot, d.shown, opts.wording.document)}: it is ${opts.wording.done} as expired stock${asks}.`);
}
