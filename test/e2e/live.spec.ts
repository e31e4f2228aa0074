import { expect, test } from '@playwright/test';
import { E2E_TOKEN } from '../../playwright.config';
import { setUpSiteAndProduct, twoWindows, typeProduct } from './masterdata-steps';

test.describe.configure({ mode: 'serial' });

test("two windows: a receipt posted in A shows in B's Current Stock without a reload", async ({ browser }) => {
  const { a, b, errors } = await twoWindows(browser);

  // A sets up a site and a product on the empty database.
  await a.goto(`/#token=${E2E_TOKEN}`);
  await expect(a.getByTestId('stock-empty-state')).toBeVisible({ timeout: 30_000 });
  await setUpSiteAndProduct(a, { code: 'KIT', kind: 'Kitchen', name: 'Main kitchen' }, { sku: 'FLOUR-00', name: 'Flour 00' });

  // B opens Current Stock and stays there; a marker on its window would be gone after any reload.
  await b.goto(`/#token=${E2E_TOKEN}`);
  await expect(b.getByRole('link', { name: /^Stock/ }).first()).toBeVisible({ timeout: 30_000 });
  await b.evaluate(() => ((window as unknown as { neverReloaded: boolean }).neverReloaded = true));

  const receive = async (qty: string) => {
    await a.getByRole('link', { name: /Operations/ }).first().click();
    await expect(a.getByRole('tab', { name: 'Receive' })).toBeVisible();
    await a.getByLabel('Site', { exact: true }).selectOption({ label: 'Main kitchen' });
    await typeProduct(a, 'Line 1 product', 'FLOUR-00');
    await a.getByLabel('Line 1 quantity').fill(qty);
    await a.getByLabel('Line 1 unit cost').fill('0.80');
    await a.getByRole('button', { name: 'Review' }).click();
    await a.getByRole('button', { name: 'Post', exact: true }).click();
    await expect(a.getByTestId('op-result')).toContainText(/Posted Receipt .*: 1 movement\./);
  };

  await receive('5');
  const row = b.getByTestId('stock-row').filter({ hasText: 'FLOUR-00' });
  await expect(row.getByTestId('stock-on-hand')).toContainText('5', { timeout: 5_000 });
  await b.getByLabel('Filter by SKU or name').fill('FLOUR');
  await expect(row).toHaveCount(1);

  // A second receipt: B's row follows again, still without a reload.
  await receive('2');
  await expect(row.getByTestId('stock-on-hand')).toContainText('7', { timeout: 5_000 });
  await b.screenshot({ path: 'test-results/live-b-current-stock.png' });
  expect(await b.evaluate(() => (window as unknown as { neverReloaded?: boolean }).neverReloaded)).toBe(true);
  expect(errors).toEqual([]);
});
