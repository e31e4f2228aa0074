import type Database from 'better-sqlite3';
import type { MovementFilter } from '../../shared/contract/enquiry.schemas';
import type { MovementCount, MovementCursor, MovementPage, MovementView } from '../../shared/enquiry';
import { movementType } from '../../shared/movement-types';
import { noteForReader } from '../../shared/counts';
import { ON_COSTS, type OnCostKind } from '../../shared/domain';
import { movementValue } from '../../shared/quantity';
import { isBackdated } from '../../shared/backdated';
import { businessTimeZone } from '../company/business-time-zone';
import { runNow } from '../ledger/steps';
import { BalanceOnDateStore } from './balance-on-date-store';
import { countMatches, type MovementCountRecords } from './count-refine';
import { resolveFilter, type ResolvedFilter } from './movement-filter';
import { KEY_COLUMNS, MOVEMENT_INDEX, MovementStore, movementSql, type ScanPart, type StatementCache } from './movement-store';

export { DETAIL_COLUMNS, DETAIL_JOINS, StatementCache } from './movement-store';

/** Drivers with fewer index entries than this are read whole and sorted; larger ones are read a time window at a time. */
export const WHOLE_CAP = 3_000;
/** Driver sizes are counted (index only) up to this many entries when choosing a plan. */
export const ESTIMATE_CAP = 20_000;
/**
 * A recorded range with fewer movements than this is read whole through IDX_movements_recorded and sorted (PostgreSQL's
 * RECORDED_FEW, the same 20,000, only materializes the range; beyond it the planner may choose the recorded index): it has no (recorded_at, occurred_at) order to walk, and the time walk checks recorded_at row by row
 * down from the newest movement, which passes most of the ledger when the range is far back (a day 100 days back on the
 * 1,000,006-movement demo ledger: 3,170 movements, 280,810 newer ones walked, p50 268 ms; whole: ~1 ms). Every range
 * counted under the drivers' ESTIMATE_CAP is read whole: that day on the 5,000,003-movement demo ledger holds 15,380
 * movements, walked p50 439 ms at the former 10,000, read whole and sorted 4.9 ms.
 */
export const RECORDED_WHOLE = ESTIMATE_CAP;

/**
 * How rows are found: one or more index scans (UNIONed), each with its own extra predicate.
 * - whole: the driver's entries are few; read them all and sort.
 * - merge: every part's index is (x, occurred_at) and nothing else is checked: one ORDER BY … LIMIT query per part,
 *   which SQLite runs as a merge of per-value index walks (it leaves each IN value once its rows can no longer make
 *   the page: 14,600 batches in ~5 ms).
 * - windowed: as merge, but other predicates must be checked on the table rows, which would defeat that early exit:
 *   read consecutive occurred_at windows (each a seek per IN value, SQLite sorting only the window's rows) until the
 *   page is full, growing the window as the density shows.
 * - time-walk: walk the occurred_at index, checking every predicate, until the page is full.
 */
interface Plan {
  name: string;
  mode: 'whole' | 'merge' | 'windowed' | 'time-walk';
  /** A part's batch list, document list ([id, occurred_at] in time order) or searched reference prefix (its documents walked in time order). */
  parts: (ScanPart & { batches?: readonly number[]; documents?: readonly (readonly [number, number])[]; reference?: string })[];
  /** Filter fields the parts' predicates already imply (their `where` entries are left out). */
  covers: string[];
}

export interface QueryTuning {
  /** Drivers with fewer entries than this are read whole (default WHOLE_CAP); 0 never reads whole. */
  wholeCap?: number;
  /** Always walk the occurred_at index (tests compare the plans). */
  timeWalk?: boolean;
  /** Read in time windows even where a plain merge would do (tests cover the windowed path). */
  noMerge?: boolean;
  /** Width in ms of the first window of a windowed plan (tests force tiny windows); default from the density. */
  firstWindow?: number;
  /** Batch (document) lists from this many batches (documents) on are read most recently moved (nearest) first (default PRUNE_FROM); 0 never. */
  pruneFrom?: number;
  /** Quants read before the first try of the most recently moved batches (default PRUNE_FIRST; tests force 1). */
  pruneFirst?: number;
  /** A search's reference prefix naming this many documents or more has them walked in time order (default REFERENCE_WALK_FROM); 0 never. */
  referenceWalkFrom?: number;
  /** A recorded range with fewer movements than this is read whole (default RECORDED_WHOLE; wholeCap 0 still never reads whole). */
  recordedWhole?: number;
}

/** A part's batch list this long is read most recently moved first when paging newest first. */
export const PRUNE_FROM = 256;
/** Quants read before the first try of the most recently moved batches (then four times as many each try). */
const PRUNE_FIRST = 64;

/** One found row of a page, in scan order. */
export interface PageKey {
  seq: number;
  occurredAt: number;
}

type Computed = 'typeName' | 'value' | 'onCosts' | 'onCostValue' | 'balanceOnDate' | 'backdated';
export type DetailRow = Omit<MovementView, Computed> & Record<`oc_${OnCostKind}`, number>;
type Row = DetailRow;

/**
 * A detail row as the UI shows it; `balanceOnDate` from BalanceOnDateStore (null: not asked for), `timeZone` the business
 * time zone. Built field by field: copying the statement's 40-column row object (spread, delete) cost ~15 µs a row.
 */
export function toView(r: Row, balanceOnDate: number | null, timeZone: string): MovementView {
  const onCosts = ON_COSTS.map((k) => r[`oc_${k}`]);
  let onCostValue = 0;
  for (const oc of onCosts) if (oc !== 0) onCostValue += movementValue(r.qty, oc, r.scale);
  return {
    seq: r.seq,
    productId: r.productId,
    sku: r.sku,
    productName: r.productName,
    unit: r.unit,
    scale: r.scale,
    siteId: r.siteId,
    siteCode: r.siteCode,
    binId: r.binId,
    binCode: r.binCode,
    type: r.type,
    typeName: typeName(r.type),
    qty: r.qty,
    balanceAfter: r.balanceAfter,
    balanceOnDate,
    backdated: isBackdated(r.occurredAt, r.recordedAt, timeZone),
    batchId: r.batchId,
    batchCode: r.batchCode,
    expiry: r.expiry,
    serial: r.serial,
    documentId: r.documentId,
    documentType: r.documentType,
    documentReference: r.documentReference,
    lineNo: r.lineNo,
    note: noteForReader(r.note),
    occurredAt: r.occurredAt,
    recordedAt: r.recordedAt,
    unitCost: r.unitCost,
    value: movementValue(r.qty, r.unitCost, r.scale),
    onCosts,
    onCostValue,
    costSource: r.costSource,
    userId: r.userId,
    userName: r.userName,
    reversalOf: r.reversalOf,
  };
}

/**
 * A page of rows in the order shown, with its cursors: `next` when more rows may follow, `prev` when rows lie before
 * it; `backward` when the rows are those just before `cursor` (paging back). Both stores' enquiries page this way.
 */
export function pageOf(rows: MovementView[], limit: number, backward: boolean, cursor: MovementCursor | undefined, plan: string): MovementPage {
  const first = rows[0];
  const last = rows[rows.length - 1];
  const full = rows.length === limit;
  const at = (r: MovementView | undefined) => (r ? { occurredAt: r.occurredAt, seq: r.seq } : null);
  return {
    rows,
    next: backward ? at(last) : full ? at(last) : null,
    prev: backward ? (full ? at(first) : null) : cursor ? at(first) : null,
    plan,
  };
}

/** The movement type's display name; the code itself for a type the catalogue does not know. */
export function typeName(code: string): string {
  try {
    return movementType(code).displayName;
  } catch {
    return code;
  }
}

/**
 * Movement enquiry over the append-only ledger in the deterministic (occurred_at, seq) order, keyset-paged both ways.
 * The plan is chosen once per filter from the drivers the filter offers (document, batch, product, search, expiry,
 * user, type, recorded range), each sized by an index-only count: a small driver is read whole and sorted; a large one
 * with an (x, occurred_at) index is read in occurred_at windows; without a driver we walk the occurred_at index.
 */
export class MovementQuery implements MovementCountRecords {
  readonly resolved: ResolvedFilter;
  readonly plan: Plan | null;
  private readonly filter: MovementFilter;
  private readonly store: MovementStore;
  private readonly wholeCap: number;
  /** Window width (ms) that last filled a page; the next page starts from it. */
  private width = 0;
  private bounds: { min: number; max: number; total: number } | null = null;

  constructor(
    private readonly db: Database.Database,
    filter: MovementFilter,
    private readonly cache: StatementCache,
    private readonly tuning: QueryTuning = {},
  ) {
    this.wholeCap = tuning.wholeCap ?? WHOLE_CAP;
    this.filter = filter;
    this.store = new MovementStore(db, cache);
    this.resolved = resolveFilter(this.store, filter, tuning.referenceWalkFrom);
    this.plan = this.resolved.empty ? null : tuning.timeWalk ? TIME_WALK : this.choosePlan(filter);
  }

  /**
   * One page in `order`, after (or before) a cursor. The balance on that date is computed only when asked for (its
   * column is shown); otherwise every row's is null.
   */
  page(order: 'asc' | 'desc', limit: number, after?: MovementCursor, before?: MovementCursor, { balanceOnDate = true } = {}): MovementPage {
    if (!this.plan) return { rows: [], next: null, prev: null, plan: 'empty' };
    const backward = before !== undefined;
    const cursor = before ?? after;
    const keys = this.keys(order, limit, after, before);
    const raw = keys.length ? (this.details(keys.map((k) => k.seq)) as Row[]) : [];
    if (backward) raw.reverse();
    const balances = raw.length && balanceOnDate ? this.balanceStore().balances(raw) : null;
    const timeZone = raw.length ? this.timeZone() : '';
    const rows = raw.map((r) => toView(r, balances ? balances.get(r.seq)! : null, timeZone));
    return pageOf(rows, limit, backward, cursor, `${this.plan.name}/${this.plan.mode}`);
  }

  /** Balances on that date, remembering each product/site's last rows so the next page (or export chunk) continues from them. */
  balanceStore(): BalanceOnDateStore {
    return (this.onDate ??= new BalanceOnDateStore((sql) => this.cache.get(sql)));
  }

  /** The business time zone the backdated rule reads days in (the company setting, read once per query). */
  timeZone(): string {
    return (this.zone ??= businessTimeZone(this.db));
  }

  private onDate: BalanceOnDateStore | null = null;
  private zone: string | null = null;

  /** The next `limit` keys in scan order: `order`, or reversed when paging back from `before`. */
  keys(order: 'asc' | 'desc', limit: number, after?: MovementCursor, before?: MovementCursor): PageKey[] {
    if (!this.plan) return [];
    const docs = this.longDocumentPart();
    return docs < 0 ? this.batchesFirst(order, limit, after, before, []) : this.nearestDocumentsFirst(docs, order, limit, after, before);
  }

  /** `scan` with `swaps`, a long batch list read most recently moved first when paging newest first. */
  private batchesFirst(order: 'asc' | 'desc', limit: number, after: MovementCursor | undefined, before: MovementCursor | undefined, swaps: Swap[]): PageKey[] {
    const desc = (order === 'desc') !== (before !== undefined);
    const long = desc ? this.longBatchPart() : -1;
    return long < 0 ? this.scan(order, limit, after, before, swaps) : this.recentBatchesFirst(long, order, limit, after, before, swaps);
  }

  /**
   * A long document list (a supplier's receipts, a broad reference prefix) without a seek of every document's
   * movements: a document's movements all have its effective time, so the page is read over the documents nearest the
   * cursor in scan order only (those past it have no row on the page), taking four times as many each try, until its
   * last row lies beyond every document not yet taken (so none of them can have a row on it), or none is left. The
   * documents come from the part's list (in time order) and, for a broad reference prefix, from the documents walked
   * in time order from the cursor (never listed whole).
   */
  private nearestDocumentsFirst(part: number, order: 'asc' | 'desc', limit: number, after?: MovementCursor, before?: MovementCursor): PageKey[] {
    const desc = (order === 'desc') !== (before !== undefined);
    const nearest = this.documentsNearest(part, desc, (before ?? after)?.occurredAt ?? null);
    for (let want = this.tuning.pruneFirst ?? PRUNE_FIRST; ; want *= 4) {
      const { taken, frontier } = nearest(want);
      const keys = this.batchesFirst(order, limit, after, before, [{ part, pred: taken.length ? movementSql.documentsIn(taken) : null }]);
      if (frontier === null) return keys;
      const last = keys[limit - 1];
      if (last && (desc ? last.occurredAt > frontier : last.occurredAt < frontier)) return keys;
    }
  }

  /**
   * The part's documents nearest `from` (null: the newest or oldest) in scan order, `want` at a time: their ids and the
   * time of the first one not taken (null: none is left). Documents at `from` itself are taken (their rows may lie past
   * the cursor's seq).
   */
  private documentsNearest(part: number, desc: boolean, from: number | null): (want: number) => { taken: number[]; frontier: number | null } {
    const { documents: docs = [], reference } = this.plan!.parts[part]!;
    // Documents in scan order from the cursor: desc walks the list down from the last one at or before the cursor's time.
    let at: number;
    if (desc) {
      at = docs.length - 1;
      if (from !== null) while (at >= 0 && docs[at]![1] > from) at--;
    } else {
      at = 0;
      if (from !== null) while (at < docs.length && docs[at]![1] < from) at++;
    }
    const step = desc ? -1 : 1;
    return (want) => {
      const near: (readonly [number, number])[] = [];
      for (let i = at; near.length <= want && i >= 0 && i < docs.length; i += step) near.push(docs[i]!);
      if (reference !== undefined) {
        near.push(...this.store.documentsByReference(reference, desc, from, want + 1));
        near.sort((x, y) => (desc ? y[1] - x[1] : x[1] - y[1]));
      }
      return { taken: near.slice(0, want).map(([id]) => id), frontier: near.length > want ? near[want]![1] : null };
    };
  }

  /**
   * The next `limit` movements after a cursor, oldest first, as raw arrays of `columns` (which start with
   * `m.seq, m.occurred_at AS occurredAt`): the keys' plan reading the rows themselves, one ordered read (exports).
   */
  rows(columns: string, limit: number, after?: MovementCursor): unknown[][] {
    if (!this.plan) return [];
    return this.scan('asc', limit, after, undefined, [], columns, true) as unknown as unknown[][];
  }

  /**
   * Newest first over a long batch list (a broad batch-code search, an expiry range), without one seek per batch: the
   * batches' quants are read most recently moved first (a quant's last_movement_at is the latest effective time of its
   * movements, kept by the writer), and the page is read over those batches only, taking four times as many quants
   * each try, until its last row is newer than every batch not yet taken (so none of them can have a row on it), or
   * the quants are all read. Past as many quants as the list has batches, the whole list is read as before.
   */
  private recentBatchesFirst(part: number, order: 'asc' | 'desc', limit: number, after: MovementCursor | undefined, before: MovementCursor | undefined, swaps: Swap[]): PageKey[] {
    const all = this.plan!.parts[part]!.batches!;
    const recent = this.store.recentBatches(all);
    try {
      const taken = new Set<number>();
      let read = 0;
      for (let want = this.tuning.pruneFirst ?? PRUNE_FIRST; ; want *= 4) {
        let frontier = -Infinity;
        let done = false;
        while (read < want) {
          const next = recent.next();
          if (next.done) {
            done = true;
            break;
          }
          read++;
          taken.add(next.value[0]);
          frontier = next.value[1];
        }
        if (!done && read > all.length) return this.scan(order, limit, after, before, swaps);
        const keys = this.scan(order, limit, after, before, [...swaps, { part, pred: taken.size ? movementSql.batchesIn([...taken]) : null }]);
        if (done || (keys.length === limit && keys[limit - 1]!.occurredAt > frontier)) return keys;
      }
    } finally {
      recent.return?.();
    }
  }

  /** The plan part whose batch list is long enough to be read most recently moved first (newest first only); -1: none. */
  private longBatchPart(): number {
    const from = this.tuning.pruneFrom ?? PRUNE_FROM;
    if (!this.plan || from <= 0 || this.plan.mode === 'whole') return -1;
    return this.plan.parts.findIndex((p) => (p.batches?.length ?? 0) >= from);
  }

  /** The plan part whose document list is long enough to be read nearest the cursor first (either order); -1: none. */
  private longDocumentPart(): number {
    const from = this.tuning.pruneFrom ?? PRUNE_FROM;
    if (!this.plan || from <= 0 || this.plan.mode === 'whole') return -1;
    return this.plan.parts.findIndex((p) => (p.documents?.length ?? 0) >= from || p.reference !== undefined);
  }

  /** `keys`, with parts' predicates replaced (null: the part left out); `columns` as raw arrays when `raw` (exports). */
  private scan(order: 'asc' | 'desc', limit: number, after?: MovementCursor, before?: MovementCursor, swaps: Swap[] = [], columns = KEY_COLUMNS, raw = false): PageKey[] {
    if (this.parts(swaps).length === 0) return [];
    const cursor = before ?? after;
    const desc = (order === 'desc') !== (before !== undefined);
    const params: Record<string, number | string> = { ...this.resolved.params };
    const extra: string[] = [];
    if (cursor) {
      extra.push(movementSql.pastCursor(desc));
      params.cOcc = cursor.occurredAt;
      params.cSeq = cursor.seq;
    }
    const tail = movementSql.ordered(desc);
    if (this.plan!.mode !== 'windowed') {
      return this.store.reader(this.selectSql(extra, tail, swaps, columns), raw)({ ...params, limit }) as PageKey[];
    }
    // Windows (lo, hi] going down in time, or [lo, hi) going up; each returns its rows sorted, after all earlier ones.
    extra.push(movementSql.window(desc));
    const read = this.store.reader(this.selectSql(extra, tail, swaps, columns), raw);
    const b = this.ledgerBounds();
    const f = this.filter.occurred;
    let edge = cursor?.occurredAt ?? (desc ? Math.min(f?.to ?? b.max, b.max) : Math.max(f?.from ?? b.min, b.min));
    const stop = desc ? Math.max(f?.from ?? b.min, b.min) : Math.min(f?.to ?? b.max, b.max);
    let width = this.width || this.tuning.firstWindow || this.firstWidth(limit);
    const out: unknown[] = [];
    for (;;) {
      const [wLo, wHi] = desc ? [edge - width, edge] : [edge, edge + width];
      const got = read({ ...params, wLo, wHi, limit: limit - out.length });
      for (const k of got) out.push(k);
      if (out.length >= limit) break;
      if (desc ? wLo < stop : wHi > stop) break;
      edge = desc ? wLo : wHi;
      // Grow towards the width that would fill the rest of the page at the density seen, at least ×2, at most ×16.
      const need = limit - out.length;
      width = Math.min(MAX_WIDTH, width * (got.length === 0 ? 16 : Math.min(16, Math.max(2, (need / got.length) * 1.5))));
    }
    if (!this.tuning.firstWindow) this.width = width;
    return out as PageKey[];
  }

  /** Detail rows (joined names) for seqs, in the given order; arrays of the columns when `raw`. */
  details(seqs: number[], raw = false): unknown[] {
    return this.store.details(seqs, raw);
  }

  /** Names of the detail columns, in the positions `details(seqs, true)` returns them. */
  detailColumns(): string[] {
    return this.store.detailColumns();
  }

  /** Exact count up to `cap`; `exact: false` means "more than cap" (count-refine.ts countMatches). */
  count(cap: number): MovementCount {
    return runNow(countMatches(this, cap, () => this.store.head()));
  }

  /** True when nothing can match (no plan: a resolved set is empty). */
  matchesNothing(): boolean {
    return !this.plan;
  }

  /** True when no predicate narrows. */
  matchesAll(): boolean {
    return this.resolved.unfiltered;
  }

  /** The matches counted up to `limit`, over the plan's driver. */
  countUpTo(limit: number): number {
    return this.store.countScan(this.parts(), this.uncovered(), this.resolved.params, limit);
  }

  /**
   * Counts the matches among movements seq in [from, to] (a slice of the table; rowid range), for a count refined in
   * the background slice by slice.
   */
  countSlice(from: number, to: number): number {
    if (!this.plan) return 0;
    return this.store.countSlice(this.resolved.where, this.resolved.params, from, to);
  }

  /** SQLite's plan (EXPLAIN QUERY PLAN details) for the keys of a first page, newest first (tests hold the plans to it). */
  queryPlan(): string[] {
    if (!this.plan) return [];
    const extra = this.plan.mode === 'windowed' ? [movementSql.window(true)] : [];
    const sql = this.selectSql(extra, movementSql.ordered(true));
    const long = this.longBatchPart();
    return this.store.queryPlan(sql, { ...this.resolved.params, wLo: 0, wHi: 0, limit: 1 }, long < 0 ? undefined : this.plan.parts[long]!.batches!);
  }

  /** The filter's predicates that the plan's driver does not imply. */
  private uncovered(): string[] {
    const covers = this.plan?.covers ?? [];
    return this.resolved.where.filter((_, i) => !covers.includes(this.resolved.whereKeys[i]!));
  }

  /** The plan's parts, some swapped for a read (a part's predicate replaced, or the part left out when null). */
  private parts(swaps: readonly Swap[] = []): ScanPart[] {
    return this.plan!.parts.flatMap((part, i) => {
      const swap = swaps.find((x) => x.part === i);
      return !swap ? [part] : swap.pred === null ? [] : [{ ...part, pred: swap.pred }];
    });
  }

  /** The read of the plan's (swapped) parts with the uncovered predicates and `extra`, cut by `tail` (movement-store). */
  private selectSql(extra: string[], tail: string, swaps: readonly Swap[] = [], columns = KEY_COLUMNS): string {
    return this.store.scanSql(this.parts(swaps), this.uncovered(), extra, tail, columns);
  }

  private ledgerBounds(): { min: number; max: number; total: number } {
    if (!this.bounds) {
      this.bounds = this.store.bounds();
    }
    return this.bounds;
  }

  /** A first window expected to hold about 1.5 pages of the driver: from its size when counted, else from the ledger's. */
  private firstWidth(limit: number): number {
    const b = this.ledgerBounds();
    const span = Math.max(1, b.max - b.min);
    const n = this.driverSize < ESTIMATE_CAP ? this.driverSize : b.total;
    return Math.max(1, Math.ceil((span * limit * 1.5) / Math.max(1, n)));
  }

  private driverSize = ESTIMATE_CAP;

  private choosePlan(f: MovementFilter): Plan {
    const r = this.resolved;
    const occ: string[] = [];
    if (f.occurred?.from !== undefined) occ.push(movementSql.atLeast('occurred_at', 'occFrom'));
    if (f.occurred?.to !== undefined) occ.push(movementSql.atMost('occurred_at', 'occTo'));
    const withOcc = (p: string) => movementSql.allOf([p, ...occ]);
    // Candidates in order of preference when sizes tie at the cap; `timed` ones have an (x, occurred_at) index.
    const candidates: { plan: Omit<Plan, 'mode'>; timed: boolean; estimate: () => number; wholeCap?: number }[] = [];
    const single = (name: string, covers: string[], index: string, pred: string, timed: boolean, estPred = pred) =>
      candidates.push({ plan: { name, covers, parts: [{ index, pred }] }, timed, estimate: () => this.estimate(index, estPred) });
    // Every batch has a movement (the writer makes a batch with its first one): a list of wholeCap batches or more is never
    // read whole, and is not counted (one seek per batch).
    const longList = (list: readonly unknown[]) => list.length >= this.wholeCap;
    if (f.documentId !== undefined) single('document', ['documentId'], MOVEMENT_INDEX.document, movementSql.equals('document_id', 'documentId'), false);
    // A product (or the products a search names, when it names no batch) with types: one walk per product and type.
    const types = f.types?.length ? movementSql.typesIn(f.types) : null;
    if (types && f.productId !== undefined) {
      const p = movementSql.allOf([movementSql.equals('product_id', 'productId'), types]);
      single('product+type', ['productId', 'types'], MOVEMENT_INDEX.productType, p, true, withOcc(p));
    }
    if (types && r.searchProducts?.length && r.searchBatches?.length === 0 && r.searchSerials?.length === 0 && r.searchDocuments?.length === 0) {
      const p = movementSql.allOf([movementSql.productsIn(r.searchProducts), types]);
      single('search+type', ['search', 'types'], MOVEMENT_INDEX.productType, p, true, withOcc(p));
    }
    const byBatch = movementSql.equals('batch_id', 'batchId');
    if (f.batchId !== undefined) single('batch', ['batchId'], MOVEMENT_INDEX.batch, byBatch, true, withOcc(byBatch));
    const byProduct = movementSql.equals('product_id', 'productId');
    if (f.productId !== undefined) single('product', ['productId'], MOVEMENT_INDEX.product, byProduct, true, withOcc(byProduct));
    if (r.expiryBatches) {
      const p = movementSql.batchesIn(r.expiryBatches);
      single('expiry', ['expiry'], MOVEMENT_INDEX.batch, p, true, withOcc(p));
      const expiry = candidates[candidates.length - 1]!;
      expiry.plan.parts[0]!.batches = r.expiryBatches;
      if (longList(r.expiryBatches)) expiry.estimate = () => ESTIMATE_CAP;
    }
    if (r.searchProducts && r.searchBatches && r.searchSerials && r.searchDocuments) {
      const parts: Plan['parts'] = [];
      if (r.searchProducts.length) parts.push({ index: MOVEMENT_INDEX.product, pred: movementSql.productsIn(r.searchProducts) });
      if (r.searchBatches.length) parts.push({ index: MOVEMENT_INDEX.batch, pred: movementSql.batchesIn(r.searchBatches), batches: r.searchBatches });
      // A serial unit has a handful of movements (received, moved, sold, returned): one seek of its index each.
      if (r.searchSerials.length) parts.push({ index: MOVEMENT_INDEX.serial, pred: movementSql.serialsIn(r.searchSerials) });
      // A document's movements by the document index (not in time order: a long list is read nearest the cursor first).
      // A broad reference prefix's documents are walked in time order, never listed (movement-filter.ts).
      const docs = r.searchDocuments;
      const ref = r.searchReference;
      const docPreds = [...(docs.length ? [movementSql.documentsIn(docs.map(([id]) => id))] : []), ...(ref !== null ? [movementSql.documentsReferenced()] : [])];
      if (docPreds.length) parts.push({ index: MOVEMENT_INDEX.document, pred: movementSql.anyOf(docPreds), documents: docs, ...(ref !== null ? { reference: ref } : {}) });
      const long = longList(r.searchBatches) || longList(r.searchSerials) || longList(docs) || ref !== null;
      candidates.push({
        plan: { name: 'search', covers: ['search'], parts },
        timed: true,
        estimate: () => (long ? ESTIMATE_CAP : Math.min(ESTIMATE_CAP, parts.reduce((n, p) => n + this.estimate(p.index, withOcc(p.pred!)), 0))),
      });
    }
    const byUser = movementSql.equals('user_id', 'userId');
    if (f.userId !== undefined) single('user', ['userId'], MOVEMENT_INDEX.user, byUser, true, withOcc(byUser));
    if (types) single('type', ['types'], MOVEMENT_INDEX.type, types, true, withOcc(types));
    if (f.recorded?.from !== undefined || f.recorded?.to !== undefined) {
      const rec = [f.recorded.from !== undefined ? movementSql.atLeast('recorded_at', 'recFrom') : null, f.recorded.to !== undefined ? movementSql.atMost('recorded_at', 'recTo') : null];
      single('recorded', ['recFrom', 'recTo'], MOVEMENT_INDEX.recorded, movementSql.allOf(rec.filter((x) => x !== null)), false);
      candidates[candidates.length - 1]!.wholeCap = this.wholeCap === 0 ? 0 : (this.tuning.recordedWhole ?? RECORDED_WHOLE);
    }
    let whole: { plan: Omit<Plan, 'mode'>; n: number } | null = null;
    let timed: { plan: Omit<Plan, 'mode'>; n: number } | null = null;
    const sized: string[][] = [];
    for (const c of candidates) {
      // A driver implying every field of one already sized finds at least as many entries: it cannot win.
      if (sized.some((covers) => c.plan.covers.every((k) => covers.includes(k)))) continue;
      sized.push(c.plan.covers);
      const n = c.estimate();
      if (n < (c.wholeCap ?? this.wholeCap) && (!whole || n < whole.n)) whole = { plan: c.plan, n };
      if (whole && whole.n <= 500) break;
      if (c.timed && (!timed || n < timed.n)) timed = { plan: c.plan, n };
    }
    if (whole) return { ...whole.plan, mode: 'whole' };
    if (timed) {
      this.driverSize = timed.n;
      // Only the occurred range (served by the index) left to check: SQLite merges the per-value walks itself.
      const left = r.whereKeys.filter((k) => !timed.plan.covers.includes(k) && k !== 'occFrom' && k !== 'occTo');
      return { ...timed.plan, mode: left.length === 0 && !this.tuning.noMerge ? 'merge' : 'windowed' };
    }
    return TIME_WALK;
  }

  /** Index entries the driver would read, counted up to ESTIMATE_CAP (index-only, so cheap). */
  private estimate(index: string, pred: string): number {
    return this.store.countDriver(index, pred, this.resolved.params, ESTIMATE_CAP);
  }
}

/** One plan part's predicate replaced for a read (null: the part left out). */
interface Swap {
  part: number;
  pred: string | null;
}

/** Wider than any ledger's time span (about 285,000 years in ms). */
const MAX_WIDTH = 9e15;

const TIME_WALK: Plan = { name: 'time-walk', mode: 'time-walk', parts: [{ index: MOVEMENT_INDEX.occurred, pred: null }], covers: [] };
