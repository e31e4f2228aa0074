import { useEffect } from 'react';

/**
 * Keys typed while no window can take them — "Connecting…" at start, "Opening…" while a window's script loads — go
 * nowhere: no field has the focus. They are never replayed (which field, and whether Enter would then post, cannot be
 * known for sure); instead they are counted, and when the wait ends the clerk is told how many were not used, so
 * nothing typed is lost silently. A scan among them is not counted: the scanner code takes its keys back (forgetKeysFrom)
 * and delivers the scan to the window once it is open.
 */
export type WaitReason = 'opening' | 'connecting';
export interface UnusedKeys {
  count: number;
  /** 'both': keys lost while connecting and while a window opened, told together (the notice was still up). */
  reason: WaitReason | 'both';
}

/** The keys that type or act in a field: characters, Enter, Backspace, Delete (not Tab: it moves the focus, so is not lost). */
export function isTypingKey(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'altKey' | 'metaKey' | 'isComposing'>): boolean {
  if (e.isComposing || e.metaKey || e.ctrlKey !== e.altKey) return false; // shortcuts (AltGr is Ctrl+Alt: a character)
  return e.key.length === 1 || e.key === 'Enter' || e.key === 'Backspace' || e.key === 'Delete';
}

interface Pressed {
  timeStamp: number;
  event: KeyboardEvent;
}

const waits: WaitReason[] = [];
let pressed: Pressed[] = [];
/** The latest count told to the clerk, and the keys in it (a scan that ends after the wait may still take its keys back). */
let told: { keys: Pressed[]; reason: UnusedKeys['reason'] } | null = null;
const listeners = new Set<(unused: UnusedKeys | null) => void>();

const emit = () => {
  const unused = told && told.keys.length ? { count: told.keys.length, reason: told.reason } : null;
  for (const l of listeners) l(unused);
};

const FIELD = 'input, textarea, select, [contenteditable=""], [contenteditable="true"], [role="dialog"] *, [role="alertdialog"] *';
const PRESSABLE = 'a[href], button, [role="button"], [role="link"], [role="menuitem"], [role="tab"], summary';

/**
 * A key that reached no field: typed at the page's body (the window that had the focus is gone) or at a link or button
 * (the navigation rail's link just clicked), where characters do nothing; Enter or Space there presses it, so is used.
 */
export function wentNowhere(target: EventTarget | null, key: string): boolean {
  if (!(target instanceof Element)) return true;
  if (target.closest(FIELD) || (target instanceof HTMLElement && target.isContentEditable)) return false;
  return !((key === 'Enter' || key === ' ') && target.closest(PRESSABLE));
}

/** Keys that went nowhere and that nothing else took (a window-wide shortcut prevents the default: see settle). */
const onKeyDown = (e: KeyboardEvent) => {
  if (isTypingKey(e) && wentNowhere(e.target, e.key)) pressed.push({ timeStamp: e.timeStamp, event: e });
};

function settle(reason: WaitReason): void {
  if (waits.length) return; // another wait took over (the app connected and now opens its first window)
  document.removeEventListener('keydown', onKeyDown, true);
  // Read after the keys were handled: a window-wide shortcut (Alt+3, "?") prevented its key's default and was used.
  const unused = pressed.filter((p) => !p.event.defaultPrevented);
  pressed = [];
  if (!unused.length) return;
  // Added to a count still on screen; its words name both waits when they differ.
  told = { keys: [...(told?.keys ?? []), ...unused], reason: told?.keys.length && told.reason !== reason ? 'both' : reason };
  emit();
}

/** While the calling waiting screen shows, keys that go nowhere are counted (and told once all waits are over). */
export function useKeysWhileWaiting(reason: WaitReason): void {
  useEffect(() => {
    if (!waits.length) document.addEventListener('keydown', onKeyDown, true);
    waits.push(reason);
    return () => {
      waits.splice(waits.indexOf(reason), 1);
      // After this commit's effects (the window that replaces the wait mounts and takes the focus).
      setTimeout(() => settle(reason), 0);
    };
  }, [reason]);
}

/** A scan was recognised from keys pressed since timeStamp: they were the scanner's, and it delivers them as a scan. */
export function forgetKeysFrom(timeStamp: number): void {
  pressed = pressed.filter((p) => p.timeStamp < timeStamp);
  if (!told) return;
  const before = told.keys.length;
  told.keys = told.keys.filter((p) => p.timeStamp < timeStamp);
  if (told.keys.length !== before) emit();
}

/** The clerk has read the notice. */
export function dismissUnusedKeys(): void {
  told = null;
  emit();
}

export function onUnusedKeys(listener: (unused: UnusedKeys | null) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
