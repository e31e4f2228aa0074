import ExcelJS from 'exceljs';
import { beforeEach, describe, expect, it } from 'vitest';
import { catalogOn, REFUSED_FOR_PROBLEMS, type CatalogFile } from '../../test/fixtures/catalog-on-store';
import { storePerTest, type StoreUnderTest } from '../../test/fixtures/store-under-test';

/**
 * The sheets added for groups, suppliers, per-site settings, supplier codes and the products' country of origin, on the
 * configured store (SQLite or PostgreSQL, issue 17): previews and import jobs through the contract, plain SQL reads.
 */
let s: StoreUnderTest;
let cat: ReturnType<typeof catalogOn>;
storePerTest((opened) => {
  s = opened;
  cat = catalogOn(s);
});

const TABLES = ['sites', 'bins', 'products', 'product_groups', 'suppliers', 'product_supplier_codes', 'product_sites', 'audit_log'];
const q = <T = Record<string, unknown>>(sql: string, ...args: unknown[]) => s.rows<T>(sql, args);
/** Every row of the tables an import writes (each table's rows in one order, whatever order the store reads them in). */
const snapshot = async () => JSON.stringify(await Promise.all(TABLES.map(async (t) => (await q(`SELECT * FROM ${t}`)).map((r) => JSON.stringify(r)).sort())));
const preview = (input: CatalogFile) => cat.preview(input);
const run = (input: CatalogFile) => cat.run(input);
const csv = (...lines: string[]) => ({ csv: `${lines.join('\n')}\n` });
const counts = async (input: CatalogFile) => (await preview(input)).sheets.map((sheet) => [sheet.sheet, sheet.creates, sheet.updates, sheet.unchanged]);

/** A workbook of several sheets: worksheet name → rows. */
async function xlsx(sheets: Record<string, string[][]>): Promise<CatalogFile> {
  const book = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) book.addWorksheet(name).addRows(rows);
  return { xlsxBase64: Buffer.from(await book.xlsx.writeBuffer()).toString('base64') };
}

/** One problem on the sheet, row and column naming the record; importing writes nothing at all. */
async function expectRefused(input: CatalogFile, sheet: string, row: number, column: string, pattern: RegExp) {
  const p = await preview(input);
  expect(p.problems).toContainEqual({ sheet, row, column, message: expect.stringMatching(pattern) as string });
  const before = await snapshot();
  await expect(run(input)).rejects.toThrow(REFUSED_FOR_PROBLEMS);
  expect(await snapshot()).toEqual(before);
}

const GROUPS = 'Group code,Group name,Post on-costs,Active';
const SUPPLIERS = 'Supplier code,Supplier name,Country,In EC,Email';
const SITES = 'SKU,Site code,Site low-stock level,Default bin code';
const CODES = "Supplier code,SKU,Supplier's product code";

describe('Product groups sheet', () => {
  it('creates, updates, and an unchanged file changes nothing', async () => {
    await run(csv(GROUPS, 'DRY,Dry goods,yes,yes'));
    expect(await q('SELECT code, name, post_on_costs, active FROM product_groups WHERE code = ?', 'DRY')).toEqual([{ code: 'DRY', name: 'Dry goods', post_on_costs: 1, active: 1 }]);
    expect(await counts(csv(GROUPS, 'DRY,Dry goods,yes,yes', 'WINE,Wine,yes,yes'))).toEqual([['groups', 0, 0, 2]]);
    await run(csv(GROUPS, 'DRY,Dry store,no,no'));
    expect(await q('SELECT name, post_on_costs, active FROM product_groups WHERE code = ?', 'DRY')).toEqual([{ name: 'Dry store', post_on_costs: 0, active: 0 }]);
  });

  it('refuses a name another group has, and a bad yes/no, writing nothing', async () => {
    await expectRefused(csv(GROUPS, 'VINO,wine,yes,yes'), 'Product groups', 2, 'Group name', /Product group VINO: group WINE is already called wine/);
    await expectRefused(csv(GROUPS, 'DRY,Dry goods,maybe,yes'), 'Product groups', 2, 'Post on-costs', /Product group DRY: "maybe" is not yes or no/);
  });
});

describe('a CSV row with more values than its header', () => {
  it('is never read: a decimal comma in a comma-separated file would shift the level into the bin column; refused, writing nothing', async () => {
    await expectRefused(csv(SITES, 'SKU-1,WH,2,5,A-01'), 'Product sites', 2, 'row', /^The row has 5 values but the header names 4 columns, so its columns may be shifted: a number with a decimal comma in a comma-separated file/);
  });
});

describe('Suppliers sheet', () => {
  it('creates (in the EC from the country), updates, and an unchanged file changes nothing; each change audited', async () => {
    const audits = (await q('SELECT id FROM audit_log')).length;
    await run(csv(SUPPLIERS, 'ACME,Acme Foods,fr,,jo@acme.example', 'BRIT,Brit Supply,GB,,'));
    expect(await q('SELECT code, country, in_ec AS "inEc", email FROM suppliers ORDER BY code')).toEqual([
      { code: 'ACME', country: 'FR', inEc: 1, email: 'jo@acme.example' },
      { code: 'BRIT', country: 'GB', inEc: 0, email: '' },
    ]);
    expect((await q('SELECT id FROM audit_log')).length).toBe(audits + 3); // one per supplier (Suppliers.saveByCode) and the import's
    expect(await counts(csv(SUPPLIERS, 'ACME,Acme Foods,FR,yes,jo@acme.example', 'BRIT,Brit Supply,GB,no,'))).toEqual([['suppliers', 0, 0, 2]]);
    await run(csv(SUPPLIERS, 'BRIT,Brit Supply,IE,,'));
    expect(await q('SELECT country, in_ec AS "inEc" FROM suppliers WHERE code = ?', 'BRIT')).toEqual([{ country: 'IE', inEc: 1 }]);
  });

  it('refuses an unknown country, a bad email and a duplicate name, writing nothing', async () => {
    await expectRefused(csv(SUPPLIERS, 'ACME,Acme Foods,UK,,'), 'Suppliers', 2, 'Country', /Supplier ACME: UK is not an ISO 3166 country code\. The United Kingdom is GB/);
    await expectRefused(csv(SUPPLIERS, 'ACME,Acme Foods,FR,,not-an-email'), 'Suppliers', 2, 'Email', /Supplier ACME: The email address is not valid/);
    await expectRefused(csv(SUPPLIERS, 'ACME,Acme Foods,FR,,', 'ACME2,acme foods,FR,,'), 'Suppliers', 3, 'Supplier name', /Supplier ACME2: supplier ACME \(row 2\) is already called acme foods/);
  });
});

describe('Products sheet: country of origin and groups of the same file', () => {
  it('stores the country upper-cased, round-trips it, and puts products in a group created by the same workbook', async () => {
    const file = await xlsx({
      'Product groups': [['Group code', 'Group name'], ['DRY', 'Dry goods']],
      Products: [['SKU', 'Name', 'Group', 'Country of origin'], ['PASTA-1', 'Penne', 'dry', 'it'], ['RICE-1KG', 'Arborio rice', 'DRY', '']],
    });
    expect(await counts(file)).toEqual([['groups', 1, 0, 0], ['products', 1, 1, 0]]);
    await run(file);
    expect(await q('SELECT p.sku, p.country_of_origin AS c, g.code FROM products p JOIN product_groups g ON g.id = p.group_id WHERE g.code = ? ORDER BY p.sku', 'DRY')).toEqual([
      { sku: 'PASTA-1', c: 'IT', code: 'DRY' },
      { sku: 'RICE-1KG', c: null, code: 'DRY' },
    ]);
    expect(await counts(file)).toEqual([['groups', 0, 0, 1], ['products', 0, 0, 2]]);
  });

  it('refuses a country that is not an ISO code and an unknown group, writing nothing', async () => {
    await expectRefused(csv('SKU,Name,Country of origin', 'PASTA-1,Penne,Italy'), 'Products', 2, 'Country of origin', /PASTA-1: The country of origin must be a two-letter ISO 3166 country code/);
    await expectRefused(csv('SKU,Name,Group', 'PASTA-1,Penne,DRY'), 'Products', 2, 'Group', /PASTA-1: there is no product group DRY/);
  });
});

describe('Product sites sheet', () => {
  it('creates (level in the product decimals), updates, removes, and an unchanged file changes nothing', async () => {
    // RICE-1KG is in kg with 3 decimals; WH1 has bin A-01.
    await run(csv(SITES, 'RICE-1KG,WH1,2.5,A-01', 'RICE-1KG,BAR,1,'));
    const rice = s.ids.bulk;
    const settings = () => q('SELECT site_id AS "siteId", low_stock_level AS level, default_bin_id AS bin FROM product_sites WHERE product_id = ? ORDER BY site_id', rice);
    expect(await settings()).toEqual([
      { siteId: s.ids.wh, level: 2500, bin: s.ids.binA },
      { siteId: s.ids.shop, level: 1000, bin: null },
    ]);
    expect(await counts(csv(SITES, 'rice-1kg,wh1,2.500,a-01', 'RICE-1KG,BAR,1,'))).toEqual([['productSites', 0, 0, 2]]);
    await run(csv(SITES, 'RICE-1KG,WH1,3,', 'RICE-1KG,BAR,,'));
    expect(await settings()).toEqual([{ siteId: s.ids.wh, level: 3000, bin: null }]);
  });

  it('accepts a product, site and bin created by the same workbook', async () => {
    const file = await xlsx({
      Sites: [['Code', 'Name'], ['KIT', 'Kitchen']],
      Bins: [['Site', 'Code'], ['KIT', 'SHELF']],
      Products: [['SKU', 'Name', 'Unit', 'Decimals'], ['OIL-1L', 'Olive oil', 'l', '3']],
      'Product sites': [['SKU', 'Site code', 'Site low-stock level', 'Default bin code'], ['OIL-1L', 'KIT', '0.75', 'SHELF']],
    });
    await run(file);
    expect(await q('SELECT ps.low_stock_level AS level, b.code FROM product_sites ps JOIN products p ON p.id = ps.product_id JOIN bins b ON b.id = ps.default_bin_id WHERE p.sku = ?', 'OIL-1L')).toEqual([{ level: 750, code: 'SHELF' }]);
    expect((await counts(file)).every(([, c, u]) => c === 0 && u === 0)).toBe(true);
  });

  it('refuses an unknown SKU, the External site, a bin of another site, an inactive bin, a duplicate combination; nothing written', async () => {
    const b = (await s.call('masterdata.bins', { siteId: s.ids.wh })).find((bin) => bin.id === s.ids.binB)!;
    const binB = (await s.call('masterdata.binUpdate', { id: b.id, code: b.code, name: b.name, stockStatus: b.stockStatus, active: false })).code;
    await expectRefused(csv(SITES, 'NOPE,WH1,1,'), 'Product sites', 2, 'SKU', /NOPE at WH1: there is no product NOPE/);
    await expectRefused(csv(SITES, 'RICE-1KG,EXTERNAL,1,'), 'Product sites', 2, 'Site code', /RICE-1KG cannot have a low-stock level or bin at the External site/);
    await expectRefused(csv(SITES, 'RICE-1KG,BAR,1,A-01'), 'Product sites', 2, 'Default bin code', /The default bin of RICE-1KG at Soho Bar is not a bin of Soho Bar/);
    await expectRefused(csv(SITES, `RICE-1KG,WH1,1,${binB}`), 'Product sites', 2, 'Default bin code', new RegExp(`Bin ${binB} at Central Warehouse is inactive, so it cannot be the default bin of RICE-1KG`));
    await expectRefused(csv(SITES, 'RICE-1KG,WH1,1,', 'rice-1kg,wh1,2,'), 'Product sites', 3, 'Site code', /is also on row 2/);
    await expectRefused(csv(SITES, 'RICE-1KG,WH1,1.2345,'), 'Product sites', 2, 'Site low-stock level', /RICE-1KG at WH1: the low-stock level/);
  });
});

describe('Supplier codes sheet', () => {
  beforeEach(async () => {
    await run(csv(SUPPLIERS, 'ACME,Acme Foods,FR,,'));
  });

  it('creates, and an unchanged file changes nothing', async () => {
    await run(csv(CODES, 'ACME,RICE-1KG,A-100', 'acme,RICE-1KG,A-101'));
    expect(await q('SELECT c.supplier_code AS code, p.sku FROM product_supplier_codes c JOIN products p ON p.id = c.product_id ORDER BY code')).toEqual([
      { code: 'A-100', sku: 'RICE-1KG' },
      { code: 'A-101', sku: 'RICE-1KG' },
    ]);
    expect(await counts(csv(CODES, 'ACME,rice-1kg,a-100', 'ACME,RICE-1KG,A-101'))).toEqual([['supplierCodes', 0, 0, 2]]);
  });

  it('accepts a supplier and product created by the same workbook', async () => {
    const file = await xlsx({
      Suppliers: [['Supplier code', 'Supplier name', 'Country'], ['NEWCO', 'New Co', 'DE']],
      Products: [['SKU', 'Name'], ['OIL-1L', 'Olive oil']],
      'Supplier codes': [["Supplier code", 'SKU', "Supplier's product code"], ['NEWCO', 'OIL-1L', 'N-1']],
    });
    expect(await counts(file)).toEqual([['suppliers', 1, 0, 0], ['products', 1, 0, 0], ['supplierCodes', 1, 0, 0]]);
    await run(file);
    expect(await q("SELECT c.supplier_code AS code FROM product_supplier_codes c JOIN suppliers s ON s.id = c.supplier_id WHERE s.code = 'NEWCO'")).toEqual([{ code: 'N-1' }]);
  });

  it('refuses an unknown supplier, an unknown SKU, a code of another product and a duplicate; nothing written', async () => {
    await run(csv(CODES, 'ACME,RICE-1KG,A-100'));
    const lot = (await s.call('masterdata.product', { id: s.ids.lot })).sku;
    await expectRefused(csv(CODES, 'NOBODY,RICE-1KG,X-1'), 'Supplier codes', 2, 'Supplier code', /Supplier code X-1 of NOBODY: there is no supplier NOBODY/);
    await expectRefused(csv(CODES, 'ACME,NOPE,X-1'), 'Supplier codes', 2, 'SKU', /Supplier code X-1 of ACME: there is no product NOPE/);
    await expectRefused(csv(CODES, `ACME,${lot},a-100`), 'Supplier codes', 2, "Supplier's product code", /Acme Foods's code A-100 already belongs to RICE-1KG/);
    await expectRefused(csv(CODES, 'ACME,RICE-1KG,X-1', `ACME,${lot},x-1`), 'Supplier codes', 3, "Supplier's product code", /is also on row 2/);
  });
});

describe('Recipes sheet', () => {
  const RECIPES = 'Recipe SKU,Effective from,Component SKU,Qty per unit';
  /** The fixture's RISOTTO version starts 2000-01-01 (saved through the contract). */
  const FROM = Date.UTC(2000, 0, 1);
  /** RISOTTO's versions: each one's start and its lines as SKU=qty per unit, in component id order. */
  const versions = async () => {
    const rows = await q<{ id: number; effective_from: number; line: string | null }>(
      `SELECT v.id, v.effective_from, p.sku || '=' || c.qty_per_unit AS line FROM recipe_versions v JOIN products r ON r.id = v.recipe_id
       LEFT JOIN recipe_version_components c ON c.version_id = v.id LEFT JOIN products p ON p.id = c.component_id
       WHERE r.sku = 'RISOTTO' ORDER BY v.effective_from, v.id, c.component_id`,
    );
    const out: { effective_from: number; lines: string }[] = [];
    rows.forEach((r, i) => {
      if (i === 0 || rows[i - 1]!.id !== r.id) out.push({ effective_from: r.effective_from, lines: r.line ?? '' });
      else out.at(-1)!.lines += `;${r.line}`;
    });
    return out;
  };

  it('rows of one recipe and date form one version; an unchanged file creates no version; a dated one adds a version', async () => {
    // The fixture's RISOTTO has one version: 120 g of rice.
    expect(await versions()).toEqual([{ effective_from: FROM, lines: 'RICE-1KG=120' }]);
    expect(await counts(csv(RECIPES, 'RISOTTO,,rice-1kg,0.120'))).toEqual([['recipes', 0, 0, 1]]);
    await run(csv(RECIPES, 'RISOTTO,,RICE-1KG,0.25', 'RISOTTO,,CLARET-75,1'));
    const now = (await versions())[1]!.effective_from;
    expect(await versions()).toEqual([
      { effective_from: FROM, lines: 'RICE-1KG=120' },
      { effective_from: now, lines: 'RICE-1KG=250;CLARET-75=1' },
    ]);
    expect(now).toBeGreaterThan(FROM);
    expect(await counts(csv(RECIPES, 'risotto,,CLARET-75,1', 'RISOTTO,,rice-1kg,0.250'))).toEqual([['recipes', 0, 0, 2]]);
    expect(await run(csv(RECIPES, 'RISOTTO,,RICE-1KG,0.25', 'RISOTTO,,CLARET-75,1'))).toMatch(/Nothing to import/);
    await run(csv(RECIPES, 'RISOTTO,2030-01-01,RICE-1KG,0.3'));
    expect(await versions()).toHaveLength(3);
    expect((await versions())[2]).toEqual({ effective_from: Date.UTC(2030, 0, 1), lines: 'RICE-1KG=300' });
    expect(await counts(csv(RECIPES, 'RISOTTO,2030-01-01T00:00:00Z,RICE-1KG,0.3'))).toEqual([['recipes', 0, 0, 1]]);
    await expectRefused(csv(RECIPES, 'RISOTTO,2030-01-01,RICE-1KG,0.4'), 'Recipes', 2, 'Effective from', /RISOTTO already has a recipe version taking effect at (?!2030-)[^.]*2030[^.]*\. Choose/);
  });

  it("a date is the company's day: in New York 2030-01-01 starts at 05:00 UTC, a time without an offset is New York's, and the export writes them back", async () => {
    await s.call('company.update', { name: 'Test Kitchen Ltd', currency: 'GBP', timeZone: 'America/New_York', locale: 'en-GB', fyStartMonth: 1 });
    await run(csv(RECIPES, 'RISOTTO,2030-01-01,RICE-1KG,0.3', 'RISOTTO,2031-06-01 17:30,RICE-1KG,0.4'));
    expect((await versions()).slice(1)).toEqual([
      { effective_from: Date.UTC(2030, 0, 1, 5), lines: 'RICE-1KG=300' },
      { effective_from: Date.UTC(2031, 5, 1, 21, 30), lines: 'RICE-1KG=400' },
    ]);
    const exported = await cat.export(['recipes'], 'csv');
    expect(exported.csv).toContain('RISOTTO,2030-01-01,RICE-1KG,0.300');
    expect(exported.csv).toContain('RISOTTO,2031-06-01 17:30,RICE-1KG,0.400');
    expect(await counts({ csv: exported.csv! })).toEqual([['recipes', 0, 0, 3]]);
  });

  it("a date may be the company's own short date, read only in the company's pattern; a refusal names the formats read", async () => {
    await s.call('company.update', { name: 'Test Kitchen Ltd', currency: 'EUR', timeZone: 'Europe/Berlin', locale: 'de-DE', fyStartMonth: 1 });
    await run(csv(RECIPES, 'RISOTTO,01.12.2030,RICE-1KG,0.3'));
    expect((await versions()).slice(1)).toEqual([{ effective_from: Date.UTC(2030, 10, 30, 23), lines: 'RICE-1KG=300' }]);
    await expectRefused(
      csv(RECIPES, 'RISOTTO,12/01/2031,RICE-1KG,0.4'),
      'Recipes',
      2,
      'Effective from',
      /"12\/01\/2031" is not a date\. Write it as a date 2026-05-31 \(year-month-day; from the start of that day, Europe\/Berlin\), optionally with a time 2026-05-31T14:00 \(that time there\), or as 31\.05\.2026 \(the company's dates, de-DE\); or leave it empty\./,
    );
  });

  it('refuses an unknown component, a product without a recipe, a bad date, a duplicate line and a cycle; nothing written', async () => {
    await run(csv('SKU,Name,Stock type,Stock keeping', 'SAUCE,Sauce,Preparation,yes'));
    await expectRefused(csv(RECIPES, 'RISOTTO,,NOPE,1'), 'Recipes', 2, 'Component SKU', /The recipe of RISOTTO: there is no component product NOPE/);
    await expectRefused(csv(RECIPES, 'RICE-1KG,,CLARET-75,1'), 'Recipes', 2, 'Recipe SKU', /RICE-1KG is a Supplied product; only Recipe, Made and Preparation products have a recipe/);
    await expectRefused(csv(RECIPES, 'RISOTTO,next week,RICE-1KG,1'), 'Recipes', 2, 'Effective from', /The recipe of RISOTTO: "next week" is not a date/);
    await expectRefused(csv(RECIPES, 'RISOTTO,,RICE-1KG,1', 'RISOTTO,,rice-1kg,2'), 'Recipes', 3, 'Component SKU', /is also on row 2/);
    await expectRefused(csv(RECIPES, 'RISOTTO,,SAUCE,1', 'SAUCE,,RISOTTO,1'), 'Recipes', 3, 'Component SKU', /The recipe of SAUCE, line 1: SAUCE contains RISOTTO, RISOTTO contains SAUCE\. A recipe cannot contain itself/);
    expect(await versions()).toEqual([{ effective_from: FROM, lines: 'RICE-1KG=120' }]);
  });

  it("the app's preview (on SQLite a job thread's read-only connection) checks new versions by the save's rules, as the import does, writing nothing", async () => {
    await run(csv('SKU,Name,Stock type,Stock keeping', 'SAUCE,Sauce,Preparation,yes'));
    const appPreview = preview;
    const written = async () => [await versions(), await s.count('recipe_versions'), await s.count('audit_log')];
    const before = JSON.stringify(await written());
    const added = await appPreview(csv(RECIPES, 'RISOTTO,,RICE-1KG,0.25', 'RISOTTO,,CLARET-75,1'));
    expect(added.problems).toEqual([]);
    expect(added.sheets.map((sheet) => [sheet.sheet, sheet.creates, sheet.updates, sheet.unchanged])).toEqual([['recipes', 2, 0, 0]]);
    // Refusals only a trial of the save finds: another version at the same date, and a cycle through a version the same file adds.
    await run(csv(RECIPES, 'RISOTTO,2030-01-01,RICE-1KG,0.3'));
    const beforeRefusals = JSON.stringify(await written());
    const refused = await appPreview(csv(RECIPES, 'RISOTTO,2030-01-01,RICE-1KG,0.4', 'RISOTTO,,SAUCE,1', 'SAUCE,,RISOTTO,1'));
    expect(refused.problems).toEqual([
      { sheet: 'Recipes', row: 2, column: 'Effective from', message: expect.stringMatching(/RISOTTO already has a recipe version taking effect at [^.]*2030/) as string },
      { sheet: 'Recipes', row: 4, column: 'Component SKU', message: expect.stringMatching(/SAUCE contains RISOTTO, RISOTTO contains SAUCE/) as string },
    ]);
    expect(JSON.stringify(await written())).toBe(beforeRefusals);
    expect(before).not.toBe(beforeRefusals);
  });

  const RECIPE_HEADER = RECIPES.split(',');
  const productsSheet = (...rows: string[][]) => [['SKU', 'Name', 'Stock type', 'Active'], ...rows];
  /** Every recipe version of the ledger: recipe SKU → its versions' lines as SKU=qty, in component id order. */
  const allVersions = async () =>
    q<{ recipe: string; lines: string }>(
      `SELECT r.sku AS recipe, v.effective_from AS at, p.sku || '=' || c.qty_per_unit AS lines FROM recipe_versions v JOIN products r ON r.id = v.recipe_id
       JOIN recipe_version_components c ON c.version_id = v.id JOIN products p ON p.id = c.component_id ORDER BY r.sku, v.effective_from, c.component_id`,
    );

  it('the preview tries recipes of products the same file creates: an inactive component, a cycle, a product with no recipe; named as the write names them', async () => {
    const file = await xlsx({
      Products: productsSheet(['DISH-NEW', 'Dish', 'Recipe', 'yes'], ['SAUCE-NEW', 'Sauce', 'Preparation', 'no'], ['PASTE-A', 'Paste A', 'Preparation', 'yes'], ['PASTE-B', 'Paste B', 'Preparation', 'yes'], ['OIL-NEW', 'Oil', 'Supplied', 'yes']),
      Recipes: [RECIPE_HEADER, ['DISH-NEW', '', 'RICE-1KG', '0.2'], ['DISH-NEW', '', 'SAUCE-NEW', '1'], ['PASTE-A', '', 'PASTE-B', '1'], ['PASTE-B', '', 'PASTE-A', '1'], ['OIL-NEW', '', 'RICE-1KG', '1']],
    });
    const p = await preview(file);
    // The messages of saveRecipeVersion's rules, word for word, on the row and column of the line they name.
    expect(p.problems).toEqual([
      { sheet: 'Recipes', row: 3, column: 'Component SKU', message: 'The recipe of DISH-NEW, line 2: SAUCE-NEW is inactive. Reactivate it in Products or pick another component.' },
      {
        sheet: 'Recipes',
        row: 5,
        column: 'Component SKU',
        message: 'The recipe of PASTE-B, line 1: PASTE-B contains PASTE-A, PASTE-A contains PASTE-B. A recipe cannot contain itself through its components; remove PASTE-A or change its recipe.',
      },
      { sheet: 'Recipes', row: 6, column: 'Recipe SKU', message: 'OIL-NEW is a Supplied product; only Recipe, Made and Preparation products have a recipe. Change its stock type in Products first.' },
    ]);
    const before = await snapshot();
    const versionsBefore = await allVersions();
    await expect(run(file)).rejects.toThrow(REFUSED_FOR_PROBLEMS);
    expect(await snapshot()).toEqual(before);
    expect(await allVersions()).toEqual(versionsBefore);
    expect(await q("SELECT id FROM products WHERE sku IN ('DISH-NEW', 'SAUCE-NEW', 'PASTE-A', 'PASTE-B', 'OIL-NEW')")).toEqual([]);
  });

  it("the preview judges a recipe by the file's own changes to products: a product made a Made product takes a recipe, a component the file deactivates is refused", async () => {
    const file = await xlsx({
      Products: productsSheet(['CLARET-75', 'Claret 2019 75cl', 'Made', 'yes'], ['SAUCE-NEW', 'Sauce', 'Preparation', 'yes'], ['DISH-NEW', 'Dish', 'Recipe', 'yes']),
      // DISH-NEW's component SAUCE-NEW is created, and given its own recipe, by the same file: a recipe of recipes.
      Recipes: [RECIPE_HEADER, ['CLARET-75', '', 'RICE-1KG', '0.5'], ['DISH-NEW', '', 'SAUCE-NEW', '2'], ['SAUCE-NEW', '', 'RICE-1KG', '0.25']],
    });
    const p = await preview(file);
    expect(p.problems).toEqual([]);
    expect(p.sheets.map((sheet) => [sheet.sheet, sheet.creates, sheet.updates, sheet.unchanged])).toEqual([
      ['products', 2, 1, 0],
      ['recipes', 3, 0, 0],
    ]);
    await run(file);
    const written = (await allVersions()).filter((v) => v.recipe !== 'RISOTTO').map((v) => `${v.recipe}: ${v.lines}`);
    expect(written).toEqual(['CLARET-75: RICE-1KG=500', 'DISH-NEW: SAUCE-NEW=2', 'SAUCE-NEW: RICE-1KG=250']);

    const deactivates = await xlsx({ Products: productsSheet(['SAUCE-NEW', 'Sauce', 'Preparation', 'no']), Recipes: [RECIPE_HEADER, ['RISOTTO', '', 'SAUCE-NEW', '1']] });
    expect((await preview(deactivates)).problems).toEqual([
      { sheet: 'Recipes', row: 2, column: 'Component SKU', message: 'The recipe of RISOTTO, line 1: SAUCE-NEW is inactive. Reactivate it in Products or pick another component.' },
    ]);
    const before = await snapshot();
    await expect(run(deactivates)).rejects.toThrow(REFUSED_FOR_PROBLEMS);
    expect(await snapshot()).toEqual(before);
  });
});
