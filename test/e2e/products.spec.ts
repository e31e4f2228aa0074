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

/** A row click opens the product's details; Edit opens its form. */
async function editProduct(page: Page, sku: string): Promise<void> {
  await page.getByTestId(`product-row-${sku}`).click();
  await page.getByTestId('product-edit').click();
}

/** A person's typing: keys 80 ms apart. Keys a few ms apart ended by Tab or Enter are a barcode scan (renderer/scanning). */
const PERSON = { delay: 80 };

async function choose(page: Page, testId: string, option: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page.getByRole('listbox').getByRole('option', { name: option, exact: true }).click();
}

/** A new site by the Sites form, then its bins typed one after another (the bin code is focused once it is saved). */
async function addSite(page: Page, site: { code: string; kind: string; name: string }, bins: string[]): Promise<void> {
  await page.getByTestId('site-new').click();
  await page.getByTestId('site-code').fill(site.code);
  await choose(page, 'site-kind', site.kind);
  await page.getByTestId('site-name').fill(site.name);
  await page.getByTestId('site-name').press('Enter');
  await expect(page.getByTestId('bin-code')).toBeFocused();
  for (const code of bins) {
    await page.getByTestId('bin-code').fill(code);
    await page.getByTestId('bin-code').press('Enter');
    await expect(page.getByTestId(`bin-row-${code}`)).toBeVisible();
  }
}

test('from an empty database: a product group, a product in it with per-site low stock and default bin, a 2×2 variant product', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`/#token=${E2E_TOKEN}`);
  await expect(page.getByTestId('stock-empty-state')).toBeVisible({ timeout: 30_000 });
  await page.getByRole('link', { name: 'Set up sites and products' }).click();

  // A kitchen with two bins.
  await addSite(page, { code: 'KIT', kind: 'Kitchen', name: 'Main kitchen' }, ['PASS', 'DRY']);

  // Products → New product → the Product groups window from the group picker: a group added from the keyboard.
  await page.getByRole('link', { name: /Products/ }).first().click();
  await page.getByTestId('product-new').click();
  await expect(page.getByTestId('product-sku')).toBeFocused();
  await page.getByTestId('product-groups-open').click();
  await expect(page.getByTestId('groups-dialog')).toBeVisible();
  await expect(page.getByTestId('group-code')).toBeFocused();
  await page.keyboard.type('WINE', PERSON);
  await page.keyboard.press('Tab');
  await page.keyboard.type('Wine', PERSON);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Space'); // post on-costs to cost of sales
  await page.getByTestId('group-name').press('Enter');
  await expect(page.getByTestId('group-row-WINE')).toContainText('Yes');
  await expect(page.getByTestId('group-code')).toHaveValue('');
  // A duplicate code is refused as main words it, the field marked and focused.
  await page.getByTestId('group-code').fill('wine');
  await page.getByTestId('group-name').fill('Wines');
  await page.getByTestId('group-name').press('Enter');
  await expect(page.getByTestId('groups-dialog')).toContainText('Another product group already has the code wine');
  await expect(page.getByTestId('group-code')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('group-code')).toBeFocused();
  await page.getByTestId('group-code').fill('SPIRITS');
  await page.getByTestId('group-name').fill('Spirits');
  await page.getByTestId('group-name').press('Enter');
  await expect(page.getByTestId('group-row-SPIRITS')).toContainText('No');
  await page.screenshot({ path: 'test-results/products-groups.png' });
  // A group renamed; its History (a toggle in the dialog) shows the change in plain words.
  await page.getByTestId('group-row-SPIRITS').click();
  await page.getByTestId('group-name').fill('Spirits and liqueurs');
  await page.getByTestId('group-name').press('Enter');
  await expect(page.getByTestId('group-row-SPIRITS')).toContainText('Spirits and liqueurs');
  await page.getByTestId('group-row-SPIRITS').click();
  await page.getByTestId('group-history-toggle').click();
  await expect(page.getByTestId('history-entry')).toHaveCount(2);
  await expect(page.getByTestId('history-entry').first().getByTestId('history-change')).toHaveText(['Name: Spirits → Spirits and liqueurs']);
  await expect(page.getByTestId('history-entry').nth(1)).toContainText('On-costs to cost of sales: No');
  await page.screenshot({ path: 'test-results/products-group-history.png' });
  await page.getByTestId('groups-close').click();
  await expect(page.getByTestId('groups-dialog')).toBeHidden();

  // A product in the group, made in France, with a low-stock level of 6 and the PASS bin at the kitchen.
  await page.getByTestId('product-sku').fill('CLARET');
  await page.getByTestId('product-name').fill('Claret 2019 75cl');
  await choose(page, 'product-group', 'WINE — Wine');
  await page.getByTestId('product-country').fill('fr');
  await expect(page.getByTestId('product-form')).toContainText('France');
  await page.getByLabel('Low-stock level at Main kitchen').fill('6');
  await page.getByLabel('Default bin at Main kitchen').selectOption({ label: 'PASS' });
  await page.screenshot({ path: 'test-results/products-form.png' });
  await page.getByLabel('Low-stock level at Main kitchen').press('Enter');
  await expect(page.getByTestId('product-added')).toContainText('Added CLARET');

  // Without the mouse: the next form has the SKU focused; SKU, Tab, Tab, name, Enter adds it.
  await expect(page.getByTestId('product-sku')).toBeFocused();
  await page.keyboard.type('SALT', PERSON);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Sea salt', PERSON);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('product-added')).toContainText('Added SALT');
  // The same again is refused: the SKU is marked and focused, ready to be typed over.
  await expect(page.getByTestId('product-sku')).toBeFocused();
  await page.keyboard.type('salt', PERSON);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Salt again', PERSON);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('product-form')).toContainText('Another product already has the SKU salt');
  await expect(page.getByTestId('product-sku')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('product-sku')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('product-form')).toBeHidden();

  // The product shows its group, country and per-site settings when opened again.
  await editProduct(page, 'CLARET');
  await expect(page.getByTestId('product-group')).toContainText('WINE — Wine');
  await expect(page.getByTestId('product-country')).toHaveValue('FR');
  await expect(page.getByLabel('Low-stock level at Main kitchen')).toHaveValue('6');
  await expect(page.getByLabel('Default bin at Main kitchen').locator('option:checked')).toHaveText('PASS');
  await page.keyboard.press('Escape');

  // A T-shirt in sizes M, L and colours Red, Blue: four variants generated, one SKU changed, one barcode given.
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
  await expect(page.getByLabel('SKU of variant M / Red')).toHaveValue('TEE-M-RED');
  await expect(page.getByLabel('SKU of variant L / Blue')).toHaveValue('TEE-L-BLUE');
  await page.getByLabel('SKU of variant M / Blue').fill('TEE-MB');
  await page.getByLabel('Barcode of variant L / Red').fill('96385075');
  await page.getByTestId('variants-table').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/products-variants-new.png' });
  await page.getByTestId('product-save').click();
  // A wrong check digit on a variant's barcode: the parent is saved, the row marked, nothing of the variants written.
  await expect(page.getByTestId('product-form')).toContainText('Variant 3: Barcode 96385075 of TEE-L-RED is not a valid EAN-8');
  await expect(page.getByLabel('Barcode of variant L / Red')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Barcode of variant L / Red')).toBeFocused();
  await page.getByLabel('Barcode of variant L / Red').fill('96385074');
  await page.getByLabel('Barcode of variant L / Red').press('Enter');
  await expect(page.getByTestId('product-row-TEE-L-RED')).toContainText('96385074');
  for (const sku of ['TEE-M-RED', 'TEE-MB', 'TEE-L-BLUE']) await expect(page.getByTestId(`product-row-${sku}`)).toContainText('T-shirt');
  await editProduct(page, 'TEE');
  await expect(page.getByTestId('variants-table').locator('[data-testid^="variant-saved-"]')).toHaveCount(4);
  await expect(page.getByTestId('variant-saved-TEE-MB')).toContainText('M / Blue');
  await expect(page.getByTestId('variant-generate')).toBeEnabled();
  await page.getByTestId('variants-table').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/products-variants-saved.png' });
  // The parent with variants cannot be deleted; an unused product can.
  await page.getByTestId('product-delete').click();
  await page.getByTestId('product-delete').click();
  await expect(page.getByTestId('product-form')).toContainText('TEE has 4 variants. Delete its variants first');
  await editProduct(page, 'SALT');
  await page.getByTestId('product-delete').click();
  await expect(page.getByTestId('product-delete')).toHaveText('Delete SALT for good?');
  await page.getByTestId('product-delete').click();
  await expect(page.getByTestId('product-row-SALT')).toHaveCount(0);

  // Receiving CLARET at the kitchen preselects its default bin; 3 bottles are below the kitchen's level of 6.
  await page.getByRole('link', { name: /Operations/ }).first().click();
  await page.getByLabel('Site', { exact: true }).selectOption({ label: 'Main kitchen' });
  await typeProduct(page, 'Line 1 product', 'CLARET');
  await expect(page.getByLabel('Line 1 bin').locator('option:checked')).toHaveText('PASS');
  await page.getByLabel('Line 1 quantity').fill('3');
  await page.getByLabel('Line 1 unit cost').fill('8.00');
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(page.getByTestId('op-result')).toContainText('Posted Receipt (no reference): 1 movement.');
  await page.getByRole('link', { name: /^Stock/ }).first().click();
  await page.getByLabel('Filter by SKU or name').fill('CLARET');
  const row = page.getByTestId('stock-row').filter({ hasText: 'CLARET' });
  await expect(row).toHaveCount(1, { timeout: 15_000 });
  await expect(row.getByTestId('stock-status')).toContainText(/low/i);

  // Now CLARET has movements: no Delete is offered.
  await page.getByRole('link', { name: /Products/ }).first().click();
  await editProduct(page, 'CLARET');
  await expect(page.getByTestId('product-form')).toContainText('it can be deactivated but never deleted');
  await expect(page.getByTestId('product-delete')).toHaveCount(0);
  expect(errors).toEqual([]);
});

// Where stock coming in is put away: the product's default bin at the site it arrives at, as a receipt line takes it
// (the walk found the clerk picking a bin on every output and transfer-in line). Runs on the first test's ledger.
test("a production output and a transfer's receiving side show the product's default bin there, and post the bin shown", async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`/#token=${E2E_TOKEN}`);
  // A shop with two bins, beside the kitchen.
  await page.getByRole('link', { name: /Sites/ }).first().click();
  await addSite(page, { code: 'SHOP', kind: 'Shop', name: 'Corner shop' }, ['SHELF', 'BACK']);
  // A hamper made in the kitchen: put away in DRY there, on SHELF at the shop.
  await page.getByRole('link', { name: /Products/ }).first().click();
  await page.getByTestId('product-new').click();
  await page.getByTestId('product-sku').fill('HAMPER');
  await page.getByTestId('product-name').fill('Gift hamper');
  await choose(page, 'product-stock-type', 'Made');
  await page.getByLabel('Default bin at Main kitchen').selectOption({ label: 'DRY' });
  await page.getByLabel('Default bin at Corner shop').selectOption({ label: 'SHELF' });
  await page.getByTestId('product-save').click();
  await expect(page.getByTestId('product-added')).toContainText('Added HAMPER');
  await page.keyboard.press('Escape');

  // Production: the output shows DRY as soon as the product is picked, and the review (main's own reading) puts it there.
  await page.getByRole('link', { name: /Operations/ }).first().click();
  await page.getByRole('tab', { name: 'Production', exact: true }).click();
  await page.getByLabel('Site', { exact: true }).selectOption({ label: 'Main kitchen' });
  await typeProduct(page, 'Output product', 'HAMPER');
  await expect(page.getByLabel('Output bin').locator('option:checked')).toHaveText('DRY');
  await page.getByLabel('Output quantity').fill('2');
  await page.getByRole('checkbox', { name: 'Consume by recipe' }).uncheck();
  await typeProduct(page, 'Line 1 product', 'CLARET');
  await page.getByLabel('Line 1 quantity').fill('1');
  await page.screenshot({ path: 'test-results/products-production-default-bin.png' });
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByTestId('op-review').locator('tr').filter({ hasText: 'HAMPER' })).toContainText('DRY');
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(page.getByTestId('op-result')).toContainText('Posted');

  // Transfer to the shop: the receiving bin shows SHELF once the shop and the product are picked; the clerk changes it to
  // BACK and BACK is what is posted. 'External' has no bins: the column says so.
  await page.getByRole('tab', { name: 'Transfer', exact: true }).click();
  await page.getByLabel('From site').selectOption({ label: 'Main kitchen' });
  await page.getByLabel('To site').selectOption({ label: 'Corner shop' });
  await typeProduct(page, 'Line 1 product', 'HAMPER');
  const toBin = page.getByLabel('Line 1 to bin');
  await expect(toBin.locator('option:checked')).toHaveText('SHELF');
  await page.getByLabel('To site').selectOption({ label: 'External' });
  await expect(toBin).toBeDisabled();
  await expect(toBin.locator('option:checked')).toHaveText('(no bins there)');
  await page.getByLabel('To site').selectOption({ label: 'Corner shop' });
  await expect(toBin.locator('option:checked')).toHaveText('SHELF');
  await toBin.selectOption({ label: 'BACK' });
  await page.getByLabel('Line 1 quantity').fill('1');
  await page.screenshot({ path: 'test-results/products-transfer-default-bin.png' });
  await page.getByRole('button', { name: 'Review' }).click();
  const review = page.getByTestId('op-review');
  await expect(review.locator('tr').filter({ hasText: 'Corner shop' })).toContainText('BACK');
  await page.screenshot({ path: 'test-results/products-transfer-default-bin-review.png' });
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(page.getByTestId('op-result')).toContainText('Posted');
  expect(errors).toEqual([]);
});

