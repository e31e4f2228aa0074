import { describe, expect, it } from 'vitest';
import { MOVEMENT_TYPES } from './movement-types';
import { inSentence, sentenceStart, withArticle } from './article';

describe('names in running text', () => {
  it('takes "an" before a vowel sound, "a" before any other', () => {
    expect(withArticle('Inbound Reversal')).toBe('an Inbound Reversal');
    expect(withArticle('inbound reversal')).toBe('an inbound reversal');
    expect(withArticle('Supplier Credit')).toBe('a Supplier Credit');
    expect(withArticle('PO stock return')).toBe('a PO stock return');
    expect(withArticle('EP PO stock return')).toBe('an EP PO stock return');
    expect(withArticle('ExCellar PO stock return')).toBe('an ExCellar PO stock return');
    expect(withArticle('Outbound')).toBe('an Outbound');
  });
  it('writes a catalog name as words, keeping acronyms and brands', () => {
    expect(inSentence('Inbound Reversal')).toBe('inbound reversal');
    expect(inSentence('ExCellar PO Stock Return')).toBe('ExCellar PO stock return');
    expect(inSentence('Stock Adjustment (In)')).toBe('stock adjustment (in)');
    expect(sentenceStart(withArticle(inSentence('Inbound Reversal')))).toBe('An inbound reversal');
  });
  it('never writes "a" before a movement type that starts with a vowel', () => {
    for (const t of MOVEMENT_TYPES) expect(withArticle(inSentence(t.displayName))).not.toMatch(/^a [aeiouAEIOU]/);
  });
});
