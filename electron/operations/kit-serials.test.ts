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
