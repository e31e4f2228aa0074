import { useEffect } from 'react';
import { routeFromHash } from './routes';

/**
 * Edits a window holds that are not saved yet, each said as a user reads it ("The control accounts have changes that
 * are not saved"). While any is held, going to another window asks first (the shell's leave dialog) and the browser's
 * own reload or close asks too (beforeunload), so no edit vanishes unsaid.
 */
const held = new Map<symbol, string>();

/** What is held now, in the order the editors said it. */
export function unsavedEdits(): string[] {
  return [...held.values()];
}

/** Forget every held edit: the user chose to discard them and leave. */
export function dropUnsavedEdits(): void {
  held.clear();
}

/** The browser's reload or close asks while edits are held (the browser writes its own question). */
export function onBeforeUnload(e: BeforeUnloadEvent): void {
  if (held.size === 0) return;
  e.preventDefault();
  e.returnValue = '';
}

/** While `unsaved` is a sentence (not null), this editor's edits hold the window: see `held`. */
export function useLeaveGuard(unsaved: string | null): void {
  useEffect(() => {
    if (unsaved === null) return;
    const key = Symbol('unsaved');
    held.set(key, unsaved);
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => {
      held.delete(key);
      window.removeEventListener('beforeunload', onBeforeUnload);
    };
  }, [unsaved]);
}

/** A window's identity: its address with what it was opened on (a bare `#token=…` is the default window). */
export const pageKey = (hash: string) => (hash.includes('?') ? hash : routeFromHash(hash));

/** Going from address `from` to `to` leaves the window (another window, or the same one opened on something else). */
export const leavesWindow = (from: string, to: string) => pageKey(from) !== pageKey(to);
