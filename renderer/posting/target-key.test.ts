import { describe, expect, it } from 'vitest';
import { endOfTodayInput } from './target-key';

describe('the posting window\'s default "up to"', () => {
  it('is the end of today in the company time zone, to the second, whatever the browser zone', () => {
    const at = Date.parse('2026-06-30T23:30:00Z'); // already 1 July in London, still 30 June in New York
    expect(endOfTodayInput('Europe/London', at)).toBe('2026-07-01T23:59:59');
    expect(endOfTodayInput('America/New_York', at)).toBe('2026-06-30T23:59:59');
  });
});
