import { expect, test } from '@playwright/test';
import { E2E_TOKEN } from '../../playwright.config';

test.describe.configure({ mode: 'serial' });

test('an empty database offers demo data; Current Stock shows it and filters it', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`/#token=${E2E_TOKEN}`);

  const load = page.getByRole('button', { name: 'Load demo data' });
  await expect(load).toBeVisible({ timeout: 30_000 });
  await load.click();

  const rows = page.getByTestId('stock-row');
  await expect(rows.first()).toBeVisible({ timeout: 90_000 });
  const summary = page.getByTestId('stock-summary');
  await expect(summary).toContainText(/product-sites/);
  const total = Number((await summary.innerText()).match(/([\d,]+) product-sites/)![1]!.replace(/,/g, ''));
  expect(total).toBeGreaterThan(50);
  await page.screenshot({ path: 'test-results/current-stock.png', fullPage: false });

  // Filter by a SKU taken from the first row: every remaining row carries it.
  const sku = (await rows.first().getByTestId('stock-sku').innerText()).trim();
  await page.getByLabel('Filter by SKU or name').fill(sku);
  await expect(summary).not.toContainText(`${total.toLocaleString('en-GB')} product-sites`);
  const filtered = await rows.count();
  expect(filtered).toBeGreaterThan(0);
  for (let i = 0; i < filtered; i++) await expect(rows.nth(i).getByTestId('stock-sku')).toContainText(sku);

  // A search that matches nothing says so.
  await page.getByLabel('Filter by SKU or name').fill('no-such-product-zzz');
  await expect(rows).toHaveCount(0);
  await expect(summary).toContainText('0 product-sites');
  expect(errors).toEqual([]);
});

test('the site filter narrows the table to one site', async ({ page }) => {
  await page.goto(`/#token=${E2E_TOKEN}`);
  const rows = page.getByTestId('stock-row');
  await expect(rows.first()).toBeVisible({ timeout: 30_000 });
  const site = page.getByLabel('Site');
  const options = await site.locator('option').allInnerTexts();
  const one = options.find((o) => !/all sites/i.test(o))!;
  await site.selectOption({ label: one });
  await expect(rows.first()).toBeVisible();
  const n = Math.min(await rows.count(), 20);
  for (let i = 0; i < n; i++) await expect(rows.nth(i)).toContainText(one);
});

test('a page without the token cannot reach the ledger', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('stock-row')).toHaveCount(0);
  await expect(page.getByText(/connection|token|sign/i).first()).toBeVisible({ timeout: 15_000 });
});
