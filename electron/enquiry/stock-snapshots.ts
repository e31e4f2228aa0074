import type Database from 'better-sqlite3';
import { dayOfNumber, dayStart, startOfDay } from '../../shared/business-time';
import type { StockAtDateResult } from '../../shared/enquiry';
import { businessTimeZone } from '../company/business-time-zone';
import { StockSnapshotStore, type SnapshotState } from './stock-snapshot-store';

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

/** How to turn the snapshots as a reader found them (`base`, null: never built) into a build: see StockSnapshots.changesTo. */
export interface SnapshotChanges {
  base: SnapshotState | null;
  /** Cuts the build no longer has. */
  drop: number[];
  /** Per cut: rows to set (five numbers each) and rows to delete (four: product, site, bin or 0, batch or 0). */
  cuts: { dayEnd: number; set: Float64Array; remove: Float64Array }[];
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
  private readonly store: StockSnapshotStore;

  constructor(private readonly db: Database.Database, private readonly options: SnapshotOptions = {}) {
    this.spacing = options.spacing ?? 100_000;
    this.patchLimit = options.patchLimit ?? 50_000;
    this.clock = options.clock ?? Date.now;
    this.store = new StockSnapshotStore(db);
  }

  /**
   * How far the snapshots trail the ledger: the movements not folded in yet, and whether `refresh()` would stay small on
   * the writer (a patch of at most `cheapLimit` movements onto snapshots already built, or a first cut of at most
   * `spacing` movements). A bigger catch-up belongs to the rebuild, computed off the writer in a job thread.
   */
  lag(cheapLimit: number = this.patchLimit): { unseen: number; cheap: boolean } {
    const through = this.store.throughSeq();
    const head = this.store.headSeq();
    const unseen = head - through;
    return { unseen, cheap: unseen <= Math.min(cheapLimit, this.patchLimit) && (through > 0 || head <= this.spacing) };
  }

  /**
   * Folds movements posted since the last refresh into the snapshots and cuts new ones. Returns what it did. With
   * `most`, it folds at most that many (by recording order: the next `most` seqs), so one call's work on the writer is
   * bounded; the snapshots then account for the movements up to that seq, and new cuts wait until a call has folded
   * up to the head (a cut is the previous one plus every movement effective between them).
   */
  refresh(most = Infinity): { patched: number; dropped: boolean; cut: number; folded: number; behind: number } {
    return this.db.transaction(() => {
      const through = this.store.throughSeq();
      const head = this.store.headSeq();
      if (head === through) return { patched: 0, dropped: false, cut: 0, folded: 0, behind: 0 };
      const upTo = Math.min(head, through + most);
      const minOcc = this.store.firstOccurredAfterSeq(through, upTo);
      const unseen = upTo - through;
      let dropped = false;
      let patched = 0;
      if (unseen > this.patchLimit) {
        this.store.dropAfter(minOcc);
        dropped = true;
      } else {
        const days = this.store.dayEnds().filter((d) => d > minOcc);
        if (days.length > 0) {
          this.store.patch(days, through, upTo);
          this.store.dropZerosAfter(minOcc);
          patched = days.length;
        }
      }
      const cut = upTo === head ? this.cutNew() : 0;
      this.store.setThrough(upTo, this.clock());
      return { patched, dropped, cut, folded: unseen, behind: head - upTo };
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
    const head = this.store.headSeq();
    const zone = this.options.timeZone ?? businessTimeZone(this.db);
    const counts = this.store.dailyCounts(zone, -8.64e15);
    const now = this.clock();
    const levels = new Map<string, number[]>();
    const cuts: SnapshotCut[] = [];
    let from = -8.64e15;
    let acc = 0;
    for (const { day, n } of counts) {
      acc += n;
      const next = startOfDay(dayOfNumber(day + 1), zone);
      if (acc < this.spacing || next > now) continue;
      for (const r of this.store.movementsBetween(from, next)) {
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

  /**
   * What turns the snapshots as stored now into `build` (reading only: a job thread works it out on the same read
   * snapshot as the build): the cuts to drop, and per cut the rows to set and the rows to delete. A rebuild mostly
   * finds the older cuts as they were, so the writer's swap touches only the rows that differ.
   */
  changesTo(build: SnapshotBuild): SnapshotChanges {
    const base = this.store.state();
    const wanted = new Set(build.cuts.map((c) => c.dayEnd));
    const drop = this.store.dayEnds().filter((d) => !wanted.has(d));
    const cuts: SnapshotChanges['cuts'] = [];
    for (const { dayEnd, rows } of build.cuts) {
      const stored = new Map<string, number>();
      for (const r of this.store.cutRows(dayEnd)) stored.set(`${r[0]}:${r[1]}:${r[2]}:${r[3]}`, r[4]!);
      const set: number[] = [];
      for (let i = 0; i < rows.length; i += 5) {
        const key = `${rows[i]}:${rows[i + 1]}:${rows[i + 2]}:${rows[i + 3]}`;
        if (stored.get(key) !== rows[i + 4]) set.push(rows[i]!, rows[i + 1]!, rows[i + 2]!, rows[i + 3]!, rows[i + 4]!);
        stored.delete(key);
      }
      const remove: number[] = [];
      for (const key of stored.keys()) remove.push(...key.split(':').map(Number));
      if (set.length > 0 || remove.length > 0) cuts.push({ dayEnd, set: Float64Array.from(set), remove: Float64Array.from(remove) });
    }
    return { base, drop, cuts };
  }

  /**
   * Replaces every snapshot with a build (one transaction on the writer); it accounts for movements up to its head.
   * Given the changes worked out from the snapshots as they were (changesTo), and the snapshots have not changed since
   * (their state row is the same: every write to them moves it), only those changes are written; otherwise every row
   * is written again. Returns the cuts.
   */
  replace(build: SnapshotBuild, builtAt: number, changes?: SnapshotChanges): number {
    return this.db.transaction(() => {
      const now = this.store.state();
      if (changes?.base && now && changes.base.through === now.through && changes.base.builtAt === now.builtAt) {
        for (const dayEnd of changes.drop) this.store.dropCut(dayEnd);
        for (const { dayEnd, set, remove } of changes.cuts) {
          this.store.deleteRows(dayEnd, remove);
          this.store.setRows(dayEnd, set);
        }
      } else {
        this.store.clearRows();
        for (const { dayEnd, rows } of build.cuts) this.store.insertCut(dayEnd, rows);
      }
      this.store.setThrough(build.head, builtAt);
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
    const through = this.store.throughSeq();
    const snap = this.store.snapshotAtOrBefore(at);
    const byBatch = (o.level ?? 'batch') === 'batch';
    const { rows, since } = this.store.stockAt({ at, snap, through, productId: o.productId, siteId: o.siteId, byBatch });
    return { at, snapshotAt: snap, movementsSince: since, rows, total: rows.length };
  }

  /** Cuts snapshots forward from the last one, at local midnights (business time zone) no later than now, every `spacing` movements. */
  private cutNew(): number {
    const zone = this.options.timeZone ?? businessTimeZone(this.db);
    const last = this.store.lastDayEnd();
    const now = this.clock();
    // Only a day before today can end in a cut (its midnight has passed), so today's and later movements never count. A
    // cut needs `spacing` of them: counted on the index first, and only then grouped by day (a call per row): the refresh
    // runs on the writer, and a busy day's movements (an import of thousands) must not be walked row by row every tick.
    const today = dayStart(now, zone);
    if (this.store.countBetween(last ?? -8.64e15, today) < this.spacing) return 0;
    const counts = this.store.dailyCounts(zone, last ?? -8.64e15, today);
    let prev = last;
    let acc = 0;
    let cut = 0;
    for (const { day, n } of counts) {
      acc += n;
      const next = startOfDay(dayOfNumber(day + 1), zone);
      if (acc < this.spacing || next > now) continue;
      this.store.cut(prev ?? -1, prev ?? -8.64e15, next);
      prev = next;
      acc = 0;
      cut++;
    }
    return cut;
  }
}
