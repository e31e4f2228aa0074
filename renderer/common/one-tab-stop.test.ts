import { describe, expect, it } from 'vitest';
import { neighbourStop } from './one-tab-stop';

describe('neighbourStop: one tab stop for a date-time field', () => {
  const order = ['reference', 'time', 'duty'];
  it('Tab goes to the field after, Shift+Tab to the one before', () => {
    expect(neighbourStop(order, 'time', false)).toBe('duty');
    expect(neighbourStop(order, 'time', true)).toBe('reference');
  });
  it('nothing at the ends or for a field not in the order (the browser moves on as usual)', () => {
    expect(neighbourStop(order, 'duty', false)).toBeNull();
    expect(neighbourStop(order, 'other', false)).toBeNull();
  });
});
