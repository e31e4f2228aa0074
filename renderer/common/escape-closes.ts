type EscapeEvent = Pick<KeyboardEvent, 'key' | 'defaultPrevented' | 'ctrlKey' | 'altKey' | 'metaKey' | 'shiftKey' | 'target'>;

/**
 * Whether an Esc press is the window's to close a panel with: not already taken, no dialog or menu open (they close
 * first), not pressed inside one that has just closed, and not in a drop-down whose list is open (Esc closes the list).
 */
export function closesOnEscape(e: EscapeEvent, doc: Pick<Document, 'querySelector' | 'activeElement'>): boolean {
  if (e.key !== 'Escape' || e.defaultPrevented || e.ctrlKey || e.altKey || e.metaKey || e.shiftKey) return false;
  if (doc.querySelector('[role="dialog"], [role="alertdialog"], [role="menu"]')) return false;
  const t = e.target as Element | null;
  if (t && typeof t.closest === 'function' && (!t.isConnected || t.closest('[role="dialog"], [role="alertdialog"], [role="menu"], [role="listbox"]'))) return false;
  return doc.activeElement?.getAttribute('aria-expanded') !== 'true';
}
