import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import ExcelJS from 'exceljs';
import { E2E_TOKEN } from '../../playwright.config';
import { machineDefaults } from '../../electron/company/company-rules';
import { formatDate } from '../../shared/company-format';
import { catalogProductLine, catalogProductsCsv, CATALOG_PRODUCT_HEADER } from '../fixtures/catalog-csv';

test.describe.configure({ mode: 'serial' });

test('from an empty database: a site by form, then 1,000 products imported from a CSV through the Catalog window', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const dir = mkdtempSync(join(tmpdir(), 'stockbook-catalog-e2e-'));
  await page.goto(`/#token=${E2E_TOKEN}`);
  await expect(page.getByTestId('stock-empty-state')).toBeVisible({ timeout: 30_000 });

  // A site through the Sites & bins window.
  await page.getByTestId('nav-sites').click();
  await page.getByTestId('site-new').click();
  await page.getByTestId('site-code').fill('MAIN');
  await page.getByTestId('site-name').fill('Main store');
  await page.getByTestId('site-name').press('Enter');
  await expect(page.getByTestId('site-row-MAIN')).toBeVisible();

  // A file with a problem: previewed with the row, the column and the record named; Import stays off.
  await page.getByTestId('nav-catalog').click();
  await expect(page.getByRole('heading', { name: 'Import products, groups, suppliers, sites and bins' })).toBeVisible();
  await expect(page.getByTestId('catalog-sheet-help')).toContainText('Product sites: SKU, Site code, Site low-stock level, Default bin code');
  // The allowed values of enumerated columns are listed, from the lists the importer checks against.
  await expect(page.getByTestId('catalog-choices-products')).toContainText('Stock type Supplied, Preparation, Made, Recipe, Other (empty: Supplied) · Tracking BULK, LOT, SERIAL, RFID (empty: BULK)');
  await expect(page.getByTestId('catalog-choices-sites')).toContainText('Kind warehouse, shop, kitchen, other (empty: warehouse)');
  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, `${CATALOG_PRODUCT_HEADER}\n${catalogProductLine(1, 'E2E')}\n${catalogProductLine(2, 'E2E')}\n${catalogProductLine(1, 'E2E')}\n`);
  await page.getByTestId('catalog-file').setInputFiles(bad);
  // The first preview also starts the job thread that checks files: on a busy PC that alone can take seconds.
  await expect(page.getByTestId('catalog-problem').first()).toContainText('SKU E2E-000001 is also on row 2', { timeout: 30_000 });
  await expect(page.getByTestId('catalog-problem').first()).toContainText('4');
  await expect(page.getByTestId('catalog-import')).toBeDisabled();
  // The problems table is brought into view (it sat below the fold, under the help).
  await expect(page.getByTestId('catalog-preview-grid')).toBeInViewport();
  await page.screenshot({ path: 'test-results/catalog-problems.png' });

  // 1,000 products with barcodes: the preview says 1,000 creates, then the import job writes them all.
  const good = join(dir, 'products.csv');
  writeFileSync(good, catalogProductsCsv(1000, 'E2E'));
  await page.getByTestId('catalog-file').setInputFiles(good);
  await expect(page.getByTestId('catalog-summary-products')).toContainText('1,000 rows · 1,000 to create · 0 to update · 0 unchanged', { timeout: 60_000 });
  await expect(page.getByTestId('catalog-change').first()).toContainText('E2E-000001');
  await expect(page.getByTestId('catalog-problem')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/catalog-preview.png' });
  await page.getByTestId('catalog-import').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('catalog-job')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await expect(page.getByTestId('catalog-job-message')).toContainText('products 1,000 created, 0 updated, 0 unchanged');
  await expect(page.getByTestId('catalog-import')).toBeDisabled();
  await expect(page.getByTestId('catalog-change').first()).toContainText('Created');
  // The summary is read again after the import: no longer "1,000 to create".
  await expect(page.getByTestId('catalog-summary-after')).toBeVisible();
  await expect(page.getByTestId('catalog-summary-products')).toContainText('1,000 rows · 0 to create · 0 to update · 1,000 unchanged', { timeout: 30_000 });
  await page.screenshot({ path: 'test-results/catalog-imported.png' });

  // The export downloads a file that previews as nothing to import.
  const download = page.waitForEvent('download');
  await page.getByTestId('catalog-export-csv').click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^products-\d{4}-\d{2}-\d{2}\.csv$/);
  const exported = join(dir, 'exported.csv');
  await file.saveAs(exported);
  expect(readFileSync(exported, 'utf8')).toContain('E2E-000005,"Catalog item 5, loose",,');
  await page.getByTestId('catalog-file').setInputFiles(exported);
  await expect(page.getByTestId('catalog-summary-products')).toContainText('1,000 rows · 0 to create · 0 to update · 1,000 unchanged', { timeout: 30_000 });
  await expect(page.getByTestId('catalog-summary')).toContainText('nothing to import');

  // The Products window lists them.
  await page.getByTestId('nav-products').click();
  await expect(page.getByTestId('product-row-E2E-000001')).toBeVisible();
  await page.getByTestId('products-search').fill('E2E-000777');
  await expect(page.getByTestId('product-row-E2E-000777')).toContainText('Catalog item 777');
  await expect(page.getByTestId('products-table').locator('tbody tr')).toHaveCount(1);
  await page.getByTestId('products-search').fill('');
  await expect(page.getByTestId('products-count')).toHaveText('1,000 products');
  await page.screenshot({ path: 'test-results/catalog-products.png' });

  // From the Products window, a workbook of a new group, a supplier, products in that group and a per-site setting.
  await page.getByTestId('products-import-export').click();
  await expect(page.getByTestId('catalog-page')).toBeVisible();
  const book = new ExcelJS.Workbook();
  book.addWorksheet('Product groups').addRows([['Group code', 'Group name', 'Post on-costs'], ['DRY', 'Dry goods', 'yes']]);
  book.addWorksheet('Suppliers').addRows([['Supplier code', 'Supplier name', 'Country'], ['ACME', 'Acme Foods', 'FR']]);
  book.addWorksheet('Products').addRows([['SKU', 'Name', 'Group', 'Country of origin'], ['PASTA-1', 'Penne', 'DRY', 'IT']]);
  book.addWorksheet('Product sites').addRows([['SKU', 'Site code', 'Site low-stock level'], ['PASTA-1', 'MAIN', '4']]);
  book.addWorksheet('Supplier codes').addRows([['Supplier code', 'SKU', "Supplier's product code"], ['ACME', 'PASTA-1', 'P-77']]);
  const workbook = join(dir, 'groups.xlsx');
  writeFileSync(workbook, Buffer.from(await book.xlsx.writeBuffer()));
  await page.getByTestId('catalog-file').setInputFiles(workbook);
  await expect(page.getByTestId('catalog-summary-groups')).toContainText('1 row · 1 to create', { timeout: 30_000 });
  await expect(page.getByTestId('catalog-summary-productSites')).toContainText('1 to create');
  await expect(page.getByTestId('catalog-problem')).toHaveCount(0);
  await page.getByTestId('catalog-import').click();
  await expect(page.getByTestId('catalog-job')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await expect(page.getByTestId('catalog-job-message')).toContainText('product groups 1 created');
  await page.getByTestId('catalog-preview').click();
  await expect(page.getByTestId('catalog-summary')).toContainText('nothing to import', { timeout: 30_000 });
  await page.screenshot({ path: 'test-results/catalog-workbook.png' });

  // A recipe, then a file adding a version to it: the preview (a job thread's read-only connection) checks the version
  // by the save's rules on the writer, and says what the import would do.
  const recipe = new ExcelJS.Workbook();
  recipe.addWorksheet('Products').addRows([['SKU', 'Name', 'Stock type'], ['SAUCE-1', 'Pasta sauce', 'Preparation']]);
  recipe.addWorksheet('Recipes').addRows([['Recipe SKU', 'Effective from', 'Component SKU', 'Qty per unit'], ['SAUCE-1', '', 'PASTA-1', '1']]);
  const recipeBook = join(dir, 'recipe.xlsx');
  writeFileSync(recipeBook, Buffer.from(await recipe.xlsx.writeBuffer()));
  await page.getByTestId('catalog-file').setInputFiles(recipeBook);
  await expect(page.getByTestId('catalog-summary-recipes')).toContainText('1 row · 1 to create', { timeout: 30_000 });
  await page.getByTestId('catalog-import').click();
  await expect(page.getByTestId('catalog-job')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  const version = join(dir, 'recipe-version.csv');
  writeFileSync(version, 'Recipe SKU,Effective from,Component SKU,Qty per unit\nSAUCE-1,2030-01-01,PASTA-1,2\n');
  await page.getByTestId('catalog-file').setInputFiles(version);
  await expect(page.getByTestId('catalog-summary-recipes')).toContainText('1 row · 1 to create', { timeout: 30_000 });
  await expect(page.getByTestId('catalog-problem')).toHaveCount(0);
  await expect(page.getByTestId('catalog-import')).toBeEnabled();

  // The help and a refused date name the formats read: ISO, and the company's own short date (its defaults until saved).
  const companyDate = formatDate(Date.UTC(2026, 4, 31), { timeZone: 'UTC', locale: machineDefaults().locale });
  await expect(page.getByTestId('catalog-sheet-help')).toContainText(
    `Recipes: Recipe SKU, Effective from (a date as 2026-05-31 (year-month-day), optionally with a time 2026-05-31T14:00, or as the company writes dates, ${companyDate}; empty:`,
  );
  const badDate = join(dir, 'recipe-bad-date.csv');
  writeFileSync(badDate, 'Recipe SKU,Effective from,Component SKU,Qty per unit\nSAUCE-1,31st May,PASTA-1,2\n');
  await page.getByTestId('catalog-file').setInputFiles(badDate);
  await expect(page.getByTestId('catalog-problem').first()).toContainText(
    `"31st May" is not a date. Write it as a date 2026-05-31 (year-month-day; from the start of that day, ${machineDefaults().timeZone}), optionally with a time 2026-05-31T14:00 (that time there), or as ${companyDate} (the company's dates, ${machineDefaults().locale}); or leave it empty.`,
  );
  await page.getByTestId('catalog-sheet-help').getByText('Recipes:').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/catalog-date-help.png', fullPage: true });
  expect(errors).toEqual([]);
});

test("a CSV export in a decimal-comma format (1.234,56) is separated by ';', as Excel in Germany opens it, and reads back unchanged", async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'stockbook-catalog-e2e-'));
  await page.goto(`/#token=${E2E_TOKEN}`);
  await page.getByTestId('nav-catalog').click();
  await page.getByTestId('numbers-in-file').selectOption('de-DE');
  await page.getByTestId('catalog-export-sheet').selectOption('sites');
  const download = page.waitForEvent('download');
  await page.getByTestId('catalog-export-csv').click();
  const german = join(dir, 'sites-de.csv');
  await (await download).saveAs(german);
  const text = readFileSync(german, 'utf8');
  expect(text).toMatch(/^\uFEFF?Code;Name;/);
  expect(text).toContain('MAIN;Main store;');
  await page.getByTestId('catalog-file').setInputFiles(german);
  await expect(page.getByTestId('catalog-summary')).toContainText('nothing to import', { timeout: 30_000 });
  await page.screenshot({ path: 'test-results/catalog-export-de-reimported.png' });
});
