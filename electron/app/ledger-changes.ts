import type { LedgerChange, StockChange } from '../../shared/contract/events';

/** The first change of a quiet spell goes out after this long (a burst of posts becomes one event)… */
export const CHANGE_SETTLE_MS = 50;
/** …and never sooner than this after the previous event: at most four a second, whatever the write rate. */
export const CHANGE_MIN_GAP_MS = 250;

export interface ChangeTimers {
  now(): number;
  after(ms: number, run: () => void): { cancel(): void };
}

const realTimers: ChangeTimers = {
  now: () => Date.now(),
  after: (ms, run) => {
    const t = setTimeout(run, ms);
    t.unref?.();
    return { cancel: () => clearTimeout(t) };
  },
};

/**
 * Turns the ledger worker's per-write `stock.changed` reports into `ledger.changed` events: what changed
 * (products, sites, documents, count sessions) merged over a short window, so twenty-five clients posting
 * every second still send each window a few events a second, not one per post.
 */
export class LedgerChanges {
  private pending: { products: Set<number> | null; sites: Set<number> | null; documents: Set<number>; counts: Set<number>; reasons: Set<string> } | null = null;
  private timer: { cancel(): void } | null = null;
  private lastSent = -Infinity;
  private closed = false;

  constructor(
    private readonly emit: (change: LedgerChange) => void,
    private readonly timers: ChangeTimers = realTimers,
  ) {}

  add(c: StockChange): void {
    if (this.closed) return;
    const p = (this.pending ??= { products: new Set(), sites: new Set(), documents: new Set(), counts: new Set(), reasons: new Set() });
    const movesStock = c.documentId !== null || c.countSessionId === undefined;
    if (movesStock) {
      // No list of products/sites from the writer (an import, master data): anything may have changed.
      if (!c.products) p.products = null;
      else if (p.products) for (const id of c.products) p.products.add(id);
      if (!c.sites) p.sites = null;
      else if (p.sites) for (const id of c.sites) p.sites.add(id);
    }
    if (c.documentId !== null) p.documents.add(c.documentId);
    if (c.countSessionId !== undefined) p.counts.add(c.countSessionId);
    p.reasons.add(c.reason);
    if (this.timer) return;
    const wait = Math.max(CHANGE_SETTLE_MS, this.lastSent + CHANGE_MIN_GAP_MS - this.timers.now());
    this.timer = this.timers.after(wait, () => this.flush());
  }

  /** Sends what is pending now (also on close, so the last change is not lost). */
  flush(): void {
    this.timer?.cancel();
    this.timer = null;
    const p = this.pending;
    if (!p) return;
    this.pending = null;
    this.lastSent = this.timers.now();
    const sorted = (s: Set<number>) => [...s].sort((a, b) => a - b);
    this.emit({
      products: p.products && sorted(p.products),
      sites: p.sites && sorted(p.sites),
      documents: sorted(p.documents),
      counts: sorted(p.counts),
      reasons: [...p.reasons].sort(),
    });
  }

  /** Sends the pending change (a post just before closing still reaches the windows), then sends nothing more. */
  close(): void {
    this.flush();
    this.closed = true;
  }
}
