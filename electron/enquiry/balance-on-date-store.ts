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
/** Index entries counted at most on each side of a product/site's rows to choose the way to reach them. */
const COUNT_CAP = 256;
/** Product/site anchors remembered between pages (dropped all at once past this). */
const ANCHOR_LIMIT = 100_000;

const before = (a: { occ: number; seq: number }, r: BalanceKeyRow) => a.occ < r.occurredAt || (a.occ === r.occurredAt && a.seq < r.seq);
const after = (a: { occ: number; seq: number }, r: BalanceKeyRow) => a.occ > r.occurredAt || (a.occ === r.occurredAt && a.seq > r.seq);

/** The index that holds each product/site's movements in effective order with their quantities (migration 0028). */
const INDEX = 'IDX_movements_product_site_occurred';

/** Index entries of a product/site (`k.value ->> 0`, `->> 1`) in an open range of effective time, counted up to `cap`. */
const capped = (range: string, cap: string | number = '@cap') =>
  `(SELECT COUNT(*) FROM (SELECT 1 FROM movements INDEXED BY ${INDEX} WHERE product_id = k.value ->> 0 AND site_id = k.value ->> 1 AND ${range} LIMIT ${cap}))`;

/**
 * Per product/site (one json_each row each: [productId, siteId, anchor occurred_at, anchor seq, anchor balance or null
 * for the current level, edge]) the scan from the anchor to the edge over the product/site index, reading no table row
 * (site, time, seq and qty are all in the index); `run` is the window over each product/site's rows.
 */
const scan = (where: string, run: string) => `
  WITH k AS MATERIALIZED (
    SELECT key AS i, value ->> 0 AS p, value ->> 1 AS s, value ->> 2 AS aOcc, value ->> 3 AS aSeq, value ->> 5 AS edge,
      COALESCE(value ->> 4, (SELECT COALESCE(SUM(qty), 0) FROM stock_levels WHERE product_id = value ->> 0 AND site_id = value ->> 1)) AS bal
    FROM json_each(@keys))
  SELECT seq, b FROM (
    SELECT m.seq, ${run} AS b FROM k CROSS JOIN movements m INDEXED BY ${INDEX}
    WHERE m.product_id = k.p AND m.site_id = k.s AND ${where})
  WHERE seq IN (SELECT value FROM json_each(@seqs))`;

/**
 * "Balance on that date": a product's stock at a site just after a movement in effective order (occurred_at, seq),
 * beside balance_after, which follows recording order (ARCHITECTURE §6). balance_after is never rewritten, so this one
 * is computed when read, for all product/sites of a page at once: one statement counts (index-only, capped) the
 * IDX_movements_product_site_occurred entries each product/site would cross to reach its rows
 *  - forward from before its first movement (balance 0),
 *  - backward from its current stock level (Σ stock_levels = its last balance_after),
 *  - or from the nearest balance computed on an earlier page (infinite scroll, export chunks),
 * and each goes the cheapest way; then one window-function scan for all going forward and one for all going backward.
 * The newest page walks back from the current levels, the oldest forward from zero, later pages from the previous
 * page's rows; an export whose filter keeps whole histories continues each product/site in memory.
 * Balances remembered are those of the ledger they were read from: use one instance per ledger head (MovementQuery is).
 */
export class BalanceOnDateStore {
  private readonly anchors = new Map<string, { lo: Anchor; hi: Anchor }>();
  private readonly stmt;

  /** `prepare` may be a statement cache's get (the statements' texts are their own). */
  constructor(prepare: (sql: string) => Database.Statement) {
    const db = { prepare };
    this.stmt = {
      // Per [product, site, rows' first occurred_at, last occurred_at, anchor range from, to (or nulls)] → counts each side.
      // The entries before the rows are counted only as far as needed to compare with those after (the newest rows, with
      // none or few after them, never count a long history).
      counts: db.prepare(
        `SELECT k.after, k.anchored, CASE WHEN k.after = 0 THEN 1
             WHEN k.after < 16 THEN ${capped('occurred_at < k.value ->> 2', 16)}
             WHEN k.after < 64 THEN ${capped('occurred_at < k.value ->> 2', 64)}
             ELSE ${capped('occurred_at < k.value ->> 2')} END AS before
         FROM (SELECT k.key, k.value, ${capped('occurred_at > k.value ->> 3')} AS after,
             CASE WHEN k.value ->> 4 IS NULL THEN NULL ELSE ${capped('occurred_at > k.value ->> 4 AND occurred_at < k.value ->> 5')} END AS anchored
           FROM json_each(@keys) k) k
         ORDER BY k.key`,
      ),
      // Anchor balance plus the running sum after the anchor, up to each row inclusive.
      forward: db.prepare(
        scan('m.occurred_at >= k.aOcc AND (m.occurred_at > k.aOcc OR m.seq > k.aSeq) AND m.occurred_at <= k.edge', 'k.bal + SUM(m.qty) OVER (PARTITION BY k.i ORDER BY m.occurred_at, m.seq)'),
      ),
      // Anchor balance less the sum of the movements after each row, up to the anchor inclusive.
      backward: db.prepare(
        scan(
          'm.occurred_at <= k.aOcc AND (m.occurred_at < k.aOcc OR m.seq <= k.aSeq) AND m.occurred_at >= k.edge',
          'k.bal - COALESCE(SUM(m.qty) OVER (PARTITION BY k.i ORDER BY m.occurred_at DESC, m.seq DESC ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)',
        ),
      ),
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
    const fromLedger: { key: string; g: BalanceKeyRow[]; anchor: Anchor | null }[] = [];
    for (const [key, g] of groups) {
      g.sort((a, b) => a.occurredAt - b.occurredAt || a.seq - b.seq);
      const mem = this.anchors.get(key);
      if (contiguous && mem && before(mem.hi, g[0]!)) {
        let bal = mem.hi.bal;
        for (const r of g) out.set(r.seq, (bal += r.qty));
      } else {
        // The remembered balance nearest the rows, if it lies outside them.
        const lo = g[0]!;
        const hi = g[g.length - 1]!;
        const near = mem ? [mem.hi, mem.lo].filter((a) => before(a, lo) || after(a, hi)).sort((x, y) => gap(x, lo, hi) - gap(y, lo, hi))[0] : undefined;
        fromLedger.push({ key, g, anchor: near ?? null });
      }
    }
    if (fromLedger.length) this.fromLedger(fromLedger, out);
    for (const [key, g] of groups) {
      const lo = g[0]!;
      const hi = g[g.length - 1]!;
      if (this.anchors.size >= ANCHOR_LIMIT) this.anchors.clear();
      this.anchors.set(key, { lo: { occ: lo.occurredAt, seq: lo.seq, bal: out.get(lo.seq)! }, hi: { occ: hi.occurredAt, seq: hi.seq, bal: out.get(hi.seq)! } });
    }
    return out;
  }

  /**
   * Product/sites whose rows are reached from the ledger: one statement counts, per product/site, the index entries
   * before, after and between the remembered balance and its rows (each up to COUNT_CAP); each goes the way with the
   * fewest; then one window scan for all going forward and one for all going backward.
   */
  private fromLedger(todo: { key: string; g: BalanceKeyRow[]; anchor: Anchor | null }[], out: Map<number, number>): void {
    const keys = todo.map(({ g, anchor }) => {
      const lo = g[0]!.occurredAt;
      const hi = g[g.length - 1]!.occurredAt;
      const range = anchor ? (anchor.occ < lo ? [anchor.occ, lo] : [hi, anchor.occ]) : [null, null];
      return [g[0]!.productId, g[0]!.siteId, lo, hi, ...range];
    });
    const counts = this.stmt.counts.all({ keys: JSON.stringify(keys), cap: COUNT_CAP }) as { before: number; after: number; anchored: number | null }[];
    const forward: unknown[][] = [];
    const backward: unknown[][] = [];
    const seqs: number[] = [];
    todo.forEach(({ g, anchor }, i) => {
      const c = counts[i]!;
      const lo = g[0]!;
      const hi = g[g.length - 1]!;
      const [p, s] = [lo.productId, lo.siteId];
      for (const r of g) seqs.push(r.seq);
      if (anchor && c.anchored! <= Math.min(c.before, c.after)) {
        if (before(anchor, lo)) forward.push([p, s, anchor.occ, anchor.seq, anchor.bal, hi.occurredAt]);
        else backward.push([p, s, anchor.occ, anchor.seq, anchor.bal, lo.occurredAt]);
      } else if (c.before < c.after) forward.push([p, s, NEG, 0, 0, hi.occurredAt]);
      else backward.push([p, s, POS, POS, null, lo.occurredAt]);
    });
    const ids = JSON.stringify(seqs);
    for (const [stmt, list] of [[this.stmt.forward, forward], [this.stmt.backward, backward]] as const) {
      if (!list.length) continue;
      for (const [seq, b] of stmt.raw(true).all({ keys: JSON.stringify(list), seqs: ids }) as [number, number][]) out.set(seq, b);
    }
  }
}

/** Effective-time distance from an anchor to the nearer end of [lo, hi]. */
function gap(a: Anchor, lo: BalanceKeyRow, hi: BalanceKeyRow): number {
  return a.occ < lo.occurredAt ? lo.occurredAt - a.occ : a.occ - hi.occurredAt;
}
