import { describe, expect, it } from 'vitest';
import { rowAfterKey } from './use-row-keys';

describe('rowAfterKey: moving between grid rows', () => {
  it('arrows move one row and stop at the ends', () => {
    expect(rowAfterKey('ArrowDown', 0, 3, 20)).toBe(1);
    expect(rowAfterKey('ArrowDown', 2, 3, 20)).toBe(2);
    expect(rowAfterKey('ArrowUp', 0, 3, 20)).toBe(0);
  });
  it('Page keys move a page, Home and End to the first and last row', () => {
    expect(rowAfterKey('PageDown', 5, 100, 20)).toBe(25);
    expect(rowAfterKey('PageUp', 5, 100, 20)).toBe(0);
    expect(rowAfterKey('End', 5, 100, 20)).toBe(99);
    expect(rowAfterKey('Home', 5, 100, 20)).toBe(0);
  });
  it('other keys and an empty grid move nothing', () => {
    expect(rowAfterKey('Enter', 0, 3, 20)).toBeNull();
    expect(rowAfterKey('ArrowDown', 0, 0, 20)).toBeNull();
  });
});
