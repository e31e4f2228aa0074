import type pg from 'pg';
import type { PostDocumentInput } from '../../../../shared/contract/schemas';
import { ON_COSTS, type PostedDocument } from '../../../../shared/domain';
import type { CoreVerifyReport, LedgerCore } from '../../ledger-core';
import type { PostContext, SerialPlace, SiteCost } from '../../store/document-rules';
import { MOVEMENT_COLUMNS, type MovementRow } from '../../store/movement-hash';
import type { BinRef, ProductRef, SiteRef } from '../../store/reference-cache';
import { planPosting, type PostingPlan, type PostingSnapshot } from '../pg-posting-plan';
import { isRetryable, raceExhausted } from '../pg-errors';
import { verifyPg } from './pg-verify-store';

/**
 * The one advisory lock every PostgreSQL writer of movements takes, in the transaction, before it reads the chain head:
 * the hash chain is one sequence across all servers, so posting is serialized by the database (as SQLite serializes
 * it with its one writer process), and the head is read after the lock, never from a cache another server can make stale.
 */
export const CHAIN_LOCK_KEY = 0x5354_4f43_4b42; // "STOCKB"

const MAX_ATTEMPTS = 5;
/** Movements per multi-row insert statement. */
const INSERT_ROWS = 10_000;
const INT4_MAX = 2_147_483_647;

/**
 * PostgreSQL's ledger core: the same document rules as SQLite's DocumentPoster (store/document-rules.ts), with every
 * invariant held by the database across several servers. A call is one transaction, set-based: a constant number of
 * round trips whatever the number of documents and lines (pg-posting-plan.ts does the rules and the hash chain in JS).
 *   1. the chain lock (CHAIN_LOCK_KEY), then, in statements after it: the user and the chain head; the documents
 *      already posted under the keys; the products, sites, bins, batches, serial units and corrected movements named;
 *      the stock levels and the cost state of every product/site touched, locked FOR UPDATE in one statement each, in
 *      a fixed order (product, site, batch, id) so two writers never lock in opposite orders; ids for the new
 *      documents, batches and serial units from their sequences.
 *      The products, sites and bins the rules read are locked FOR SHARE (in id order) until the posting commits: a
 *      change of their rows on another server (a site or bin deactivated, a product's tracking or stock type changed,
 *      which master data allows only while they hold no stock) waits for the posting, and a change already under way
 *      makes the posting wait and read the changed row. FOR KEY SHARE would not do: it lets a plain UPDATE of non-key
 *      columns through (and the foreign keys take it anyway, at the insert). Postings never wait for each other on
 *      these (share locks, and the chain lock orders them); batches are not locked: nothing updates a batch, and its
 *      removal is stopped by the movements' foreign key. Whoever changes such a row must lock it (its UPDATE, or FOR
 *      UPDATE) before reading the stock its rule depends on (pg-concurrency.test.ts races both orders; with FOR KEY
 *      SHARE the change made by an UPDATE first would slip past a posting).
 *   2. the plan: every rule, refusal, balance, cost and hash, in JS, line by line in posting order.
 *   3. one multi-row INSERT … SELECT FROM unnest(…) per table (movements in statements of INSERT_ROWS), one UPSERT
 *      for the stock levels, one for the cost state, one UPDATE for the serial units moved.
 * A refusal throws before anything is written; a serialization failure or deadlock runs the whole call again.
 */
export class PgLedgerStore implements LedgerCore {
  constructor(private readonly pool: pg.Pool, private readonly clock: () => number = Date.now) {}

  async post(doc: PostDocumentInput, userId: number, context: PostContext = {}): Promise<PostedDocument> {
    return (await this.postMany([doc], userId, context))[0]!;
  }

  async postMany(docs: readonly PostDocumentInput[], userId: number, context: PostContext = {}): Promise<PostedDocument[]> {
    return pgTransaction(this.pool, (c) => postInTransaction(c, docs, userId, context, this.clock));
  }

  async balance(productId: number, siteId: number): Promise<number> {
    const r = await this.pool.query<{ q: number }>('SELECT COALESCE(SUM(qty), 0)::bigint AS q FROM stock_levels WHERE product_id = $1 AND site_id = $2', [productId, siteId]);
    return r.rows[0]!.q;
  }

  async verify(): Promise<CoreVerifyReport> {
    return verifyPg(this.pool);
  }
}

/**
 * Posts documents inside the caller's transaction on `c` (READ COMMITTED): the chain lock, then the plan and its writes.
 * A capability whose own rows change with the posting (a count's completion) calls it in its transaction, so both
 * commit or neither; the chain lock is held until that transaction ends.
 */
export async function postInTransaction(
  c: pg.PoolClient,
  docs: readonly PostDocumentInput[],
  userId: number,
  context: PostContext,
  clock: () => number,
): Promise<PostedDocument[]> {
  await c.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK_KEY]);
  const plan = await planPosting(docs, userId, context, clock, (need) => readSnapshot(c, need, userId));
  await writePlan(c, plan);
  return plan.results;
}

/**
 * One transaction on one client (READ COMMITTED; the locks give the order), retried from the start on a retryable
 * failure. For PostgreSQL's ledger core and any capability whose transaction posts or reads the ledger's state.
 */
export async function pgTransaction<T>(pool: pg.Pool, work: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const c = await pool.connect();
    // A connection whose ROLLBACK failed is broken: it is dropped from the pool, never handed to the next caller.
    let broken: Error | undefined;
    try {
      // READ COMMITTED always, whatever the database's default: each statement after the chain lock must see the rows
      // committed before the lock was granted (under REPEATABLE READ the snapshot would predate the lock).
      await c.query('BEGIN ISOLATION LEVEL READ COMMITTED');
      const result = await work(c);
      await c.query('COMMIT');
      return result;
    } catch (e) {
      await c.query('ROLLBACK').catch((r: unknown) => (broken = r instanceof Error ? r : new Error(String(r))));
      if (!broken && attempt < MAX_ATTEMPTS && isRetryable(e)) continue;
      throw raceExhausted(e, attempt);
    } finally {
      c.release(broken);
    }
  }
}

/** What the plan needs read, gathered from the documents before any rule runs. */
export interface SnapshotNeed {
  keys: string[];
  productIds: number[];
  siteIds: number[];
  binIds: number[];
  /** product/site pairs touched */
  pairs: [number, number][];
  /** product/batch code pairs named */
  batches: [number, string][];
  /** product/serial pairs named */
  serials: [number, string][];
  corrected: number[];
}

const ids = (xs: number[]) => [...new Set(xs.filter((x) => Number.isSafeInteger(x) && x > 0 && x <= INT4_MAX))];
const ON_COST_SQL = ON_COSTS.map((k) => `oc_${k}`);

/** Everything a posting reads, after the chain lock: a constant number of statements (those with nothing to read are skipped). */
async function readSnapshot(c: pg.PoolClient, need: SnapshotNeed, userId: number): Promise<PostingSnapshot> {
  const q = async <R extends pg.QueryResultRow>(sql: string, params: unknown[]): Promise<R[]> => (await c.query<R>(sql, params)).rows;
  const head = (await q<{ user_id: number | null; seq: number | null; hash: string | null }>(
    `SELECT (SELECT id FROM users WHERE id = $1 AND active) AS user_id, h.seq, h.hash
     FROM (SELECT 1) one LEFT JOIN LATERAL (SELECT seq, hash FROM movements ORDER BY seq DESC LIMIT 1) h ON true`,
    [Number.isSafeInteger(userId) && Math.abs(userId) <= INT4_MAX ? userId : 0],
  ))[0]!;
  const documents = need.keys.length === 0 ? [] : await q<{ id: number; idempotency_key: string; payload_hash: string; n: number; first: number | null; last: number | null }>(
    `SELECT d.id, d.idempotency_key, d.payload_hash, m.n, m.first, m.last FROM documents d
     CROSS JOIN LATERAL (SELECT COUNT(*) AS n, MIN(seq) AS first, MAX(seq) AS last FROM movements WHERE document_id = d.id) m
     WHERE d.idempotency_key = ANY($1::text[])`,
    [need.keys],
  );
  const products = await q<ProductRef>(
    'SELECT id, sku, name, stock_type AS "stockType", tracking, scale, stock_keeping AS "stockKeeping" FROM products WHERE id = ANY($1::int[]) ORDER BY id FOR SHARE',
    [ids(need.productIds)],
  );
  const serials = need.serials.length === 0 ? [] : await q<{ id: number; product_id: number; serial: string; site_id: number | null; bin_id: number | null; batch_id: number | null; in_stock: boolean }>(
    `SELECT s.id, s.product_id, s.serial, s.site_id, s.bin_id, s.batch_id, s.in_stock FROM serial_units s
     WHERE (s.product_id, s.serial) IN (SELECT * FROM unnest($1::int[], $2::text[])) ORDER BY s.product_id, s.id FOR UPDATE`,
    [need.serials.map((s) => s[0]), need.serials.map((s) => s[1])],
  );
  const sites = await q<SiteRef>(`SELECT id, code, name, allow_negative AS "allowNegative", kind = 'external' AS external, active FROM sites WHERE id = ANY($1::int[]) ORDER BY id FOR SHARE`, [
    ids([...need.siteIds, ...serials.flatMap((s) => (s.site_id === null ? [] : [s.site_id]))]),
  ]);
  const bins = need.binIds.length === 0 ? [] : await q<BinRef>('SELECT id, site_id AS "siteId", code, active FROM bins WHERE id = ANY($1::int[]) ORDER BY id FOR SHARE', [ids(need.binIds)]);
  const batches = need.batches.length === 0 ? [] : await q<{ id: number; product_id: number; code: string; expiry: string | null }>(
    'SELECT b.id, b.product_id, b.code, b.expiry FROM batches b JOIN unnest($1::int[], $2::text[]) AS k(product_id, code) ON b.product_id = k.product_id AND b.code = k.code',
    [need.batches.map((b) => b[0]), need.batches.map((b) => b[1])],
  );
  const corrected = need.corrected.length === 0 ? [] : await q<MovementRow>(`SELECT ${MOVEMENT_COLUMNS.join(', ')} FROM movements WHERE seq = ANY($1::int[])`, [ids(need.corrected)]);
  const pairProducts = need.pairs.map((p) => p[0]);
  const pairSites = need.pairs.map((p) => p[1]);
  const quants = need.pairs.length === 0 ? [] : await q<{ id: number; product_id: number; site_id: number; bin_id: number | null; batch_id: number | null; qty: number; last_movement_at: number; last_seq: number }>(
    `SELECT s.id, s.product_id, s.site_id, s.bin_id, s.batch_id, s.qty, s.last_movement_at, s.last_seq FROM stock_levels s
     WHERE (s.product_id, s.site_id) IN (SELECT * FROM unnest($1::int[], $2::int[]))
     ORDER BY s.product_id, s.site_id, s.batch_id NULLS FIRST, s.id FOR UPDATE`,
    [pairProducts, pairSites],
  );
  // The latest on-costs are those of the movement that set the latest cost (updated_seq): derived from the ledger, never stored twice.
  const costs = need.pairs.length === 0 ? [] : await q<{ product_id: number; site_id: number; latest_cost: number; average_cost: number; updated_seq: number; at: number } & Record<string, number>>(
    `SELECT c.product_id, c.site_id, c.latest_cost, c.average_cost, c.updated_seq, COALESCE(m.occurred_at, 0) AS at,
       ${ON_COST_SQL.map((k) => `COALESCE(m.${k}, 0) AS ${k}`).join(', ')}
     FROM cost_state c LEFT JOIN movements m ON m.seq = c.updated_seq
     WHERE (c.product_id, c.site_id) IN (SELECT * FROM unnest($1::int[], $2::int[]))
     ORDER BY c.product_id, c.site_id FOR UPDATE OF c`,
    [pairProducts, pairSites],
  );
  const pool = (await q<{ documents: number[]; batches: number[]; serials: number[] }>(
    `SELECT ARRAY(SELECT nextval('documents_id_seq')::int FROM generate_series(1, $1)) AS documents,
       ARRAY(SELECT nextval('batches_id_seq')::int FROM generate_series(1, $2)) AS batches,
       ARRAY(SELECT nextval('serial_units_id_seq')::int FROM generate_series(1, $3)) AS serials`,
    // only what is not found: a replay or a known batch or serial draws no number
    [need.keys.length - documents.length, need.batches.length - batches.length, need.serials.length - serials.length],
  ))[0]!;
  const place = (s: (typeof serials)[number]): SerialPlace & { id: number } => ({ id: s.id, siteId: s.site_id, binId: s.bin_id, batchId: s.batch_id, inStock: s.in_stock });
  const cost = (r: (typeof costs)[number]): SiteCost => ({ latest: r.latest_cost, average: r.average_cost, seq: r.updated_seq, at: r.at, onCosts: ON_COST_SQL.map((k) => r[k]!) });
  return {
    userActive: head.user_id !== null,
    head: head.seq === null ? null : { seq: head.seq, hash: head.hash! },
    documents: new Map(documents.map((d) => [d.idempotency_key, { id: d.id, payloadHash: d.payload_hash, movementCount: d.n, firstSeq: d.first, lastSeq: d.last }])),
    products: new Map(products.map((p) => [p.id, p])),
    sites: new Map(sites.map((s) => [s.id, s])),
    bins: new Map(bins.map((b) => [b.id, b])),
    batches: new Map(batches.map((b) => [`${b.product_id}\u0000${b.code}`, { id: b.id, expiry: b.expiry }])),
    serials: new Map(serials.map((s) => [`${s.product_id}\u0000${s.serial}`, place(s)])),
    corrected: new Map(corrected.map((m) => [m.seq, m])),
    quants: quants.map((r) => ({ id: r.id, productId: r.product_id, siteId: r.site_id, binId: r.bin_id, batchId: r.batch_id, qty: r.qty, lastAt: r.last_movement_at, lastSeq: r.last_seq })),
    costs: new Map(costs.map((r) => [`${r.product_id}:${r.site_id}`, cost(r)])),
    newIds: { documents: pool.documents, batches: pool.batches, serials: pool.serials },
  };
}

/** SQL array types of the movement columns, in MOVEMENT_COLUMNS order (for one unnest insert of many rows). */
const ARRAY_TYPE: Record<string, string> = { type: 'text[]', cost_source: 'text[]', note: 'text[]', prev_hash: 'text[]', hash: 'text[]' };
const BIGINT = new Set(['qty', 'balance_after', 'occurred_at', 'recorded_at', 'unit_cost', ...ON_COST_SQL]);
const arrayType = (c: string) => ARRAY_TYPE[c] ?? (BIGINT.has(c) ? 'bigint[]' : 'int[]');
const INSERT_MOVEMENTS = `INSERT INTO movements (${MOVEMENT_COLUMNS.join(', ')}) SELECT * FROM unnest(${MOVEMENT_COLUMNS.map((c, i) => `$${i + 1}::${arrayType(c)}`).join(', ')})`;
const columnsOf = <T>(rows: readonly T[], pick: ((r: T) => unknown)[]): unknown[][] => pick.map((f) => rows.map(f));

/** Writes a plan: one statement per table (movements in statements of INSERT_ROWS), inside the posting transaction. */
async function writePlan(c: pg.PoolClient, plan: PostingPlan): Promise<void> {
  if (plan.documents.length > 0) {
    await c.query(
      `INSERT INTO documents (id, type, reference, status, user_id, occurred_at, recorded_at, idempotency_key, payload_hash, note)
       SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::int[], $6::bigint[], $7::bigint[], $8::text[], $9::text[], $10::text[])`,
      columnsOf(plan.documents, [(d) => d.id, (d) => d.type, (d) => d.reference, () => 'posted', (d) => d.userId, (d) => d.occurredAt, (d) => d.recordedAt, (d) => d.key, (d) => d.payloadHash, (d) => d.note]),
    );
  }
  if (plan.newBatches.length > 0) {
    await c.query(
      'INSERT INTO batches (id, product_id, code, expiry, created_at) SELECT * FROM unnest($1::int[], $2::int[], $3::text[], $4::text[], $5::bigint[])',
      columnsOf(plan.newBatches, [(b) => b.id, (b) => b.productId, (b) => b.code, (b) => b.expiry, (b) => b.createdAt]),
    );
  }
  const serialColumns = [(s: PostingPlan['newSerials'][number]) => s.id, (s: PostingPlan['newSerials'][number]) => s.siteId, (s: PostingPlan['newSerials'][number]) => s.binId, (s: PostingPlan['newSerials'][number]) => s.batchId, (s: PostingPlan['newSerials'][number]) => s.inStock];
  if (plan.newSerials.length > 0) {
    await c.query(
      'INSERT INTO serial_units (id, site_id, bin_id, batch_id, in_stock, product_id, serial) SELECT * FROM unnest($1::int[], $2::int[], $3::int[], $4::int[], $5::boolean[], $6::int[], $7::text[])',
      columnsOf(plan.newSerials, [...serialColumns, (s) => s.productId, (s) => s.serial]),
    );
  }
  if (plan.movedSerials.length > 0) {
    await c.query(
      `UPDATE serial_units s SET site_id = u.site_id, bin_id = u.bin_id, batch_id = u.batch_id, in_stock = u.in_stock
       FROM unnest($1::int[], $2::int[], $3::int[], $4::int[], $5::boolean[]) AS u(id, site_id, bin_id, batch_id, in_stock) WHERE s.id = u.id`,
      columnsOf(plan.movedSerials, serialColumns),
    );
  }
  for (let i = 0; i < plan.movements.length; i += INSERT_ROWS) {
    const rows = plan.movements.slice(i, i + INSERT_ROWS);
    await c.query(INSERT_MOVEMENTS, MOVEMENT_COLUMNS.map((col) => rows.map((r) => r[col as keyof MovementRow])));
  }
  if (plan.quants.length > 0) {
    // Absolute values, computed under the rows' locks: an existing quant's row is replaced, a new one inserted.
    await c.query(
      `INSERT INTO stock_levels (product_id, site_id, bin_id, batch_id, qty, last_movement_at, last_seq)
       SELECT * FROM unnest($1::int[], $2::int[], $3::int[], $4::int[], $5::bigint[], $6::bigint[], $7::int[])
       ON CONFLICT (product_id, site_id, bin_id, batch_id)
       DO UPDATE SET qty = EXCLUDED.qty, last_movement_at = EXCLUDED.last_movement_at, last_seq = EXCLUDED.last_seq`,
      columnsOf(plan.quants, [(l) => l.productId, (l) => l.siteId, (l) => l.binId, (l) => l.batchId, (l) => l.qty, (l) => l.lastAt, (l) => l.lastSeq]),
    );
  }
  if (plan.costs.length > 0) {
    await c.query(
      `INSERT INTO cost_state (product_id, site_id, latest_cost, average_cost, updated_seq)
       SELECT * FROM unnest($1::int[], $2::int[], $3::bigint[], $4::bigint[], $5::int[])
       ON CONFLICT (product_id, site_id) DO UPDATE SET latest_cost = EXCLUDED.latest_cost, average_cost = EXCLUDED.average_cost, updated_seq = EXCLUDED.updated_seq`,
      columnsOf(plan.costs, [(k) => k.productId, (k) => k.siteId, (k) => k.latest, (k) => k.average, (k) => k.seq]),
    );
  }
}
