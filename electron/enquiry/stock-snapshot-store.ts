import type Database from 'better-sqlite3';
import type { StockAtDateRow } from '../../shared/enquiry';
import { registerBusinessDay } from '../company/business-day-sql';

/** Movements per local day (business_day number) from an effective time on. */
export interface DailyCount {
  day: number;
  n: number;
}

/** What a "stock as at" read is narrowed to; `snap` is the snapshot it starts from (null: none, from the first movement). */
export interface StockAtQuery {
  at: number;
  snap: number | null;
  through: number;
  productId?: number | undefined;
  siteId?: number | undefined;
  byBatch: boolean;
}

/** The snapshots' state row: the last seq they account for and when they last changed (rises with every write). */
export interface SnapshotState {
  through: number;
  builtAt: number;
}

interface StockAtStatements {
  rows: Database.Statement;
  since: Database.Statement;
}

/**
 * The SQL of the daily stock snapshots (stock-snapshots.ts holds their rules): the snapshot rows and their state
 * (through_seq), and the movements they are cut, patched and read from. Statements are prepared once; a "stock as at"
 * read has one statement pair per shape (snapshot or none, product, site, level), prepared the first time it is asked.
 * No method opens a transaction: the caller's runs around them.
 */
export class StockSnapshotStore {
  private readonly stmt;
  private readonly stockAtStatements = new Map<string, StockAtStatements>();

  constructor(private readonly db: Database.Database) {
    registerBusinessDay(db);
    this.stmt = {
      through: db.prepare('SELECT through_seq FROM stock_snapshot_state WHERE id = 1').pluck(),
      setThrough: db.prepare(
        // built_at only ever rises, by at least 1 ms a write: with through_seq it tells a reader whether the snapshots
        // changed since it read them (a rebuild's changes apply only to the snapshots they were worked out from).
        `INSERT INTO stock_snapshot_state (id, through_seq, built_at) VALUES (1, ?, ?)
         ON CONFLICT (id) DO UPDATE SET through_seq = excluded.through_seq, built_at = MAX(excluded.built_at, stock_snapshot_state.built_at + 1)`,
      ),
      state: db.prepare('SELECT through_seq AS through, built_at AS builtAt FROM stock_snapshot_state WHERE id = 1'),
      cutRows: db.prepare('SELECT product_id, site_id, bin_id, batch_id, qty FROM stock_snapshots WHERE day_end = ?').raw(),
      dropCut: db.prepare('DELETE FROM stock_snapshots WHERE day_end = ?'),
      setRow: db.prepare(
        `INSERT INTO stock_snapshots (day_end, product_id, site_id, bin_id, batch_id, qty) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (day_end, product_id, site_id, bin_id, batch_id) DO UPDATE SET qty = excluded.qty`,
      ),
      deleteRow: db.prepare('DELETE FROM stock_snapshots WHERE day_end = ? AND product_id = ? AND site_id = ? AND bin_id = ? AND batch_id = ?'),
      head: db.prepare('SELECT COALESCE(MAX(seq), 0) FROM movements').pluck(),
      // Over the movements after `seq` only (a range of the primary key): on the occurred_at index SQLite would walk every
      // movement from the earliest on until it met one recorded after `seq`, the whole ledger when those are dated today.
      minOccSince: db.prepare('SELECT MIN(occurred_at) FROM movements NOT INDEXED WHERE seq > ? AND seq <= ?').pluck(),
      days: db.prepare(
        `WITH RECURSIVE d(x) AS (SELECT MIN(day_end) FROM stock_snapshots
           UNION ALL SELECT (SELECT MIN(day_end) FROM stock_snapshots WHERE day_end > d.x) FROM d WHERE d.x IS NOT NULL)
         SELECT x FROM d WHERE x IS NOT NULL`,
      ).pluck(),
      patch: db.prepare(
        `INSERT INTO stock_snapshots (day_end, product_id, site_id, bin_id, batch_id, qty)
         SELECT d.value, m.product_id, m.site_id, IFNULL(m.bin_id, 0), IFNULL(m.batch_id, 0), SUM(m.qty)
         FROM movements m JOIN json_each(@days) d ON m.occurred_at < d.value
         WHERE m.seq > @through AND m.seq <= @upTo GROUP BY 1, 2, 3, 4, 5
         ON CONFLICT (day_end, product_id, site_id, bin_id, batch_id) DO UPDATE SET qty = qty + excluded.qty`,
      ),
      dropZeros: db.prepare('DELETE FROM stock_snapshots WHERE qty = 0 AND day_end > ?'),
      dropFrom: db.prepare('DELETE FROM stock_snapshots WHERE day_end > ?'),
      lastDay: db.prepare('SELECT MAX(day_end) FROM stock_snapshots').pluck(),
      dailyCounts: db.prepare(
        `SELECT business_day(occurred_at, @zone) AS day, COUNT(*) AS n FROM movements INDEXED BY IDX_movements_occurred
         WHERE occurred_at >= @from AND occurred_at < @before GROUP BY day ORDER BY day`,
      ),
      countBetween: db.prepare('SELECT COUNT(*) FROM movements INDEXED BY IDX_movements_occurred WHERE occurred_at >= @from AND occurred_at < @before').pluck(),
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

  /** The last seq the snapshots account for (0: none yet). */
  throughSeq(): number {
    return (this.stmt.through.get() as number | undefined) ?? 0;
  }

  /** Records that the snapshots account for every movement up to `seq`, brought up to date at `builtAt`. */
  setThrough(seq: number, builtAt: number): void {
    this.stmt.setThrough.run(seq, builtAt);
  }

  /** The ledger's last seq (0: no movement). */
  headSeq(): number {
    return this.stmt.head.get() as number;
  }

  /** The earliest effective time of the movements recorded after `seq`, up to `upTo` (call only when there are some). */
  firstOccurredAfterSeq(seq: number, upTo: number): number {
    return this.stmt.minOccSince.get(seq, upTo) as number;
  }

  /** Every snapshot's day end, ascending. */
  dayEnds(): number[] {
    return this.stmt.days.all() as number[];
  }

  /** Adds the movements recorded after `through`, up to `upTo`, to the snapshots of `days` (each takes those effective before it). */
  patch(days: readonly number[], through: number, upTo: number): void {
    this.stmt.patch.run({ days: JSON.stringify(days), through, upTo });
  }

  /** Drops the zero rows of the snapshots after `dayEnd`. */
  dropZerosAfter(dayEnd: number): void {
    this.stmt.dropZeros.run(dayEnd);
  }

  /** Drops every snapshot after `dayEnd`. */
  dropAfter(dayEnd: number): void {
    this.stmt.dropFrom.run(dayEnd);
  }

  /** The last snapshot's day end (null: none). */
  lastDayEnd(): number | null {
    return (this.stmt.lastDay.get() as number | null) ?? null;
  }

  /** Movements per local day in `zone`, effective at or after `from` and before `before`, by day. */
  dailyCounts(zone: string, from: number, before = 8.64e15): DailyCount[] {
    return this.stmt.dailyCounts.all({ zone, from, before }) as DailyCount[];
  }

  /** How many movements are effective at or after `from` and before `before` (counted on the index alone). */
  countBetween(from: number, before: number): number {
    return this.stmt.countBetween.get({ from, before }) as number;
  }

  /** Cuts the snapshot at `next`: the one at `prev` (-1: none) plus the movements effective in [from, next). */
  cut(prev: number, from: number, next: number): void {
    this.stmt.cut.run({ prev, from, next });
  }

  /** The latest snapshot's day end at or before `at` (null: none). */
  snapshotAtOrBefore(at: number): number | null {
    return (this.stmt.snapshotFor.get(at) as number | null) ?? null;
  }

  /** Drops every snapshot and their state. */
  clear(): void {
    this.stmt.clearAll.run();
    this.stmt.clearState.run();
  }

  /** Drops every snapshot row; their state stays (setThrough next). */
  clearRows(): void {
    this.stmt.clearAll.run();
  }

  /** What the snapshots account for and when they last changed (null: never built); any write to them changes it. */
  state(): SnapshotState | null {
    return (this.stmt.state.get() as SnapshotState | undefined) ?? null;
  }

  /** One cut's rows as stored, five numbers each (product, site, bin or 0, batch or 0, qty). */
  cutRows(dayEnd: number): number[][] {
    return this.stmt.cutRows.all(dayEnd) as number[][];
  }

  /** Drops one cut. */
  dropCut(dayEnd: number): void {
    this.stmt.dropCut.run(dayEnd);
  }

  /** Sets rows of one cut (five numbers each), adding those not there. */
  setRows(dayEnd: number, rows: Float64Array): void {
    for (let i = 0; i < rows.length; i += 5) this.stmt.setRow.run(dayEnd, rows[i], rows[i + 1], rows[i + 2], rows[i + 3], rows[i + 4]);
  }

  /** Deletes rows of one cut by their keys (four numbers each: product, site, bin or 0, batch or 0). */
  deleteRows(dayEnd: number, keys: Float64Array): void {
    for (let i = 0; i < keys.length; i += 4) this.stmt.deleteRow.run(dayEnd, keys[i], keys[i + 1], keys[i + 2], keys[i + 3]);
  }

  /** Writes one cut's rows, five numbers each (product, site, bin or 0, batch or 0, qty). */
  insertCut(dayEnd: number, rows: Float64Array): void {
    for (let i = 0; i < rows.length; i += 5) this.stmt.insert.run(dayEnd, rows[i], rows[i + 1], rows[i + 2], rows[i + 3], rows[i + 4]);
  }

  /** Per product/site/bin or 0/batch or 0 ([product, site, bin, batch, qty]), the movements effective in [from, next). */
  movementsBetween(from: number, next: number): Iterable<number[]> {
    return this.stmt.between.iterate({ from, next }) as Iterable<number[]>;
  }

  /**
   * Stock as at `q.at` (inclusive): the snapshot at `q.snap` plus the movements recorded after it (seq past `q.through`)
   * effective before its day end, plus the movements effective from it to `q.at`; zero lines and external pseudo-sites
   * left out. Returns the lines and the count of movements read beyond the snapshot.
   */
  stockAt(q: StockAtQuery): { rows: StockAtDateRow[]; since: number } {
    const params: Record<string, number> = { at: q.at, snap: q.snap ?? 0, through: q.through };
    if (q.productId !== undefined) params.productId = q.productId;
    if (q.siteId !== undefined) params.siteId = q.siteId;
    const s = this.stockAtStatementsFor(q.snap !== null, q.productId !== undefined, q.siteId !== undefined, q.byBatch);
    return { rows: s.rows.all(params) as StockAtDateRow[], since: s.since.get(params) as number };
  }

  private stockAtStatementsFor(withSnapshot: boolean, byProduct: boolean, bySite: boolean, byBatch: boolean): StockAtStatements {
    const key = `${+withSnapshot}${+byProduct}${+bySite}${+byBatch}`;
    let s = this.stockAtStatements.get(key);
    if (s) return s;
    const sp: string[] = [];
    const mp: string[] = [];
    if (byProduct) {
      sp.push('product_id = @productId');
      mp.push('product_id = @productId');
    }
    if (bySite) {
      sp.push('site_id = @siteId');
      mp.push('site_id = @siteId');
    }
    const movementIndex = byProduct ? 'IDX_movements_product_occurred' : 'IDX_movements_occurred';
    const keys = byBatch ? 'product_id, site_id, bin_id, batch_id' : 'product_id, site_id';
    const mKeys = byBatch ? 'product_id, site_id, IFNULL(bin_id, 0) AS bin_id, IFNULL(batch_id, 0) AS batch_id' : 'product_id, site_id';
    const snapPart = !withSnapshot
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
      ORDER BY p.sku COLLATE NOCASE, s.code${byBatch ? ', b.code, bt.code' : ''}`;
    s = {
      rows: this.db.prepare(sql),
      since: this.db
        .prepare(`SELECT COUNT(*) FROM movements INDEXED BY ${movementIndex} WHERE occurred_at >= @snap AND occurred_at <= @at${mp.map((c) => ` AND ${c}`).join('')}`)
        .pluck(),
    };
    this.stockAtStatements.set(key, s);
    return s;
  }
}
