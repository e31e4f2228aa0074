import { describe, expect, it } from 'vitest';
import { DOCUMENT_TYPE_CODES, documentLabel } from './document-types';

describe('documentLabel', () => {
  it('names a document by its kind in words and its reference', () => {
    expect(documentLabel('production', 'WO-005123')).toBe('Production WO-005123');
    expect(documentLabel('receipt_reversal', 'RR-000001')).toBe('Receipt reversal RR-000001');
    expect(documentLabel('stock_count', 'SC-000004')).toBe('Stock count SC-000004');
  });

  it('names a document without a reference by its kind alone, never by its row id', () => {
    expect(documentLabel('receipt', null)).toBe('Receipt (no reference)');
    expect(documentLabel('receipt', '')).toBe('Receipt (no reference)');
  });

  it('never shows a stored type code: every kind has words, and an unknown one is just "Document"', () => {
    for (const code of DOCUMENT_TYPE_CODES) expect(documentLabel(code, 'X-1')).not.toMatch(/_/);
    expect(documentLabel('goods_receipt', 'GRN-1')).toBe('Document GRN-1');
  });
});
