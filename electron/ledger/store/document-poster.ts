import type Database from 'better-sqlite3';
import type { MovementLineInput, PostDocumentInput } from '../../../shared/contract/schemas';
import { ON_COSTS, type CostSource, type PostedDocument } from '../../../shared/domain';
import type { EntityRecord } from '../entities/columns';
import type { MovementRow } from '../entities/document.entities';
import type { SerialUnitEntity } from '../entities/stock.entities';
import { GENESIS_HASH, hashMovement } from './movement-hash';
import { companyDateTime, companyDays } from '../../company/company-time';
import {
  checkDocument, checkLinePlace, expiryMismatch, notCorrectable, effectiveTime, idempotencyConflict, lineCost, nextSerialPlace, onCostArray, payloadHashOf, shortfall, userGone,
  type Corrected, type PostContext,
} from './document-rules';
import { ReferenceCache, type ProductRef, type SiteRef } from './reference-cache';
import { StockState } from './stock-state';

export { FUTURE_TOLERANCE_MS, type PostContext } from './document-rules';
const BATCH_CACHE_LIMIT = 200_000;

/**
 * The single writer of movements. One call posts whole documents in one transaction:
 * every line or none, once per idempotency key, with quants, balances, costs and the hash chain.
 */
export class DocumentPoster {
  private readonly refs: ReferenceCache;
  private readonly state: StockState;
  private head: { seq: number; hash: string } | null = null;
  /** batches by product and code ("<productId>\0<code>"), found or written by this poster; cleared with the other caches */
  private readonly batches = new Map<string, { id: number; expiry: string | null }>();
  private readonly stmt;

  constructor(private readonly db: Database.Database, private readonly clock: () => number = Date.now) {
    this.refs = new ReferenceCache(db);
    this.state = new StockState(db);
    this.stmt = {
      head: db.prepare('SELECT seq, hash FROM movements ORDER BY seq DESC LIMIT 1'),
      docByKey: db.prepare('SELECT id, payload_hash AS payloadHash FROM documents WHERE idempotency_key = ?'),
      docMovements: db.prepare('SELECT COUNT(*) AS n, MIN(seq) AS first, MAX(seq) AS last FROM movements WHERE document_id = ?'),
      insertDoc: db.prepare(
        'INSERT INTO documents (type, reference, status, user_id, occurred_at, recorded_at, idempotency_key, payload_hash, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      batch: db.prepare('SELECT id, expiry FROM batches WHERE product_id = ? AND code = ?'),
      insertBatch: db.prepare('INSERT INTO batches (product_id, code, expiry, created_at) VALUES (?, ?, ?, ?)'),
      serial: db.prepare('SELECT id, site_id AS siteId, bin_id AS binId, batch_id AS batchId, in_stock AS inStock FROM serial_units WHERE product_id = ? AND serial = ?'),
      insertSerial: db.prepare('INSERT INTO serial_units (product_id, serial, batch_id, site_id, bin_id, in_stock) VALUES (?, ?, ?, ?, ?, ?)'),
      moveSerial: db.prepare('UPDATE serial_units SET site_id = ?, bin_id = ?, batch_id = ?, in_stock = ? WHERE id = ?'),
      reversed: db.prepare(`SELECT product_id, qty, unit_cost, ${ON_COSTS.map((k) => `oc_${k}`).join(', ')} FROM movements WHERE seq = ?`),
      user: db.prepare('SELECT id FROM users WHERE id = ? AND active = 1'),
      insertMovement: db.prepare(
        `INSERT INTO movements (seq, document_id, line_no, product_id, site_id, bin_id, batch_id, serial_id, type, qty, balance_after,
          occurred_at, recorded_at, user_id, unit_cost, cost_source, oc_insurance, oc_freight, oc_excise, oc_customs, oc_rhd, oc_rent,
          oc_delivery, oc_labour, oc_overhead, reversal_of, note, prev_hash, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      queueUnposted: db.prepare('INSERT INTO unposted_movements (occurred_at, seq) SELECT occurred_at, seq FROM movements WHERE seq BETWEEN ? AND ?'),
    };
  }

  /** Posts one document atomically and idempotently. */
  post(doc: PostDocumentInput, userId: number, context: PostContext = {}): PostedDocument {
    return this.postMany([doc], userId, context)[0]!;
  }

  /** Posts many documents in one transaction (imports, demo data, benchmarks): all or none. */
  postMany(docs: readonly PostDocumentInput[], userId: number, context: PostContext = {}): PostedDocument[] {
    const run = this.db.transaction(() => {
      if (!this.stmt.user.get(userId)) throw userGone();
      const before = this.headOf().seq;
      const results = docs.map((d) => this.postOne(d, userId, context));
      // What is left to post (migration 0045): the set's movements (seq contiguous from the head) queued in one statement.
      if (this.head!.seq > before) this.stmt.queueUnposted.run(before + 1, this.head!.seq);
      this.state.flush();
      return results;
    });
    try {
      return run();
    } catch (e) {
      this.reset();
      throw e;
    }
  }

  /** Forget everything cached (after a rollback, or when reference data changed). */
  reset(): void {
    this.refs.reset();
    this.state.reset();
    this.batches.clear();
    this.head = null;
  }

  private postOne(doc: PostDocumentInput, userId: number, context: PostContext): PostedDocument {
    const payloadHash = payloadHashOf(doc);
    const existing = this.stmt.docByKey.get(doc.idempotencyKey) as { id: number; payloadHash: string } | undefined;
    if (existing) {
      if (existing.payloadHash !== payloadHash) throw idempotencyConflict(doc.idempotencyKey, existing.id);
      const m = this.stmt.docMovements.get(existing.id) as { n: number; first: number | null; last: number | null };
      return { documentId: existing.id, replayed: true, movementCount: m.n, firstSeq: m.first, lastSeq: m.last };
    }

    checkDocument(doc, context, (id) => this.refs.product(id)?.sku ?? `product ${id}`, (id) => this.refs.site(id)?.name ?? `site ${id}`);
    const clockNow = this.clock();
    const occurredAt = effectiveTime(doc, clockNow, (at) => companyDateTime(this.db, at));
    const now = context.recordedWhenEffective ? occurredAt : clockNow;
    const documentId = Number(
      this.stmt.insertDoc.run(doc.type, doc.reference ?? null, 'posted', userId, occurredAt, now, doc.idempotencyKey, payloadHash, doc.note ?? null)
        .lastInsertRowid,
    );
    const head = this.headOf();
    const firstSeq = head.seq + 1;
    doc.lines.forEach((line, i) => this.postLine(line, i + 1, documentId, occurredAt, now, userId, head));
    return { documentId, replayed: false, movementCount: doc.lines.length, firstSeq, lastSeq: head.seq };
  }

  private postLine(
    line: MovementLineInput,
    lineNo: number,
    documentId: number,
    occurredAt: number,
    now: number,
    userId: number,
    head: { seq: number; hash: string },
  ): void {
    const where = `Line ${lineNo}`;
    const { product, site, binId } = checkLinePlace(this.refs, line, where, lineNo);
    const batchId = line.batch ? this.batchId(product, line.batch, now, where, lineNo) : null;
    let corrected: Corrected | null = null;
    if (line.reversalOf !== undefined) {
      const target = this.stmt.reversed.raw().get(line.reversalOf) as number[] | undefined;
      corrected = target ? { productId: target[0]!, qty: target[1]!, unitCost: target[2]!, onCosts: target.slice(3) } : null;
      if (!corrected || corrected.productId !== product.id) {
        throw notCorrectable(where, lineNo, line.reversalOf, product);
      }
    }

    const seq = head.seq + 1;
    const level = this.state.level(product.id, site.id, binId, batchId);
    const before = this.state.balanceAt(level);
    const serialId = line.serial ? this.moveSerial(product, site, line, binId, batchId, lineNo) : null;
    const balanceAfter = this.state.apply(level, line.qty, occurredAt, seq);
    if (level.qty < 0 && !site.allowNegative) throw shortfall(product, site, level.qty, line.qty, lineNo, binId !== null || batchId !== null);

    const { unitCost, costSource, onCosts } = this.costOf(product, site, line, before, seq, occurredAt, corrected);
    const [insurance, freight, excise, customs, rhd, rent, delivery, labour, overhead] = onCosts;
    const row: Omit<MovementRow, 'hash' | 'prev_hash'> = {
      seq,
      document_id: documentId,
      line_no: lineNo,
      product_id: product.id,
      site_id: site.id,
      bin_id: binId,
      batch_id: batchId,
      serial_id: serialId,
      type: line.type,
      qty: line.qty,
      balance_after: balanceAfter,
      occurred_at: occurredAt,
      recorded_at: now,
      user_id: userId,
      unit_cost: unitCost,
      cost_source: costSource,
      oc_insurance: insurance!,
      oc_freight: freight!,
      oc_excise: excise!,
      oc_customs: customs!,
      oc_rhd: rhd!,
      oc_rent: rent!,
      oc_delivery: delivery!,
      oc_labour: labour!,
      oc_overhead: overhead!,
      reversal_of: line.reversalOf ?? null,
      note: line.note ?? null,
    };
    const hash = hashMovement(head.hash, row);
    this.stmt.insertMovement.run(
      seq, documentId, lineNo, product.id, site.id, binId, batchId, serialId, line.type, line.qty, balanceAfter,
      occurredAt, now, userId, unitCost, costSource, row.oc_insurance, row.oc_freight, row.oc_excise, row.oc_customs,
      row.oc_rhd, row.oc_rent, row.oc_delivery, row.oc_labour, row.oc_overhead, row.reversal_of, row.note, head.hash, hash,
    );
    head.seq = seq;
    head.hash = hash;
  }

  private batchId(product: ProductRef, batch: { code: string; expiry?: string | undefined }, now: number, where: string, lineNo: number): number {
    const key = `${product.id}\u0000${batch.code}`;
    let found = this.batches.get(key);
    if (!found) {
      found = this.stmt.batch.get(product.id, batch.code) as { id: number; expiry: string | null } | undefined;
      if (found) this.remember(key, found);
    }
    if (found) {
      if (batch.expiry && found.expiry && batch.expiry !== found.expiry) {
        throw expiryMismatch(where, lineNo, product, batch, found.expiry, companyDays(this.db).shown);
      }
      return found.id;
    }
    const id = Number(this.stmt.insertBatch.run(product.id, batch.code, batch.expiry ?? null, now).lastInsertRowid);
    this.remember(key, { id, expiry: batch.expiry ?? null });
    return id;
  }

  /** Batches never change once written (only this poster writes them), so a found or new one is kept; bounded. */
  private remember(key: string, batch: { id: number; expiry: string | null }): void {
    if (this.batches.size >= BATCH_CACHE_LIMIT) this.batches.clear();
    this.batches.set(key, batch);
  }

  private moveSerial(product: ProductRef, site: SiteRef, line: MovementLineInput, binId: number | null, batchId: number | null, lineNo: number): number {
    const row = this.stmt.serial.get(product.id, line.serial!) as Pick<EntityRecord<typeof SerialUnitEntity>, 'id' | 'siteId' | 'binId' | 'batchId' | 'inStock'> | undefined;
    const unit = row ? { ...row, inStock: row.inStock === 1 } : undefined;
    const next = nextSerialPlace(unit, product, site, line, binId, batchId, lineNo, (id) => this.refs.site(id)?.name ?? `site ${id}`);
    if (!row) return Number(this.stmt.insertSerial.run(product.id, line.serial!, next.batchId, next.siteId, next.binId, next.inStock ? 1 : 0).lastInsertRowid);
    if (next !== unit) this.stmt.moveSerial.run(next.siteId, next.binId, next.batchId, next.inStock ? 1 : 0, row.id);
    return row.id;
  }

  /** The line's unit cost, source and on-costs (document-rules.ts lineCost); a declared inbound cost moves the site's cost state. */
  private costOf(
    product: ProductRef,
    site: SiteRef,
    line: MovementLineInput,
    onHandBefore: number,
    seq: number,
    occurredAt: number,
    corrected: Corrected | null,
  ): { unitCost: number; costSource: CostSource; onCosts: readonly number[] } {
    const declared = onCostArray(line);
    const r = lineCost(line, declared, corrected, () => this.state.cost(product.id, site.id));
    if (r.inbound) this.state.recordInboundCost(product.id, site.id, line.qty, line.unitCost!, onHandBefore, seq, occurredAt, declared);
    return r;
  }

  private headOf(): { seq: number; hash: string } {
    if (!this.head) {
      const row = this.stmt.head.get() as { seq: number; hash: string } | undefined;
      this.head = row ? { seq: row.seq, hash: row.hash } : { seq: 0, hash: GENESIS_HASH };
    }
    return this.head;
  }
}

export const ON_COST_COLUMNS = ON_COSTS.map((k) => `oc_${k}`);
