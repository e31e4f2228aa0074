import { describe, expect, it } from 'vitest';
import type { LedgerChange } from '../../shared/contract/events';
import { CHANGE_MIN_GAP_MS, CHANGE_SETTLE_MS, LedgerChanges, type ChangeTimers } from './ledger-changes';

/** A hand-turned clock: timers run only when the test advances time. */
function manualTimers() {
  let now = 1_000;
  let due: { at: number; run: () => void; live: boolean }[] = [];
  const timers: ChangeTimers = {
    now: () => now,
    after: (ms, run) => {
      const t = { at: now + ms, run, live: true };
      due.push(t);
      return { cancel: () => void (t.live = false) };
    },
  };
  const advance = (ms: number) => {
    now += ms;
    const ready = due.filter((t) => t.live && t.at <= now);
    due = due.filter((t) => !ready.includes(t));
    for (const t of ready) t.run();
  };
  return { timers, advance };
}

describe('ledger.changed coalescing', () => {
  it('merges a burst of writes into one event naming every product, site and document', () => {
    const sent: LedgerChange[] = [];
    const { timers, advance } = manualTimers();
    const changes = new LedgerChanges((c) => sent.push(c), timers);
    changes.add({ documentId: 5, reason: 'stock_receipt', products: [2, 1], sites: [1] });
    changes.add({ documentId: 6, reason: 'despatch', products: [2], sites: [3] });
    expect(sent).toEqual([]);
    advance(CHANGE_SETTLE_MS);
    expect(sent).toEqual([{ products: [1, 2], sites: [1, 3], documents: [5, 6], counts: [], reasons: ['despatch', 'stock_receipt'] }]);
  });

  it('sends at most one event per gap however fast writes come', () => {
    const sent: LedgerChange[] = [];
    const { timers, advance } = manualTimers();
    const changes = new LedgerChanges((c) => sent.push(c), timers);
    changes.add({ documentId: 1, reason: 'receipt', products: [1], sites: [1] });
    advance(CHANGE_SETTLE_MS);
    changes.add({ documentId: 2, reason: 'receipt', products: [1], sites: [1] });
    advance(CHANGE_SETTLE_MS);
    expect(sent).toHaveLength(1);
    advance(CHANGE_MIN_GAP_MS - CHANGE_SETTLE_MS);
    expect(sent.map((c) => c.documents)).toEqual([[1], [2]]);
  });

  it('a write that names no products (master data, an import) makes the event say "anything"; a count line names only its count', () => {
    const sent: LedgerChange[] = [];
    const { timers, advance } = manualTimers();
    const changes = new LedgerChanges((c) => sent.push(c), timers);
    changes.add({ documentId: null, reason: 'count-line', countSessionId: 4 });
    advance(CHANGE_SETTLE_MS);
    changes.add({ documentId: 3, reason: 'receipt', products: [1], sites: [1] });
    changes.add({ documentId: null, reason: 'product' });
    advance(CHANGE_MIN_GAP_MS);
    expect(sent).toEqual([
      { products: [], sites: [], documents: [], counts: [4], reasons: ['count-line'] },
      { products: null, sites: null, documents: [3], counts: [], reasons: ['product', 'receipt'] },
    ]);
  });

  it('flush sends what is pending at once', () => {
    const sent: LedgerChange[] = [];
    const { timers, advance } = manualTimers();
    const changes = new LedgerChanges((c) => sent.push(c), timers);
    changes.add({ documentId: 1, reason: 'receipt', products: [1], sites: [1] });
    changes.flush();
    expect(sent.map((c) => c.documents)).toEqual([[1]]);
    advance(CHANGE_MIN_GAP_MS);
    expect(sent).toHaveLength(1);
  });

  it('close sends the pending change at once (the last post is not lost), then sends nothing more', () => {
    const sent: LedgerChange[] = [];
    const { timers, advance } = manualTimers();
    const changes = new LedgerChanges((c) => sent.push(c), timers);
    changes.add({ documentId: 1, reason: 'receipt', products: [1], sites: [1] });
    advance(CHANGE_SETTLE_MS);
    changes.add({ documentId: 2, reason: 'despatch', products: [3], sites: [2] });
    changes.close();
    expect(sent).toEqual([
      { products: [1], sites: [1], documents: [1], counts: [], reasons: ['receipt'] },
      { products: [3], sites: [2], documents: [2], counts: [], reasons: ['despatch'] },
    ]);
    changes.add({ documentId: 3, reason: 'receipt', products: [1], sites: [1] });
    changes.close();
    advance(CHANGE_MIN_GAP_MS);
    expect(sent).toHaveLength(2);
  });
});
