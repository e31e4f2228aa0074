import { describe, expect, it } from 'vitest';
import { isBackdated } from './backdated';

const at = (iso: string) => Date.parse(iso);

describe('backdated: effective on an earlier business day than recorded, in the business time zone', () => {
  it('marks a movement effective 23:30 local the evening before, recorded at 00:10 local (Europe/London, BST)', () => {
    // 23:30 BST on 1 July is 22:30Z; 00:10 BST on 2 July is 23:10Z: the same UTC day, different London days.
    expect(isBackdated(at('2026-07-01T22:30:00Z'), at('2026-07-01T23:10:00Z'), 'Europe/London')).toBe(true);
    // Read in UTC both fall on 1 July: the zone decides.
    expect(isBackdated(at('2026-07-01T22:30:00Z'), at('2026-07-01T23:10:00Z'), 'UTC')).toBe(false);
  });

  it('does not mark a movement dated earlier the same local day, nor one recorded at its effective time', () => {
    // 00:30 BST on 2 July (23:30Z on 1 July) recorded 17:00 BST on 2 July.
    expect(isBackdated(at('2026-07-01T23:30:00Z'), at('2026-07-02T16:00:00Z'), 'Europe/London')).toBe(false);
    expect(isBackdated(at('2026-07-02T16:00:00Z'), at('2026-07-02T16:00:00Z'), 'Europe/London')).toBe(false);
  });

  it('marks a receipt dated last month, and never a movement dated after it was recorded', () => {
    expect(isBackdated(at('2026-06-15T10:00:00Z'), at('2026-07-02T10:00:00Z'), 'Europe/London')).toBe(true);
    expect(isBackdated(at('2026-07-03T10:00:00Z'), at('2026-07-02T10:00:00Z'), 'Europe/London')).toBe(false);
  });

  it('uses the local day west of UTC too (America/New_York, EDT): 20:00 local on 1 July is 00:00Z on 2 July', () => {
    expect(isBackdated(at('2026-07-02T00:00:00Z'), at('2026-07-02T05:00:00Z'), 'America/New_York')).toBe(true);
    expect(isBackdated(at('2026-07-02T00:00:00Z'), at('2026-07-02T05:00:00Z'), 'UTC')).toBe(false);
  });
});
