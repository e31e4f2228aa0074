import type Database from 'better-sqlite3';
import type { EntityRecord } from '../ledger/entities/columns';
import type { MovementEntity } from '../ledger/entities/document.entities';

/** What the effective-order balance needs of a movement: its product/site and its place in (occurred_at, seq) order. */
export type BalanceKeyRow = Pick<EntityRecord<typeof MovementEntity>, 'seq' | 'productId' | 'siteId' | 'occurredAt' | 'qty'>;

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
/** Snapshots are used while at most this many movements were recorded since they were last brought up to date (default). */
export const UNSEEN_LIMIT = 2_000;
/** Index entries a snapshot anchor is reckoned to cost beyond those it crosses (its rows, the movements recorded since). */
const SNAPSHOT_COST = 4;
/** Index entries each quant (stock_levels row, read from the table) of the current level is reckoned to cost. */
const LEVEL_COST = 2;
/** Quants counted at most per product/site. */
const LEVELS_CAP = 64;
/**
 * A product/site with fewer index entries than this between the nearest snapshot before its rows and its first row
 * starts from that snapshot without counting the other ways (default): none can save more than these few entries, and
 * counting them costs more (about eight index seeks each) than scanning these.
 */
export const NEAR_CAP = 32;
/** The cost of a way whose count reached the cap. */
const FAR = COUNT_CAP * 16;
/** Product/site anchors remembered between pages (dropped all at once past this). */
const ANCHOR_LIMIT = 100_000;

const before = (a: { occ: number; seq: number }, r: BalanceKeyRow) => a.occ < r.occurredAt || (a.occ === r.occurredAt && a.seq < r.seq);
const after = (a: { occ: number; seq: number }, r: BalanceKeyRow) => a.occ > r.occurredAt || (a.occ === r.occurredAt && a.seq > r.seq);

/** The index that holds each product/site's movements in effective order with their quantities (migration 0028). */
const INDEX = 'IDX_movements_product_site_occurred';

/** Index entries of a product/site (`k.p`, `k.s`) in an open range of effective time, counted up to `cap`. */
const capped = (range: string, cap: string | number = '@cap') =>
  `(SELECT IIF(COUNT(*) >= ${cap}, @cap, COUNT(*)) FROM (SELECT 1 FROM movements INDEXED BY ${INDEX} WHERE product_id = k.p AND site_id = k.s AND ${range} LIMIT ${cap}))`;

/** A count capped at 16, 64 or COUNT_CAP: only as far as needed to compare with the cheapest way known (`best`). */
const tier = (best: string, count: (cap: number | string) => string) =>
  `CASE WHEN ${best} < 16 THEN ${count(16)} WHEN ${best} < 64 THEN ${count(64)} ELSE ${count('@cap')} END`;

/**
 * Per product/site (one json_each row each: [productId, siteId, anchor occurred_at, anchor seq, anchor balance or null
 * for the current level, edge]) the anchor to scan from.
 */
const ANCHOR_KEYS = `k AS MATERIALIZED (
    SELECT key AS i, value ->> 0 AS p, value ->> 1 AS s, value ->> 2 AS aOcc, value ->> 3 AS aSeq, value ->> 5 AS edge,
      COALESCE(value ->> 4, (SELECT COALESCE(SUM(qty), 0) FROM stock_levels WHERE product_id = value ->> 0 AND site_id = value ->> 1)) AS bal
    FROM json_each(@keys))`;

/**
 * Per product/site (one json_each row each: [productId, siteId, edge, the rows' first (forward) or last (backward)
 * occurred_at]) the daily stock snapshot nearest the rows on one side as the anchor: the last day end at or before the
 * first row (forward) or the first after the last row (backward). A snapshot holds the movements effective before its
 * day end that were recorded up to its through_seq; those recorded since (a backdated posting not yet folded in) are
 * added from the rowid range past through_seq (`u`), so the anchor is Σ qty effective before the day end, exactly.
 * Read in the same statement as the snapshot rows, so a refresh or rebuild meanwhile cannot mix two states. With no
 * snapshot on that side: forward from zero, or backward from the current level.
 */
const snapshotKeys = (side: 'forward' | 'backward') => {
  const day =
    side === 'forward'
      ? 'SELECT MAX(day_end) FROM stock_snapshots WHERE day_end <= value ->> 3'
      : 'SELECT MIN(day_end) FROM stock_snapshots WHERE day_end > value ->> 3';
  const level = 'SELECT COALESCE(SUM(qty), 0) FROM stock_levels WHERE product_id = k0.p AND site_id = k0.s';
  const snapshot = `(SELECT COALESCE(SUM(qty), 0) FROM stock_snapshots WHERE day_end = k0.d AND product_id = k0.p AND site_id = k0.s)
      + (SELECT COALESCE(SUM(qty), 0) FROM u WHERE u.p = k0.p AND u.s = k0.s AND u.occ < k0.d)`;
  return `st AS MATERIALIZED (SELECT through_seq AS t FROM stock_snapshot_state WHERE id = 1),
  k0 AS MATERIALIZED (
    SELECT key AS i, value ->> 0 AS p, value ->> 1 AS s, value ->> 2 AS edge, (${day} AND EXISTS (SELECT 1 FROM st)) AS d
    FROM json_each(@keys)),
  u AS MATERIALIZED (
    SELECT product_id AS p, site_id AS s, occurred_at AS occ, qty FROM movements NOT INDEXED
    WHERE seq > (SELECT t FROM st) AND product_id IN (SELECT p FROM k0)),
  k AS MATERIALIZED (
    SELECT i, p, s, edge, ${side === 'forward' ? `COALESCE(d, ${NEG}) AS aOcc, 0 AS aSeq` : `COALESCE(d, ${POS}) AS aOcc, IIF(d IS NULL, ${POS}, 0) AS aSeq`},
      IIF(d IS NULL, ${side === 'forward' ? '0' : `(${level})`}, ${snapshot}) AS bal
    FROM k0)`;
};

/**
 * From each product/site's anchor (`keys`, the CTE `k`: p, s, aOcc, aSeq, bal, edge) the scan to the edge over the
 * product/site index, reading no table row (site, time, seq and qty are all in the index); `run` is the window over
 * each product/site's rows.
 */
const scan = (keys: string, where: string, run: string) => `
  WITH ${keys}
  SELECT seq, b FROM (
    SELECT m.seq, ${run} AS b FROM k CROSS JOIN movements m INDEXED BY ${INDEX}
    WHERE m.product_id = k.p AND m.site_id = k.s AND ${where})
  WHERE seq IN (SELECT value FROM json_each(@seqs))`;

/** Going forward from the anchor (balance just before the first entry scanned) to the edge, each row inclusive. */
const FORWARD = ['m.occurred_at >= k.aOcc AND (m.occurred_at > k.aOcc OR m.seq > k.aSeq) AND m.occurred_at <= k.edge', 'k.bal + SUM(m.qty) OVER (PARTITION BY k.i ORDER BY m.occurred_at, m.seq)'] as const;
/** Going backward: the anchor balance (just after the last entry scanned) less the movements after each row. */
const BACKWARD = [
  'm.occurred_at <= k.aOcc AND (m.occurred_at < k.aOcc OR m.seq <= k.aSeq) AND m.occurred_at >= k.edge',
  'k.bal - COALESCE(SUM(m.qty) OVER (PARTITION BY k.i ORDER BY m.occurred_at DESC, m.seq DESC ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)',
] as const;

/**
 * "Balance on that date": a product's stock at a site just after a movement in effective order (occurred_at, seq),
 * beside balance_after, which follows recording order (ARCHITECTURE §6). balance_after is never rewritten, so this one
 * is computed when read, for all product/sites of a page at once: one statement counts (index-only, capped) the
 * IDX_movements_product_site_occurred entries each product/site would cross to reach its rows
 *  - forward from before its first movement (balance 0),
 *  - backward from its current stock level (Σ stock_levels = its last balance_after),
 *  - from the nearest daily stock snapshot before or after its rows (stock-snapshots.ts; while they are at most
 *    `unseenLimit` movements behind, the movements recorded since being added: backdated postings not yet folded in),
 *  - or from the nearest balance computed on an earlier page (infinite scroll, export chunks),
 * and each goes the cheapest way; then one window-function scan per way for all going it. Rows deep in the history
 * start from a snapshot at most a snapshot spacing away, not from today; an export whose filter keeps whole histories
 * continues each product/site in memory.
 * Balances remembered are those of the ledger they were read from: use one instance per ledger head (MovementQuery is).
 */
export class BalanceOnDateStore {
  private readonly anchors = new Map<string, { lo: Anchor; hi: Anchor }>();
  private readonly stmt;

  /** `prepare` may be a statement cache's get (the statements' texts are their own). */
  constructor(
    prepare: (sql: string) => Database.Statement,
    private readonly unseenLimit = UNSEEN_LIMIT,
    private readonly nearCap = NEAR_CAP,
  ) {
    const db = { prepare };
    const before = (cap?: number | string) => capped('occurred_at < k.lo', cap);
    const after = (cap?: number | string) => capped('occurred_at > k.hi', cap);
    this.stmt = {
      // Per [product, site, rows' first occurred_at, last occurred_at, anchor range from, to (or nulls), snapshots usable]
      // → counts each way: between the remembered balance and the rows, between the nearest snapshot on either side and
      // the rows, after the rows (to the current level) and before them (from zero). The long ways are counted only as
      // far as needed to compare with the shortest (the newest rows, with none or few after them, never count a long
      // history; rows between two snapshots count neither end of it).
      counts: db.prepare(
        `WITH j AS MATERIALIZED (
           SELECT key, value ->> 0 AS p, value ->> 1 AS s, value ->> 2 AS lo, value ->> 3 AS hi, value ->> 4 AS aFrom, value ->> 5 AS aTo,
             value ->> 6 AS snap
           FROM json_each(@keys)),
         s AS MATERIALIZED (
           SELECT k.*, IIF(k.snap, (SELECT MAX(day_end) FROM stock_snapshots WHERE day_end <= k.lo), NULL) AS sLo,
             IIF(k.snap, (SELECT MIN(day_end) FROM stock_snapshots WHERE day_end > k.hi), NULL) AS sHi,
             (SELECT COUNT(*) FROM (SELECT 1 FROM stock_levels WHERE product_id = k.p AND site_id = k.s LIMIT ${LEVELS_CAP})) AS levels,
             ${after(16)} AS after16
           FROM j k),
         t AS MATERIALIZED (SELECT *, IIF(after16 < @cap, after16 + ${LEVEL_COST} * levels, @cap) AS cur FROM s),
         a AS MATERIALIZED (
           SELECT *,
             IIF(k.aFrom IS NULL, NULL, ${tier('k.cur', (cap) => capped('occurred_at > k.aFrom AND occurred_at < k.aTo', cap))}) AS anchored,
             IIF(k.sLo IS NULL, NULL, ${tier('k.cur', (cap) => capped('occurred_at >= k.sLo AND occurred_at < k.lo', cap))}) AS snapBefore,
             IIF(k.sHi IS NULL, NULL, ${tier('k.cur', (cap) => capped('occurred_at > k.hi AND occurred_at < k.sHi', cap))}) AS snapAfter
           FROM t k),
         n AS MATERIALIZED (SELECT *, MIN(COALESCE(anchored, @cap), COALESCE(snapBefore, @cap), COALESCE(snapAfter, @cap)) AS near FROM a),
         b AS MATERIALIZED (SELECT k.*, IIF(k.after16 < @cap OR k.near < 16, k.after16, IIF(k.near < 64, ${after(64)}, ${after()})) AS after FROM n k),
         c AS MATERIALIZED (SELECT *, MIN(near, after) AS best FROM b)
         SELECT k.after, k.anchored, k.snapBefore, k.snapAfter, k.levels,
           IIF(k.best = 0, @cap, ${tier('k.best', before)}) AS before
         FROM c k ORDER BY k.key`,
      ),
      // Per [product, site, rows' first occurred_at]: the index entries between the nearest snapshot at or before the
      // rows and the first row, counted up to @cap (null: no snapshot before the rows). Two seeks each.
      near: db.prepare(
        `WITH j AS MATERIALIZED (SELECT key, value ->> 0 AS p, value ->> 1 AS s, value ->> 2 AS lo FROM json_each(@keys)),
         d AS MATERIALIZED (SELECT j.*, (SELECT MAX(day_end) FROM stock_snapshots WHERE day_end <= j.lo) AS sLo FROM j)
         SELECT IIF(k.sLo IS NULL, NULL, ${capped('occurred_at >= k.sLo AND occurred_at < k.lo')}) AS n FROM d k ORDER BY k.key`,
      ).pluck(),
      // Movements recorded since the snapshots were last brought up to date (null: there are none).
      unseen: db.prepare('SELECT (SELECT MAX(seq) FROM movements) - (SELECT through_seq FROM stock_snapshot_state WHERE id = 1)').pluck(),
      forward: db.prepare(scan(ANCHOR_KEYS, ...FORWARD)),
      backward: db.prepare(scan(ANCHOR_KEYS, ...BACKWARD)),
      snapForward: db.prepare(scan(snapshotKeys('forward'), ...FORWARD)),
      snapBackward: db.prepare(scan(snapshotKeys('backward'), ...BACKWARD)),
    };
  }

  /** How each product/site of the last call was reached (tests check that every way is taken). */
  readonly ways = { memory: 0, zero: 0, current: 0, remembered: 0, snapshot: 0 };
  /** Product/sites of the last call whose ways were all counted (the others: in memory, or near a snapshot). */
  counted = 0;

  /**
   * Balance on that date (effective order) of each row, by seq. `contiguous` promises that this call's rows follow the
   * previous call's in ascending (occurred_at, seq) order and that, together, the calls so far hold every movement of
   * their product/sites from the first row on (an export's next chunk, unfiltered or filtered only by product, site or
   * effective time): a product/site seen before then continues in memory from its last balance, without SQL.
   */
  balances(rows: readonly BalanceKeyRow[], contiguous = false): Map<number, number> {
    const out = new Map<number, number>();
    for (const w of Object.keys(this.ways) as (keyof typeof this.ways)[]) this.ways[w] = 0;
    this.counted = 0;
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
        this.ways.memory++;
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
   * each way could cross (each up to COUNT_CAP): from the remembered balance, from the nearest daily snapshot before or
   * after the rows (when the snapshots are nearly up to date: the movements recorded since are read whole), from the
   * current level or from zero; each goes the way with the fewest; then one window scan per way for all going it.
   */
  private fromLedger(all: { key: string; g: BalanceKeyRow[]; anchor: Anchor | null }[], out: Map<number, number>): void {
    const unseen = this.stmt.unseen.get() as number | null;
    const snap = unseen !== null && unseen <= this.unseenLimit ? 1 : 0;
    const lists = { forward: [] as unknown[][], backward: [] as unknown[][], snapForward: [] as unknown[][], snapBackward: [] as unknown[][] };
    const seqs: number[] = [];
    // Rows a few entries after a snapshot (most of them, snapshots being at most a spacing apart) start from it uncounted.
    let todo = all;
    const fresh = snap && this.nearCap > 0 ? all.filter((t) => t.anchor === null) : [];
    if (fresh.length) {
      const near = this.stmt.near.all({ keys: JSON.stringify(fresh.map(({ g }) => [g[0]!.productId, g[0]!.siteId, g[0]!.occurredAt])), cap: this.nearCap }) as (number | null)[];
      const done = new Set<(typeof all)[number]>();
      fresh.forEach((t, i) => {
        const n = near[i];
        if (n === null || n === undefined || n >= this.nearCap) return;
        const lo = t.g[0]!;
        const hi = t.g[t.g.length - 1]!;
        this.ways.snapshot++;
        lists.snapForward.push([lo.productId, lo.siteId, hi.occurredAt, lo.occurredAt]);
        for (const r of t.g) seqs.push(r.seq);
        done.add(t);
      });
      todo = all.filter((t) => !done.has(t));
    }
    this.counted = todo.length;
    if (todo.length) this.countAndChoose(todo, snap, lists, seqs);
    const ids = JSON.stringify(seqs);
    for (const way of ['forward', 'backward', 'snapForward', 'snapBackward'] as const) {
      if (!lists[way].length) continue;
      for (const [seq, b] of this.stmt[way].raw(true).all({ keys: JSON.stringify(lists[way]), seqs: ids }) as [number, number][]) out.set(seq, b);
    }
  }

  /** Counts each way of `todo`'s product/sites (one statement) and adds each to the list of its cheapest way. */
  private countAndChoose(todo: { key: string; g: BalanceKeyRow[]; anchor: Anchor | null }[], snap: number, lists: Record<'forward' | 'backward' | 'snapForward' | 'snapBackward', unknown[][]>, seqs: number[]): void {
    const keys = todo.map(({ g, anchor }) => {
      const lo = g[0]!.occurredAt;
      const hi = g[g.length - 1]!.occurredAt;
      const range = anchor ? (anchor.occ < lo ? [anchor.occ, lo] : [hi, anchor.occ]) : [null, null];
      return [g[0]!.productId, g[0]!.siteId, lo, hi, ...range, snap];
    });
    type Counts = { before: number; after: number; anchored: number | null; snapBefore: number | null; snapAfter: number | null; levels: number };
    const counts = this.stmt.counts.all({ keys: JSON.stringify(keys), cap: COUNT_CAP }) as Counts[];
    todo.forEach(({ g, anchor }, i) => {
      const c = counts[i]!;
      const lo = g[0]!;
      const hi = g[g.length - 1]!;
      const [p, s] = [lo.productId, lo.siteId];
      for (const r of g) seqs.push(r.seq);
      // Each way's cost: the index entries it crosses, plus the rows its anchor is read from (a snapshot's few; the
      // current level's quants, each a table row). A count at the cap means "at least": those tie, and then a snapshot
      // (never more than a spacing away) goes first, then the remembered balance, the current level, zero.
      const cost = (n: number | null, extra = 0) => (n === null ? null : n >= COUNT_CAP ? FAR : n + extra);
      const ways: [number | null, () => void][] = [
        [cost(c.snapAfter, SNAPSHOT_COST), () => (this.ways.snapshot++, lists.snapBackward.push([p, s, lo.occurredAt, hi.occurredAt]))],
        [cost(c.snapBefore, SNAPSHOT_COST), () => (this.ways.snapshot++, lists.snapForward.push([p, s, hi.occurredAt, lo.occurredAt]))],
        [cost(anchor && c.anchored), () => {
          this.ways.remembered++;
          if (before(anchor!, lo)) lists.forward.push([p, s, anchor!.occ, anchor!.seq, anchor!.bal, hi.occurredAt]);
          else lists.backward.push([p, s, anchor!.occ, anchor!.seq, anchor!.bal, lo.occurredAt]);
        }],
        [cost(c.after, LEVEL_COST * c.levels), () => (this.ways.current++, lists.backward.push([p, s, POS, POS, null, lo.occurredAt]))],
        [cost(c.before), () => (this.ways.zero++, lists.forward.push([p, s, NEG, 0, 0, hi.occurredAt]))],
      ];
      let best: (typeof ways)[number] | null = null;
      for (const w of ways) if (w[0] !== null && (best === null || w[0] < best[0]!)) best = w;
      best![1]();
    });
  }
}

/** Effective-time distance from an anchor to the nearer end of [lo, hi]. */
function gap(a: Anchor, lo: BalanceKeyRow, hi: BalanceKeyRow): number {
  return a.occ < lo.occurredAt ? lo.occurredAt - a.occ : a.occ - hi.occurredAt;
}
