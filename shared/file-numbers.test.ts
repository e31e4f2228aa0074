import { describe, expect, it } from 'vitest';
import { fileNumberChoices, numberFormatName, readFileMoney, readFileQuantity } from './file-numbers';

describe('the numbers of a file', () => {
  it('names each format as the user recognises it and offers the company format first, each format once', () => {
    expect(['en-GB', 'de-DE', 'fr-FR'].map(numberFormatName)).toEqual(['1,234.56', '1.234,56', '1 234,56']);
    expect(fileNumberChoices('en-US').map((c) => c.locale)).toEqual(['en-US', 'de-DE', 'fr-FR', 'de-CH']);
    expect(fileNumberChoices('de-DE').map((c) => c.name)).toEqual(['1.234,56', '1,234.56', '1 234,56', numberFormatName('de-CH')]);
  });

  it('reads by the chosen format and names the format that would read a refused number', () => {
    expect(readFileQuantity('2,5', 3, 'de-DE')).toBe(2_500);
    expect(readFileMoney('£2.10', 'en-GB')).toBe(21_000);
    expect(() => readFileQuantity('2,5', 3, 'en-GB')).toThrow(`"2,5" uses a comma as decimal separator; this file is read as 1,234.56: choose 1.234,56 under 'Numbers in this file', or write 2.5`);
    expect(() => readFileMoney('€2.10', 'de-DE')).toThrow(`"€2.10" uses a point as decimal separator; this file is read as 1.234,56: choose 1,234.56 under 'Numbers in this file', or write €2,10`);
    // Grouped or ambiguous numbers keep the parser's refusal: no format reads them for sure.
    expect(() => readFileQuantity('1,234', 3, 'en-GB')).toThrow(/ambiguous \(1234 or 1\.234\?\)/);
    expect(() => readFileQuantity('2,5', 0, 'en-GB')).toThrow(/uses a comma as decimal separator; use a point/);
  });
});
