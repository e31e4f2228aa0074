/** One field of a record as the refusal of a stale save shows it: its label and its value now saved. */
export interface SavedValue {
  label: string;
  value: string;
}

/** A field of a record type: its label and how it reads. */
export type RecordField<T> = readonly [label: string, read: (record: T) => string];

/**
 * What someone else changed since this window opened the record: each field whose value now saved differs from the
 * one opened, with the value now saved (an empty value reads "(none)"). Empty when nothing shown here changed.
 */
export function savedNow<T>(opened: T, now: T, fields: readonly RecordField<T>[]): SavedValue[] {
  return fields.flatMap(([label, read]) => {
    const value = read(now);
    return value === read(opened) ? [] : [{ label, value: value.trim() === '' ? '(none)' : value }];
  });
}
