import { useEffect, type RefObject } from 'react';
import type { AppError } from '../../shared/contract/errors';
import { fieldLabel } from '../../shared/contract/field-labels';

/**
 * The label of the field an error is about, in the words of the form: from a request the contract refused
 * (`details.issues[0].label`, "Line 1 quantity"), or from a refusal naming a line and field (`{ line: 2, field: 'binId' }`
 * → "Line 2 bin") or a field alone (`{ field: 'siteId' }` → "Site"). Null when the error concerns the whole form.
 */
export function errorFieldLabel(error: AppError | null): string | null {
  const d = error?.details as { field?: unknown; line?: unknown; issues?: { label?: unknown; path?: unknown }[] } | undefined;
  const issue = d?.issues?.[0];
  if (typeof issue?.label === 'string') return issue.label;
  if (typeof issue?.path === 'string' && issue.path !== '(input)') return fieldLabel(issue.path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)));
  if (typeof d?.field !== 'string') return null;
  return typeof d.line === 'number' ? fieldLabel(['lines', d.line - 1, d.field]) : fieldLabel([d.field]);
}

/**
 * Every field an error is about, as (field label, message) pairs to find it by: one per bad line of a document refused
 * with several (details.problems: each line's field, or what its message names), else the error's one field.
 */
export function errorFieldsOf(error: AppError): { wanted: string | null; message: string }[] {
  const problems = (error.details as { problems?: unknown } | undefined)?.problems;
  if (!Array.isArray(problems) || problems.length < 2) return [{ wanted: errorFieldLabel(error), message: error.message }];
  return (problems as { line: number; field: string | null; message: string }[]).map((p) => ({
    // a shortage names no field: it is the line's quantity that asks for more than there is
    wanted: p.field ? fieldLabel(['lines', p.line - 1, p.field]) : (p as { code?: string }).code === 'NEGATIVE_STOCK' ? fieldLabel(['lines', p.line - 1, 'qty']) : null,
    message: p.message,
  }));
}

const norm = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ');
/** The forms' shorter words for some fields ("Line 1 serials", "Line 1 expiry", "Line 1 counted"). */
const variants = (label: string) => {
  const w = norm(label);
  return [...new Set([w, w.replace(/ serial numbers$/, ' serials'), w.replace(/ (date|date and time|numbers)$/, ''), w.replace(/ counted quantity$/, ' counted')])];
};

/**
 * Which of a form's field labels an error is about (-1: none): the one named by the error's own field label (or one
 * that starts with it), else the longest label the message itself names ("Line 2 unit cost must be a number…").
 */
export function pickErrorField(labels: readonly string[], wanted: string | null, message: string): number {
  const all = labels.map(norm);
  if (wanted) {
    for (const v of variants(wanted)) {
      const exact = all.indexOf(v);
      if (exact >= 0) return exact;
    }
    for (const v of variants(wanted)) {
      const prefix = all.findIndex((l) => l.startsWith(`${v} `));
      if (prefix >= 0) return prefix;
    }
  }
  const text = norm(message).replace(/\b(line \d+):/g, '$1'); // "Line 2: quantity …" names "Line 2 quantity"
  let best = -1;
  all.forEach((l, i) => {
    if (l.length < 4 || !new RegExp(`(^|[^a-z0-9])${l.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^a-z0-9])`).test(text)) return;
    if (best < 0 || l.length > all[best]!.length) best = i;
  });
  return best;
}

/** A control's visible or spoken label. */
function labelOf(el: HTMLElement): string {
  const aria = el.getAttribute('aria-label');
  if (aria) return aria;
  const by = el.getAttribute('aria-labelledby');
  if (by) return by.split(' ').map((id) => el.ownerDocument.getElementById(id)?.textContent ?? '').join(' ');
  return (el as HTMLInputElement).labels?.[0]?.textContent ?? '';
}

const MARK = 'data-error-field';

/**
 * Marks (aria-invalid, and the red outline of `[data-error-field]` in global.css) and focuses the field of `container`
 * (or fields: every bad line of a refused document) that `error` is about, so the user sees where to correct it and
 * can type at once (focus goes to the first); clears the marks with the error.
 */
export function useErrorField(error: AppError | null, container: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const root = container.current;
    if (!root || !error) return;
    const controls = [...root.querySelectorAll<HTMLElement>('input, select, textarea, [role="combobox"]')].filter(
      (el) => !(el as HTMLInputElement).disabled && el.getAttribute('type') !== 'hidden',
    );
    const labels = controls.map(labelOf);
    const fields = [...new Set(errorFieldsOf(error).map(({ wanted, message }) => controls[pickErrorField(labels, wanted, message)]))].filter((f): f is HTMLElement => f !== undefined);
    if (!fields.length) return;
    for (const field of fields) {
      field.setAttribute('aria-invalid', 'true');
      field.setAttribute(MARK, '');
    }
    fields[0]!.focus();
    return () => {
      for (const field of fields) {
        field.removeAttribute('aria-invalid');
        field.removeAttribute(MARK);
      }
    };
  }, [error, container]);
}
