import { describe, expect, it } from 'vitest';
import { importedMessage, postingSecondsOf } from './import-rules';

describe('postingSecondsOf', () => {
  it("reads back the seconds a finished import's message says, in any company's number format", () => {
    expect(postingSecondsOf('Imported 3 rows in 1 document; posting took 0.13 s.')).toBe(0.13);
    expect(postingSecondsOf('Imported 3 rows in 1 document; posting took 0,13 s.')).toBe(0.13);
    expect(postingSecondsOf('Imported 3 rows in 1 document; posting took 1.234,56 s.')).toBe(1234.56);
    expect(postingSecondsOf('Imported 3 rows in 1 document; posting took 1,234.56 s.')).toBe(1234.56);
    expect(postingSecondsOf('Imported 3 rows in 1 document; posting took 1\u202f234,56 s.')).toBe(1234.56);
    expect(postingSecondsOf('The import was cancelled before posting; nothing was written.')).toBeUndefined();
  });

  it('reads what importedMessage writes for a German and a British company alike', () => {
    const started = performance.now() - 1500;
    for (const locale of ['de-DE', 'en-GB', 'fr-FR', 'de-CH']) {
      const secs = postingSecondsOf(importedMessage(3, 1, started, locale));
      expect(secs, locale).toBeGreaterThanOrEqual(1.5);
      expect(secs, locale).toBeLessThan(600);
    }
  });
});
