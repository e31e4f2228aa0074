import { useEffect, useRef } from 'react';
import type { WedgeConfig } from '../../shared/contract/scanner.schemas';
import { forgetKeysFrom } from '../common/unused-keys';
import { WedgeDetector, type WedgeStep } from './wedge-detector';

const VALUE_TYPES = new Set(['', 'text', 'search', 'tel', 'url', 'email', 'number']);

type ValueField = HTMLInputElement | HTMLTextAreaElement;

/** A field keys type into and the wedge may take a scan's keys back out of (password fields are never touched). */
function valueField(el: Element | null): ValueField | null {
  if (el instanceof HTMLTextAreaElement) return el;
  if (el instanceof HTMLInputElement && VALUE_TYPES.has(el.type)) return el;
  return null;
}

interface FieldMark {
  value: string;
  selectionStart: number | null;
  selectionEnd: number | null;
}

function markOf(el: ValueField): FieldMark {
  let selectionStart: number | null = null;
  let selectionEnd: number | null = null;
  try {
    selectionStart = el.selectionStart;
    selectionEnd = el.selectionEnd;
  } catch {
    // type=number has no selection
  }
  return { value: el.value, selectionStart, selectionEnd };
}

/** Puts a field back as marked, the way React (and Fluent) see a user edit: native value setter, then an input event. */
function restore(el: ValueField, mark: FieldMark): void {
  if (!el.isConnected || el.value === mark.value) return;
  const proto = el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value')?.set?.call(el, mark.value);
  el.dispatchEvent(new Event('input', { bubbles: true }));
  if (el === document.activeElement && mark.selectionStart !== null) {
    try {
      el.setSelectionRange(mark.selectionStart, mark.selectionEnd ?? mark.selectionStart);
    } catch {
      // type=number has no selection
    }
  }
}

/**
 * Keyboard-wedge capture for the whole window. Keys are never held back or replayed: each goes to its field as it
 * comes. The detector (a pure function of the keys and their own timestamps) says where a scan may start — the fields
 * are marked then — and where one ends: the fields its keys landed in are put back as marked, the terminator is kept
 * from the page, and the code goes to onScan once.
 */
export function useKeyboardWedge(config: WedgeConfig | null, onScan: (code: string) => void): void {
  const onScanRef = useRef(onScan);
  useEffect(() => {
    onScanRef.current = onScan;
  });
  useEffect(() => {
    if (!config) return;
    const detector = new WedgeDetector(config);
    /** The fields keys landed in since the latest possible start of a scan, as they were before. */
    const marks = new Map<ValueField, FieldMark>();
    let idleTimer: ReturnType<typeof setTimeout> | null = null;
    /** When the latest possible scan began (its first key's timestamp). */
    let startedAt = 0;

    const deliver = (code: string) => {
      for (const [el, mark] of marks) restore(el, mark);
      marks.clear();
      // Keys that reached no field while a window opened were this scan's, not lost typing (common/unused-keys.ts).
      forgetKeysFrom(startedAt);
      onScanRef.current(code);
    };
    const apply = (step: WedgeStep, active: Element | null, timeStamp: number) => {
      if (step.scan !== null) deliver(step.scan);
      if (step.start) {
        marks.clear();
        startedAt = timeStamp;
      }
      const field = valueField(active);
      if (field && !step.swallow && !marks.has(field)) marks.set(field, markOf(field));
    };
    // Terminator "none" only: no key ends a scan, so a pause does. Input already queued is looked at first.
    const armIdle = () => {
      if (idleTimer !== null) clearTimeout(idleTimer);
      idleTimer = null;
      if (!detector.waiting) return;
      const check = () => {
        const scheduling = (navigator as Navigator & { scheduling?: { isInputPending?: () => boolean } }).scheduling;
        if (scheduling?.isInputPending?.()) {
          idleTimer = setTimeout(check, 0);
          return;
        }
        idleTimer = null;
        const code = detector.idle(performance.now());
        if (code !== null) deliver(code);
        else armIdle();
      };
      idleTimer = setTimeout(check, config.maxGapMs + 1);
    };

    const onKeyDown = (e: KeyboardEvent) => {
      if (e.isComposing) return;
      const active = document.activeElement;
      if (active instanceof HTMLInputElement && active.type === 'password') {
        detector.reset();
        marks.clear();
        return;
      }
      const step = detector.key({ key: e.key, code: e.code, ctrlKey: e.ctrlKey, altKey: e.altKey, metaKey: e.metaKey, repeat: e.repeat, timeStamp: e.timeStamp });
      apply(step, active, e.timeStamp);
      if (step.swallow) {
        e.preventDefault();
        e.stopImmediatePropagation();
      }
      armIdle();
    };
    const onBlur = () => {
      detector.reset();
      marks.clear();
    };
    window.addEventListener('keydown', onKeyDown, true);
    window.addEventListener('blur', onBlur);
    return () => {
      window.removeEventListener('keydown', onKeyDown, true);
      window.removeEventListener('blur', onBlur);
      if (idleTimer !== null) clearTimeout(idleTimer);
    };
  }, [config]);
}
