import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/contract/errors';
import { openFixture, tableCounts, type Fixture } from '../../../test/fixtures/ledger';

let f: Fixture;
beforeEach(async () => {
  f = await openFixture();
});
afterEach(async () => {
  await f.cleanup();
});

const receiveRice = (qty: number, unitCost = 25000) =>
  f.doc('receipt', [{ productId: f.ids.bulk, siteId: f.ids.wh, binId: f.ids.binA, type: 'supplier_order', qty, unitCost }]);

function expectAppError(fn: () => unknown, code: string, message?: RegExp): AppError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe(code);
    if (message) expect((e as AppError).message).toMatch(message);
    return e as AppError;
  }
  throw new Error('expected an AppError');
}

describe('posting a document', () => {
  it('writes movements with balance_after per product/site, stock levels and costs', () => {
    const { poster } = f.ledger;
    poster.post(receiveRice(10_000), f.ids.admin);
    poster.post(f.doc('receipt', [{ productId: f.ids.bulk, siteId: f.ids.wh, binId: f.ids.binB, type: 'inbound', qty: 2_500, unitCost: 30000 }]), f.ids.admin);
    poster.post(f.doc('despatch', [{ productId: f.ids.bulk, siteId: f.ids.wh, binId: f.ids.binA, type: 'sale', qty: -4_000 }]), f.ids.admin);
    const rows = f.ledger.db.prepare('SELECT qty, balance_after, unit_cost, cost_source FROM movements ORDER BY seq').all();
    expect(rows).toEqual([
      { qty: 10_000, balance_after: 10_000, unit_cost: 25000, cost_source: 'declared' },
      { qty: 2_500, balance_after: 12_500, unit_cost: 30000, cost_source: 'declared' },
      { qty: -4_000, balance_after: 8_500, unit_cost: 30000, cost_source: 'latest_at_site' },
    ]);
    const levels = f.ledger.db.prepare('SELECT bin_id, qty FROM stock_levels ORDER BY bin_id').all();
    expect(levels).toEqual([
      { bin_id: f.ids.binA, qty: 6_000 },
      { bin_id: f.ids.binB, qty: 2_500 },
    ]);
    const cost = f.ledger.db.prepare('SELECT latest_cost, average_cost FROM cost_state').get();
    expect(cost).toEqual({ latest_cost: 30000, average_cost: 26000 });
    expect(f.ledger.verify().ok).toBe(true);
  });

  it('records the effective time apart from the recorded time (backdating)', () => {
    const threeHoursAgo = new Date(Date.now() - 3 * 3600_000).toISOString();
    f.ledger.poster.post({ ...receiveRice(1_000), occurredAt: threeHoursAgo }, f.ids.admin);
    const m = f.ledger.db.prepare('SELECT occurred_at, recorded_at FROM movements').get() as { occurred_at: number; recorded_at: number };
    expect(m.occurred_at).toBe(Date.parse(threeHoursAgo));
    expect(m.recorded_at - m.occurred_at).toBeGreaterThanOrEqual(3 * 3600_000 - 1000);
  });

  it('keeps the latest cost by effective time: a receipt backdated to last month moves the average but does not become the latest', () => {
    const { poster, db } = f.ledger;
    const at = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString();
    const rice = (qty: number, unitCost: number, daysAgo: number, freight = 0) =>
      f.doc('receipt', [{ productId: f.ids.bulk, siteId: f.ids.wh, type: 'supplier_order', qty, unitCost, onCosts: { freight } }], { occurredAt: at(daysAgo) });
    const cost = () => db.prepare('SELECT latest_cost, average_cost FROM cost_state').get();
    poster.post(rice(1_000, 20_000, 1, 300), f.ids.admin); // yesterday
    poster.post(rice(1_000, 40_000, 30, 900), f.ids.admin); // recorded today, effective a month ago
    expect(cost()).toEqual({ latest_cost: 20_000, average_cost: 30_000 });
    // A later line without a cost takes yesterday's cost and on-costs, not the backdated receipt's.
    poster.post(f.doc('despatch', [{ productId: f.ids.bulk, siteId: f.ids.wh, type: 'sale', qty: -500 }]), f.ids.admin);
    expect(db.prepare('SELECT unit_cost, oc_freight FROM movements ORDER BY seq DESC LIMIT 1').get()).toEqual({ unit_cost: 20_000, oc_freight: 300 });
    // A receipt effective now is the latest again.
    poster.post(rice(500, 50_000, 0), f.ids.admin);
    expect(cost()).toMatchObject({ latest_cost: 50_000 });
    expect(f.ledger.verify().ok).toBe(true);
  });

  it('records history at its effective time when asked to (demo data, as if entered live), and still refuses the future', () => {
    const lastWeek = new Date(Date.now() - 7 * 86_400_000).toISOString();
    f.ledger.poster.post({ ...receiveRice(1_000), occurredAt: lastWeek }, f.ids.admin, { recordedWhenEffective: true });
    const m = f.ledger.db.prepare('SELECT occurred_at, recorded_at FROM movements').get() as { occurred_at: number; recorded_at: number };
    expect(m).toEqual({ occurred_at: Date.parse(lastWeek), recorded_at: Date.parse(lastWeek) });
    const d = f.ledger.db.prepare('SELECT occurred_at, recorded_at FROM documents').get() as { occurred_at: number; recorded_at: number };
    expect(d.recorded_at).toBe(d.occurred_at);
    const before = tableCounts(f.ledger);
    const future = new Date(Date.now() + 3600_000).toISOString();
    expectAppError(() => f.ledger.poster.post({ ...receiveRice(1_000), occurredAt: future }, f.ids.admin, { recordedWhenEffective: true }), 'VALIDATION', /future/);
    expect(tableCounts(f.ledger)).toEqual(before);
    expect(f.ledger.verify().ok).toBe(true);
  });

  it('refuses a future effective time', () => {
    const future = new Date(Date.now() + 3600_000).toISOString();
    expectAppError(() => f.ledger.poster.post({ ...receiveRice(1_000), occurredAt: future }, f.ids.admin), 'VALIDATION', /future/);
  });

  it('returns the first result for a repeated submit with the same idempotency key, and writes nothing more', () => {
    const doc = receiveRice(1_000);
    const first = f.ledger.poster.post(doc, f.ids.admin);
    const before = tableCounts(f.ledger);
    const again = f.ledger.poster.post(structuredClone(doc), f.ids.admin);
    expect(again).toEqual({ ...first, replayed: true });
    expect(tableCounts(f.ledger)).toEqual(before);
  });

  it('refuses a different document reusing an idempotency key', () => {
    const doc = receiveRice(1_000);
    f.ledger.poster.post(doc, f.ids.admin);
    expectAppError(() => f.ledger.poster.post({ ...doc, lines: [{ ...doc.lines[0]!, qty: 2_000 }] }, f.ids.admin), 'IDEMPOTENCY_CONFLICT');
  });

  it('rolls back the whole document when one line fails', () => {
    f.ledger.poster.post(receiveRice(1_000), f.ids.admin);
    const before = tableCounts(f.ledger);
    expectAppError(
      () =>
        f.ledger.poster.post(
          f.doc('receipt', [
            { productId: f.ids.bulk, siteId: f.ids.wh, binId: f.ids.binA, type: 'inbound', qty: 5_000, unitCost: 1 },
            { productId: f.ids.lot, siteId: f.ids.wh, batch: { code: 'L1', expiry: '2030-01-01' }, type: 'inbound', qty: 5 },
            { productId: 9999, siteId: f.ids.wh, type: 'inbound', qty: 1 },
          ]),
          f.ids.admin,
        ),
      'NOT_FOUND',
      /Line 3: the product picked does not exist/,
    );
    expect(tableCounts(f.ledger)).toEqual(before);
    // The writer's caches were rolled back too: the next post sees the true balance.
    f.ledger.poster.post(f.doc('despatch', [{ productId: f.ids.bulk, siteId: f.ids.wh, binId: f.ids.binA, type: 'sale', qty: -1_000 }]), f.ids.admin);
    expect(f.ledger.verify().ok).toBe(true);
  });

  it('refuses negative stock by default, naming product, site and shortfall', () => {
    f.ledger.poster.post(receiveRice(1_500), f.ids.admin);
    const e = expectAppError(
      () => f.ledger.poster.post(f.doc('despatch', [{ productId: f.ids.bulk, siteId: f.ids.wh, binId: f.ids.binA, type: 'sale', qty: -2_000 }]), f.ids.admin),
      'NEGATIVE_STOCK',
    );
    expect(e.message).toContain('RICE-1KG');
    expect(e.message).toContain('Central Warehouse');
    expect(e.message).toContain('short by 0.500');
    expect(e.details).toMatchObject({ shortfall: 500 });
  });

  it('allows negative stock where the site allows it', () => {
    f.ledger.db.prepare('UPDATE sites SET allow_negative = 1 WHERE id = ?').run(f.ids.wh);
    f.ledger.poster.reset();
    f.ledger.poster.post(f.doc('despatch', [{ productId: f.ids.bulk, siteId: f.ids.wh, type: 'sale', qty: -2_000 }]), f.ids.admin);
    expect((f.ledger.db.prepare('SELECT balance_after FROM movements').get() as { balance_after: number }).balance_after).toBe(-2_000);
    expect(f.ledger.verify().ok).toBe(true);
  });

  it('enforces stock types, tracking modes and movement directions', () => {
    const p = (line: Parameters<Fixture['doc']>[1][number]) => () => f.ledger.poster.post(f.docOf([line]), f.ids.admin);
    expectAppError(p({ productId: f.ids.recipe, siteId: f.ids.wh, type: 'sale', qty: -1 }), 'VALIDATION', /Recipe product/);
    expectAppError(p({ productId: f.ids.other, siteId: f.ids.wh, type: 'sale', qty: -1 }), 'VALIDATION', /not a stock product/);
    expectAppError(p({ productId: f.ids.lot, siteId: f.ids.wh, type: 'inbound', qty: 1 }), 'VALIDATION', /lot-tracked; enter its batch/);
    expectAppError(p({ productId: f.ids.bulk, siteId: f.ids.wh, batch: { code: 'X' }, type: 'inbound', qty: 1 }), 'VALIDATION', /remove the batch/);
    expectAppError(p({ productId: f.ids.serial, siteId: f.ids.wh, type: 'inbound', qty: 1 }), 'VALIDATION', /serial number/);
    expectAppError(p({ productId: f.ids.serial, siteId: f.ids.wh, serial: 'S1', type: 'inbound', qty: 2 }), 'VALIDATION', /exactly one unit/);
    expectAppError(p({ productId: f.ids.bulk, siteId: f.ids.wh, type: 'inbound', qty: -1 }), 'VALIDATION', /positive quantity/);
    expectAppError(p({ productId: f.ids.bulk, siteId: f.ids.wh, type: 'wastage', qty: 1 }), 'VALIDATION', /negative quantity/);
    expectAppError(p({ productId: f.ids.bulk, siteId: f.ids.shop, binId: f.ids.binA, type: 'inbound', qty: 1 }), 'VALIDATION', /not a bin of Soho Bar/);
    expect(tableCounts(f.ledger).movements).toBe(0);
  });

  it('tracks batches with expiry and refuses a conflicting expiry', () => {
    const lot = (qty: number, expiry?: string) => f.doc('receipt', [{ productId: f.ids.lot, siteId: f.ids.wh, batch: { code: 'L19', ...(expiry ? { expiry } : {}) }, type: 'inbound', qty, unitCost: 90000 }]);
    f.ledger.poster.post(lot(6, '2031-05-01'), f.ids.admin);
    f.ledger.poster.post(lot(6), f.ids.admin);
    expectAppError(() => f.ledger.poster.post(lot(1, '2032-01-01'), f.ids.admin), 'VALIDATION', /expires on (01\/05|05\/01)\/2031, not (01\/01)\/2032\./);
    expect(f.ledger.db.prepare('SELECT code, expiry FROM batches').all()).toEqual([{ code: 'L19', expiry: '2031-05-01' }]);
    expect((f.ledger.db.prepare('SELECT qty FROM stock_levels').get() as { qty: number }).qty).toBe(12);
  });

  it('moves serial units in and out and refuses a serial that is not there', () => {
    const s = (type: 'inbound' | 'outbound', qty: number, serial: string) =>
      f.docOf([{ productId: f.ids.serial, siteId: f.ids.wh, serial, type, qty, unitCost: 1 }]);
    f.ledger.poster.post(s('inbound', 1, 'SN-1'), f.ids.admin);
    expectAppError(() => f.ledger.poster.post(s('inbound', 1, 'SN-1'), f.ids.admin), 'CONFLICT', /already in stock/);
    expectAppError(() => f.ledger.poster.post(s('outbound', -1, 'SN-2'), f.ids.admin), 'CONFLICT', /not in stock/);
    f.ledger.poster.post(s('outbound', -1, 'SN-1'), f.ids.admin);
    expect(f.ledger.db.prepare('SELECT serial, in_stock, site_id FROM serial_units').all()).toEqual([{ serial: 'SN-1', in_stock: 0, site_id: null }]);
    expect(f.ledger.verify().ok).toBe(true);
  });

  it('posts a transfer between sites as one leg out and one leg in, netting to zero', () => {
    f.ledger.poster.post(receiveRice(3_000), f.ids.admin);
    f.ledger.poster.post(
      f.doc('transfer', [
        { productId: f.ids.bulk, siteId: f.ids.wh, binId: f.ids.binA, type: 'transfer_out', qty: -1_000, costSource: 'dispatching_site', unitCost: 25000 },
        { productId: f.ids.bulk, siteId: f.ids.shop, type: 'transfer_in', qty: 1_000, costSource: 'dispatching_site', unitCost: 25000 },
      ]),
      f.ids.admin,
    );
    const rows = f.ledger.db.prepare('SELECT site_id, qty, balance_after FROM movements WHERE document_id = 2 ORDER BY seq').all();
    expect(rows).toEqual([
      { site_id: f.ids.wh, qty: -1_000, balance_after: 2_000 },
      { site_id: f.ids.shop, qty: 1_000, balance_after: 1_000 },
    ]);
    expect(f.ledger.verify().ok).toBe(true);
  });

  it('posts many documents in one transaction, all or none', () => {
    const good = receiveRice(1_000);
    const bad = f.doc('despatch', [{ productId: f.ids.bulk, siteId: f.ids.wh, binId: f.ids.binA, type: 'sale', qty: -5_000 }]);
    expectAppError(() => f.ledger.poster.postMany([good, bad], f.ids.admin), 'NEGATIVE_STOCK');
    expect(tableCounts(f.ledger).documents).toBe(0);
    const results = f.ledger.poster.postMany([good, receiveRice(2_000)], f.ids.admin);
    expect(results.map((r) => r.firstSeq)).toEqual([1, 2]);
  });

  it('points a correction at the movement it corrects', () => {
    const r = f.ledger.poster.post(receiveRice(1_000), f.ids.admin);
    f.ledger.poster.post(
      f.doc('receipt_reversal', [{ productId: f.ids.bulk, siteId: f.ids.wh, binId: f.ids.binA, type: 'inbound_reversal', qty: -1_000, reversalOf: r.firstSeq! }]),
      f.ids.admin,
    );
    expectAppError(
      () => f.ledger.poster.post(f.doc('receipt', [{ productId: f.ids.lot, siteId: f.ids.wh, batch: { code: 'Z' }, type: 'inbound', qty: 1, reversalOf: r.firstSeq! }]), f.ids.admin),
      'VALIDATION',
      /not a movement of CLARET-75/,
    );
  });
});
