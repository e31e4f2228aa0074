import { describe, expect, it } from 'vitest';
import { isHelpKey, isPaletteKey, shortcutGroups, windowAriaShortcuts, windowForKey, windowShortcut, WINDOW_KEYS } from './shortcuts';

const mods = { altKey: false, ctrlKey: false, metaKey: false, shiftKey: false };

describe('window keys', () => {
  it('Alt+1…6 open the first six windows of the rail, by the key position (any layout, number pad too)', () => {
    expect(WINDOW_KEYS).toEqual(['enquiry', 'stock', 'operations', 'counts', 'posting', 'products']);
    expect(windowForKey({ ...mods, altKey: true, code: 'Digit3' })).toBe('operations');
    expect(windowForKey({ ...mods, altKey: true, code: 'Numpad6' })).toBe('products');
  });
  it('Ctrl+Shift+1…6 (⌘⇧ on a Mac) open the same windows, for a browser window where Chrome takes Alt+digits', () => {
    expect(windowForKey({ ...mods, ctrlKey: true, shiftKey: true, code: 'Digit3' })).toBe('operations');
    expect(windowForKey({ ...mods, metaKey: true, shiftKey: true, code: 'Digit1' })).toBe('enquiry');
    expect(windowForKey({ ...mods, ctrlKey: true, shiftKey: true, code: 'Numpad6' })).toBe('products');
    expect(windowForKey({ ...mods, ctrlKey: true, code: 'Digit1' })).toBeNull(); // Chrome's tab 1
    expect(windowForKey({ ...mods, ctrlKey: true, shiftKey: true, altKey: true, code: 'Digit1' })).toBeNull();
    expect(windowForKey({ ...mods, ctrlKey: true, shiftKey: true, code: 'Digit7' })).toBeNull();
  });
  it('no window for Alt+7, a digit without Alt, or Alt with another modifier', () => {
    expect(windowForKey({ ...mods, altKey: true, code: 'Digit7' })).toBeNull();
    expect(windowForKey({ ...mods, code: 'Digit1' })).toBeNull();
    expect(windowForKey({ ...mods, altKey: true, ctrlKey: true, code: 'Digit1' })).toBeNull();
    expect(windowForKey({ ...mods, altKey: true, shiftKey: true, code: 'Digit1' })).toBeNull();
  });
  it('names the shortcut of a window that has one', () => {
    expect(windowShortcut('stock')).toBe('Alt+2 or Ctrl+Shift+2');
    expect(windowShortcut('settings')).toBeNull();
    expect(windowAriaShortcuts('stock')).toBe('Alt+2 Control+Shift+2');
  });
});

describe('palette and help keys', () => {
  it('Ctrl+K (either case, ⌘K) and F3 open the search; Ctrl+Shift+K and Shift+F3 do not', () => {
    expect(isPaletteKey({ ...mods, ctrlKey: true, key: 'k' })).toBe(true);
    expect(isPaletteKey({ ...mods, ctrlKey: true, key: 'K' })).toBe(true);
    expect(isPaletteKey({ ...mods, metaKey: true, key: 'k' })).toBe(true);
    expect(isPaletteKey({ ...mods, key: 'F3' })).toBe(true);
    expect(isPaletteKey({ ...mods, ctrlKey: true, shiftKey: true, key: 'K' })).toBe(false);
    expect(isPaletteKey({ ...mods, shiftKey: true, key: 'F3' })).toBe(false);
    expect(isPaletteKey({ ...mods, key: 'k' })).toBe(false);
  });
  it('"?" opens the help when no field has the focus, not with Ctrl or Alt', () => {
    expect(isHelpKey({ ...mods, key: '?' }, null)).toBe(true);
    expect(isHelpKey({ ...mods, ctrlKey: true, key: '?' }, null)).toBe(false);
    expect(isHelpKey({ ...mods, key: '/' }, null)).toBe(false);
  });
});

describe('the help lists every shortcut', () => {
  it('has each window key, the search, the help itself, Esc and the document keys', () => {
    const keys = shortcutGroups().flatMap((g) => g.items.map((i) => i.keys));
    for (const k of ['Ctrl+K or F3', 'Alt+1 or Ctrl+Shift+1', 'Alt+6 or Ctrl+Shift+6', '?', 'Esc', 'Ctrl+Enter', 'Enter']) expect(keys).toContain(k);
  });
});
