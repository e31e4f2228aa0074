import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors';
import { EXPIRED_WORDS, expiredBefore, expiredDocumentOf, expiredLotsOf } from './expired-lots';

describe('expired lots on a receipt', () => {
  it("is expired only when the expiry is before the effective time's business day", () => {
    expect(expiredBefore('2026-12-04', '2026-12-05T00:10')).toEqual({ expiry: '2026-12-04', day: '2026-12-05' });
    expect(expiredBefore('2026-12-05', '2026-12-05T23:59')).toBeNull();
    expect(expiredBefore('2027-01-01', '2026-12-05T09:00')).toBeNull();
    // Half-typed dates say nothing.
    expect(expiredBefore('2026-1', '2026-12-05T09:00')).toBeNull();
    expect(expiredBefore('2026-12-04', '')).toBeNull();
  });

  it('reads the lots from a CONFLICT that asks for confirmation, and nothing from any other refusal', () => {
    const lots = [{ line: 2, sku: 'AMOX', batch: 'L1', expiry: '2026-11-30', day: '2026-12-05' }];
    expect(expiredLotsOf(new AppError('CONFLICT', 'Line 2: …', { expiredLots: lots }))).toEqual(lots);
    expect(expiredLotsOf(new AppError('VALIDATION', 'Line 2: …', { expiredLots: lots }))).toBeNull();
    expect(expiredLotsOf(new AppError('CONFLICT', 'This file was already imported', { duplicateImport: { earlier: [] } }))).toBeNull();
    expect(expiredLotsOf(null)).toBeNull();
  });

  it('asks on every form that brings a batch in, each in its own words: receipt, production output, sales return, refund to stock, internal transfer into a batch', () => {
    expect(['receive', 'produce', 'inbound', 'refund', 'internal', 'despatch', 'transfer', 'writeOff', 'reverse', 'constructor'].map(expiredDocumentOf)).toEqual([
      'receipt', 'production', 'return', 'refund', 'transfer', null, null, null, null, null,
    ]);
    expect(EXPIRED_WORDS.transfer.title).toBe('Move stock into an expired batch?');
    expect(EXPIRED_WORDS.adjustment.where(2)).toBe('Line 2');
    expect(EXPIRED_WORDS.production.where(1)).toBe('Output');
    expect(EXPIRED_WORDS.refund.where(3)).toBe('Line 3 of the sale');
    expect(EXPIRED_WORDS.return.title).toBe('Return expired stock?');
    expect(EXPIRED_WORDS.production.day).toBe("this production's day");
  });
});
