import type Database from 'better-sqlite3';
import { dayOfNumber, startOfDay } from '../../shared/business-time';
import type { StockAtDateResult, StockAtDateRow } from '../../shared/enquiry';
import { registerBusinessDay } from '../company/business-day-sql';
import { businessTimeZone } from '../company/business-time-zone';

export const DAY_MS = 86_400_000;

/** One cut of a rebuild: its day end and its rows, five numbers each (product, site, bin or 0, batch or 0, qty). */
export interface SnapshotCut {
  dayEnd: number;
  rows: Float64Array;
}

/** Every snapshot of a rebuild, computed from the movements up to `head` (the last seq it saw). */
export interface SnapshotBuild {
  head: number;
  cuts: SnapshotCut[];
}

export interface SnapshotOptions {
  /** A new snapshot is cut at the first local midnight (business time zone) after at least this many movements since the previous one. */
  spacing?: number;
  /** Above this many unseen movements, affected snapshots are dropped and rebuilt rather than patched. */
  patchLimit?: number;
  clock?: () => number;
  /** The business time zone days end in (default: the company setting). */
  timeZone?: string;
}

/**
 * Derived daily stock snapshots (ARCHITECTURE §6): stock per product/site/bin/batch at the end of a local day in the business
 * time zone (the company setting), cut every
 * `spacing` movements so "movements since" stays bounded. Never authoritative: `rebuild()` recreates them from the ledger.
 * Snapshots account for every movement up to `through_seq`; newer movements are folded in by `refresh()`, which touches
 * only the snapshots at or after the earliest new movement's effective time — so a backdated movement refreshes the
 * snapshots from its date on and nothing before.
 */
export class StockSnapshots {
  private readonly spacing: number;
  private readonly patchLimit: number;
  private readonly clock: () => number;
  private readonly stmt;

  constructor(private readonly db: Database.Database, private readonly options: SnapshotOptions = {}) {
    registerBusinessDay(db);
    this.spacing = options.spacing ?? 100_000;
    this.patchLimit = options.patchLimit ?? 50_000;
    this.clock = options.clock ?? Date.now;
    this.stmt = {
      through: db.prepare('SELECT through_seq FROM stock_snapshot_state WHERE id = 1').pluck(),
      setThrough: db.prepare(
        'INSERT INTO stock_snapshot_state (id, through_seq, built_at) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET through_seq = excluded.through_seq, built_at = excluded.built_at',
      ),
      head: db.prepare('SELECT COALESCE(MAX(seq), 0) FROM movements').pluck(),
      minOccSince: db.prepare('SELECT MIN(occurred_at) FROM movements WHERE seq > ?').pluck(),
      days: db.prepare(
        `WITH RECURSIVE d(x) AS (SELECT MIN(day_end) FROM stock_snapshots
           UNION ALL SELECT (SELECT MIN(day_end) FROM stock_snapshots WHERE day_end > d.x) FROM d WHERE d.x IS NOT NULL)
         SELECT x FROM d WHERE x IS NOT NULL`,
      ).pluck(),
      patch: db.prepare(
        `INSERT INTO stock_snapshots (day_end, product_id, site_id, bin_id, batch_id, qty)
         SELECT d.value, m.product_id, m.site_id, IFNULL(m.bin_id, 0), IFNULL(m.batch_id, 0), SUM(m.qty)
         FROM movements m JOIN json_each(@days) d ON m.occurred_at < d.value
         WHERE m.seq > @through GROUP BY 1, 2, 3, 4, 5
         ON CONFLICT (day_end, product_id, site_id, bin_id, batch_id) DO UPDATE SET qty = qty + excluded.qty`,
      ),
      dropZeros: db.prepare('DELETE FROM stock_snapshots WHERE qty = 0 AND day_end > ?'),
      dropFrom: db.prepare('DELETE FROM stock_snapshots WHERE day_end > ?'),
      lastDay: db.prepare('SELECT MAX(day_end) FROM stock_snapshots').pluck(),
      dailyCounts: db.prepare(
        `SELECT business_day(occurred_at, @zone) AS day, COUNT(*) AS n FROM movements INDEXED BY IDX_movements_occurred
         WHERE occurred_at >= @from GROUP BY day ORDER BY day`,
      ),
      cut: db.prepare(
        `INSERT INTO stock_snapshots (day_end, product_id, site_id, bin_id, batch_id, qty)
         SELECT @next, product_id, site_id, bin_id, batch_id, SUM(qty) FROM (
           SELECT product_id, site_id, bin_id, batch_id, qty FROM stock_snapshots WHERE day_end = @prev
           UNION ALL
           SELECT product_id, site_id, IFNULL(bin_id, 0), IFNULL(batch_id, 0), qty FROM movements INDEXED BY IDX_movements_occurred
           WHERE occurred_at >= @from AND occurred_at < @next)
         WHERE true GROUP BY product_id, site_id, bin_id, batch_id HAVING SUM(qty) != 0`,
      ),
      snapshotFor: db.prepare('SELECT MAX(day_end) FROM stock_snapshots WHERE day_end <= ?').pluck(),
      clearAll: db.prepare('DELETE FROM stock_snapshots'),
      clearState: db.prepare('DELETE FROM stock_snapshot_state'),
      insert: db.prepare('INSERT INTO stock_snapshots (day_end, product_id, site_id, bin_id, batch_id, qty) VALUES (?, ?, ?, ?, ?, ?)'),
      between: db
        .prepare(
          `SELECT product_id, site_id, IFNULL(bin_id, 0), IFNULL(batch_id, 0), SUM(qty) FROM movements INDEXED BY IDX_movements_occurred
           WHERE occurred_at >= @from AND occurred_at < @next GROUP BY 1, 2, 3, 4`,
        )
        .raw(),
    };
  }

  /**
   * How far the snapshots trail the ledger: the movements not folded in yet, and whether `refresh()` would stay small on
   * the writer (a patch of at most `cheapLimit` movements onto snapshots already built, or a first cut of at most
   * `spacing` movements). A bigger catch-up belongs to the rebuild, computed off the writer in a job thread.
   */
  lag(cheapLimit: number = this.patchLimit): { unseen: number; cheap: boolean } {
    const through = (this.stmt.through.get() as number | undefined) ?? 0;
    const head = this.stmt.head.get() as number;
    const unseen = head - through;
    return { unseen, cheap: unseen <= Math.min(cheapLimit, this.patchLimit) && (through > 0 || head <= this.spacing) };
  }

  /** Folds movements posted since the last refresh into the snapshots and cuts new ones. Returns what it did. */
  refresh(): { patched: number; dropped: boolean; cut: number } {
    return this.db.transaction(() => {
      const through = (this.stmt.through.get() as number | undefined) ?? 0;
      const head = this.stmt.head.get() as number;
      if (head === through) return { patched: 0, dropped: false, cut: 0 };
      const minOcc = this.stmt.minOccSince.get(through) as number;
      const unseen = head - through;
      let dropped = false;
      let patched = 0;
      if (unseen > this.patchLimit) {
        this.stmt.dropFrom.run(minOcc);
        dropped = true;
      } else {
        const days = (this.stmt.days.all() as number[]).filter((d) => d > minOcc);
        if (days.length > 0) {
          this.stmt.patch.run({ days: JSON.stringify(days), through });
          this.stmt.dropZeros.run(minOcc);
          patched = days.length;
        }
      }
      const cut = this.cutNew();
      this.stmt.setThrough.run(head, this.clock());
      return { patched, dropped, cut };
    })();
  }

  /** Drops every snapshot and builds them again from the movements. */
  rebuild(): number {
    return this.db.transaction(() => this.replace(this.build(), this.clock()))();
  }

  /**
   * Computes every snapshot from the movements, reading only (a job thread runs it on its read connection, inside one
   * read transaction so it sees one ledger): the same cuts as `refresh()` makes, at local midnights every `spacing`
   * movements, each cut the previous one plus the movements since.
   */
  build(): SnapshotBuild {
    const head = this.stmt.head.get() as number;
    const zone = this.options.timeZone ?? businessTimeZone(this.db);
    const counts = this.stmt.dailyCounts.all({ zone, from: -8.64e15 }) as { day: number; n: number }[];
    const now = this.clock();
    const levels = new Map<string, number[]>();
    const cuts: SnapshotCut[] = [];
    let from = -8.64e15;
    let acc = 0;
    for (const { day, n } of counts) {
      acc += n;
      const next = startOfDay(dayOfNumber(day + 1), zone);
      if (acc < this.spacing || next > now) continue;
      for (const r of this.stmt.between.iterate({ from, next }) as Iterable<number[]>) {
        const key = `${r[0]}:${r[1]}:${r[2]}:${r[3]}`;
        const level = levels.get(key);
        if (level) level[4]! += r[4]!;
        else levels.set(key, r);
      }
      const rows: number[] = [];
      for (const [key, level] of levels) {
        if (level[4] === 0) levels.delete(key);
        else rows.push(...level);
      }
      cuts.push({ dayEnd: next, rows: Float64Array.from(rows) });
      from = next;
      acc = 0;
    }
    return { head, cuts };
  }

  /** Replaces every snapshot with a build (one transaction on the writer); it accounts for movements up to its head. Returns the cuts. */
  replace(build: SnapshotBuild, builtAt: number): number {
    return this.db.transaction(() => {
      this.stmt.clearAll.run();
      this.stmt.clearState.run();
      for (const { dayEnd, rows } of build.cuts) {
        for (let i = 0; i < rows.length; i += 5) this.stmt.insert.run(dayEnd, rows[i], rows[i + 1], rows[i + 2], rows[i + 3], rows[i + 4]);
      }
      this.stmt.setThrough.run(build.head, builtAt);
      return build.cuts.length;
    })();
  }

  /**
   * Stock as at `at` (epoch ms, inclusive): the latest snapshot at or before it plus the movements since.
   * External pseudo-sites are left out; zero lines are not listed.
   */
  stockAt(at: number, o: { productId?: number | undefined; siteId?: number | undefined; level?: 'batch' | 'site'; readOnly?: boolean } = {}): StockAtDateResult {
    // A reader (a job's read-only connection) leaves the snapshots as they are and adds what they lack instead: the
    // movements recorded after them (seq past through_seq) but effective before the snapshot's day end.
    if (!o.readOnly) this.refresh();
    const through = (this.stmt.through.get() as number | undefined) ?? 0;
    const snap = (this.stmt.snapshotFor.get(at) as number | null) ?? null;
    const sp: string[] = [];
    const mp: string[] = [];
    const params: Record<string, number> = { at, snap: snap ?? 0, through };
    if (o.productId !== undefined) {
      sp.push('product_id = @productId');
      mp.push('product_id = @productId');
      params.productId = o.productId;
    }
    if (o.siteId !== undefined) {
      sp.push('site_id = @siteId');
      mp.push('site_id = @siteId');
      params.siteId = o.siteId;
    }
    const movementIndex = o.productId !== undefined ? 'IDX_movements_product_occurred' : 'IDX_movements_occurred';
    const byBatch = (o.level ?? 'batch') === 'batch';
    const keys = byBatch ? 'product_id, site_id, bin_id, batch_id' : 'product_id, site_id';
    const mKeys = byBatch ? 'product_id, site_id, IFNULL(bin_id, 0) AS bin_id, IFNULL(batch_id, 0) AS batch_id' : 'product_id, site_id';
    const snapPart =
      snap === null
        ? ''
        : `SELECT ${keys}, qty FROM stock_snapshots WHERE day_end = @snap${sp.map((c) => ` AND ${c}`).join('')} UNION ALL
           SELECT ${mKeys}, qty FROM movements WHERE seq > @through AND occurred_at < @snap${mp.map((c) => ` AND ${c}`).join('')} UNION ALL `;
    const sql = `WITH t AS (
        SELECT ${keys}, SUM(qty) AS qty FROM (
          ${snapPart}SELECT ${mKeys}, qty FROM movements INDEXED BY ${movementIndex}
          WHERE occurred_at >= @snap AND occurred_at <= @at${mp.map((c) => ` AND ${c}`).join('')})
        GROUP BY ${keys} HAVING SUM(qty) != 0)
      SELECT t.product_id AS productId, p.sku, p.name, p.unit, p.scale, t.site_id AS siteId, s.code AS siteCode,
        ${byBatch ? "NULLIF(t.bin_id, 0) AS binId, b.code AS binCode, NULLIF(t.batch_id, 0) AS batchId, bt.code AS batchCode, bt.expiry" : 'NULL AS binId, NULL AS binCode, NULL AS batchId, NULL AS batchCode, NULL AS expiry'}, t.qty
      FROM t JOIN products p ON p.id = t.product_id JOIN sites s ON s.id = t.site_id AND s.kind != 'external'
      ${byBatch ? 'LEFT JOIN bins b ON b.id = t.bin_id LEFT JOIN batches bt ON bt.id = t.batch_id' : ''}
      ORDER BY p.sku, s.code${byBatch ? ', b.code, bt.code' : ''}`;
    const rows = this.db.prepare(sql).all(params) as StockAtDateRow[];
    const since = this.db
      .prepare(`SELECT COUNT(*) FROM movements INDEXED BY ${movementIndex} WHERE occurred_at >= @snap AND occurred_at <= @at${mp.map((c) => ` AND ${c}`).join('')}`)
      .pluck()
      .get(params) as number;
    return { at, snapshotAt: snap, movementsSince: since, rows, total: rows.length };
  }

  /** Cuts snapshots forward from the last one, at local midnights (business time zone) no later than now, every `spacing` movements. */
  private cutNew(): number {
    const zone = this.options.timeZone ?? businessTimeZone(this.db);
    const last = (this.stmt.lastDay.get() as number | null) ?? null;
    const counts = this.stmt.dailyCounts.all({ zone, from: last ?? -8.64e15 }) as { day: number; n: number }[];
    const now = this.clock();
    let prev = last;
    let acc = 0;
    let cut = 0;
    for (const { day, n } of counts) {
      acc += n;
      const next = startOfDay(dayOfNumber(day + 1), zone);
      if (acc < this.spacing || next > now) continue;
      this.stmt.cut.run({ prev: prev ?? -1, from: prev ?? -8.64e15, next });
      prev = next;
      acc = 0;
      cut++;
    }
    return cut;
  }
}
