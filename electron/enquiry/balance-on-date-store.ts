import type Database from 'better-sqlite3';

/** What the effective-order balance needs of a movement: its product/site and its place in (occurred_at, seq) order. */
export interface BalanceKeyRow {
  seq: number;
  productId: number;
  siteId: number;
  occurredAt: number;
  qty: number;
}

/** A position in (occurred_at, seq) order of one product/site with the balance just after it. */
interface Anchor {
  occ: number;
  seq: number;
  bal: number;
}

/** Before and after every movement (epoch ms and seq). */
const NEG = -9e15;
const POS = 9e15;
/** Index entries counted at most to compare two ways of reaching a page's rows. */
const COUNT_CAP = 1_000_000;
/** Product/site anchors remembered between pages (dropped all at once past this). */
const ANCHOR_LIMIT = 100_000;

const before = (a: { occ: number; seq: number }, r: BalanceKeyRow) => a.occ < r.occurredAt || (a.occ === r.occurredAt && a.seq < r.seq);
const after = (a: { occ: number; seq: number }, r: BalanceKeyRow) => a.occ > r.occurredAt || (a.occ === r.occurredAt && a.seq > r.seq);

/**
 * "Balance on that date": a product's stock at a site just after a movement in effective order (occurred_at, seq),
 * beside balance_after, which follows recording order (ARCHITECTURE §6). balance_after is never rewritten, so this one
 * is computed when read, per product/site of a page, by one window-function scan over IDX_movements_product_occurred
 * from the nearest known balance:
 *  - forward from before the first movement (balance 0), or from a balance this object computed on an earlier page;
 *  - backward from the current stock level (Σ stock_levels, = the product/site's last balance_after), or from an
 *    earlier page's balance.
 * The way with fewer index entries to cross wins (counted index-only, each count capped by the best so far), so the
 * newest page walks back from the current level, the oldest walks forward from zero, and infinite scroll or an export
 * continues from the previous page's rows: a whole export crosses each movement about once.
 * Anchors are only valid for the ledger they were computed on: use one instance per ledger head (MovementQuery is).
 */
export class BalanceOnDateStore {
  private readonly anchors = new Map<string, { lo: Anchor; hi: Anchor }>();
  private readonly stmt;

  /** `prepare` may be a statement cache's get (the statements' texts are their own). */
  constructor(prepare: (sql: string) => Database.Statement) {
    const db = { prepare };
    this.stmt = {
      count: db
        .prepare(
          `SELECT COUNT(*) FROM (SELECT 1 FROM movements INDEXED BY IDX_movements_product_occurred
           WHERE product_id = @p AND occurred_at > @a AND occurred_at < @b LIMIT @cap)`,
        )
        .pluck(),
      first: db.prepare('SELECT MIN(occurred_at) FROM movements INDEXED BY IDX_movements_product_occurred WHERE product_id = ?').pluck(),
      last: db.prepare('SELECT MAX(occurred_at) FROM movements INDEXED BY IDX_movements_product_occurred WHERE product_id = ?').pluck(),
      level: db.prepare('SELECT COALESCE(SUM(qty), 0) FROM stock_levels WHERE product_id = ? AND site_id = ?').pluck(),
      // Running sum of the movements after the anchor, up to each row inclusive.
      forward: db
        .prepare(
          `SELECT seq, run FROM (
             SELECT m.seq, SUM(m.qty) OVER (ORDER BY m.occurred_at, m.seq) AS run
             FROM movements m INDEXED BY IDX_movements_product_occurred
             WHERE m.product_id = @p AND m.site_id = @s AND m.occurred_at >= @aOcc AND (m.occurred_at > @aOcc OR m.seq > @aSeq) AND m.occurred_at <= @edge)
           WHERE seq IN (SELECT value FROM json_each(@seqs))`,
        )
        .raw(),
      // Sum of the movements after each row, up to the anchor inclusive.
      backward: db
        .prepare(
          `SELECT seq, run FROM (
             SELECT m.seq, COALESCE(SUM(m.qty) OVER (ORDER BY m.occurred_at DESC, m.seq DESC ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS run
             FROM movements m INDEXED BY IDX_movements_product_occurred
             WHERE m.product_id = @p AND m.site_id = @s AND m.occurred_at <= @aOcc AND (m.occurred_at < @aOcc OR m.seq <= @aSeq) AND m.occurred_at >= @edge)
           WHERE seq IN (SELECT value FROM json_each(@seqs))`,
        )
        .raw(),
    };
  }

  /**
   * Balance on that date (effective order) of each row, by seq. `contiguous` promises that this call's rows follow the
   * previous call's in ascending (occurred_at, seq) order and that, together, the calls so far hold every movement of
   * their product/sites from the first row on (an export's next chunk, unfiltered or filtered only by product, site or
   * effective time): a product/site seen before then continues in memory from its last balance, without SQL.
   */
  balances(rows: readonly BalanceKeyRow[], contiguous = false): Map<number, number> {
    const out = new Map<number, number>();
    const groups = new Map<string, BalanceKeyRow[]>();
    for (const r of rows) {
      const key = `${r.productId}:${r.siteId}`;
      const g = groups.get(key);
      if (g) g.push(r);
      else groups.set(key, [r]);
    }
    for (const [key, g] of groups) {
      g.sort((a, b) => a.occurredAt - b.occurredAt || a.seq - b.seq);
      const lo = g[0]!;
      const hi = g[g.length - 1]!;
      const mem = this.anchors.get(key);
      if (contiguous && mem && before(mem.hi, lo)) {
        let bal = mem.hi.bal;
        for (const r of g) out.set(r.seq, (bal += r.qty));
      } else this.fromLedger(key, g, out);
      if (this.anchors.size >= ANCHOR_LIMIT) this.anchors.clear();
      this.anchors.set(key, { lo: { occ: lo.occurredAt, seq: lo.seq, bal: out.get(lo.seq)! }, hi: { occ: hi.occurredAt, seq: hi.seq, bal: out.get(hi.seq)! } });
    }
    return out;
  }

  /** One product/site's rows (sorted) by one window-function scan from the nearest known balance. */
  private fromLedger(key: string, g: BalanceKeyRow[], out: Map<number, number>): void {
    const lo = g[0]!;
    const hi = g[g.length - 1]!;
    const p = lo.productId;
    const s = lo.siteId;
    const seqs = JSON.stringify(g.map((r) => r.seq));
    const way = this.nearest(key, lo, hi);
    if (way.dir === 'forward') {
      const a = way.anchor ?? { occ: NEG, seq: 0, bal: 0 };
      for (const [seq, run] of this.stmt.forward.all({ p, s, aOcc: a.occ, aSeq: a.seq, edge: hi.occurredAt, seqs }) as [number, number][]) out.set(seq, a.bal + run);
    } else {
      const a = way.anchor ?? { occ: POS, seq: POS, bal: this.stmt.level.get(p, s) as number };
      for (const [seq, run] of this.stmt.backward.all({ p, s, aOcc: a.occ, aSeq: a.seq, edge: lo.occurredAt, seqs }) as [number, number][]) out.set(seq, a.bal - run);
    }
  }

  /** The known balance with the fewest index entries between it and the rows [lo, hi] of one product/site. */
  private nearest(key: string, lo: BalanceKeyRow, hi: BalanceKeyRow): { dir: 'forward' | 'backward'; anchor: Anchor | null } {
    const p = lo.productId;
    type Way = { dir: 'forward' | 'backward'; anchor: Anchor | null; a: number; b: number; distance: number };
    const ways: Way[] = [];
    const mem = this.anchors.get(key);
    for (const anchor of mem ? [mem.lo, mem.hi] : []) {
      if (before(anchor, lo)) ways.push({ dir: 'forward', anchor, a: anchor.occ, b: lo.occurredAt, distance: lo.occurredAt - anchor.occ });
      else if (after(anchor, hi)) ways.push({ dir: 'backward', anchor, a: hi.occurredAt, b: anchor.occ, distance: anchor.occ - hi.occurredAt });
    }
    const first = (this.stmt.first.get(p) as number | null) ?? lo.occurredAt;
    const last = (this.stmt.last.get(p) as number | null) ?? hi.occurredAt;
    ways.push({ dir: 'forward', anchor: null, a: NEG, b: lo.occurredAt, distance: lo.occurredAt - first });
    ways.push({ dir: 'backward', anchor: null, a: hi.occurredAt, b: POS, distance: last - hi.occurredAt });
    ways.sort((x, y) => x.distance - y.distance);
    let best = ways[0]!;
    let cost = this.stmt.count.get({ p, a: best.a, b: best.b, cap: COUNT_CAP }) as number;
    for (const w of ways.slice(1)) {
      if (cost === 0) break;
      const n = this.stmt.count.get({ p, a: w.a, b: w.b, cap: cost }) as number;
      if (n < cost) {
        best = w;
        cost = n;
      }
    }
    return { dir: best.dir, anchor: best.anchor };
  }
}
