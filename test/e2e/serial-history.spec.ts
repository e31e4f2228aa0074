import { expect, test, type Page } from '@playwright/test';
import { E2E_TOKEN } from '../../playwright.config';
import { choose, typeProduct } from './masterdata-steps';

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1366, height: 768 } });

/** A site by the Sites form: code, kind, name. */
async function addSite(page: Page, code: string, kind: string, name: string): Promise<void> {
  await page.getByTestId('site-new').click();
  await expect(page.getByTestId('site-code')).toBeFocused();
  await page.getByTestId('site-code').fill(code);
  await choose(page, 'site-kind', kind);
  await page.getByTestId('site-name').fill(name);
  await page.getByTestId('site-name').press('Enter');
  await expect(page.getByTestId(`site-row-${code}`)).toContainText(kind);
}

/** Opens an Operations tab. */
async function operation(page: Page, tab: string): Promise<void> {
  await page.getByRole('link', { name: /Operations/ }).first().click();
  await page.getByRole('tab', { name: tab, exact: true }).click();
}

/** Reviews and posts the open operation form; the result names `movements` movements. */
async function post(page: Page, movements: number): Promise<void> {
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByTestId('op-review')).toBeVisible();
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(page.getByTestId('op-result')).toContainText(`: ${movements} movement${movements === 1 ? '' : 's'}.`);
}

test('a customer rings about unit SN-4471: from an empty ledger, received, transferred and sold, the clerk finds its history by serial (any letter case), delivery note and customer in Enquiry', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`/#token=${E2E_TOKEN}`);
  await expect(page.getByTestId('stock-empty-state')).toBeVisible({ timeout: 30_000 });

  // Two sites and a serial-tracked product, each by its form.
  await page.getByRole('link', { name: 'Set up sites and products' }).click();
  await addSite(page, 'WH', 'Warehouse', 'Warehouse');
  await addSite(page, 'SHOP', 'Shop', 'High Street shop');
  await page.getByRole('link', { name: /Products/ }).first().click();
  await page.getByTestId('product-new').click();
  await page.getByTestId('product-sku').fill('DRILL-18V');
  await page.getByTestId('product-name').fill('Cordless drill 18V');
  await choose(page, 'product-tracking', 'Serial');
  await page.getByTestId('product-save').click();
  await expect(page.getByTestId('product-added')).toContainText('Added DRILL-18V');
  await page.keyboard.press('Escape');

  // Received at the warehouse on the supplier's delivery note DN-4411: three units, one of them SN-44710 (which starts like SN-4471).
  await operation(page, 'Receive');
  await page.getByLabel('Site', { exact: true }).selectOption({ label: 'Warehouse' });
  await page.getByLabel('Reference', { exact: true }).fill('DN-4411');
  await typeProduct(page, 'Line 1 product', 'DRILL-18V');
  await page.getByLabel('Line 1 quantity').fill('3');
  await page.getByLabel('Line 1 serials').fill('SN-4471, SN-4472, SN-44710');
  await page.getByLabel('Line 1 unit cost').fill('89.00');
  await post(page, 3);

  // Transferred to the shop.
  await operation(page, 'Transfer');
  await page.getByLabel('From site').selectOption({ label: 'Warehouse' });
  await page.getByLabel('To site').selectOption({ label: 'High Street shop' });
  await typeProduct(page, 'Line 1 product', 'DRILL-18V');
  await page.getByLabel('Line 1 quantity').fill('1');
  await page.getByLabel('Line 1 serials').fill('SN-4471');
  await post(page, 2);

  // Sold at the shop to a customer.
  await operation(page, 'Despatch / sale');
  await page.getByLabel('Site', { exact: true }).selectOption({ label: 'High Street shop' });
  await page.getByLabel('Customer', { exact: true }).fill('Bistro Verde');
  await typeProduct(page, 'Line 1 product', 'DRILL-18V');
  await page.getByLabel('Line 1 quantity').fill('1');
  await page.getByLabel('Line 1 serials').fill('SN-4471');
  await post(page, 1);

  // Enquiry: the search box finds the serial's movements, newest first, each row naming the serial.
  await page.evaluate(() => (window.location.hash = '#/enquiry'));
  await expect(page.getByTestId('mv-row').first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('mv-search')).toHaveAttribute('placeholder', /serial, reference, supplier/);
  await expect(page.getByTestId('mv-search')).toHaveAttribute('title', /delivery note .*letter case does not matter/);
  await page.getByRole('toolbar', { name: 'Movement filters' }).screenshot({ path: 'test-results/serial-history-search-box.png' });
  const rows = page.getByTestId('mv-row');
  const shown = () =>
    rows.evaluateAll((rs) =>
      rs.map((r) => [r.querySelector('[data-testid="mv-serial"]')?.textContent?.trim() ?? '-', r.querySelector('[data-testid="mv-cell-type"]')?.textContent?.trim() ?? '?']),
    );
  // The exact unit's history (sold, transferred in and out, received on a supplier order) and the unit whose serial starts with it.
  const history = [
    ['SN-4471', 'Sale'],
    ['SN-4471', 'Transfer In'],
    ['SN-4471', 'Transfer Out'],
    ['SN-44710', 'Supplier Order'],
    ['SN-4471', 'Supplier Order'],
  ];
  await page.getByTestId('mv-search').fill('SN-4471');
  await expect.poll(shown, { timeout: 15_000 }).toEqual(history);
  await expect(page.getByTestId('mv-count')).toContainText('5 movements', { timeout: 15_000 });
  await page.screenshot({ path: 'test-results/serial-history-found.png' });

  // The clerk reads the serial off the label in lower case: the same history.
  await page.getByTestId('mv-search').fill('sn-4471');
  await expect.poll(shown, { timeout: 15_000 }).toEqual(history);
  await expect(page.getByTestId('mv-count')).toContainText('5 movements', { timeout: 15_000 });

  // The supplier's delivery note, typed as it is on the paper (any case): the receipt's three units.
  await page.getByTestId('mv-search').fill('dn-4411');
  await expect.poll(shown, { timeout: 15_000 }).toEqual([
    ['SN-44710', 'Supplier Order'],
    ['SN-4472', 'Supplier Order'],
    ['SN-4471', 'Supplier Order'],
  ]);
  await expect(rows.first()).toContainText('DN-4411');
  await expect(page.getByTestId('mv-count')).toContainText('3 movements', { timeout: 15_000 });
  await page.screenshot({ path: 'test-results/serial-history-delivery-note.png' });

  // The customer on the sale.
  await page.getByTestId('mv-search').fill('bistro');
  await expect.poll(shown, { timeout: 15_000 }).toEqual([['SN-4471', 'Sale']]);

  // A serial in a row is a link to that serial's history: SN-4472, received and still in the warehouse.
  await page.getByTestId('mv-search').fill('SN-447');
  await expect.poll(async () => (await shown()).length, { timeout: 15_000 }).toBe(6);
  await page.getByTestId('mv-serial').filter({ hasText: 'SN-4472' }).click();
  await expect(page.getByTestId('mv-search')).toHaveValue('SN-4472');
  await expect.poll(shown, { timeout: 15_000 }).toEqual([['SN-4472', 'Supplier Order']]);
  await page.screenshot({ path: 'test-results/serial-history-link.png' });

  // A full count of the warehouse (SN-4472 and SN-44710 in stock): the counter scans SN-4472 and SN-5000, not SN-44710.
  // Two units counted where two are recorded, yet one is missing and another found: the sheet says so, not 0, and the
  // variances filter keeps the line.
  await page.getByRole('link', { name: 'Counts' }).click();
  await page.getByRole('button', { name: 'New count' }).click();
  const warehouse = (await page.getByLabel('Count site').locator('option', { hasText: 'Warehouse' }).first().innerText()).trim();
  await page.getByLabel('Count site').selectOption({ label: warehouse });
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByTestId('count-sheet')).toContainText('full count');
  const line = page.getByTestId('count-row').filter({ has: page.getByTestId('count-sku').getByText('DRILL-18V', { exact: true }) });
  await line.getByTestId('count-codes-button').click();
  const codes = page.getByRole('dialog');
  // A unit scanned by mistake and removed leaves the line not counted, saying so (the scan's message gone); "None here"
  // counts it with none of its units (the Swiss walk could not record a missing drill); a scan then counts it by its codes.
  await codes.getByLabel('Code to add').fill('SN-4472');
  await codes.getByLabel('Code to add').press('Enter');
  await expect(codes.getByTestId('count-code')).toHaveCount(1, { timeout: 15_000 });
  await codes.getByRole('button', { name: 'Remove SN-4472' }).click();
  await expect(codes.getByTestId('codes-message')).toHaveText(/^SN-4472 removed\. No serial numbers are left on the line, so it is not counted: if none of these units is here, choose None here\.$/);
  await expect(codes.getByTestId('count-code')).toHaveCount(0);
  await codes.getByRole('button', { name: 'None here' }).click();
  await expect(codes.getByTestId('codes-message')).toHaveText('Counted: none of these units is here. Completing the count takes the 2 units recorded here out.');
  await expect(line.getByTestId('count-variance')).toHaveText('−2', { timeout: 15_000 });
  await expect(codes.getByText('Counted: none here.')).toBeVisible();
  await expect(codes.getByRole('button', { name: 'Not counted' })).toBeVisible();
  await page.screenshot({ path: 'test-results/serial-history-none-here.png' });
  for (const [i, code] of ['SN-4472', 'SN-5000'].entries()) {
    await codes.getByLabel('Code to add').fill(code);
    await codes.getByLabel('Code to add').press('Enter');
    await expect(codes.getByTestId('count-code')).toHaveCount(i + 1, { timeout: 15_000 });
  }
  await codes.getByRole('button', { name: 'Done' }).click();
  await expect(line.getByTestId('count-variance')).toHaveText('−1 +1', { timeout: 15_000 });
  await expect(line.getByTestId('count-variance')).toHaveAttribute('title', /^1 missing .* 1 found /);
  // The Adjustment column shows what completion posts: one unit out, one in (not a net 0).
  await expect(line.getByTestId('count-adjust')).toHaveText('−1 +1');
  await page.getByLabel('Show').selectOption({ label: 'Variance ≠ 0' });
  await expect(page.getByTestId('count-row')).toHaveCount(1);
  await page.screenshot({ path: 'test-results/serial-history-count-swap.png' });
  expect(errors).toEqual([]);
});
