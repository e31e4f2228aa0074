import type { AppError } from '../../shared/contract/errors';

/**
 * The form field an error from main is about: `details.field` from a refused change, or the first path of a
 * request the contract did not accept (`barcodes.2` → `barcodes`). Null when it concerns the whole form.
 */
export function fieldOf(error: AppError | null): string | null {
  const d = error?.details as { field?: unknown; issues?: { path?: unknown }[] } | undefined;
  if (typeof d?.field === 'string') return d.field;
  const path = d?.issues?.[0]?.path;
  return typeof path === 'string' && path !== '(input)' ? (path.split('.')[0] ?? null) : null;
}
