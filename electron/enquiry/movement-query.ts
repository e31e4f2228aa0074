import type Database from 'better-sqlite3';
import type { MovementFilter } from '../../shared/contract/enquiry.schemas';
import type { MovementCount, MovementCursor, MovementPage, MovementView } from '../../shared/enquiry';
import { movementType } from '../../shared/movement-types';
import { movementValue } from '../../shared/quantity';
import { inList, resolveFilter, type ResolvedFilter } from './movement-filter';

/** A driver with at most this many index entries is read whole and sorted; above it we walk the time index. */
export const DRIVER_CAP = 100_000;

/** How rows are found: one or more index scans (UNIONed), each with its own extra predicate. */
interface Plan {
  name: string;
  parts: { index: string; pred: string | null }[];
}

export type DetailRow = Omit<MovementView, 'typeName' | 'value'>;
type Row = DetailRow;

export const DETAIL_COLUMNS = `m.seq, m.product_id AS productId, p.sku, p.name AS productName, p.unit, p.scale, m.site_id AS siteId, s.code AS siteCode,
  m.bin_id AS binId, b.code AS binCode, m.type, m.qty, m.balance_after AS balanceAfter, m.batch_id AS batchId, bt.code AS batchCode,
  bt.expiry, su.serial, m.document_id AS documentId, d.type AS documentType, d.reference AS documentReference, m.line_no AS lineNo,
  m.note, m.occurred_at AS occurredAt, m.recorded_at AS recordedAt, m.unit_cost AS unitCost, m.cost_source AS costSource,
  m.user_id AS userId, u.display_name AS userName, m.reversal_of AS reversalOf`;

export const DETAIL_JOINS = `JOIN products p ON p.id = m.product_id JOIN sites s ON s.id = m.site_id LEFT JOIN bins b ON b.id = m.bin_id
  LEFT JOIN batches bt ON bt.id = m.batch_id LEFT JOIN serial_units su ON su.id = m.serial_id
  JOIN documents d ON d.id = m.document_id JOIN users u ON u.id = m.user_id`;

export function toView(r: Row): MovementView {
  return { ...r, typeName: typeName(r.type), value: movementValue(r.qty, r.unitCost, r.scale) };
}

function typeName(code: string): string {
  try {
    return movementType(code).displayName;
  } catch {
    return code;
  }
}

/**
 * Movement enquiry over the append-only ledger in the deterministic (occurred_at, seq) order, keyset-paged both ways.
 * The plan is chosen once per filter: the most selective small driver index (document, batch, product, search, type,
 * recorded range) read whole and sorted, or else a walk down the occurred_at index that stops after one page.
 */
export class MovementQuery {
  readonly resolved: ResolvedFilter;
  readonly plan: Plan | null;

  constructor(
    private readonly db: Database.Database,
    filter: MovementFilter,
    private readonly cache: StatementCache,
    /** Drivers with fewer entries than this are read whole; 0 always walks the time index (tests use it). */
    private readonly driverCap = DRIVER_CAP,
  ) {
    this.resolved = resolveFilter(db, filter);
    this.plan = this.resolved.empty ? null : this.choosePlan(filter);
  }

  /** One page in `order`, after (or before) a cursor. */
  page(order: 'asc' | 'desc', limit: number, after?: MovementCursor, before?: MovementCursor): MovementPage {
    if (!this.plan) return { rows: [], next: null, prev: null, plan: 'empty' };
    const backward = before !== undefined;
    const cursor = before ?? after;
    // Scanning direction: forward in `order`, or reversed when paging back.
    const scanDesc = (order === 'desc') !== backward;
    const dir = scanDesc ? 'DESC' : 'ASC';
    const params: Record<string, number | string> = { ...this.resolved.params, limit };
    let keyset: string | null = null;
    if (cursor) {
      const op = scanDesc ? '<' : '>';
      keyset = `m.occurred_at ${op}= @cOcc AND (m.occurred_at ${op} @cOcc OR m.seq ${op} @cSeq)`;
      params.cOcc = cursor.occurredAt;
      params.cSeq = cursor.seq;
    }
    const inner = this.selectSql(keyset, `ORDER BY occurred_at ${dir}, seq ${dir} LIMIT @limit`);
    const sql = `WITH page AS MATERIALIZED (${inner})
      SELECT ${DETAIL_COLUMNS} FROM page CROSS JOIN movements m ON m.seq = page.seq ${DETAIL_JOINS}
      ORDER BY page.occurred_at ${dir}, page.seq ${dir}`;
    const raw = this.cache.get(sql).all(params) as Row[];
    if (backward) raw.reverse();
    const rows = raw.map(toView);
    const first = rows[0];
    const last = rows[rows.length - 1];
    const full = rows.length === limit;
    const at = (r: MovementView | undefined) => (r ? { occurredAt: r.occurredAt, seq: r.seq } : null);
    return {
      rows,
      next: backward ? at(last) : full ? at(last) : null,
      prev: backward ? (full ? at(first) : null) : cursor ? at(first) : null,
      plan: this.plan.name,
    };
  }

  /** Exact count up to `cap`; `exact: false` means "more than cap". */
  count(cap: number): MovementCount {
    if (!this.plan) return { count: 0, exact: true };
    if (this.resolved.unfiltered) {
      // seq is dense from 1 and movements are never deleted (invariant 1), so the count is the head's seq.
      const n = this.db.prepare('SELECT COALESCE(MAX(seq), 0) FROM movements').pluck().get() as number;
      return { count: n, exact: true };
    }
    const sql = `SELECT COUNT(*) FROM (${this.selectSql(null, 'LIMIT @cap')})`;
    const n = this.cache.get(sql).pluck().get({ ...this.resolved.params, cap: cap + 1 }) as number;
    return n > cap ? { count: cap, exact: false } : { count: n, exact: true };
  }

  private selectSql(keyset: string | null, tail: string): string {
    const plan = this.plan!;
    const parts = plan.parts.map((part) => {
      const preds = [...this.resolved.where, ...(part.pred ? [part.pred] : []), ...(keyset ? [keyset] : [])];
      return `SELECT m.seq, m.occurred_at FROM movements m INDEXED BY ${part.index}${preds.length ? ` WHERE ${preds.join(' AND ')}` : ''}`;
    });
    if (parts.length === 1) return `${parts[0]} ${tail.replace(/occurred_at/g, 'm.occurred_at').replace(/seq/g, 'm.seq')}`;
    return `SELECT seq, occurred_at FROM (${parts.join(' UNION ')}) ${tail}`;
  }

  private choosePlan(f: MovementFilter): Plan {
    const r = this.resolved;
    const occ: string[] = [];
    if (f.occurred?.from !== undefined) occ.push('m.occurred_at >= @occFrom');
    if (f.occurred?.to !== undefined) occ.push('m.occurred_at <= @occTo');
    const candidates: { plan: Plan; estimate: () => number }[] = [];
    const single = (name: string, index: string, pred: string) =>
      candidates.push({ plan: { name, parts: [{ index, pred: null }] }, estimate: () => this.estimate(index, [pred]) });
    if (f.documentId !== undefined) single('document', 'IDX_movements_document', 'm.document_id = @documentId');
    if (f.batchId !== undefined) single('batch', 'IDX_movements_batch', 'm.batch_id = @batchId');
    if (f.productId !== undefined) single('product', 'IDX_movements_product_occurred', `m.product_id = @productId${occ.map((o) => ` AND ${o}`).join('')}`);
    if (r.expiryBatches) single('expiry', 'IDX_movements_batch', `m.batch_id IN (${inList(r.expiryBatches)})`);
    if (r.searchProducts && r.searchBatches) {
      const parts: Plan['parts'] = [];
      const preds: [string, string][] = [];
      if (r.searchProducts.length) {
        const p = `m.product_id IN (${inList(r.searchProducts)})`;
        parts.push({ index: 'IDX_movements_product_occurred', pred: p });
        preds.push(['IDX_movements_product_occurred', [p, ...occ].join(' AND ')]);
      }
      if (r.searchBatches.length) {
        const p = `m.batch_id IN (${inList(r.searchBatches)})`;
        parts.push({ index: 'IDX_movements_batch', pred: p });
        preds.push(['IDX_movements_batch', p]);
      }
      candidates.push({ plan: { name: 'search', parts }, estimate: () => preds.reduce((n, [i, p]) => n + this.estimate(i, [p]), 0) });
    }
    if (f.userId !== undefined) single('user', 'IDX_movements_user_occurred', `m.user_id = @userId${occ.map((o) => ` AND ${o}`).join('')}`);
    if (f.types?.length) {
      single('type', 'IDX_movements_type_occurred', [`m.type IN (${f.types.map((t) => `'${t}'`).join(',')})`, ...occ].join(' AND '));
    }
    if (f.recorded?.from !== undefined || f.recorded?.to !== undefined) {
      const rec = [f.recorded.from !== undefined ? 'm.recorded_at >= @recFrom' : null, f.recorded.to !== undefined ? 'm.recorded_at <= @recTo' : null];
      single('recorded', 'IDX_movements_recorded', rec.filter((x) => x !== null).join(' AND '));
    }
    let best: { plan: Plan; n: number } | null = null;
    for (const c of candidates) {
      const n = c.estimate();
      if (n < this.driverCap && (!best || n < best.n)) best = { plan: c.plan, n };
      if (best && best.n <= 500) break;
    }
    return best?.plan ?? { name: 'time-walk', parts: [{ index: 'IDX_movements_occurred', pred: null }] };
  }

  /** Index entries the driver would read, counted up to DRIVER_CAP (index-only, so cheap). */
  private estimate(index: string, preds: string[]): number {
    const sql = `SELECT COUNT(*) FROM (SELECT 1 FROM movements m INDEXED BY ${index} WHERE ${preds.join(' AND ')} LIMIT ${DRIVER_CAP})`;
    const used = Object.fromEntries(Object.entries(this.resolved.params).filter(([k]) => sql.includes(`@${k}`)));
    return this.cache.get(sql).pluck().get(used) as number;
  }
}

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
