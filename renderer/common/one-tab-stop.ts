import type { KeyboardEvent } from 'react';

const TABBABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]';

/** The element Tab (or Shift+Tab) goes to from `from` in a tab order, skipping `from` itself; null at either end. */
export function neighbourStop<T>(order: readonly T[], from: T, back: boolean): T | null {
  const at = order.indexOf(from);
  if (at < 0) return null;
  return order[at + (back ? -1 : 1)] ?? null;
}

function tabOrder(doc: Document): HTMLElement[] {
  // Positive tabindex is not used in this app, so document order is the tab order.
  return [...doc.querySelectorAll<HTMLElement>(TABBABLE)].filter((el) => el.tabIndex >= 0 && el.getClientRects().length > 0);
}

/**
 * onKeyDown for a native date/time input: one Tab stop, not one per part (day, month, year, hours, minutes, AM/PM).
 * Tab and Shift+Tab leave the field; the parts are typed in order, and ←/→ and ↑/↓ move and change them.
 */
export function oneTabStop(e: KeyboardEvent<HTMLInputElement>): void {
  if (e.key !== 'Tab' || e.ctrlKey || e.altKey || e.metaKey) return;
  const next = neighbourStop(tabOrder(e.currentTarget.ownerDocument), e.currentTarget as HTMLElement, e.shiftKey);
  if (!next) return;
  e.preventDefault();
  next.focus();
}
