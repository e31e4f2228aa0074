import { useEffect, useRef, useState } from 'react';
import type { AppError } from '../../shared/contract/errors';
import { toAppError } from '../app/to-app-error';
import { fieldOf } from './field-error';
import { isStaleRecord } from '../../shared/record-version';

/**
 * Saving one master-data record from a form: one save at a time, main's error kept as written, and the field it names
 * marked (Fluent's validation state and message) and focused, so the user sees where to correct it and can type at once;
 * a refusal that names no field is scrolled into view (its Reload button focused when someone else saved first).
 * Attach `formRef` to the form for the focus.
 */
export function useRecordSave<T>(onSaved: (record: T) => void) {
  const [error, setError] = useState<AppError | null>(null);
  const [saving, setSaving] = useState(false);
  const field = fieldOf(error);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (!error) return;
    const form = formRef.current;
    const invalid = field !== null ? form?.querySelector<HTMLElement>('[aria-invalid="true"]') : null;
    if (invalid) {
      invalid.focus();
      return;
    }
    // No field to mark (someone else saved the record first, or a refusal of the whole record): the refusal sits at the
    // top of a form the user may have scrolled down to Save; bring it into view, with Reload focused when it offers it.
    const bar = form?.querySelector<HTMLElement>('[data-testid="error-bar"]');
    bar?.scrollIntoView({ block: 'nearest' });
    bar?.querySelector<HTMLElement>('[data-testid="reload-record"]')?.focus();
  }, [error, field]);
  const mark = (name: string) => (field === name ? { validationState: 'error' as const, validationMessage: error?.message } : {});
  const run = async (call: () => Promise<T>): Promise<void> => {
    setSaving(true);
    try {
      const saved = await call();
      setError(null);
      onSaved(saved);
    } catch (err) {
      setError(toAppError(err));
    } finally {
      setSaving(false);
    }
  };
  /** Someone else saved the record first: the refusal carries its current values (reload them into the form). */
  const stale = error && isStaleRecord(error.details) ? (error.details.current as T) : null;
  return { error, setError, saving, field, mark, run, formRef, stale };
}
