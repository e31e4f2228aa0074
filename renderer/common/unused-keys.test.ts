import { describe, expect, it } from 'vitest';
import { isTypingKey } from './unused-keys';

const key = (k: string, mods: Partial<Record<'ctrlKey' | 'altKey' | 'metaKey' | 'isComposing', boolean>> = {}) => ({
  key: k,
  ctrlKey: false,
  altKey: false,
  metaKey: false,
  isComposing: false,
  ...mods,
});

describe('isTypingKey: the keys counted when they reach no field while a window opens', () => {
  it('counts characters, Enter, Backspace and Delete (AltGr characters too)', () => {
    for (const k of ['4', 'a', 'Z', ' ', '€', 'Enter', 'Backspace', 'Delete']) expect(isTypingKey(key(k))).toBe(true);
    expect(isTypingKey(key('@', { ctrlKey: true, altKey: true }))).toBe(true);
  });
  it('leaves out shortcuts, Tab (it moves the focus), modifiers, navigation keys and composition', () => {
    expect(isTypingKey(key('1', { altKey: true }))).toBe(false);
    expect(isTypingKey(key('k', { ctrlKey: true }))).toBe(false);
    expect(isTypingKey(key('v', { metaKey: true }))).toBe(false);
    for (const k of ['Tab', 'Shift', 'Control', 'ArrowDown', 'Escape', 'F3']) expect(isTypingKey(key(k))).toBe(false);
    expect(isTypingKey(key('a', { isComposing: true }))).toBe(false);
  });
});
