import { useCallback, useState } from 'react';
import { AppError } from '../../shared/contract/errors';
import type { DateFieldMode } from './date-text';

/** Where a refusal points: the form's field (`details.field`, and `line` for a document line), for useErrorField. */
type At = { field?: string; line?: number };

/**
 * The refusal of an action whose date field holds text that is not a date (or not one it takes, `range`: "up to now"):
 * names the field, says what to do (`orElse`: another way out); never the value from before the typing instead.
 */
export function typedDateRefusal(label: string, options: { mode?: DateFieldMode; range?: string; orElse?: string; at?: At } = {}): AppError {
  const what = options.mode === 'date' ? 'a date' : 'a date and time';
  return new AppError(
    'VALIDATION',
    `${label}: what is typed is not ${what}${options.range ? ` ${options.range}` : ''}. Type one as the field's hint shows, or pick a day in the calendar${options.orElse ? `, or ${options.orElse}` : ''}.`,
    options.at,
  );
}

/** The refusal of an action whose date field was emptied where empty means nothing (`what`: what to type there). */
export function emptyDateRefusal(label: string, what: string, at?: At): AppError {
  return new AppError('VALIDATION', `${label} is empty: type ${what}, or pick a day in the calendar.`, at);
}

/**
 * The date fields of a window whose text is not a date just now, by name: `listen(name)` is a field's onInvalidChange,
 * `bad` the names that are. A field that goes away (a line removed) stays listed: ask only about the names still shown.
 */
export function useInvalidDates(): { bad: ReadonlySet<string>; listen: (name: string) => (invalid: boolean) => void } {
  const [bad, setBad] = useState<ReadonlySet<string>>(() => new Set());
  const listen = useCallback(
    (name: string) => (invalid: boolean) =>
      setBad((prev) => {
        if (prev.has(name) === invalid) return prev;
        const next = new Set(prev);
        if (invalid) next.add(name);
        else next.delete(name);
        return next;
      }),
    [],
  );
  return { bad, listen };
}
