import type { QueryResultRow } from 'pg';
import type { PgReader } from '../../ledger/pg/store/pg-read-snapshot';
import type { MovementFilter } from '../../../shared/contract/enquiry.schemas';
import type { MovementCursor } from '../../../shared/enquiry';
import { ON_COSTS } from '../../../shared/domain';
import type { EntityRecord } from '../../ledger/entities/columns';
import type { MovementEntity } from '../../ledger/entities/document.entities';
import type { BalancesOnDateRecords } from '../balance-on-date-records';
import type { DetailRow } from '../movement-query';
// The backslash escape SQLite's statements name is PostgreSQL's default LIKE escape, so one escLike serves both.
import { documentNumber, escLike } from '../movement-store';

/**
 * The movement enquiry's SQL on PostgreSQL (issue 17, step two). SQLite's planner needs Stockbook to choose its index
 * scans (movement-store.ts: INDEXED BY, windows, UNIONs); PostgreSQL's cost-based planner chooses among the enquiry's
 * own indexes (pg migration 0004) from its statistics, so this store states the question once, with every filter field
 * as a predicate on bound values, and lets the planner find the page's keys (`ORDER BY occurred_at, seq LIMIT n` walks
 * an (x, occurred_at, seq) index and stops when the page is full).
 */

/** A detail row's columns, aliased to DetailRow's field names (quoted: PostgreSQL folds unquoted names to lower case). */
export const DETAIL_COLUMNS = `m.seq, m.product_id AS "productId", p.sku, p.name AS "productName", p.unit, p.scale, m.site_id AS "siteId",
  s.code AS "siteCode", m.bin_id AS "binId", b.code AS "binCode", m.type, m.qty, m.balance_after AS "balanceAfter",
  m.batch_id AS "batchId", bt.code AS "batchCode", bt.expiry, su.serial, m.document_id AS "documentId", d.type AS "documentType",
  d.reference AS "documentReference", m.line_no AS "lineNo", m.note, m.occurred_at AS "occurredAt", m.recorded_at AS "recordedAt",
  m.unit_cost AS "unitCost", m.cost_source AS "costSource", m.user_id AS "userId", u.display_name AS "userName",
  m.reversal_of AS "reversalOf", ${ON_COSTS.map((k) => `m.oc_${k} AS "oc_${k}"`).join(', ')}`;

export const DETAIL_JOINS = `JOIN products p ON p.id = m.product_id JOIN sites s ON s.id = m.site_id LEFT JOIN bins b ON b.id = m.bin_id
  LEFT JOIN batches bt ON bt.id = m.batch_id LEFT JOIN serial_units su ON su.id = m.serial_id
  JOIN documents d ON d.id = m.document_id JOIN users u ON u.id = m.user_id`;


const ON_COST_COLUMNS = ON_COSTS.map((k) => `m.oc_${k}`);

/**
 * The movement export's columns in LEAN's positions (movement-export-store.ts), so the export's writers read the rows
 * of both stores alike: each pair of ids as an int array (the driver hands it over as [hi, lo]), and what most
 * movements leave empty, and the on-costs, as SQLite's JSON text, NULL when all of it is empty (zero).
 */
const LEAN_COLUMNS = [
  'm.seq', 'm.occurred_at', 'm.recorded_at', 'm.qty', 'm.balance_after', 'm.unit_cost',
  'ARRAY[m.product_id, m.bin_id]', 'ARRAY[m.site_id, m.user_id]', 'ARRAY[m.document_id, m.line_no]', 'm.batch_id', 'm.type', 'm.cost_source',
  'CASE WHEN m.serial_id IS NULL AND m.reversal_of IS NULL AND m.note IS NULL THEN NULL ELSE json_build_array(m.serial_id, m.reversal_of, m.note)::text END',
  `CASE WHEN ${ON_COST_COLUMNS.map((c) => `${c} = 0`).join(' AND ')} THEN NULL ELSE json_build_array(${ON_COST_COLUMNS.join(', ')})::text END`,
].join(', ');

/** The filter's search and expiry, resolved to id sets (null: the filter has no such field). */
export interface PgResolvedSets {
  searchProducts: number[] | null;
  searchBatches: number[] | null;
  /** Serial units whose serial starts with the search, any letter case (null: no search). */
  searchSerials?: number[] | null;
  /**
   * Documents the search names: reference or counterparty prefix, the receipt's supplier, the document's number (null:
   * no search, or more than BROAD_DOCUMENTS of them: `broadDocuments`).
   */
  searchDocuments?: number[] | null;
  /** True when the search names more than BROAD_DOCUMENTS documents: the statements name them by the search itself, not by ids. */
  broadDocuments?: boolean;
  expiryBatches: number[] | null;
  /** True when the filter's recorded range holds fewer than RECORDED_FEW movements (counted once, when the query opens). */
  recordedFew?: boolean;
}

/**
 * A recorded range with fewer movements than this is read whole through IDX_movements_recorded and its page sorted:
 * PostgreSQL otherwise walks IDX_movements_occurred and checks recorded_at row by row, which reads most of the table when
 * the range is far in the past. As SQLite's RECORDED_WHOLE (20,000): a busy day of the 5,000,003-movement demo ledger
 * holds 15,380 movements, which at the former 10,000 PostgreSQL walked (p50 342 ms).
 */
export const RECORDED_FEW = 20_000;

/**
 * A batch set (expiry range, search by batch code) is read batch by batch from IDX_movements_batch_occurred
 * (batchSetKeys): PostgreSQL otherwise walks IDX_movements_occurred and checks batch_id row by row, which reads most of
 * the table when the batches' movements are all old (an expiry month of 2,068 batches over 5,000,000 movements: p99 3.8 s).
 * A page first probes the newest (or oldest) PROBE_PAGES pages of movements past the cursor (a batch set alone is read
 * by its sample of IDX_movements_batched_occurred instead, SAMPLE_PER_HEAD, then its walk or its batches): when they hold a full page
 * of matches (the set's movements are recent), that is the page. When they hold some (k of PROBE_PAGES × limit), the walk
 * would read about limit × PROBE_PAGES × limit / k movements to fill the page; when that is fewer than HEAD_COST
 * movements per batch of the set (a large set whose movements are fairly recent), the page walks the time index instead.
 */
const PROBE_PAGES = 20;

/**
 * A search naming more documents than this (a broad reference prefix: "PO-" names 53,890 of the 5,000,000-movement bench
 * ledger's) is not resolved to ids: the statements name its documents by the search itself, a subquery PostgreSQL hashes
 * once per statement. As ids the set crossed the wire twice (the resolving statement's answer, the page's bound array:
 * 26-39 ms) and PostgreSQL planned `document_id = ANY(…)` element by element (35-53 ms a statement); its page walked
 * 4,862 movements in 2.5 ms. A broad set's page walks the DOCUMENT_WALK_PAGES pages nearest the cursor first.
 */
export const BROAD_DOCUMENTS = 1_000;

/**
 * A broad document set's page is first looked for among the DOCUMENT_WALK_PAGES × limit movements nearest the cursor
 * (the set's movements are recent: "PO-"'s page is among the newest 4,862); when they do not fill it (the set's movements
 * are old, or the cursor is far back), the set is resolved to ids after all and the page planned as a narrow set's is,
 * so a broad set of old documents is read through IDX_movements_document rather than by walking the whole table. A page
 * that also names a product, bin, batch or document walks that one's index instead (PgMovementStore.chosen).
 */
export const DOCUMENT_WALK_PAGES = 100;

/** One batch's head (an index descent on IDX_movements_batch_occurred) costs about as much as walking this many movements (measured on the bench ledger). */
export const HEAD_COST = 4;

/**
 * A batch set that is the page's only predicate (an expiry range, a batch code prefix, nothing else) may walk
 * IDX_movements_batched_occurred (pg migration 0016: the movements that have a batch, in time order, each with its
 * batch), from the index alone, up to this many entries per batch of the set: one batch's head costs about as much as
 * walking this many entries (on the 5,000,000-movement bench ledger at load 29, fastest of 9: an expiry month's 2,144
 * heads 22 ms, the 101,000 entries walked to fill its page 61 ms; a broad batch prefix's 3,742 heads 25 ms, the 16,500
 * entries walked to fill its page 2 ms). A set whose page the walk does not fill is read per batch.
 */
export const WALK_PER_HEAD = 15;

/**
 * A batch set alone first walks this many entries per batch of the set (its sample): a page the sample fills is read;
 * otherwise the sample's matches tell how far the walk would go to fill the page (limit × sample / matches entries,
 * the set's density so far), and the page walks again, up to WALK_PER_HEAD entries per batch, only when that is within
 * them; else it is read per batch at once. Without the sample, a set whose movements are old (an expiry month whose
 * page is 98,600 entries back on the 5,000,030-movement bench ledger) walked its whole budget (32,250 entries) before
 * reading per batch; its sample reads 8,600 (finding 10). A recent set (a broad batch prefix, its page 14,022 entries
 * back) is read by its sample as before by the walk (14,256 entries for its 3,564 batches). One statement holding the
 * sample, the walk and the per-batch read (gated by one-time filters) was tried: it planned the set's constant twice
 * (a broad prefix's page 1.6 ms to plan, not 0.7) and its text travelled twice, slower than two statements at load 28.
 */
export const SAMPLE_PER_HEAD = 4;

/** One statement's bound values, named by position as they are added. */
class Bound {
  readonly values: unknown[] = [];
  add(v: unknown, cast = ''): string {
    this.values.push(v);
    return `$${this.values.length}${cast}`;
  }
}

/**
 * The filter's predicates on movements `m`, their values bound in `b` (none: every movement matches). `driven`: the
 * batch set the statement reads batch by batch, whose own predicate is left out (each read is of one of its batches).
 */
function filterWhere(f: MovementFilter, sets: PgResolvedSets, b: Bound, driven: number[] | null = null): string[] {
  const where: string[] = [];
  const eq = (col: string, v: number | undefined) => {
    if (v !== undefined) where.push(`m.${col} = ${b.add(v)}`);
  };
  eq('product_id', f.productId);
  eq('site_id', f.siteId);
  eq('bin_id', f.binId);
  eq('batch_id', f.batchId);
  eq('document_id', f.documentId);
  eq('user_id', f.userId);
  if (f.types && f.types.length > 0) where.push(f.types.length === 1 ? `m.type = ${b.add(f.types[0])}` : `m.type = ANY(${b.add(f.types, '::varchar[]')})`);
  if (f.occurred?.from !== undefined) where.push(`m.occurred_at >= ${b.add(f.occurred.from)}`);
  if (f.occurred?.to !== undefined) where.push(`m.occurred_at <= ${b.add(f.occurred.to)}`);
  if (f.recorded?.from !== undefined) where.push(`m.recorded_at >= ${b.add(f.recorded.from)}`);
  if (f.recorded?.to !== undefined) where.push(`m.recorded_at <= ${b.add(f.recorded.to)}`);
  if (sets.expiryBatches && sets.expiryBatches !== driven) where.push(`m.batch_id = ANY(${b.add(sets.expiryBatches, '::int[]')})`);
  if (sets.searchProducts || sets.searchBatches) {
    const any: string[] = [];
    if (sets.searchProducts?.length) any.push(`m.product_id = ANY(${b.add(sets.searchProducts, '::int[]')})`);
    if (sets.searchBatches?.length && sets.searchBatches !== driven) any.push(`m.batch_id = ANY(${b.add(sets.searchBatches, '::int[]')})`);
    if (sets.searchSerials?.length) any.push(`m.serial_id = ANY(${b.add(sets.searchSerials, '::int[]')})`);
    if (sets.searchDocuments?.length) any.push(`m.document_id = ANY(${b.add(sets.searchDocuments, '::int[]')})`);
    if (sets.broadDocuments) {
      // Each way of naming them a subplan hashed once (in an OR: never a semi-join PostgreSQL may run as a nested loop
      // over the set), without the UNION's aggregate over the whole set.
      const { pre, word, number } = searchPatterns(f.search!.trim(), b);
      any.push(...documentsNamed(pre, word, number).map((x) => `m.document_id IN (${x})`));
    }
    if (any.length) where.push(any.length === 1 ? any[0]! : `(${any.join(' OR ')})`);
  }
  return where;
}

/** ` WHERE …` of predicates joined by AND ('' when none). */
const whereSql = (where: readonly string[]): string => (where.length ? ` WHERE ${where.join(' AND ')}` : '');

/**
 * The batch set a page reads batch by batch (null: none fits): the smaller of the expiry's and the search's (naming no
 * product, serial unit or document: those matches are not of the batches).
 */
function perBatchSet(f: MovementFilter, sets: PgResolvedSets): number[] | null {
  if (f.batchId !== undefined || sets.recordedFew) return null;
  const candidates = [sets.expiryBatches, sets.searchProducts?.length || sets.searchSerials?.length || sets.searchDocuments?.length || sets.broadDocuments ? null : sets.searchBatches];
  let best: number[] | null = null;
  for (const c of candidates) if (c && c.length > 0 && (!best || c.length < best.length)) best = c;
  return best;
}

/** How a page finds its keys: its probe, its batch set batch by batch, or the planner's walk (every predicate checked row by row). */
type PageRead = 'probe' | 'perBatch' | 'walk' | 'batchedWalk' | 'documentsWalk';

/**
 * The page's keys in scan order, the filter's predicates `where` checked on movements `m`: a narrow recorded range read
 * whole (MATERIALIZED: PostgreSQL may not fold it into an occurred_at walk) then sorted; a batch set read per batch
 * (batchSetKeys); otherwise one ORDER BY … LIMIT the planner serves from an index in scan order.
 */
function keysStatement(sets: PgResolvedSets, batches: number[] | null, where: readonly string[], dir: string, b: Bound, limit: number): string {
  if (batches) return batchSetKeys(batches, where, dir, b, limit);
  const order = `ORDER BY occurred_at ${dir}, seq ${dir} LIMIT ${b.add(limit)}`;
  if (sets.recordedFew) return `WITH r AS MATERIALIZED (SELECT m.seq, m.occurred_at FROM movements m${whereSql(where)}) SELECT seq FROM r ${order}`;
  return `SELECT m.seq, m.occurred_at FROM movements m${whereSql(where)} ${order}`;
}

/**
 * A batch set's page keys, read batch by batch from IDX_movements_batch_occurred: each batch's first `limit` matches in
 * scan order (unnest … CROSS JOIN LATERAL), merged, the first `limit` of them kept. A set of more than `limit` batches is
 * cut first to the `limit` batches whose own first match (its head: one index descent per batch) comes first in scan
 * order: the page's rows can only be theirs, since `limit` heads come before the head of any other batch, so before
 * every one of that batch's matches ((occurred_at, seq) is unique). The set's other batches are never read past their head.
 */
function batchSetKeys(batches: number[], where: readonly string[], dir: string, b: Bound, limit: number): string {
  const n = b.add(limit);
  const order = (alias: string) => `ORDER BY ${alias}.occurred_at ${dir}, ${alias}.seq ${dir} LIMIT ${n}`;
  const firsts = (id: string, take: string) => `SELECT m.seq, m.occurred_at FROM movements m${whereSql([`m.batch_id = ${id}`, ...where])} ORDER BY m.occurred_at ${dir}, m.seq ${dir} LIMIT ${take}`;
  const ids = `unnest(${b.add(batches, '::int[]')}) AS d(id)`;
  const set = batches.length > limit ? `(SELECT d.id FROM ${ids} CROSS JOIN LATERAL (${firsts('d.id', '1')}) h ${order('h')}) d` : ids;
  return `SELECT x.seq FROM ${set} CROSS JOIN LATERAL (${firsts('d.id', n)}) x ${order('x')}`;
}

/**
 * A batch set alone's walk (`after`: past the cursor): the newest (or oldest) `perHead` entries per batch of the set
 * of IDX_movements_batched_occurred, from the index alone (batch_id is INCLUDEd), each entry's batch checked against the
 * set (a constant: hashed once), the first `limit` matches kept.
 */
function batchedWalk(batches: number[], after: readonly string[], dir: string, b: Bound, limit: number, perHead: number): string {
  const window = `SELECT m.seq, m.occurred_at, m.batch_id FROM movements m${whereSql(['m.batch_id IS NOT NULL', ...after])} ORDER BY m.occurred_at ${dir}, m.seq ${dir} LIMIT ${b.add(perHead * batches.length)}`;
  return `SELECT m.seq FROM (${window}) m WHERE m.batch_id = ANY(${intArrayConstant(batches)}) ORDER BY occurred_at ${dir}, seq ${dir} LIMIT ${b.add(limit)}`;
}

/**
 * A page's keys statement: the keys found by the filter's predicates, in scan order (their details are read by
 * DETAILS). `read` 'probe': only among the first PROBE_PAGES × limit movements past the cursor (null when the page
 * reads no batch set per batch); 'walk': the batch set checked row by row as any other predicate.
 */
function pageStatement(f: MovementFilter, sets: PgResolvedSets, desc: boolean, limit: number, cursor: MovementCursor | undefined, read: PageRead): KeysStatement | null {
  const b = new Bound();
  const probe = read === 'probe';
  const batches = read === 'walk' || read === 'documentsWalk' ? null : perBatchSet(f, sets);
  if (probe && !batches) return null;
  const op = desc ? '<' : '>';
  const dir = desc ? 'DESC' : 'ASC';
  const after = cursor ? [`(m.occurred_at, m.seq) ${op} (${b.add(cursor.occurredAt)}, ${b.add(cursor.seq)})`] : [];
  if (read === 'documentsWalk') return { text: nearest(f, sets, after, dir, b, DOCUMENT_WALK_PAGES * limit, limit), values: b.values, read };
  if (probe) {
    // The batch set alone: its sample of the batched movements.
    if (filterWhere(f, sets, new Bound(), batches).length === 0) return { text: batchedWalk(batches!, after, dir, b, limit, SAMPLE_PER_HEAD), values: b.values, read: 'batched' };
    return { text: nearest(f, sets, after, dir, b, PROBE_PAGES * limit, limit), values: b.values, read: 'probe' };
  }
  if (read === 'batchedWalk') return { text: batchedWalk(batches!, after, dir, b, limit, WALK_PER_HEAD), values: b.values, read };
  return { text: keysStatement(sets, batches, [...filterWhere(f, sets, b, batches), ...after], dir, b, limit), values: b.values, read };
}

/** The first `limit` matches among the `window` movements nearest the cursor (`after`), in scan order. */
function nearest(f: MovementFilter, sets: PgResolvedSets, after: readonly string[], dir: string, b: Bound, window: number, limit: number): string {
  const near = `SELECT * FROM movements m${whereSql(after)} ORDER BY m.occurred_at ${dir}, m.seq ${dir} LIMIT ${b.add(window)}`;
  return `SELECT m.seq FROM (${near}) m${whereSql(filterWhere(f, sets, b))} ORDER BY occurred_at ${dir}, seq ${dir} LIMIT ${b.add(limit)}`;
}

/**
 * Ids as an int[] constant written in the statement, not bound: PostgreSQL checks `x = ANY(constant)` by a hash of the
 * array built once, a bound array ($n) element by element (a broad batch prefix's 3,742 batches over the 16,500 entries
 * walked for its page: 20 ms bound, 2.5 ms constant, load 25). Only integers are written (ids read from the ledger).
 */
function intArrayConstant(ids: readonly number[]): string {
  if (!ids.every((id) => Number.isSafeInteger(id))) throw new Error(`Not a list of ids: ${ids.join(',')}. Report this to Stockbook support.`);
  return `'{${ids.join(',')}}'::int[]`;
}

/** A keys statement, its values, and how it reads ('batched': the sample of a batch set alone on IDX_movements_batched_occurred). */
interface KeysStatement {
  text: string;
  values: unknown[];
  read: PageRead | 'batched';
}

/**
 * The detail rows of a page's keys ($1, in the page's order), joined to their names. Its text is the same for every
 * page, so it is prepared once per connection (named): PostgreSQL plans its eight-table join once (planning it afresh
 * took 19 ms of a 54 ms page on the 5,000,000-movement bench ledger), and the plan is the same for every page: each
 * key's movement by its primary key, its names by theirs.
 */
const DETAILS = {
  name: 'enquiry-movement-details',
  text: `SELECT ${DETAIL_COLUMNS} FROM unnest($1::int[]) WITH ORDINALITY k(seq, i) JOIN movements m ON m.seq = k.seq ${DETAIL_JOINS} ORDER BY k.i`,
};

/**
 * The balance just after each of the rows ($1 seq, $2 product, $3 site, $4 occurred_at): its product/site level less
 * the movements after it. The movements after a row are read once per product/site, not once per row: each row sums
 * only those up to the next newer row of its product/site on the page (`moved`: one range of the (product, site,
 * occurred_at, seq) INCLUDE (qty) index, read from the index alone), and a row's movements after it are its own range
 * and every newer row's of its product/site (the running SUM over the page's rows). Summing every later movement per
 * row read those of a product busy on the page once per row: 200 rows of a product a month back, 200 times its month.
 * Prepared once per connection (named): the statement is the same for every page, its plan too.
 */
const BALANCES = { name: 'enquiry-balances-on-date', text: balancesOver('unnest($1::int[], $2::int[], $3::int[], $4::bigint[]) AS x(seq, p, s, occ)') };

/** BALANCES' statement over the rows `rows` (seq, p product, s site, occ occurred_at). */
function balancesOver(rows: string): string {
  return `SELECT x.seq, COALESCE((SELECT SUM(l.qty) FROM stock_levels l WHERE l.product_id = x.p AND l.site_id = x.s), 0)
      - SUM(x.moved) OVER (PARTITION BY x.p, x.s ORDER BY x.occ DESC, x.seq DESC) AS bal
    FROM (
      SELECT x.seq, x.p, x.s, x.occ, COALESCE((SELECT SUM(m.qty) FROM movements m WHERE m.product_id = x.p AND m.site_id = x.s
          AND (m.occurred_at, m.seq) > (x.occ, x.seq) AND (m.occurred_at, m.seq) <= (COALESCE(x.nocc, ${Number.MAX_SAFE_INTEGER}), COALESCE(x.nseq, ${2 ** 31 - 1}))), 0) AS moved
      FROM (
        SELECT x.*, LAG(x.occ) OVER w AS nocc, LAG(x.seq) OVER w AS nseq
        FROM ${rows}
        WINDOW w AS (PARTITION BY x.p, x.s ORDER BY x.occ DESC, x.seq DESC)
      ) x
    ) x`;
}

/**
 * DETAILS with each row's balance on its date (BALANCES over the page's own rows, "balanceOnDate"), in one statement:
 * one round trip, not two. The page's movements are read once (k, by primary key), for their names and their balances.
 * The balances are computed once (bal MATERIALIZED) whichever way the planner joins them: inlined, a nested loop
 * (chosen when the statistics are stale, e.g. on a ledger loaded in bulk) ran the whole balance computation once per
 * row of the page, 100 times for a page of 100 (48-51 ms instead of 3, seen through two servers under writers).
 * Prepared once per connection (named), as DETAILS.
 */
const DETAILS_WITH_BALANCES = {
  name: 'enquiry-movement-details-balances',
  text: `WITH k AS MATERIALIZED (SELECT m.*, k.i FROM unnest($1::int[]) WITH ORDINALITY k(seq, i) JOIN movements m ON m.seq = k.seq),
    bal AS MATERIALIZED (${balancesOver('(SELECT seq, product_id AS p, site_id AS s, occurred_at AS occ FROM k) x')})
    SELECT ${DETAIL_COLUMNS}, bal.bal AS "balanceOnDate" FROM k m JOIN bal ON bal.seq = m.seq ${DETAIL_JOINS} ORDER BY m.i`,
};

/** A statement of the filter's resolution, and how its rows go into the resolved sets. */
export interface PgResolving {
  text: string;
  values: unknown[];
  into(sets: PgResolvedSets, rows: readonly QueryResultRow[]): void;
}

/**
 * The statements resolving the filter's expiry range, search box and recorded range to id sets (none for a filter with
 * none of them), each read into the sets by its `into`: PgMovementQuery.open runs them one by one, the enquiry page
 * sends them with its snapshot's BEGIN, in one round trip (their values written in: inlined).
 */
export function resolvingStatements(filter: MovementFilter): PgResolving[] {
  const r: PgResolving[] = [];
  if (filter.expiry && (filter.expiry.from || filter.expiry.to)) {
    r.push({ ...batchesExpiring(filter.expiry.from, filter.expiry.to), into: (sets, rows) => (sets.expiryBatches = rows.map((x) => (x as { id: number }).id)) });
  }
  const search = filter.search?.trim();
  if (search) {
    r.push({
      ...searchMatching(search),
      into: (sets, rows) => {
        const m = rows[0] as { products: number[]; batches: number[]; serials: number[]; documents: number[] };
        sets.searchProducts = m.products;
        sets.searchBatches = m.batches;
        sets.searchSerials = m.serials;
        // More than BROAD_DOCUMENTS: named by the search itself (only the first BROAD_DOCUMENTS + 1 ids are read).
        sets.broadDocuments = m.documents.length > BROAD_DOCUMENTS;
        sets.searchDocuments = sets.broadDocuments ? null : m.documents;
      },
    });
  }
  if (filter.recorded && (filter.recorded.from !== undefined || filter.recorded.to !== undefined)) {
    r.push({ ...recordedFewerThan(filter.recorded.from, filter.recorded.to, RECORDED_FEW), into: (sets, rows) => (sets.recordedFew = (rows[0] as { n: number }).n < RECORDED_FEW) });
  }
  return r;
}

/**
 * What the search box matches, in one statement (one round trip, not two): products by SKU prefix, name prefix or name
 * word prefix (ASCII case folded, as SQLite's LIKE) or exact barcode; batches whose code starts with the search (ASCII
 * case folded), in id order (a per-batch read then descends its index in key order); serial units whose serial starts
 * with the search, any letter case (`sn-1003` finds SN-1003), a range of IDX_serial_units_serial_lower (pg 0024);
 * the documents it names (documentsNamed), up to BROAD_DOCUMENTS + 1 of them (more: a broad set, named by the search).
 */
function searchMatching(search: string): { text: string; values: unknown[] } {
  const b = new Bound();
  const { pre, word, number } = searchPatterns(search, b);
  const exact = b.add(search);
  return {
    text: `SELECT ARRAY(SELECT id FROM products WHERE ${like('sku', pre)} OR ${like('name', pre)} OR ${like('name', word)}
         UNION SELECT product_id FROM product_barcodes WHERE barcode = ${exact}) AS products,
         ARRAY(SELECT id FROM batches WHERE ${like('code', pre)} ORDER BY id) AS batches,
         ARRAY(SELECT id FROM serial_units WHERE ${like('serial', pre)} ORDER BY id) AS serials,
         ${documentIdsSql(documentsNamed(pre, word, number), BROAD_DOCUMENTS + 1)} AS documents`,
    values: b.values,
  };
}

/**
 * `col` LIKE the pattern `p`, both sides folded by lower() in the "C" collation (ASCII letters only, as SQLite's LIKE),
 * so "ÉCLAIR" finds "ÉCLAIR".
 */
const like = (col: string, p: string) => `lower(${col} COLLATE "C") LIKE lower(${p} COLLATE "C")`;

/** The search's patterns bound in `b`: a prefix, a word's prefix, and the document number it names. */
function searchPatterns(search: string, b: Bound): { pre: string; word: string; number: string } {
  const e = escLike(search);
  return { pre: b.add(`${e}%`), word: b.add(`% ${e}%`), number: b.add(documentNumber(search)) };
}

/**
 * The documents a search names (its patterns' placeholders), one statement per way of naming them: the reference or the
 * counterparty starts with it (pg 0024's indexes), the receipt's supplier's code starts with it or its name or a word
 * of its name does, or the document's number is it (`123`, `#123`), as SQLite's documentsMatching. No statement names
 * a document twice (each reads a table keyed by the document), so one cut at n names at least n documents when it is full.
 */
function documentsNamed(pre: string, word: string, number: string): string[] {
  return [
    `SELECT id FROM documents WHERE ${like('reference', pre)}`,
    `SELECT document_id FROM operation_documents WHERE ${like('counterparty', pre)}`,
    `SELECT ds.document_id FROM suppliers sp JOIN document_suppliers ds ON ds.supplier_id = sp.id
       WHERE ${like('sp.code', pre)} OR ${like('sp.name', pre)} OR ${like('sp.name', word)}`,
    `SELECT id FROM documents WHERE id = ${number}::bigint`,
  ];
}

/**
 * The documents named (documentsNamed), in id order, up to `cap` (null: all): each way read only up to `cap`, so a
 * broad prefix reads `cap` entries of its index, not its 53,890 documents, and the answer holds `cap` when any did.
 */
function documentIdsSql(named: readonly string[], cap: number | null): string {
  const limit = cap === null ? '' : ` LIMIT ${cap}`;
  return `ARRAY(SELECT id FROM (${named.map((x) => `(${x}${limit})`).join(' UNION ')}) d(id) ORDER BY id${limit})`;
}

/** Whether fewer than `cap` movements were recorded in [from, to] (either end open when absent): counted on IDX_movements_recorded, stopping at `cap`. */
function recordedFewerThan(from: number | undefined, to: number | undefined, cap: number): { text: string; values: unknown[] } {
  const b = new Bound();
  const where = [from !== undefined ? `recorded_at >= ${b.add(from)}` : null, to !== undefined ? `recorded_at <= ${b.add(to)}` : null].filter((x) => x !== null);
  return { text: `SELECT COUNT(*) AS n FROM (SELECT 1 FROM movements${whereSql(where)} LIMIT ${b.add(cap)}) x`, values: b.values };
}

/**
 * Batches with an expiry in [from, to] (either end open when absent): a range scan of IDX_batches_expiry (pg migration
 * 0014), in id order: a per-batch read then descends IDX_movements_batch_occurred in key order, each descent near the
 * last (an expiry month's 2,144 heads on the bench ledger, fastest of 15 at load 24: 26.5 ms in expiry order, 10.7 ms sorted).
 */
function batchesExpiring(from: string | undefined, to: string | undefined): { text: string; values: unknown[] } {
  const b = new Bound();
  const where = ['expiry IS NOT NULL', from !== undefined ? `expiry >= ${b.add(from)}` : null, to !== undefined ? `expiry <= ${b.add(to)}` : null].filter((x) => x !== null);
  return { text: `SELECT id FROM batches${whereSql(where)} ORDER BY id`, values: b.values };
}

/**
 * The movement enquiry's statements over one PostgreSQL ledger: the page, the counts and the export's chunks (for
 * PgMovementQuery, whose counts follow the rule SQLite's MovementQuery follows), and the balances on date.
 */
export class PgMovementStore implements BalancesOnDateRecords {
  constructor(private readonly pool: PgReader) {}

  /** The rows of one of the filter's resolving statements (resolvingStatements). */
  async resolve(statement: PgResolving): Promise<QueryResultRow[]> {
    return (await this.pool.query(statement.text, statement.values)).rows;
  }

  /**
   * One page of detail rows in scan order: `desc` newest first; rows past `cursor` in scan order. The keys are found
   * first (the planner walks an index in (occurred_at, seq) order and stops at `limit`), then read with their names
   * by the prepared DETAILS; a batch set is probed first among the movements nearest the cursor, then read per batch or walked (PROBE_PAGES).
   */
  async page(f: MovementFilter, sets: PgResolvedSets, desc: boolean, limit: number, cursor: MovementCursor | undefined): Promise<DetailRow[]>;
  /** `balances`: each row with its balance on its date too (DETAILS_WITH_BALANCES, as balancesOnDate reads it). */
  async page(f: MovementFilter, sets: PgResolvedSets, desc: boolean, limit: number, cursor: MovementCursor | undefined, balances: true): Promise<(DetailRow & { balanceOnDate: number })[]>;
  async page(f: MovementFilter, sets: PgResolvedSets, desc: boolean, limit: number, cursor: MovementCursor | undefined, balances = false): Promise<DetailRow[]> {
    const { statement, keys } = await this.chosen(f, sets, desc, limit, cursor);
    const seqs = keys ?? (await this.keys(statement));
    if (seqs.length === 0) return [];
    return (await this.pool.query<DetailRow>({ ...(balances ? DETAILS_WITH_BALANCES : DETAILS), values: [seqs] })).rows;
  }

  /**
   * The keys statement a page reads: its probe, with the keys it found (`keys`) when they fill the page; otherwise the
   * statement to run instead (`keys` null): the batch set per batch, or the planner's walk when the probe found the set's
   * movements fairly recent. A batch set alone's sample is its probe: when its matches put the page within WALK_PER_HEAD
   * entries per batch, the walk goes on that far (batchedWalk) and, when it fills the page, is the page (SAMPLE_PER_HEAD).
   */
  private async chosen(f: MovementFilter, sets: PgResolvedSets, desc: boolean, limit: number, cursor: MovementCursor | undefined): Promise<{ statement: KeysStatement; keys: number[] | null }> {
    if (sets.broadDocuments && !perBatchSet(f, sets)) {
      // A product, bin, batch or document named too: the planner walks that one's index, the set's subplans checked row
      // by row (the busiest product of the 5,000,000-movement bench ledger has 19,100 movements).
      if (f.productId !== undefined || f.binId !== undefined || f.batchId !== undefined || f.documentId !== undefined) {
        return { statement: pageStatement(f, sets, desc, limit, cursor, 'walk')!, keys: null };
      }
      const walk = pageStatement(f, sets, desc, limit, cursor, 'documentsWalk')!;
      const keys = await this.keys(walk);
      if (keys.length === limit) return { statement: walk, keys };
      // The broad set's movements are not near the cursor: its ids, for the planner to choose as a narrow set's.
      await this.resolveBroad(f, sets);
    }
    const probe = pageStatement(f, sets, desc, limit, cursor, 'probe');
    let read: PageRead = 'perBatch';
    if (probe) {
      const keys = await this.keys(probe);
      if (keys.length === limit) return { statement: probe, keys };
      // The sample's k matches in SAMPLE_PER_HEAD entries a batch: the page about limit × SAMPLE_PER_HEAD / k entries a batch back.
      if (probe.read === 'batched' && keys.length * WALK_PER_HEAD >= limit * SAMPLE_PER_HEAD) {
        const walk = pageStatement(f, sets, desc, limit, cursor, 'batchedWalk')!;
        const walked = await this.keys(walk);
        if (walked.length === limit) return { statement: walk, keys: walked };
      }
      if (probe.read === 'probe' && keys.length > 0 && (PROBE_PAGES * limit * limit) / keys.length < HEAD_COST * perBatchSet(f, sets)!.length) read = 'walk';
    }
    return { statement: pageStatement(f, sets, desc, limit, cursor, read)!, keys: null };
  }

  /**
   * A broad document set (`sets.broadDocuments`) resolved to ids after all, in `sets` (the query's: its later reads on
   * this store, and on others it shares its sets with, use them): every document the search names (documentsNamed), in
   * id order. No-op for any other set.
   */
  async resolveBroad(f: MovementFilter, sets: PgResolvedSets): Promise<void> {
    if (!sets.broadDocuments) return;
    const b = new Bound();
    const { pre, word, number } = searchPatterns(f.search!.trim(), b);
    const text = `SELECT ${documentIdsSql(documentsNamed(pre, word, number), null)} AS ids`;
    const ids = (await this.pool.query<{ ids: number[] }>(text, b.values)).rows[0]!.ids;
    // Never none (documents are never deleted, and more than BROAD_DOCUMENTS were named): were it so, id 0 (no
    // document's) keeps the search's predicate, which an empty set would drop (every movement would match).
    sets.searchDocuments = ids.length ? ids : [0];
    sets.broadDocuments = false;
  }

  /** The seqs a keys statement finds, in its order. */
  private async keys(statement: KeysStatement): Promise<number[]> {
    return (await this.pool.query<{ seq: number }>(statement.text, statement.values)).rows.map((r) => r.seq);
  }

  /**
   * Each row's product/site balance just after it in effective (occurred_at, seq) order: the current level (its stock
   * levels summed from the (product, site) INCLUDE (qty) index alone, pg migration 0015) less the movements after it
   * (BALANCES). A newest-first page, the usual one, reads only the few movements after its rows.
   */
  async balancesOnDate(rows: readonly Pick<EntityRecord<typeof MovementEntity>, 'seq' | 'productId' | 'siteId' | 'occurredAt'>[]): Promise<Map<number, number>> {
    const r = await this.pool.query<{ seq: number; bal: number }>({
      ...BALANCES,
      values: [rows.map((x) => x.seq), rows.map((x) => x.productId), rows.map((x) => x.siteId), rows.map((x) => x.occurredAt)],
    });
    return new Map(r.rows.map((x) => [x.seq, x.bal]));
  }

  /**
   * The next `limit` matches after `cursor`, oldest first, as LEAN rows (arrays): the movement export's keyset chunk,
   * one ordered read of the movements alone (the names are read per chunk, pg-export-names-store.ts).
   */
  async exportRows(f: MovementFilter, sets: PgResolvedSets, limit: number, cursor: MovementCursor | undefined): Promise<unknown[][]> {
    const b = new Bound();
    const where = filterWhere(f, sets, b);
    if (cursor) where.push(`(m.occurred_at, m.seq) > (${b.add(cursor.occurredAt)}, ${b.add(cursor.seq)})`);
    const text = `SELECT ${LEAN_COLUMNS} FROM movements m${whereSql(where)} ORDER BY m.occurred_at, m.seq LIMIT ${b.add(limit)}`;
    return (await this.pool.query<unknown[]>({ text, values: b.values, rowMode: 'array' })).rows;
  }

  /** True when the filter has no predicate: every movement matches. */
  unfiltered(f: MovementFilter, sets: PgResolvedSets): boolean {
    return filterWhere(f, sets, new Bound()).length === 0;
  }

  /** The matches counted up to `limit` (the scan stops there). */
  async count(f: MovementFilter, sets: PgResolvedSets, limit: number): Promise<number> {
    // A broad set named by the search is no index's predicate: counted by ids, fewer matches than `limit` are read through
    // IDX_movements_document, not by reading the whole table (the page's walk stops at its page; a count may not).
    await this.resolveBroad(f, sets);
    const b = new Bound();
    const where = whereSql(filterWhere(f, sets, b));
    const r = await this.pool.query<{ n: number }>(`SELECT COUNT(*) AS n FROM (SELECT 1 FROM movements m${where} LIMIT ${b.add(limit)}) x`, b.values);
    return r.rows[0]!.n;
  }

  /** The matches among movements seq in [from, to] (a slice of the table, for a count refined slice by slice). */
  async countSlice(f: MovementFilter, sets: PgResolvedSets, from: number, to: number): Promise<number> {
    await this.resolveBroad(f, sets);
    const b = new Bound();
    const where = [...filterWhere(f, sets, b), `m.seq BETWEEN ${b.add(from)} AND ${b.add(to)}`];
    return (await this.pool.query<{ n: number }>(`SELECT COUNT(*) AS n FROM movements m${whereSql(where)}`, b.values)).rows[0]!.n;
  }

  /**
   * PostgreSQL's plan of a first page's keys statement (EXPLAIN; `analyze`: run, with times and buffers), for the bench
   * and the plan test: the statement the page reads its keys with (a batch set alone: its sample or walk of the batched
   * movements when that fills the page), a batch set's per-batch read or walk, not its probe of the nearest PROBE_PAGES
   * pages (the details are always DETAILS' primary-key reads). A broad document set whose walk does not hold the page is
   * resolved to ids in `sets`, as a page does.
   */
  async explain(f: MovementFilter, sets: PgResolvedSets, desc: boolean, limit: number, analyze = false): Promise<string[]> {
    const { statement } = await this.chosen(f, sets, desc, limit, undefined);
    const { text, values } = statement.read === 'probe' ? pageStatement(f, sets, desc, limit, undefined, 'perBatch')! : statement;
    const r = await this.pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${analyze ? '(ANALYZE, BUFFERS) ' : ''}${text}`, values);
    return r.rows.map((x) => x['QUERY PLAN']);
  }
}
