import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';

/**
 * Focus a field once the next render has put it on screen: a CSS selector (the first visible match inside `root`)
 * or an element. For focus that follows a state change (a new line, the next field, a reset form).
 */
export function useFocusLater(root: RefObject<HTMLElement | null>): (target: string | HTMLElement) => void {
  const pending = useRef<string | HTMLElement | null>(null);
  /** Renders left to wait for the target: a field that never shows does not take focus much later. */
  const tries = useRef(0);
  const [, setTick] = useState(0);
  useEffect(() => {
    const target = pending.current;
    if (target === null) return;
    const el = typeof target === 'string' ? [...(root.current?.querySelectorAll<HTMLElement>(target) ?? [])].find((x) => x.getClientRects().length > 0) : target;
    if (!el) {
      if (--tries.current <= 0) pending.current = null;
      return;
    }
    pending.current = null;
    el.focus();
    if (el instanceof HTMLInputElement && el.type === 'text') el.select();
  });
  return useCallback((target: string | HTMLElement) => {
    pending.current = target;
    tries.current = 5;
    setTick((n) => n + 1);
  }, []);
}
