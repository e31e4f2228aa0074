import { useState } from 'react';
import type { AppError } from '../../shared/contract/errors';
import { toAppError } from '../app/to-app-error';
import { fieldOf } from './field-error';

/**
 * Saving one master-data record from a form: one save at a time, main's error kept as written, and the field it names
 * marked (Fluent's validation state and message) so the user sees where to correct it.
 */
export function useRecordSave<T>(onSaved: (record: T) => void) {
  const [error, setError] = useState<AppError | null>(null);
  const [saving, setSaving] = useState(false);
  const field = fieldOf(error);
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
  return { error, setError, saving, field, mark, run };
}
