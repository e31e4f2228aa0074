import { expect, test } from '@playwright/test';
import { E2E_TOKEN } from '../../playwright.config';

test.describe.configure({ mode: 'serial' });

test('dashboard charts, printable reports, XLSX export and the low-stock badge on demo data', async ({ page }) => {
  test.setTimeout(240_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`/#token=${E2E_TOKEN}`);
  // Demo data: loaded here, unless a spec before this one in the same server run already did.
  const load = page.getByRole('button', { name: 'Load demo data' });
  const firstRow = page.getByTestId('stock-row').first();
  await expect(load.or(firstRow)).toBeVisible({ timeout: 30_000 });
  if (await load.isVisible()) await load.click();
  await expect(firstRow).toBeVisible({ timeout: 120_000 });
  // The navigation shows how many products are low or out of stock.
  await expect(page.getByTestId('nav-low-stock')).toHaveText(/^\d+\+?$/, { timeout: 15_000 });

  await page.evaluate(() => (window.location.hash = '#/enquiry'));
  await expect(page.getByTestId('mv-row').first()).toBeVisible({ timeout: 30_000 });

  // XLSX export of a narrow filter runs as a background job and finishes.
  await page.getByTestId('export-xlsx').click();
  const job = page.getByTestId('export-job').first();
  await expect(job).toContainText('XLSX export');
  await expect(job).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  await page.getByTestId('jobs-panel').getByRole('button', { name: 'Close panel' }).click();

  // Dashboard: movements by type per day, stock value over time, top movers.
  await page.getByTestId('tab-dashboard').click();
  const dash = page.getByTestId('dashboard');
  await expect(dash.getByTestId('dash-by-type').getByTestId('chart-series').first()).toBeVisible({ timeout: 60_000 });
  await page.getByTestId('dash-90').click();
  await expect(dash.getByTestId('dash-value-chart').getByTestId('chart-area')).toBeVisible({ timeout: 30_000 });
  await expect(dash.getByTestId('dash-movers').getByTestId('chart-bar').first()).toBeVisible();
  await expect(dash.getByTestId('dash-movements')).toHaveText(/^[\d,]+$/);
  await page.waitForTimeout(300);
  await page.screenshot({ path: 'test-results/enquiry-dashboard.png' });
  // Top movers say what they count: value out to customers (a receipt's reversal or a transfer is no outflow).
  await expect(dash.getByTestId('dash-movers')).toContainText('Value out to customers: sales and despatches less refunds (at cost)');
  await dash.getByTestId('dash-movers').getByTestId('chart-bar').first().hover();
  await expect(page.getByText(/^Value out to customers \(sales and despatches less refunds, at cost\): /)).toBeVisible();
  await page.screenshot({ path: 'test-results/enquiry-dashboard-movers.png' });

  // Reports: stock balance over the last 30 days, then inventory transactions; both printable.
  await page.getByTestId('tab-reports').click();
  const balance = page.getByTestId('balance-table');
  await expect(balance.locator('tbody tr').nth(3)).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('balance-total')).toHaveText(/£[\d,]+\.\d\d/);
  await page.screenshot({ path: 'test-results/enquiry-report-balance.png' });
  await page.getByTestId('report-site').selectOption({ index: 1 });
  await expect(async () => {
    const sites = await balance.locator('tbody tr td:nth-child(3)').allInnerTexts();
    expect(sites.length).toBeGreaterThan(0);
    expect(new Set(sites.filter(Boolean)).size).toBe(1);
  }).toPass({ timeout: 30_000 });
  await page.getByTestId('report-transactions').click();
  const tx = page.getByTestId('transactions-table');
  await expect(tx.locator('tbody tr').first()).toBeVisible({ timeout: 60_000 });
  await page.emulateMedia({ media: 'print' });
  await page.screenshot({ path: 'test-results/enquiry-report-transactions-print.png' });
  await page.emulateMedia({ media: 'screen' });
  expect(errors).toEqual([]);
});
