import { describe, expect, it } from 'vitest';
import { AppError } from './contract/errors';
import { lineProblemsError, lineProblemsParts } from './line-problems';

describe('a refusal of several lines, in parts for a list', () => {
  const problems = [
    { line: 4, field: 'qty', code: 'NEGATIVE_STOCK', message: 'Line 4: not enough RICE-1KG at Central Warehouse: short by 2.000.' },
    { line: 2, field: 'qty', code: 'VALIDATION', message: 'quantity of RICE-1KG "1.234567" has more than 3 decimal places' },
  ];

  it('splits the message into its lead-in, one bad line a row (each led by its line, in line order) and what to do, words unchanged', () => {
    const e = lineProblemsError(problems);
    const parts = lineProblemsParts(e)!;
    expect(parts).toEqual({
      lead: '2 lines cannot be posted as they are, so nothing was posted:',
      lines: ['Line 2: quantity of RICE-1KG "1.234567" has more than 3 decimal places', 'Line 4: not enough RICE-1KG at Central Warehouse: short by 2.000.'],
      tail: 'Correct them and review again.',
    });
    expect(`${parts.lead} ${parts.lines.join(' ')} ${parts.tail}`).toBe(e.message);
  });

  it('leaves any other refusal whole: one bad line, no problems, or a message the lines are not in', () => {
    expect(lineProblemsParts(lineProblemsError([problems[0]!]))).toBeNull();
    expect(lineProblemsParts(new AppError('VALIDATION', 'Pick the site.'))).toBeNull();
    expect(lineProblemsParts(new AppError('VALIDATION', 'Something else entirely.', { problems }))).toBeNull();
  });
});
