import { ROUTES, type RouteId } from './routes';

/** A keyboard shortcut as the help overlay and the tooltips show it. */
export interface Shortcut {
  keys: string;
  what: string;
}

/** The windows Alt+1…6 (or Ctrl+Shift+1…6) open, in the navigation rail's order. */
export const WINDOW_KEYS: readonly RouteId[] = ROUTES.slice(0, 6).map((r) => r.id);

/**
 * The two ways to a window: Alt+digit, the Windows habit, and Ctrl+Shift+digit, which works in a normal browser window
 * too (there Chrome takes Alt+1…8 and Ctrl+1…8 for its tabs, and never binds Ctrl+Shift+digit).
 */
export const windowKeyChords = (n: number) => [`Alt+${n}`, `Ctrl+Shift+${n}`] as const;

/** "Alt+3 or Ctrl+Shift+3" for a window that has a shortcut, else null. */
export function windowShortcut(id: RouteId): string | null {
  const at = WINDOW_KEYS.indexOf(id);
  return at < 0 ? null : windowKeyChords(at + 1).join(' or ');
}

/** The same chords as aria-keyshortcuts writes them ("Alt+3 Control+Shift+3"), else null. */
export function windowAriaShortcuts(id: RouteId): string | null {
  const at = WINDOW_KEYS.indexOf(id);
  return at < 0 ? null : windowKeyChords(at + 1).map((k) => k.replace('Ctrl+', 'Control+')).join(' ');
}

/**
 * The window Alt+<digit> or Ctrl+Shift+<digit> (⌘⇧ on a Mac) opens, by the key's physical code (so a keyboard layout,
 * or Shift turning 1 into "!", does not change it), if any.
 */
export function windowForKey(e: { altKey: boolean; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; code: string }): RouteId | null {
  const alt = e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey;
  const ctrlShift = (e.ctrlKey || e.metaKey) && e.shiftKey && !e.altKey;
  if (!alt && !ctrlShift) return null;
  const m = /^(?:Digit|Numpad)([1-9])$/.exec(e.code);
  return m ? (WINDOW_KEYS[Number(m[1]) - 1] ?? null) : null;
}

/** Ctrl+K (⌘K) or F3: the search palette. */
export const isPaletteKey = (e: { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean }) =>
  (e.key === 'F3' && !e.ctrlKey && !e.metaKey && !e.altKey && !e.shiftKey) || ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'k');

/** A field keys type into: there "?" is a character, not the help. */
export function isTextEntry(el: Element | null): boolean {
  if (!el) return false;
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
  if (el instanceof HTMLInputElement) return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(el.type);
  return el instanceof HTMLElement && el.isContentEditable;
}

/** "?" outside a text field: the shortcut help. */
export const isHelpKey = (e: { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean }, focused: Element | null) =>
  e.key === '?' && !e.ctrlKey && !e.metaKey && !e.altKey && !isTextEntry(focused);

/** Button shortcuts, one place: the help overlay lists them and the buttons' tooltips show them. */
export const KEYS = {
  palette: 'Ctrl+K',
  help: '?',
  review: 'Ctrl+Enter',
  post: 'Ctrl+Enter',
  backToEdit: 'Esc',
  addLine: 'Enter in the line’s last field',
  close: 'Esc',
} as const;

/** "Review (Ctrl+Enter)": a button's tooltip with its shortcut. */
export const withKeys = (label: string, keys: string) => `${label} (${keys})`;

/** Every shortcut, grouped as the help overlay shows them. */
export function shortcutGroups(): { title: string; items: Shortcut[] }[] {
  return [
    {
      title: 'Anywhere',
      items: [
        { keys: 'Ctrl+K or F3', what: 'Search: windows, products (SKU or name) and documents; Enter opens' },
        ...WINDOW_KEYS.map((id) => ({ keys: windowShortcut(id)!, what: `Open ${ROUTES.find((r) => r.id === id)?.title ?? id}` })),
        { keys: '?', what: 'This list of shortcuts (outside a text field)' },
        { keys: 'Esc', what: 'Close the open dialog or panel' },
        { keys: 'Tab / Shift+Tab', what: 'Next / previous field (a date and time is one stop; type its parts, arrows change them)' },
      ],
    },
    {
      title: 'Stock documents (Operations)',
      items: [
        { keys: 'Type, then Enter', what: 'Supplier: take the first match and go to the first line' },
        { keys: 'Type, then Enter', what: 'Product: take the product whose SKU or barcode is exactly the text, or the only match; then go to the quantity' },
        { keys: '↓ then Enter', what: 'Product or supplier: choose from the list' },
        { keys: 'Enter', what: 'Quantity → unit cost → next line (a new line after the last)' },
        { keys: 'Ctrl+Enter', what: 'Review the document; again to post it' },
        { keys: 'Esc', what: 'Back from the review to editing' },
      ],
    },
    {
      title: 'Current Stock',
      items: [
        { keys: '↑ / ↓', what: 'Move between rows' },
        { keys: 'Enter', what: 'Open the row’s product in the Movement Enquiry' },
      ],
    },
  ];
}
