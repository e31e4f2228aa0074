import type Database from 'better-sqlite3';
import type { MovementFilter } from '../../shared/contract/enquiry.schemas';
import type { MovementCount, MovementCursor, MovementPage, MovementView } from '../../shared/enquiry';
import { movementType } from '../../shared/movement-types';
import { ON_COSTS, type OnCostKind } from '../../shared/domain';
import { movementValue } from '../../shared/quantity';
import { isBackdated } from '../../shared/backdated';
import { businessTimeZone } from '../company/business-time-zone';
import { BalanceOnDateStore } from './balance-on-date-store';
import { inList, resolveFilter, type ResolvedFilter } from './movement-filter';

/** Drivers with fewer index entries than this are read whole and sorted; larger ones are read a time window at a time. */
export const WHOLE_CAP = 3_000;
/** Driver sizes are counted (index only) up to this many entries when choosing a plan. */
export const ESTIMATE_CAP = 20_000;

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
  parts: { index: string; pred: string | null; batches?: readonly number[] }[];
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
  /** Batch lists from this many batches on are read most recently moved first (default PRUNE_FROM); 0 never. */
  pruneFrom?: number;
  /** Quants read before the first try of the most recently moved batches (default PRUNE_FIRST; tests force 1). */
  pruneFirst?: number;
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

export const DETAIL_COLUMNS = `m.seq, m.product_id AS productId, p.sku, p.name AS productName, p.unit, p.scale, m.site_id AS siteId, s.code AS siteCode,
  m.bin_id AS binId, b.code AS binCode, m.type, m.qty, m.balance_after AS balanceAfter, m.batch_id AS batchId, bt.code AS batchCode,
  bt.expiry, su.serial, m.document_id AS documentId, d.type AS documentType, d.reference AS documentReference, m.line_no AS lineNo,
  m.note, m.occurred_at AS occurredAt, m.recorded_at AS recordedAt, m.unit_cost AS unitCost, m.cost_source AS costSource,
  m.user_id AS userId, u.display_name AS userName, m.reversal_of AS reversalOf, ${ON_COSTS.map((k) => `m.oc_${k} AS oc_${k}`).join(', ')}`;

export const DETAIL_JOINS = `JOIN products p ON p.id = m.product_id JOIN sites s ON s.id = m.site_id LEFT JOIN bins b ON b.id = m.bin_id
  LEFT JOIN batches bt ON bt.id = m.batch_id LEFT JOIN serial_units su ON su.id = m.serial_id
  JOIN documents d ON d.id = m.document_id JOIN users u ON u.id = m.user_id`;

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
    note: r.note,
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
export class MovementQuery {
  readonly resolved: ResolvedFilter;
  readonly plan: Plan | null;
  private readonly filter: MovementFilter;
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
    this.resolved = resolveFilter(db, filter);
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
    const first = rows[0];
    const last = rows[rows.length - 1];
    const full = rows.length === limit;
    const at = (r: MovementView | undefined) => (r ? { occurredAt: r.occurredAt, seq: r.seq } : null);
    return {
      rows,
      next: backward ? at(last) : full ? at(last) : null,
      prev: backward ? (full ? at(first) : null) : cursor ? at(first) : null,
      plan: `${this.plan.name}/${this.plan.mode}`,
    };
  }

  /** Balances on that date, remembering each product/site's last rows so the next page (or export chunk) continues from them. */
  balanceStore(): BalanceOnDateStore {
    return (this.onDate ??= new BalanceOnDateStore((sql) => this.cache.get(sql)));
  }

  /** The business time zone the backdated rule reads days in (the company setting, read once per query). */
  timeZone(): string {
    return (this.zone ??= businessTimeZone(this.db));
  }

  /**
   * Whether the filter keeps every movement of each product/site it lists (none, or only product, site and effective
   * time): then consecutive ascending chunks hold each product/site's whole history from its first row on.
   */
  completeHistories(): boolean {
    return this.resolved.whereKeys.every((k) => k === 'productId' || k === 'siteId' || k === 'occFrom' || k === 'occTo');
  }

  private onDate: BalanceOnDateStore | null = null;
  private zone: string | null = null;

  /** The next `limit` keys in scan order: `order`, or reversed when paging back from `before`. */
  keys(order: 'asc' | 'desc', limit: number, after?: MovementCursor, before?: MovementCursor): PageKey[] {
    if (!this.plan) return [];
    const desc = (order === 'desc') !== (before !== undefined);
    const long = desc ? this.longBatchPart() : -1;
    return long < 0 ? this.scan(order, limit, after, before) : this.recentBatchesFirst(long, order, limit, after, before);
  }

  /**
   * The next `limit` movements after a cursor, oldest first, as raw arrays of `columns` (which start with
   * `m.seq, m.occurred_at AS occurredAt`): the keys' plan reading the rows themselves, one ordered read (exports).
   */
  rows(columns: string, limit: number, after?: MovementCursor): unknown[][] {
    if (!this.plan) return [];
    return this.scan('asc', limit, after, undefined, undefined, columns, true) as unknown as unknown[][];
  }

  /**
   * Newest first over a long batch list (a broad batch-code search, an expiry range), without one seek per batch: the
   * batches' quants are read most recently moved first (a quant's last_movement_at is the latest effective time of its
   * movements, kept by the writer), and the page is read over those batches only, taking four times as many quants
   * each try, until its last row is newer than every batch not yet taken (so none of them can have a row on it), or
   * the quants are all read. Past as many quants as the list has batches, the whole list is read as before.
   */
  private recentBatchesFirst(part: number, order: 'asc' | 'desc', limit: number, after?: MovementCursor, before?: MovementCursor): PageKey[] {
    const all = this.plan!.parts[part]!.batches!;
    const recent = this.cache.get(recentBatchesSql(all)).raw(true).iterate() as IterableIterator<[number, number]>;
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
        if (!done && read > all.length) return this.scan(order, limit, after, before);
        const keys = this.scan(order, limit, after, before, { part, pred: taken.size ? `m.batch_id IN (${inList([...taken])})` : null });
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

  /** `keys`, with one part's predicate replaced (null: the part left out); `columns` as raw arrays when `raw` (exports). */
  private scan(order: 'asc' | 'desc', limit: number, after?: MovementCursor, before?: MovementCursor, swap?: Swap, columns = KEY_COLUMNS, raw = false): PageKey[] {
    if (swap && swap.pred === null && this.plan!.parts.length === 1) return [];
    const cursor = before ?? after;
    const desc = (order === 'desc') !== (before !== undefined);
    const dir = desc ? 'DESC' : 'ASC';
    const params: Record<string, number | string> = { ...this.resolved.params };
    const extra: string[] = [];
    if (cursor) {
      const op = desc ? '<' : '>';
      extra.push(`m.occurred_at ${op}= @cOcc AND (m.occurred_at ${op} @cOcc OR m.seq ${op} @cSeq)`);
      params.cOcc = cursor.occurredAt;
      params.cSeq = cursor.seq;
    }
    const tail = `ORDER BY occurred_at ${dir}, seq ${dir} LIMIT @limit`;
    if (this.plan!.mode !== 'windowed') {
      return this.cache.get(this.selectSql(extra, tail, swap, columns)).raw(raw).all({ ...params, limit }) as PageKey[];
    }
    // Windows (lo, hi] going down in time, or [lo, hi) going up; each returns its rows sorted, after all earlier ones.
    extra.push(desc ? 'm.occurred_at > @wLo AND m.occurred_at <= @wHi' : 'm.occurred_at >= @wLo AND m.occurred_at < @wHi');
    const stmt = this.cache.get(this.selectSql(extra, tail, swap, columns)).raw(raw);
    const b = this.ledgerBounds();
    const f = this.filter.occurred;
    let edge = cursor?.occurredAt ?? (desc ? Math.min(f?.to ?? b.max, b.max) : Math.max(f?.from ?? b.min, b.min));
    const stop = desc ? Math.max(f?.from ?? b.min, b.min) : Math.min(f?.to ?? b.max, b.max);
    let width = this.width || this.tuning.firstWindow || this.firstWidth(limit);
    const out: unknown[] = [];
    for (;;) {
      const [wLo, wHi] = desc ? [edge - width, edge] : [edge, edge + width];
      const got = stmt.all({ ...params, wLo, wHi, limit: limit - out.length });
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

  /** Detail rows (joined names) for seqs, in the given order. */
  details(seqs: number[], raw = false): unknown[] {
    const stmt = this.cache.get(
      `SELECT ${DETAIL_COLUMNS} FROM json_each(?) j CROSS JOIN movements m ON m.seq = j.value ${DETAIL_JOINS}`,
    );
    return (raw ? stmt.raw(true) : stmt.raw(false)).all(JSON.stringify(seqs));
  }

  /** Names of the detail columns, in the positions `details(seqs, true)` returns them. */
  detailColumns(): string[] {
    return this.cache.get(`SELECT ${DETAIL_COLUMNS} FROM json_each(?) j CROSS JOIN movements m ON m.seq = j.value ${DETAIL_JOINS}`).columns().map((c) => c.name);
  }

  /** Exact count up to `cap`; `exact: false` means "more than cap". */
  count(cap: number): MovementCount {
    if (!this.plan) return { count: 0, exact: true };
    if (this.resolved.unfiltered) {
      // seq is dense from 1 and movements are never deleted (invariant 1), so the count is the head's seq.
      const n = this.db.prepare('SELECT COALESCE(MAX(seq), 0) FROM movements').pluck().get() as number;
      return { count: n, exact: true };
    }
    const sql = `SELECT COUNT(*) FROM (${this.selectSql([], 'LIMIT @cap')})`;
    const n = this.cache.get(sql).pluck().get({ ...this.resolved.params, cap: cap + 1 }) as number;
    return n > cap ? { count: cap, exact: false } : { count: n, exact: true };
  }

  /**
   * Counts the matches among movements seq in [from, to] (a slice of the table; rowid range), for a count refined in
   * the background slice by slice.
   */
  countSlice(from: number, to: number): number {
    if (!this.plan) return 0;
    const preds = [...this.resolved.where, 'm.seq BETWEEN @sFrom AND @sTo'];
    const sql = `SELECT COUNT(*) FROM movements m WHERE ${preds.join(' AND ')}`;
    return this.cache.get(sql).pluck().get({ ...this.resolved.params, sFrom: from, sTo: to }) as number;
  }

  /** SQLite's plan (EXPLAIN QUERY PLAN details) for the keys of a first page, newest first (tests hold the plans to it). */
  queryPlan(): string[] {
    if (!this.plan) return [];
    const extra = this.plan.mode === 'windowed' ? ['m.occurred_at > @wLo AND m.occurred_at <= @wHi'] : [];
    const sql = this.selectSql(extra, 'ORDER BY occurred_at DESC, seq DESC LIMIT @limit');
    const params = { ...this.resolved.params, wLo: 0, wHi: 0, limit: 1 };
    const used = Object.fromEntries(Object.entries(params).filter(([k]) => sql.includes(`@${k}`)));
    const explain = (text: string, p: object = {}) => (this.db.prepare(`EXPLAIN QUERY PLAN ${text}`).all(p) as { detail: string }[]).map((r) => r.detail);
    const long = this.longBatchPart();
    return [...(long < 0 ? [] : explain(recentBatchesSql(this.plan.parts[long]!.batches!))), ...explain(sql, used)];
  }

  /** The filter's predicates that the plan's driver does not imply. */
  private uncovered(): string[] {
    const covers = this.plan?.covers ?? [];
    return this.resolved.where.filter((_, i) => !covers.includes(this.resolved.whereKeys[i]!));
  }

  private selectSql(extra: string[], tail: string, swap?: Swap, columns = KEY_COLUMNS): string {
    const plan = this.plan!;
    const where = this.uncovered();
    const t = tail.replace(/occurred_at/g, 'm.occurred_at').replace(/\bseq\b/g, 'm.seq');
    const chosen = plan.parts.flatMap((part, i) => (swap?.part !== i ? [part] : swap.pred === null ? [] : [{ ...part, pred: swap.pred }]));
    const parts = chosen.map((part) => {
      const preds = [...where, ...(part.pred ? [part.pred] : []), ...extra];
      return `SELECT ${columns} FROM movements m INDEXED BY ${part.index}${preds.length ? ` WHERE ${preds.join(' AND ')}` : ''} ${t}`;
    });
    if (parts.length === 1) return parts[0]!;
    // Each part keeps its own ORDER BY … LIMIT (so SQLite's early exit per IN value still applies), then the union is cut.
    return `SELECT ${columns === KEY_COLUMNS ? 'seq, occurredAt' : '*'} FROM (${parts.map((p) => `SELECT * FROM (${p})`).join(' UNION ')}) ${tail.replace(/occurred_at/g, 'occurredAt')}`;
  }

  private ledgerBounds(): { min: number; max: number; total: number } {
    if (!this.bounds) {
      // Three separate aggregates so each is one index or rowid seek (together SQLite would scan).
      const one = (sql: string) => (this.cache.get(sql).pluck().get() as number | null) ?? 0;
      this.bounds = {
        min: one('SELECT MIN(occurred_at) FROM movements'),
        max: one('SELECT MAX(occurred_at) FROM movements'),
        total: one('SELECT MAX(seq) FROM movements'),
      };
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
    if (f.occurred?.from !== undefined) occ.push('m.occurred_at >= @occFrom');
    if (f.occurred?.to !== undefined) occ.push('m.occurred_at <= @occTo');
    const withOcc = (p: string) => [p, ...occ].join(' AND ');
    // Candidates in order of preference when sizes tie at the cap; `timed` ones have an (x, occurred_at) index.
    const candidates: { plan: Omit<Plan, 'mode'>; timed: boolean; estimate: () => number }[] = [];
    const single = (name: string, covers: string[], index: string, pred: string, timed: boolean, estPred = pred) =>
      candidates.push({ plan: { name, covers, parts: [{ index, pred }] }, timed, estimate: () => this.estimate(index, estPred) });
    // Every batch has a movement (the writer makes a batch with its first one): a list of wholeCap batches or more is never
    // read whole, and is not counted (one seek per batch).
    const longList = (batches: readonly number[]) => batches.length >= this.wholeCap;
    if (f.documentId !== undefined) single('document', ['documentId'], 'IDX_movements_document', 'm.document_id = @documentId', false);
    // A product (or the products a search names, when it names no batch) with types: one walk per product and type.
    const types = f.types?.length ? `m.type IN (${f.types.map((t) => `'${t}'`).join(',')})` : null;
    if (types && f.productId !== undefined) {
      const p = `m.product_id = @productId AND ${types}`;
      single('product+type', ['productId', 'types'], PRODUCT_TYPE_INDEX, p, true, withOcc(p));
    }
    if (types && r.searchProducts?.length && r.searchBatches?.length === 0) {
      const p = `m.product_id IN (${inList(r.searchProducts)}) AND ${types}`;
      single('search+type', ['search', 'types'], PRODUCT_TYPE_INDEX, p, true, withOcc(p));
    }
    if (f.batchId !== undefined) single('batch', ['batchId'], 'IDX_movements_batch_occurred', 'm.batch_id = @batchId', true, withOcc('m.batch_id = @batchId'));
    if (f.productId !== undefined) single('product', ['productId'], 'IDX_movements_product_occurred', 'm.product_id = @productId', true, withOcc('m.product_id = @productId'));
    if (r.expiryBatches) {
      const p = `m.batch_id IN (${inList(r.expiryBatches)})`;
      single('expiry', ['expiry'], 'IDX_movements_batch_occurred', p, true, withOcc(p));
      const expiry = candidates[candidates.length - 1]!;
      expiry.plan.parts[0]!.batches = r.expiryBatches;
      if (longList(r.expiryBatches)) expiry.estimate = () => ESTIMATE_CAP;
    }
    if (r.searchProducts && r.searchBatches) {
      const parts: Plan['parts'] = [];
      if (r.searchProducts.length) parts.push({ index: 'IDX_movements_product_occurred', pred: `m.product_id IN (${inList(r.searchProducts)})` });
      if (r.searchBatches.length) parts.push({ index: 'IDX_movements_batch_occurred', pred: `m.batch_id IN (${inList(r.searchBatches)})`, batches: r.searchBatches });
      candidates.push({
        plan: { name: 'search', covers: ['search'], parts },
        timed: true,
        estimate: () => (longList(r.searchBatches!) ? ESTIMATE_CAP : Math.min(ESTIMATE_CAP, parts.reduce((n, p) => n + this.estimate(p.index, withOcc(p.pred!)), 0))),
      });
    }
    if (f.userId !== undefined) single('user', ['userId'], 'IDX_movements_user_occurred', 'm.user_id = @userId', true, withOcc('m.user_id = @userId'));
    if (types) single('type', ['types'], 'IDX_movements_type_occurred', types, true, withOcc(types));
    if (f.recorded?.from !== undefined || f.recorded?.to !== undefined) {
      const rec = [f.recorded.from !== undefined ? 'm.recorded_at >= @recFrom' : null, f.recorded.to !== undefined ? 'm.recorded_at <= @recTo' : null];
      single('recorded', ['recFrom', 'recTo'], 'IDX_movements_recorded', rec.filter((x) => x !== null).join(' AND '), false);
    }
    let whole: { plan: Omit<Plan, 'mode'>; n: number } | null = null;
    let timed: { plan: Omit<Plan, 'mode'>; n: number } | null = null;
    const sized: string[][] = [];
    for (const c of candidates) {
      // A driver implying every field of one already sized finds at least as many entries: it cannot win.
      if (sized.some((covers) => c.plan.covers.every((k) => covers.includes(k)))) continue;
      sized.push(c.plan.covers);
      const n = c.estimate();
      if (n < this.wholeCap && (!whole || n < whole.n)) whole = { plan: c.plan, n };
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
    const sql = `SELECT COUNT(*) FROM (SELECT 1 FROM movements m INDEXED BY ${index} WHERE ${pred} LIMIT ${ESTIMATE_CAP})`;
    const used = Object.fromEntries(Object.entries(this.resolved.params).filter(([k]) => sql.includes(`@${k}`)));
    return this.cache.get(sql).pluck().get(used) as number;
  }
}

/** A batch list's quants, most recently moved first, from the index alone. */
const recentBatchesSql = (batches: readonly number[]) =>
  `SELECT batch_id, last_movement_at FROM stock_levels INDEXED BY IDX_stock_levels_batch_recent
   WHERE batch_id IS NOT NULL AND batch_id IN (${inList(batches)}) ORDER BY last_movement_at DESC`;

/** One plan part's predicate replaced for a read (null: the part left out). */
interface Swap {
  part: number;
  pred: string | null;
}

/** A product's movements of each type in effective order (migration 0031). */
const PRODUCT_TYPE_INDEX = 'IDX_movements_product_type_occurred';

/** What keys() reads of each movement. */
const KEY_COLUMNS = 'm.seq, m.occurred_at AS occurredAt';

/** Wider than any ledger's time span (about 285,000 years in ms). */
const MAX_WIDTH = 9e15;

const TIME_WALK: Plan = { name: 'time-walk', mode: 'time-walk', parts: [{ index: 'IDX_movements_occurred', pred: null }], covers: [] };

/** Prepared statements by SQL text, least recently used dropped past the limit. */
export class StatementCache {
  private readonly map = new Map<string, Database.Statement>();
  constructor(private readonly db: Database.Database, private readonly limit = 200) {}
  get(sql: string): Database.Statement {
    let s = this.map.get(sql);
    if (s) {
      this.map.delete(sql);
    } else {
      s = this.db.prepare(sql);
      if (this.map.size >= this.limit) this.map.delete(this.map.keys().next().value!);
    }
    this.map.set(sql, s);
    return s;
  }
}
