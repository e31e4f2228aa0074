import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/contract/errors';
import type { MovementLineInput } from '../../../shared/contract/schemas';
import { corePerTest, type CoreUnderTest } from '../../../test/fixtures/core-under-test';
import { doc, docOf } from '../../../test/fixtures/ledger';
import { STORE_UNDER_TEST } from '../../../test/fixtures/store-under-test';

/**
 * Posting documents to the ledger core on the configured store (test/fixtures/core-under-test.ts): SQLite's document
 * poster by default, PostgreSQL's ledger store in `npm run test:unit:pg`. What each posting writes (movements with their
 * balances, stock levels, costs, batches, serial units) and what it refuses, the same on both.
 */
let f: CoreUnderTest;
corePerTest((c) => (f = c));

const receiveRice = (qty: number, unitCost = 25000) =>
  doc('receipt', [{ productId: f.ids.bulk, siteId: f.ids.wh, binId: f.ids.binA, type: 'supplier_order', qty, unitCost }]);
const verified = async () => (await f.core.verify()).ok;

async function expectAppError(work: () => Promise<unknown>, code: string, message?: RegExp): Promise<AppError> {
  let error: unknown = null;
  try {
    await work();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  if (message) expect((error as AppError).message).toMatch(message);
  return error as AppError;
}

describe(`posting a document (${STORE_UNDER_TEST})`, () => {
  it('writes movements with balance_after per product/site, stock levels and costs', async () => {
    const { core } = f;
    await core.post(receiveRice(10_000), f.ids.admin);
    await core.post(doc('receipt', [{ productId: f.ids.bulk, siteId: f.ids.wh, binId: f.ids.binB, type: 'inbound', qty: 2_500, unitCost: 30000 }]), f.ids.admin);
    await core.post(doc('despatch', [{ productId: f.ids.bulk, siteId: f.ids.wh, binId: f.ids.binA, type: 'sale', qty: -4_000 }]), f.ids.admin);
    const rows = await f.rows('SELECT qty, balance_after, unit_cost, cost_source FROM movements ORDER BY seq');
    expect(rows).toEqual([
      { qty: 10_000, balance_after: 10_000, unit_cost: 25000, cost_source: 'declared' },
      { qty: 2_500, balance_after: 12_500, unit_cost: 30000, cost_source: 'declared' },
      { qty: -4_000, balance_after: 8_500, unit_cost: 30000, cost_source: 'latest_at_site' },
    ]);
    const levels = await f.rows('SELECT bin_id, qty FROM stock_levels ORDER BY bin_id');
    expect(levels).toEqual([
      { bin_id: f.ids.binA, qty: 6_000 },
      { bin_id: f.ids.binB, qty: 2_500 },
    ]);
    const cost = (await f.rows('SELECT latest_cost, average_cost FROM cost_state'))[0];
    expect(cost).toEqual({ latest_cost: 30000, average_cost: 26000 });
    expect(await verified()).toBe(true);
  });

  it('records the effective time apart from the recorded time (backdating)', async () => {
    const threeHoursAgo = new Date(Date.now() - 3 * 3600_000).toISOString();
    await f.core.post({ ...receiveRice(1_000), occurredAt: threeHoursAgo }, f.ids.admin);
    const [m] = await f.rows<{ occurred_at: number; recorded_at: number }>('SELECT occurred_at, recorded_at FROM movements');
    expect(m!.occurred_at).toBe(Date.parse(threeHoursAgo));
    expect(m!.recorded_at - m!.occurred_at).toBeGreaterThanOrEqual(3 * 3600_000 - 1000);
  });

  it('keeps the latest cost by effective time: a receipt backdated to last month moves the average but does not become the latest', async () => {
    const { core } = f;
    const at = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString();
    const rice = (qty: number, unitCost: number, daysAgo: number, freight = 0) =>
      doc('receipt', [{ productId: f.ids.bulk, siteId: f.ids.wh, type: 'supplier_order', qty, unitCost, onCosts: { freight } }], { occurredAt: at(daysAgo) });
    const cost = async () => (await f.rows('SELECT latest_cost, average_cost FROM cost_state'))[0];
    await core.post(rice(1_000, 20_000, 1, 300), f.ids.admin); // yesterday
    await core.post(rice(1_000, 40_000, 30, 900), f.ids.admin); // recorded today, effective a month ago
    expect(await cost()).toEqual({ latest_cost: 20_000, average_cost: 30_000 });
    // A later line without a cost takes yesterday's cost and on-costs, not the backdated receipt's.
    await core.post(doc('despatch', [{ productId: f.ids.bulk, siteId: f.ids.wh, type: 'sale', qty: -500 }]), f.ids.admin);
    expect((await f.rows('SELECT unit_cost, oc_freight FROM movements ORDER BY seq DESC LIMIT 1'))[0]).toEqual({ unit_cost: 20_000, oc_freight: 300 });
    // A receipt effective now is the latest again.
    await core.post(rice(500, 50_000, 0), f.ids.admin);
    expect(await cost()).toMatchObject({ latest_cost: 50_000 });
    expect(await verified()).toBe(true);
  });

  it('records history at its effective time when asked to (demo data, as if entered live), and still refuses the future', async () => {
    const lastWeek = new Date(Date.now() - 7 * 86_400_000).toISOString();
    await f.core.post({ ...receiveRice(1_000), occurredAt: lastWeek }, f.ids.admin, { recordedWhenEffective: true });
    const [m] = await f.rows<{ occurred_at: number; recorded_at: number }>('SELECT occurred_at, recorded_at FROM movements');
    expect(m).toEqual({ occurred_at: Date.parse(lastWeek), recorded_at: Date.parse(lastWeek) });
    const [d] = await f.rows<{ occurred_at: number; recorded_at: number }>('SELECT occurred_at, recorded_at FROM documents');
    expect(d!.recorded_at).toBe(d!.occurred_at);
    const before = await f.counts();
    const future = new Date(Date.now() + 3600_000).toISOString();
    await expectAppError(() => f.core.post({ ...receiveRice(1_000), occurredAt: future }, f.ids.admin, { recordedWhenEffective: true }), 'VALIDATION', /future/);
    expect(await f.counts()).toEqual(before);
    expect(await verified()).toBe(true);
  });

  it('refuses a future effective time', async () => {
    const future = new Date(Date.now() + 3600_000).toISOString();
    await expectAppError(() => f.core.post({ ...receiveRice(1_000), occurredAt: future }, f.ids.admin), 'VALIDATION', /future/);
  });

  it('returns the first result for a repeated submit with the same idempotency key, and writes nothing more', async () => {
    const d = receiveRice(1_000);
    const first = await f.core.post(d, f.ids.admin);
    const before = await f.counts();
    const again = await f.core.post(structuredClone(d), f.ids.admin);
    expect(again).toEqual({ ...first, replayed: true });
    expect(await f.counts()).toEqual(before);
  });

  it('refuses a different document reusing an idempotency key', async () => {
    const d = receiveRice(1_000);
    await f.core.post(d, f.ids.admin);
    await expectAppError(() => f.core.post({ ...d, lines: [{ ...d.lines[0]!, qty: 2_000 }] }, f.ids.admin), 'IDEMPOTENCY_CONFLICT');
  });

  it('rolls back the whole document when one line fails', async () => {
    await f.core.post(receiveRice(1_000), f.ids.admin);
    const before = await f.counts();
    await expectAppError(
      () =>
        f.core.post(
          doc('receipt', [
            { productId: f.ids.bulk, siteId: f.ids.wh, binId: f.ids.binA, type: 'inbound', qty: 5_000, unitCost: 1 },
            { productId: f.ids.lot, siteId: f.ids.wh, batch: { code: 'L1', expiry: '2030-01-01' }, type: 'inbound', qty: 5 },
            { productId: 9999, siteId: f.ids.wh, type: 'inbound', qty: 1 },
          ]),
          f.ids.admin,
        ),
      'NOT_FOUND',
      /Line 3: the product picked does not exist/,
    );
    expect(await f.counts()).toEqual(before);
    // The writer's caches were rolled back too: the next post sees the true balance.
    await f.core.post(doc('despatch', [{ productId: f.ids.bulk, siteId: f.ids.wh, binId: f.ids.binA, type: 'sale', qty: -1_000 }]), f.ids.admin);
    expect(await verified()).toBe(true);
  });

  it('refuses negative stock by default, naming product, site and shortfall', async () => {
    await f.core.post(receiveRice(1_500), f.ids.admin);
    const e = await expectAppError(
      () => f.core.post(doc('despatch', [{ productId: f.ids.bulk, siteId: f.ids.wh, binId: f.ids.binA, type: 'sale', qty: -2_000 }]), f.ids.admin),
      'NEGATIVE_STOCK',
    );
    expect(e.message).toContain('RICE-1KG');
    expect(e.message).toContain('Central Warehouse');
    expect(e.message).toContain('short by 0.500');
    expect(e.details).toMatchObject({ shortfall: 500 });
  });

  it('allows negative stock where the site allows it', async () => {
    await f.exec(`UPDATE sites SET allow_negative = TRUE WHERE id = ${f.ids.wh}`);
    await f.core.post(doc('despatch', [{ productId: f.ids.bulk, siteId: f.ids.wh, type: 'sale', qty: -2_000 }]), f.ids.admin);
    expect((await f.rows<{ balance_after: number }>('SELECT balance_after FROM movements'))[0]!.balance_after).toBe(-2_000);
    expect(await verified()).toBe(true);
  });

  it('enforces stock types, tracking modes and movement directions', async () => {
    const p = (line: MovementLineInput) => () => f.core.post(docOf([line]), f.ids.admin);
    await expectAppError(p({ productId: f.ids.recipe, siteId: f.ids.wh, type: 'sale', qty: -1 }), 'VALIDATION', /Recipe product/);
    await expectAppError(p({ productId: f.ids.other, siteId: f.ids.wh, type: 'sale', qty: -1 }), 'VALIDATION', /not a stock product/);
    await expectAppError(p({ productId: f.ids.lot, siteId: f.ids.wh, type: 'inbound', qty: 1 }), 'VALIDATION', /lot-tracked; enter its batch/);
    await expectAppError(p({ productId: f.ids.bulk, siteId: f.ids.wh, batch: { code: 'X' }, type: 'inbound', qty: 1 }), 'VALIDATION', /remove the batch/);
    await expectAppError(p({ productId: f.ids.serial, siteId: f.ids.wh, type: 'inbound', qty: 1 }), 'VALIDATION', /serial number/);
    await expectAppError(p({ productId: f.ids.serial, siteId: f.ids.wh, serial: 'S1', type: 'inbound', qty: 2 }), 'VALIDATION', /exactly one unit/);
    await expectAppError(p({ productId: f.ids.bulk, siteId: f.ids.wh, type: 'inbound', qty: -1 }), 'VALIDATION', /positive quantity/);
    await expectAppError(p({ productId: f.ids.bulk, siteId: f.ids.wh, type: 'wastage', qty: 1 }), 'VALIDATION', /negative quantity/);
    await expectAppError(p({ productId: f.ids.bulk, siteId: f.ids.shop, binId: f.ids.binA, type: 'inbound', qty: 1 }), 'VALIDATION', /not a bin of Soho Bar/);
    expect((await f.counts()).movements).toBe(0);
  });

  it('tracks batches with expiry and refuses a conflicting expiry', async () => {
    const lot = (qty: number, expiry?: string) => doc('receipt', [{ productId: f.ids.lot, siteId: f.ids.wh, batch: { code: 'L19', ...(expiry ? { expiry } : {}) }, type: 'inbound', qty, unitCost: 90000 }]);
    await f.core.post(lot(6, '2031-05-01'), f.ids.admin);
    await f.core.post(lot(6), f.ids.admin);
    await expectAppError(() => f.core.post(lot(1, '2032-01-01'), f.ids.admin), 'VALIDATION', /expires on (01\/05|05\/01)\/2031, not (01\/01)\/2032\./);
    expect(await f.rows('SELECT code, expiry FROM batches')).toEqual([{ code: 'L19', expiry: '2031-05-01' }]);
    expect((await f.rows<{ qty: number }>('SELECT qty FROM stock_levels'))[0]!.qty).toBe(12);
  });

  it('moves serial units in and out and refuses a serial that is not there', async () => {
    const s = (type: 'inbound' | 'outbound', qty: number, serial: string) =>
      docOf([{ productId: f.ids.serial, siteId: f.ids.wh, serial, type, qty, unitCost: 1 }]);
    await f.core.post(s('inbound', 1, 'SN-1'), f.ids.admin);
    await expectAppError(() => f.core.post(s('inbound', 1, 'SN-1'), f.ids.admin), 'CONFLICT', /already in stock/);
    await expectAppError(() => f.core.post(s('outbound', -1, 'SN-2'), f.ids.admin), 'CONFLICT', /not in stock/);
    await f.core.post(s('outbound', -1, 'SN-1'), f.ids.admin);
    expect(await f.rows('SELECT serial, in_stock, site_id FROM serial_units')).toEqual([{ serial: 'SN-1', in_stock: 0, site_id: null }]);
    expect(await verified()).toBe(true);
  });

  it('posts a transfer between sites as one leg out and one leg in, netting to zero', async () => {
    await f.core.post(receiveRice(3_000), f.ids.admin);
    await f.core.post(
      doc('transfer', [
        { productId: f.ids.bulk, siteId: f.ids.wh, binId: f.ids.binA, type: 'transfer_out', qty: -1_000, costSource: 'dispatching_site', unitCost: 25000 },
        { productId: f.ids.bulk, siteId: f.ids.shop, type: 'transfer_in', qty: 1_000, costSource: 'dispatching_site', unitCost: 25000 },
      ]),
      f.ids.admin,
    );
    const rows = await f.rows('SELECT site_id, qty, balance_after FROM movements WHERE document_id = 2 ORDER BY seq');
    expect(rows).toEqual([
      { site_id: f.ids.wh, qty: -1_000, balance_after: 2_000 },
      { site_id: f.ids.shop, qty: 1_000, balance_after: 1_000 },
    ]);
    expect(await verified()).toBe(true);
  });

  it('posts many documents in one transaction, all or none', async () => {
    const good = receiveRice(1_000);
    const bad = doc('despatch', [{ productId: f.ids.bulk, siteId: f.ids.wh, binId: f.ids.binA, type: 'sale', qty: -5_000 }]);
    await expectAppError(() => f.core.postMany([good, bad], f.ids.admin), 'NEGATIVE_STOCK');
    expect((await f.counts()).documents).toBe(0);
    const results = await f.core.postMany([good, receiveRice(2_000)], f.ids.admin);
    expect(results.map((r) => r.firstSeq)).toEqual([1, 2]);
  });

  it('points a correction at the movement it corrects', async () => {
    const r = await f.core.post(receiveRice(1_000), f.ids.admin);
    await f.core.post(
      doc('receipt_reversal', [{ productId: f.ids.bulk, siteId: f.ids.wh, binId: f.ids.binA, type: 'inbound_reversal', qty: -1_000, reversalOf: r.firstSeq! }]),
      f.ids.admin,
    );
    await expectAppError(
      () => f.core.post(doc('receipt', [{ productId: f.ids.lot, siteId: f.ids.wh, batch: { code: 'Z' }, type: 'inbound', qty: 1, reversalOf: r.firstSeq! }]), f.ids.admin),
      'VALIDATION',
      /not a movement of CLARET-75/,
    );
  });
});
