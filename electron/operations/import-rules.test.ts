import { describe, expect, it } from 'vitest';
import { importedMessage, postingSecondsOf } from './import-rules';

describe('importedMessage', () => {
  it("counts rows and documents in the company's number format, as it writes the seconds", () => {
    expect(importedMessage(1201, 1001, performance.now(), 'de-DE')).toMatch(/^Imported 1\.201 rows in 1\.001 documents; posting took 0,\d\d s\.$/);
    expect(importedMessage(1201, 1, performance.now(), 'en-GB')).toMatch(/^Imported 1,201 rows in 1 document; posting took 0\.\d\d s\.$/);
  });
});

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
