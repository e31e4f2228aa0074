import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors';
import type { ReviewInput } from '../../shared/contract/operations.schemas';
import { LineTypingErrors } from './document-inputs';
import { withTheOtherLines } from './use-post-flow';

const rest = { operation: 'despatch', input: { lines: [] } } as unknown as ReviewInput;

describe('withTheOtherLines', () => {
  it("tells lines typed wrong together with the ledger's refusal of the other lines, in the form's line numbers", async () => {
    // Lines 2 and 4 could not be read; lines 1, 3 and 5 went to the review as its lines 1, 2 and 3.
    const typed = new LineTypingErrors(
      [
        { line: 2, field: null, code: 'VALIDATION', message: 'Line 2: pick a product.' },
        { line: 4, field: null, code: 'VALIDATION', message: 'Line 4: quantity of RICE-1KG has more than 3 decimal places.' },
      ],
      rest,
      [1, 3, 5],
    );
    const e = await withTheOtherLines(typed, () => Promise.reject(new AppError('NEGATIVE_STOCK', 'Line 3: not enough RICE-1KG at Central Warehouse.', { line: 3 })));
    expect(e.message).toBe(
      '3 lines cannot be posted as they are, so nothing was posted: Line 2: pick a product. Line 4: quantity of RICE-1KG has more than 3 decimal places. Line 5: not enough RICE-1KG at Central Warehouse. Correct them and review again.',
    );
    expect((e.details as { problems: { line: number }[] }).problems.map((p) => p.line)).toEqual([2, 4, 5]);
  });

  it('is the one typing error as it was when the other lines review well', async () => {
    const typed = new LineTypingErrors([{ line: 2, field: null, code: 'VALIDATION', message: 'Line 2: pick a product.' }], rest, [1]);
    const e = await withTheOtherLines(typed, () => Promise.resolve({}));
    expect(e).toMatchObject({ code: 'VALIDATION', message: 'Line 2: pick a product.' });
  });
});
