import { describe, expect, it } from 'vitest';
import { expectRefusalOf } from '../../test/fixtures/refusal';
import { storePerTest, type StoreUnderTest } from '../../test/fixtures/store-under-test';

/** A kit (Recipe) with a serial-tracked component is sold with the component's serial numbers on the kit line. Both stores. */
let s: StoreUnderTest;
storePerTest((opened) => (s = opened));

let n = 0;
const key = () => `kit-serials-${process.pid}-${++n}`;
const expectRefused = (fn: () => Promise<unknown>, pattern: RegExp, code = 'VALIDATION') => expectRefusalOf(() => s.counts(), fn, code, pattern);

/** KIT-DRILL = 1 serial-tracked product + 120 of the bulk product; the warehouse holds units S1, S2 and S3. */
async function kit(): Promise<number> {
  await s.call('operations.receive', { idempotencyKey: key(), kind: 'stock_receipt', siteId: s.ids.wh, dutyPaid: false, lines: [{ productId: s.ids.serial, qty: 3, serials: ['S1', 'S2', 'S3'], unitCost: 5_000 }] });
  await s.call('operations.receive', { idempotencyKey: key(), kind: 'cash_purchase', siteId: s.ids.wh, dutyPaid: false, lines: [{ productId: s.ids.bulk, qty: 10_000, binId: s.ids.binA, unitCost: 25_000 }] });
  const id = (await s.call('masterdata.productCreate', { sku: 'KIT-DRILL', name: 'Drill kit', unit: 'each', scale: 0, stockType: 'Recipe', tracking: 'BULK', stockKeeping: true, lowStockLevel: null })).id;
  await s.call('recipes.save', { recipeId: id, effectiveFrom: '2000-01-01T00:00:00.000Z', components: [{ productId: s.ids.serial, qtyPerUnit: 1 }, { productId: s.ids.bulk, qtyPerUnit: 120 }] });
  return id;
}
const sell = (productId: number, qty: number, serials?: string[]) =>
  s.call('operations.despatch', { idempotencyKey: key(), kind: 'sale', siteId: s.ids.wh, lines: [{ productId, qty, ...(serials ? { serials } : {}) }] });

describe('a kit with a serial-tracked component', () => {
  it('is sold with the component serial numbers typed on the kit line: those units go out', async () => {
    const id = await kit();
    const d = await sell(id, 2, ['S3', 'S1']);
    const out = await s.rows<{ product_id: number; qty: number; serial: string | null }>(
      'SELECT m.product_id, m.qty, u.serial FROM movements m LEFT JOIN serial_units u ON u.id = m.serial_id WHERE m.document_id = ? ORDER BY m.seq',
      [d.documentId],
    );
    expect(out.filter((m) => m.product_id === s.ids.serial)).toEqual([
      { product_id: s.ids.serial, qty: -1, serial: 'S3' },
      { product_id: s.ids.serial, qty: -1, serial: 'S1' },
    ]);
    expect(out.filter((m) => m.product_id !== s.ids.serial)).toEqual([{ product_id: s.ids.bulk, qty: -240, serial: null }]);
  });

  it('is reviewed as the kit line typed (code, name, quantity) over the movements of its components', async () => {
    const id = await kit();
    const bulkSku = (await s.rows<{ sku: string }>('SELECT sku FROM products WHERE id = ?', [s.ids.bulk]))[0]!.sku;
    const input = {
      idempotencyKey: key(),
      kind: 'sale' as const,
      siteId: s.ids.wh,
      lines: [{ productId: s.ids.bulk, qty: 5 }, { productId: id, qty: 2, serials: ['S3', 'S1'] }],
    };
    const r = await s.call('operations.review', { operation: 'despatch', input });
    expect(r.kits).toEqual([{ where: 'Line 2', sku: 'KIT-DRILL', name: 'Drill kit', unit: 'each', scale: 0, qty: 2, firstLineNo: 2, lastLineNo: 4 }]);
    // Line 1 is the bulk product sold on its own; lines 2..4 the kit's components (240 of the bulk product, two serial units).
    expect(r.movements.map((m) => [m.lineNo, m.sku, m.qty, m.serial])).toEqual([
      [1, bulkSku, -5, null],
      [2, bulkSku, -240, null],
      [3, expect.any(String), -1, 'S3'],
      [4, expect.any(String), -1, 'S1'],
    ]);
    // What the review showed is what posting writes, and a replayed review names no kit it cannot know.
    const posted = await s.call('operations.despatch', input);
    expect(posted.movementCount).toBe(4);
    expect((await s.call('operations.review', { operation: 'despatch', input })).kits).toEqual([]);
  });

  it('records which kit line each component movement of the sale came from, and its refund shows the kit over them: all of it, one kit, part of one', async () => {
    const id = await kit();
    const sale = await s.call('operations.despatch', { idempotencyKey: key(), kind: 'sale', siteId: s.ids.wh, lines: [{ productId: s.ids.bulk, qty: 5 }, { productId: id, qty: 2, serials: ['S3', 'S1'] }] });
    // Beside the movements (not in them): line 2's kit (2) over its three component movements; the bulk line sold alone has none.
    const recorded = await s.rows<{ line_no: number; form_line_no: number; kit_product_id: number; kit_qty: number }>(
      'SELECT m.line_no, k.form_line_no, k.kit_product_id, k.kit_qty FROM movement_kit_lines k JOIN movements m ON m.seq = k.seq WHERE m.document_id = ? ORDER BY m.seq',
      [sale.documentId],
    );
    expect(recorded).toEqual([2, 3, 4].map((line_no) => ({ line_no, form_line_no: 2, kit_product_id: id, kit_qty: 2 })));
    expect((await s.rows<{ n: number }>('SELECT COUNT(*) AS n FROM movements WHERE document_id = ? AND note IS NOT NULL', [sale.documentId]))[0]!.n).toBe(0);
    const sold = (await s.rows<{ seq: number }>('SELECT seq FROM movements WHERE document_id = ? ORDER BY seq', [sale.documentId])).map((m) => m.seq);
    const refund = async (lines?: { seq: number; qty: number }[], returnToStock = true) =>
      (await s.call('operations.review', { operation: 'refund', input: { idempotencyKey: key(), kind: 'sales_credit_note', documentId: sale.documentId!, returnToStock, ...(lines ? { lines } : {}) } })).kits;
    const kitRow = { where: 'Sale line 2', sku: 'KIT-DRILL', name: 'Drill kit', unit: 'each', scale: 0, sold: 2 };
    // All of it: the bulk line, then both kits over their three component lines.
    expect(await refund()).toEqual([{ ...kitRow, qty: 2, firstLineNo: 2, lastLineNo: 4 }]);
    // One kit back (120 of the bulk product and one drill): 1 of the 2 sold.
    const [, bulk, s3, s1] = sold as [number, number, number, number];
    expect(await refund([{ seq: bulk, qty: 120 }, { seq: s3, qty: 1 }])).toEqual([{ ...kitRow, qty: 1, firstLineNo: 1, lastLineNo: 2 }]);
    // One drill alone is not a kit's worth: part of a kit.
    expect(await refund([{ seq: s1, qty: 1 }])).toEqual([{ ...kitRow, qty: null, firstLineNo: 1, lastLineNo: 1 }]);
    // Value only moves no stock: no movement to put a kit over.
    expect(await refund(undefined, false)).toEqual([]);
    // The kit is recorded by its product: renamed since the sale, the refund names it as it is called now.
    await s.call('masterdata.productUpdate', { id, version: 1, sku: 'KIT-DRILL-2', name: 'Cordless drill kit', unit: 'each', scale: 0, stockType: 'Recipe', tracking: 'BULK', stockKeeping: true, lowStockLevel: null, active: true });
    expect(await refund([{ seq: s3, qty: 1 }, { seq: bulk, qty: 120 }])).toEqual([{ ...kitRow, sku: 'KIT-DRILL-2', name: 'Cordless drill kit', qty: 1, firstLineNo: 1, lastLineNo: 2 }]);
    // After one kit is refunded, the other comes back as 1 of the 2 sold.
    await s.call('operations.refund', { idempotencyKey: key(), kind: 'sales_credit_note', documentId: sale.documentId!, returnToStock: true, lines: [{ seq: bulk, qty: 120 }, { seq: s3, qty: 1 }] });
    const rest = await s.call('operations.review', { operation: 'refund', input: { idempotencyKey: key(), kind: 'sales_credit_note', documentId: sale.documentId!, returnToStock: true } });
    expect(rest.movements.map((m) => [m.lineNo, m.qty, m.serial])).toEqual([[1, 5, null], [2, 120, null], [3, 1, 'S1']]);
    expect(rest.kits).toEqual([{ ...kitRow, sku: 'KIT-DRILL-2', name: 'Cordless drill kit', qty: 1, firstLineNo: 2, lastLineNo: 3 }]);
  });

  it('tells two lines of the same kit on one sale apart by their form line; a sale without recorded kit lines refunds as its component lines only', async () => {
    await s.call('operations.receive', { idempotencyKey: key(), kind: 'stock_receipt', siteId: s.ids.wh, dutyPaid: false, lines: [{ productId: s.ids.bulk, qty: 10_000, unitCost: 25_000 }] });
    const recipe = (await s.rows<{ sku: string; name: string; unit: string; scale: number }>('SELECT sku, name, unit, scale FROM products WHERE id = ?', [s.ids.recipe]))[0]!;
    const sellTwice = () => s.call('operations.despatch', { idempotencyKey: key(), kind: 'sale', siteId: s.ids.wh, lines: [{ productId: s.ids.recipe, qty: 1 }, { productId: s.ids.recipe, qty: 2 }] });
    const refundAll = async (documentId: number) =>
      s.call('operations.review', { operation: 'refund', input: { idempotencyKey: key(), kind: 'sale_refund', documentId, returnToStock: true } });
    const sale = await sellTwice();
    const all = await refundAll(sale.documentId!);
    expect(all.movements.map((m) => m.qty)).toEqual([120, 240]);
    expect(all.kits).toEqual([
      { where: 'Sale line 1', ...recipe, qty: 1, sold: 1, firstLineNo: 1, lastLineNo: 1 },
      { where: 'Sale line 2', ...recipe, qty: 2, sold: 2, firstLineNo: 2, lastLineNo: 2 },
    ]);
    // A sale posted before the kit lines were recorded (migration 0050) has none: no kit is guessed over its components.
    const before = await sellTwice();
    await s.exec(`DELETE FROM movement_kit_lines WHERE seq IN (SELECT seq FROM movements WHERE document_id = ${before.documentId!})`);
    const old = await refundAll(before.documentId!);
    expect(old.movements.map((m) => m.qty)).toEqual([120, 240]);
    expect(old.kits).toEqual([]);
    expect((await s.call('operations.refund', { idempotencyKey: key(), kind: 'sale_refund', documentId: before.documentId!, returnToStock: true })).movementCount).toBe(2);
    // A kit sold is named by its sales' kit lines: it never moved itself, and still cannot be deleted (their refunds read it).
    await expectRefused(() => s.call('masterdata.productDelete', { id: s.ids.recipe }), /^RISOTTO is still named on a document, count or draft, so it cannot be deleted\. Deactivate it instead\.$/, 'CONFLICT');
    expect((await sellTwice()).movementCount).toBe(2); // its recipe whole
  });

  it('refuses a missing, unknown or extra serial number naming the component', async () => {
    const id = await kit();
    const sku = (await s.rows<{ sku: string }>('SELECT sku FROM products WHERE id = ?', [s.ids.serial]))[0]!.sku;
    await expectRefused(() => sell(id, 1), new RegExp(`^Line 1 \\(KIT-DRILL\\): ${sku} is serial-tracked; enter one serial number per unit \\(1 unit, 0 serial numbers given\\)`));
    await expectRefused(() => sell(id, 2, ['S1']), new RegExp(`^Line 1 \\(KIT-DRILL\\): ${sku} is serial-tracked; enter one serial number per unit \\(2 units, 1 serial number given\\)`));
    await expectRefused(() => sell(id, 1, ['NOPE-9']), new RegExp(`NOPE-9.*${sku}|${sku}.*NOPE-9`), 'CONFLICT');
    await expectRefused(() => sell(id, 1, ['S1', 'S2']), new RegExp(`^Line 1: serial number S2 is not needed by the components of KIT-DRILL \\(${sku} needs 1\\)`));
  });

  it('refuses serial numbers on a kit with no serial-tracked component', async () => {
    await kit();
    await expectRefused(() => sell(s.ids.recipe, 1, ['S1']), /is a recipe with no serial-tracked component; it takes no serial numbers \(S1\)\. Remove them\.$/);
  });
});
