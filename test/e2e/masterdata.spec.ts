import { expect, test } from '@playwright/test';
import { E2E_TOKEN } from '../../playwright.config';
import { choose, typeProduct } from './masterdata-steps';

test.describe.configure({ mode: 'serial' });

test('from an empty database: a site with three bins, two products, a receipt, and Current Stock shows it', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`/#token=${E2E_TOKEN}`);

  // The empty database offers setting up next to demo data.
  await expect(page.getByTestId('stock-empty-state')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('button', { name: 'Load demo data' })).toBeVisible();
  await page.screenshot({ path: 'test-results/masterdata-empty-state.png' });
  await page.getByRole('link', { name: 'Set up sites and products' }).click();
  await expect(page.getByTestId('site-row-EXTERNAL')).toBeVisible();

  // A site from the keyboard: code, kind, name, Enter.
  await page.getByTestId('site-new').click();
  await expect(page.getByTestId('site-code')).toBeFocused();
  await page.getByTestId('site-code').fill('KIT');
  await choose(page, 'site-kind', 'Kitchen');
  await page.getByTestId('site-name').fill('Main kitchen');
  await page.getByTestId('site-name').press('Enter');
  await expect(page.getByTestId('site-row-KIT')).toContainText('Kitchen');

  // Its three bins, one after another: the bin code keeps the focus.
  await expect(page.getByTestId('bin-code')).toBeFocused();
  for (const code of ['PASS', 'DRY', 'COLD']) {
    await page.getByTestId('bin-code').fill(code);
    await page.getByTestId('bin-code').press('Enter');
    await expect(page.getByTestId(`bin-row-${code}`)).toBeVisible();
    await expect(page.getByTestId('bin-code')).toHaveValue('');
  }
  await expect(page.getByTestId('site-row-KIT')).toContainText('3');
  // A duplicate bin code is refused as written by main, and the field is marked.
  await page.getByTestId('bin-code').fill('pass');
  await page.getByTestId('bin-code').press('Enter');
  await expect(page.getByTestId('bins-panel').getByTestId('error-bar')).toContainText('Main kitchen already has a bin pass. Choose a different code.');
  await expect(page.getByTestId('bin-code')).toHaveAttribute('aria-invalid', 'true');
  await page.getByTestId('bin-code').fill('');
  // The External site cannot be edited.
  await page.getByTestId('site-row-EXTERNAL').click();
  await expect(page.getByTestId('site-name')).toBeDisabled();
  await page.getByTestId('site-row-KIT').click();
  await expect(page.getByTestId('bins-table').locator('tbody tr')).toHaveCount(3);
  await page.screenshot({ path: 'test-results/masterdata-sites.png' });

  // Products: a BULK item with an EAN-13 barcode.
  await page.getByRole('link', { name: /Products/ }).first().click();
  await page.getByTestId('product-new').click();
  await expect(page.getByTestId('product-sku')).toBeFocused();
  await page.getByTestId('product-sku').fill('OIL-5L');
  await page.getByTestId('product-name').fill('Olive oil 5 l');
  await page.getByTestId('product-barcodes').fill('4006381333932');
  await page.getByTestId('product-name').press('Enter');
  // A wrong check digit is refused naming the barcode; the field is marked and nothing is added.
  await expect(page.getByTestId('product-form')).toContainText('its check digit should be 1, not 2');
  await expect(page.getByTestId('product-barcodes')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('products-table').locator('tbody tr')).toHaveCount(0);
  await page.getByTestId('product-barcodes').fill('4006381333931');
  await page.getByTestId('product-save').click();
  await expect(page.getByTestId('product-added')).toContainText('Added OIL-5L');
  await expect(page.getByTestId('product-row-OIL-5L')).toContainText('4006381333931');
  // Tracking reads as a word in the list and the form, never the code BULK.
  await expect(page.getByTestId('product-row-OIL-5L').getByRole('cell', { name: 'Bulk', exact: true })).toHaveCount(1);
  await expect(page.getByTestId('product-tracking')).toHaveText('Bulk');

  // The next blank form is open with the SKU focused: a kg product with 3 decimals and a low-stock level.
  await expect(page.getByTestId('product-sku')).toBeFocused();
  await expect(page.getByTestId('product-sku')).toHaveValue('');
  await page.getByTestId('product-sku').fill('FLOUR-00');
  await page.getByTestId('product-name').fill('Flour 00');
  await page.getByTestId('product-unit').fill('kg');
  await choose(page, 'product-scale', '3');
  await page.getByTestId('product-low').fill('2.5');
  await page.getByTestId('product-low').press('Enter');
  await expect(page.getByTestId('product-row-FLOUR-00')).toContainText('kg (3 dp)');
  // A duplicate SKU is refused with the field marked.
  await page.getByTestId('product-sku').fill('flour-00');
  await page.getByTestId('product-name').fill('Another flour');
  await page.getByTestId('product-name').press('Enter');
  await expect(page.getByTestId('product-form')).toContainText('Another product already has the SKU flour-00');
  await expect(page.getByTestId('product-sku')).toHaveAttribute('aria-invalid', 'true');
  await page.keyboard.press('Escape');
  await page.getByTestId('product-row-FLOUR-00').click();
  await page.getByTestId('product-edit').click();
  await expect(page.getByTestId('product-low')).toHaveValue('2.500');
  await page.screenshot({ path: 'test-results/masterdata-products.png' });

  // Receive 12.345 kg of flour into the kitchen's PASS bin through the Operations window.
  await page.getByRole('link', { name: /Operations/ }).first().click();
  await expect(page.getByRole('tab', { name: 'Receive' })).toBeVisible();
  await page.getByLabel('Site', { exact: true }).selectOption({ label: 'Main kitchen' });
  await typeProduct(page, 'Line 1 product', 'FLOUR-00');
  await page.getByLabel('Line 1 quantity').fill('12.345');
  await page.getByLabel('Line 1 bin').selectOption({ label: 'PASS' });
  await page.getByLabel('Line 1 unit cost').fill('0.80');
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByTestId('review-row')).toHaveCount(1);
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(page.getByTestId('op-result')).toContainText('Posted Receipt (no reference): 1 movement.');

  // Current Stock shows it at the kitchen.
  await page.getByRole('link', { name: /^Stock/ }).first().click();
  await page.getByLabel('Filter by SKU or name').fill('FLOUR-00');
  const row = page.getByTestId('stock-row').filter({ hasText: 'FLOUR-00' });
  await expect(row).toHaveCount(1, { timeout: 15_000 });
  await expect(row.getByTestId('stock-site')).toHaveText('Main kitchen');
  await expect(row.getByTestId('stock-on-hand')).toContainText('12.345');
  await page.screenshot({ path: 'test-results/masterdata-current-stock.png' });

  // Now the flour has stock and movements: its unit can no longer change, the kitchen cannot be deactivated.
  await page.getByRole('link', { name: /Products/ }).first().click();
  await page.getByTestId('product-row-FLOUR-00').click();
  await page.getByTestId('product-edit').click();
  await page.getByTestId('product-unit').fill('g');
  await page.getByTestId('product-save').click();
  await expect(page.getByTestId('product-form')).toContainText('FLOUR-00 already has movements in kg, so its unit cannot change');
  await expect(page.getByTestId('product-unit')).toHaveAttribute('aria-invalid', 'true');
  await page.getByRole('link', { name: /Sites/ }).first().click();
  await page.getByTestId('site-row-KIT').click();
  await page.getByTestId('site-active').click();
  await page.getByTestId('site-save').click();
  await expect(page.getByTestId('site-form')).toContainText('Site Main kitchen still holds stock in 1 place, so it cannot be deactivated');
  expect(errors).toEqual([]);
});
