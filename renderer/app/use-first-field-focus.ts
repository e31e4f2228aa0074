import { useEffect, type RefObject } from 'react';

const FIELD = 'input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled])';
/** How long a window may take to show its first field (it may wait for data). */
const WAIT_MS = 3000;

const visible = (el: HTMLElement) => el.getClientRects().length > 0;

/**
 * The field a window starts in: the one it marks `data-autofocus` (the first a clerk fills, e.g. the Receive form's
 * supplier), else its first enabled field.
 */
export function firstField(root: ParentNode): HTMLElement | null {
  const marked = [...root.querySelectorAll<HTMLElement>('[data-autofocus]')].find(visible);
  if (marked) return marked.matches(FIELD) ? marked : (marked.querySelector<HTMLElement>(FIELD) ?? marked);
  return [...root.querySelectorAll<HTMLElement>(FIELD)].find(visible) ?? null;
}

/**
 * When a window opens (`key` changes), focus lands in its first field as soon as it shows one — unless the user has
 * already put focus somewhere in the window or a dialog is open.
 */
export function useFirstFieldFocus(key: string, main: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const started = performance.now();
    // The field focused when the window changed: while a window's script loads, the previous window (and its focused
    // field) stays on screen; the new window's first field takes the focus once that one is gone.
    const before = document.activeElement;
    let frame = 0;
    const retry = () => {
      if (performance.now() - started < WAIT_MS) frame = requestAnimationFrame(tryFocus);
    };
    const tryFocus = () => {
      const root = main.current;
      const active = document.activeElement;
      if (!root || document.querySelector('[role="dialog"], [role="alertdialog"]')) return;
      if (active && active !== document.body && root.contains(active) && active.matches(FIELD)) {
        if (active === before) retry(); // still the previous window's field (or the same window): never taken away
        return;
      }
      const field = firstField(root);
      if (field) field.focus();
      else retry();
    };
    frame = requestAnimationFrame(tryFocus);
    return () => cancelAnimationFrame(frame);
  }, [key, main]);
}
