import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors';
import type { StockChange } from '../../shared/contract/events';
import type { PostDocumentInput } from '../../shared/contract/schemas';
import type { OperationResult } from '../../shared/operations';
import { asUser } from '../../test/fixtures/caller';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { openPgFixture, type PgFixture } from '../../test/fixtures/pg-ledger';
import { createPgWorkerContext } from '../ledger/pg/pg-worker-context';
import { openPool } from '../ledger/pg/pg-types';
import { allPgOps } from '../ledger/pg/pg-worker-ops';
import { pgTransaction, postInTransaction } from '../ledger/pg/store/pg-ledger-store';
import { PgReferenceStore } from '../ledger/pg/store/pg-reference-store';
import { startTestCluster, type TestCluster } from '../ledger/pg/test-cluster';
import { createWorkerContext } from '../ledger/worker-context';
import { operationsOps } from './operations.ops';
import type { OperationMeta } from './ops-store';
import { OpsStore } from './ops-store';
import { PgOpsStore } from './pg-ops-store';

/**
 * The stock operations window's operations on both stores (issue 17): one script of receipts (LOT with batches,
 * SERIAL with serials, a supplier), a despatch exploding a recipe, transfers, a write-off, production, a receipt
 * reversal, a value-only refund, an inbound return, a period variance, refusals, a replayed key, a review, and every
 * look-up of the window — run through the SQLite worker's operations and through the PostgreSQL host's (PG_CAPABILITIES),
 * every answer and every stock.changed event compared.
 *
 * Times: both stores are given one fixed clock (the SQLite ledger's and operations', the PostgreSQL host's), so
 * recordedAt and occurredAt agree; without it they differ by when each store ran.
 * Ids: master data is created in the same order on both, so ids match. A PostgreSQL document id comes from a sequence,
 * which a rolled-back transaction does not give back (SQLite's does): the review (always rolled back) runs last.
 */
const T0 = Date.parse('2026-03-02T09:30:00.000Z');
const clock = () => T0;

type Call = (op: string, input: unknown) => Promise<unknown>;
interface Side {
  ids: Fixture['ids'];
  call: Call;
  events: StockChange[];
  addSupplier(code: string, name: string): Promise<number>;
  addMade(sku: string, components: { productId: number; qtyPerUnit: number }[]): Promise<number>;
  /** A barcode of the product and its default bin at the bin's site (what the Receive form preselects). */
  addBarcodeAndDefaultBin(productId: number, barcode: string, siteId: number, binId: number): Promise<void>;
  /** An inventory adjustment as a posted draft leaves it (document and operation_documents row), for the history. */
  postAdjustment(doc: PostDocumentInput, meta: OperationMeta): Promise<void>;
  documents(): Promise<number>;
  /** Drops the request recorded under a key: what a ledger written before requests were recorded holds. */
  forgetRequest(idempotencyKey: string): Promise<void>;
  close(): Promise<void>;
}

let cluster: TestCluster | undefined;
const sides: Side[] = [];
beforeAll(async () => {
  cluster = await startTestCluster();
});
afterAll(async () => {
  for (const s of sides) await s.close();
  cluster?.stop();
});

async function sqliteSide(): Promise<Side> {
  const f = await openFixture({ clock });
  const events: StockChange[] = [];
  const ctx = createWorkerContext(f.ledger, (event, payload) => {
    if (event === 'stock.changed') events.push(payload as StockChange);
  });
  const ops = operationsOps(ctx, clock) as unknown as Record<string, (input: unknown, caller: unknown) => unknown>;
  const side: Side = {
    ids: f.ids,
    events,
    call: async (op, input) => ops[op]!(input, asUser(f.ids.admin)),
    addSupplier: async (code, name) => Number(f.ledger.db.prepare("INSERT INTO suppliers (code, name, country, in_ec) VALUES (?, ?, 'US', 0)").run(code, name).lastInsertRowid),
    addMade: async (sku, components) => f.ledger.reference.addProduct({ sku, name: sku, stockType: 'Made', components }),
    addBarcodeAndDefaultBin: async (productId, barcode, siteId, binId) => {
      f.ledger.db.prepare('INSERT INTO product_barcodes (barcode, product_id) VALUES (?, ?)').run(barcode, productId);
      f.ledger.db.prepare('INSERT INTO product_sites (product_id, site_id, default_bin_id) VALUES (?, ?, ?)').run(productId, siteId, binId);
    },
    postAdjustment: async (doc, meta) => {
      const { documentId } = f.ledger.poster.post(doc, f.ids.admin);
      new OpsStore(f.ledger.db).insertMeta(documentId, meta);
    },
    documents: async () => (f.ledger.db.prepare('SELECT COUNT(*) AS n FROM documents').get() as { n: number }).n,
    forgetRequest: async (k) => void f.ledger.db.prepare('DELETE FROM operation_requests WHERE idempotency_key = ?').run(k),
    close: () => f.cleanup(),
  };
  sides.push(side);
  return side;
}

async function pgSide(): Promise<Side> {
  const f: PgFixture = await openPgFixture(cluster!, clock);
  const events: StockChange[] = [];
  const ctx = createPgWorkerContext(f.pool, f.connection, (event, payload) => {
    if (event === 'stock.changed') events.push(payload as StockChange);
  }, clock);
  const ops = allPgOps(ctx, []) as unknown as Record<string, (input: unknown, caller: unknown) => Promise<unknown>>;
  const one = async (sql: string, args: unknown[]) => (await f.pool.query<{ id: number }>(sql, args)).rows[0]!.id;
  const side: Side = {
    ids: f.ids,
    events,
    call: (op, input) => ops[op]!(input, asUser(f.ids.admin)),
    addSupplier: (code, name) => one("INSERT INTO suppliers (code, name, country, in_ec) VALUES ($1, $2, 'US', false) RETURNING id", [code, name]),
    addMade: (sku, components) => new PgReferenceStore(f.pool, clock).addProduct({ sku, name: sku, stockType: 'Made', components }),
    addBarcodeAndDefaultBin: async (productId, barcode, siteId, binId) => {
      await f.pool.query('INSERT INTO product_barcodes (barcode, product_id) VALUES ($1, $2)', [barcode, productId]);
      await f.pool.query('INSERT INTO product_sites (product_id, site_id, default_bin_id) VALUES ($1, $2, $3)', [productId, siteId, binId]);
    },
    postAdjustment: (doc, meta) =>
      pgTransaction(
        f.pool,
        async (c) => {
          const [posted] = await postInTransaction(c, [doc], f.ids.admin, {}, clock);
          await new PgOpsStore(c).insertMeta(posted!.documentId, meta);
        },
        { chainLock: true },
      ),
    documents: async () => (await f.pool.query<{ n: number }>('SELECT COUNT(*) AS n FROM documents')).rows[0]!.n,
    forgetRequest: async (k) => void (await f.pool.query('DELETE FROM operation_requests WHERE idempotency_key = $1', [k])),
    close: () => f.close(),
  };
  sides.push(side);
  return side;
}

/** What an operation answered, or the refusal it gave (code and message: the user's words must match too). */
async function answer(call: Promise<unknown>): Promise<unknown> {
  try {
    return await call;
  } catch (e) {
    if (e instanceof AppError) return { refused: e.code, message: e.message };
    throw e;
  }
}

/** The same operations, in the same order, on one store; every answer, by step name. */
async function script(s: Side, tag: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const { ids } = s;
  const step = async (name: string, op: string, input: unknown) => (out[name] = await answer(s.call(op, input)));
  const key = (name: string) => `${tag}-${name}`;
  const acme = await s.addSupplier('ACME', 'Acme Imports');
  const made = await s.addMade('PASTA-BAKE', [{ productId: ids.bulk, qtyPerUnit: 500 }]);
  await s.addBarcodeAndDefaultBin(ids.bulk, '5012345678900', ids.wh, ids.binB);

  await step('receive lot', 'operations.receive', {
    idempotencyKey: key('receive lot'), kind: 'supplier_order', siteId: ids.wh, dutyPaid: true, supplierId: acme, customsDutyPaid: true, reference: 'PO-1',
    lines: [
      { productId: ids.lot, qty: 10, binId: ids.binA, batch: { code: 'LATE', expiry: '2031-06-30' }, unitCost: 80_000, onCosts: { freight: 2_000, excise: 22_300 } },
      { productId: ids.lot, qty: 4, binId: ids.binA, batch: { code: 'EARLY', expiry: '2030-01-31' }, unitCost: 80_000, onCosts: { freight: 2_000, excise: 22_300 } },
    ],
  });
  await step('receive serial', 'operations.receive', {
    idempotencyKey: key('receive serial'), kind: 'cash_purchase', siteId: ids.wh, dutyPaid: false, lines: [{ productId: ids.serial, qty: 3, binId: ids.binB, serials: ['T1', 'T2', 'T3'], unitCost: 5_000 }],
  });
  const rice = { idempotencyKey: key('receive rice'), kind: 'cash_purchase', siteId: ids.wh, dutyPaid: false, lines: [{ productId: ids.bulk, qty: 10_000, binId: ids.binA, unitCost: 25_000 }] };
  await step('receive rice', 'operations.receive', rice);
  await step('receive rice again (same key)', 'operations.receive', rice);
  await step('receive rice, same key, other input', 'operations.receive', { ...rice, lines: [{ ...rice.lines[0]!, qty: 1 }] });
  await step('despatch recipe', 'operations.despatch', {
    idempotencyKey: key('despatch recipe'), kind: 'sale', siteId: ids.wh, lines: [{ productId: ids.recipe, qty: 3 }, { productId: ids.other, qty: 1 }, { productId: ids.lot, qty: 6 }],
  });
  const sale = out['despatch recipe'] as OperationResult;
  await step('despatch serial', 'operations.despatch', { idempotencyKey: key('despatch serial'), kind: 'sale', siteId: ids.wh, lines: [{ productId: ids.serial, qty: 1, serials: ['T2'] }] });
  await step('transfer', 'operations.transfer', { idempotencyKey: key('transfer'), fromSiteId: ids.wh, toSiteId: ids.shop, lines: [{ productId: ids.bulk, qty: 2_000 }, { productId: ids.serial, qty: 1, serials: ['T3'] }] });
  await step('internal transfer', 'operations.internalTransfer', { idempotencyKey: key('internal'), siteId: ids.wh, lines: [{ productId: ids.bulk, qty: 700, fromBinId: ids.binA, toBinId: ids.binB }] });
  await step('write-off', 'operations.writeOff', { idempotencyKey: key('write-off'), kind: 'wastage', siteId: ids.shop, reason: 'spoiled', lines: [{ productId: ids.bulk, qty: 100 }] });
  await step('produce', 'operations.produce', { idempotencyKey: key('produce'), kind: 'work_order', siteId: ids.wh, output: { productId: made, qty: 4 } });
  const receipt = out['receive lot'] as OperationResult;
  await step('reverse receipt in part', 'operations.reverseReceipt', { idempotencyKey: key('reverse'), kind: 'supplier_credit', documentId: receipt.documentId, lines: [{ seq: receipt.firstSeq, qty: 3 }] });
  const refund = { idempotencyKey: key('refund'), kind: 'sales_credit_note', documentId: sale.documentId, returnToStock: false };
  await step('refund value only', 'operations.refund', refund);
  await s.forgetRequest(refund.idempotencyKey);
  await step('refund replayed from its credits alone', 'operations.refund', refund);
  await step('inbound return', 'operations.inboundReturn', { idempotencyKey: key('return'), kind: 'sales_return_inbound', siteId: ids.wh, lines: [{ productId: ids.bulk, qty: 200, binId: ids.binA }] });
  await step('period variance', 'operations.periodVariance', { idempotencyKey: key('variance'), siteId: ids.wh, lines: [{ productId: ids.bulk, binId: ids.binA, counted: 4_000 }] });
  await s.postAdjustment(
    { idempotencyKey: key('adjustment'), type: 'adjustment', reference: 'Shelf recount', lines: [{ productId: ids.bulk, siteId: ids.shop, type: 'inventory_adjustment', qty: -50, note: 'damaged: dropped' }] },
    { kind: 'inventory_adjustment', siteId: ids.shop, reason: 'draft:1' },
  );
  // Refusals: what the user is told, word for word, and nothing written.
  await step('refused: more than there is', 'operations.despatch', { idempotencyKey: key('too much'), kind: 'sale', siteId: ids.wh, lines: [{ productId: ids.lot, qty: 100 }] });
  await step('refused: unknown site', 'operations.writeOff', { idempotencyKey: key('no site'), kind: 'wastage', siteId: 999, reason: 'x', lines: [{ productId: ids.bulk, qty: 1 }] });
  await step('refused: serial already out', 'operations.despatch', { idempotencyKey: key('T2 again'), kind: 'sale', siteId: ids.wh, lines: [{ productId: ids.serial, qty: 1, serials: ['T2'] }] });
  await step('refused: no such document', 'operations.document', { documentId: 999 });

  // Every look-up of the window.
  for (const [site, name] of [[ids.wh, 'wh'], [ids.shop, 'shop']] as const) {
    for (const p of [ids.bulk, ids.lot, ids.serial, made]) await step(`availability ${p} at ${name}`, 'operations.availability', { productId: p, siteId: site });
    await step(`bins at ${name}`, 'operations.bins', { siteId: site });
  }
  for (const search of ['', 'claret', 'tap-01', 'RI', 'rice-1', 'c', '5012345678900', '50%_', 'nothing like it']) await step(`products "${search}"`, 'operations.products', { search, limit: 20 });
  await step('products, first 2', 'operations.products', { search: '', limit: 2 });
  await step('recent documents', 'operations.recentDocuments', { limit: 30 });
  await step('recent receipts', 'operations.recentDocuments', { types: [receipt.documentType], limit: 30 });
  const documentIds = new Set((out['recent documents'] as { documentId: number }[]).map((d) => d.documentId));
  for (const id of documentIds) await step(`document ${id}`, 'operations.document', { documentId: id });
  await step('adjustment history', 'operations.adjustmentHistory', { limit: 50, offset: 0 });
  await step('adjustment history, page 2', 'operations.adjustmentHistory', { limit: 50, offset: 1 });
  out.documents = await s.documents();

  // Last: the review rolls back, and PostgreSQL does not give back the document id it took.
  await step('review despatch', 'operations.review', { operation: 'despatch', input: { idempotencyKey: key('review'), kind: 'sale', siteId: ids.wh, lines: [{ productId: ids.lot, qty: 2 }] } });
  await step('review of a posted key', 'operations.review', { operation: 'transfer', input: { idempotencyKey: key('transfer'), fromSiteId: ids.wh, toSiteId: ids.shop, lines: [{ productId: ids.bulk, qty: 2_000 }, { productId: ids.serial, qty: 1, serials: ['T3'] }] } });
  await step('review refused', 'operations.review', { operation: 'despatch', input: { idempotencyKey: key('review too much'), kind: 'sale', siteId: ids.wh, lines: [{ productId: ids.bulk, qty: 1_000_000 }] } });
  out['documents after review'] = await s.documents();
  out.events = s.events;
  return out;
}

describe('the stock operations window on SQLite and on PostgreSQL', () => {
  let sqlite: Record<string, unknown>;
  let postgres: Record<string, unknown>;
  let sqliteIds: Side['ids'];
  beforeAll(async () => {
    const side = await sqliteSide();
    sqliteIds = side.ids;
    sqlite = await script(side, 'both');
    postgres = await script(await pgSide(), 'both');
  });

  it('runs the script for real on SQLite (the comparison is not of two refusals)', () => {
    expect(sqlite['receive lot']).toMatchObject({ documentId: 1, movementCount: 2, replayed: false });
    expect(sqlite['despatch recipe']).toMatchObject({ movementCount: 3 });
    expect((sqlite['despatch recipe'] as OperationResult).notes.join(' ')).toMatch(/SERVICE .* no movement/);
    expect(sqlite['refused: more than there is']).toMatchObject({ refused: 'NEGATIVE_STOCK' });
    expect(sqlite['refused: unknown site']).toMatchObject({ refused: 'NOT_FOUND' });
    expect(sqlite['refused: serial already out']).toMatchObject({ refused: 'CONFLICT' });
    expect(sqlite['refund value only']).toMatchObject({ documentId: null, valueCredits: 3 });
    expect(sqlite['refund replayed from its credits alone']).toMatchObject({ documentId: null, valueCredits: 3, replayed: true });
    expect(sqlite['products "tap-01"']).toMatchObject([{ sku: 'TAP-01', exact: true }]);
    expect(sqlite['products "rice-1"']).toMatchObject([{ sku: 'RICE-1KG', exact: false }]);
    expect((sqlite['products "c"'] as { sku: string }[]).map((p) => p.sku)).toEqual(['CLARET-75', 'RICE-1KG', 'SERVICE']);
    expect(sqlite['products "5012345678900"']).toMatchObject([{ sku: 'RICE-1KG', exact: true, defaultBins: { [sqliteIds.wh]: sqliteIds.binB } }]);
    expect((sqlite['recent documents'] as unknown[]).length).toBe(sqlite.documents);
    expect(sqlite['adjustment history']).toMatchObject([{ name: 'Shelf recount', siteName: 'Soho Bar', lines: [{ qty: -50, reason: 'damaged' }] }]);
    expect((sqlite['review despatch'] as { movements: unknown[] }).movements).toHaveLength(1);
    expect(sqlite['review of a posted key']).toMatchObject({ alreadyPostedDocumentId: (sqlite.transfer as OperationResult).documentId });
    expect(sqlite['review refused']).toMatchObject({ refused: 'NEGATIVE_STOCK' });
  });

  it('gives every answer, refusal and event on PostgreSQL as on SQLite', () => {
    expect(Object.keys(postgres)).toEqual(Object.keys(sqlite));
    for (const step of Object.keys(sqlite)) expect({ step, answer: postgres[step] }).toEqual({ step, answer: sqlite[step] });
  });

  it('replays a key: the same answer, marked replayed, and no second document', () => {
    expect(postgres['receive rice again (same key)']).toEqual({ ...(postgres['receive rice'] as OperationResult), replayed: true });
    expect(postgres['receive rice, same key, other input']).toMatchObject({ refused: 'IDEMPOTENCY_CONFLICT' });
    expect(postgres.documents).toBe(sqlite.documents);
    expect(postgres['documents after review']).toBe(postgres.documents);
    expect((postgres.events as StockChange[]).filter((e) => e.documentId === (postgres['receive rice'] as OperationResult).documentId)).toHaveLength(1);
  });
});

describe('two Stockbook servers on one PostgreSQL', () => {
  it('post the same key at once: one document, the same answer (one replayed), one stock.changed', async () => {
    const f = await openPgFixture(cluster!, clock);
    const other = openPool(f.connection);
    try {
      const events: StockChange[][] = [[], []];
      const servers = [f.pool, other].map((pool, i) => {
        const ctx = createPgWorkerContext(pool, f.connection, (event, payload) => {
          if (event === 'stock.changed') events[i]!.push(payload as StockChange);
        }, clock);
        return allPgOps(ctx, []);
      });
      const input = { idempotencyKey: 'two-servers', kind: 'cash_purchase' as const, siteId: f.ids.wh, dutyPaid: false, lines: [{ productId: f.ids.bulk, qty: 5_000, binId: f.ids.binA, unitCost: 25_000 }] };
      const answers = await Promise.all(servers.map((ops) => ops['operations.receive'](input, asUser(f.ids.admin))));
      expect(answers.map((a) => a.replayed).sort()).toEqual([false, true]);
      expect({ ...answers[0], replayed: false }).toEqual({ ...answers[1], replayed: false });
      expect((await f.pool.query<{ n: number }>('SELECT COUNT(*) AS n FROM documents')).rows[0]!.n).toBe(1);
      expect(await f.store.balance(f.ids.bulk, f.ids.wh)).toBe(5_000);
      expect(events.flat()).toEqual([{ documentId: answers[0]!.documentId, reason: 'cash_purchase', products: [f.ids.bulk], sites: [f.ids.wh] }]);
      expect((await f.store.verify()).ok).toBe(true);
    } finally {
      await other.end();
      await f.close();
    }
  });
});
