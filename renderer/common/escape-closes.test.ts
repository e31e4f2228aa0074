import { describe, expect, it } from 'vitest';
import { closesOnEscape } from './escape-closes';

describe('closesOnEscape: whether Esc closes a docked panel', () => {
  const key = { key: 'Escape', defaultPrevented: false, ctrlKey: false, altKey: false, metaKey: false, shiftKey: false, target: null };
  const doc = (dialog: boolean, expanded = false) => ({
    querySelector: () => (dialog ? ({} as Element) : null),
    activeElement: { getAttribute: (n: string) => (n === 'aria-expanded' && expanded ? 'true' : null) } as unknown as Element,
  });
  it('closes on a plain Esc with nothing else open', () => {
    expect(closesOnEscape(key, doc(false))).toBe(true);
  });
  it('leaves Esc to an open dialog, an open drop-down list, a handler that took it, or another key', () => {
    expect(closesOnEscape(key, doc(true))).toBe(false);
    expect(closesOnEscape(key, doc(false, true))).toBe(false);
    expect(closesOnEscape({ ...key, defaultPrevented: true }, doc(false))).toBe(false);
    expect(closesOnEscape({ ...key, key: 'Enter' }, doc(false))).toBe(false);
    expect(closesOnEscape({ ...key, shiftKey: true }, doc(false))).toBe(false);
  });
});
