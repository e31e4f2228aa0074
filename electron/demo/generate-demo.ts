/**
 * Demo data: a year in the life of a wine merchant with a bar and a kitchen — products of every stock
 * type and tracking mode, four sites with bins, and movements of every type in the catalog —
 * posted through the real document poster, in chronological chunks, deterministic for a seed.
 */
import { AppError } from '../../shared/contract/errors';
import type { MovementLineInput, PostDocumentInput } from '../../shared/contract/schemas';
import type { DocumentTypeCode } from '../../shared/document-types';
import type { CostSource, OnCosts } from '../../shared/domain';
import type { MovementTypeCode } from '../../shared/movement-types';
import { movementValue } from '../../shared/quantity';
import type { SqliteLedger } from '../ledger/store/sqlite-ledger';
import {
  BAR, CUSTOMERS, DEMO_GROUPS, DEMO_SITES, EXT, KIT, MIN_PRODUCTS, STOCK_SITES, SUPPLIERS, WH1, WH2,
  demoBins, planCatalog, type PlannedProduct, type Route,
} from './demo-catalog';
import { withoutForeignKeyChecks } from './bulk-load-store';
import { clearDemoLoading, markDemoLoading } from './demo-marker-store';
import { ledgerContent } from './empty-ledger-store';
import { Rng, pad } from './demo-random';
import { StockModel, type Batch, type Pick } from './demo-stock';

export interface DemoProgress {
  done: number;
  total: number;
  phase: string;
}
export interface DemoOptions {
  /** Roughly how many movements to post (the result lands within a few percent). */
  movements: number;
  /** Product count; default clamp(movements / 40, 200, 5000). */
  products?: number;
  /** Same seed and options ⇒ the same data. Default 1. */
  seed?: number;
  /** The data covers the year before this instant. Default: today 00:00 UTC. */
  end?: Date;
  signal?: AbortSignal;
  onProgress?: (p: DemoProgress) => void;
}
export interface DemoResult {
  products: number;
  sites: number;
  documents: number;
  movements: number;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
const DAYS = 365;
const CHUNK_DOCS = 4_000;
const CHUNK_LINES = 40_000;
const PROGRESS_MS = 100;
const CANCELLED = 'Demo data generation was cancelled; documents posted so far are complete.';

export async function generateDemo(ledger: SqliteLedger, options: DemoOptions): Promise<DemoResult> {
  const movements = options.movements;
  if (!Number.isSafeInteger(movements) || movements < 1 || movements > 50_000_000) {
    throw new AppError('VALIDATION', 'The number of demo movements must be a whole number from 1 to 50,000,000.', { field: 'movements' });
  }
  const products = options.products ?? Math.min(5000, Math.max(200, Math.round(movements / 40)));
  if (!Number.isSafeInteger(products) || products < MIN_PRODUCTS || products > 100_000) {
    throw new AppError('VALIDATION', `The number of demo products must be a whole number from ${MIN_PRODUCTS} to 100,000.`, { field: 'products' });
  }
  const end = options.end ? options.end.getTime() : Math.floor(Date.now() / DAY) * DAY;
  if (!Number.isFinite(end) || end > Date.now()) {
    throw new AppError('VALIDATION', 'The demo data must end now or in the past. Choose an earlier end date.', { field: 'end' });
  }
  refuseUnlessNewLedger(ledger.db);
  if (options.signal?.aborted) throw new AppError('CANCELLED', CANCELLED);
  const generator = new DemoGenerator(ledger, { movements, products, seed: options.seed ?? 1, end, signal: options.signal, onProgress: options.onProgress });
  return generator.run();
}

/** Demo data loads only into a new, empty ledger (empty-ledger-store.ts): one someone has set up is refused, untouched. */
export function refuseUnlessNewLedger(db: SqliteLedger['db'], file?: string): void {
  const held = ledgerContent(db);
  if (held.length === 0) return;
  const what = held.length === 1 ? held[0] : `${held.slice(0, -1).join(', ')} and ${held.at(-1)}`;
  const fix = 'Start a new ledger file for the demo (stockbook demo --db NEW.db).';
  throw new AppError(
    'CONFLICT',
    file
      ? `${file} already holds ${what}; demo data loads only into a new, empty ledger. ${fix}`
      : `Demo data loads only into a new, empty ledger; this one already holds ${what}. ${fix}`,
  );
}

// ----------------------------------------------------------------------------------------------

interface Settings {
  movements: number;
  products: number;
  seed: number;
  end: number;
  signal: AbortSignal | undefined;
  onProgress: ((p: DemoProgress) => void) | undefined;
}

/** A posted line the generator may later correct, refund or take back. */
interface LineRef {
  p: number;
  s: number;
  bin: number;
  batch: Batch | null;
  serial: string | null;
  qty: number;
  seq: number;
  cost: number;
  onCosts?: OnCosts | undefined;
}

/** A bounded random sample of recent lines (memory stays flat however long the run). */
class Recent<T> {
  private readonly items: T[] = [];
  constructor(private readonly cap: number) {}
  push(x: T, rng: Rng): void {
    if (this.items.length < this.cap) this.items.push(x);
    else this.items[Math.floor(rng.next() * this.cap)] = x;
  }
  take(rng: Rng): T | undefined {
    const n = this.items.length;
    if (n === 0) return undefined;
    const i = Math.floor(rng.next() * n);
    const x = this.items[i]!;
    this.items[i] = this.items[n - 1]!;
    this.items.pop();
    return x;
  }
}

interface Supplier {
  name: string;
  products: number[];
  ptr: number;
}
interface Kind {
  name: string;
  /** Documents per 100 (before the weekday factor). */
  weight: number;
  warehouse: boolean;
  run: () => boolean;
}
interface LineCost {
  cost?: number;
  costSource?: CostSource;
  onCosts?: OnCosts | undefined;
  reversalOf?: number;
}

const WAREHOUSE_DAY = [0.15, 1.1, 1.1, 1.1, 1.1, 1.0, 0.4]; // Sun..Sat
const OUTLET_DAY = [0.9, 0.7, 0.8, 0.9, 1.0, 1.4, 1.5];
const MONTH = [0.8, 0.85, 0.95, 1, 1, 1.05, 1.1, 1.1, 1, 1.05, 1.15, 1.4]; // Jan..Dec

const WASTE_REASONS = ['Broken bottle', 'Spillage', 'Spoiled', 'Past use-by date', 'Dropped in service', 'Returned by guest', 'Overproduction'];
const RETURN_REASONS = ['Damaged in transit', 'Wrong item delivered', 'Corked', 'Short-dated', 'Over-delivered', 'Quality complaint'];
const CUSTOMER_RETURN_REASONS = ['Customer changed mind', 'Damaged label', 'Wrong item picked', 'Ordered in error', 'Returned unopened'];

class DemoGenerator {
  private readonly rng: Rng;
  private catalog: PlannedProduct[] = [];
  private ids: number[] = [];
  private readonly siteIds: number[] = [];
  private readonly siteNames: string[] = [];
  private readonly bins: number[][] = [];
  private stock!: StockModel;
  private par: Float64Array[] = [];
  private latestCost: Float64Array[] = [];
  /** the per-unit on-costs that came with each site's latest cost (what the ledger's cost state carries out again) */
  private latestOnCosts: (OnCosts | undefined)[][] = [];
  private userId = 0;

  // Working lists
  private suppliers = new Map<string, Supplier[]>();
  private replenishList: number[][] = [[], [], [], []];
  private replenishPtr = [0, 0, 0, 0];
  private preps: number[][] = [[], [], [], []];
  private prepPtr = [0, 0, 0, 0];
  private made: number[] = [];
  private madePtr = 0;
  private recipes: number[][] = [[], [], [], []];
  private siteProducts: number[][] = [[], [], [], []];
  private expiring = new Map<number, { p: number; s: number; batch: Batch }[]>();
  private expiryCursor = 0;

  // Recent lines for reversals, credits and refunds
  private readonly whReceipts = new Recent<LineRef>(4000);
  private readonly outletReceipts = new Recent<LineRef>(4000);
  private readonly despatched = new Map<string, Recent<LineRef>>();
  private readonly tickets: Recent<LineRef[]>[] = [new Recent(1), new Recent(1), new Recent(3000), new Recent(3000)];

  // Output
  private chunk: PostDocumentInput[] = [];
  private chunkLines = 0;
  private emitted = 0;
  private posted = 0;
  private docsEmitted = 0;
  private docsPosted = 0;
  private readonly refs = new Map<string, number>();
  private serialNo = 0;
  private batchNo = 0;
  private lastProgress = 0;

  // Clock
  private t = 0;
  private readonly start: number;
  private day = 0;
  private dailyAverage = 0;

  constructor(private readonly ledger: SqliteLedger, private readonly o: Settings) {
    this.rng = new Rng(o.seed);
    this.start = o.end - DAYS * DAY;
    for (const type of ['stock_despatch', 'outbound', 'excellar_so_despatch', 'ep_so_sale']) this.despatched.set(type, new Recent(4000));
  }

  async run(): Promise<DemoResult> {
    this.progress('Creating products and sites', true);
    this.setUp();
    try {
      await this.simulate();
      await this.flush();
    } catch (e) {
      // Stopped on purpose (cancel) or by other documents posted meanwhile: what was loaded is kept, whole documents
      // only, as before. Only a kill or a crash leaves the mark, and the next start discards that partial load.
      if (e instanceof AppError && (e.code === 'CANCELLED' || e.code === 'CONFLICT')) clearDemoLoading(this.ledger.db);
      throw e;
    }
    clearDemoLoading(this.ledger.db);
    this.progress('Finished', true);
    return { products: this.catalog.length, sites: DEMO_SITES.length, documents: this.docsPosted, movements: this.posted };
  }

  // --------------------------------------------------------------------------------------------
  // Reference data
  // --------------------------------------------------------------------------------------------

  private setUp(): void {
    const { ledger, rng } = this;
    this.catalog = planCatalog(this.o.products, rng);
    this.userId = ledger.reference.userId('admin');
    const external = ledger.sites.list().find((s) => s.kind === 'external');
    if (!external) throw new AppError('NOT_FOUND', 'The External pseudo-site is missing from this database; it cannot take demo data.');

    ledger.db.transaction(() => {
      // Marked until the last chunk is in: a killed or stopped load is discarded at the next start (demo-marker-store.ts).
      markDemoLoading(ledger.db);
      const groups = new Map<string, number>();
      for (const g of DEMO_GROUPS) groups.set(g.code, ledger.reference.addGroup(g.code, g.name, g.postOnCosts));
      DEMO_SITES.forEach((site, s) => {
        this.siteIds[s] = ledger.reference.addSite({ code: site.code, name: site.name, kind: site.kind });
        this.siteNames[s] = site.name;
        this.bins[s] = demoBins(s).map((b) => ledger.reference.addBin(this.siteIds[s]!, b.code, b.name));
      });
      this.planStock();
      for (const p of this.catalog) {
        const low = p.stockType === 'Supplied' || p.stockType === 'Made' ? (rng.chance(0.35) ? Math.round(this.par[p.homes[0]!]![p.idx]! * 0.25) : null) : null;
        this.ids[p.idx] = ledger.reference.addProduct({
          sku: p.sku,
          name: p.name,
          unit: p.unit,
          scale: p.scale,
          stockType: p.stockType,
          tracking: p.tracking,
          groupId: groups.get(p.group) ?? null,
          barcodes: p.barcodes,
          variantAttributes: p.attributes,
          lowStockLevel: low || null,
          components: p.stockType === 'Recipe' ? p.components.map((c) => ({ productId: this.ids[c.idx]!, qtyPerUnit: c.qty })) : [],
        });
      }
    })();
    this.siteIds[EXT] = external.id;
    this.siteNames[EXT] = external.name;
  }

  /** Par levels, supply lists and outlet assortments. */
  private planStock(): void {
    const { rng, catalog } = this;
    const n = catalog.length;
    this.stock = new StockModel(n, STOCK_SITES.length);
    this.par = STOCK_SITES.map(() => new Float64Array(n));
    this.latestCost = STOCK_SITES.map(() => new Float64Array(n));
    this.latestOnCosts = STOCK_SITES.map(() => new Array<OnCosts | undefined>(n));
    const usage = STOCK_SITES.map(() => new Float64Array(n));
    for (const r of catalog) {
      if (r.stockType !== 'Recipe') continue;
      for (const c of r.components) usage[r.outlet]![c.idx] = Math.max(usage[r.outlet]![c.idx]!, c.qty);
    }
    const bySupplier = new Map<string, Supplier>();
    for (const p of catalog) {
      if (p.stockType === 'Recipe' || p.stockType === 'Other') continue;
      for (const s of p.homes) {
        this.siteProducts[s]!.push(p.idx);
        const serial = p.tracking === 'SERIAL' || p.tracking === 'RFID';
        let par: number;
        if (p.stockType === 'Preparation') par = p.yieldQty * rng.int(1, 3);
        else if (p.stockType === 'Made') par = rng.int(10, 40);
        else if (s === WH1 || s === WH2) par = serial ? Math.min(24, p.pack * rng.int(2, 4)) : p.pack * rng.int(3, 8);
        else if (p.route === 'bar' || p.route === 'kitchen') par = p.pack * rng.int(1, 3);
        else if (serial) par = rng.int(2, 6);
        else par = Math.max(issueUnit(p) * 2, Math.max(usage[s]![p.idx]!, issueUnit(p) / 4) * rng.int(15, 40));
        this.par[s]![p.idx] = par;
        if (p.stockType === 'Supplied' && s !== WH1 && s !== WH2 && p.homes.includes(WH1)) this.replenishList[s]!.push(p.idx);
      }
      if (p.stockType === 'Preparation') this.preps[p.outlet]!.push(p.idx);
      if (p.stockType === 'Made') this.made.push(p.idx);
      if (p.stockType !== 'Supplied') continue;
      // Suppliers: products of one route (and, for outlet deliveries, one outlet) shared among a few named suppliers.
      const supplySites = p.route === 'bar' || p.route === 'kitchen' ? p.homes.filter((s) => s === BAR || s === KIT) : [];
      const keys = supplySites.length ? supplySites.map((s) => `${p.route}@${s}`) : [p.route];
      for (const key of keys) {
        const names = SUPPLIERS[p.route as Exclude<Route, 'none'>];
        const name = names[p.idx % names.length]!;
        let sup = bySupplier.get(`${key}/${name}`);
        if (!sup) {
          sup = { name, products: [], ptr: 0 };
          bySupplier.set(`${key}/${name}`, sup);
          const list = this.suppliers.get(key) ?? [];
          list.push(sup);
          this.suppliers.set(key, list);
        }
        sup.products.push(p.idx);
      }
    }
    for (const r of catalog) if (r.stockType === 'Recipe' && r.components.length) this.recipes[r.outlet]!.push(r.idx);
    // Best sellers first, so that a skewed pick sells them most.
    for (const list of this.recipes) list.sort((a, b) => catalog[b]!.popularity - catalog[a]!.popularity);
  }

  // --------------------------------------------------------------------------------------------
  // The year
  // --------------------------------------------------------------------------------------------

  private async simulate(): Promise<void> {
    const { rng, o } = this;
    const kinds = this.kinds();
    const dayWeight: number[] = [];
    for (let d = 0; d < DAYS; d++) {
      const date = new Date(this.start + d * DAY);
      const dow = date.getUTCDay();
      dayWeight.push((0.45 * WAREHOUSE_DAY[dow]! + 0.55 * OUTLET_DAY[dow]!) * MONTH[date.getUTCMonth()]!);
    }
    // The year's plan: by the end of day d, base + (target − base) × (weight of days 0..d) / (weight of the year)
    // movements, where base is the opening balance. A day that overshoots only shortens the next.
    const cumulativeWeight: number[] = [];
    let yearWeight = 0;
    for (const w of dayWeight) cumulativeWeight.push((yearWeight += w));
    let base = 0;
    this.dailyAverage = o.movements / DAYS;
    const cumulative = [0, 1, 2, 3, 4, 5, 6].map((dow) => {
      let sum = 0;
      return kinds.map((k) => (sum += k.weight * (k.warehouse ? WAREHOUSE_DAY[dow]! : OUTLET_DAY[dow]!)));
    });
    // Every kind runs early in the year at least once, so every movement type is present even in small data sets.
    const pending: number[] = [];
    const tries = new Array<number>(kinds.length).fill(0);

    for (let d = 0; d < DAYS; d++) {
      this.day = d;
      const dayStart = this.start + d * DAY;
      const date = new Date(dayStart);
      const dow = date.getUTCDay();
      if (this.emitted >= o.movements) break;
      if (d === 0) {
        this.t = dayStart + 6 * HOUR;
        this.opening();
        await this.maybeFlush();
        base = this.emitted;
        for (let k = 0; k < kinds.length; k++) pending.push(k);
      }
      const dayFirst = this.emitted;
      const dayGoal = base + ((o.movements - base) * cumulativeWeight[d]!) / yearWeight;

      if (dow === 1 && d > 0) {
        this.t = dayStart + 5 * HOUR + 30 * 60_000;
        this.count(WH1, 'cycle');
        this.t += 10 * 60_000;
        this.count(WH2, 'cycle');
        await this.maybeFlush();
      }

      const cum = cumulative[dow]!;
      const total = cum[cum.length - 1]!;
      const open = dayStart + 7 * HOUR;
      const span = 15.75 * HOUR;
      let fails = 0;
      this.t = Math.max(this.t, open);
      while (this.emitted < dayGoal && this.emitted < o.movements && fails < 200) {
        const frac = (this.emitted - dayFirst) / Math.max(1, dayGoal - dayFirst);
        this.t = Math.max(this.t + 1, Math.floor(open + frac * span + rng.next() * 60_000));
        let ok = false;
        if (pending.length > 0 && d > 0) {
          const k = pending.shift()!;
          ok = kinds[k]!.run();
          if (!ok && ++tries[k]! < 200) pending.push(k);
        }
        if (!ok) {
          const x = rng.next() * total;
          let k = 0;
          while (cum[k]! <= x) k++;
          ok = kinds[k]!.run();
        }
        fails = ok ? 0 : fails + 1;
        if (this.chunk.length >= CHUNK_DOCS || this.chunkLines >= CHUNK_LINES) await this.flush();
      }

      const tomorrow = new Date(dayStart + DAY);
      if (tomorrow.getUTCDate() === 1 && this.emitted < o.movements) {
        if (tomorrow.getUTCMonth() % 3 === 0) {
          this.t = Math.max(this.t + 1000, dayStart + 22 * HOUR + 50 * 60_000);
          for (const s of STOCK_SITES) {
            this.count(s, 'full');
            this.t += 60_000;
          }
        }
        this.t = Math.max(this.t + 1000, dayStart + 23 * HOUR + 30 * 60_000);
        this.periodVariance(BAR);
        this.t += 5 * 60_000;
        this.periodVariance(KIT);
        await this.maybeFlush();
      }
    }
  }

  private kinds(): Kind[] {
    const k = (name: string, weight: number, warehouse: boolean, run: () => boolean): Kind => ({ name, weight, warehouse, run });
    const outlet = () => (this.rng.chance(0.55) ? BAR : KIT);
    return [
      k('pos sale', 34, false, () => this.posSale(outlet())),
      k('sale refund', 0.6, false, () => this.saleRefund(outlet())),
      k('stock despatch', 9, true, () => this.despatch('stock_despatch', WH1, null, 'SO', 1, 10)),
      k('excellar despatch', 2, true, () => this.despatch('excellar_so_despatch', WH2, null, 'XSO', 1, 6)),
      k('ep sale', 1, true, () => this.despatch('ep_so_sale', WH2, 'ep', 'EPS', 1, 4)),
      k('outbound', 5, true, () => this.despatch('outbound', WH1, null, 'WEB', 1, 3)),
      k('sales credit note', 0.8, true, () => this.customerReturn('stock_despatch', 'sales_credit_note', 'refund', 'CN')),
      k('excellar credit note', 0.3, true, () => this.customerReturn('excellar_so_despatch', 'excellar_so_credit_note', 'refund', 'XCN')),
      k('ep credit note', 0.2, true, () => this.customerReturn('ep_so_sale', 'ep_so_credit_note', 'refund', 'ECN')),
      k('sales return', 0.6, true, () => this.customerReturn('outbound', 'sales_return_inbound', 'sales_return_inbound', 'RMA')),
      k('stock receipt', 2.2, true, () => this.receipt('wh1', WH1, 'stock_receipt', 'PO')),
      k('excellar receipt', 0.5, true, () => this.receipt('bond', WH2, 'excellar_stock_receipt', 'XPO')),
      k('ep receipt', 0.25, true, () => this.receipt('ep', WH2, 'ep_stock_receipt', 'EPO')),
      k('inbound', 0.8, true, () => this.receipt('sundry', WH1, 'inbound', 'GRN')),
      k('supplier order', 2.5, false, () => {
        const s = outlet();
        return this.receipt(s === BAR ? `bar@${BAR}` : `kitchen@${KIT}`, s, 'supplier_order', 'PO') ||
          this.receipt(s === BAR ? `kitchen@${BAR}` : `bar@${KIT}`, s, 'supplier_order', 'PO');
      }),
      k('cash purchase', 0.8, false, () => this.cashPurchase(outlet())),
      k('inbound reversal', 0.2, true, () => this.reverseReceipt(this.whReceipts, 'inbound_reversal', 'GRC')),
      k('supplier credit', 0.3, false, () => this.reverseReceipt(this.outletReceipts, 'supplier_credit', 'SCR')),
      k('po return', 0.4, true, () => this.supplierReturn('po_stock_return', WH1, 'wh1', 'RTN')),
      k('excellar po return', 0.15, true, () => this.supplierReturn('excellar_po_stock_return', WH2, 'bond', 'XRT')),
      k('ep po return', 0.1, true, () => this.supplierReturn('ep_po_stock_return', WH2, 'ep', 'ERT')),
      k('replenish outlet', 2.5, true, () => this.replenish(outlet())),
      k('bond transfer', 0.6, true, () => this.siteTransfer('stock_transfer_out', 'stock_transfer_in', 'STR')),
      k('transfer order', 0.4, true, () => this.siteTransfer('transfer_out', 'transfer_order_inbound', 'TO')),
      k('to external', 0.4, true, () => this.toExternal()),
      k('from external', 0.3, true, () => this.fromExternal()),
      k('bin move', 2.5, true, () => this.binMove()),
      k('work order', 0.8, true, () => this.workOrder()),
      k('preparation', 2.5, false, () => this.preparation(outlet())),
      k('wastage', 4, false, () => this.wastage()),
      k('clear', 0.5, true, () => this.clear()),
      k('inventory adjustment', 1.2, true, () => this.inventoryAdjustment()),
      k('stock adjustment', 1, true, () => this.stockAdjustment()),
      k('spot count', 1, true, () => this.count(this.rng.pick(STOCK_SITES), 'spot')),
      k('period variance', 0.05, false, () => this.periodVariance(outlet())),
    ];
  }

  // --------------------------------------------------------------------------------------------
  // Documents
  // --------------------------------------------------------------------------------------------

  /** Day-0 opening balances, as if imported from the previous system. */
  private opening(): void {
    const { rng, catalog } = this;
    const entries: [number, number][] = [];
    let estimate = 0;
    for (const s of STOCK_SITES) {
      for (const p of this.siteProducts[s]!) {
        const prod = catalog[p]!;
        if (prod.stockType !== 'Supplied') continue;
        entries.push([s, p]);
        estimate += isSerial(prod) ? Math.min(8, this.par[s]![p]!) : 1;
      }
    }
    const include = Math.min(1, (0.2 * this.o.movements) / Math.max(1, estimate));
    // However small the budget, stock the ingredients of one made product and one preparation per outlet.
    const essential = new Set<number>();
    const needs = (site: number, p: number | undefined) => {
      for (const c of p === undefined ? [] : catalog[p]!.components) essential.add(site * catalog.length + c.idx);
    };
    needs(WH1, this.made[0]);
    needs(BAR, this.preps[BAR]![0]);
    needs(KIT, this.preps[KIT]![0]);
    let lines: MovementLineInput[] = [];
    let site = -1;
    const done = () => {
      if (lines.length) this.emit('import', 'IMP', lines, `Opening balances imported from the previous system — ${this.siteNames[site]}`);
      lines = [];
    };
    for (const [s, p] of entries) {
      if (s !== site) {
        done();
        site = s;
      }
      if (!rng.chance(include) && !essential.has(s * catalog.length + p)) continue;
      const prod = catalog[p]!;
      const par = this.par[s]![p]!;
      const qty = isSerial(prod) ? Math.max(1, Math.min(8, par)) : roundUp(par * rng.around(0.5, 1), issueUnit(prod));
      this.putIn('inventory_import', p, s, qty, lines, { cost: prod.cost, costSource: 'declared' });
      if (lines.length >= 400) done();
    }
    done();
  }

  /** A delivery against a purchase order: products of one supplier that are below par. */
  private receipt(route: string, site: number, type: MovementTypeCode, prefix: string): boolean {
    const { rng } = this;
    const sups = this.suppliers.get(route);
    if (!sups?.length) return false;
    const sup = rng.pick(sups);
    const list = sup.products;
    const want = rng.int(2, Math.max(2, Math.min(25, Math.ceil(list.length / 3))));
    const withOnCosts = rng.chance(0.6);
    const lines: MovementLineInput[] = [];
    const refs: LineRef[] = [];
    const first = this.emitted + 1;
    const order = (p: number, qty: number) => {
      const prod = this.catalog[p]!;
      const cost = this.purchaseCost(prod);
      const onCosts = withOnCosts ? this.onCosts(prod, type, cost) : undefined;
      const from = lines.length;
      this.putIn(type, p, site, qty, lines, { cost, costSource: 'declared', onCosts });
      for (let i = from; i < lines.length; i++) {
        const l = lines[i]!;
        refs.push({ p, s: site, bin: l.binId ?? 0, batch: (l.batch as Batch | undefined) ?? null, serial: l.serial ?? null, qty: l.qty, seq: first + i, cost, onCosts });
      }
    };
    for (let scanned = 0; scanned < list.length && lines.length < want; scanned++) {
      const p = list[sup.ptr++ % list.length]!;
      const par = this.par[site]![p]!;
      const need = par - this.stock.onHand(p, site);
      if (need < par * 0.35) continue;
      const prod = this.catalog[p]!;
      order(p, isSerial(prod) ? Math.min(12, need) : roundUp(need, prod.pack));
    }
    if (lines.length === 0) {
      const p = rng.pick(list);
      const prod = this.catalog[p]!;
      order(p, isSerial(prod) ? Math.min(prod.pack, 6) : prod.pack);
    }
    this.emit('receipt', prefix, lines, `${sup.name}; delivery note DN${rng.int(100_000, 999_999)}`);
    const buffer = site === WH1 || site === WH2 ? this.whReceipts : this.outletReceipts;
    for (const r of refs) buffer.push(r, rng);
    return true;
  }

  private cashPurchase(site: number): boolean {
    const { rng } = this;
    const list = this.siteProducts[site]!;
    const lines: MovementLineInput[] = [];
    const n = rng.int(1, 3);
    for (let k = 0; k < n * 3 && lines.length < n; k++) {
      const p = rng.pick(list);
      const prod = this.catalog[p]!;
      if (prod.stockType !== 'Supplied' || isSerial(prod)) continue;
      const qty = prod.unit === 'ea' ? rng.int(1, 6) : issueUnit(prod) * rng.int(1, 3);
      this.putIn('cash_purchase', p, site, qty, lines, { cost: Math.round(this.purchaseCost(prod) * 1.15 / 100) * 100, costSource: 'declared' });
    }
    if (!lines.length) return false;
    this.emit('receipt', 'CP', lines, `Cash & carry, receipt ${rng.int(10_000, 99_999)}`);
    return true;
  }

  /** Takes back part of a recent receipt line (over-recorded quantity, or a credit from the supplier). */
  private reverseReceipt(buffer: Recent<LineRef>, type: MovementTypeCode, prefix: string): boolean {
    const { rng } = this;
    for (let attempt = 0; attempt < 3; attempt++) {
      const e = buffer.take(rng);
      if (!e) return false;
      let qty: number;
      if (e.serial !== null) {
        if (!this.stock.takeSerial(e.p, e.s, e.serial, e.bin)) continue;
        qty = 1;
      } else {
        qty = this.stock.takeQuant(e.p, e.s, e.bin, e.batch, Math.max(1, Math.round(e.qty * rng.pick([0.1, 0.25, 0.5, 1]))));
        if (qty === 0) continue;
      }
      const line = this.line(type, e.p, e.s, -qty, e.bin, e.batch, e.serial);
      line.unitCost = e.cost;
      line.costSource = 'declared';
      if (e.onCosts) line.onCosts = e.onCosts;
      line.reversalOf = e.seq;
      this.emit('receipt_reversal', prefix, [line], type === 'inbound_reversal' ? 'Over-recorded on receipt' : `Supplier credit: ${rng.pick(RETURN_REASONS)}`);
      return true;
    }
    return false;
  }

  private supplierReturn(type: MovementTypeCode, site: number, route: Route, prefix: string): boolean {
    const { rng } = this;
    const lines: MovementLineInput[] = [];
    const n = rng.int(1, 3);
    for (let k = 0; k < n; k++) {
      const p = this.pickStocked(site, (q) => this.catalog[q]!.route === route);
      if (p < 0) continue;
      const prod = this.catalog[p]!;
      const qty = isSerial(prod) ? 1 : Math.max(1, Math.round(rng.pick(prod.saleQtys) * rng.around(0.3, 1)));
      this.takeOut(type, p, site, qty, lines);
    }
    if (!lines.length) return false;
    this.emit('receipt_reversal', prefix, lines, `Returned to supplier: ${rng.pick(RETURN_REASONS)}`);
    return true;
  }

  /**
   * A warehouse's buyer reorders before its shelves run bare: with under two thirds of its range in stock, the next despatch
   * waits for a delivery (without this a small demo's bond was sold empty by the end of most years).
   */
  private restockIfLow(site: number): boolean {
    if (site !== WH1 && site !== WH2) return false;
    if (this.stock.stocked[site]!.size * 3 >= this.siteProducts[site]!.length * 2) return false;
    if (site === WH1) return this.receipt('wh1', WH1, 'stock_receipt', 'PO');
    return this.rng.chance(0.7) ? this.receipt('bond', WH2, 'excellar_stock_receipt', 'XPO') : this.receipt('ep', WH2, 'ep_stock_receipt', 'EPO');
  }

  private despatch(type: MovementTypeCode, site: number, route: Route | null, prefix: string, min: number, max: number): boolean {
    if (this.restockIfLow(site)) return true;
    const { rng } = this;
    const lines: MovementLineInput[] = [];
    const n = rng.int(min, max);
    const first = this.emitted + 1;
    const refs: LineRef[] = [];
    const filter = route ? (q: number) => this.catalog[q]!.route === route : null;
    const web = type === 'outbound';
    for (let k = 0; k < n; k++) {
      const p = this.pickPopular(site, filter);
      if (p < 0) continue;
      const prod = this.catalog[p]!;
      const qty = isSerial(prod) ? rng.int(1, 3) : web ? (prod.unit === 'ea' ? rng.int(1, 3) : issueUnit(prod)) : rng.pick(prod.saleQtys);
      const from = lines.length;
      const picks = this.takeOut(type, p, site, qty, lines);
      picks.forEach((pk, i) => refs.push({ p, s: site, bin: pk.bin, batch: pk.batch, serial: pk.serial, qty: pk.qty, seq: first + from + i, cost: 0 }));
    }
    if (!lines.length) return false;
    const customer = web ? `Online order ${rng.int(100_000, 999_999)}` : `Customer: ${rng.pick(CUSTOMERS)}`;
    this.emit('despatch', prefix, lines, customer);
    const buffer = this.despatched.get(type)!;
    for (const r of refs) buffer.push(r, rng);
    return true;
  }

  /** Goods come back from a customer into the quant (bin, batch, serial) they left. */
  private customerReturn(from: string, type: MovementTypeCode, docType: DocumentTypeCode, prefix: string): boolean {
    const { rng } = this;
    const buffer = this.despatched.get(from)!;
    const lines: MovementLineInput[] = [];
    const n = rng.int(1, 2);
    for (let k = 0; k < n; k++) {
      const e = buffer.take(rng);
      if (!e) break;
      const qty = e.serial !== null ? 1 : Math.max(1, Math.round(e.qty * rng.pick([1, 1, 0.5, 0.25])));
      this.putIn(type, e.p, e.s, qty, lines, {}, e.bin, e.batch, e.serial);
    }
    if (!lines.length) return false;
    this.emit(docType, prefix, lines, `Return to stock: ${rng.pick(CUSTOMER_RETURN_REASONS)}`);
    return true;
  }

  /** A till ticket: recipes exploded into their components, plus bottles and cans sold as they are. */
  private posSale(site: number): boolean {
    const { rng, catalog } = this;
    const recipes = this.recipes[site]!;
    if (!recipes.length) return false;
    const lines: MovementLineInput[] = [];
    const refs: LineRef[] = [];
    const sold: string[] = [];
    const first = this.emitted + 1;
    const items = rng.int(1, 5);
    const record = (p: number, picks: Pick[], from: number) =>
      picks.forEach((pk, i) => refs.push({ p, s: site, bin: pk.bin, batch: pk.batch, serial: null, qty: pk.qty, seq: first + from + i, cost: 0 }));
    for (let k = 0; k < items; k++) {
      if (site === BAR && rng.chance(0.2)) {
        const p = this.pickStocked(site, (q) => catalog[q]!.unit === 'ea' && !isSerial(catalog[q]!) && (catalog[q]!.category === 'beer' || catalog[q]!.category === 'soft'));
        if (p < 0) continue;
        const n = rng.chance(0.8) ? 1 : 2;
        const from = lines.length;
        record(p, this.takeOut('sale', p, site, n, lines), from);
        sold.push(`${n} × ${catalog[p]!.name}`);
        continue;
      }
      const r = catalog[recipes[rng.skewed(recipes.length)]!]!;
      const n = rng.chance(0.75) ? 1 : rng.int(2, 4);
      if (!r.components.every((c) => this.stock.onHand(c.idx, site) >= c.qty * n)) continue;
      for (const c of r.components) {
        const from = lines.length;
        record(c.idx, this.takeOut('sale', c.idx, site, c.qty * n, lines), from);
      }
      sold.push(`${n} × ${r.name}`);
    }
    if (!lines.length) return false;
    this.emit('despatch', 'POS', lines, sold.join('; '));
    this.tickets[site]!.push(refs, rng);
    return true;
  }

  private saleRefund(site: number): boolean {
    const { rng } = this;
    const ticket = this.tickets[site]!.take(rng);
    if (!ticket?.length) return false;
    const lines: MovementLineInput[] = [];
    const n = rng.chance(0.6) ? 1 : ticket.length;
    for (const e of ticket.slice(0, n)) {
      this.putIn('sale_refund', e.p, e.s, e.qty, lines, { reversalOf: e.seq }, e.bin, e.batch, null);
    }
    this.emit('refund', 'RF', lines, rng.pick(['Refund: wrong order rung up', 'Refund: guest complaint', 'Refund: void after payment']));
    return true;
  }

  /** Warehouse → outlet: products below par at the outlet, as far as the warehouse has them. */
  private replenish(site: number): boolean {
    const { rng } = this;
    const list = this.replenishList[site]!;
    if (!list.length) return false;
    const want = rng.int(3, 20);
    const outs: MovementLineInput[] = [];
    const ins: MovementLineInput[] = [];
    let moved = 0;
    for (let scanned = 0; scanned < list.length && moved < want; scanned++) {
      const p = list[this.replenishPtr[site]!++ % list.length]!;
      const par = this.par[site]![p]!;
      const need = par - this.stock.onHand(p, site);
      if (need <= par * 0.5 || this.stock.onHand(p, WH1) <= 0) continue;
      const prod = this.catalog[p]!;
      if (this.move('transfer_out', 'transfer_in', p, WH1, site, isSerial(prod) ? need : roundUp(need, issueUnit(prod)), outs, ins) > 0) moved++;
    }
    if (!moved) return false;
    this.emit('transfer', 'TR', outs.concat(ins), `Replenishment ${this.siteNames[WH1]} → ${this.siteNames[site]}`);
    return true;
  }

  /** Between the two warehouses: bonded stock released to the warehouse, or laid down in bond. */
  private siteTransfer(outType: MovementTypeCode, inType: MovementTypeCode, prefix: string): boolean {
    const { rng } = this;
    const fromBond = rng.chance(0.75);
    const from = fromBond ? WH2 : WH1;
    const to = fromBond ? WH1 : WH2;
    const outs: MovementLineInput[] = [];
    const ins: MovementLineInput[] = [];
    const n = rng.int(1, 6);
    for (let k = 0; k < n; k++) {
      const p = fromBond
        ? this.pickStocked(from, (q) => this.catalog[q]!.homes.includes(WH1))
        : this.pickStocked(from, (q) => this.catalog[q]!.category === 'wine' || this.catalog[q]!.category === 'spirits');
      if (p < 0) continue;
      const prod = this.catalog[p]!;
      const need = this.par[to]![p]! - this.stock.onHand(p, to);
      const qty = isSerial(prod) ? rng.int(1, 3) : Math.max(prod.pack, roundUp(need, prod.pack));
      this.move(outType, inType, p, from, to, qty, outs, ins);
    }
    if (!outs.length) return false;
    this.emit('transfer', prefix, outs.concat(ins), fromBond ? 'Released from bond (duty paid)' : 'Laid down in bond');
    return true;
  }

  private toExternal(): boolean {
    const { rng, catalog } = this;
    const site = rng.chance(0.6) ? WH1 : BAR;
    const outs: MovementLineInput[] = [];
    const ins: MovementLineInput[] = [];
    const n = rng.int(1, 4);
    const kegs = site === BAR;
    for (let k = 0; k < n; k++) {
      const p = kegs ? this.pickStocked(site, (q) => catalog[q]!.tracking === 'RFID', 20) : this.pickStocked(site, null);
      if (p < 0) continue;
      const prod = catalog[p]!;
      const qty = isSerial(prod) ? rng.int(1, 2) : rng.pick(prod.saleQtys);
      this.move('transfer_out', 'transfer_in', p, site, EXT, qty, outs, ins);
    }
    if (!outs.length) return false;
    const note = kegs ? 'Kegs and cylinders collected by the brewery' : rng.pick(['Stock to an off-site event', 'Sale-or-return stock to a customer', 'Sent to off-site storage']);
    this.emit('transfer', 'TR', outs.concat(ins), note);
    return true;
  }

  private fromExternal(): boolean {
    const { rng, catalog } = this;
    const site = rng.chance(0.7) ? WH1 : KIT;
    const list = this.siteProducts[site]!;
    const outs: MovementLineInput[] = [];
    const ins: MovementLineInput[] = [];
    const n = rng.int(1, 4);
    for (let k = 0; k < n; k++) {
      const p = rng.pick(list);
      const prod = catalog[p]!;
      if (prod.stockType !== 'Supplied') continue;
      this.move('transfer_out', 'transfer_in', p, EXT, site, isSerial(prod) ? rng.int(1, 3) : prod.pack, outs, ins);
    }
    if (!outs.length) return false;
    this.emit('transfer', 'TR', outs.concat(ins), rng.pick(['Returned from an off-site event', 'Consignment stock received', 'Collected from off-site storage']));
    return true;
  }

  /** Put-away and re-slotting inside one site: −q from one bin, +q to another, same batch and serial. */
  private binMove(): boolean {
    const { rng, catalog } = this;
    const x = rng.next();
    const site = x < 0.6 ? WH1 : x < 0.9 ? WH2 : rng.pick([BAR, KIT]);
    const bins = this.bins[site]!;
    const lines: MovementLineInput[] = [];
    const n = rng.int(1, 3);
    for (let k = 0; k < n; k++) {
      const p = this.pickStocked(site, null);
      if (p < 0) continue;
      const cell = this.stock.cell(p, site)!;
      const prod = catalog[p]!;
      const primary = this.primaryBin(p, site);
      if (isSerial(prod)) {
        const u = rng.pick(cell.units);
        const to = u.bin === primary ? rng.pick(bins) : primary;
        if (to === u.bin) continue;
        const units = this.stock.takeUnits(p, site, rng.int(1, 3), u.bin);
        for (const pk of units) {
          lines.push(this.line('transfer', p, site, -1, pk.bin, null, pk.serial));
          lines.push(this.line('transfer', p, site, 1, to, null, pk.serial));
          this.stock.addUnit(p, site, pk.serial!, to);
        }
        continue;
      }
      const q = rng.pick(cell.quants);
      const to = q.bin === primary ? rng.pick(bins) : primary;
      if (to === q.bin) continue;
      const batch = q.batch;
      const from = q.bin;
      const qty = this.stock.takeQuant(p, site, from, batch, rng.chance(0.5) ? q.qty : Math.max(1, Math.round(q.qty * rng.around(0.2, 0.8))));
      if (qty <= 0) continue;
      this.stock.add(p, site, to, batch, qty);
      lines.push(this.line('transfer', p, site, -qty, from, batch, null));
      lines.push(this.line('transfer', p, site, qty, to, batch, null));
    }
    if (!lines.length) return false;
    this.emit('transfer', 'IT', lines, rng.pick(['Put-away', 'Re-slotting', 'Replenish pick face', 'Consolidate bins']));
    return true;
  }

  /** Assembly at the warehouse: components consumed, the made product produced, in one document. */
  private workOrder(): boolean {
    const { rng, catalog } = this;
    for (let attempt = 0; attempt < Math.min(3, this.made.length); attempt++) {
      const p = this.made[this.madePtr++ % this.made.length]!;
      const prod = catalog[p]!;
      let n = rng.int(5, 30);
      for (const c of prod.components) n = Math.min(n, Math.floor(this.stock.onHand(c.idx, WH1) / c.qty));
      if (n <= 0 || !prod.components.length) continue;
      const lines: MovementLineInput[] = [];
      let value = 0;
      for (const c of prod.components) {
        const comp = catalog[c.idx]!;
        value += this.consumed('work_order_consumption', c.idx, comp.scale, WH1, c.qty * n, lines);
      }
      const labour = money(rng.around(1.5, 6));
      this.putIn('work_order_production', p, WH1, n, lines, {
        cost: Math.round((value * 10 ** prod.scale) / n),
        costSource: 'declared',
        onCosts: { labour, overhead: Math.round(labour * 0.4 / 100) * 100 },
      });
      this.emit('production', 'WO', lines, `Assemble ${n} × ${prod.name}`);
      return true;
    }
    return false;
  }

  /** Kitchen or bar preparation: ingredients out, the prepared product in (both product_preparation). */
  private preparation(site: number): boolean {
    const { rng, catalog } = this;
    const list = this.preps[site]!;
    for (let attempt = 0; attempt < Math.min(3, list.length); attempt++) {
      const p = list[this.prepPtr[site]!++ % list.length]!;
      const prod = catalog[p]!;
      if (!prod.components.length || this.stock.onHand(p, site) >= this.par[site]![p]!) continue;
      let f = 1;
      for (const c of prod.components) f = Math.min(f, this.stock.onHand(c.idx, site) / c.qty);
      if (f < 0.25) continue;
      const lines: MovementLineInput[] = [];
      let value = 0;
      for (const c of prod.components) {
        const comp = catalog[c.idx]!;
        const qty = Math.max(1, Math.floor(c.qty * f));
        value += this.consumed('product_preparation', c.idx, comp.scale, site, qty, lines);
      }
      const out = Math.max(1, Math.round(prod.yieldQty * f));
      this.putIn('product_preparation', p, site, out, lines, {
        cost: Math.round((value * 10 ** prod.scale) / out),
        costSource: 'declared',
        onCosts: { labour: money(rng.around(0.5, 3)) },
      });
      this.emit('production', 'PP', lines, `${formatQty(out, prod.scale)} ${prod.unit} of ${prod.name}`);
      return true;
    }
    return false;
  }

  private wastage(): boolean {
    const { rng, catalog } = this;
    const x = rng.next();
    const site = x < 0.45 ? BAR : x < 0.9 ? KIT : WH1;
    const lines: MovementLineInput[] = [];
    const n = rng.int(1, 3);
    for (let k = 0; k < n; k++) {
      const p = this.pickStocked(site, null);
      if (p < 0) continue;
      const prod = catalog[p]!;
      const onHand = this.stock.onHand(p, site);
      const qty = isSerial(prod) ? 1 : prod.unit === 'ea' ? rng.int(1, 2) : Math.max(1, Math.round(onHand * rng.around(0.02, 0.15)));
      this.takeOut('wastage', p, site, qty, lines);
    }
    if (!lines.length) return false;
    this.emit('write_off', 'WST', lines, rng.pick(WASTE_REASONS));
    return true;
  }

  /** Writes off batches past their expiry (or, if none are due, a discontinued line). */
  private clear(): boolean {
    const { rng, catalog } = this;
    const lines: MovementLineInput[] = [];
    while (this.expiryCursor <= this.day && lines.length < 30) {
      const due = this.expiring.get(this.expiryCursor);
      const e = due?.pop();
      if (!e) {
        this.expiring.delete(this.expiryCursor);
        this.expiryCursor++;
        continue;
      }
      const cell = this.stock.cell(e.p, e.s);
      if (!cell) continue;
      for (const q of cell.quants.filter((x) => x.batch === e.batch)) {
        const bin = q.bin;
        const qty = this.stock.takeQuant(e.p, e.s, bin, e.batch, q.qty);
        if (qty > 0) lines.push(this.line('clear', e.p, e.s, -qty, bin, e.batch, null));
      }
    }
    if (lines.length) {
      this.emit('write_off', 'CLR', lines, 'Expired batches cleared');
      return true;
    }
    const site = rng.chance(0.7) ? WH1 : WH2;
    const p = this.pickStocked(site, (q) => !isSerial(catalog[q]!));
    if (p < 0) return false;
    this.takeOut('clear', p, site, Math.max(1, Math.round(this.stock.onHand(p, site) * rng.around(0.2, 1))), lines);
    this.emit('write_off', 'CLR', lines, rng.pick(['Discontinued line cleared', 'Damaged stock written off', 'Recalled by supplier']));
    return true;
  }

  private inventoryAdjustment(): boolean {
    const { rng } = this;
    const site = rng.pick(STOCK_SITES);
    const reason = rng.pick(['theft', 'damage', 'found', 'correction', 'correction']);
    const up = reason === 'found' || (reason === 'correction' && rng.chance(0.5));
    const lines: MovementLineInput[] = [];
    const n = rng.int(1, 2);
    for (let k = 0; k < n; k++) {
      const p = this.pickStocked(site, null);
      if (p < 0) continue;
      this.adjustQuant('inventory_adjustment', p, site, up, lines);
    }
    if (!lines.length) return false;
    this.emit('adjustment', 'ADJ', lines, `Reason: ${reason}`);
    return true;
  }

  private stockAdjustment(): boolean {
    const { rng } = this;
    const site = rng.chance(0.7) ? WH1 : WH2;
    const lines: MovementLineInput[] = [];
    const n = rng.int(1, 3);
    for (let k = 0; k < n; k++) {
      const p = this.pickStocked(site, null);
      if (p < 0) continue;
      const up = rng.chance(0.45);
      this.adjustQuant(up ? 'stock_adjustment_in' : 'stock_adjustment_out', p, site, up, lines);
    }
    if (!lines.length) return false;
    this.emit('adjustment', 'SA', lines, rng.pick(['Warehouse adjustment', 'Picking error corrected', 'Damaged in handling', 'Found in wrong location']));
    return true;
  }

  /** A small change to one existing quant (or serial unit) of the product at the site. */
  private adjustQuant(type: MovementTypeCode, p: number, site: number, up: boolean, lines: MovementLineInput[]): void {
    const { rng } = this;
    const prod = this.catalog[p]!;
    const cell = this.stock.cell(p, site)!;
    if (isSerial(prod)) {
      if (up) this.putIn(type, p, site, 1, lines, {}, this.primaryBin(p, site), null, null);
      else this.takeOut(type, p, site, 1, lines, rng.pick(cell.units).bin);
      return;
    }
    const q = rng.pick(cell.quants);
    const step = smallStep(prod, q.qty, rng);
    if (up) this.putIn(type, p, site, step, lines, {}, q.bin, q.batch, null);
    else {
      const bin = q.bin;
      const batch = q.batch;
      const qty = this.stock.takeQuant(p, site, bin, batch, step);
      if (qty > 0) lines.push(this.line(type, p, site, -qty, bin, batch, null));
    }
  }

  /** Stock counts: spot checks, weekly cycle counts and quarter-end stock takes (system_correction). */
  private count(site: number, kind: 'spot' | 'cycle' | 'full'): boolean {
    const { rng } = this;
    const stocked = this.stock.stocked[site]!;
    if (!stocked.size) return false;
    const cap = Math.max(5, Math.round(this.dailyAverage * (kind === 'full' ? 0.6 : 0.15)));
    const lines: MovementLineInput[] = [];
    const products = kind === 'full' ? stocked.items.slice() : Array.from({ length: Math.min(stocked.size, kind === 'spot' ? rng.int(1, 5) : cap * 4) }, () => stocked.random(rng));
    const seen = new Set<number>();
    const chance = kind === 'spot' ? 1 : kind === 'cycle' ? 0.15 : 0.06;
    for (const p of products) {
      if (lines.length >= cap) break;
      if (seen.has(p)) continue;
      seen.add(p);
      this.countProduct('system_correction', p, site, chance, 0.55, lines);
    }
    if (!lines.length) return false;
    const label = kind === 'spot' ? 'Spot check' : kind === 'cycle' ? 'Weekly cycle count' : 'Quarter-end stock take';
    this.emit('stock_count', 'CNT', lines, `${label}, ${this.siteNames[site]} (reason: stock_count)`);
    return true;
  }

  /** Period close at an outlet: on hand brought to the counted value. */
  private periodVariance(site: number): boolean {
    const stocked = this.stock.stocked[site]!;
    if (!stocked.size) return false;
    const cap = Math.max(5, Math.round(this.dailyAverage * 0.5));
    const lines: MovementLineInput[] = [];
    for (const p of stocked.items.slice()) {
      if (lines.length >= cap) break;
      this.countProduct('period_variance', p, site, 0.3, 0.75, lines);
    }
    if (!lines.length) return false;
    this.emit('period_variance', 'PV', lines, `Period close ${new Date(this.t).toISOString().slice(0, 7)}, ${this.siteNames[site]}`);
    return true;
  }

  /** Compares each quant with a "counted" quantity; a difference becomes a ± line. */
  private countProduct(type: MovementTypeCode, p: number, site: number, chance: number, downShare: number, lines: MovementLineInput[]): void {
    const { rng } = this;
    const prod = this.catalog[p]!;
    const cell = this.stock.cell(p, site);
    if (!cell) return;
    if (isSerial(prod)) {
      for (const u of cell.units.slice()) {
        if (!rng.chance(chance / 2)) continue;
        if (rng.chance(downShare)) this.takeOut(type, p, site, 1, lines, u.bin);
        else this.putIn(type, p, site, 1, lines, {}, u.bin, null, null);
      }
      return;
    }
    for (const q of cell.quants.slice()) {
      if (!rng.chance(chance)) continue;
      const step = smallStep(prod, q.qty, rng);
      if (rng.chance(downShare)) {
        const bin = q.bin;
        const batch = q.batch;
        const qty = this.stock.takeQuant(p, site, bin, batch, step);
        if (qty > 0) lines.push(this.line(type, p, site, -qty, bin, batch, null));
      } else this.putIn(type, p, site, step, lines, {}, q.bin, q.batch, null);
    }
  }

  // --------------------------------------------------------------------------------------------
  // Lines and stock
  // --------------------------------------------------------------------------------------------

  private line(type: MovementTypeCode, p: number, s: number, qty: number, bin: number, batch: Batch | null, serial: string | null): MovementLineInput {
    const l: MovementLineInput = { productId: this.ids[p]!, siteId: this.siteIds[s]!, type, qty };
    if (bin) l.binId = bin;
    if (batch) l.batch = batch;
    if (serial !== null) l.serial = serial;
    return l;
  }

  /**
   * Components consumed by a production: their lines, and their value as the ledger posts it (each line at the latest
   * cost at the site plus the latest on-costs there, each rounded per line, as production.ts values them), so the made
   * stock's cost is that value over the quantity made, to 1/10000.
   */
  private consumed(type: MovementTypeCode, p: number, scale: number, s: number, qty: number, out: MovementLineInput[]): number {
    const perUnit = [this.costAt(p, s), ...Object.values(this.latestOnCosts[s]![p] ?? {})];
    let value = 0;
    for (const k of this.takeOut(type, p, s, qty, out)) for (const c of perUnit) value += movementValue(k.qty, c, scale);
    return value;
  }

  /** Lines taking up to `qty` of a product at a site, oldest stock first; returns what was taken. */
  private takeOut(type: MovementTypeCode, p: number, s: number, qty: number, out: MovementLineInput[], bin?: number): Pick[] {
    const picks = isSerial(this.catalog[p]!) ? this.stock.takeUnits(p, s, qty, bin) : this.stock.take(p, s, qty, bin);
    for (const k of picks) out.push(this.line(type, p, s, -k.qty, k.bin, k.batch, k.serial));
    return picks;
  }

  /**
   * Lines putting `qty` of a product into a site. Serial products get one line per unit (new serials
   * unless `serial` is given), lot products a new batch unless `batch` is given.
   */
  private putIn(
    type: MovementTypeCode, p: number, s: number, qty: number, out: MovementLineInput[], c: LineCost,
    bin?: number, batch?: Batch | null, serial?: string | null,
  ): void {
    const prod = this.catalog[p]!;
    const b = s === EXT ? 0 : (bin ?? this.primaryBin(p, s));
    const withCost = (l: MovementLineInput) => {
      if (c.cost !== undefined) {
        l.unitCost = c.cost;
        l.costSource = c.costSource ?? 'declared';
      }
      if (c.onCosts) l.onCosts = c.onCosts;
      if (c.reversalOf !== undefined) l.reversalOf = c.reversalOf;
      out.push(l);
    };
    // What the ledger's cost state does: a declared cost, or a transfer in at the dispatching site's, becomes the latest.
    if (c.cost !== undefined && (c.costSource ?? 'declared') !== 'latest_at_site' && s !== EXT) {
      this.latestCost[s]![p] = c.cost;
      this.latestOnCosts[s]![p] = c.onCosts;
    }
    if (isSerial(prod)) {
      for (let i = 0; i < qty; i++) {
        const sn = serial ?? this.newSerial(prod);
        if (s !== EXT) this.stock.addUnit(p, s, sn, b);
        withCost(this.line(type, p, s, 1, b, null, sn));
        if (serial) break;
      }
      return;
    }
    const lot = prod.tracking === 'LOT' ? (batch ?? this.newBatch(p, s)) : null;
    if (s !== EXT) this.stock.add(p, s, b, lot, qty);
    withCost(this.line(type, p, s, qty, b, lot, null));
  }

  /**
   * A transfer of up to `qty` from one site to another: the out legs (bin, batch and serial as
   * taken) and the matching in legs, both at the dispatching site's latest cost. Returns the qty moved.
   */
  private move(outType: MovementTypeCode, inType: MovementTypeCode, p: number, from: number, to: number, qty: number, outs: MovementLineInput[], ins: MovementLineInput[]): number {
    const prod = this.catalog[p]!;
    const cost = from === EXT ? prod.cost : this.costAt(p, from);
    const onCosts = from === EXT ? undefined : this.latestOnCosts[from]![p];
    let picks: Pick[];
    if (from !== EXT) picks = isSerial(prod) ? this.stock.takeUnits(p, from, qty) : this.stock.take(p, from, qty);
    else if (isSerial(prod)) picks = Array.from({ length: qty }, () => ({ bin: 0, batch: null, serial: this.newSerial(prod), qty: 1 }));
    else picks = [{ bin: 0, batch: prod.tracking === 'LOT' ? this.newBatch(p, to) : null, serial: null, qty }];
    const c: LineCost = { cost, costSource: 'dispatching_site', onCosts };
    let moved = 0;
    for (const k of picks) {
      const o = this.line(outType, p, from, -k.qty, k.bin, k.batch, k.serial);
      o.unitCost = cost;
      o.costSource = 'dispatching_site';
      if (onCosts) o.onCosts = onCosts;
      outs.push(o);
      this.putIn(inType, p, to, k.qty, ins, c, undefined, k.batch, k.serial);
      moved += k.qty;
    }
    return moved;
  }

  private primaryBin(p: number, s: number): number {
    const bins = this.bins[s]!;
    return bins[(p * 7 + s * 13) % bins.length]!;
  }

  private pickStocked(s: number, filter: ((p: number) => boolean) | null, tries = 8): number {
    const set = this.stock.stocked[s]!;
    if (!set.size) return -1;
    for (let i = 0; i < tries; i++) {
      const p = set.random(this.rng);
      if (!filter || filter(p)) return p;
    }
    return -1;
  }

  /** Of two stocked products, the more popular: best sellers move more often. */
  private pickPopular(s: number, filter: ((p: number) => boolean) | null): number {
    const a = this.pickStocked(s, filter);
    const b = this.pickStocked(s, filter);
    if (a < 0 || b < 0) return Math.max(a, b);
    return this.catalog[a]!.popularity >= this.catalog[b]!.popularity ? a : b;
  }

  private costAt(p: number, s: number): number {
    return (s === EXT ? 0 : this.latestCost[s]![p]!) || this.catalog[p]!.cost;
  }

  /** Supplier prices drift with the season and a little noise; whole pence. */
  private purchaseCost(prod: PlannedProduct): number {
    const drift = 1 + 0.06 * Math.sin((2 * Math.PI * this.day) / DAYS + prod.idx) + (this.rng.next() - 0.5) * 0.04;
    return Math.max(100, Math.round((prod.cost * drift) / 100) * 100);
  }

  /** On-costs per product unit: duty on duty-paid alcohol, freight and insurance, customs on imports, rent on stock held in bond. */
  private onCosts(prod: PlannedProduct, type: MovementTypeCode, cost: number): OnCosts | undefined {
    const { rng } = this;
    const oc: OnCosts = {};
    const pct = (lo: number, hi: number) => Math.max(100, Math.round((cost * rng.around(lo, hi)) / 100) * 100);
    if (type === 'excellar_stock_receipt' || type === 'ep_stock_receipt') {
      oc.freight = pct(0.01, 0.03);
      oc.insurance = pct(0.003, 0.008);
      oc.rent = money(rng.around(0.05, 0.25));
      if (type === 'ep_stock_receipt') {
        oc.customs = money(rng.around(0.2, 0.6));
        oc.rhd = money(rng.around(0.1, 0.4));
      }
      return oc;
    }
    if (prod.excise > 0 && type !== 'supplier_order') oc.excise = prod.excise;
    if (type === 'supplier_order') oc.delivery = pct(0.01, 0.05);
    else oc.freight = pct(0.01, 0.04);
    if (cost >= 200_000) oc.insurance = pct(0.003, 0.008);
    return oc;
  }

  private newSerial(prod: PlannedProduct): string {
    const n = ++this.serialNo;
    if (prod.tracking === 'RFID') return `E280${(0x1160_0000_0000_0000n + BigInt(n)).toString(16).toUpperCase().padStart(20, '0')}`;
    return `SN${pad(n, 9)}`;
  }

  private newBatch(p: number, s: number): Batch {
    const prod = this.catalog[p]!;
    const [lo, hi] = prod.shelfLife ?? [365, 730];
    const made = new Date(this.t);
    const expiryDay = Math.floor((this.t - this.start) / DAY) + this.rng.int(lo, hi);
    const batch: Batch = {
      code: `L${String(made.getUTCFullYear()).slice(2)}${pad(made.getUTCMonth() + 1, 2)}${pad(made.getUTCDate(), 2)}-${pad(++this.batchNo, 5)}`,
      expiry: new Date(this.start + expiryDay * DAY).toISOString().slice(0, 10),
    };
    if (expiryDay < DAYS && s !== EXT) {
      const list = this.expiring.get(expiryDay + 1);
      if (list) list.push({ p, s, batch });
      else this.expiring.set(expiryDay + 1, [{ p, s, batch }]);
    }
    return batch;
  }

  // --------------------------------------------------------------------------------------------
  // Output
  // --------------------------------------------------------------------------------------------

  private emit(docType: DocumentTypeCode, prefix: string, lines: MovementLineInput[], note?: string): void {
    let ref = this.refs.get(prefix);
    if (ref === undefined) ref = this.rng.int(1000, 4999);
    this.refs.set(prefix, ++ref);
    const doc: PostDocumentInput = {
      idempotencyKey: `demo-${this.o.seed}-${pad(++this.docsEmitted, 8)}`,
      type: docType,
      reference: `${prefix}-${pad(ref, 6)}`,
      occurredAt: new Date(this.t).toISOString(),
      lines,
    };
    if (note) doc.note = note.length > 2000 ? `${note.slice(0, 1997)}...` : note;
    this.chunk.push(doc);
    this.chunkLines += lines.length;
    this.emitted += lines.length;
  }

  private async maybeFlush(): Promise<void> {
    if (this.chunk.length >= CHUNK_DOCS || this.chunkLines >= CHUNK_LINES) await this.flush();
  }

  private async flush(): Promise<void> {
    if (!this.chunk.length) return;
    if (this.o.signal?.aborted) throw new AppError('CANCELLED', CANCELLED);
    // Line references (reversal_of) are predicted from the movement count: nothing else may post meanwhile.
    if (this.ledger.queries.counts().movements !== this.posted) {
      throw new AppError('CONFLICT', 'Other documents were posted while demo data was loading, so it stopped. The documents posted so far are complete; load demo data into a new file.');
    }
    // The history includes stock counts: the demo replays their completion, so it posts as a count would. Each document is
    // recorded at its own effective time, as if entered live (the demo is not backdated history).
    // Every reference is the poster's own check here (a new ledger, one writer): SQLite's foreign-key look-ups are skipped.
    withoutForeignKeyChecks(this.ledger.db, () => this.ledger.poster.postMany(this.chunk, this.userId, { fromCount: true, recordedWhenEffective: true }));
    this.posted += this.chunkLines;
    this.docsPosted += this.chunk.length;
    this.chunk = [];
    this.chunkLines = 0;
    this.progress('Posting movements');
    // Let the event loop run: cancel requests and queries get through between chunks.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  private progress(phase: string, force = false): void {
    if (!this.o.onProgress) return;
    const now = Date.now();
    if (!force && now - this.lastProgress < PROGRESS_MS) return;
    this.lastProgress = now;
    this.o.onProgress({ done: this.posted, total: Math.max(this.o.movements, this.posted), phase });
  }
}

// ----------------------------------------------------------------------------------------------

const isSerial = (p: PlannedProduct) => p.tracking === 'SERIAL' || p.tracking === 'RFID';
const money = (pounds: number) => Math.max(100, Math.round(pounds * 100) * 100);
const roundUp = (qty: number, unit: number) => Math.max(unit, Math.ceil(qty / unit) * unit);

/** The unit in which an outlet draws the product from the warehouse, in base units. */
function issueUnit(p: PlannedProduct): number {
  if (p.unit === 'l') {
    if (p.category === 'spirits') return 700;
    if (p.category === 'wine') return 10_000;
    if (p.category === 'beer') return p.pack;
    return 1000;
  }
  if (p.unit === 'kg') return 1000;
  return p.category === 'beer' || p.category === 'soft' ? 12 : 1;
}

/** A plausible small counting difference or adjustment for a quant holding `qty`. */
function smallStep(p: PlannedProduct, qty: number, rng: Rng): number {
  if (p.scale === 0) return rng.int(1, qty > 24 ? 3 : 1);
  return Math.max(1, Math.round(Math.max(qty, 1000) * rng.around(0.005, 0.05)));
}

function formatQty(units: number, scale: number): string {
  return scale === 0 ? String(units) : (units / 10 ** scale).toFixed(scale).replace(/\.?0+$/, '');
}
