import { describe, expect, it } from 'vitest';
import { showDatesIn } from '../common/format';
import { reviewRoundingNote } from './review-rounding';

describe('the Review total when its rounded rows do not add up', () => {
  it('names the exact value out when 3,72 € + 1,86 € is shown beside a total of 5,59 € (walk: sale BON-0001)', () => {
    showDatesIn({ timeZone: 'Europe/Berlin', locale: 'de-DE', currency: 'EUR' });
    expect(reviewRoundingNote([-37_248, -18_624], 0, 55_872)).toBe('the rows are rounded; exact value out 5,5872\u00a0€');
  });

  it('says nothing when the rows add up, in and out, or an amount has no more than the cents', () => {
    showDatesIn({ timeZone: 'Europe/London', locale: 'en-GB', currency: 'GBP' });
    expect(reviewRoundingNote([-37_200, -18_600, 12_000], 12_000, 55_800)).toBeNull();
    expect(reviewRoundingNote([-37_248, -18_652], 0, 55_900)).toBeNull();
    expect(reviewRoundingNote([12_345, 12_345], 24_690, 0)).toBe('the rows are rounded; exact value in £2.469');
  });
});
