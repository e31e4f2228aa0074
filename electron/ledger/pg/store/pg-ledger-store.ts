import type pg from 'pg';
import { AppError } from '../../../../shared/contract/errors';
import type { MovementLineInput, PostDocumentInput } from '../../../../shared/contract/schemas';
import { ON_COSTS, type CostSource, type PostedDocument } from '../../../../shared/domain';
import type { CoreVerifyReport, LedgerCore } from '../../ledger-core';
import { checkDocument, checkProduct, effectiveTime, idempotencyConflict, payloadHashOf, shortfall, userGone, type PostContext } from '../../store/document-rules';
import { GENESIS_HASH, hashMovement, MOVEMENT_COLUMNS, type MovementRow } from '../../store/movement-hash';
import type { BinRef, ProductRef, SiteRef } from '../../store/reference-cache';
import { verifyPg } from './pg-verify-store';

/**
 * The one advisory lock every PostgreSQL writer of movements takes, in the transaction, before it reads the chain head:
 * the hash chain is one sequence across all servers, so posting is serialized by the database (as SQLite serializes
 * it with its one writer process), and the head is read after the lock, never from a cache another server can make stale.
 */
export const CHAIN_LOCK_KEY = 0x5354_4f43_4b42; // "STOCKB"

/** Failures PostgreSQL asks the client to retry: serialization failure, deadlock, and a unique key won by another writer. */
const RETRY_CODES = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 5;
/** Movements buffered before one multi-row insert. */
const FLUSH_ROWS = 5_000;

const isRetryable = (e: unknown): boolean => {
  const err = e as { code?: string; constraint?: string };
  return RETRY_CODES.has(err.code ?? '') || (err.code === '23505' && err.constraint === 'UQ_documents_idempotency_key');
};

/**
 * PostgreSQL's ledger core: the same document rules as SQLite's DocumentPoster (store/document-rules.ts), with every
 * invariant held by the database across several servers: the chain head read under CHAIN_LOCK_KEY, the quants of
 * each product/site read `FOR UPDATE`, the idempotency key unique, the whole call one transaction retried on
 * serialization failure or deadlock. Nothing is cached between transactions.
 *
 * Not yet on PostgreSQL (refused or left out, see the report of issue 17): serial-tracked products, cost state
 * (a line without a declared cost is recorded at cost 0, source 'none'; a correction takes the cost it corrects).
 */
export class PgLedgerStore implements LedgerCore {
  constructor(private readonly pool: pg.Pool, private readonly clock: () => number = Date.now) {}

  async post(doc: PostDocumentInput, userId: number, context: PostContext = {}): Promise<PostedDocument> {
    return (await this.postMany([doc], userId, context))[0]!;
  }

  async postMany(docs: readonly PostDocumentInput[], userId: number, context: PostContext = {}): Promise<PostedDocument[]> {
    return this.transaction(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK_KEY]);
      const user = await c.query('SELECT id FROM users WHERE id = $1 AND active', [userId]);
      if (user.rowCount === 0) throw userGone();
      const tx = new PostingTransaction(c, this.clock, context, userId);
      const results: PostedDocument[] = [];
      for (const doc of docs) results.push(await tx.postOne(doc));
      await tx.flush();
      return results;
    });
  }

  async balance(productId: number, siteId: number): Promise<number> {
    const r = await this.pool.query<{ q: number }>('SELECT COALESCE(SUM(qty), 0)::bigint AS q FROM stock_levels WHERE product_id = $1 AND site_id = $2', [productId, siteId]);
    return r.rows[0]!.q;
  }

  async verify(): Promise<CoreVerifyReport> {
    return verifyPg(this.pool);
  }

  /** One transaction (READ COMMITTED; the locks give the order), retried from the start on a retryable failure. */
  private async transaction<T>(work: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const c = await this.pool.connect();
      try {
        await c.query('BEGIN');
        const result = await work(c);
        await c.query('COMMIT');
        return result;
      } catch (e) {
        await c.query('ROLLBACK').catch(() => undefined);
        if (attempt < MAX_ATTEMPTS && isRetryable(e)) continue;
        throw e;
      } finally {
        c.release();
      }
    }
  }
}

interface Quant {
  id: number | null;
  binId: number | null;
  batchId: number | null;
  qty: number;
  lastAt: number;
  lastSeq: number;
  dirty: boolean;
}

type Row = Omit<MovementRow, never>;

/** SQL array types of the movement columns, in MOVEMENT_COLUMNS order (for one unnest insert of many rows). */
const ARRAY_TYPE: Record<string, string> = { type: 'text[]', cost_source: 'text[]', note: 'text[]', prev_hash: 'text[]', hash: 'text[]' };
const BIGINT = new Set(['qty', 'balance_after', 'occurred_at', 'recorded_at', 'unit_cost', ...ON_COSTS.map((k) => `oc_${k}`)]);
const arrayType = (c: string) => ARRAY_TYPE[c] ?? (BIGINT.has(c) ? 'bigint[]' : 'int[]');
const INSERT_MOVEMENTS = `INSERT INTO movements (${MOVEMENT_COLUMNS.join(', ')}) SELECT * FROM unnest(${MOVEMENT_COLUMNS.map((c, i) => `$${i + 1}::${arrayType(c)}`).join(', ')})`;

/** The state of one posting transaction: looked up under its locks, thrown away when it ends. */
class PostingTransaction {
  private readonly products = new Map<number, ProductRef | null>();
  private readonly sites = new Map<number, SiteRef | null>();
  private readonly bins = new Map<number, BinRef | null>();
  /** the quants of each product/site touched, locked FOR UPDATE ("<product>:<site>" → quants) */
  private readonly quants = new Map<string, Quant[]>();
  private readonly pending: Row[] = [];
  private readonly pendingBySeq = new Map<number, Row>();
  private head: { seq: number; hash: string } | null = null;

  constructor(
    private readonly c: pg.PoolClient,
    private readonly clock: () => number,
    private readonly context: PostContext,
    private readonly userId: number,
  ) {}

  async postOne(doc: PostDocumentInput): Promise<PostedDocument> {
    const payloadHash = payloadHashOf(doc);
    const existing = (await this.c.query<{ id: number; payload_hash: string }>('SELECT id, payload_hash FROM documents WHERE idempotency_key = $1', [doc.idempotencyKey])).rows[0];
    if (existing) {
      if (existing.payload_hash !== payloadHash) throw idempotencyConflict(doc.idempotencyKey, existing.id);
      await this.flush();
      const m = (await this.c.query<{ n: number; first: number | null; last: number | null }>(
        'SELECT COUNT(*) AS n, MIN(seq) AS first, MAX(seq) AS last FROM movements WHERE document_id = $1',
        [existing.id],
      )).rows[0]!;
      return { documentId: existing.id, replayed: true, movementCount: m.n, firstSeq: m.first, lastSeq: m.last };
    }
    for (const line of doc.lines ?? []) {
      await this.product(line.productId);
      await this.site(line.siteId);
    }
    checkDocument(doc, this.context, (id) => this.products.get(id)?.sku ?? `product ${id}`, (id) => this.sites.get(id)?.name ?? `site ${id}`);
    const clockNow = this.clock();
    const occurredAt = effectiveTime(doc, clockNow, (at) => new Date(at).toISOString());
    const now = this.context.recordedWhenEffective ? occurredAt : clockNow;
    const documentId = (await this.c.query<{ id: number }>(
      'INSERT INTO documents (type, reference, status, user_id, occurred_at, recorded_at, idempotency_key, payload_hash, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id',
      [doc.type, doc.reference ?? null, 'posted', this.userId, occurredAt, now, doc.idempotencyKey, payloadHash, doc.note ?? null],
    )).rows[0]!.id;
    const head = await this.headOf();
    const firstSeq = head.seq + 1;
    for (let i = 0; i < doc.lines.length; i++) await this.postLine(doc.lines[i]!, i + 1, documentId, occurredAt, now, head);
    return { documentId, replayed: false, movementCount: doc.lines.length, firstSeq, lastSeq: head.seq };
  }

  private async postLine(line: MovementLineInput, lineNo: number, documentId: number, occurredAt: number, now: number, head: { seq: number; hash: string }): Promise<void> {
    const where = `Line ${lineNo}`;
    const product = await this.product(line.productId);
    if (!product) throw new AppError('NOT_FOUND', `${where}: the product picked does not exist (it may have been removed). Pick a product from the list.`, { line: lineNo, field: 'productId' });
    const site = await this.site(line.siteId);
    if (!site) throw new AppError('NOT_FOUND', `${where}: the site picked does not exist (it may have been removed). Pick a site from the list.`, { line: lineNo, field: 'siteId' });
    if (!site.active) throw new AppError('CONFLICT', `${where}: ${site.name} is inactive. Pick another site, or reactivate it in Sites & bins.`, { line: lineNo, field: 'siteId' });
    checkProduct(product, line, where, lineNo);
    if (line.serial) {
      throw new AppError('VALIDATION', `${where}: ${product.sku} is serial-tracked, and this PostgreSQL ledger does not keep serial numbers yet. Post it on a desktop (SQLite) ledger.`, { line: lineNo, field: 'serial' });
    }
    const binId = line.binId ?? null;
    if (binId !== null) {
      const bin = await this.bin(binId);
      if (!bin || bin.siteId !== site.id) {
        throw new AppError('VALIDATION', `${where}: ${bin ? `bin ${bin.code}` : 'the bin picked'} is not a bin of ${site.name}. Pick a bin of that site.`, { line: lineNo, field: 'binId' });
      }
      if (!bin.active) throw new AppError('CONFLICT', `${where}: bin ${bin.code} at ${site.name} is inactive. Pick another bin, or reactivate it in Sites & bins.`, { line: lineNo, field: 'binId' });
    }
    const batchId = line.batch ? await this.batchId(product, line.batch, now, where, lineNo) : null;
    let corrected: { unitCost: number; qty: number; onCosts: number[] } | null = null;
    if (line.reversalOf !== undefined) {
      const target = await this.movement(line.reversalOf);
      if (!target || target.product_id !== product.id) {
        throw new AppError('VALIDATION', `${where}: movement ${line.reversalOf} is not a movement of ${product.sku} and cannot be corrected by this line.`, { line: lineNo, field: 'reversalOf' });
      }
      corrected = { unitCost: target.unit_cost, qty: target.qty, onCosts: ON_COSTS.map((k) => target[`oc_${k}`]) };
    }

    const seq = head.seq + 1;
    const pair = await this.pairQuants(product.id, site.id);
    let quant = pair.find((q) => q.binId === binId && q.batchId === batchId);
    if (!quant) {
      quant = { id: null, binId, batchId, qty: 0, lastAt: 0, lastSeq: 0, dirty: false };
      pair.push(quant);
    }
    quant.qty += line.qty;
    if (occurredAt > quant.lastAt) quant.lastAt = occurredAt;
    quant.lastSeq = seq;
    quant.dirty = true;
    if (quant.qty < 0 && !site.allowNegative) throw shortfall(product, site, quant.qty, line.qty, lineNo, binId !== null || batchId !== null);
    const balanceAfter = pair.reduce((s, q) => s + q.qty, 0);

    const declared = line.onCosts ? ON_COSTS.map((k) => line.onCosts?.[k] ?? 0) : ON_COSTS.map(() => 0);
    let unitCost = 0;
    let costSource: CostSource = 'none';
    let onCosts = declared;
    if (line.unitCost !== undefined) {
      unitCost = line.unitCost;
      costSource = line.costSource ?? 'declared';
    } else if (corrected && Math.sign(corrected.qty) === -Math.sign(line.qty)) {
      unitCost = corrected.unitCost;
      costSource = 'latest_at_site';
      if (line.onCosts === undefined) onCosts = corrected.onCosts;
    }
    const [insurance, freight, excise, customs, rhd, rent, delivery, labour, overhead] = onCosts as [number, number, number, number, number, number, number, number, number];
    const content: Omit<MovementRow, 'hash' | 'prev_hash'> = {
      seq, document_id: documentId, line_no: lineNo, product_id: product.id, site_id: site.id, bin_id: binId, batch_id: batchId,
      serial_id: null, type: line.type, qty: line.qty, balance_after: balanceAfter, occurred_at: occurredAt, recorded_at: now,
      user_id: this.userId, unit_cost: unitCost, cost_source: costSource, oc_insurance: insurance, oc_freight: freight,
      oc_excise: excise, oc_customs: customs, oc_rhd: rhd, oc_rent: rent, oc_delivery: delivery, oc_labour: labour,
      oc_overhead: overhead, reversal_of: line.reversalOf ?? null, note: line.note ?? null,
    };
    const hash = hashMovement(head.hash, content);
    const row: Row = { ...content, prev_hash: head.hash, hash };
    this.pending.push(row);
    this.pendingBySeq.set(seq, row);
    head.seq = seq;
    head.hash = hash;
    if (this.pending.length >= FLUSH_ROWS) await this.flushMovements();
  }

  /** Writes the buffered movements and every changed quant, inside the transaction. */
  async flush(): Promise<void> {
    await this.flushMovements();
    for (const [key, pair] of this.quants) {
      const [productId, siteId] = key.split(':').map(Number);
      for (const q of pair) {
        if (!q.dirty) continue;
        if (q.id === null) {
          q.id = (await this.c.query<{ id: number }>(
            'INSERT INTO stock_levels (product_id, site_id, bin_id, batch_id, qty, last_movement_at, last_seq) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id',
            [productId, siteId, q.binId, q.batchId, q.qty, q.lastAt, q.lastSeq],
          )).rows[0]!.id;
        } else {
          await this.c.query('UPDATE stock_levels SET qty = $1, last_movement_at = $2, last_seq = $3 WHERE id = $4', [q.qty, q.lastAt, q.lastSeq, q.id]);
        }
        q.dirty = false;
      }
    }
  }

  private async flushMovements(): Promise<void> {
    if (this.pending.length === 0) return;
    const columns = MOVEMENT_COLUMNS.map((c) => this.pending.map((r) => r[c as keyof Row]));
    await this.c.query(INSERT_MOVEMENTS, columns);
    this.pending.length = 0;
    this.pendingBySeq.clear();
  }

  /** The chain head, read once per transaction after CHAIN_LOCK_KEY is held. */
  private async headOf(): Promise<{ seq: number; hash: string }> {
    if (!this.head) {
      const row = (await this.c.query<{ seq: number; hash: string }>('SELECT seq, hash FROM movements ORDER BY seq DESC LIMIT 1')).rows[0];
      this.head = row ? { seq: row.seq, hash: row.hash } : { seq: 0, hash: GENESIS_HASH };
    }
    return this.head;
  }

  /** Every quant of a product at a site, locked FOR UPDATE for the rest of the transaction; their sum is the balance. */
  private async pairQuants(productId: number, siteId: number): Promise<Quant[]> {
    const key = `${productId}:${siteId}`;
    let pair = this.quants.get(key);
    if (!pair) {
      const rows = (await this.c.query<{ id: number; bin_id: number | null; batch_id: number | null; qty: number; last_movement_at: number; last_seq: number }>(
        'SELECT id, bin_id, batch_id, qty, last_movement_at, last_seq FROM stock_levels WHERE product_id = $1 AND site_id = $2 ORDER BY id FOR UPDATE',
        [productId, siteId],
      )).rows;
      pair = rows.map((r) => ({ id: r.id, binId: r.bin_id, batchId: r.batch_id, qty: r.qty, lastAt: r.last_movement_at, lastSeq: r.last_seq, dirty: false }));
      this.quants.set(key, pair);
    }
    return pair;
  }

  private async movement(seq: number): Promise<Row | undefined> {
    const buffered = this.pendingBySeq.get(seq);
    if (buffered) return buffered;
    return (await this.c.query<Row>(`SELECT ${MOVEMENT_COLUMNS.join(', ')} FROM movements WHERE seq = $1`, [seq])).rows[0];
  }

  private async batchId(product: ProductRef, batch: { code: string; expiry?: string | undefined }, now: number, where: string, lineNo: number): Promise<number> {
    const found = (await this.c.query<{ id: number; expiry: string | null }>('SELECT id, expiry FROM batches WHERE product_id = $1 AND code = $2', [product.id, batch.code])).rows[0];
    if (found) {
      if (batch.expiry && found.expiry && batch.expiry !== found.expiry) {
        throw new AppError('VALIDATION', `${where}: batch ${batch.code} of ${product.sku} expires on ${found.expiry}, not ${batch.expiry}. Correct the expiry or use a new batch code.`, { line: lineNo, field: 'batch' });
      }
      return found.id;
    }
    return (await this.c.query<{ id: number }>('INSERT INTO batches (product_id, code, expiry, created_at) VALUES ($1, $2, $3, $4) RETURNING id', [product.id, batch.code, batch.expiry ?? null, now])).rows[0]!.id;
  }

  private async product(id: number): Promise<ProductRef | null> {
    if (!this.products.has(id)) {
      const r = (await this.c.query<ProductRef>(
        'SELECT id, sku, name, stock_type AS "stockType", tracking, scale, stock_keeping AS "stockKeeping" FROM products WHERE id = $1',
        [id],
      )).rows[0];
      this.products.set(id, r ?? null);
    }
    return this.products.get(id)!;
  }

  private async site(id: number): Promise<SiteRef | null> {
    if (!this.sites.has(id)) {
      const r = (await this.c.query<SiteRef>(
        `SELECT id, code, name, allow_negative AS "allowNegative", kind = 'external' AS external, active FROM sites WHERE id = $1`,
        [id],
      )).rows[0];
      this.sites.set(id, r ?? null);
    }
    return this.sites.get(id)!;
  }

  private async bin(id: number): Promise<BinRef | null> {
    if (!this.bins.has(id)) {
      const r = (await this.c.query<BinRef>('SELECT id, site_id AS "siteId", code, active FROM bins WHERE id = $1', [id])).rows[0];
      this.bins.set(id, r ?? null);
    }
    return this.bins.get(id)!;
  }
}
