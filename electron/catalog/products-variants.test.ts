import { describe, expect, it } from 'vitest';
import { CATALOG_SHEETS } from '../../shared/catalog';
import { catalogOn, REFUSED_FOR_PROBLEMS } from '../../test/fixtures/catalog-on-store';
import { storePerTest, type StoreUnderTest } from '../../test/fixtures/store-under-test';

/** Variants in the catalog's products sheet, on the configured store (SQLite or PostgreSQL, issue 17), through the contract. */
let s: StoreUnderTest;
let cat: ReturnType<typeof catalogOn>;
storePerTest((opened) => {
  s = opened;
  cat = catalogOn(s);
});

const HEADER = 'SKU,Name,Stock keeping,Variant attributes,Parent SKU,Variant values';
const file = (...lines: string[]) => `${HEADER}\n${lines.join('\n')}\n`;
const preview = (csv: string) => cat.preview({ csv });
const run = (csv: string) => cat.run({ csv });
const stored = () => s.rows(`SELECT p.sku, p.stock_keeping AS kept, p.variant_axes AS axes, q.sku AS parent, p.variant_attributes AS vals FROM products p LEFT JOIN products q ON q.id = p.parent_id ORDER BY p.id`);
const variantsOf = async (sku: string) =>
  (await s.rows<{ sku: string; vals: string }>(`SELECT p.sku, p.variant_attributes AS vals FROM products p JOIN products q ON q.id = p.parent_id WHERE q.sku = ? ORDER BY p.id`, [sku])).map(
    (r) => [r.sku, JSON.parse(r.vals) as Record<string, string>],
  );
const productNamed = async (sku: string) => (await s.call('masterdata.products', { search: sku, includeInactive: true, limit: 5, offset: 0 })).rows.find((r) => r.sku === sku)!;

/** A parent with two attributes and four variants, the parent on the first row. */
const TEES = file(
  'TEE,T-shirt,no,"Size=S|M; Colour=Red|Blue",,',
  'TEE-S-RED,T-shirt S red,yes,,TEE,"Size=S; Colour=Red"',
  'TEE-S-BLUE,T-shirt S blue,yes,,TEE,"Size=S; Colour=blue"',
  'TEE-M-RED,T-shirt M red,yes,,tee,"Colour=Red; Size=M"',
  'TEE-M-BLUE,T-shirt M blue,yes,,TEE,"Size=M; Colour=Blue"',
);

/** Asserts the one problem on the Products sheet, its row, column and a message naming the record; importing writes nothing. */
async function expectRefused(csv: string, row: number, column: string, pattern: RegExp) {
  const p = await preview(csv);
  expect(p.problems).toEqual([{ sheet: 'Products', row, column, message: expect.stringMatching(pattern) as string }]);
  const before = JSON.stringify(await stored());
  await expect(run(csv)).rejects.toThrow(REFUSED_FOR_PROBLEMS);
  expect(JSON.stringify(await stored())).toBe(before);
}

describe('variants in the products sheet', () => {
  it('creates a parent and its four variants from one file, values in the parent spelling', async () => {
    const p = await preview(TEES);
    expect(p.problems).toEqual([]);
    expect(p.sheets[0]).toMatchObject({ sheet: 'products', creates: 5, updates: 0 });
    await run(TEES);
    expect(await stored()).toContainEqual({ sku: 'TEE', kept: 0, axes: JSON.stringify([{ name: 'Size', values: ['S', 'M'] }, { name: 'Colour', values: ['Red', 'Blue'] }]), parent: null, vals: '{}' });
    expect(await variantsOf('TEE')).toEqual([
      ['TEE-S-RED', { Size: 'S', Colour: 'Red' }],
      ['TEE-S-BLUE', { Size: 'S', Colour: 'Blue' }],
      ['TEE-M-RED', { Size: 'M', Colour: 'Red' }],
      ['TEE-M-BLUE', { Size: 'M', Colour: 'Blue' }],
    ]);
    expect((await productNamed('TEE-M-RED')).variantLabel).toBe('M / Red');
  });

  it('updates a parent (a new value) and a variant (its values) from a file, and a later file with the same rows changes nothing', async () => {
    await run(TEES);
    const change = file('TEE,T-shirt,no,"Size=S|M|L; Colour=Red|Blue",,', 'TEE-M-BLUE,T-shirt L blue,yes,,TEE,"Size=L; Colour=Blue"', 'TEE-L-RED,T-shirt L red,yes,,TEE,"Size=L; Colour=Red"');
    expect((await preview(change)).sheets[0]).toMatchObject({ creates: 1, updates: 2, unchanged: 0 });
    await run(change);
    expect(await variantsOf('TEE')).toContainEqual(['TEE-M-BLUE', { Size: 'L', Colour: 'Blue' }]);
    expect(await variantsOf('TEE')).toContainEqual(['TEE-L-RED', { Size: 'L', Colour: 'Red' }]);
    expect((await preview(change)).sheets[0]).toMatchObject({ creates: 0, updates: 0, unchanged: 3 });
  });

  it('exports the columns; CSV and XLSX import back as 0 creates, 0 updates', async () => {
    await run(TEES);
    const csv = (await cat.export(['products'], 'csv')).csv!;
    expect(csv.split('\r\n')[0]).toContain(',Variant attributes,Parent SKU,Variant values');
    expect(csv).toContain('TEE,T-shirt,,,ea,0,Supplied,BULK,no,,yes,,,Size=S|M; Colour=Red|Blue,,\r\n');
    expect(csv).toContain(',,TEE,Size=M; Colour=Red\r\n');
    const fromCsv = await preview(csv);
    expect(fromCsv.problems).toEqual([]);
    expect(fromCsv.sheets[0]).toMatchObject({ creates: 0, updates: 0 });
    const de = (await cat.export(['products'], 'csv', 'de-DE')).csv!;
    const fromDe = await cat.preview({ csv: de, locale: 'de-DE' });
    expect(fromDe.problems).toEqual([]);
    expect(fromDe.sheets[0]).toMatchObject({ creates: 0, updates: 0 });
    const xlsx = (await cat.export([...CATALOG_SHEETS], 'xlsx')).xlsxBase64!;
    const fromXlsx = await cat.preview({ xlsxBase64: xlsx });
    expect(fromXlsx.problems).toEqual([]);
    for (const sheet of fromXlsx.sheets) expect(sheet).toMatchObject({ creates: 0, updates: 0 });
  });
});

describe('variant refusals name the sheet, row, record and column and write nothing', () => {
  it('a parent that keeps stock', async () => {
    await expectRefused(file('TEE,T-shirt,yes,Size=S|M,,'), 2, 'Stock keeping', /TEE has variant attributes.*switch stock keeping off/);
  });

  it('attributes written without "=", and an attribute listed twice', async () => {
    await expectRefused(file('TEE,T-shirt,no,Size S M,,'), 2, 'Variant attributes', /TEE: the variant attributes: "Size S M" is not written as/);
    await expectRefused(file('TEE,T-shirt,no,"Size=S; size=M",,'), 2, 'Variant attributes', /TEE lists the attribute size twice/);
  });

  it('a value that is not among the parent values, and a missing value', async () => {
    await expectRefused(file('TEE,T-shirt,no,"Size=S|M; Colour=Red",,', 'TEE-XL,XL,yes,,TEE,"Size=XL; Colour=Red"'), 3, 'Variant values', /Size XL of TEE-XL is not one of the values of TEE \(S, M\)/);
    await expectRefused(file('TEE,T-shirt,no,"Size=S|M; Colour=Red",,', 'TEE-S,S,yes,,TEE,Size=S'), 3, 'Variant values', /TEE-S needs a value for Colour/);
  });

  it('two variants with the same combination, in the file and against a stored variant', async () => {
    await expectRefused(file('TEE,T-shirt,no,Size=S|M,,', 'TEE-S,S,yes,,TEE,Size=S', 'TEE-S2,S again,yes,,TEE,Size=s'), 4, 'Variant values', /TEE-S is already the S variant of TEE, so TEE-S2 cannot be too/);
    await run(TEES);
    await expectRefused(file('TEE-RED,Red,yes,,TEE,"Size=S; Colour=Red"'), 2, 'Variant values', /TEE-S-RED is already the S \/ Red variant of TEE, so TEE-RED cannot be too/);
  });

  it('nesting: a variant as a parent, and a variant with attributes of its own', async () => {
    await run(TEES);
    await expectRefused(file('TEE-S-RED-X,Nested,yes,,TEE-S-RED,Size=S'), 2, 'Parent SKU', /TEE-S-RED has no variant attributes, so TEE-S-RED-X cannot be its variant/);
    await expectRefused(file('TEE-NEW,New,no,Fit=Slim,TEE,"Size=S; Colour=Red"'), 2, 'Variant attributes', /TEE-NEW is a variant of another product, so it cannot have variants of its own/);
  });

  it('a parent that is not in the database nor on an earlier row', async () => {
    await expectRefused(file('TEE-S,S,yes,,TEE,Size=S', 'TEE,T-shirt,no,Size=S|M,,'), 2, 'Parent SKU', /TEE-S: there is no product TEE to be its variant parent/);
  });

  it('a variant cannot change parent, nor leave it', async () => {
    await run(TEES);
    await run(file('POLO,Polo,no,"Size=S|M; Colour=Red|Blue",,'));
    await expectRefused(file('TEE-S-RED,T-shirt S red,yes,,POLO,"Size=S; Colour=Red"'), 2, 'Parent SKU', /TEE-S-RED cannot move away from its variant parent/);
    await expectRefused(file('TEE-S-RED,T-shirt S red,yes,,,'), 2, 'Parent SKU', /TEE-S-RED cannot move away from its variant parent/);
    await expectRefused(file('RICE-1KG,Arborio rice,yes,,TEE,"Size=S; Colour=Red"'), 2, 'Parent SKU', /RICE-1KG cannot move under a variant parent/);
  });

  it('a product that already moved cannot become a parent', async () => {
    const rice = await productNamed('RICE-1KG');
    await s.call('operations.receive', { idempotencyKey: `variant-parent-receipt-${process.pid}`, kind: 'cash_purchase', siteId: s.ids.wh, dutyPaid: false, lines: [{ productId: rice.id, qty: 1000, binId: s.ids.binA, unitCost: 10_000 }] });
    await expectRefused(file('RICE-1KG,Arborio rice,no,Pack=1kg|5kg,,'), 2, 'Variant attributes', /RICE-1KG already has movements, so it cannot become a variant parent/);
  });

  it('a parent edit cannot orphan a variant value, nor drop its attributes', async () => {
    await run(TEES);
    await expectRefused(file('TEE,T-shirt,no,"Size=S; Colour=Red|Blue",,'), 2, 'Variant attributes', /Variant TEE-M-RED of TEE is M \/ Red, which these attributes no longer allow/);
    await expectRefused(file('TEE,T-shirt,no,,,'), 2, 'Variant attributes', /TEE has 4 variants, so it keeps its attributes/);
  });

  it('variant values without a parent', async () => {
    await expectRefused(file('LOOSE,Loose,yes,,,Size=S'), 2, 'Variant values', /LOOSE: variant values need the variant parent's SKU/);
  });
});
