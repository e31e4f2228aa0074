import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADJUSTMENT_REASONS,
  DESPATCH_KINDS,
  INBOUND_RETURN_KINDS,
  IMPORT_KINDS,
  PRODUCTION_KINDS,
  RECEIPT_REVERSAL_KINDS,
  RECEIVE_KINDS,
  REFUND_KINDS,
  REFUND_OF_SALE,
  REVERSAL_OF_RECEIPT,
  WRITE_OFF_KINDS,
  WRITE_OFF_REASONS,
} from '../../shared/operations';
import type { LedgerVerifyReport } from '../../shared/contract/ledger.methods';
import type { CallOutcome } from '../../shared/contract/transport';
import { configuredLedger, type ConfiguredLedger } from '../../test/fixtures/configured-ledger';
import { clusterForConfiguredStore, STORE_UNDER_TEST } from '../../test/fixtures/store-under-test';
import { startStockbook, type Stockbook } from '../app/compose';
import { Rng } from '../demo/demo-random';

/**
 * ARCHITECTURE §5.9: no public method can break an invariant. Long random sequences of calls to every public write
 * method — valid and invalid — go through the real composition root (dispatcher, zod, ledger worker); after each
 * sequence `verify` must still hold. Deterministic: each sequence is a seed of a small PRNG (no new dependencies).
 * On the configured store (test/fixtures/store-under-test.ts): a SQLite ledger file by default, a PostgreSQL database in
 * `npm run test:unit:pg`.
 */
const cluster = clusterForConfiguredStore();
/** Fewer sequences on PostgreSQL, where each call is a few network round trips (the same generator, the first seeds). */
const SEEDS = STORE_UNDER_TEST === 'postgres' ? 6 : 20;
const CALLS = 300;

interface World {
  wh: number;
  bar: number;
  external: number;
  bins: number[];
  barBin: number;
  bulk: number;
  lot: number;
  serial: number;
  recipe: number;
  other: number;
  made: number;
  noStock: number;
}

const ok = <T,>(o: CallOutcome): T => {
  if (!o.ok) throw new Error(`${o.error.code}: ${o.error.message}`);
  return o.result as T;
};

/** The world the calls aim at, made through the contract as a new user would. */
async function seedWorld(app: Stockbook, ledger: ConfiguredLedger): Promise<World> {
  const call = async (method: string, input: unknown) => ok<{ id: number }>(await app.dispatch(method, input, app.session)).id;
  const site = (code: string, name: string, kind: 'warehouse' | 'shop') => call('masterdata.siteCreate', { code, name, kind, allowNegative: false });
  const wh = await site('WH1', 'Central Warehouse', 'warehouse');
  const bar = await site('BAR', 'Soho Bar', 'shop');
  const external = Number((await ledger.sql("SELECT id FROM sites WHERE code = 'EXTERNAL'"))[0]!.id);
  const bin = (siteId: number, code: string) => call('masterdata.binCreate', { siteId, code, stockStatus: 'sellable' });
  const bins = [await bin(wh, 'A-01'), await bin(wh, 'B-01')];
  const barBin = await bin(bar, 'CELLAR');
  const product = (p: { sku: string; name: string; unit?: string; scale?: number; stockType?: string; tracking?: string; stockKeeping?: boolean; barcodes?: string[] }) =>
    call('masterdata.productCreate', { unit: 'each', scale: 0, stockType: 'Supplied', tracking: 'BULK', stockKeeping: p.stockType !== 'Other', lowStockLevel: null, ...p });
  const recipeOf = async (recipeId: number, components: { productId: number; qtyPerUnit: number }[]) =>
    ok(await app.dispatch('recipes.save', { recipeId, effectiveFrom: '2000-01-01T00:00:00.000Z', components }, app.session));
  const bulk = await product({ sku: 'RICE-1KG', name: 'Arborio rice', unit: 'kg', scale: 3, barcodes: ['5012345678900'] });
  const lot = await product({ sku: 'CLARET-75', name: 'Claret 2019 75cl', tracking: 'LOT' });
  const serial = await product({ sku: 'TAP-01', name: 'Beer tap', tracking: 'SERIAL' });
  const recipe = await product({ sku: 'RISOTTO', name: 'Risotto', stockType: 'Recipe' });
  await recipeOf(recipe, [{ productId: bulk, qtyPerUnit: 120 }]);
  const other = await product({ sku: 'SERVICE', name: 'Corkage', stockType: 'Other' });
  const made = await product({ sku: 'ARANCINI', name: 'Arancini', stockType: 'Made' });
  await recipeOf(made, [{ productId: bulk, qtyPerUnit: 50 }]);
  const noStock = await product({ sku: 'OFF-1', name: 'Not stock-kept', stockKeeping: false });
  return { wh, bar, external, bins, barBin, bulk, lot, serial, recipe, other, made, noStock };
}

/** The whole ledger verified through the app (ARCHITECTURE §5): SQLite's and PostgreSQL's verify, each on its own store. */
async function verified(app: Stockbook): Promise<LedgerVerifyReport> {
  return ok<LedgerVerifyReport>(await app.dispatch('ledger.verify', {}, app.session));
}

type Call = [method: string, input: unknown];

/** One random sequence's generator: keeps what earlier calls returned (documents, movements, drafts, counts) to aim later calls at. */
class Calls {
  private n = 0;
  private serials = 0;
  readonly docs: number[] = [];
  /** Posted receipts and sales by kind, to reverse or refund with a kind that matches. */
  readonly receipts: [number, string][] = [];
  readonly sales: [number, string][] = [];
  readonly seqs: number[] = [];
  readonly drafts: number[] = [];
  readonly sessions: number[] = [];
  /** The lines of each count session, as counts.get last showed them. */
  readonly countLines = new Map<number, number[]>();
  readonly codes: string[] = [];
  readonly history: Call[] = [];
  readonly jobs = new Set<string>();

  constructor(private readonly r: Rng, private readonly w: World, private readonly seed: number) {}

  private key(): string {
    return `write-path-${this.seed}-${++this.n}`;
  }
  /** Set per call: a "bad" call aims some of its values at what must be refused. */
  private bad = false;
  private off(p: number): boolean {
    return this.bad && this.r.chance(p);
  }
  /** Mostly a real id, sometimes one that does not exist. */
  private id(known: readonly number[]): number {
    return known.length && !this.off(0.3) ? this.r.pick(known) : this.r.pick([9_999, 1, 123_456]);
  }
  private site(): number {
    const { r, w } = this;
    return this.off(0.25) ? r.pick([w.external, 9_999]) : r.pick([w.wh, w.wh, w.bar]);
  }
  /** A bin of the site, none, or (bad) a bin of another site. */
  private binOf(siteId: number): number | undefined {
    const { r, w } = this;
    if (this.off(0.15)) return siteId === w.wh ? w.barBin : r.pick(w.bins);
    if (r.chance(0.4)) return undefined;
    return siteId === w.wh ? r.pick(w.bins) : siteId === w.bar ? w.barBin : undefined;
  }
  private product(): number {
    const { r, w } = this;
    return this.off(0.3) ? r.pick([w.recipe, w.other, w.noStock, 9_999]) : r.pick([w.bulk, w.bulk, w.bulk, w.lot, w.serial, w.made]);
  }
  private qty(productId: number): number {
    const { r, w } = this;
    if (productId === w.serial) return r.pick([1, 1, 2]);
    if (this.off(0.15)) return r.pick([-5, 0]); // refused by the contract
    return productId === w.bulk ? r.int(1, 8) * 250 : r.int(1, 12);
  }
  private header(): Record<string, unknown> {
    const { r } = this;
    const h: Record<string, unknown> = { idempotencyKey: this.key() };
    if (r.chance(0.2)) h.reference = `REF-${r.int(1, 999)}`;
    if (r.chance(0.15)) h.occurredAt = new Date(Date.now() - r.int(0, 30 * 86_400_000)).toISOString();
    if (this.off(0.1)) h.occurredAt = new Date(Date.now() + 86_400_000).toISOString(); // the future: refused
    return h;
  }
  private newSerials(k: number): string[] {
    return Array.from({ length: k }, () => {
      const s = `SN-${this.seed}-${++this.serials}`;
      this.codes.push(s);
      return s;
    });
  }
  private inLine(siteId: number, productId: number, withCost: boolean): Record<string, unknown> {
    const { r, w } = this;
    const qty = this.qty(productId);
    const line: Record<string, unknown> = { productId, qty };
    if (withCost) line.unitCost = r.int(0, 50_000);
    if (productId === w.lot || this.off(0.1)) line.batch = this.off(0.2) ? { code: 'NOEXP' } : { code: `L${r.int(1, 3)}`, expiry: '2030-01-01' };
    if (productId === w.serial) line.serials = this.off(0.3) && this.codes.length ? [r.pick(this.codes)] : this.newSerials(Math.max(1, qty));
    const bin = this.binOf(siteId);
    if (bin !== undefined) line.binId = bin;
    return line;
  }
  private pickLine(siteId: number): Record<string, unknown> {
    const { r, w } = this;
    const productId = this.product();
    const line: Record<string, unknown> = { productId, qty: this.qty(productId) };
    const bin = r.chance(0.4) ? this.binOf(siteId) : undefined;
    if (bin !== undefined) line.binId = bin;
    if (productId === w.lot && r.chance(0.4)) line.batch = { code: `L${r.int(1, 3)}` };
    if (productId === w.serial && (this.codes.length || this.bad)) {
      line.qty = 1;
      if (!this.off(0.3)) line.serials = [r.pick(this.codes.length ? this.codes : ['SN-X'])];
    }
    return line;
  }
  private some<T>(make: () => T): T[] {
    return Array.from({ length: this.r.int(1, 3) }, make);
  }

  private operation(): [string, Record<string, unknown>] {
    const { r, w } = this;
    switch (r.pick(['receive', 'receive', 'receive', 'despatch', 'despatch', 'transfer', 'transfer', 'internalTransfer', 'writeOff', 'produce', 'periodVariance', 'reverseReceipt', 'refund', 'inboundReturn'] as const)) {
      case 'receive': {
        const siteId = this.site();
        return ['receive', { ...this.header(), kind: r.pick(RECEIVE_KINDS), siteId, dutyPaid: r.chance(0.5), lines: this.some(() => this.inLine(siteId, this.product(), true)) }];
      }
      case 'despatch': {
        const siteId = this.site();
        return ['despatch', { ...this.header(), kind: r.pick(DESPATCH_KINDS), siteId, lines: this.some(() => this.pickLine(siteId)) }];
      }
      case 'transfer': {
        const fromSiteId = this.site();
        const toSiteId = this.off(0.2) ? fromSiteId : fromSiteId === w.wh ? r.pick([w.bar, w.bar, w.external]) : w.wh;
        const input: Record<string, unknown> = { ...this.header(), fromSiteId, toSiteId, lines: this.some(() => this.pickLine(fromSiteId)) };
        const toBin = r.chance(0.3) ? this.binOf(toSiteId) : undefined;
        if (toBin !== undefined) input.toBinId = toBin;
        return ['transfer', input];
      }
      case 'internalTransfer':
        return [
          'internalTransfer',
          {
            ...this.header(),
            siteId: this.off(0.3) ? this.site() : w.wh,
            lines: this.some(() => {
              const p = this.pickLine(w.wh);
              const from = r.pick(w.bins);
              const line: Record<string, unknown> = { productId: p.productId, qty: p.qty, fromBinId: from, toBinId: this.off(0.3) ? r.pick([from, w.barBin]) : w.bins.find((b) => b !== from) };
              if (p.productId === w.lot) line.fromBatch = { code: `L${r.int(1, 3)}` };
              if (p.serials) line.serials = p.serials;
              return line;
            }),
          },
        ];
      case 'writeOff': {
        const siteId = this.site();
        return ['writeOff', { ...this.header(), kind: r.pick(WRITE_OFF_KINDS), reason: r.pick(WRITE_OFF_REASONS), siteId, lines: this.some(() => this.pickLine(siteId)) }];
      }
      case 'produce': {
        const siteId = this.site();
        const output = this.inLine(siteId, this.off(0.5) ? this.product() : w.made, false);
        delete output.serials;
        output.qty = r.int(1, 4);
        const input: Record<string, unknown> = { ...this.header(), kind: r.pick(PRODUCTION_KINDS), siteId, output };
        if (r.chance(0.3)) input.components = this.some(() => this.pickLine(siteId));
        return ['produce', input];
      }
      case 'periodVariance': {
        const siteId = this.site();
        return [
          'periodVariance',
          {
            ...this.header(),
            siteId,
            lines: this.some(() => {
              const productId = this.product();
              const line: Record<string, unknown> = { productId, counted: r.int(0, 20) * 250 };
              if (productId === w.lot) line.batch = { code: `L${r.int(1, 3)}` };
              const bin = this.binOf(siteId);
              if (bin !== undefined) line.binId = bin;
              return line;
            }),
          },
        ];
      }
      case 'reverseReceipt': {
        const [documentId, received] = this.receipts.length && !this.off(0.5) ? r.pick(this.receipts) : [this.id(this.docs), ''];
        const kinds = RECEIPT_REVERSAL_KINDS.filter((k) => REVERSAL_OF_RECEIPT[k].includes(received));
        const input: Record<string, unknown> = { ...this.header(), kind: r.pick(kinds.length && !this.off(0.3) ? kinds : RECEIPT_REVERSAL_KINDS), documentId };
        if (r.chance(0.5)) input.lines = [{ seq: this.id(this.seqs), qty: r.int(1, 4) * 250 }];
        return ['reverseReceipt', input];
      }
      case 'refund': {
        const [documentId, sold] = this.sales.length && !this.off(0.5) ? r.pick(this.sales) : [this.id(this.docs), ''];
        const kinds = REFUND_KINDS.filter((k) => REFUND_OF_SALE[k].includes(sold));
        const input: Record<string, unknown> = { ...this.header(), kind: r.pick(kinds.length && !this.off(0.3) ? kinds : REFUND_KINDS), documentId, returnToStock: r.chance(0.6) };
        if (r.chance(0.5)) input.lines = [{ seq: this.id(this.seqs), qty: r.int(1, 4) }];
        return ['refund', input];
      }
      case 'inboundReturn': {
        const siteId = this.site();
        const input: Record<string, unknown> = { ...this.header(), kind: r.pick(INBOUND_RETURN_KINDS), siteId, lines: this.some(() => this.inLine(siteId, this.product(), false)) };
        if (r.chance(0.5)) input.fromSiteId = this.site();
        return ['inboundReturn', input];
      }
    }
  }

  private draft(): Call {
    const { r, w } = this;
    const draftId = this.id(this.drafts);
    switch (r.pick(['create', 'line', 'line', 'line', 'deleteLine', 'update', 'post', 'post', 'delete'] as const)) {
      case 'create':
        return ['operations.draftCreate', { name: `Adjust ${this.n}`, siteId: this.site(), effectiveAt: new Date(Date.now() - r.int(0, 5) * 86_400_000).toISOString() }];
      case 'line': {
        const productId = this.product();
        const line: Record<string, unknown> = { draftId, productId, qty: (r.chance(0.5) ? 1 : -1) * this.qty(productId) || 1, reason: r.pick(ADJUSTMENT_REASONS) };
        if (productId === w.lot) line.batch = { code: `L${r.int(1, 3)}`, expiry: '2030-01-01' };
        if (productId === w.serial) line.serial = r.chance(0.5) && this.codes.length ? r.pick(this.codes) : this.newSerials(1)[0];
        if (r.chance(0.3)) line.binId = r.pick(w.bins);
        return ['operations.draftSaveLine', line];
      }
      case 'deleteLine':
        return ['operations.draftDeleteLine', { draftId, lineNo: r.int(1, 3) }];
      case 'update':
        return ['operations.draftUpdate', { draftId, siteId: this.site() }];
      case 'post':
        return ['operations.draftPost', { draftId, idempotencyKey: this.key() }];
      case 'delete':
        return ['operations.draftDelete', { draftId }];
    }
  }

  private count(): Call {
    const { r, w } = this;
    // Mostly the newest count, whose lines are known; sometimes an older (perhaps completed) or unknown one.
    const sessionId = this.off(0.4) || !this.sessions.length ? this.id(this.sessions) : this.sessions.at(-1)!;
    const lines = this.countLines.get(sessionId) ?? [];
    const lineId = this.id(lines);
    const counted = () => (r.chance(0.1) ? null : r.int(0, 20) * (r.chance(0.5) ? 250 : 1));
    switch (r.pick(['create', 'counted', 'counted', 'many', 'resolution', 'scan', 'scan', 'removeCode', 'complete', 'complete', 'cancel'] as const)) {
      case 'create':
        return ['counts.create', r.chance(0.3) ? { siteId: w.wh, binId: r.pick(w.bins) } : { siteId: this.site() }];
      case 'counted':
        return ['counts.setCounted', { sessionId, lineId, countedQty: counted() }];
      case 'many':
        return ['counts.setCountedMany', { sessionId, entries: lines.slice(0, 6).map((id) => ({ lineId: id, countedQty: counted() })).concat([{ lineId, countedQty: counted() }]) }];
      case 'resolution':
        return ['counts.setResolution', { sessionId, resolution: r.pick(['keep_counted', 'keep_difference']) }];
      case 'scan':
        return ['counts.scan', { sessionId, code: r.pick([...this.codes.slice(-5), 'RICE-1KG', 'CLARET-75', '5012345678900', 'NO-SUCH-CODE']) }];
      case 'removeCode':
        return ['counts.removeCode', { sessionId, lineId, code: r.pick(this.codes.length ? this.codes : ['SN-X']) }];
      case 'complete':
        return ['counts.complete', { sessionId }];
      case 'cancel':
        return ['counts.cancel', { sessionId }];
    }
  }

  private importFile(): Call {
    const { r } = this;
    const rows = ['sku,site,bin,qty,batch,expiry,serial,unit_cost'];
    for (let i = r.int(1, 4); i > 0; i--) {
      rows.push(
        r.pick([
          `RICE-1KG,WH1,A-01,${r.int(1, 9)},,,,1.25`,
          `CLARET-75,BAR,,${r.int(1, 9)},L${r.int(1, 3)},2030-01-01,,8`,
          `TAP-01,WH1,,1,,,${this.newSerials(1)[0]},5`,
          'RISOTTO,WH1,,1,,,,1', // a recipe holds no stock: refused
          'RICE-1KG,NOWHERE,,1,,,,1', // an unknown site: refused
          'RICE-1KG,WH1,,-3,,,,1', // negative: refused
        ]),
      );
    }
    const jobId = `wp-import-${this.seed}-${this.n}`;
    this.jobs.add(jobId);
    return ['operations.importStart', { jobId, idempotencyKey: this.key(), kind: r.pick(IMPORT_KINDS), csv: rows.join('\n'), fileName: 'stock.csv' }];
  }

  /** Attacks that only a raw write path would let through, and garbage of every shape. */
  private hostile(): Call {
    const { r, w } = this;
    const oneLeg = { productId: w.bulk, siteId: w.wh, type: 'transfer_out', qty: -1_000 };
    switch (r.int(0, 6)) {
      case 0:
        return ['ledger.postDocument', { idempotencyKey: this.key(), type: 'transfer', lines: [oneLeg] }];
      case 1:
        return ['operations.receive', { ...this.header(), kind: 'transfer_out', siteId: w.wh, lines: [{ productId: w.bulk, qty: 1_000, unitCost: 1 }] }];
      case 2:
        return ['operations.transfer', { ...this.header(), fromSiteId: w.wh, toSiteId: w.wh, lines: [{ productId: w.bulk, qty: 250 }] }];
      case 3:
        return ['operations.despatch', { ...this.header(), kind: 'system_correction', siteId: w.wh, lines: [{ productId: w.bulk, qty: 250 }] }];
      case 4:
        return [r.pick(['operations.receive', 'operations.transfer', 'counts.complete', 'operations.draftPost']), r.pick([null, 'x', 42, [], { lines: 'all' }, { idempotencyKey: "'; DROP TABLE movements; --" }])];
      case 5:
        return ['operations.periodVariance', { ...this.header(), siteId: w.wh, lines: [{ productId: w.bulk, counted: -1 }] }];
      default:
        return ['operations.review', { operation: 'transfer', input: { ...this.header(), fromSiteId: w.wh, toSiteId: w.bar, lines: [{ productId: w.bulk, qty: 1_000_000 }] } }];
    }
  }

  next(): Call {
    const { r } = this;
    this.bad = r.chance(0.25);
    const x = r.next();
    let call: Call;
    if (x < 0.08 && this.history.length) {
      // A replay: the same call again (same idempotency key), or the same key with another input.
      const [method, input] = r.pick(this.history);
      call = r.chance(0.7) || typeof input !== 'object' || input === null ? [method, input] : [method, { ...input, reference: 'changed' }];
    } else if (x < 0.58) {
      const [op, input] = this.operation();
      call = [`operations.${op}`, input];
    } else if (x < 0.63) {
      const [op, input] = this.operation();
      call = ['operations.review', { operation: op, input }];
    } else if (x < 0.75) call = this.draft();
    else if (x < 0.9) call = this.count();
    else if (x < 0.93) call = this.importFile();
    else call = this.hostile();
    if (call[1] && typeof call[1] === 'object' && 'idempotencyKey' in call[1]) this.history.push(call);
    return call;
  }

  /** Remembers ids from a result to aim later calls at. */
  learn(method: string, input: unknown, result: unknown): void {
    const o = result as Record<string, unknown> | null;
    if (!o || typeof o !== 'object') return;
    if (typeof o.documentId === 'number') {
      this.docs.push(o.documentId);
      const kind = (input as { kind?: string }).kind ?? '';
      if (method === 'operations.receive') this.receipts.push([o.documentId, kind]);
      if (method === 'operations.despatch') this.sales.push([o.documentId, kind]);
    }
    if (typeof o.firstSeq === 'number' && typeof o.lastSeq === 'number') for (let s = o.firstSeq; s <= o.lastSeq; s++) this.seqs.push(s);
    if (method === 'operations.draftCreate' && typeof o.id === 'number') this.drafts.push(o.id);
    if (method === 'counts.create' && typeof o.id === 'number') this.sessions.push(o.id);
  }
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'stockbook-write-path-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function waitForJobs(app: Stockbook, jobs: Set<string>, finished: Set<string>): Promise<void> {
  for (let i = 0; i < 600 && [...jobs].some((j) => !finished.has(j)); i++) {
    await app.dispatch('app.info', {}, app.session); // a round trip through the worker lets a running job take its turn
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe(`one write path (ARCHITECTURE §5.9) on ${STORE_UNDER_TEST}`, () => {
  it(`${SEEDS} random sequences × ${CALLS} calls to every public write method, valid and invalid: verify holds after each`, async () => {
    const tally = { calls: 0, ok: 0, refused: 0, replayed: 0 };
    const codes: Record<string, number> = {};
    const perMethod: Record<string, { ok: number; refused: number }> = {};
    const internal: string[] = [];
    const broken: string[] = [];
    let movements = 0;
    // One ledger and one app for all sequences (starting the app is the slow part); each sequence is its own seed.
    const path = join(dir, 'write-path.db');
    const ledger = await configuredLedger(cluster(), path);
    let app = await startStockbook({ dbPath: path, mode: 'web', store: ledger.store });
    const world = await seedWorld(app, ledger);
    const finished = new Set<string>();
    const off = app.onEvent((event, payload) => {
      if (event === 'job.finished') finished.add((payload as { jobId: string }).jobId);
    });
    try {
      for (let seed = 1; seed <= SEEDS; seed++) {
        const gen = new Calls(new Rng(seed * 7919), world, seed);
        for (let i = 0; i < CALLS; i++) {
          const [method, input] = gen.next();
          const out = await app.dispatch(method, input, app.session);
          tally.calls++;
          const m = (perMethod[method] ??= { ok: 0, refused: 0 });
          if (out.ok) {
            tally.ok++;
            m.ok++;
            if ((out.result as { replayed?: boolean } | null)?.replayed) tally.replayed++;
            gen.learn(method, input, out.result);
            if (method === 'counts.create' || method === 'counts.scan') {
              const id = method === 'counts.create' ? (out.result as { id: number }).id : (input as { sessionId: number }).sessionId;
              const sheet = await app.dispatch('counts.get', { sessionId: id }, app.session);
              if (sheet.ok) gen.countLines.set(id, (sheet.result as { lines: { id: number }[] }).lines.map((l) => l.id));
            }
          } else {
            tally.refused++;
            m.refused++;
            codes[out.error.code] = (codes[out.error.code] ?? 0) + 1;
            if (out.error.code === 'INTERNAL' || out.error.message.length < 20) internal.push(`seed ${seed} call ${i} ${method} ${JSON.stringify(input).slice(0, 160)} → ${out.error.code}: ${out.error.message}`);
          }
        }
        await waitForJobs(app, gen.jobs, finished);
        const report = await verified(app);
        movements = report.movements;
        for (const c of report.checks) if (!c.ok || c.problems.length) broken.push(`after sequence ${seed}: ${c.name}: ${c.problems.slice(0, 3).join('; ')}`);
      }
    } finally {
      off();
      await app.close();
    }
    console.log(
      `write path: ${SEEDS} sequences × ${CALLS} calls = ${tally.calls} calls; ${tally.ok} accepted (${tally.replayed} replays), ${tally.refused} refused ${JSON.stringify(codes)}; ` +
        `${movements} movements written; verify held after every sequence: ${broken.length === 0}\n` +
        Object.entries(perMethod)
          .sort()
          .map(([k, v]) => `  ${k}: ${v.ok} ok, ${v.refused} refused`)
          .join('\n'),
    );
    expect(broken).toEqual([]);
    expect(internal).toEqual([]);
    // After the app closed, the ledger opens again (start-up checks included) and verifies whole.
    app = await startStockbook({ dbPath: path, mode: 'web', store: ledger.store });
    try {
      expect(app.safeMode).toBeNull();
      expect((await verified(app)).ok).toBe(true);
    } finally {
      await app.close();
      await ledger.close();
    }
    // The sequences exercise both sides: plenty written, plenty refused, over every write method.
    expect(tally.ok).toBeGreaterThan(tally.calls * 0.25);
    expect(tally.refused).toBeGreaterThan(tally.calls * 0.25);
    expect(movements).toBeGreaterThan(SEEDS * 50);
    for (const m of ['receive', 'despatch', 'transfer', 'internalTransfer', 'writeOff', 'produce', 'periodVariance', 'reverseReceipt', 'refund', 'inboundReturn', 'review', 'draftPost', 'importStart']) {
      expect(perMethod[`operations.${m}`]?.ok ?? 0, `operations.${m} never succeeded`).toBeGreaterThan(0);
    }
    for (const m of ['create', 'setCounted', 'complete']) expect(perMethod[`counts.${m}`]?.ok ?? 0, `counts.${m} never succeeded`).toBeGreaterThan(0);
    expect(perMethod['ledger.postDocument']?.ok ?? 0).toBe(0);
  }, 600_000);
});
