import { useEffect, useRef } from 'react';
import type { WedgeConfig } from '../../shared/contract/scanner.schemas';
import { WedgeDetector } from './wedge-detector';

const TEXT_TYPES = new Set(['', 'text', 'search', 'tel', 'url', 'email']);

/** A field whose typing the wedge may hold back and replay (password fields are never touched). */
export function isTextField(el: Element | null): el is HTMLInputElement | HTMLTextAreaElement | HTMLElement {
  if (!el) return false;
  if (el instanceof HTMLTextAreaElement) return !el.readOnly && !el.disabled;
  if (el instanceof HTMLInputElement) return TEXT_TYPES.has(el.type) && !el.readOnly && !el.disabled;
  return el instanceof HTMLElement && el.isContentEditable;
}

/**
 * Keyboard-wedge capture for the whole window: listens to keydown in the capture phase, hands scanner bursts to
 * onScan and replays a person's typing into the field that had focus (so a scan never lands in a text field).
 */
export function useKeyboardWedge(config: WedgeConfig | null, onScan: (code: string) => void): void {
  const onScanRef = useRef(onScan);
  useEffect(() => {
    onScanRef.current = onScan;
  });
  useEffect(() => {
    if (!config) return;
    let target: Element | null = null;
    const detector = new WedgeDetector(config, {
      scan: (code) => {
        target = null;
        onScanRef.current(code);
      },
      typed: (text) => {
        const el = target;
        target = null;
        if (el && el === document.activeElement && isTextField(el)) document.execCommand('insertText', false, text);
      },
    });
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.isComposing || e.repeat) return;
      const active = document.activeElement;
      if (active instanceof HTMLInputElement && active.type === 'password') return;
      const editable = isTextField(active);
      if (!detector.pending) target = active;
      if (detector.key(e, editable)) {
        e.preventDefault();
        e.stopImmediatePropagation();
      }
    };
    const onBlur = () => detector.flushAsTyping();
    window.addEventListener('keydown', onKeyDown, true);
    window.addEventListener('blur', onBlur);
    return () => {
      window.removeEventListener('keydown', onKeyDown, true);
      window.removeEventListener('blur', onBlur);
      detector.flushAsTyping();
    };
  }, [config]);
}
