import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors';
import { emptyDateRefusal, typedDateRefusal } from './date-refusal';

describe('the refusal of an action whose date field cannot be used', () => {
  it('names the field, says what it is not and what to do, and points at the field', () => {
    const e = typedDateRefusal('Line 2 expiry', { mode: 'date', at: { line: 2, field: 'expiry' } });
    expect(e).toBeInstanceOf(AppError);
    expect(e.code).toBe('VALIDATION');
    expect(e.message).toBe("Line 2 expiry: what is typed is not a date. Type one as the field's hint shows, or pick a day in the calendar.");
    expect(e.details).toEqual({ line: 2, field: 'expiry' });
  });

  it('says "date and time" for a date-time field, the range it takes, and another way out', () => {
    expect(typedDateRefusal('Count date', { range: 'up to now', orElse: 'empty it for now' }).message).toBe(
      "Count date: what is typed is not a date and time up to now. Type one as the field's hint shows, or pick a day in the calendar, or empty it for now.",
    );
  });

  it('refuses an emptied field where empty means nothing, saying what to type', () => {
    expect(emptyDateRefusal('To', 'the last day of the period').message).toBe('To is empty: type the last day of the period, or pick a day in the calendar.');
  });
});
