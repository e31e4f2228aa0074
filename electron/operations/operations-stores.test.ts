import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors';
import type { OperationResult, OperationReview, ReviewableOperation } from '../../shared/operations';
import { asUser } from '../../test/fixtures/caller';
import { openFixture } from '../../test/fixtures/ledger';
import { openPgFixture } from '../../test/fixtures/pg-ledger';
import { pgRows } from '../../test/fixtures/pg-rows';
import { PgReferenceStore } from '../ledger/pg/store/pg-reference-store';
import { startTestCluster, type TestCluster } from '../ledger/pg/test-cluster';
import { SqliteLedgerCore } from '../ledger/store/sqlite-ledger-core';
import { createWorkerContext } from '../ledger/worker-context';
import type { LedgerCore } from '../ledger/ledger-core';
import type { OperationInput } from './operation-builders';
import { operationsOps } from './operations.ops';
import { PgOperations } from './pg-operations';
import type { CompanySettings } from '../../shared/company';
import { CompanyStore } from '../company/company-store';
import { savePgCompany } from '../../test/fixtures/pg-company';

/**
 * The stock operations on both stores (issue 17): the cases of operations.test.ts and idempotency.test.ts that post
 * receipts, despatches (FIFO/FEFO picks, recipes), transfers, write-offs, production, returns, refunds and reversals,
 * run through SQLite's worker operations and through PgOperations on a throw-away PostgreSQL, held to the same rows.
 */
interface OpsFixture {
  ids: { wh: number; shop: number; external: number; binA: number; binB: number; bulk: number; lot: number; serial: number; recipe: number; other: number; admin: number };
  post<O extends ReviewableOperation>(operation: O, input: OperationInput<O>): Promise<OperationResult>;
  review<O extends ReviewableOperation>(operation: O, input: OperationInput<O>): Promise<OperationReview>;
  /** Rows of a read-only query; `?` placeholders on both stores. */
  rows(sql: string, ...args: unknown[]): Promise<Record<string, unknown>[]>;
  deactivateSupplier(id: number): Promise<void>;
  /** Lets a site go below zero (sites refuse it by default). */
  allowNegative(siteId: number): Promise<void>;
  /** Saves the company's settings (its locale: how messages write numbers and days). */
  saveCompany(settings: CompanySettings): Promise<void>;
  core: LedgerCore;
  addMade(sku: string, components: { productId: number; qtyPerUnit: number }[], tracking?: 'LOT'): Promise<number>;
  addSupplier(code: string, name: string, inEc: boolean): Promise<number>;
  close(): Promise<void>;
}

let cluster: TestCluster | undefined;
beforeAll(async () => {
  cluster = await startTestCluster();
});
afterAll(() => cluster?.stop());

const STORES: [string, () => Promise<OpsFixture>][] = [
  [
    'SQLite',
    async () => {
      const f = await openFixture();
      const o = operationsOps(createWorkerContext(f.ledger, () => undefined));
      return {
        ids: f.ids,
        post: async (operation, input) => (o[`operations.${operation}`] as (i: typeof input, c: ReturnType<typeof asUser>) => OperationResult)(input, asUser(f.ids.admin)),
        review: async (operation, input) => o['operations.review']({ operation, input } as Parameters<(typeof o)['operations.review']>[0], asUser(f.ids.admin)),
        rows: async (sql, ...args) => f.ledger.db.prepare(sql).all(...args) as Record<string, unknown>[],
        deactivateSupplier: async (id) => void f.ledger.db.prepare('UPDATE suppliers SET active = 0 WHERE id = ?').run(id),
        // The poster's cached site keeps its old rule: these tests never take the current level below zero.
        allowNegative: async (id) => void f.ledger.db.prepare('UPDATE sites SET allow_negative = 1 WHERE id = ?').run(id),
        saveCompany: async (settings) => new CompanyStore(f.ledger.db).saveSettings(settings, Date.now()),
        core: new SqliteLedgerCore(f.ledger.db, f.ledger.poster),
        addMade: async (sku, components, tracking) => f.ledger.reference.addProduct({ sku, name: sku, stockType: 'Made', components, ...(tracking ? { tracking } : {}) }),
        addSupplier: async (code, name, inEc) => Number(f.ledger.db.prepare('INSERT INTO suppliers (code, name, country, in_ec) VALUES (?, ?, ?, ?)').run(code, name, inEc ? 'FR' : 'US', inEc ? 1 : 0).lastInsertRowid),
        close: () => f.cleanup(),
      };
    },
  ],
  [
    'PostgreSQL',
    async () => {
      const f = await openPgFixture(cluster!);
      const ops = new PgOperations(f.pool);
      const one = async (sql: string, args: unknown[]) => (await f.pool.query<{ id: number }>(sql, args)).rows[0]!.id;
      return {
        ids: f.ids,
        post: (operation, input) => ops.post(operation, input, f.ids.admin),
        review: (operation, input) => ops.review(operation, input, f.ids.admin),
        rows: (sql, ...args) => pgRows(f.pool, sql, args),
        deactivateSupplier: async (id) => void (await f.pool.query('UPDATE suppliers SET active = false WHERE id = $1', [id])),
        allowNegative: async (id) => void (await f.pool.query('UPDATE sites SET allow_negative = true WHERE id = $1', [id])),
        saveCompany: (settings) => savePgCompany(f.pool, settings),
        core: f.store,
        addMade: (sku, components, tracking) => new PgReferenceStore(f.pool).addProduct({ sku, name: sku, stockType: 'Made', components, ...(tracking ? { tracking } : {}) }),
        addSupplier: (code, name, inEc) => one('INSERT INTO suppliers (code, name, country, in_ec) VALUES ($1, $2, $3, $4) RETURNING id', [code, name, inEc ? 'FR' : 'US', inEc]),
        close: () => f.close(),
      };
    },
  ],
];

let n = 0;
const key = () => `ops-stores-${process.pid}-${++n}`;
/** SQLite keeps booleans as 0/1: read them as booleans on both. */
const bool = (rows: Record<string, unknown>[], ...columns: string[]) => rows.map((r) => ({ ...r, ...Object.fromEntries(columns.map((c) => [c, Boolean(r[c])])) }));

describe.each(STORES)('operations on %s', (_name, open) => {
  let f: OpsFixture;
  beforeEach(async () => {
    f = await open();
  });
  afterEach(async () => {
    expect((await f.core.verify()).ok).toBe(true);
    await f.close();
  });

  /** Every row an operation writes: a refusal must leave each count as it was. */
  const counts = async () =>
    (await f.rows(
      `SELECT (SELECT COUNT(*) FROM documents) AS documents, (SELECT COUNT(*) FROM movements) AS movements, (SELECT COUNT(*) FROM stock_levels) AS levels,
         (SELECT COUNT(*) FROM batches) AS batches, (SELECT COUNT(*) FROM serial_units) AS serials, (SELECT COUNT(*) FROM cost_state) AS costs,
         (SELECT COUNT(*) FROM operation_documents) AS meta, (SELECT COUNT(*) FROM operation_requests) AS requests,
         (SELECT COUNT(*) FROM operation_value_credits) AS credits, (SELECT COUNT(*) FROM document_suppliers) AS suppliers`,
    ))[0];
  async function expectRefused(fn: () => Promise<unknown>, code: string, pattern: RegExp) {
    const before = await counts();
    const e = await fn().then(
      () => new Error('expected a refusal'),
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe(code);
    expect((e as AppError).message).toMatch(pattern);
    expect(await counts()).toEqual(before);
  }
  const onHand = async (productId: number, siteId: number) => f.core.balance(productId, siteId);
  const receiveClaret = (batches: { code: string; expiry: string; qty: number }[], occurredAt?: string, confirmExpired?: boolean) =>
    f.post('receive', {
      idempotencyKey: key(),
      kind: 'supplier_order',
      siteId: f.ids.wh,
      dutyPaid: true,
      ...(occurredAt ? { occurredAt } : {}),
      ...(confirmExpired ? { confirmExpired } : {}),
      lines: batches.map((b) => ({ productId: f.ids.lot, qty: b.qty, binId: f.ids.binA, batch: { code: b.code, expiry: b.expiry }, unitCost: 80_000, onCosts: { freight: 2_000, excise: 22_300 } })),
    });
  const receiveRice = (qty: number, cost = 25_000) =>
    f.post('receive', { idempotencyKey: key(), kind: 'cash_purchase', siteId: f.ids.wh, dutyPaid: false, lines: [{ productId: f.ids.bulk, qty, binId: f.ids.binA, unitCost: cost }] });

  it('receives a backdated LOT receipt with declared cost, on-costs and duty paid, and sets the cost state', async () => {
    const when = new Date(Date.now() - 3 * 3600_000).toISOString();
    const r = await receiveClaret([{ code: 'L1', expiry: '2030-01-31', qty: 12 }], when);
    expect(r).toMatchObject({ replayed: false, movementCount: 1, documentType: 'receipt' });
    expect(await f.rows('SELECT type, qty, unit_cost, cost_source, oc_freight, oc_excise, occurred_at FROM movements')).toEqual([
      { type: 'supplier_order', qty: 12, unit_cost: 80_000, cost_source: 'declared', oc_freight: 2_000, oc_excise: 22_300, occurred_at: Date.parse(when) },
    ]);
    expect(bool(await f.rows('SELECT kind, duty_paid FROM operation_documents'), 'duty_paid')).toEqual([{ kind: 'supplier_order', duty_paid: true }]);
    expect(await f.rows('SELECT latest_cost, average_cost FROM cost_state')).toEqual([{ latest_cost: 80_000, average_cost: 80_000 }]);
  });

  it('records the receipt supplier and its customs facts in the same transaction, and refuses an inactive one', async () => {
    const acme = await f.addSupplier('ACME', 'Acme Imports', false);
    const r = await f.post('receive', { idempotencyKey: key(), kind: 'supplier_order', siteId: f.ids.wh, dutyPaid: false, supplierId: acme, customsDutyPaid: true, lines: [{ productId: f.ids.bulk, qty: 5, unitCost: 1 }] });
    expect(await f.rows('SELECT supplier_id FROM document_suppliers WHERE document_id = ?', r.documentId)).toEqual([{ supplier_id: acme }]);
    expect(bool(await f.rows('SELECT non_ec, customs_duty_paid FROM document_customs WHERE document_id = ?', r.documentId), 'non_ec', 'customs_duty_paid')).toEqual([{ non_ec: true, customs_duty_paid: true }]);
    expect(await f.rows('SELECT counterparty FROM operation_documents WHERE document_id = ?', r.documentId)).toEqual([{ counterparty: 'Acme Imports' }]);
    await f.deactivateSupplier(acme);
    await expectRefused(() => f.post('receive', { idempotencyKey: key(), kind: 'supplier_order', siteId: f.ids.wh, dutyPaid: false, supplierId: acme, lines: [{ productId: f.ids.bulk, qty: 5, unitCost: 1 }] }), 'CONFLICT', /Acme Imports is inactive/);
  });

  it('splits serial lines one movement per unit, and replays the same key', async () => {
    const input = { idempotencyKey: key(), kind: 'stock_receipt' as const, siteId: f.ids.wh, dutyPaid: false, lines: [{ productId: f.ids.serial, qty: 2, serials: ['S1', 'S2'], unitCost: 5_000 }] };
    const r = await f.post('receive', input);
    expect(r.movementCount).toBe(2);
    expect(await f.post('receive', input)).toMatchObject({ replayed: true, documentId: r.documentId, movementCount: 2, firstSeq: r.firstSeq });
    expect(await f.rows('SELECT COUNT(*) AS n FROM movements')).toEqual([{ n: 2 }]);
  });

  it('despatches serial units by number from where they are, and transfers one to another site', async () => {
    await f.post('receive', { idempotencyKey: key(), kind: 'stock_receipt', siteId: f.ids.wh, dutyPaid: false, lines: [{ productId: f.ids.serial, qty: 3, binId: f.ids.binB, serials: ['T1', 'T2', 'T3'], unitCost: 5_000 }] });
    const d = await f.post('despatch', { idempotencyKey: key(), kind: 'sale', siteId: f.ids.wh, lines: [{ productId: f.ids.serial, qty: 1, serials: ['T2'] }] });
    expect(await f.rows('SELECT s.serial, m.bin_id, m.qty, m.unit_cost FROM movements m JOIN serial_units s ON s.id = m.serial_id WHERE m.document_id = ?', d.documentId)).toEqual([
      { serial: 'T2', bin_id: f.ids.binB, qty: -1, unit_cost: 5_000 },
    ]);
    const t = await f.post('transfer', { idempotencyKey: key(), fromSiteId: f.ids.wh, toSiteId: f.ids.shop, lines: [{ productId: f.ids.serial, qty: 1, serials: ['T3'] }] });
    expect(await f.rows('SELECT m.site_id, m.qty FROM movements m WHERE m.document_id = ? ORDER BY seq', t.documentId)).toEqual([
      { site_id: f.ids.wh, qty: -1 },
      { site_id: f.ids.shop, qty: 1 },
    ]);
    expect(bool(await f.rows('SELECT serial, site_id, in_stock FROM serial_units ORDER BY serial'), 'in_stock')).toEqual([
      { serial: 'T1', site_id: f.ids.wh, in_stock: true },
      { serial: 'T2', site_id: null, in_stock: false },
      { serial: 'T3', site_id: f.ids.shop, in_stock: true },
    ]);
    await expectRefused(() => f.post('despatch', { idempotencyKey: key(), kind: 'sale', siteId: f.ids.wh, lines: [{ productId: f.ids.serial, qty: 1, serials: ['T2'] }] }), 'CONFLICT', /T2/);
  });

  it('refuses bad input and writes nothing', async () => {
    await receiveRice(1_000);
    await expectRefused(() => f.post('receive', { idempotencyKey: key(), kind: 'supplier_order', siteId: f.ids.wh, dutyPaid: false, lines: [{ productId: f.ids.lot, qty: 1, unitCost: 1 }] }), 'VALIDATION', /batch and expiry/);
    await expectRefused(() => f.post('receive', { idempotencyKey: key(), kind: 'supplier_order', siteId: f.ids.wh, dutyPaid: false, lines: [{ productId: f.ids.serial, qty: 2, serials: ['X'], unitCost: 1 }] }), 'VALIDATION', /one serial number per unit/);
    await expectRefused(
      () => f.post('receive', { idempotencyKey: key(), kind: 'supplier_order', siteId: f.ids.wh, dutyPaid: false, lines: [{ productId: f.ids.bulk, qty: 5, unitCost: 1 }, { productId: 999, qty: 1, unitCost: 1 }] }),
      'NOT_FOUND',
      /Line 2: the product picked does not exist/,
    );
    await expectRefused(() => f.post('receive', { idempotencyKey: key(), kind: 'inbound', siteId: f.ids.external, dutyPaid: false, lines: [{ productId: f.ids.bulk, qty: 5, unitCost: 1 }] }), 'VALIDATION', /External/);
    await expectRefused(() => f.post('despatch', { idempotencyKey: key(), kind: 'sale', siteId: 999, lines: [{ productId: f.ids.bulk, qty: 1 }] }), 'NOT_FOUND', /site picked does not exist/);
  });

  it('reverses a receipt in part, then the rest, never more than received', async () => {
    const r = await receiveClaret([{ code: 'L1', expiry: '2030-01-31', qty: 12 }]);
    const seq = r.firstSeq!;
    const rev = await f.post('reverseReceipt', { idempotencyKey: key(), kind: 'supplier_credit', documentId: r.documentId!, lines: [{ seq, qty: 5 }] });
    expect(await f.rows('SELECT type, qty, reversal_of, unit_cost, oc_excise FROM movements WHERE document_id = ?', rev.documentId)).toEqual([
      { type: 'supplier_credit', qty: -5, reversal_of: seq, unit_cost: 80_000, oc_excise: 22_300 },
    ]);
    expect(await f.rows('SELECT kind, source_document_id FROM operation_documents WHERE document_id = ?', rev.documentId)).toEqual([{ kind: 'supplier_credit', source_document_id: r.documentId }]);
    await expectRefused(() => f.post('reverseReceipt', { idempotencyKey: key(), kind: 'supplier_credit', documentId: r.documentId!, lines: [{ seq, qty: 8 }] }), 'VALIDATION', /only 7 .* left/);
    await f.post('reverseReceipt', { idempotencyKey: key(), kind: 'supplier_credit', documentId: r.documentId! });
    expect(await onHand(f.ids.lot, f.ids.wh)).toBe(0);
    await expectRefused(() => f.post('reverseReceipt', { idempotencyKey: key(), kind: 'supplier_credit', documentId: r.documentId! }), 'CONFLICT', /already been reversed/);
    await expectRefused(() => f.post('reverseReceipt', { idempotencyKey: key(), kind: 'ep_po_stock_return', documentId: r.documentId! }), 'VALIDATION', /no receipt movements/);
    await expectRefused(() => f.post('reverseReceipt', { idempotencyKey: key(), kind: 'supplier_credit', documentId: 999 }), 'NOT_FOUND', /Document 999 does not exist/);
  });

  it('picks batches first-expiry-first-out across batches, unless the user picks one', async () => {
    await receiveClaret([
      { code: 'LATE', expiry: '2031-06-30', qty: 10 },
      { code: 'EARLY', expiry: '2030-01-31', qty: 4 },
    ]);
    const d = await f.post('despatch', { idempotencyKey: key(), kind: 'stock_despatch', siteId: f.ids.wh, lines: [{ productId: f.ids.lot, qty: 6 }] });
    expect(await f.rows('SELECT b.code, m.qty, m.cost_source FROM movements m JOIN batches b ON b.id = m.batch_id WHERE document_id = ? ORDER BY seq', d.documentId)).toEqual([
      { code: 'EARLY', qty: -4, cost_source: 'latest_at_site' },
      { code: 'LATE', qty: -2, cost_source: 'latest_at_site' },
    ]);
    const picked = await f.post('despatch', { idempotencyKey: key(), kind: 'sale', siteId: f.ids.wh, lines: [{ productId: f.ids.lot, qty: 1, batch: { code: 'LATE' } }] });
    expect(await f.rows('SELECT b.code FROM movements m JOIN batches b ON b.id = m.batch_id WHERE document_id = ?', picked.documentId)).toEqual([{ code: 'LATE' }]);
    await expectRefused(() => f.post('despatch', { idempotencyKey: key(), kind: 'sale', siteId: f.ids.wh, lines: [{ productId: f.ids.lot, qty: 8 }] }), 'NEGATIVE_STOCK', /available 7, this takes 8/);
    // Two lines of one document share what is there: the second takes what the first left.
    await expectRefused(
      () => f.post('despatch', { idempotencyKey: key(), kind: 'sale', siteId: f.ids.wh, lines: [{ productId: f.ids.lot, qty: 4 }, { productId: f.ids.lot, qty: 4 }] }),
      'NEGATIVE_STOCK',
      /Line 2: .*available 3, this takes 4/,
    );
  });

  it('receives a batch that expired before the receipt\'s business day only when confirmed: review names the line, a raw post is refused', async () => {
    // Effective 15 June 2026 at noon UTC: that business day in the company's time zone. Expiring that day is not expired.
    const at = '2026-06-15T12:00:00.000Z';
    const lots = [
      { code: 'TODAY', expiry: '2026-06-15', qty: 2 },
      { code: 'OLD', expiry: '2026-06-14', qty: 3 },
    ];
    const input = (confirmExpired?: boolean) => ({
      idempotencyKey: 'expired-receipt-1',
      kind: 'supplier_order' as const,
      siteId: f.ids.wh,
      dutyPaid: false,
      occurredAt: at,
      ...(confirmExpired ? { confirmExpired } : {}),
      lines: lots.map((b) => ({ productId: f.ids.lot, qty: b.qty, batch: { code: b.code, expiry: b.expiry }, unitCost: 80_000 })),
    });
    const day = /(14\/06|06\/14)\/2026, before this receipt's day (15\/06|06\/15)\/2026/;
    const review = await f.review('receive', input());
    expect(review.movements).toHaveLength(2);
    expect(review.notes.join(' ')).toMatch(/^Line 2: batch OLD of \S+ expired /);
    expect(review.notes.join(' ')).toMatch(day);
    expect(review.notes.join(' ')).toMatch(/posting asks you to confirm it\.$/);
    await expectRefused(() => f.post('receive', input()), 'CONFLICT', /^Line 2: batch OLD of \S+ expired .*Expired stock is received only when you confirm it, so nothing was received\. Correct the expiry if it was mistyped, or confirm receiving the expired stock \(confirmExpired\)\.$/);
    const refused = await f.post('receive', input()).catch((e: AppError) => e);
    expect((refused as AppError).message).toMatch(day);
    expect((refused as AppError).details).toEqual({ expiredLots: [{ line: 2, sku: expect.any(String), batch: 'OLD', expiry: '2026-06-14', day: '2026-06-15' }] });
    const posted = await f.post('receive', input(true));
    expect(posted.movementCount).toBe(2);
    expect(posted.notes.join(' ')).toMatch(/Line 2: batch OLD .* it is received as expired stock\.$/);
    expect(await f.rows('SELECT b.code, m.qty FROM movements m JOIN batches b ON b.id = m.batch_id ORDER BY seq')).toEqual([
      { code: 'TODAY', qty: 2 },
      { code: 'OLD', qty: 3 },
    ]);
  });

  it('produces an expired output batch, takes back an expired return and refunds an expired batch to stock only when confirmed, as a receipt', async () => {
    const at = '2026-06-15T12:00:00.000Z';
    const day = "(14\\/06|06\\/14)\\/2026, before this ";
    // The rice is there before the production's day: a component taken before its receipt is refused (stock-picker.ts).
    await f.post('receive', { idempotencyKey: key(), kind: 'cash_purchase', siteId: f.ids.wh, dutyPaid: false, occurredAt: '2026-06-01T09:00:00.000Z', lines: [{ productId: f.ids.bulk, qty: 10_000, binId: f.ids.binA, unitCost: 25_000 }] });
    const made = await f.addMade('JAM-JAR', [{ productId: f.ids.bulk, qtyPerUnit: 500 }], 'LOT');
    const produce = (confirmExpired?: boolean) => ({
      idempotencyKey: 'expired-output-1', kind: 'work_order' as const, siteId: f.ids.wh, occurredAt: at, ...(confirmExpired ? { confirmExpired } : {}),
      output: { productId: made, qty: 2, batch: { code: 'J-OLD', expiry: '2026-06-14' } },
    });
    expect((await f.review('produce', produce())).notes.join(' ')).toMatch(new RegExp(`^Output: batch J-OLD of JAM-JAR expired ${day}production's day .*: it is produced as expired stock; posting asks you to confirm it\\.$`));
    await expectRefused(() => f.post('produce', produce()), 'CONFLICT', new RegExp(`^Output: batch J-OLD of JAM-JAR expired ${day}production's day .*Expired stock is produced only when you confirm it, so nothing was produced\\. Correct the expiry if it was mistyped, or confirm producing the expired stock \\(confirmExpired\\)\\.$`));
    const refusedProduce = await f.post('produce', produce()).catch((e: AppError) => e);
    expect((refusedProduce as AppError).details).toEqual({ expiredLots: [{ line: 1, sku: 'JAM-JAR', batch: 'J-OLD', expiry: '2026-06-14', day: '2026-06-15' }] });
    expect((await f.post('produce', produce(true))).notes.join(' ')).toMatch(/Output: batch J-OLD .* it is produced as expired stock\.$/);

    const ret = (confirmExpired?: boolean) => ({
      idempotencyKey: 'expired-return-1', kind: 'sales_return_inbound' as const, siteId: f.ids.wh, occurredAt: at, ...(confirmExpired ? { confirmExpired } : {}),
      lines: [{ productId: f.ids.bulk, qty: 100 }, { productId: f.ids.lot, qty: 1, batch: { code: 'R-OLD', expiry: '2026-06-01' } }],
    });
    await expectRefused(() => f.post('inboundReturn', ret()), 'CONFLICT', /^Line 2: batch R-OLD of CLARET-75 expired .*, before this return's day .*Expired stock is returned to stock only when you confirm it, so nothing was returned\./);
    expect((await f.post('inboundReturn', ret(true))).movementCount).toBe(2);

    // Sold from the expired batch J-OLD (named, so taken), then refunded to stock: the batch comes back expired.
    const sale = await f.post('despatch', { idempotencyKey: key(), kind: 'sale', siteId: f.ids.wh, occurredAt: at, lines: [{ productId: made, qty: 1, batch: { code: 'J-OLD' } }] });
    const refund = (confirmExpired?: boolean) => ({
      idempotencyKey: 'expired-refund-1', kind: 'sale_refund' as const, documentId: sale.documentId!, returnToStock: true, occurredAt: at, ...(confirmExpired ? { confirmExpired } : {}),
    });
    await expectRefused(() => f.post('refund', refund()), 'CONFLICT', /^Line 1 of the sale: batch J-OLD of JAM-JAR expired .*, before this refund's day .*so nothing was returned\. Untick Return to stock to credit it without taking it back, or confirm returning the expired stock \(confirmExpired\)\.$/);
    // Value only (no stock back) asks nothing.
    expect(await f.post('refund', { ...refund(), idempotencyKey: 'expired-refund-value', kind: 'sales_credit_note', returnToStock: false, lines: [{ seq: sale.firstSeq!, qty: 0 + 1 }] })).toMatchObject({ valueCredits: 1 });
  });

  it('a reversal refusal names the document by its reference and the line and product, not movement numbers', async () => {
    const r = await f.post('receive', {
      idempotencyKey: key(), kind: 'supplier_order', siteId: f.ids.wh, dutyPaid: false, reference: 'R-0042',
      lines: [{ productId: f.ids.bulk, qty: 1_000, unitCost: 1 }, { productId: f.ids.lot, qty: 5, batch: { code: 'L9', expiry: '2031-01-31' }, unitCost: 1 }],
    });
    const second = r.firstSeq! + 1;
    await expectRefused(
      () => f.post('reverseReceipt', { idempotencyKey: key(), kind: 'supplier_credit', documentId: r.documentId!, lines: [{ seq: second, qty: 6 }] }),
      'VALIDATION',
      /^Line 1: only 5 of line 2 of receipt R-0042 \(CLARET-75\) is left to reverse \(moved 5, already reversed 0\); this asks for 6\. Lower the quantity\.$/,
    );
    await expectRefused(
      () => f.post('reverseReceipt', { idempotencyKey: key(), kind: 'supplier_credit', documentId: r.documentId!, lines: [{ seq: r.firstSeq!, qty: 1 }, { seq: second + 50, qty: 1 }] }),
      'VALIDATION',
      /^Line 2 is not one of the receipt lines of receipt R-0042 \(its receipt lines: 1, 2\)\. Pick a line of that document\.$/,
    );
    const plain = await receiveClaret([{ code: 'L1', expiry: '2030-01-31', qty: 2 }]);
    await f.post('reverseReceipt', { idempotencyKey: key(), kind: 'supplier_credit', documentId: plain.documentId! });
    await expectRefused(() => f.post('reverseReceipt', { idempotencyKey: key(), kind: 'supplier_credit', documentId: plain.documentId! }), 'CONFLICT', new RegExp(`^Everything on receipt no\\. ${plain.documentId} has already been reversed`));
  });

  it('never picks an expired batch by itself for a sale or a transfer; a named one is taken, and a write-off takes expired first', async () => {
    await receiveClaret(
      [
        { code: 'GOOD', expiry: '2031-06-30', qty: 10 },
        { code: 'GONE', expiry: '2026-01-31', qty: 4 },
      ],
      undefined,
      true,
    );
    const batches = async (documentId: number | null) =>
      f.rows('SELECT b.code, m.qty FROM movements m JOIN batches b ON b.id = m.batch_id WHERE document_id = ? AND m.qty < 0 ORDER BY seq', documentId);
    const sale = await f.post('despatch', { idempotencyKey: key(), kind: 'sale', siteId: f.ids.wh, lines: [{ productId: f.ids.lot, qty: 3 }] });
    expect(await batches(sale.documentId)).toEqual([{ code: 'GOOD', qty: -3 }]);
    const transfer = await f.post('transfer', { idempotencyKey: key(), fromSiteId: f.ids.wh, toSiteId: f.ids.shop, lines: [{ productId: f.ids.lot, qty: 2 }] });
    expect(await batches(transfer.documentId)).toEqual([{ code: 'GOOD', qty: -2 }]);
    // 5 unexpired left: a sale of 7 is short by 2, and says what it left out and how to take it.
    await expectRefused(
      () => f.post('despatch', { idempotencyKey: key(), kind: 'sale', siteId: f.ids.wh, lines: [{ productId: f.ids.lot, qty: 7 }] }),
      'NEGATIVE_STOCK',
      /available 5 unexpired, this takes 7, short by 2\. Not taken: batch GONE \(4\), expired (31\/01|01\/31)\/2026\. Expired stock is only taken when its batch is picked on the line\./,
    );
    const named = await f.post('despatch', { idempotencyKey: key(), kind: 'sale', siteId: f.ids.wh, lines: [{ productId: f.ids.lot, qty: 1, batch: { code: 'GONE' } }] });
    expect(await batches(named.documentId)).toEqual([{ code: 'GONE', qty: -1 }]);
    const waste = await f.post('writeOff', { idempotencyKey: key(), kind: 'wastage', siteId: f.ids.wh, reason: 'expired', lines: [{ productId: f.ids.lot, qty: 4 }] });
    expect(await batches(waste.documentId)).toEqual([
      { code: 'GONE', qty: -3 },
      { code: 'GOOD', qty: -1 },
    ]);
  });

  it('a named batch the site holds none of is refused as not there, naming the batches it holds, not as a shortage', async () => {
    await receiveClaret([
      { code: 'LATE', expiry: '2031-06-30', qty: 10 },
      { code: 'EARLY', expiry: '2030-01-31', qty: 4 },
    ]);
    await expectRefused(
      () => f.post('despatch', { idempotencyKey: key(), kind: 'sale', siteId: f.ids.wh, lines: [{ productId: f.ids.lot, qty: 1, batch: { code: 'K-9999' } }] }),
      'VALIDATION',
      /^Line 1: Central Warehouse holds no batch K-9999 of CLARET-75 ".*"\. Its batches in stock: EARLY \(4, expires (31\/01|01\/31)\/2030\), LATE \(10, expires (30\/06|06\/30)\/2031\)\. Pick one of them, or receive batch K-9999 first\.$/,
    );
    // A batch it does hold, asked for beyond what is there, is still a shortage.
    await expectRefused(
      () => f.post('despatch', { idempotencyKey: key(), kind: 'sale', siteId: f.ids.wh, lines: [{ productId: f.ids.lot, qty: 5, batch: { code: 'EARLY' } }] }),
      'NEGATIVE_STOCK',
      /in that bin\/batch: available 4, this takes 5/,
    );
  });

  it("writes a shortage's quantities as the company writes numbers (de-DE: a decimal comma, never 2.400 for 2,4 kg)", async () => {
    await f.saveCompany({ name: 'Marmeladen GmbH', currency: 'EUR', timeZone: 'Europe/Berlin', locale: 'de-DE', fyStartMonth: 1 });
    await receiveRice(2_400);
    await expectRefused(
      () => f.post('despatch', { idempotencyKey: key(), kind: 'sale', siteId: f.ids.wh, lines: [{ productId: f.ids.bulk, qty: 2_500 }] }),
      'NEGATIVE_STOCK',
      /available 2,400, this takes 2,500, short by 0,100\./,
    );
  });

  describe('a line dated before later movements, at a site that refuses negative stock (README "Effective time, backdating and latest cost")', () => {
    const berlin = () => f.saveCompany({ name: 'Brauerei GmbH', currency: 'EUR', timeZone: 'Europe/Berlin', locale: 'de-DE', fyStartMonth: 1 });
    const receive = (qty: number, occurredAt: string) =>
      f.post('receive', { idempotencyKey: key(), kind: 'cash_purchase', siteId: f.ids.wh, dutyPaid: false, occurredAt, lines: [{ productId: f.ids.bulk, qty, binId: f.ids.binA, unitCost: 25_000 }] });
    const sell = (qty: number, occurredAt: string, lines = 1) =>
      f.post('despatch', { idempotencyKey: key(), kind: 'sale', siteId: f.ids.wh, occurredAt, lines: Array.from({ length: lines }, () => ({ productId: f.ids.bulk, qty })) });
    const balanceAt = async (at: string) =>
      Number((await f.rows('SELECT COALESCE(SUM(qty), 0) AS q FROM movements WHERE product_id = ? AND site_id = ? AND occurred_at <= ?', f.ids.bulk, f.ids.wh, Date.parse(at)))[0]!.q);

    it('refuses a wastage dated before the first receipt, saying when the stock arrives', async () => {
      await berlin();
      await receive(1_920, '2026-11-06T07:00:00.000Z');
      await expectRefused(
        () => f.post('writeOff', { idempotencyKey: key(), kind: 'wastage', siteId: f.ids.wh, reason: 'damaged', occurredAt: '2026-11-05T22:30:00.000Z', lines: [{ productId: f.ids.bulk, qty: 2 }] }),
        'NEGATIVE_STOCK',
        /^Line 1: RICE-1KG "Arborio rice" at Central Warehouse on 05\.11\.2026, 23:30: held 0,000 then \(stock arrives later, first on 06\.11\.2026, 08:00\), this takes 0,002, short by 0,002\. Date the line on or after the receipt, or receive the stock first\.$/,
      );
      // The review refuses it too (the same build), and one dated after the receipt posts.
      await expect(f.review('writeOff', { idempotencyKey: key(), kind: 'wastage', siteId: f.ids.wh, reason: 'damaged', occurredAt: '2026-11-05T22:30:00.000Z', lines: [{ productId: f.ids.bulk, qty: 2 }] })).rejects.toThrow(/held 0,000 then/);
      await f.post('writeOff', { idempotencyKey: key(), kind: 'wastage', siteId: f.ids.wh, reason: 'damaged', occurredAt: '2026-11-06T07:00:00.000Z', lines: [{ productId: f.ids.bulk, qty: 2 }] });
      expect(await onHand(f.ids.bulk, f.ids.wh)).toBe(1_918);
    });

    it('advises re-dating a line dated before the receipt only when the stock now would cover it', async () => {
      await berlin();
      await receive(1_920, '2026-11-06T07:00:00.000Z');
      // 2,500 is more than the site holds even now: dating it later would not help, so the refusal does not say to.
      await expectRefused(
        () => f.post('writeOff', { idempotencyKey: key(), kind: 'wastage', siteId: f.ids.wh, reason: 'damaged', occurredAt: '2026-11-05T22:30:00.000Z', lines: [{ productId: f.ids.bulk, qty: 2_500 }] }),
        'NEGATIVE_STOCK',
        /^Line 1: RICE-1KG "Arborio rice" at Central Warehouse on 05\.11\.2026, 23:30: held 0,000 then \(stock arrives later, first on 06\.11\.2026, 08:00\), this takes 2,500, short by 2,500\. Dated later it would still be short \(Central Warehouse holds 1,920 now\): lower the quantity, or receive the stock first\.$/,
      );
      // The document's earlier lines count: 1,920 held on 10 November, 3,000 now. After a first line of 0,900, a second
      // of 2,000 would fit the stock now (dating it later helps), one of 2,200 would not.
      await receive(1_080, '2026-12-01T09:00:00.000Z');
      const waste = (second: number) => ({ idempotencyKey: key(), kind: 'wastage' as const, siteId: f.ids.wh, reason: 'damaged' as const, occurredAt: '2026-11-10T09:00:00.000Z', lines: [{ productId: f.ids.bulk, qty: 900 }, { productId: f.ids.bulk, qty: second }] });
      await expectRefused(() => f.post('writeOff', waste(2_000)), 'NEGATIVE_STOCK', /^Line 2: .* held 1,920 then .*this takes 2,000 \(earlier lines take 0,900\), short by 0,980\. Date the line on or after the receipt, or receive the stock first\.$/);
      await expectRefused(() => f.post('writeOff', waste(2_200)), 'NEGATIVE_STOCK', /^Line 2: .*short by 1,180\. Dated later it would still be short \(Central Warehouse holds 3,000 now\): lower the quantity, or receive the stock first\.$/);
      expect(await onHand(f.ids.bulk, f.ids.wh)).toBe(3_000);
      // Sold down to 0,500 on 3 December, 2,500 now: dated at the first receipt 1,000 would still go short on the 3rd,
      // so the refusal says to date it once enough has come in.
      await sell(2_500, '2026-12-03T09:00:00.000Z');
      await receive(2_000, '2026-12-04T09:00:00.000Z');
      await expectRefused(
        () => f.post('writeOff', { idempotencyKey: key(), kind: 'wastage', siteId: f.ids.wh, reason: 'damaged', occurredAt: '2026-11-05T22:30:00.000Z', lines: [{ productId: f.ids.bulk, qty: 1_000 }] }),
        'NEGATIVE_STOCK',
        /held 0,000 then \(stock arrives later, first on 06\.11\.2026, 08:00\), this takes 1,000, short by 1,000\. Date the line later, once enough has come in \(Central Warehouse holds 2,500 now\), or receive the stock first\.$/,
      );
    });

    it('refuses a sale that would leave a later point negative, across its own lines too; one that fits posts', async () => {
      await berlin();
      await receive(5_000, '2026-12-01T09:00:00.000Z');
      await sell(4_000, '2026-12-03T09:00:00.000Z');
      // 6 on hand now: only the effective-time balance on the 3rd is short.
      await receive(5_000, '2026-12-04T09:00:00.000Z');
      await expectRefused(() => sell(2_000, '2026-12-02T09:00:00.000Z'), 'NEGATIVE_STOCK', /^Line 1: RICE-1KG "Arborio rice" at Central Warehouse on 02\.12\.2026, 10:00: held 5,000 then, but later movements leave only 1,000 on 03\.12\.2026, 10:00, this takes 2,000, short by 1,000\. Lower the quantity, or receive more stock before that date first\.$/);
      await expectRefused(() => sell(600, '2026-12-02T09:00:00.000Z', 2), 'NEGATIVE_STOCK', /^Line 2: .*this takes 0,600 \(earlier lines take 0,600\), short by 0,200\./);
      await sell(1_000, '2026-12-02T09:00:00.000Z');
      expect(await balanceAt('2026-12-03T23:59:59.999Z')).toBe(0);
      expect(await onHand(f.ids.bulk, f.ids.wh)).toBe(5_000);
    });

    it('a transfer out and a production\'s components are held to it as well', async () => {
      await berlin();
      await receive(5_000, '2026-12-03T09:00:00.000Z');
      await expectRefused(
        () => f.post('transfer', { idempotencyKey: key(), fromSiteId: f.ids.wh, toSiteId: f.ids.shop, occurredAt: '2026-12-02T09:00:00.000Z', lines: [{ productId: f.ids.bulk, qty: 1_000 }] }),
        'NEGATIVE_STOCK',
        /^Line 1: .* held 0,000 then \(stock arrives later/,
      );
      const made = await f.addMade('BACK-MADE', [{ productId: f.ids.bulk, qtyPerUnit: 100 }]);
      await expectRefused(
        () => f.post('produce', { idempotencyKey: key(), kind: 'work_order', siteId: f.ids.wh, occurredAt: '2026-12-02T09:00:00.000Z', output: { productId: made, qty: 1 } }),
        'NEGATIVE_STOCK',
        /^Component 1: .* held 0,000 then \(stock arrives later/,
      );
    });

    it('a supplier credit dated back is held to it as well, and neither it nor a refund may be dated before what it reverses', async () => {
      await berlin();
      const first = await receive(5_000, '2026-12-01T09:00:00.000Z');
      const sale = await sell(4_000, '2026-12-03T09:00:00.000Z');
      // 6 on hand now, but only 1 left on the 3rd: credited back on the 2nd, 2 would have been sold that the supplier took.
      await receive(5_000, '2026-12-04T09:00:00.000Z');
      const credit = (qty: number, occurredAt: string) =>
        f.post('reverseReceipt', { idempotencyKey: key(), kind: 'supplier_credit', documentId: first.documentId!, occurredAt, lines: [{ seq: first.firstSeq!, qty }] });
      await expectRefused(() => credit(2_000, '2026-12-02T09:00:00.000Z'), 'NEGATIVE_STOCK', /^Line 1: RICE-1KG "Arborio rice" at Central Warehouse on 02\.12\.2026, 10:00: held 5,000 then, but later movements leave only 1,000 on 03\.12\.2026, 10:00, this takes 2,000, short by 1,000\./);
      await expectRefused(
        () => credit(1_000, '2026-11-30T09:00:00.000Z'),
        'VALIDATION',
        new RegExp(`^The effective time 30\\.11\\.2026, 10:00 is before receipt no\\. ${first.documentId} took effect \\(01\\.12\\.2026, 10:00\\): nothing can be reversed before it happened\\. Date it on or after 01\\.12\\.2026, 10:00\\.$`),
      );
      await credit(1_000, '2026-12-02T09:00:00.000Z');
      expect(await balanceAt('2026-12-03T23:59:59.999Z')).toBe(0);
      expect(await onHand(f.ids.bulk, f.ids.wh)).toBe(5_000);
      // A refund dated before its sale: refused, returned to stock or credited in value only.
      const refund = (returnToStock: boolean) => ({ idempotencyKey: key(), kind: 'sale_refund' as const, documentId: sale.documentId!, returnToStock, occurredAt: '2026-12-02T09:00:00.000Z', lines: [{ seq: sale.firstSeq!, qty: 500 }] });
      await expectRefused(() => f.post('refund', refund(true)), 'VALIDATION', /^The effective time 02\.12\.2026, 10:00 is before despatch no\. \d+ took effect \(03\.12\.2026, 10:00\)/);
      await expectRefused(() => f.post('refund', refund(false)), 'VALIDATION', /is before despatch no\. \d+ took effect/);
    });

    it('a period variance dated back is refused once the product moved at the site since (it is worked out from the stock now)', async () => {
      await berlin();
      await receive(5_000, '2026-12-01T09:00:00.000Z');
      await receive(3_000, '2026-12-04T09:00:00.000Z');
      const variance = (occurredAt: string) => f.post('periodVariance', { idempotencyKey: key(), siteId: f.ids.wh, occurredAt, lines: [{ productId: f.ids.bulk, binId: f.ids.binA, counted: 4_900 }] });
      // Counted 4.9 on the 2nd against the 8 now: booked as a loss of 3.1 although 0.1 was missing then.
      await expectRefused(
        () => variance('2026-12-02T09:00:00.000Z'),
        'VALIDATION',
        /^Line 1: RICE-1KG "Arborio rice" at Central Warehouse moved after 02\.12\.2026, 10:00 \(on 04\.12\.2026, 10:00\), and the variance is worked out from the stock now\. Date the variance at 04\.12\.2026, 10:00 or later, or leave the Effective time as now\.$/,
      );
      const v = await variance('2026-12-04T10:00:00.000Z');
      expect(await f.rows('SELECT qty FROM movements WHERE document_id = ?', v.documentId)).toEqual([{ qty: -3_100 }]);
    });

    it('a backdated line takes from the bins and batches held then: first-expiry-first among them, a named one that came in later refused', async () => {
      await berlin();
      // LATE was there on the 1st; EARLY (first to expire) came in on the 4th.
      await receiveClaret([{ code: 'LATE', expiry: '2031-06-30', qty: 10 }], '2026-12-01T09:00:00.000Z');
      await receiveClaret([{ code: 'EARLY', expiry: '2030-01-31', qty: 4 }], '2026-12-04T09:00:00.000Z');
      const sale = (lines: { productId: number; qty: number; batch?: { code: string } }[], occurredAt: string) => f.post('despatch', { idempotencyKey: key(), kind: 'sale', siteId: f.ids.wh, occurredAt, lines });
      await expectRefused(
        () => sale([{ productId: f.ids.lot, qty: 2, batch: { code: 'EARLY' } }], '2026-12-02T09:00:00.000Z'),
        'NEGATIVE_STOCK',
        /^Line 1: not enough CLARET-75 ".*" at Central Warehouse in that bin\/batch on 02\.12\.2026, 10:00: held 0 then, this takes 2, short by 2; 4 more came in after that date\. Date the line on or after it came in, or pick another batch\.$/,
      );
      const d = await sale([{ productId: f.ids.lot, qty: 3 }], '2026-12-02T09:00:00.000Z');
      expect(await f.rows('SELECT b.code, m.qty FROM movements m JOIN batches b ON b.id = m.batch_id WHERE m.document_id = ?', d.documentId)).toEqual([{ code: 'LATE', qty: -3 }]);
      // Dated now, first-expiry-first takes EARLY.
      const now = await sale([{ productId: f.ids.lot, qty: 1 }], new Date().toISOString());
      expect(await f.rows('SELECT b.code, m.qty FROM movements m JOIN batches b ON b.id = m.batch_id WHERE m.document_id = ?', now.documentId)).toEqual([{ code: 'EARLY', qty: -1 }]);
    });

    it('a backdated line takes no more of a batch than its lowest point since: a batch sold down and brought back is not sold twice', async () => {
      await berlin();
      const received = await receiveClaret([{ code: 'LATE', expiry: '2031-06-30', qty: 10 }, { code: 'EARLY', expiry: '2030-01-31', qty: 5 }], '2026-12-01T09:00:00.000Z');
      const sale = (lines: { productId: number; qty: number; batch?: { code: string } }[], occurredAt: string) => f.post('despatch', { idempotencyKey: key(), kind: 'sale', siteId: f.ids.wh, occurredAt, lines });
      await sale([{ productId: f.ids.lot, qty: 4, batch: { code: 'EARLY' } }], '2026-12-03T09:00:00.000Z');
      await receiveClaret([{ code: 'EARLY', expiry: '2030-01-31', qty: 3 }], '2026-12-05T09:00:00.000Z');
      // EARLY held 5 on the 2nd and holds 4 now, but only 1 was left of it on the 3rd: 3 sold on the 2nd drove it to -2
      // there, while the site (15 on the 2nd, 11 at its lowest) stayed positive.
      await expectRefused(
        () => sale([{ productId: f.ids.lot, qty: 3, batch: { code: 'EARLY' } }], '2026-12-02T09:00:00.000Z'),
        'NEGATIVE_STOCK',
        /^Line 1: not enough CLARET-75 ".*" at Central Warehouse in that bin\/batch on 02\.12\.2026, 10:00: held 5 then, but later movements leave only 1 of it, this takes 3, short by 2\. Lower the quantity, or pick another batch\.$/,
      );
      // A supplier credit of the EARLY receipt line dated the 2nd is held to the same point (it names its batch).
      const [early] = await f.rows('SELECT m.seq FROM movements m JOIN batches b ON b.id = m.batch_id WHERE m.document_id = ? AND b.code = ?', received.documentId, 'EARLY');
      await expectRefused(
        () => f.post('reverseReceipt', { idempotencyKey: key(), kind: 'supplier_credit', documentId: received.documentId!, occurredAt: '2026-12-02T09:00:00.000Z', lines: [{ seq: Number(early!.seq), qty: 3 }] }),
        'NEGATIVE_STOCK',
        /^Line 1: not enough CLARET-75 ".*" of batch EARLY at Central Warehouse on 02\.12\.2026, 10:00: held 5 then, but later movements leave only 1 of it, this takes 3, short by 2\. Lower the quantity, or date the line later\.$/,
      );
      // First-expiry-first takes the 1 EARLY can spare, then LATE.
      const d = await sale([{ productId: f.ids.lot, qty: 3 }], '2026-12-02T09:00:00.000Z');
      expect(await f.rows('SELECT b.code, m.qty FROM movements m JOIN batches b ON b.id = m.batch_id WHERE m.document_id = ? ORDER BY m.seq', d.documentId)).toEqual([
        { code: 'EARLY', qty: -1 },
        { code: 'LATE', qty: -2 },
      ]);
      const lowest = await f.rows(
        `SELECT MIN(run) AS low FROM (SELECT SUM(m.qty) OVER (ORDER BY m.occurred_at) AS run FROM movements m JOIN batches b ON b.id = m.batch_id WHERE b.code = 'EARLY' AND m.site_id = ?) r`,
        f.ids.wh,
      );
      expect(Number(lowest[0]!.low)).toBe(0);
    });

    it('a backdated line takes a serial unit only if it was there then and has not left and come back since', async () => {
      await berlin();
      const receiveUnits = (serials: string[], occurredAt: string) =>
        f.post('receive', { idempotencyKey: key(), kind: 'stock_receipt', siteId: f.ids.wh, dutyPaid: false, occurredAt, lines: [{ productId: f.ids.serial, qty: serials.length, serials, unitCost: 5_000 }] });
      const sellUnit = (serial: string, occurredAt: string) => f.post('despatch', { idempotencyKey: key(), kind: 'sale', siteId: f.ids.wh, occurredAt, lines: [{ productId: f.ids.serial, qty: 1, serials: [serial] }] });
      const received = await receiveUnits(['S1', 'S3'], '2026-12-01T09:00:00.000Z');
      const sold = await sellUnit('S1', '2026-12-03T09:00:00.000Z');
      await receiveUnits(['S2'], '2026-12-04T09:00:00.000Z');
      await f.post('refund', { idempotencyKey: key(), kind: 'sale_refund', documentId: sold.documentId!, returnToStock: true, occurredAt: '2026-12-05T09:00:00.000Z', lines: [{ seq: sold.firstSeq!, qty: 1 }] });
      // All three are in stock now; the site held 2 on the 2nd and never fewer than 1 after, so one unit fits there.
      await expectRefused(() => sellUnit('S2', '2026-12-02T09:00:00.000Z'), 'NEGATIVE_STOCK', /^Line 1: Serial S2 of \S+ was not at Central Warehouse on 02\.12\.2026, 10:00: it came in after that date\. Date the line later, or take a unit that was there then\.$/);
      await expectRefused(
        () => sellUnit('S1', '2026-12-02T09:00:00.000Z'),
        'NEGATIVE_STOCK',
        /^Line 1: Serial S1 of \S+ was at Central Warehouse on 02\.12\.2026, 10:00, but left after that date and came back since: taken out then, it would leave twice\. Take another unit, or date the line on or after it came back\.$/,
      );
      // A stock return of S1's receipt line dated the 2nd would take it out twice too.
      const [s1] = await f.rows('SELECT m.seq FROM movements m JOIN serial_units u ON u.id = m.serial_id WHERE m.document_id = ? AND u.serial = ?', received.documentId, 'S1');
      await expectRefused(
        () => f.post('reverseReceipt', { idempotencyKey: key(), kind: 'po_stock_return', documentId: received.documentId!, occurredAt: '2026-12-02T09:00:00.000Z', lines: [{ seq: Number(s1!.seq), qty: 1 }] }),
        'NEGATIVE_STOCK',
        /^Line 1: Serial S1 of \S+ was at Central Warehouse on 02\.12\.2026, 10:00, but left after that date and came back since/,
      );
      const d = await sellUnit('S3', '2026-12-02T09:00:00.000Z');
      expect(d.movementCount).toBe(1);
      await sellUnit('S1', '2026-12-05T10:00:00.000Z');
    });

    it('stock put away into another bin since is no stock that came in later: a backdated sale takes it from where it is now', async () => {
      await berlin();
      await receive(5_000, '2026-12-01T09:00:00.000Z');
      await f.post('internalTransfer', { idempotencyKey: key(), siteId: f.ids.wh, occurredAt: '2026-12-03T09:00:00.000Z', lines: [{ productId: f.ids.bulk, qty: 5_000, fromBinId: f.ids.binA, toBinId: f.ids.binB }] });
      const d = await sell(3_000, '2026-12-02T09:00:00.000Z');
      expect(await f.rows('SELECT bin_id, qty FROM movements WHERE document_id = ?', d.documentId)).toEqual([{ bin_id: f.ids.binB, qty: -3_000 }]);
    });

    it('a document that names no time takes effect now: the current levels are its balance, even beside a movement stamped a moment later (another server\'s clock)', async () => {
      // Two minutes ahead: inside the future tolerance, as a second server's clock or a receipt typed "now" elsewhere.
      const ahead = new Date(Date.now() + 2 * 60_000).toISOString();
      await receive(5_000, ahead);
      await expectRefused(() => sell(1_000, new Date().toISOString()), 'NEGATIVE_STOCK', /held 0[.,]000 then \(stock arrives later/);
      await f.post('despatch', { idempotencyKey: key(), kind: 'sale', siteId: f.ids.wh, lines: [{ productId: f.ids.bulk, qty: 1_000 }] });
      expect(await onHand(f.ids.bulk, f.ids.wh)).toBe(4_000);
    });

    it('a site that allows negative stock posts them all; a line not backdated is checked against the current levels only', async () => {
      await receive(5_000, '2026-12-03T09:00:00.000Z');
      await expectRefused(() => sell(6_000, '2026-12-04T09:00:00.000Z'), 'NEGATIVE_STOCK', /^Line 1: not enough RICE-1KG "Arborio rice" at Central Warehouse: available 5[.,]000, this takes 6[.,]000, short by 1[.,]000\./);
      await sell(1_000, '2026-12-04T09:00:00.000Z');
      await expectRefused(() => sell(2_000, '2026-12-02T09:00:00.000Z'), 'NEGATIVE_STOCK', /held 0[.,]000 then \(stock arrives later/);
      await f.allowNegative(f.ids.wh);
      await sell(2_000, '2026-12-02T09:00:00.000Z');
      await f.post('writeOff', { idempotencyKey: key(), kind: 'wastage', siteId: f.ids.wh, reason: 'damaged', occurredAt: '2026-12-01T09:00:00.000Z', lines: [{ productId: f.ids.bulk, qty: 500 }] });
      expect(await balanceAt('2026-12-02T23:59:59.999Z')).toBe(-2_500);
      expect(await onHand(f.ids.bulk, f.ids.wh)).toBe(1_500);
    });
  });

  it('explodes a recipe into its components and skips Other products', async () => {
    await receiveRice(10_000);
    const d = await f.post('despatch', { idempotencyKey: key(), kind: 'sale', siteId: f.ids.wh, lines: [{ productId: f.ids.recipe, qty: 3 }, { productId: f.ids.other, qty: 1 }] });
    expect(await f.rows('SELECT product_id, qty, unit_cost FROM movements WHERE document_id = ?', d.documentId)).toEqual([{ product_id: f.ids.bulk, qty: -360, unit_cost: 25_000 }]);
    expect(d.notes.join(' ')).toMatch(/SERVICE .* no movement/);
    const onlyOther = await f.post('despatch', { idempotencyKey: key(), kind: 'sale', siteId: f.ids.wh, lines: [{ productId: f.ids.other, qty: 1 }] });
    expect(onlyOther).toMatchObject({ documentId: null, movementCount: 0 });
    await expectRefused(() => f.post('despatch', { idempotencyKey: key(), kind: 'sale', siteId: f.ids.wh, lines: [{ productId: f.ids.recipe, qty: 100 }] }), 'NEGATIVE_STOCK', /^Line 1 \(RISOTTO\): not enough of component RICE-1KG/);
  });

  it('refunds with return to stock (stock back) or value only (no movement), never beyond the sale', async () => {
    await receiveRice(10_000);
    const sale = await f.post('despatch', { idempotencyKey: key(), kind: 'sale', siteId: f.ids.wh, lines: [{ productId: f.ids.bulk, qty: 1_000 }] });
    const back = await f.post('refund', { idempotencyKey: key(), kind: 'sale_refund', documentId: sale.documentId!, returnToStock: true, lines: [{ seq: sale.firstSeq!, qty: 400 }] });
    expect(await f.rows('SELECT type, qty, reversal_of, unit_cost FROM movements WHERE document_id = ?', back.documentId)).toEqual([
      { type: 'sale_refund', qty: 400, reversal_of: sale.firstSeq, unit_cost: 25_000 },
    ]);
    expect(await onHand(f.ids.bulk, f.ids.wh)).toBe(9_400);
    const credit = { idempotencyKey: key(), kind: 'sales_credit_note' as const, documentId: sale.documentId!, returnToStock: false };
    expect(await f.post('refund', credit)).toMatchObject({ documentId: null, movementCount: 0, valueCredits: 1, replayed: false });
    expect(await f.rows('SELECT qty, unit_cost, value, sale_seq FROM operation_value_credits')).toEqual([{ qty: 600, unit_cost: 25_000, value: 15_000, sale_seq: sale.firstSeq }]);
    expect(await f.post('refund', credit)).toMatchObject({ documentId: null, valueCredits: 1, replayed: true });
    expect(await onHand(f.ids.bulk, f.ids.wh)).toBe(9_400);
    await expectRefused(() => f.post('refund', { idempotencyKey: key(), kind: 'sale_refund', documentId: sale.documentId!, returnToStock: true }), 'CONFLICT', /already been reversed/);
    await expectRefused(() => f.post('refund', { ...credit, lines: [{ seq: sale.firstSeq!, qty: 1 }] }), 'IDEMPOTENCY_CONFLICT', /already posted with idempotency key/);
  });

  it('transfers both legs at the dispatching site latest cost; wastage at the receiving site takes that cost', async () => {
    await receiveRice(5_000, 25_000);
    await receiveRice(1_000, 31_000);
    const t = await f.post('transfer', { idempotencyKey: key(), fromSiteId: f.ids.wh, toSiteId: f.ids.shop, lines: [{ productId: f.ids.bulk, qty: 2_000 }] });
    expect(await f.rows('SELECT type, site_id, qty, unit_cost, cost_source FROM movements WHERE document_id = ? ORDER BY seq', t.documentId)).toEqual([
      { type: 'transfer_out', site_id: f.ids.wh, qty: -2_000, unit_cost: 31_000, cost_source: 'dispatching_site' },
      { type: 'transfer_in', site_id: f.ids.shop, qty: 2_000, unit_cost: 31_000, cost_source: 'dispatching_site' },
    ]);
    expect(await f.rows('SELECT latest_cost FROM cost_state WHERE site_id = ?', f.ids.shop)).toEqual([{ latest_cost: 31_000 }]);
    const w = await f.post('writeOff', { idempotencyKey: key(), kind: 'wastage', siteId: f.ids.shop, reason: 'spoiled', lines: [{ productId: f.ids.bulk, qty: 100 }] });
    expect(await f.rows('SELECT type, qty, unit_cost, cost_source, note FROM movements WHERE document_id = ?', w.documentId)).toEqual([
      { type: 'wastage', qty: -100, unit_cost: 31_000, cost_source: 'latest_at_site', note: 'spoiled' },
    ]);
    expect(await f.rows('SELECT kind, reason FROM operation_documents WHERE document_id = ?', w.documentId)).toEqual([{ kind: 'wastage', reason: 'spoiled' }]);
  });

  it('transfers to External, refuses same-site transfers, and internal transfers net to zero', async () => {
    await receiveRice(5_000);
    await f.post('transfer', { idempotencyKey: key(), fromSiteId: f.ids.wh, toSiteId: f.ids.external, lines: [{ productId: f.ids.bulk, qty: 500 }] });
    expect(await onHand(f.ids.bulk, f.ids.wh)).toBe(4_500);
    await expectRefused(() => f.post('transfer', { idempotencyKey: key(), fromSiteId: f.ids.wh, toSiteId: f.ids.wh, lines: [{ productId: f.ids.bulk, qty: 1 }] }), 'VALIDATION', /internal transfer/);
    const it = await f.post('internalTransfer', { idempotencyKey: key(), siteId: f.ids.wh, lines: [{ productId: f.ids.bulk, qty: 700, fromBinId: f.ids.binA, toBinId: f.ids.binB }] });
    expect(await f.rows('SELECT type, bin_id, qty FROM movements WHERE document_id = ? ORDER BY seq', it.documentId)).toEqual([
      { type: 'transfer', bin_id: f.ids.binA, qty: -700 },
      { type: 'transfer', bin_id: f.ids.binB, qty: 700 },
    ]);
    expect(await onHand(f.ids.bulk, f.ids.wh)).toBe(4_500);
  });

  it('produces an output costed at the consumed value in one document', async () => {
    await receiveRice(10_000, 25_000);
    const made = await f.addMade('RISOTTO-BASE', [{ productId: f.ids.bulk, qtyPerUnit: 500 }]);
    const p = await f.post('produce', { idempotencyKey: key(), kind: 'work_order', siteId: f.ids.wh, output: { productId: made, qty: 4 } });
    expect(await f.rows('SELECT type, product_id, qty, unit_cost, cost_source FROM movements WHERE document_id = ? ORDER BY seq', p.documentId)).toEqual([
      { type: 'work_order_consumption', product_id: f.ids.bulk, qty: -2_000, unit_cost: 25_000, cost_source: 'latest_at_site' },
      { type: 'work_order_production', product_id: made, qty: 4, unit_cost: 12_500, cost_source: 'declared' },
    ]);
  });

  // The documented rule (seed 001's cost table; ARCHITECTURE.md §7; README "On-costs"): product preparation, wastage and
  // sale take "the products last cost at site", both legs of a transfer the dispatching site's; no document gives a lot
  // a cost of its own. A bakery's butter received as lot L1 at 10.00 then L2 at 12.00: every lot leaves at 12.00.
  it("costs a named lot leaving by production, sale, wastage or transfer at the site's latest cost, not its own receipt's", async () => {
    const butter = f.ids.lot;
    const receiveLot = (code: string, unitCost: number, occurredAt?: string) =>
      f.post('receive', { idempotencyKey: key(), kind: 'supplier_order', siteId: f.ids.wh, dutyPaid: false, ...(occurredAt ? { occurredAt } : {}), lines: [{ productId: butter, qty: 10, batch: { code, expiry: '2099-01-31' }, unitCost }] });
    await receiveLot('L1', 100_000);
    await receiveLot('L2', 120_000);
    const croissants = await f.addMade('CROISSANT-12', [{ productId: butter, qtyPerUnit: 1 }]);
    const p = await f.post('produce', { idempotencyKey: key(), kind: 'product_preparation', siteId: f.ids.wh, output: { productId: croissants, qty: 4 }, components: [{ productId: butter, qty: 2, batch: { code: 'L1' } }] });
    const moved = (documentId: number | null) =>
      f.rows('SELECT m.type, m.site_id, b.code, m.qty, m.unit_cost, m.cost_source FROM movements m LEFT JOIN batches b ON b.id = m.batch_id WHERE m.document_id = ? ORDER BY m.seq', documentId);
    expect(await moved(p.documentId)).toEqual([
      { type: 'product_preparation', site_id: f.ids.wh, code: 'L1', qty: -2, unit_cost: 120_000, cost_source: 'latest_at_site' },
      { type: 'product_preparation', site_id: f.ids.wh, code: null, qty: 4, unit_cost: 60_000, cost_source: 'declared' },
    ]);
    const sale = await f.post('despatch', { idempotencyKey: key(), kind: 'sale', siteId: f.ids.wh, lines: [{ productId: butter, qty: 1, batch: { code: 'L1' } }] });
    const waste = await f.post('writeOff', { idempotencyKey: key(), kind: 'wastage', siteId: f.ids.wh, reason: 'spoiled', lines: [{ productId: butter, qty: 1, batch: { code: 'L1' } }] });
    const transfer = await f.post('transfer', { idempotencyKey: key(), fromSiteId: f.ids.wh, toSiteId: f.ids.shop, lines: [{ productId: butter, qty: 1, batch: { code: 'L1' } }] });
    expect([...(await moved(sale.documentId)), ...(await moved(waste.documentId)), ...(await moved(transfer.documentId))]).toEqual([
      { type: 'sale', site_id: f.ids.wh, code: 'L1', qty: -1, unit_cost: 120_000, cost_source: 'latest_at_site' },
      { type: 'wastage', site_id: f.ids.wh, code: 'L1', qty: -1, unit_cost: 120_000, cost_source: 'latest_at_site' },
      { type: 'transfer_out', site_id: f.ids.wh, code: 'L1', qty: -1, unit_cost: 120_000, cost_source: 'dispatching_site' },
      { type: 'transfer_in', site_id: f.ids.shop, code: 'L1', qty: 1, unit_cost: 120_000, cost_source: 'dispatching_site' },
    ]);
    // "Latest" follows effective time, not the lot: a lot L3 at 9.00 received now but dated yesterday does not replace
    // today's 12.00, and producing from it still takes 12.00 (README "Latest cost follows effective time").
    await receiveLot('L3', 90_000, new Date(Date.now() - 24 * 3600_000).toISOString());
    const p3 = await f.post('produce', { idempotencyKey: key(), kind: 'product_preparation', siteId: f.ids.wh, output: { productId: croissants, qty: 2 }, components: [{ productId: butter, qty: 1, batch: { code: 'L3' } }] });
    expect((await moved(p3.documentId)).map((m) => [m.code, m.qty, m.unit_cost])).toEqual([
      ['L3', -1, 120_000],
      [null, 2, 60_000],
    ]);
  });

  // README "On-costs": every movement costed at the site's latest cost (… recipe components …) carries the per-unit
  // on-costs of the movement that set that cost. Butter received at 10.00/kg with freight 0.50/kg: a sale carries the
  // 0.50, and so does a production consuming it; the made item's cost includes it (per output unit, rounded as before).
  it("a production's components carry the site's latest on-costs, as a sale's do, and the output's cost includes them", async () => {
    const butter = f.ids.bulk; // kg, 3 decimals
    await f.post('receive', { idempotencyKey: key(), kind: 'supplier_order', siteId: f.ids.wh, dutyPaid: false, lines: [{ productId: butter, qty: 10_000, unitCost: 100_000, onCosts: { freight: 5_000 } }] });
    const croissants = await f.addMade('CROISSANT-12', [{ productId: butter, qtyPerUnit: 100 }]);
    const moved = async (documentId: number | null) =>
      (await f.rows('SELECT type, qty, unit_cost, oc_freight, cost_source FROM movements WHERE document_id = ? ORDER BY seq', documentId)).map((m) => ({ ...m, oc_freight: Number(m.oc_freight) }));
    const sale = await f.post('despatch', { idempotencyKey: key(), kind: 'sale', siteId: f.ids.wh, lines: [{ productId: butter, qty: 1_000 }] });
    expect(await moved(sale.documentId)).toEqual([{ type: 'sale', qty: -1_000, unit_cost: 100_000, oc_freight: 5_000, cost_source: 'latest_at_site' }]);
    // 400 g (40 000 + freight 2 000) into 4: 10 500 each, exact.
    const exact = await f.post('produce', { idempotencyKey: key(), kind: 'product_preparation', siteId: f.ids.wh, output: { productId: croissants, qty: 4 }, components: [{ productId: butter, qty: 400 }] });
    expect(await moved(exact.documentId)).toEqual([
      { type: 'product_preparation', qty: -400, unit_cost: 100_000, oc_freight: 5_000, cost_source: 'latest_at_site' },
      { type: 'product_preparation', qty: 4, unit_cost: 10_500, oc_freight: 0, cost_source: 'declared' },
    ]);
    // 250 g (25 000 + freight 1 250) into 4: 6 562.5 each, rounded as production rounds its per-unit cost.
    const rounded = await f.post('produce', { idempotencyKey: key(), kind: 'work_order', siteId: f.ids.wh, output: { productId: croissants, qty: 4 }, components: [{ productId: butter, qty: 250 }] });
    expect(await moved(rounded.documentId)).toEqual([
      { type: 'work_order_consumption', qty: -250, unit_cost: 100_000, oc_freight: 5_000, cost_source: 'latest_at_site' },
      { type: 'work_order_production', qty: 4, unit_cost: 6_563, oc_freight: 0, cost_source: 'declared' },
    ]);
  });

  it('clears with a reason, receives sales and transfer-order returns, and posts a period variance', async () => {
    await receiveRice(5_000, 20_000);
    await f.post('writeOff', { idempotencyKey: key(), kind: 'clear', siteId: f.ids.wh, reason: 'obsolete', lines: [{ productId: f.ids.bulk, qty: 1_000 }] });
    const sr = await f.post('inboundReturn', { idempotencyKey: key(), kind: 'sales_return_inbound', siteId: f.ids.wh, lines: [{ productId: f.ids.bulk, qty: 200, binId: f.ids.binA }] });
    expect(await f.rows('SELECT qty, unit_cost, cost_source FROM movements WHERE document_id = ?', sr.documentId)).toEqual([{ qty: 200, unit_cost: 20_000, cost_source: 'latest_at_site' }]);
    const to = await f.post('inboundReturn', { idempotencyKey: key(), kind: 'transfer_order_inbound', siteId: f.ids.shop, fromSiteId: f.ids.wh, lines: [{ productId: f.ids.bulk, qty: 300 }] });
    expect(await f.rows('SELECT qty, unit_cost, cost_source FROM movements WHERE document_id = ?', to.documentId)).toEqual([{ qty: 300, unit_cost: 20_000, cost_source: 'dispatching_site' }]);
    const v = await f.post('periodVariance', { idempotencyKey: key(), siteId: f.ids.wh, lines: [{ productId: f.ids.bulk, binId: f.ids.binA, counted: 4_000 }] });
    expect(await f.rows('SELECT type, qty, unit_cost FROM movements WHERE document_id = ?', v.documentId)).toEqual([{ type: 'period_variance', qty: -200, unit_cost: 20_000 }]);
    await expectRefused(() => f.post('periodVariance', { idempotencyKey: key(), siteId: f.ids.wh, lines: [{ productId: f.ids.bulk, binId: f.ids.binA, counted: 4_000 }] }), 'VALIDATION', /no variance/);
    await expectRefused(() => f.post('writeOff', { idempotencyKey: key(), kind: 'wastage', siteId: f.ids.wh, reason: 'damaged', lines: [{ productId: f.ids.bulk, qty: 99_000 }] }), 'NEGATIVE_STOCK', /short by/);
  });

  describe('review before posting', () => {
    it('shows the FEFO picks with cost, value and what each quant held, writes nothing, and posting then writes the same', async () => {
      await receiveClaret([
        { code: 'LATE', expiry: '2031-06-30', qty: 10 },
        { code: 'EARLY', expiry: '2030-01-31', qty: 4 },
      ]);
      const before = await counts();
      const input = { idempotencyKey: key(), kind: 'sale' as const, siteId: f.ids.wh, lines: [{ productId: f.ids.lot, qty: 6 }] };
      const r = await f.review('despatch', input);
      expect(await counts()).toEqual(before);
      expect(r.movements.map((m) => [m.batchCode, m.qty, m.unitCost, m.value, m.availableHere, m.availableAtSite, m.costSource])).toEqual([
        ['EARLY', -4, 80_000, -320_000, 4, 14, 'latest_at_site'],
        ['LATE', -2, 80_000, -160_000, 10, 10, 'latest_at_site'],
      ]); // the site's 14 less the 4 line 1 takes
      expect(r).toMatchObject({ valueIn: 0, valueOut: 480_000, alreadyPostedDocumentId: null });
      const posted = await f.post('despatch', input);
      expect((await f.review('despatch', input)).alreadyPostedDocumentId).toBe(posted.documentId);
      await expect(f.review('despatch', { ...input, lines: [{ productId: f.ids.lot, qty: 1 }] })).rejects.toMatchObject({ code: 'IDEMPOTENCY_CONFLICT' });
    });

    it("shows a value-only credit's on-costs and writes nothing; raises the error posting would raise", async () => {
      await f.post('receive', { idempotencyKey: key(), kind: 'supplier_order', siteId: f.ids.wh, dutyPaid: false, lines: [{ productId: f.ids.bulk, qty: 2_000, unitCost: 30_000, onCosts: { freight: 1_000, labour: 500 } }] });
      const sale = await f.post('despatch', { idempotencyKey: key(), kind: 'sale', siteId: f.ids.wh, lines: [{ productId: f.ids.bulk, qty: 1_500 }] });
      const before = await counts();
      const c = await f.review('refund', { idempotencyKey: key(), kind: 'sales_credit_note', documentId: sale.documentId!, returnToStock: false, lines: [{ seq: sale.firstSeq!, qty: 500 }] });
      expect(c.movements).toEqual([]);
      expect(c.credits).toEqual([{ sku: 'RICE-1KG', name: expect.any(String), scale: 3, qty: 500, unitCost: 30_000, value: 15_000, onCostPerUnit: 1_500, onCostValue: 750 }]);
      expect(c.notes.join(' ')).toMatch(/Return to stock is off/);
      await expect(f.review('writeOff', { idempotencyKey: key(), kind: 'wastage', siteId: f.ids.wh, reason: 'damaged', lines: [{ productId: f.ids.lot, qty: 99 }] })).rejects.toMatchObject({ code: 'NEGATIVE_STOCK' });
      expect(await counts()).toEqual(before);
    });
  });

  describe('idempotent resubmit', () => {
    const receipt = (qty: number, k = 'receive-key-0001') => ({ idempotencyKey: k, kind: 'cash_purchase' as const, siteId: f.ids.wh, dutyPaid: false, lines: [{ productId: f.ids.bulk, qty, unitCost: 25_000 }] });

    it('replays the first result under the same key, named by its type and reference', async () => {
      const first = await f.post('receive', { ...receipt(1_000), reference: 'GRN-000123' });
      expect(first).toMatchObject({ replayed: false, documentType: 'receipt', reference: 'GRN-000123' });
      expect(await f.post('receive', { ...receipt(1_000), reference: 'GRN-000123' })).toMatchObject({ replayed: true, documentId: first.documentId, documentType: 'receipt', reference: 'GRN-000123', movementCount: 1, firstSeq: first.firstSeq });
      expect(await f.rows('SELECT COUNT(*) AS n FROM movements')).toEqual([{ n: 1 }]);
    });

    it('refuses a different input under a reused key, in every operation, and writes nothing', async () => {
      await f.post('receive', receipt(1_000));
      await expectRefused(() => f.post('receive', receipt(2_000)), 'IDEMPOTENCY_CONFLICT', /already posted with idempotency key .*Start a new document/);
      await expectRefused(() => f.post('receive', { ...receipt(1_000), dutyPaid: true }), 'IDEMPOTENCY_CONFLICT', /already posted/);
      await expectRefused(() => f.post('despatch', { idempotencyKey: 'receive-key-0001', kind: 'sale', siteId: f.ids.wh, lines: [{ productId: f.ids.bulk, qty: 1 }] }), 'IDEMPOTENCY_CONFLICT', /operation \(receive\)/);
    });

    it('a despatch replays even when stock has moved since (the input, not the picks, is compared)', async () => {
      await f.post('receive', receipt(5_000));
      const sale = { idempotencyKey: 'sale-key-00001', kind: 'sale' as const, siteId: f.ids.wh, lines: [{ productId: f.ids.bulk, qty: 1_000 }] };
      const first = await f.post('despatch', sale);
      await f.post('receive', receipt(3_000, 'receive-key-0002'));
      expect(await f.post('despatch', sale)).toMatchObject({ replayed: true, documentId: first.documentId });
      await expectRefused(() => f.post('despatch', { ...sale, lines: [{ productId: f.ids.bulk, qty: 999 }] }), 'IDEMPOTENCY_CONFLICT', /already posted/);
    });
  });
});

describe('operations on PostgreSQL: all or nothing', () => {
  it('a failure after the ledger wrote the document (its operation row refused) leaves nothing, and the key stays free', async () => {
    const f = await STORES[1]![1]();
    try {
      const before = await f.rows('SELECT (SELECT COUNT(*) FROM documents) AS d, (SELECT COUNT(*) FROM movements) AS m, (SELECT COUNT(*) FROM stock_levels) AS l, (SELECT COUNT(*) FROM operation_requests) AS r');
      const input = { idempotencyKey: 'all-or-nothing-1', kind: 'cash_purchase' as const, siteId: f.ids.wh, dutyPaid: false, lines: [{ productId: f.ids.bulk, qty: 5, unitCost: 1 }] };
      // operation_documents.counterparty is varchar(128): past the contract's check (as a crash between the two writes
      // would), the database refuses the row written after the ledger's document, in the same transaction.
      await expect(f.post('receive', { ...input, counterparty: 'x'.repeat(200) })).rejects.toThrow(/too long/);
      expect(await f.rows('SELECT (SELECT COUNT(*) FROM documents) AS d, (SELECT COUNT(*) FROM movements) AS m, (SELECT COUNT(*) FROM stock_levels) AS l, (SELECT COUNT(*) FROM operation_requests) AS r')).toEqual(before);
      // Nothing was recorded under the key: the corrected input posts as new.
      expect(await f.post('receive', { ...input, counterparty: 'Cash' })).toMatchObject({ replayed: false, movementCount: 1 });
      expect((await f.core.verify()).ok).toBe(true);
    } finally {
      await f.close();
    }
  });
});
