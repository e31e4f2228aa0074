import { useEffect, useRef, useState, type KeyboardEvent, type RefObject } from 'react';

/** The row a key moves to from `at` among `total` rows (a page is `page` rows), or null when the key is not a move. */
export function rowAfterKey(key: string, at: number, total: number, page: number): number | null {
  const last = total - 1;
  if (total <= 0) return null;
  if (key === 'ArrowDown') return Math.min(at + 1, last);
  if (key === 'ArrowUp') return Math.max(at - 1, 0);
  if (key === 'PageDown') return Math.min(at + page, last);
  if (key === 'PageUp') return Math.max(at - page, 0);
  if (key === 'Home') return 0;
  if (key === 'End') return last;
  return null;
}

/**
 * Keyboard rows for a virtualized grid: one tab stop (the current row), arrows/Page/Home/End move between rows
 * (scrolling the row into view), Enter opens the row.
 */
export function useRowKeys(opts: { total: number; scroller: RefObject<HTMLElement | null>; scrollToIndex: (i: number) => void; onOpen: (index: number) => void; page?: number }) {
  const { total, scroller, scrollToIndex, onOpen, page = 20 } = opts;
  const [current, setCurrent] = useState(0);
  const pending = useRef<number | null>(null);
  const at = Math.min(current, Math.max(0, total - 1));
  // A row moved to may not be rendered yet: scroll to it, then focus it once it is there.
  useEffect(() => {
    const want = pending.current;
    if (want === null) return;
    const row = scroller.current?.querySelector<HTMLElement>(`tr[data-index="${want}"]`);
    if (row) {
      pending.current = null;
      row.focus();
    }
  });
  const rowProps = (index: number) => ({
    tabIndex: index === at ? 0 : -1,
    onFocus: () => setCurrent(index),
    onKeyDown: (e: KeyboardEvent<HTMLElement>) => {
      if (e.target !== e.currentTarget) return;
      if (e.key === 'Enter') {
        e.preventDefault();
        onOpen(index);
        return;
      }
      const next = rowAfterKey(e.key, index, total, page);
      if (next === null) return;
      e.preventDefault();
      pending.current = next;
      setCurrent(next);
      scrollToIndex(next);
    },
  });
  return { rowProps };
}
