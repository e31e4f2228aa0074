import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';

/** What to focus: a CSS selector (its first visible match inside the root), an element, or a finder. */
export type FocusTarget = string | HTMLElement | ((root: HTMLElement) => HTMLElement | null);

function resolve(target: FocusTarget, root: HTMLElement | null): HTMLElement | null {
  if (target instanceof HTMLElement) return target;
  if (!root) return null;
  if (typeof target === 'function') return target(root);
  return [...root.querySelectorAll<HTMLElement>(target)].find((x) => x.getClientRects().length > 0) ?? null;
}

/**
 * Focus a field once the next render has put it on screen. For focus that follows a state change (a new line, the
 * next field, a reset form).
 */
export function useFocusLater(root: RefObject<HTMLElement | null>): (target: FocusTarget) => void {
  const pending = useRef<FocusTarget | null>(null);
  /** Renders left to wait for the target: a field that never shows does not take focus much later. */
  const tries = useRef(0);
  const [, setTick] = useState(0);
  useEffect(() => {
    const target = pending.current;
    if (target === null) return;
    const el = resolve(target, root.current);
    if (!el) {
      if (--tries.current <= 0) pending.current = null;
      return;
    }
    pending.current = null;
    el.focus();
    if (el instanceof HTMLInputElement && el.type === 'text') el.select();
  });
  return useCallback((target: FocusTarget) => {
    pending.current = target;
    tries.current = 5;
    setTick((n) => n + 1);
  }, []);
}
