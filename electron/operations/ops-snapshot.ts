import { formatQuantity } from '../../shared/quantity';
import type { CompanySettings } from '../../shared/company';
import type { OnCosts } from '../../shared/domain';
import { companyDaysFor, dateTimeFor, type CompanyDays } from '../company/company-time';
import type { ComponentQty } from '../recipes/recipe-store';
import { receiptSupplierOf, type ReceiptSupplier } from '../suppliers/suppliers';
import { MAX_RECIPE_DEPTH } from '../../shared/recipes';
import type { BuiltOperation } from './operation-writer';
import type { OpsReads } from './ops-reads';
import { documentMissing, productMissing, siteMissing, type DocMovement, type EffectiveBalance, type LevelRow, type OpDocument, type OpProduct, type OpSite, type BatchMovedLater, type SerialMovedLater, type SerialUnitPlace } from './ops-store';

/** A supplier as the receipt rule reads it. */
export interface SupplierFacts {
  id: number;
  code: string;
  name: string;
  inEc: boolean;
  active: boolean;
}

/** What a store has read for a build, by key (null: read, and not there). */
export interface OpsFacts {
  products: Map<number, OpProduct | null>;
  sites: Map<number, OpSite | null>;
  /** by `productId:siteId` */
  levels: Map<string, LevelRow[]>;
  /** by `productId:siteId`, read with its levels: the latest effective time of its movements (null: none) */
  latestAt: Map<string, number | null>;
  /** by `productId:siteId@at` */
  balances: Map<string, EffectiveBalance>;
  /** by `productId:siteId@at`: what movements dated after `at` moved per batch, with each batch's lowest running sum */
  later: Map<string, BatchMovedLater[]>;
  /** by `productId\0code`: a batch's expiry (null: no such batch, or none) */
  batches: Map<string, string | null>;
  /** by `productId:siteId`: the latest cost (null without cost state) and its on-costs */
  costs: Map<string, { latest: number | null; onCosts: OnCosts }>;
  /** by `recipeId@at` */
  components: Map<string, ComponentQty[]>;
  /** by `productId\0serial` */
  serials: Map<string, SerialUnitPlace | null>;
  /** by `productId\0serial\0siteId@at`: serialLater */
  serialLater: Map<string, SerialMovedLater>;
  /** by `productId\0serial\0siteId`: serialsInOtherCase */
  otherCase: Map<string, string[]>;
  documents: Map<number, OpDocument | null>;
  movements: Map<number, DocMovement[]>;
  reversed: Map<number, number>;
  credited: Map<number, number>;
  suppliers: Map<number, SupplierFacts | null>;
  /** undefined until read; null when the company has not been saved */
  company: CompanySettings | null | undefined;
}

/** What a build asked for and the snapshot did not hold: the keys to read, with what each key needs. */
export interface OpsNeed {
  products: number[];
  sites: number[];
  levels: [number, number][];
  /** pairs whose latest effective time a line that names its time asks for (read with the levels: pg-ops-store.ts) */
  latest: [number, number][];
  balances: [number, number, number][];
  later: [number, number, number][];
  batches: [number, string][];
  costs: [number, number][];
  components: [number, number][];
  serials: [number, string][];
  serialLater: [number, string, number, number][];
  otherCase: [number, string, number][];
  documents: number[];
  movements: number[];
  reversed: number[];
  credited: number[];
  suppliers: number[];
  company: boolean;
}

const pair = (a: number, b: number) => `${a}:${b}`;

/** A need of nothing: a read of one kind starts from it. */
export function noNeed(): OpsNeed {
  return { products: [], sites: [], levels: [], latest: [], balances: [], later: [], batches: [], costs: [], components: [], serials: [], serialLater: [], otherCase: [], documents: [], movements: [], reversed: [], credited: [], suppliers: [], company: false };
}

export function emptyFacts(): OpsFacts {
  return {
    products: new Map(),
    sites: new Map(),
    levels: new Map(),
    latestAt: new Map(),
    balances: new Map(),
    later: new Map(),
    batches: new Map(),
    costs: new Map(),
    components: new Map(),
    serials: new Map(),
    serialLater: new Map(),
    otherCase: new Map(),
    documents: new Map(),
    movements: new Map(),
    reversed: new Map(),
    credited: new Map(),
    suppliers: new Map(),
    company: undefined,
  };
}

/**
 * The operations' reads over facts gathered from a store that cannot answer synchronously (PostgreSQL). A read the
 * facts do not hold is recorded as needed and answered with a stand-in that lets the build go on (a stock product,
 * a site that allows negative stock, no stock, no cost), so one pass finds every read at its depth; what the build
 * returns or throws counts only from a pass that needed nothing new (buildOver).
 */
export class OpsSnapshot implements OpsReads {
  need: OpsNeed = noNeed();
  private missed = false;
  constructor(readonly facts: OpsFacts = emptyFacts()) {}

  /** Starts a pass: nothing needed yet. */
  reset(): void {
    this.need = noNeed();
    this.missed = false;
  }

  get complete(): boolean {
    return !this.missed;
  }

  private miss<K extends keyof Omit<OpsNeed, 'company'>>(k: K, key: OpsNeed[K][number]): void {
    (this.need[k] as unknown[]).push(key);
    this.missed = true;
  }

  product(id: number, where = ''): OpProduct {
    const p = this.facts.products.get(id);
    if (p === undefined) {
      this.miss('products', id);
      return { id, sku: '', name: '', unit: '', scale: 0, stockType: 'Supplied', tracking: 'BULK', stockKeeping: true };
    }
    if (p === null) throw productMissing(where);
    return p;
  }

  site(id: number, role = 'site'): OpSite {
    const s = this.facts.sites.get(id);
    if (s === undefined) {
      this.miss('sites', id);
      return { id, code: '', name: '', external: false, allowNegative: true };
    }
    if (s === null) throw siteMissing(role);
    return s;
  }

  levels(productId: number, siteId: number): LevelRow[] {
    const l = this.facts.levels.get(pair(productId, siteId));
    if (l === undefined) this.miss('levels', [productId, siteId]);
    return l ?? [];
  }

  levelQty(productId: number, siteId: number, binId: number | null, batchCode: string | null): number {
    return this.levels(productId, siteId)
      .filter((l) => l.binId === binId && l.batchCode === batchCode)
      .reduce((sum, l) => sum + l.qty, 0);
  }

  /** Asked only by a line that names its effective time; read in the levels' statement (pg-ops-store.ts), for its pairs only. */
  latestAt(productId: number, siteId: number): number | null {
    const key = pair(productId, siteId);
    if (!this.facts.latestAt.has(key)) this.miss('latest', [productId, siteId]);
    return this.facts.latestAt.get(key) ?? null;
  }

  balanceFrom(productId: number, siteId: number, at: number): EffectiveBalance {
    const b = this.facts.balances.get(`${pair(productId, siteId)}@${at}`);
    if (b === undefined) this.miss('balances', [productId, siteId, at]);
    // A stand-in that refuses nothing, as a stand-in site allows negative stock: the pass goes on to the next line and
    // finds every backdated line's balance at once (a stand-in of none refused at the first, one pass per line).
    return b ?? { held: Number.MAX_SAFE_INTEGER, now: Number.MAX_SAFE_INTEGER, firstLater: null, lowest: Number.MAX_SAFE_INTEGER, lowestAt: null };
  }

  laterByBatch(productId: number, siteId: number, at: number): BatchMovedLater[] {
    const l = this.facts.later.get(`${pair(productId, siteId)}@${at}`);
    if (l === undefined) this.miss('later', [productId, siteId, at]);
    // A stand-in of nothing moved since: the quants then are the quants now, refusing no more than the levels do.
    return l ?? [];
  }

  batchExpiry(productId: number, code: string): string | null {
    const e = this.facts.batches.get(`${productId}\u0000${code}`);
    if (e === undefined) this.miss('batches', [productId, code]);
    return e ?? null;
  }

  private cost(productId: number, siteId: number): { latest: number | null; onCosts: OnCosts } {
    const c = this.facts.costs.get(pair(productId, siteId));
    if (c === undefined) this.miss('costs', [productId, siteId]);
    return c ?? { latest: null, onCosts: {} };
  }

  latestCost(productId: number, siteId: number): number | null {
    return this.cost(productId, siteId).latest;
  }

  latestOnCosts(productId: number, siteId: number): OnCosts {
    return this.cost(productId, siteId).onCosts;
  }

  components(recipeId: number, at: number): ComponentQty[] {
    const c = this.facts.components.get(`${recipeId}@${at}`);
    if (c === undefined) this.miss('components', [recipeId, at]);
    return c ?? [];
  }

  serialUnit(productId: number, serial: string): SerialUnitPlace | null {
    const u = this.facts.serials.get(`${productId}\u0000${serial}`);
    if (u === undefined) this.miss('serials', [productId, serial]);
    return u ?? null;
  }

  serialLater(productId: number, serial: string, siteId: number, at: number): SerialMovedLater {
    const l = this.facts.serialLater.get(`${productId}\u0000${serial}\u0000${siteId}@${at}`);
    if (l === undefined) this.miss('serialLater', [productId, serial, siteId, at]);
    // A stand-in of nothing moved since, refusing nothing.
    return l ?? { moved: 0, lowestRun: 0 };
  }

  serialsInOtherCase(productId: number, serial: string, siteId: number): string[] {
    const found = this.facts.otherCase.get(`${productId}\u0000${serial}\u0000${siteId}`);
    if (found === undefined) this.miss('otherCase', [productId, serial, siteId]);
    return found ?? [];
  }

  document(id: number): OpDocument {
    const d = this.facts.documents.get(id);
    if (d === undefined) {
      this.miss('documents', id);
      // Dated at the epoch: nothing is refused as dated before it (the next pass reads the document).
      return { id, type: '', reference: null, occurredAt: 0 };
    }
    if (d === null) throw documentMissing(id);
    return d;
  }

  movementsOf(documentId: number): DocMovement[] {
    const m = this.facts.movements.get(documentId);
    if (m === undefined) this.miss('movements', documentId);
    return m ?? [];
  }

  reversedQty(seq: number): number {
    const q = this.facts.reversed.get(seq);
    if (q === undefined) this.miss('reversed', seq);
    return q ?? 0;
  }

  valueCredited(seq: number): number {
    const q = this.facts.credited.get(seq);
    if (q === undefined) this.miss('credited', seq);
    return q ?? 0;
  }

  receiptSupplier(supplierId: number): ReceiptSupplier {
    const s = this.facts.suppliers.get(supplierId);
    if (s === undefined) {
      this.miss('suppliers', supplierId);
      return { id: supplierId, code: '', name: '', inEc: true };
    }
    return receiptSupplierOf(s);
  }

  dateTime(at: number): string {
    if (this.facts.company === undefined) {
      this.need.company = true;
      this.missed = true;
      return '';
    }
    return dateTimeFor(at, this.facts.company);
  }

  days(): CompanyDays {
    if (this.facts.company === undefined) {
      this.need.company = true;
      this.missed = true;
      // This pass is read again once the company is in: no day is before '' meanwhile.
      return { day: () => '', shown: (day) => day, quantity: formatQuantity };
    }
    return companyDaysFor(this.facts.company);
  }
}

/** Passes a build may take: one per recipe level, and a few for the reads that follow from the first ones. */
const MAX_PASSES = MAX_RECIPE_DEPTH + 6;

/**
 * Runs `build` over the snapshot until a pass needs nothing it does not hold, reading what each pass needed with
 * `read` in between; then its result (or its refusal) is the build's, exactly as over a store that answers at once.
 */
export async function buildOver(snapshot: OpsSnapshot, read: (need: OpsNeed, facts: OpsFacts) => Promise<void>, build: (ops: OpsReads) => BuiltOperation): Promise<BuiltOperation> {
  for (let pass = 1; pass <= MAX_PASSES; pass++) {
    snapshot.reset();
    let built: BuiltOperation | undefined;
    let refusal: unknown;
    try {
      built = build(snapshot);
    } catch (e) {
      refusal = e;
    }
    if (snapshot.complete) {
      if (built) return built;
      throw refusal;
    }
    await read(snapshot.need, snapshot.facts);
  }
  throw new Error(`An operation's build still needed new reads after ${MAX_PASSES} passes; this is a bug in the operations' snapshot.`);
}
