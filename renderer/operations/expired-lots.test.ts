import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors';
import { expiredBefore, expiredLotsOf } from './expired-lots';

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
});
