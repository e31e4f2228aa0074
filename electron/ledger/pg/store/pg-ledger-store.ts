import type pg from 'pg';
import type { PostDocumentInput } from '../../../../shared/contract/schemas';
import { ON_COSTS, type PostedDocument } from '../../../../shared/domain';
import type { CoreVerifyReport, LedgerCore } from '../../ledger-core';
import { inCompanyWords, needsCompanyWords, type PostContext, type SerialPlace, type SiteCost } from '../../store/document-rules';
import type { EntityRow, PgRow } from '../../entities/columns';
import type { DocumentEntity, MovementRow } from '../../entities/document.entities';
import type { BatchEntity, CostStateEntity, SerialUnitEntity, StockLevelEntity } from '../../entities/stock.entities';
import { companyDaysFor, dateTimeFor } from '../../../company/company-time';
import { pgCompanySettings } from '../../../company/pg-time-zone-store';
import { MOVEMENT_COLUMNS } from '../../store/movement-hash';
import type { BinRef, ProductRef, SiteRef } from '../../store/reference-cache';
import { planPosting, type PostingPlan, type PostingSnapshot } from '../pg-posting-plan';
import { isRetryable, raceExhausted } from '../pg-errors';
import { exactInteger } from '../pg-types';
import type { PG_SEQUENCES_KEPT_FOR_UPGRADE } from '../../migrations/pg/0005-pg-ledger-numbered-ids';
import { verifyPg } from './pg-verify-store';
import { writeTogether, type WritePart } from './pg-write-together';

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
 * invariant held by the database across several servers. A call is one transaction, set-based: four round trips
 * whatever the number of documents and lines (BEGIN with the chain lock, one read, one write, COMMIT; movements past
 * INSERT_ROWS add one each), and pg-posting-plan.ts does the rules and the hash chain in JS.
 *   1. the chain lock (CHAIN_LOCK_KEY, sent with the BEGIN), then, in ONE statement after it (SNAPSHOT_SQL): the user
 *      and the chain head; the documents already posted under the keys; the products, sites, bins, batches, serial
 *      units and corrected movements named; the stock levels and the cost state of every product/site touched, locked
 *      FOR UPDATE, each in a fixed order (product, site, batch, id) so two writers never lock in opposite orders; ids
 *      for the new documents, batches and serial units (each table's last id + 1, + 2, …: only postings write these
 *      tables and every posting holds the chain lock, so ids are unique and, as on SQLite, run on without a gap: a
 *      posting rolled back or refused takes none; pg 0005 took away their sequence defaults).
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
 *   3. ONE statement (writePlan): a multi-row INSERT … SELECT FROM unnest(…) per table, an UPSERT for the stock
 *      levels, one for the cost state, an UPDATE for the serial units moved, each a part of its WITH (movements past
 *      the first INSERT_ROWS in statements of INSERT_ROWS after it).
 * A refusal throws before anything is written; a serialization failure or deadlock runs the whole call again.
 */
export class PgLedgerStore implements LedgerCore {
  constructor(private readonly pool: pg.Pool, private readonly clock: () => number = Date.now) {}

  async post(doc: PostDocumentInput, userId: number, context: PostContext = {}): Promise<PostedDocument> {
    return (await this.postMany([doc], userId, context))[0]!;
  }

  async postMany(docs: readonly PostDocumentInput[], userId: number, context: PostContext = {}): Promise<PostedDocument[]> {
    // The chain lock rides on the BEGIN (one round trip): the transaction holds it before its first read.
    return pgTransaction(this.pool, (c) => postLocked(c, docs, userId, context, this.clock), { chainLock: true });
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
 * Takes the ledger's chain lock in the caller's transaction, until it ends: `exclusive` for whatever writes movements
 * or anchors the head; `shared` for reads that must see no posting half-done (a count's snapshot or scan).
 */
export async function lockChain(c: pg.PoolClient, mode: 'exclusive' | 'shared' = 'exclusive'): Promise<void> {
  await c.query(mode === 'shared' ? 'SELECT pg_advisory_xact_lock_shared($1)' : 'SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK_KEY]);
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
  options: PostOptions = {},
): Promise<PostedDocument[]> {
  if (!options.chainHeld) await lockChain(c);
  return postLocked(c, docs, userId, context, clock, options.also);
}

/** How a capability posts in its own transaction (postInTransaction). */
export interface PostOptions {
  /** The transaction took the chain lock already (pgTransaction's `chainLock`): it is not asked for again (one round trip less). */
  chainHeld?: boolean;
  /**
   * The capability's own rows, given the posted documents (their ids), written in the posting's one write statement
   * after the ledger's rows (no round trip of their own, and all or nothing with them).
   */
  also?: (posted: readonly PostedDocument[]) => WritePart[];
}

/**
 * Posts documents in a transaction that already holds the chain lock: two round trips, whatever the documents (one
 * statement reads everything the rules need, one writes every table and the caller's `also` rows; movements past
 * INSERT_ROWS add one each).
 */
async function postLocked(
  c: pg.PoolClient,
  docs: readonly PostDocumentInput[],
  userId: number,
  context: PostContext,
  clock: () => number,
  also?: (posted: readonly PostedDocument[]) => WritePart[],
): Promise<PostedDocument[]> {
  const plan = await planPosting(docs, userId, context, clock, (need) => readSnapshot(c, need, userId)).catch(async (e: unknown) => {
    // The plan cannot read the company's date format and time zone; a refusal naming a day or a time (batch expiry,
    // future effective time) is worded in them here (an error path only). Any other error is thrown as it is, without a
    // query: after a failed statement (a deadlock victim, a serialization failure) the transaction is aborted, and a
    // query would replace the retryable error with "transaction is aborted".
    if (!needsCompanyWords(e)) throw e;
    const settings = await pgCompanySettings(c);
    throw inCompanyWords(e, { shown: companyDaysFor(settings).shown, dateTime: (at) => dateTimeFor(at, settings) });
  });
  await writePlan(c, plan, also?.(plan.results) ?? []);
  return plan.results;
}

const BEGIN = 'BEGIN ISOLATION LEVEL READ COMMITTED';
/**
 * BEGIN and the chain lock as one simple query (two statements, one round trip; no parameters: the key is a constant).
 * Each statement of a simple query takes its own snapshot under READ COMMITTED, so the reads that follow the lock see
 * every row committed before it was granted.
 */
const BEGIN_WITH_CHAIN_LOCK = `${BEGIN}; SELECT pg_advisory_xact_lock(${CHAIN_LOCK_KEY})`;

/**
 * One transaction on one client (READ COMMITTED; the locks give the order), retried from the start on a retryable
 * failure. For PostgreSQL's ledger core and any capability whose transaction posts or reads the ledger's state.
 * `chainLock` takes the chain lock (CHAIN_LOCK_KEY) with the BEGIN, in the same round trip.
 */
export async function pgTransaction<T>(pool: pg.Pool, work: (c: pg.PoolClient) => Promise<T>, opts: { chainLock?: boolean } = {}): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const c = await pool.connect();
    // A connection whose ROLLBACK failed is broken: it is dropped from the pool, never handed to the next caller.
    let broken: Error | undefined;
    try {
      // READ COMMITTED always, whatever the database's default: each statement after the chain lock must see the rows
      // committed before the lock was granted (under REPEATABLE READ the snapshot would predate the lock).
      await c.query(opts.chainLock ? BEGIN_WITH_CHAIN_LOCK : BEGIN);
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
/** The movement columns PostgreSQL holds as bigint. */
const BIGINT_COLUMNS = new Set(['qty', 'balance_after', 'occurred_at', 'recorded_at', 'unit_cost', ...ON_COST_SQL]);

/** bigint columns travel inside the snapshot's JSON as text, read back by exactInteger: never a float on the way. */
const big = (c: string, from = c) => `${from}::text AS ${c}`;

/**
 * Everything a posting reads, after the chain lock, in ONE statement (one round trip, a named prepared statement): each
 * row set a JSON array, the locks taken in the order of the select list (head, documents, products FOR SHARE, serial
 * units FOR UPDATE, sites and bins FOR SHARE, batches, corrected movements, stock levels and cost state FOR UPDATE), then
 * the new ids given to what was not found. Its snapshot is taken when it starts, after the lock statement returned.
 */
const SNAPSHOT_SQL = `WITH
  head AS MATERIALIZED (SELECT (SELECT id FROM users WHERE id = $1 AND active) AS user_id, h.seq, h.hash
    FROM (SELECT 1) one LEFT JOIN LATERAL (SELECT seq, hash FROM movements ORDER BY seq DESC LIMIT 1) h ON true),
  docs AS MATERIALIZED (SELECT d.id, d.idempotency_key, d.payload_hash, m.n::int AS n, m.first, m.last FROM documents d
    CROSS JOIN LATERAL (SELECT COUNT(*) AS n, MIN(seq) AS first, MAX(seq) AS last FROM movements WHERE document_id = d.id) m
    WHERE d.idempotency_key = ANY($2::text[])),
  prods AS MATERIALIZED (SELECT id, sku, name, stock_type AS "stockType", tracking, scale, stock_keeping AS "stockKeeping"
    FROM products WHERE id = ANY($3::int[]) ORDER BY id FOR SHARE),
  sers AS MATERIALIZED (SELECT s.id, s.product_id, s.serial, s.site_id, s.bin_id, s.batch_id, s.in_stock FROM serial_units s
    WHERE (s.product_id, s.serial) IN (SELECT * FROM unnest($4::int[], $5::text[])) ORDER BY s.product_id, s.id FOR UPDATE),
  sits AS MATERIALIZED (SELECT id, code, name, allow_negative AS "allowNegative", kind = 'external' AS external, active FROM sites
    WHERE id = ANY($6::int[] || ARRAY(SELECT site_id FROM sers WHERE site_id IS NOT NULL)) ORDER BY id FOR SHARE),
  bns AS MATERIALIZED (SELECT id, site_id AS "siteId", code, active FROM bins WHERE id = ANY($7::int[]) ORDER BY id FOR SHARE),
  bats AS MATERIALIZED (SELECT b.id, b.product_id, b.code, b.expiry FROM batches b
    JOIN unnest($8::int[], $9::text[]) AS k(product_id, code) ON b.product_id = k.product_id AND b.code = k.code),
  corr AS MATERIALIZED (SELECT ${MOVEMENT_COLUMNS.map((c) => (BIGINT_COLUMNS.has(c) ? big(c) : c)).join(', ')} FROM movements WHERE seq = ANY($10::int[])),
  quants AS MATERIALIZED (SELECT s.id, s.product_id, s.site_id, s.bin_id, s.batch_id, ${big('qty', 's.qty')}, ${big('last_movement_at', 's.last_movement_at')}, s.last_seq
    FROM stock_levels s WHERE (s.product_id, s.site_id) IN (SELECT * FROM unnest($11::int[], $12::int[]))
    ORDER BY s.product_id, s.site_id, s.batch_id NULLS FIRST, s.id FOR UPDATE),
  costs AS MATERIALIZED (SELECT c.product_id, c.site_id, ${big('latest_cost', 'c.latest_cost')}, ${big('average_cost', 'c.average_cost')}, c.updated_seq,
      ${big('at', 'COALESCE(m.occurred_at, 0)')}, ${ON_COST_SQL.map((k) => big(k, `COALESCE(m.${k}, 0)`)).join(', ')}
    FROM cost_state c LEFT JOIN movements m ON m.seq = c.updated_seq
    WHERE (c.product_id, c.site_id) IN (SELECT * FROM unnest($11::int[], $12::int[]))
    ORDER BY c.product_id, c.site_id FOR UPDATE OF c)
SELECT (SELECT row_to_json(head) FROM head) AS head,
  (SELECT COALESCE(json_agg(docs), '[]') FROM docs) AS documents,
  (SELECT COALESCE(json_agg(prods), '[]') FROM prods) AS products,
  (SELECT COALESCE(json_agg(sers), '[]') FROM sers) AS serials,
  (SELECT COALESCE(json_agg(sits), '[]') FROM sits) AS sites,
  (SELECT COALESCE(json_agg(bns), '[]') FROM bns) AS bins,
  (SELECT COALESCE(json_agg(bats), '[]') FROM bats) AS batches,
  (SELECT COALESCE(json_agg(corr), '[]') FROM corr) AS corrected,
  (SELECT COALESCE(json_agg(quants), '[]') FROM quants) AS quants,
  (SELECT COALESCE(json_agg(costs), '[]') FROM costs) AS costs,
  ARRAY(SELECT (SELECT COALESCE(MAX(id), 0) FROM documents) + g FROM generate_series(1, $13 - (SELECT COUNT(*) FROM docs)::int) AS g) AS new_documents,
  ARRAY(SELECT (SELECT COALESCE(MAX(id), 0) FROM batches) + g FROM generate_series(1, $14 - (SELECT COUNT(*) FROM bats)::int) AS g) AS new_batches,
  ARRAY(SELECT (SELECT COALESCE(MAX(id), 0) FROM serial_units) + g FROM generate_series(1, $15 - (SELECT COUNT(*) FROM sers)::int) AS g) AS new_serials`;

type Text<T, K extends keyof T> = Omit<T, K> & Record<K, string>;
interface SnapshotRow {
  head: { user_id: number | null; seq: number | null; hash: string | null };
  documents: (Pick<EntityRow<typeof DocumentEntity>, 'id' | 'idempotency_key' | 'payload_hash'> & { n: number; first: number | null; last: number | null })[];
  products: ProductRef[];
  serials: PgRow<EntityRow<typeof SerialUnitEntity>>[];
  sites: SiteRef[];
  bins: BinRef[];
  batches: Pick<EntityRow<typeof BatchEntity>, 'id' | 'product_id' | 'code' | 'expiry'>[];
  corrected: Record<string, string | number | null>[];
  quants: Text<EntityRow<typeof StockLevelEntity>, 'qty' | 'last_movement_at'>[];
  costs: (Text<EntityRow<typeof CostStateEntity>, 'latest_cost' | 'average_cost'> & { at: string } & Record<string, string>)[];
  new_documents: number[];
  new_batches: number[];
  new_serials: number[];
}

/** A corrected movement as the JSON carried it: its bigint columns back to exact numbers. */
const movementOf = (r: Record<string, string | number | null>): MovementRow =>
  Object.fromEntries(MOVEMENT_COLUMNS.map((c) => [c, BIGINT_COLUMNS.has(c) ? exactInteger(r[c] as string) : r[c]])) as unknown as MovementRow;

/**
 * Moves a sequence kept for servers of the previous version (pg 0005 PG_SEQUENCES_KEPT_FOR_UPGRADE) past the ids this
 * posting numbers, so such a server, during a rolling upgrade, draws past every id rather than one a new server gave
 * (which its primary key would refuse, failing that posting, again and again). Only when new ids are taken; only
 * forward (setval never moves it back); nothing once a later migration drops the sequence. setval is not rolled back
 * with a refused posting: the old server then merely skips a number.
 */
async function advanceUpgradeSequence(c: pg.PoolClient, table: (typeof PG_SEQUENCES_KEPT_FOR_UPGRADE)[number], newIds: readonly number[]): Promise<void> {
  if (newIds.length === 0) return;
  const sequence = `${table}_id_seq`;
  await c.query({
    name: `stockbook_advance_${sequence}`,
    text: `SELECT setval(to_regclass($1), $2::bigint) FROM pg_sequences
      WHERE schemaname = current_schema() AND sequencename = $1 AND COALESCE(last_value, 0) < $2::bigint`,
    values: [sequence, Math.max(...newIds)],
  });
}

/** Everything a posting reads, after the chain lock: one statement, one round trip (SNAPSHOT_SQL). */
async function readSnapshot(c: pg.PoolClient, need: SnapshotNeed, userId: number): Promise<PostingSnapshot> {
  const values = [
    Number.isSafeInteger(userId) && Math.abs(userId) <= INT4_MAX ? userId : 0,
    need.keys,
    ids(need.productIds),
    need.serials.map((s) => s[0]), need.serials.map((s) => s[1]),
    ids(need.siteIds),
    ids(need.binIds),
    need.batches.map((b) => b[0]), need.batches.map((b) => b[1]),
    ids(need.corrected),
    need.pairs.map((p) => p[0]), need.pairs.map((p) => p[1]),
    // only what is not found draws a number: a replay or a known batch or serial draws none
    need.keys.length, need.batches.length, need.serials.length,
  ];
  const r = (await c.query<SnapshotRow>({ name: 'stockbook_posting_snapshot', text: SNAPSHOT_SQL, values })).rows[0]!;
  await advanceUpgradeSequence(c, 'batches', r.new_batches);
  await advanceUpgradeSequence(c, 'serial_units', r.new_serials);
  const place = (s: SnapshotRow['serials'][number]): SerialPlace & { id: number } => ({ id: s.id, siteId: s.site_id, binId: s.bin_id, batchId: s.batch_id, inStock: s.in_stock });
  const cost = (k: SnapshotRow['costs'][number]): SiteCost => ({
    latest: exactInteger(k.latest_cost), average: exactInteger(k.average_cost), seq: k.updated_seq, at: exactInteger(k.at), onCosts: ON_COST_SQL.map((oc) => exactInteger(k[oc]!)),
  });
  return {
    userActive: r.head.user_id !== null,
    head: r.head.seq === null ? null : { seq: r.head.seq, hash: r.head.hash! },
    documents: new Map(r.documents.map((d) => [d.idempotency_key, { id: d.id, payloadHash: d.payload_hash, movementCount: d.n, firstSeq: d.first, lastSeq: d.last }])),
    products: new Map(r.products.map((p) => [p.id, p])),
    sites: new Map(r.sites.map((s) => [s.id, s])),
    bins: new Map(r.bins.map((b) => [b.id, b])),
    batches: new Map(r.batches.map((b) => [`${b.product_id}\u0000${b.code}`, { id: b.id, expiry: b.expiry }])),
    serials: new Map(r.serials.map((s) => [`${s.product_id}\u0000${s.serial}`, place(s)])),
    corrected: new Map(r.corrected.map(movementOf).map((m) => [m.seq, m])),
    quants: r.quants.map((q) => ({
      id: q.id, productId: q.product_id, siteId: q.site_id, binId: q.bin_id, batchId: q.batch_id, qty: exactInteger(q.qty), lastAt: exactInteger(q.last_movement_at), lastSeq: q.last_seq,
    })),
    costs: new Map(r.costs.map((k) => [`${k.product_id}:${k.site_id}`, cost(k)])),
    newIds: { documents: r.new_documents, batches: r.new_batches, serials: r.new_serials },
  };
}

/** SQL array types of the movement columns, in MOVEMENT_COLUMNS order (for one unnest insert of many rows). */
const ARRAY_TYPE: Record<string, string> = { type: 'text[]', cost_source: 'text[]', note: 'text[]', prev_hash: 'text[]', hash: 'text[]' };
const arrayType = (c: string) => ARRAY_TYPE[c] ?? (BIGINT_COLUMNS.has(c) ? 'bigint[]' : 'int[]');
/** How every statement that appends movements begins (the PostgreSQL import crash test watches for it). */
export const APPEND_MOVEMENTS_START = 'INSERT INTO movements';
const INSERT_MOVEMENTS = `INSERT INTO movements (${MOVEMENT_COLUMNS.join(', ')}) SELECT * FROM unnest(${MOVEMENT_COLUMNS.map((c, i) => `$${i + 1}::${arrayType(c)}`).join(', ')})`;
const columnsOf = <T>(rows: readonly T[], pick: ((r: T) => unknown)[]): unknown[][] => pick.map((f) => rows.map(f));

type SerialRow = PostingPlan['newSerials'][number];
const serialColumns = [(s: SerialRow) => s.id, (s: SerialRow) => s.siteId, (s: SerialRow) => s.binId, (s: SerialRow) => s.batchId, (s: SerialRow) => s.inStock];

const WRITE_TABLES = ['documents', 'batches', 'new_serials', 'moved_serials', 'movements', 'stock_levels', 'cost_state'] as const;

/** One part of the plan's write: a data-modifying statement over unnest($n…) of its columns, or nothing when it has no rows. */
interface PlanPart extends Omit<WritePart, 'name'> {
  /** names the part (by its index in WRITE_TABLES) in the prepared statement's name */
  table: (typeof WRITE_TABLES)[number];
  rows: number;
}

/** The write's parts, in the order the tables reference each other (documents, batches, serial units, movements, levels, costs). */
function writeParts(plan: PostingPlan, movements: readonly MovementRow[]): WritePart[] {
  const unnest = (p: (i: number) => string, types: string[]) => `unnest(${types.map((t, i) => `${p(i)}::${t}`).join(', ')})`;
  const parts: PlanPart[] = [
    {
      table: 'documents',
      rows: plan.documents.length,
      sql: (p) => `INSERT INTO documents (id, type, reference, status, user_id, occurred_at, recorded_at, idempotency_key, payload_hash, note)
        SELECT * FROM ${unnest(p, ['int[]', 'text[]', 'text[]', 'text[]', 'int[]', 'bigint[]', 'bigint[]', 'text[]', 'text[]', 'text[]'])}`,
      columns: columnsOf(plan.documents, [(d) => d.id, (d) => d.type, (d) => d.reference, () => 'posted', (d) => d.userId, (d) => d.occurredAt, (d) => d.recordedAt, (d) => d.key, (d) => d.payloadHash, (d) => d.note]),
    },
    {
      table: 'batches',
      rows: plan.newBatches.length,
      sql: (p) => `INSERT INTO batches (id, product_id, code, expiry, created_at) SELECT * FROM ${unnest(p, ['int[]', 'int[]', 'text[]', 'text[]', 'bigint[]'])}`,
      columns: columnsOf(plan.newBatches, [(b) => b.id, (b) => b.productId, (b) => b.code, (b) => b.expiry, (b) => b.createdAt]),
    },
    {
      table: 'new_serials',
      rows: plan.newSerials.length,
      sql: (p) => `INSERT INTO serial_units (id, site_id, bin_id, batch_id, in_stock, product_id, serial) SELECT * FROM ${unnest(p, ['int[]', 'int[]', 'int[]', 'int[]', 'boolean[]', 'int[]', 'text[]'])}`,
      columns: columnsOf(plan.newSerials, [...serialColumns, (s) => s.productId, (s) => s.serial]),
    },
    {
      table: 'moved_serials',
      rows: plan.movedSerials.length,
      sql: (p) => `UPDATE serial_units s SET site_id = u.site_id, bin_id = u.bin_id, batch_id = u.batch_id, in_stock = u.in_stock
        FROM ${unnest(p, ['int[]', 'int[]', 'int[]', 'int[]', 'boolean[]'])} AS u(id, site_id, bin_id, batch_id, in_stock) WHERE s.id = u.id`,
      columns: columnsOf(plan.movedSerials, serialColumns),
    },
    {
      table: 'movements',
      rows: movements.length,
      sql: (p) => `INSERT INTO movements (${MOVEMENT_COLUMNS.join(', ')}) SELECT * FROM ${unnest(p, MOVEMENT_COLUMNS.map(arrayType))}`,
      columns: MOVEMENT_COLUMNS.map((col) => movements.map((r) => r[col as keyof MovementRow])),
    },
    {
      // Absolute values, computed under the rows' locks: an existing quant's row is replaced, a new one inserted.
      table: 'stock_levels',
      rows: plan.quants.length,
      sql: (p) => `INSERT INTO stock_levels (product_id, site_id, bin_id, batch_id, qty, last_movement_at, last_seq)
        SELECT * FROM ${unnest(p, ['int[]', 'int[]', 'int[]', 'int[]', 'bigint[]', 'bigint[]', 'int[]'])}
        ON CONFLICT (product_id, site_id, bin_id, batch_id)
        DO UPDATE SET qty = EXCLUDED.qty, last_movement_at = EXCLUDED.last_movement_at, last_seq = EXCLUDED.last_seq`,
      columns: columnsOf(plan.quants, [(l) => l.productId, (l) => l.siteId, (l) => l.binId, (l) => l.batchId, (l) => l.qty, (l) => l.lastAt, (l) => l.lastSeq]),
    },
    {
      table: 'cost_state',
      rows: plan.costs.length,
      sql: (p) => `INSERT INTO cost_state (product_id, site_id, latest_cost, average_cost, updated_seq)
        SELECT * FROM ${unnest(p, ['int[]', 'int[]', 'bigint[]', 'bigint[]', 'int[]'])}
        ON CONFLICT (product_id, site_id) DO UPDATE SET latest_cost = EXCLUDED.latest_cost, average_cost = EXCLUDED.average_cost, updated_seq = EXCLUDED.updated_seq`,
      columns: columnsOf(plan.costs, [(k) => k.productId, (k) => k.siteId, (k) => k.latest, (k) => k.average, (k) => k.seq]),
    },
  ];
  return parts.filter((part) => part.rows > 0).map((part) => ({ ...part, name: String(WRITE_TABLES.indexOf(part.table)) }));
}

/**
 * Writes a plan inside the posting transaction in ONE statement (one round trip): every table's rows as a
 * data-modifying WITH part of it, then the caller's `also` parts. The parts see the same snapshot and none reads
 * another's rows; the foreign keys between them are checked at the end of the statement. Movements past the first
 * INSERT_ROWS follow in statements of INSERT_ROWS each (a bulk posting), after the rows they reference.
 */
async function writePlan(c: pg.PoolClient, plan: PostingPlan, also: readonly WritePart[]): Promise<void> {
  await writeTogether(c, 'stockbook_posting_write', [...writeParts(plan, plan.movements.slice(0, INSERT_ROWS)), ...also]);
  for (let i = INSERT_ROWS; i < plan.movements.length; i += INSERT_ROWS) {
    const rows = plan.movements.slice(i, i + INSERT_ROWS);
    await c.query(INSERT_MOVEMENTS, MOVEMENT_COLUMNS.map((col) => rows.map((r) => r[col as keyof MovementRow])));
  }
}
