import { expect, test, type Page } from '@playwright/test';
import { E2E_TOKEN } from '../../playwright.config';

test.describe.configure({ mode: 'serial' });

/** Types into a product picker and chooses the product once the typed keys have landed (see operations.spec.ts). */
async function typeProduct(page: Page, label: string, sku: string): Promise<void> {
  const box = page.getByRole('combobox', { name: label });
  await box.click();
  await box.pressSequentially(sku);
  await expect(box).toHaveValue(sku);
  await page.getByRole('option').filter({ hasText: `${sku} — ` }).first().click();
}

async function newSupplier(page: Page, s: { code: string; country: string; name: string }): Promise<void> {
  await page.getByTestId('supplier-new').click();
  await expect(page.getByTestId('supplier-code')).toBeFocused();
  await page.getByTestId('supplier-code').fill(s.code);
  await page.getByTestId('supplier-country').selectOption(s.country);
  await page.getByTestId('supplier-name').fill(s.name);
}

test('from an empty database: suppliers, a site and a product, a receipt from a supplier, and the document names the supplier', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`/#token=${E2E_TOKEN}`);
  await expect(page.getByTestId('stock-empty-state')).toBeVisible({ timeout: 30_000 });

  // Suppliers from the keyboard: code, country, name, contact fields, Enter.
  await page.getByTestId('nav-suppliers').click();
  await expect(page.getByTestId('suppliers-table')).toBeVisible();
  await newSupplier(page, { code: 'NAPA', country: 'US', name: 'Napa Valley Imports' });
  await expect(page.getByTestId('supplier-in-ec')).not.toBeChecked();
  await page.getByTestId('supplier-contact').fill('Dana Reyes');
  await page.getByTestId('supplier-email').fill('orders@napa.example');
  await page.getByTestId('supplier-phone').fill('+1 707 555 0100');
  await page.getByTestId('supplier-phone').press('Enter');
  await expect(page.getByTestId('supplier-row-NAPA')).toContainText('United States');
  await expect(page.getByTestId('supplier-row-NAPA')).toContainText('Outside');

  // A French supplier is in the EC by its country.
  await newSupplier(page, { code: 'ACME', country: 'FR', name: 'Acme Foods' });
  await expect(page.getByTestId('supplier-in-ec')).toBeChecked();
  await page.getByTestId('supplier-name').press('Enter');
  await expect(page.getByTestId('supplier-row-ACME')).toContainText('In the EC');

  // A duplicate code is refused as main wrote it; the code field is marked and takes the focus; nothing is added.
  await newSupplier(page, { code: 'napa', country: 'GB', name: 'Another Napa' });
  await page.getByTestId('supplier-name').press('Enter');
  await expect(page.getByTestId('supplier-form')).toContainText('Another supplier already has the code napa. Choose a different code.');
  await expect(page.getByTestId('supplier-code')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('supplier-code')).toBeFocused();
  await page.screenshot({ path: 'test-results/suppliers-refused.png' });
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('supplier-form')).toHaveCount(0);
  await expect(page.getByTestId('suppliers-table').locator('tbody tr')).toHaveCount(2);

  // An old supplier, deactivated: it stays listed but the Receive form will not offer it.
  await newSupplier(page, { code: 'OLD', country: 'GB', name: 'Old Wholesale' });
  await page.getByTestId('supplier-name').press('Enter');
  await expect(page.getByTestId('supplier-row-OLD')).toContainText('Active');
  await page.getByTestId('supplier-active').click();
  await page.getByTestId('supplier-save').click();
  await expect(page.getByTestId('supplier-row-OLD')).toContainText('Inactive');

  // A site with a bin (Sites & bins window).
  await page.getByTestId('nav-sites').click();
  await page.getByTestId('site-new').click();
  await page.getByTestId('site-code').fill('KIT');
  await page.getByTestId('site-name').fill('Main kitchen');
  await page.getByTestId('site-name').press('Enter');
  await expect(page.getByTestId('site-row-KIT')).toBeVisible();
  await expect(page.getByTestId('bin-code')).toBeFocused();
  await page.getByTestId('bin-code').fill('DRY');
  await page.getByTestId('bin-code').press('Enter');
  await expect(page.getByTestId('bin-row-DRY')).toBeVisible();

  // A product (Products window).
  await page.getByTestId('nav-products').click();
  await page.getByTestId('product-new').click();
  await page.getByTestId('product-sku').fill('OIL-5L');
  await page.getByTestId('product-name').fill('Olive oil 5 l');
  await page.getByTestId('product-name').press('Enter');
  await expect(page.getByTestId('product-row-OIL-5L')).toBeVisible();

  // Napa's code for the oil, in the supplier's codes panel.
  await page.getByTestId('nav-suppliers').click();
  await page.getByTestId('supplier-row-NAPA').click();
  await typeProduct(page, 'Product for the supplier code', 'OIL-5L');
  await page.getByTestId('supplier-code-input').fill('NV-OLIVE-5');
  await page.getByTestId('supplier-code-input').press('Enter');
  await expect(page.getByTestId('supplier-code-row-NV-OLIVE-5')).toContainText('OIL-5L — Olive oil 5 l');
  await expect(page.getByTestId('supplier-row-NAPA').locator('td').nth(6)).toHaveText('1');
  await page.screenshot({ path: 'test-results/suppliers-window.png' });

  // Edit Napa, then its History: who, and each change in plain words, its supplier code's included.
  await page.getByTestId('supplier-phone').fill('+1 707 555 0199');
  await page.getByTestId('supplier-save').click();
  await expect(page.getByTestId('supplier-phone')).toHaveValue('+1 707 555 0199');
  await page.getByTestId('supplier-history-tab').click();
  const entries = page.getByTestId('history-entry');
  await expect(entries).toHaveCount(3);
  await expect(entries.nth(0)).toContainText('Supplier NAPA');
  await expect(entries.nth(0)).toContainText('admin');
  await expect(entries.nth(0).getByTestId('history-change')).toHaveText(['Phone: +1 707 555 0100 → +1 707 555 0199']);
  await expect(entries.nth(1)).toContainText('Supplier code NAPA NV-OLIVE-5');
  await expect(entries.nth(1)).toContainText('OIL-5L');
  await expect(page.getByTestId('history')).not.toContainText('inEc');
  await expect(page.getByTestId('history')).not.toContainText('Code count');
  await page.screenshot({ path: 'test-results/suppliers-history.png' });
  await page.getByRole('tab', { name: 'Supplier and codes' }).click();

  // Receive from Napa: the supplier picker offers the active suppliers only.
  await page.getByTestId('nav-operations').click();
  await expect(page.getByRole('tab', { name: 'Receive' })).toBeVisible();
  await page.getByLabel('Site', { exact: true }).selectOption({ label: 'Main kitchen' });
  const picker = page.getByTestId('supplier-picker');
  await picker.click();
  await expect(page.getByRole('option', { name: /Acme Foods/ })).toBeVisible();
  await expect(page.getByRole('option', { name: /Old Wholesale/ })).toHaveCount(0);
  // Nothing typed: "(no supplier)" comes first, to clear the choice.
  const offered = page.getByRole('listbox').getByRole('option');
  await expect(offered.first()).toHaveText('(no supplier)');
  // Typed text matching no supplier offers only "(no supplier)".
  await picker.pressSequentially('zzz');
  await expect(offered).toHaveText(['(no supplier)']);
  await picker.fill('');
  // Typed text lists the matching suppliers only, best first: never "(no supplier)" above them.
  await picker.pressSequentially('napa');
  await expect(page.getByRole('option', { name: /Acme Foods/ })).toHaveCount(0);
  await expect(offered).toHaveText([/^Napa Valley Imports/]);
  await page.screenshot({ path: 'test-results/suppliers-picker-typed.png' });
  await page.getByRole('option', { name: /Napa Valley Imports/ }).click();
  await expect(picker).toHaveValue('Napa Valley Imports (NAPA)');
  // Seed 004's two customs facts: the supplier's EC status (read-only, from its record) and "Customs duty paid" (ticked here).
  await expect(page.getByTestId('supplier-ec')).toHaveText('Napa Valley Imports is outside the EC (United States): tick Customs duty paid to post its customs duty on-costs.');
  await page.getByRole('checkbox', { name: 'Customs duty paid' }).check();
  await expect(page.getByTestId('supplier-ec')).toContainText('its customs duty on-costs are posted to Customs Duty Recovery');
  await typeProduct(page, 'Line 1 product', 'OIL-5L');
  await page.getByLabel('Line 1 quantity').fill('6');
  await page.getByLabel('Line 1 bin').selectOption({ label: 'DRY' });
  await page.getByLabel('Line 1 unit cost').fill('21.50');
  await page.screenshot({ path: 'test-results/suppliers-receive.png' });
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByTestId('review-row')).toHaveCount(1);
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(page.getByTestId('op-result')).toContainText('Posted Receipt (no reference): 1 movement.');

  // The document names its supplier (Receipt reversal lists the receipts and opens one).
  await page.getByRole('tab', { name: 'Receipt reversal' }).click();
  const receipt = page.getByTestId('source-doc').filter({ hasText: 'Napa Valley Imports' });
  await expect(receipt).toHaveCount(1);
  await receipt.click();
  await expect(page.getByTestId('doc-supplier')).toContainText('from supplier Napa Valley Imports');
  await page.screenshot({ path: 'test-results/suppliers-document.png' });

  // The Suppliers window counts the receipt.
  await page.getByTestId('nav-suppliers').click();
  await expect(page.getByTestId('supplier-row-NAPA').locator('td').nth(7)).toHaveText('1');
  expect(errors).toEqual([]);
});
