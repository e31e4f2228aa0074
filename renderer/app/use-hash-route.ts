import { useCallback, useEffect, useRef, useState } from 'react';
import { dropUnsavedEdits, leavesWindow, unsavedEdits } from './leave-guard';

/** Leaving a window was asked for while it holds edits not saved: where to, and what would be lost. */
export interface HeldLeave {
  to: string;
  unsaved: string[];
}

/**
 * The address fragment (`#/enquiry?product=12`, browser Back/Forward work), which says the window and what it was
 * opened on. A change that would leave a window holding unsaved edits (leave-guard.ts) is held while `guarded`: the
 * address goes back to this window and `held` says where the user wanted to go, until `stay` or `leave`.
 */
export function useGuardedHash(guarded: boolean): { hash: string; held: HeldLeave | null; stay: () => void; leave: () => void } {
  const [hash, setHash] = useState(() => location.hash);
  const [held, setHeld] = useState<HeldLeave | null>(null);
  const shown = useRef(hash);
  const guard = useRef(guarded);
  useEffect(() => {
    guard.current = guarded;
  }, [guarded]);
  useEffect(() => {
    const onChange = () => {
      const to = location.hash;
      const unsaved = unsavedEdits();
      if (guard.current && unsaved.length > 0 && leavesWindow(shown.current, to)) {
        // Back to the window still shown (no hashchange for this), its edits untouched; the shell asks. A new entry, not
        // a replaced one: after the browser's Back it is the entry left, and after a link the browser's Back asks again.
        history.pushState(history.state, '', shown.current || location.pathname + location.search);
        setHeld({ to, unsaved });
        return;
      }
      shown.current = to;
      setHash(to);
    };
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  const stay = useCallback(() => setHeld(null), []);
  const leave = useCallback(() => {
    if (!held) return;
    setHeld(null);
    dropUnsavedEdits();
    location.hash = held.to;
  }, [held]);
  return { hash, held, stay, leave };
}
