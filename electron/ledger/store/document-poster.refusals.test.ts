import { beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/contract/errors';
import type { MovementLineInput, PostDocumentInput } from '../../../shared/contract/schemas';
import { corePerTest, type CoreUnderTest } from '../../../test/fixtures/core-under-test';
import { doc } from '../../../test/fixtures/ledger';
import { STORE_UNDER_TEST } from '../../../test/fixtures/store-under-test';
import type { PostContext } from './document-rules';

/**
 * The writer's refusals (ARCHITECTURE §5.9) on the configured store (test/fixtures/core-under-test.ts): SQLite's document
 * poster by default, PostgreSQL's ledger store in `npm run test:unit:pg`. Raw documents no operation would send, posted
 * to the ledger core; each must be refused with the same message and leave the ledger as it was.
 */
let f: CoreUnderTest;
corePerTest((c) => (f = c));

// Stock to move: rice in bin A and in bin B, one serial unit, one lot.
beforeEach(async () => {
  await f.core.post(
    doc('receipt', [
      { productId: f.ids.bulk, siteId: f.ids.wh, binId: f.ids.binA, type: 'supplier_order', qty: 5_000, unitCost: 25_000 },
      { productId: f.ids.bulk, siteId: f.ids.wh, binId: f.ids.binB, type: 'supplier_order', qty: 5_000, unitCost: 25_000 },
      { productId: f.ids.serial, siteId: f.ids.wh, serial: 'SN-1', type: 'inbound', qty: 1, unitCost: 10 },
      { productId: f.ids.lot, siteId: f.ids.wh, batch: { code: 'L1', expiry: '2030-01-01' }, type: 'inbound', qty: 10, unitCost: 10 },
    ]),
    f.ids.admin,
  );
});

/** Posts the document, expects a VALIDATION AppError whose message matches, and checks nothing was written; returns the message. */
async function refused(d: PostDocumentInput, message: RegExp, context?: PostContext): Promise<string> {
  const before = await f.counts();
  let error: unknown = null;
  try {
    await f.core.post(d, f.ids.admin, context);
  } catch (e) {
    error = e;
  }
  expect(error, `${d.type} document was posted`).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe('VALIDATION');
  expect((error as AppError).message).toMatch(message);
  expect(await f.counts()).toEqual(before);
  // The writer is still usable after a refusal (its caches were reset with the rollback).
  expect((await f.core.verify()).ok).toBe(true);
  return (error as AppError).message;
}

const rice = (siteId: number, type: MovementLineInput['type'], qty: number, binId?: number): MovementLineInput => ({
  productId: f.ids.bulk,
  siteId,
  type,
  qty,
  ...(binId !== undefined ? { binId } : {}),
});

describe(`the writer refuses what verify would flag, and writes nothing (${STORE_UNDER_TEST})`, () => {
  it('refuses a one-legged transfer between sites (the report of issue 11)', async () => {
    await refused(doc('transfer', [rice(f.ids.wh, 'transfer_out', -1_000, f.ids.binA)]), /Line 1: the transfer of RICE-1KG has 1 leg out and 0 in/);
    await refused(doc('transfer', [rice(f.ids.shop, 'transfer_in', 1_000)]), /has 0 legs out and 1 in/);
  });

  it('refuses transfer legs that do not pair or do not net to zero', async () => {
    // Out 1,000, in 900: the quantities differ, so no leg pairs.
    await refused(doc('transfer', [rice(f.ids.wh, 'transfer_out', -1_000, f.ids.binA), rice(f.ids.shop, 'transfer_in', 900)]), /1 leg out and 0 in/);
    // Two legs out, one in.
    await refused(
      doc('transfer', [rice(f.ids.wh, 'transfer_out', -1_000, f.ids.binA), rice(f.ids.wh, 'transfer_out', -1_000, f.ids.binB), rice(f.ids.shop, 'transfer_in', 1_000)]),
      /2 legs out and 1 in/,
    );
    // Out of and into the same site is not a transfer between sites.
    await refused(doc('transfer', [rice(f.ids.wh, 'transfer_out', -1_000, f.ids.binA), rice(f.ids.wh, 'transfer_in', 1_000, f.ids.binB)]), /out of and into Central Warehouse/);
    // A serial unit out, another serial in: the legs are not the same unit.
    const serial = (siteId: number, type: MovementLineInput['type'], qty: number, sn: string): MovementLineInput => ({ productId: f.ids.serial, siteId, type, qty, serial: sn });
    await refused(doc('transfer', [serial(f.ids.wh, 'transfer_out', -1, 'SN-1'), serial(f.ids.shop, 'transfer_in', 1, 'SN-2')]), /TAP-01 has 1 leg out and 0 in/);
    // A lot out of one batch, in as another: the batch does not pair.
    const lot = (siteId: number, type: MovementLineInput['type'], qty: number, code: string): MovementLineInput => ({ productId: f.ids.lot, siteId, type, qty, batch: { code } });
    await refused(doc('transfer', [lot(f.ids.wh, 'transfer_out', -5, 'L1'), lot(f.ids.shop, 'transfer_in', 5, 'L2')]), /CLARET-75 has 1 leg out and 0 in/);
    // Internal transfer (bins of one site): −1,000 from A, +500 into B.
    await refused(doc('transfer', [rice(f.ids.wh, 'transfer', -1_000, f.ids.binA), rice(f.ids.wh, 'transfer', 500, f.ids.binB)]), /internal transfer of RICE-1KG at Central Warehouse does not net to zero/);
    // Internal legs at two different sites do not pair either.
    await refused(doc('transfer', [rice(f.ids.wh, 'transfer', -1_000, f.ids.binA), rice(f.ids.shop, 'transfer', 1_000)]), /does not net to zero/);
  });

  it('still posts paired legs in any order, to and from External, and within a site', async () => {
    const posted = await f.core.post(
      doc('transfer', [
        rice(f.ids.wh, 'transfer_out', -1_000, f.ids.binA),
        rice(f.ids.wh, 'transfer_out', -1_000, f.ids.binB),
        rice(f.ids.external, 'transfer_in', 1_000),
        rice(f.ids.shop, 'transfer_in', 1_000),
        rice(f.ids.wh, 'transfer', -500, f.ids.binA),
        rice(f.ids.wh, 'transfer', 500, f.ids.binB),
      ]),
      f.ids.admin,
    );
    expect(posted.movementCount).toBe(6);
    expect((await f.core.verify()).ok).toBe(true);
  });

  it('refuses a movement type that does not belong to the document type', async () => {
    await refused(doc('receipt', [rice(f.ids.wh, 'transfer_out', -1_000, f.ids.binA)]), /a Transfer Out movement does not belong on a receipt document \(it holds Supplier Order, Inbound/);
    await refused(doc('despatch', [rice(f.ids.wh, 'inventory_import', 1_000)]), /^Line 1: an Inventory Import movement does not belong on a despatch document/);
    // In English: "an" before a vowel (it said "a Inbound Reversal movement must have a negative quantity").
    await refused(doc('receipt_reversal', [rice(f.ids.wh, 'inbound_reversal', 1_000, f.ids.binA)]), /an Inbound Reversal movement must have a negative quantity\./);
    await refused(doc('adjustment', [rice(f.ids.wh, 'period_variance', 1_000)]), /Period Variance movement does not belong on an adjustment document/);
    // Only the offending line is named.
    await refused(doc('receipt', [rice(f.ids.wh, 'inbound', 1_000), rice(f.ids.wh, 'sale', -1_000, f.ids.binA)]), /^Line 2: a Sale movement/);
  });

  it('refuses Stock Taking movements outside a count, on any document', async () => {
    await refused(doc('stock_count', [rice(f.ids.wh, 'system_correction', 1_000)]), /Stock Taking movements come only from a completed stock count/);
    await refused(doc('adjustment', [rice(f.ids.wh, 'system_correction', -1_000, f.ids.binA)]), /Stock Taking movement does not belong on an adjustment document/);
    await refused(doc('stock_count', [rice(f.ids.wh, 'system_correction', 1_000)]), /completed stock count/, { fromCount: false });
    // A count completion (the only caller that passes fromCount) may post them.
    const posted = await f.core.post(doc('stock_count', [rice(f.ids.wh, 'system_correction', 1_000)]), f.ids.admin, { fromCount: true });
    expect(posted.movementCount).toBe(1);
    // …and even then only Stock Taking movements.
    await refused(doc('stock_count', [rice(f.ids.wh, 'inbound', 1_000)]), /Inbound movement does not belong on a stock count document/, { fromCount: true });
  });

  it('refuses a free-text document type, an unknown movement type, an empty document, a fractional quantity and a bad time', async () => {
    const untyped = (type: string, lines: unknown[] = [rice(f.ids.wh, 'inbound', 1_000)], extra: object = {}) =>
      ({ idempotencyKey: `free-${type}-${lines.length}`, type, lines, ...extra }) as unknown as PostDocumentInput;
    const message = await refused(untyped('teleport'), /Stockbook has no "teleport" document; stock moves only on a receipt, receipt reversal, despatch/);
    expect(message).not.toMatch(/stock_count|_/); // names the user can read, not codes
    await refused(untyped('Receipt'), /no "Receipt" document/);
    await refused(untyped('receipt', [{ ...rice(f.ids.wh, 'inbound', 1_000), type: 'beam_up' }]), /Line 1: "beam_up" is not a movement type/);
    await refused(untyped('receipt', []), /The document has no lines/);
    await refused(untyped('receipt', [rice(f.ids.wh, 'inbound', 1.5)]), /Line 1: the quantity 1.5 is not a whole number/);
    await refused(untyped('receipt', [rice(f.ids.wh, 'inbound', 1_000)], { occurredAt: 'yesterday' }), /"yesterday" is not a date and time/);
  });

  it('refuses the whole batch in postMany when one document breaks a rule', async () => {
    const good = doc('receipt', [rice(f.ids.wh, 'inbound', 1_000)]);
    const bad = doc('transfer', [rice(f.ids.wh, 'transfer_out', -1_000, f.ids.binA)]);
    const before = await f.counts();
    await expect(f.core.postMany([good, bad], f.ids.admin)).rejects.toThrow(/1 leg out and 0 in/);
    expect(await f.counts()).toEqual(before);
    expect((await f.core.postMany([good], f.ids.admin))[0]!.replayed).toBe(false);
    expect((await f.core.verify()).ok).toBe(true);
  });
});
