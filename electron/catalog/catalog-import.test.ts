import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { catalogProductLine, catalogProductsCsv, CATALOG_PRODUCT_HEADER, ean13 } from '../../test/fixtures/catalog-csv';
import { catalogOn, REFUSED_FOR_PROBLEMS, type CatalogFile } from '../../test/fixtures/catalog-on-store';
import { storePerTest, type StoreUnderTest } from '../../test/fixtures/store-under-test';
import { numberSeparators } from '../../shared/quantity';

/** Catalog import on the configured store (SQLite or PostgreSQL, issue 17): previews and import jobs through the contract. */
let s: StoreUnderTest;
let cat: ReturnType<typeof catalogOn>;
let n = 0;
storePerTest((opened) => {
  s = opened;
  cat = catalogOn(s);
});

const TABLES = ['sites', 'bins', 'products', 'product_barcodes', 'audit_log'];
const counts = async () => Promise.all(TABLES.map((t) => s.count(t)));
const preview = (csv: string, extra: Partial<CatalogFile> = {}) => cat.preview({ csv, ...extra });
const run = (input: CatalogFile) => cat.run(input);
const productList = () => s.call('masterdata.products', { search: '', includeInactive: true, limit: 500, offset: 0 });
const product = async (sku: string) =>
  (await s.call('masterdata.products', { search: sku, includeInactive: true, limit: 5, offset: 0 })).rows.find((p) => p.sku.toLowerCase() === sku.toLowerCase());
const receive = (productId: number, qty: number) =>
  s.call('operations.receive', { idempotencyKey: `cat-${process.pid}-${++n}`, kind: 'cash_purchase', siteId: s.ids.wh, dutyPaid: false, lines: [{ productId, qty, binId: s.ids.binA, unitCost: 10_000 }] });
/** Every site but External: code → name. */
const siteNames = async () => Object.fromEntries((await s.call('masterdata.sites', {})).filter((site) => site.kind !== 'external').map((site) => [site.code, site.name]));
/** A workbook of several sheets: worksheet name → rows. */
async function xlsx(sheets: Record<string, string[][]>): Promise<CatalogFile> {
  const book = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) book.addWorksheet(name).addRows(rows);
  return { xlsxBase64: Buffer.from(await book.xlsx.writeBuffer()).toString('base64') };
}
const products = (...lines: string[]) => `${CATALOG_PRODUCT_HEADER}\n${lines.join('\n')}\n`;
/** The fixture's RICE-1KG as a full products row, with changes. */
const rice = (over: Partial<Record<'name' | 'unit' | 'scale' | 'tracking' | 'barcodes' | 'group' | 'low', string>> = {}) =>
  ['RICE-1KG', over.name ?? 'Arborio rice', '', over.barcodes ?? '', over.unit ?? 'kg', over.scale ?? '3', 'Supplied', over.tracking ?? 'BULK', 'yes', over.low ?? '5', 'yes', over.group ?? 'WINE'].join(',');

/** Asserts one problem naming the record, on the sheet, row and column, and that importing writes nothing at all. */
async function expectProblem(csv: string, row: number, column: string, pattern: RegExp, extra: Partial<CatalogFile> = {}) {
  const p = await preview(csv, extra);
  expect(p.problems).toContainEqual({ sheet: expect.any(String) as string, row, column, message: expect.stringMatching(pattern) as string });
  const before = await counts();
  const snapshot = JSON.stringify(await productList());
  await expect(run({ csv, ...extra })).rejects.toThrow(REFUSED_FOR_PROBLEMS);
  expect(await counts()).toEqual(before);
  expect(JSON.stringify(await productList())).toEqual(snapshot);
  return p;
}

describe('reading the file', () => {
  it('reads CSV quoting (commas, doubled quotes, a line break in a cell), a BOM and CRLF', async () => {
    const csv = `\uFEFFSKU,Name,Description\r\nQ-1,"Tomatoes, tinned","He said ""two"",\r\nthen left"\r\n`;
    const p = await preview(csv);
    expect(p.problemCount).toBe(0);
    expect(p.sheets).toMatchObject([{ sheet: 'products', rows: 1, creates: 1 }]);
    await run({ csv });
    expect(await product('Q-1')).toMatchObject({ name: 'Tomatoes, tinned', description: 'He said "two",\r\nthen left' });
  });

  it('reads a semicolon-separated file with decimal commas in a comma locale, and refuses the comma in a point locale', async () => {
    const csv = 'SKU;Name;Unit;Decimals;Low-stock level\nFLOUR;Flour 00;kg;3;"1,5"\n';
    expect((await preview(csv, { locale: 'de-DE' })).problemCount).toBe(0);
    await run({ csv, locale: 'de-DE' });
    expect(await product('FLOUR')).toMatchObject({ unit: 'kg', scale: 3, lowStockLevel: 1500 });
    const p = await preview(csv.replace('FLOUR', 'FLOUR-2'), { locale: 'en-GB' });
    expect(p.problems).toEqual([
      { sheet: 'Products', row: 2, column: 'Low-stock level', message: expect.stringMatching(/FLOUR-2: the low-stock level "1,5" uses a comma as decimal separator; this file is read as 1,234\.56: choose 1\.234,56 under 'Numbers in this file', or write 1\.5/) },
    ]);
    expect(p.locale).toBe('en-GB');
  });

  it("reads the file in the company's locale when the request names none, never in this process's (LC_ALL)", async () => {
    const processDecimal = numberSeparators(new Intl.NumberFormat().resolvedOptions().locale).decimal;
    const company = processDecimal === ',' ? 'en-GB' : 'de-DE';
    const dec = company === 'de-DE' ? ',' : '.';
    await s.call('company.update', { name: 'Test Kitchen Ltd', currency: 'GBP', timeZone: 'Europe/London', locale: company, fyStartMonth: 1 });
    const csv = `SKU;Name;Unit;Decimals;Low-stock level\nFLOUR-C;Flour 00;kg;3;"1${dec}5"\n`;
    // locale: undefined sends none (the fixture's calls name en-GB otherwise)
    expect(await preview(csv, { locale: undefined })).toMatchObject({ locale: company, problemCount: 0 });
    await run({ csv, locale: undefined });
    expect(await product('FLOUR-C')).toMatchObject({ lowStockLevel: 1500 });
  });

  it('matches headers without case or punctuation and by alias, and lists the headers it ignores', async () => {
    const p = await preview('sku;product name;UOM;Colour\nA-1;Apples;kg;red\n');
    expect(p.problemCount).toBe(0);
    expect(p.sheets[0]).toMatchObject({ sheet: 'products', creates: 1, ignoredColumns: ['Colour'] });
  });

  it('refuses a file whose headers fit no sheet, and a products sheet without a SKU column', async () => {
    expect((await preview('Colour,Size\nred,L\n')).problems[0]!.message).toMatch(/header row does not fit a catalog sheet. Products need a SKU column/);
    expect((await preview('Name,Unit\nApples,kg\n', { sheet: 'products' })).problems).toEqual([
      { sheet: 'Products', row: 1, column: 'SKU', message: expect.stringMatching(/The Products sheet has no SKU column/) },
    ]);
  });
});

describe('creating and updating by key', () => {
  it('creates 1,000 products with their barcodes, in one audit entry, and tells open windows', async () => {
    const csv = catalogProductsCsv(1000);
    const p = await preview(csv);
    expect(p).toMatchObject({ problemCount: 0, sheets: [{ sheet: 'products', rows: 1000, creates: 1000, updates: 0, unchanged: 0 }] });
    expect(p.changes).toHaveLength(1000);
    const audits = await s.count('audit_log');
    const products0 = await s.count('products');
    await run({ csv, fileName: 'catalog.csv' });
    expect(await s.count('products')).toBe(products0 + 1000);
    expect(await s.count('product_barcodes')).toBe(2000);
    expect(await product('CAT-000005')).toMatchObject({ name: 'Catalog item 5, loose', unit: 'kg', scale: 3, lowStockLevel: 2500, barcodes: [ean13(10), ean13(11)].sort() });
    expect(await product('CAT-000007')).toMatchObject({ tracking: 'LOT', description: '' });
    expect(await product('CAT-000003')).toMatchObject({ description: 'Said "fresh" on the label' });
    expect(await s.count('audit_log')).toBe(audits + 1);
    const [last] = await s.rows<{ detail: string }>('SELECT detail FROM audit_log ORDER BY id DESC LIMIT 1');
    expect(JSON.parse(last!.detail) as Record<string, unknown>).toMatchObject({ record: 'catalog', label: 'catalog.csv', sheets: [{ sheet: 'products', creates: 1000 }], changesListed: 1000 });
    expect(s.events).toContainEqual({ event: 'stock.changed', payload: { documentId: null, reason: 'catalog' } });
    // Imported again: nothing to do, nothing written.
    expect((await preview(csv)).sheets[0]).toMatchObject({ creates: 0, updates: 0, unchanged: 1000 });
    await expect(run({ csv })).resolves.toMatch(/Nothing to import/);
    expect(await s.count('audit_log')).toBe(audits + 1);
  });

  it('updates by SKU (any case), and a column left out of the file keeps each product its value', async () => {
    const csv = 'sku,name,low-stock level\nrice-1kg,Arborio rice superfino,7.25\n';
    expect((await preview(csv)).sheets[0]).toMatchObject({ creates: 0, updates: 1, unchanged: 0 });
    await run({ csv });
    const [{ g: groupId }] = (await s.rows<{ g: number | null }>("SELECT group_id AS g FROM products WHERE sku = 'rice-1kg'")) as [{ g: number | null }];
    expect(await product('RICE-1KG')).toMatchObject({ sku: 'rice-1kg', name: 'Arborio rice superfino', unit: 'kg', scale: 3, lowStockLevel: 7250 });
    expect(groupId).toBe(s.ids.group);
  });

  it('moves a barcode from one product to another in one file (the first is freed before the second takes it)', async () => {
    await run({ csv: products('X-1,One,,4006381333931,ea,0,Supplied,BULK,yes,,yes,') });
    const csv = products('X-2,Two,,4006381333931,ea,0,Supplied,BULK,yes,,yes,', 'X-1,One,,,ea,0,Supplied,BULK,yes,,yes,');
    expect((await preview(csv)).problemCount).toBe(0);
    await run({ csv });
    expect((await product('X-1'))!.barcodes).toEqual([]);
    expect((await product('X-2'))!.barcodes).toEqual(['4006381333931']);
  });

  it('two sites swapping names: previewed clean, imported, and read back swapped', async () => {
    const csv = 'Code,Name\nWH1,Soho Bar\nBAR,Central Warehouse\n';
    expect((await preview(csv)).sheets[0]).toMatchObject({ sheet: 'sites', updates: 2 });
    await run({ csv });
    expect(await siteNames()).toEqual({ BAR: 'Central Warehouse', WH1: 'Soho Bar' });
  });

  it('three sites rotating names, and a new site taking a name the file frees', async () => {
    await run({ csv: 'Code,Name\nKIT,Kitchen\n' });
    await run({ csv: 'Code,Name\nWH1,Kitchen\nKIT,Soho Bar\nBAR,central warehouse\n' });
    expect(await siteNames()).toEqual({ BAR: 'central warehouse', KIT: 'Soho Bar', WH1: 'Kitchen' });
    // The new site is on the row before the site that gives its name up.
    await run({ csv: 'Code,Name\nNEW,Kitchen\nWH1,Main Warehouse\n' });
    expect(await siteNames()).toEqual({ BAR: 'central warehouse', KIT: 'Soho Bar', NEW: 'Kitchen', WH1: 'Main Warehouse' });
  });

  it('product groups and suppliers swapping names; each supplier audit shows the name it had', async () => {
    await run({ csv: 'Group code,Group name\nBEER,Beer\n' });
    await run({ csv: 'Supplier code,Supplier name,Country\nACME,Acme Foods,GB\nBETA,Beta Wines,FR\n' });
    await run({ csv: 'Group code,Group name\nWINE,Beer\nBEER,Wine\n' });
    expect(await s.rows("SELECT code, name FROM product_groups ORDER BY code")).toEqual([{ code: 'BEER', name: 'Wine' }, { code: 'WINE', name: 'Beer' }]);
    const csv = 'Supplier code,Supplier name,Country\nACME,Beta Wines,GB\nBETA,Acme Foods,FR\n';
    expect((await preview(csv)).problemCount).toBe(0);
    await run({ csv });
    expect(await s.rows("SELECT code, name FROM suppliers ORDER BY code")).toEqual([{ code: 'ACME', name: 'Beta Wines' }, { code: 'BETA', name: 'Acme Foods' }]);
    const audits = await s.rows<{ detail: string }>("SELECT detail FROM audit_log ORDER BY id DESC LIMIT 3");
    const renames = audits.map((a) => JSON.parse(a.detail) as { record: string; before?: { name: string }; after?: { name: string } }).filter((d) => d.record === 'supplier');
    expect(renames.map((d) => [d.before!.name, d.after!.name]).sort()).toEqual([['Acme Foods', 'Beta Wines'], ['Beta Wines', 'Acme Foods']]);
  });

  it('two products swapping barcodes', async () => {
    await run({ csv: products('X-1,One,,4006381333931,ea,0,Supplied,BULK,yes,,yes,', 'X-2,Two,,96385074,ea,0,Supplied,BULK,yes,,yes,') });
    await run({ csv: products('X-1,One,,96385074,ea,0,Supplied,BULK,yes,,yes,', 'X-2,Two,,4006381333931,ea,0,Supplied,BULK,yes,,yes,') });
    expect((await product('X-1'))!.barcodes).toEqual(['96385074']);
    expect((await product('X-2'))!.barcodes).toEqual(['4006381333931']);
  });

  it('creates a site and its bins from one workbook-like pair of files, the bins referring to the new site', async () => {
    await run({ csv: 'Code,Name,Kind,Allow negative stock,Active\nKIT,Main kitchen,kitchen,no,yes\n' });
    await run({ csv: 'Site,Code,Name,Stock status,Active\nKIT,PASS,,sellable,yes\nkit,HOLD,Quarantine shelf,quarantine,yes\n' });
    const kit = (await s.call('masterdata.sites', {})).find((site) => site.code === 'KIT')!;
    expect(kit).toMatchObject({ name: 'Main kitchen', kind: 'kitchen', binCount: 2 });
    expect((await s.call('masterdata.bins', { siteId: kit.id })).map((b) => [b.code, b.name, b.stockStatus])).toEqual([['HOLD', 'Quarantine shelf', 'quarantine'], ['PASS', 'PASS', 'sellable']]);
  });
});

describe('row problems: each names the record and the field, and nothing is written', () => {
  it('an error on row 999 of 1,000 writes nothing', async () => {
    const lines = catalogProductsCsv(1000).trimEnd().split('\r\n');
    lines[999] = lines[999]!.replace(/\d{13}\|/, '4006381333932|');
    const p = await expectProblem(`${lines.join('\n')}\n`, 1000, 'Barcodes', /Barcode 4006381333932 of CAT-000999 is not a valid EAN-13: its check digit should be 1, not 2/);
    expect(p.problemCount).toBe(1);
    expect(p.sheets[0]).toMatchObject({ creates: 999 });
  });

  it('a recipe of products the same file creates is tried in the preview, refused in the words its save would use, and nothing is written', async () => {
    // The preview writes the file's products and tries the recipe in a transaction it rolls back, as the import writes them.
    const file = await xlsx({
      Products: [CATALOG_PRODUCT_HEADER.split(','), ['DISH-NEW', 'Dish', '', '', 'ea', '0', 'Recipe', 'BULK', 'no', '', 'yes', ''], ['SAUCE-NEW', 'Sauce', '', '', 'kg', '3', 'Supplied', 'BULK', 'yes', '', 'no', '']],
      Recipes: [['Recipe SKU', 'Effective from', 'Component SKU', 'Qty per unit'], ['DISH-NEW', '', 'SAUCE-NEW', '0.2']],
    });
    expect((await cat.preview(file)).problems).toEqual([
      { sheet: 'Recipes', row: 2, column: 'Component SKU', message: 'The recipe of DISH-NEW, line 1: SAUCE-NEW is inactive. Reactivate it in Products or pick another component.' },
    ]);
    const before = await counts();
    const list = JSON.stringify(await productList());
    await expect(run(file)).rejects.toThrow(/^1 problem in the file \(first: Recipes row 2, Component SKU: The recipe of DISH-NEW, line 1: SAUCE-NEW is inactive\. Reactivate it in Products or pick another component\.\); nothing was imported\./);
    expect(await counts()).toEqual(before);
    expect(JSON.stringify(await productList())).toEqual(list);
    expect(await product('DISH-NEW')).toBeUndefined();
  });

  it('a SKU twice in the file', async () => {
    await expectProblem(products(catalogProductLine(1), catalogProductLine(2), catalogProductLine(1).replace('Catalog item 1', 'Again')), 4, 'SKU', /SKU CAT-000001 is also on row 2/);
  });

  it('a barcode on two rows, and a barcode another product holds', async () => {
    await expectProblem(products('B-1,One,,4006381333931,ea,0,Supplied,BULK,yes,,yes,', 'B-2,Two,,04006381333931,ea,0,Supplied,BULK,yes,,yes,'), 3, 'Barcodes', /B-2: barcode 04006381333931 \(the same GTIN as 4006381333931\) is also given to B-1 on row 2/);
    await run({ csv: products('B-1,One,,4006381333931,ea,0,Supplied,BULK,yes,,yes,') });
    await expectProblem(products('B-3,Three,,4006381333931,ea,0,Supplied,BULK,yes,,yes,'), 2, 'Barcodes', /B-3: barcode 4006381333931 already belongs to B-1/);
  });

  it('an unknown group', async () => {
    await expectProblem(products(rice({ group: 'BEER' })), 2, 'Group', /RICE-1KG: there is no product group BEER. Use one of WINE/);
  });

  it('a unit or decimals change on a used product, tracking change while it holds stock', async () => {
    await receive(s.ids.bulk, 2500);
    await expectProblem(products(rice({ unit: 'g' })), 2, 'Unit', /RICE-1KG already has movements in kg, so its unit cannot change/);
    await expectProblem(products(rice({ scale: '2', low: '5' })), 2, 'Decimals', /RICE-1KG already has movements recorded with 3 decimals/);
    await expectProblem(products(rice({ tracking: 'LOT' })), 2, 'Tracking', /RICE-1KG holds stock tracked as BULK, so its tracking cannot change to LOT/);
  });

  it('the form rules: a name is required, serials are whole units, choices and yes/no are checked', async () => {
    await expectProblem(products('N-1,,,,ea,0,Supplied,BULK,yes,,yes,'), 2, 'Name', /N-1: The product name is required/);
    await expectProblem(products('N-2,Serial thing,,,ea,2,Supplied,SERIAL,yes,,yes,'), 2, 'Decimals', /N-2 is tracked by serial number, so it is counted in whole units/);
    await expectProblem(products('N-3,Thing,,,ea,0,Bought,BULK,yes,,yes,'), 2, 'Stock type', /N-3: the stock type "Bought" is not one of Supplied, Preparation, Made, Recipe, Other/);
    await expectProblem(products('N-4,Thing,,,ea,0,Supplied,BULK,perhaps,,yes,'), 2, 'Stock keeping', /N-4: stock keeping "perhaps" is not yes or no/);
    await expectProblem(products('N 5,Thing,,,ea,0,Supplied,BULK,yes,,yes,'), 2, 'SKU', /N 5: The SKU must not contain spaces/);
    await expectProblem(products('N-6,Thing,,,ea,0,Supplied,BULK,yes,1.5,yes,'), 2, 'Low-stock level', /N-6: the low-stock level "1.5" must be a whole number/);
  });

  it('sites and bins: the External site, deactivating a site or bin with stock, a bin at an unknown site, a taken site name', async () => {
    await receive(s.ids.bulk, 2500);
    await expectProblem('Code,Name\nEXTERNAL,Outside\n', 2, 'Code', /EXTERNAL is the External site/);
    await expectProblem('Code,Name,Active\nWH1,Central Warehouse,no\n', 2, 'Active', /Site Central Warehouse still holds stock in 1 place/);
    await expectProblem('Site,Code,Active\nWH1,A-01,no\n', 2, 'Active', /Bin A-01 at Central Warehouse still holds stock in 1 line/);
    await expectProblem('Site,Code\nNOPE,A-01\n', 2, 'Site', /Bin A-01 at NOPE: there is no site NOPE/);
    await expectProblem('Code,Name\nNEW,Soho Bar\n', 2, 'Name', /Site NEW: site BAR is already called Soho Bar/);
    await expectProblem('Code,Name\nKIT,Kitchen\nWH1,Soho Bar\n', 3, 'Name', /Site WH1: site BAR is already called Soho Bar\. Choose a different name/);
  });

  it('a sheet the user may not change is a problem on its header row, and the import refuses it', async () => {
    const csv = 'Code,Name\nKIT,Kitchen\n';
    const p = await catalogOn(s, ['read:stock', 'manage:products']).preview({ csv });
    expect(p.problems).toEqual([{ sheet: 'Sites', row: 1, column: '', message: expect.stringMatching(/^You may not create or change sites: that needs the “Manage sites and bins” permission\. Ask an administrator for it \(Settings → Users\)\. Or remove the Sites sheet\.$/) }]);
    const before = await counts();
    await expect(catalogOn(s, ['read:stock']).run({ csv })).rejects.toThrow(/You may not create or change sites.*nothing was imported/);
    expect(await counts()).toEqual(before);
  });
});

describe('the import job', () => {
  it('runs in the background with progress, writes, resets the writer and tells open windows', async () => {
    const done = await cat.finished(await cat.start({ csv: catalogProductsCsv(12_000) }));
    expect(done).toMatchObject({ ok: true, message: expect.stringMatching(/products 12,000 created, 0 updated, 0 unchanged/) as string });
    const phases = s.events.filter((e) => e.event === 'job.progress').map((e) => (e.payload as { phase: string }).phase);
    expect(phases).toContain('checking');
    expect(phases.at(-1)).toBe('done');
    expect(s.events).toContainEqual({ event: 'stock.changed', payload: { documentId: null, reason: 'catalog' } });
    const last = await product('CAT-012000');
    expect(last).toBeDefined();
    await receive(last!.id, 3);
   }, 300_000); // 12,000 products: minutes on a loaded machine (no timing is asserted)

  it('imports 6,000 suppliers and 6,000 of their product codes in one job (PostgreSQL: 18,000 supplier keys locked in one transaction fit the lock table)', async () => {
    const count = 6_000;
    const names = Array.from({ length: count }, (_, i) => `S${String(i).padStart(5, '0')},Supplier ${i},FR`);
    const suppliers = `Supplier code,Supplier name,Country\n${names.join('\n')}\n`;
    expect(await cat.finished(await cat.start({ csv: suppliers }))).toMatchObject({ ok: true, message: expect.stringMatching(/suppliers 6,000 created/) as string });
    const codes = Array.from({ length: count }, (_, i) => `S${String(i).padStart(5, '0')},RICE-1KG,C-${i}`);
    const done = await cat.finished(await cat.start({ csv: `Supplier code,SKU,Supplier's product code\n${codes.join('\n')}\n` }));
    expect(done).toMatchObject({ ok: true, message: expect.stringMatching(/supplier codes 6,000 created/i) as string });
    expect(await s.count('product_supplier_codes')).toBe(count);
  }, 300_000); // thousands of rows: minutes on a loaded machine (no timing is asserted)

  it('cancelled at once (while its file is read) writes nothing', async () => {
    const before = await counts();
    const jobId = await cat.start({ csv: catalogProductsCsv(20_000) });
    expect(await s.call('jobs.cancel', { jobId })).toEqual({ cancelled: true });
    expect(await cat.finished(jobId)).toMatchObject({ ok: false, cancelled: true, message: expect.stringMatching(/cancelled.*nothing was written/) as string });
    expect(await counts()).toEqual(before);
  });
});
