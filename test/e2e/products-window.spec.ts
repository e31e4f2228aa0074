import { expect, test } from '@playwright/test';
import { E2E_TOKEN } from '../../playwright.config';
import { choose, typeProduct } from './masterdata-steps';

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1366, height: 768 } });

test('from an empty database: two products, filtered and sorted, stock per site after a receipt, History after an edit, their movements', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`/#token=${E2E_TOKEN}`);
  await expect(page.getByTestId('stock-empty-state')).toBeVisible({ timeout: 30_000 });
  await page.getByRole('link', { name: 'Set up sites and products' }).click();

  // A kitchen with one bin.
  await page.getByTestId('site-new').click();
  await page.getByTestId('site-code').fill('KIT');
  await choose(page, 'site-kind', 'Kitchen');
  await page.getByTestId('site-name').fill('Main kitchen');
  await page.getByTestId('site-name').press('Enter');
  await expect(page.getByTestId('bin-code')).toBeFocused();
  await page.getByTestId('bin-code').fill('PASS');
  await page.getByTestId('bin-code').press('Enter');
  await expect(page.getByTestId('bin-row-PASS')).toBeVisible();

  // Two products: olive oil (stock type Other) and flour in kg with 3 decimals.
  await page.getByRole('link', { name: /Products/ }).first().click();
  await expect(page.getByTestId('products-none')).toContainText('No products yet');
  await expect(page.getByTestId('products-count')).toHaveText('0 products');
  await page.getByTestId('product-new').click();
  await page.getByTestId('product-sku').fill('OIL-5L');
  await page.getByTestId('product-name').fill('Olive oil 5 l');
  await choose(page, 'product-stock-type', 'Other');
  await page.getByTestId('product-barcodes').fill('4006381333931');
  await page.getByTestId('product-save').click();
  await expect(page.getByTestId('product-added')).toContainText('Added OIL-5L');
  await page.getByTestId('product-sku').fill('FLOUR-00');
  await page.getByTestId('product-name').fill('Flour 00');
  await page.getByTestId('product-unit').fill('kg');
  await choose(page, 'product-scale', '3');
  await page.getByTestId('product-low').fill('2.5');
  await page.getByTestId('product-save').click();
  await expect(page.getByTestId('product-added')).toContainText('Added FLOUR-00');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('products-count')).toHaveText('2 products');
  await expect(page.getByTestId('product-row-FLOUR-00')).toContainText('kg (3 dp)');

  // Filters and search narrow the list, with the count; sorting by name puts Flour first, by SKU descending too.
  await page.getByTestId('filter-stock-type').selectOption('Other');
  await expect(page.getByTestId('products-count')).toHaveText('1 product match');
  await expect(page.getByTestId('product-row-OIL-5L')).toBeVisible();
  await expect(page.getByTestId('product-row-FLOUR-00')).toHaveCount(0);
  await page.getByTestId('filter-status').selectOption({ label: 'Inactive only' });
  await expect(page.getByTestId('products-none')).toContainText('No product matches');
  await page.getByTestId('filter-clear').click();
  await expect(page.getByTestId('products-count')).toHaveText('2 products');
  await page.getByTestId('products-search').fill('4006381333931');
  await expect(page.getByTestId('products-count')).toHaveText('1 product match');
  await expect(page.getByTestId('product-row-OIL-5L')).toBeVisible();
  await page.getByTestId('products-search').fill('');
  await expect(page.getByTestId('products-count')).toHaveText('2 products');
  const rows = page.getByTestId('products-table').locator('tbody tr');
  await expect(rows.first()).toHaveAttribute('data-testid', 'product-row-FLOUR-00'); // by SKU: F before O
  await page.getByTestId('products-sort-sku').click(); // again: Z to A
  await expect(rows.first()).toHaveAttribute('data-testid', 'product-row-OIL-5L');
  await page.getByTestId('products-sort-name').click();
  await expect(rows.first()).toHaveAttribute('data-testid', 'product-row-FLOUR-00');

  // The details pane before any stock.
  await page.getByTestId('product-row-FLOUR-00').click();
  await expect(page.getByTestId('product-details')).toContainText('Flour 00');
  await expect(page.getByTestId('product-no-stock')).toBeVisible();
  // Up and Down move through the list from the keyboard.
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('product-details')).toContainText('Olive oil 5 l');
  await expect(page.getByTestId('product-barcodes')).toHaveText('4006381333931');
  await page.keyboard.press('ArrowUp');
  await expect(page.getByTestId('product-details')).toContainText('Flour 00');

  // Receive 12.345 kg of flour into the kitchen's PASS bin.
  await page.getByRole('link', { name: /Operations/ }).first().click();
  await page.getByLabel('Site', { exact: true }).selectOption({ label: 'Main kitchen' });
  await typeProduct(page, 'Line 1 product', 'FLOUR-00');
  await page.getByLabel('Line 1 quantity').fill('12.345');
  await page.getByLabel('Line 1 bin').selectOption({ label: 'PASS' });
  await page.getByLabel('Line 1 unit cost').fill('0.80');
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(page.getByTestId('op-result')).toContainText('Posted Receipt (no reference): 1 movement.');

  // Stock per site, in kg with 3 decimals.
  await page.getByRole('link', { name: /Products/ }).first().click();
  await expect(page.getByTestId('product-row-FLOUR-00').getByTestId('product-cell-onHand')).toHaveText('12.345');
  await page.getByTestId('product-row-FLOUR-00').click();
  const line = page.getByTestId('product-stock-line');
  await expect(line).toHaveCount(1);
  await expect(line).toContainText('Main kitchen');
  await expect(line).toContainText('PASS');
  await expect(line).toContainText('12.345 kg');
  await expect(page.getByTestId('product-details')).toContainText('2.500 kg');
  await page.screenshot({ path: 'test-results/products-details.png' });

  // Edit the low-stock level; History shows who changed what, in words.
  await page.getByTestId('product-edit').click();
  await page.getByTestId('product-low').fill('5');
  await page.getByTestId('product-save').click();
  await expect(page.getByTestId('product-details')).toContainText('5.000 kg');
  await page.getByTestId('product-history-tab').click();
  const entries = page.getByTestId('history-entry');
  await expect(entries).toHaveCount(2);
  await expect(entries.first()).toContainText('Changed by');
  await expect(entries.first().getByTestId('history-change')).toHaveText(['Low-stock level: 2.500 kg → 5.000 kg']);
  await expect(entries.nth(1)).toContainText('Created by');
  await expect(entries.nth(1)).toContainText('SKU: FLOUR-00');
  await expect(page.getByTestId('history')).not.toContainText('{');
  await expect(page.getByTestId('history')).not.toContainText('lowStockLevel');
  await page.screenshot({ path: 'test-results/products-history.png' });

  // Show movements: the Enquiry, on this product only.
  await page.getByTestId('product-movements').click();
  await expect(page).toHaveURL(/#\/enquiry\?product=\d+/);
  await expect(page.getByTestId('mv-row')).toHaveCount(1, { timeout: 15_000 });
  await expect(page.getByTestId('mv-cell-sku')).toHaveText('FLOUR-00');
  await expect(page.getByText('FLOUR-00', { exact: false }).first()).toBeVisible();
  await page.screenshot({ path: 'test-results/products-movements.png' });

  // A supplier's code for the oil (Suppliers window) shows in the oil's details, and a search finds the oil by it.
  await page.getByTestId('nav-suppliers').click();
  await page.getByTestId('supplier-new').click();
  await page.getByTestId('supplier-code').fill('NAPA');
  await page.getByTestId('supplier-country').selectOption('US');
  await page.getByTestId('supplier-name').fill('Napa Valley Imports');
  await page.getByTestId('supplier-name').press('Enter');
  await page.getByTestId('supplier-row-NAPA').click();
  await typeProduct(page, 'Product for the supplier code', 'OIL-5L');
  await page.getByTestId('supplier-code-input').fill('NV-OLIVE-5');
  await page.getByTestId('supplier-code-input').press('Enter');
  await expect(page.getByTestId('supplier-code-row-NV-OLIVE-5')).toBeVisible();
  await page.getByRole('link', { name: /Products/ }).first().click();
  await page.getByTestId('products-search').fill('olive-5');
  await expect(page.getByTestId('products-count')).toHaveText('1 product match');
  await page.getByTestId('product-row-OIL-5L').click();
  await expect(page.getByTestId('product-supplier-codes')).toContainText('Napa Valley Imports');
  await expect(page.getByTestId('product-supplier-codes')).toContainText('NV-OLIVE-5');
  await page.getByTestId('products-search').fill('');

  // A T-shirt with four variants: listed grouped, the parent showing "4 variants", its variants indented under it.
  await page.getByTestId('product-new').click();
  await page.getByTestId('product-sku').fill('TEE');
  await page.getByTestId('product-name').fill('T-shirt');
  await page.getByTestId('variant-add-attribute').click();
  await page.getByLabel('Attribute 1 name').fill('Size');
  await page.getByLabel('Attribute 1 values').fill('M, L');
  await page.getByTestId('variant-add-attribute').click();
  await page.getByLabel('Attribute 2 name').fill('Colour');
  await page.getByLabel('Attribute 2 values').fill('Red, Blue');
  await page.getByTestId('variant-generate').click();
  await expect(page.getByTestId('variant-pending')).toHaveCount(4);
  await page.getByTestId('product-save').click();
  await expect(page.getByTestId('product-row-TEE-L-RED')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('products-count')).toHaveText('3 products'); // flour, oil, the T-shirt
  await expect(page.getByTestId('product-row-TEE').getByTestId('product-cell-onHand')).toHaveText('4 variants');
  // (the window opened afresh: by SKU, A to Z)
  await expect(rows).toHaveCount(7);
  const order = async () => rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-testid')!.replace('product-row-', '')));
  await expect.poll(order).toEqual(['FLOUR-00', 'OIL-5L', 'TEE', 'TEE-L-BLUE', 'TEE-L-RED', 'TEE-M-BLUE', 'TEE-M-RED']);
  await page.screenshot({ path: 'test-results/products-variants-grouped.png' });
  await page.getByTestId('product-variants-toggle-TEE').click(); // closed: the variants hidden
  await expect(rows).toHaveCount(3);
  await page.getByTestId('product-variants-toggle-TEE').click();
  await expect(rows).toHaveCount(7);
  // A search that matches one variant shows it under its parent; a filter still applies to the variants.
  await page.getByTestId('products-search').fill('m-red');
  await expect(rows).toHaveCount(2);
  await expect.poll(order).toEqual(['TEE', 'TEE-M-RED']);
  await page.screenshot({ path: 'test-results/products-variant-search.png' });
  await page.getByTestId('products-search').fill('');
  await page.getByTestId('filter-stock-type').selectOption('Other');
  await expect(rows).toHaveCount(1);
  await expect.poll(order).toEqual(['OIL-5L']);
  await page.getByTestId('filter-clear').click();

  // The Sites window's History: the kitchen and its bin.
  await page.getByRole('link', { name: /Sites/ }).first().click();
  await page.getByTestId('site-row-KIT').click();
  await page.getByTestId('site-history-tab').click();
  await expect(page.getByTestId('history-entry')).toHaveCount(2);
  await expect(page.getByTestId('history-entry').first()).toContainText('Bin Main kitchen PASS');
  await expect(page.getByTestId('history-entry').nth(1)).toContainText('Site Main kitchen');
  await expect(page.getByTestId('history-entry').nth(1)).toContainText('Kind: Kitchen');
  await page.screenshot({ path: 'test-results/products-site-history.png' });
  expect(errors).toEqual([]);
});
