import type { MovementLineInput, PostDocumentInput } from '../../../shared/contract/schemas';
import { ON_COSTS, type PostedDocument } from '../../../shared/domain';
import {
  afterInboundCost, checkDocument, checkLinePlace, expiryMismatch, notCorrectable, type LineRefs, effectiveTime, idempotencyConflict, lineCost, nextSerialPlace, onCostArray, payloadHashOf,
  shortfall, userGone, type Corrected, type PostContext, type SerialPlace, type SiteCost,
} from '../store/document-rules';
import type { EntityRecord } from '../entities/columns';
import type { DocumentEntity, MovementRow } from '../entities/document.entities';
import type { BatchEntity, SerialUnitEntity } from '../entities/stock.entities';
import { GENESIS_HASH, hashMovement } from '../store/movement-hash';
import type { QuantLevel } from '../store/stock-state';
import type { BinRef, ProductRef, SiteRef } from '../store/reference-cache';
import type { SnapshotNeed } from './store/pg-ledger-store';

type DocumentRecord = EntityRecord<typeof DocumentEntity>;

/** A stock level (quant) as read under its row lock, then changed by the plan. */
export type PlanQuant = QuantLevel;

/** What a PostgreSQL posting read after taking its locks (pg-ledger-store.ts readSnapshot). */
export interface PostingSnapshot {
  userActive: boolean;
  head: { seq: number; hash: string } | null;
  documents: Map<string, { id: number; payloadHash: string; movementCount: number; firstSeq: number | null; lastSeq: number | null }>;
  products: Map<number, ProductRef>;
  sites: Map<number, SiteRef>;
  bins: Map<number, BinRef>;
  /** "<productId>\0<code>" */
  batches: Map<string, { id: number; expiry: string | null }>;
  /** "<productId>\0<serial>" */
  serials: Map<string, SerialPlace & { id: number }>;
  corrected: Map<number, MovementRow>;
  quants: (PlanQuant & { id: number })[];
  /** "<productId>:<siteId>" */
  costs: Map<string, SiteCost>;
  newIds: { documents: number[]; batches: number[]; serials: number[] };
}

type SerialRow = SerialPlace & Pick<EntityRecord<typeof SerialUnitEntity>, 'id' | 'productId' | 'serial'>;

/** What a PostgreSQL posting writes (pg-ledger-store.ts writePlan), and what it answers. */
export interface PostingPlan {
  results: PostedDocument[];
  documents: (Pick<DocumentRecord, 'id' | 'type' | 'reference' | 'userId' | 'occurredAt' | 'recordedAt' | 'payloadHash' | 'note'> & { key: DocumentRecord['idempotencyKey'] })[];
  newBatches: Pick<EntityRecord<typeof BatchEntity>, 'id' | 'productId' | 'code' | 'expiry' | 'createdAt'>[];
  newSerials: SerialRow[];
  movedSerials: SerialRow[];
  movements: MovementRow[];
  quants: PlanQuant[];
  costs: (SiteCost & { productId: number; siteId: number })[];
}

const linesOf = (doc: PostDocumentInput): MovementLineInput[] => (Array.isArray(doc.lines) ? doc.lines : []);

/** What must be read for these documents: only the lines of documents not already posted under their keys count. */
function needOf(docs: readonly PostDocumentInput[]): SnapshotNeed {
  const keys = [...new Set(docs.map((d) => d.idempotencyKey))];
  // The first document under each key (a Set, not a search per document: postMany may carry tens of thousands).
  const seen = new Set<string>();
  const lines = docs.filter((d) => !seen.has(d.idempotencyKey) && seen.add(d.idempotencyKey)).flatMap(linesOf);
  const valid = (id: number) => Number.isSafeInteger(id) && id > 0 && id <= 2_147_483_647;
  const uniq = <T>(xs: T[], key: (x: T) => string) => [...new Map(xs.map((x) => [key(x), x])).values()];
  const batches = uniq(lines.filter((l) => l.batch && valid(l.productId)).map((l): [number, string] => [l.productId, l.batch!.code]), (b) => `${b[0]}\u0000${b[1]}`);
  const serials = uniq(lines.filter((l) => l.serial && valid(l.productId)).map((l): [number, string] => [l.productId, l.serial!]), (s) => `${s[0]}\u0000${s[1]}`);
  return {
    keys,
    productIds: lines.map((l) => l.productId),
    siteIds: lines.map((l) => l.siteId),
    binIds: lines.flatMap((l) => (l.binId === undefined || l.binId === null ? [] : [l.binId])),
    pairs: uniq(lines.map((l): [number, number] => [l.productId, l.siteId]), (p) => `${p[0]}:${p[1]}`).filter((p) => p.every(valid)),
    batches,
    serials,
    corrected: lines.flatMap((l) => (l.reversalOf === undefined || !valid(l.reversalOf) ? [] : [l.reversalOf])),
  };
}

/**
 * Plans a PostgreSQL posting: reads once (`read`, after the chain lock), then applies the same rules as SQLite's
 * DocumentPoster line by line in posting order: the refusals in the same order with the same messages, balances per
 * product/site, quants, serial units, batches, cost state and the hash chain. Throws a refusal before anything is written.
 */
export async function planPosting(
  docs: readonly PostDocumentInput[],
  userId: number,
  context: PostContext,
  clock: () => number,
  read: (need: SnapshotNeed) => Promise<PostingSnapshot>,
): Promise<PostingPlan> {
  const need = needOf(docs);
  const snap = await read(need);
  if (!snap.userActive) throw userGone();
  return new Planner(snap, userId, context, clock).run(docs);
}

class Planner {
  private readonly plan: PostingPlan = { results: [], documents: [], newBatches: [], newSerials: [], movedSerials: [], movements: [], quants: [], costs: [] };
  private readonly head: { seq: number; hash: string };
  /** quants per product/site ("<product>:<site>"), and their sums */
  private readonly pairs = new Map<string, PlanQuant[]>();
  private readonly balances = new Map<string, number>();
  private readonly changedQuants = new Set<PlanQuant>();
  private readonly changedCosts = new Set<string>();
  private readonly changedSerials = new Map<string, SerialRow>();
  private readonly pendingBySeq = new Map<number, MovementRow>();

  /** The locked snapshot's references, as the shared line checks look them up. */
  private readonly lineRefs: LineRefs;

  constructor(private readonly snap: PostingSnapshot, private readonly userId: number, private readonly context: PostContext, private readonly clock: () => number) {
    this.lineRefs = { product: (id) => snap.products.get(id), site: (id) => snap.sites.get(id), bin: (id) => snap.bins.get(id) };
    this.head = snap.head ? { ...snap.head } : { seq: 0, hash: GENESIS_HASH };
    for (const q of snap.quants) {
      const key = `${q.productId}:${q.siteId}`;
      const pair = this.pairs.get(key) ?? [];
      pair.push({ ...q });
      this.pairs.set(key, pair);
      this.balances.set(key, (this.balances.get(key) ?? 0) + q.qty);
    }
  }

  run(docs: readonly PostDocumentInput[]): PostingPlan {
    for (const doc of docs) this.plan.results.push(this.postOne(doc));
    this.plan.quants = [...this.changedQuants];
    this.plan.costs = [...this.changedCosts].map((key) => {
      const [productId, siteId] = key.split(':').map(Number) as [number, number];
      return { ...this.snap.costs.get(key)!, productId, siteId };
    });
    for (const [key, s] of this.changedSerials) (this.snap.serials.has(key) ? this.plan.movedSerials : this.plan.newSerials).push(s);
    return this.plan;
  }

  private postOne(doc: PostDocumentInput): PostedDocument {
    const payloadHash = payloadHashOf(doc);
    const existing = this.snap.documents.get(doc.idempotencyKey);
    if (existing) {
      if (existing.payloadHash !== payloadHash) throw idempotencyConflict(doc.idempotencyKey, existing.id);
      return { documentId: existing.id, replayed: true, movementCount: existing.movementCount, firstSeq: existing.firstSeq, lastSeq: existing.lastSeq };
    }
    const sku = (id: number) => this.snap.products.get(id)?.sku ?? `product ${id}`;
    checkDocument(doc, this.context, sku, (id) => this.snap.sites.get(id)?.name ?? `site ${id}`);
    const clockNow = this.clock();
    const occurredAt = effectiveTime(doc, clockNow, (at) => new Date(at).toISOString());
    const now = this.context.recordedWhenEffective ? occurredAt : clockNow;
    const documentId = this.snap.newIds.documents.shift()!;
    this.plan.documents.push({
      id: documentId, type: doc.type, reference: doc.reference ?? null, userId: this.userId, occurredAt, recordedAt: now,
      key: doc.idempotencyKey, payloadHash, note: doc.note ?? null,
    });
    const firstSeq = this.head.seq + 1;
    doc.lines.forEach((line, i) => this.postLine(line, i + 1, documentId, occurredAt, now));
    const result = { documentId, replayed: false, movementCount: doc.lines.length, firstSeq, lastSeq: this.head.seq };
    this.snap.documents.set(doc.idempotencyKey, { id: documentId, payloadHash, movementCount: result.movementCount, firstSeq, lastSeq: this.head.seq });
    return result;
  }

  private postLine(line: MovementLineInput, lineNo: number, documentId: number, occurredAt: number, now: number): void {
    const where = `Line ${lineNo}`;
    const { product, site, binId } = checkLinePlace(this.lineRefs, line, where, lineNo);
    const batchId = line.batch ? this.batchId(product, line.batch, now, where, lineNo) : null;
    let corrected: Corrected | null = null;
    if (line.reversalOf !== undefined) {
      const target = this.pendingBySeq.get(line.reversalOf) ?? this.snap.corrected.get(line.reversalOf);
      if (!target || target.product_id !== product.id) {
        throw notCorrectable(where, lineNo, line.reversalOf, product);
      }
      corrected = { productId: target.product_id, qty: target.qty, unitCost: target.unit_cost, onCosts: ON_COSTS.map((k) => target[`oc_${k}`]) };
    }

    const seq = this.head.seq + 1;
    const pairKey = `${product.id}:${site.id}`;
    const quant = this.quant(pairKey, product.id, site.id, binId, batchId);
    const before = this.balances.get(pairKey) ?? 0;
    const serialId = line.serial ? this.moveSerial(product, site, line, binId, batchId, lineNo) : null;
    quant.qty += line.qty;
    if (occurredAt > quant.lastAt) quant.lastAt = occurredAt;
    quant.lastSeq = seq;
    this.changedQuants.add(quant);
    const balanceAfter = before + line.qty;
    this.balances.set(pairKey, balanceAfter);
    if (quant.qty < 0 && !site.allowNegative) throw shortfall(product, site, quant.qty, line.qty, lineNo, binId !== null || batchId !== null);

    const declared = onCostArray(line);
    const cost = lineCost(line, declared, corrected, () => this.snap.costs.get(pairKey) ?? null);
    if (cost.inbound) {
      this.snap.costs.set(pairKey, afterInboundCost(this.snap.costs.get(pairKey) ?? null, before, line.qty, line.unitCost!, seq, occurredAt, declared));
      this.changedCosts.add(pairKey);
    }
    const oc = cost.onCosts;
    const content: Omit<MovementRow, 'hash' | 'prev_hash'> = {
      seq, document_id: documentId, line_no: lineNo, product_id: product.id, site_id: site.id, bin_id: binId, batch_id: batchId,
      serial_id: serialId, type: line.type, qty: line.qty, balance_after: balanceAfter, occurred_at: occurredAt, recorded_at: now,
      user_id: this.userId, unit_cost: cost.unitCost, cost_source: cost.costSource, oc_insurance: oc[0]!, oc_freight: oc[1]!,
      oc_excise: oc[2]!, oc_customs: oc[3]!, oc_rhd: oc[4]!, oc_rent: oc[5]!, oc_delivery: oc[6]!, oc_labour: oc[7]!,
      oc_overhead: oc[8]!, reversal_of: line.reversalOf ?? null, note: line.note ?? null,
    };
    const hash = hashMovement(this.head.hash, content);
    const row: MovementRow = { ...content, prev_hash: this.head.hash, hash };
    this.plan.movements.push(row);
    this.pendingBySeq.set(seq, row);
    this.head.seq = seq;
    this.head.hash = hash;
  }

  private quant(pairKey: string, productId: number, siteId: number, binId: number | null, batchId: number | null): PlanQuant {
    let pair = this.pairs.get(pairKey);
    if (!pair) this.pairs.set(pairKey, (pair = []));
    let q = pair.find((x) => x.binId === binId && x.batchId === batchId);
    if (!q) pair.push((q = { id: null, productId, siteId, binId, batchId, qty: 0, lastAt: 0, lastSeq: 0 }));
    return q;
  }

  private batchId(product: ProductRef, batch: { code: string; expiry?: string | undefined }, now: number, where: string, lineNo: number): number {
    const key = `${product.id}\u0000${batch.code}`;
    const found = this.snap.batches.get(key);
    if (found) {
      if (batch.expiry && found.expiry && batch.expiry !== found.expiry) {
        throw expiryMismatch(where, lineNo, product, batch, found.expiry);
      }
      return found.id;
    }
    const id = this.snap.newIds.batches.shift()!;
    this.snap.batches.set(key, { id, expiry: batch.expiry ?? null });
    this.plan.newBatches.push({ id, productId: product.id, code: batch.code, expiry: batch.expiry ?? null, createdAt: now });
    return id;
  }

  private moveSerial(product: ProductRef, site: SiteRef, line: MovementLineInput, binId: number | null, batchId: number | null, lineNo: number): number {
    const key = `${product.id}\u0000${line.serial!}`;
    const unit = this.changedSerials.get(key) ?? this.snap.serials.get(key);
    const next = nextSerialPlace(unit, product, site, line, binId, batchId, lineNo, (id) => this.snap.sites.get(id)?.name ?? `site ${id}`);
    const id = unit?.id ?? this.snap.newIds.serials.shift()!;
    if (next !== unit) this.changedSerials.set(key, { ...next, id, productId: product.id, serial: line.serial! });
    return id;
  }
}
