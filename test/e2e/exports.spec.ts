import { readFileSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { E2E_TOKEN } from '../../playwright.config';

test.describe.configure({ mode: 'serial' });

/** "12,345" → 12345 */
const num = (text: string) => Number(text.replace(/[^\d]/g, ''));

/** Clicks the list's Export, takes the browser's download and returns its data rows (the header left out). */
async function exportRows(page: Page, exporter: Locator): Promise<{ rows: number; name: string; done: number }> {
  const download = page.waitForEvent('download', { timeout: 60_000 });
  await exporter.getByRole('button', { name: 'Export' }).click();
  const d = await download;
  const text = readFileSync((await d.path())!, 'utf8');
  expect(text.startsWith('\uFEFF')).toBe(true);
  const lines = text.split('\r\n');
  expect(lines.at(-1)).toBe('');
  const done = exporter.locator('[data-rows]');
  await expect(done).toBeVisible();
  // Browser mode: the finished export names the downloaded file only, never the server's path to it.
  await expect(done).toHaveAttribute('title', d.suggestedFilename());
  const finished = page.getByTestId('job-indicator').locator('[title]');
  await expect(finished).toHaveAttribute('title', new RegExp(` to ${d.suggestedFilename().replace(/[.]/g, '\\.')}\\.$`));
  return { rows: lines.length - 2, name: d.suggestedFilename(), done: Number(await done.getAttribute('data-rows')) };
}

test('every list that says "export" downloads a file holding exactly the rows the screen counts', async ({ page }) => {
  test.setTimeout(300_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(`/#token=${E2E_TOKEN}`);
  // From an empty database: demo data through the Current Stock window's empty state.
  await page.getByRole('button', { name: 'Load demo data' }).click();
  await expect(page.getByTestId('stock-row').first()).toBeVisible({ timeout: 120_000 });

  // Current Stock: the summary counts product-sites for the filters; the file holds that many.
  const summary = page.getByTestId('stock-summary');
  await page.getByRole('combobox', { name: 'Status' }).selectOption('low');
  // "N product-sites · L low · O out": N counts the filtered rows, L every low one, so N = L once the filtered answer is in
  // (until then the summary still counts every product-site; a CI run read it too early).
  const filteredCount = async () => {
    const m = /^([\d,.\u00a0\u202f]+) product-sites?\s*·\s*([\d,.\u00a0\u202f]+) low/.exec((await summary.textContent()) ?? '');
    return m && num(m[1]!) === num(m[2]!) ? num(m[1]!) : -1;
  };
  await expect.poll(filteredCount, { timeout: 60_000 }).toBeGreaterThan(0);
  const stockCount = await filteredCount();
  expect(stockCount).toBeGreaterThan(0);
  const stock = await exportRows(page, page.getByTestId('list-export'));
  expect(stock).toMatchObject({ rows: stockCount, done: stockCount });
  expect(stock.name).toMatch(/^currentStock-.*\.csv$/);
  await page.screenshot({ path: 'test-results/exports-current-stock.png' });

  // Low stock (Enquiry): "N low in stock, M out of stock" — N + M rows.
  await page.evaluate(() => (window.location.hash = '#/enquiry'));
  await page.getByTestId('tab-low').click();
  const low = page.getByTestId('low-stock');
  await expect(low.getByTestId('low-summary')).toContainText('out of stock');
  const [lowN, outN] = (await low.getByTestId('low-summary').textContent())!.match(/\d[\d,]*/g)!.map(num);
  const lowFile = await exportRows(page, low.getByTestId('list-export'));
  expect(lowFile).toMatchObject({ rows: lowN! + outN!, done: lowN! + outN! });

  // Stock at a date: "N lines as at …".
  await page.getByTestId('tab-at-date').click();
  const atDate = page.getByTestId('stock-at-date');
  await atDate.getByTestId('sad-show').click();
  await expect(atDate.getByTestId('sad-summary')).toContainText('lines as at');
  const atCount = num((await atDate.getByTestId('sad-summary').textContent())!.split('lines')[0]!);
  expect(atCount).toBeGreaterThan(0);
  expect(await exportRows(page, atDate.getByTestId('list-export'))).toMatchObject({ rows: atCount, done: atCount });

  // Inventory transactions (Reports) over the last 30 days: every movement of the period the screen counts is a row of the file.
  await page.getByTestId('tab-reports').click();
  // The Reports tab opens on the stock balance; let it finish adding up first (it is slow on a busy machine).
  await expect(page.getByTestId('balance-total')).toHaveText(/\d/, { timeout: 120_000 });
  await page.getByTestId('report-transactions').click();
  const reports = page.getByTestId('reports');
  // The table shows only the rows in view (it loads pages as it scrolls); the count above it is the whole period's.
  const txSummary = reports.getByTestId('transactions-summary');
  await expect(txSummary).toContainText(/\d+ movements? ·/, { timeout: 60_000 });
  await expect(txSummary).not.toContainText('more than');
  const txCount = num(/([\d,.\u00a0\u202f ]+) movements? ·/.exec((await txSummary.textContent())!)![1]!);
  expect(txCount).toBeGreaterThan(0);
  expect(await exportRows(page, reports.getByTestId('list-export'))).toMatchObject({ rows: txCount, done: txCount });
  await page.screenshot({ path: 'test-results/exports-transactions.png' });

  // Trial balance (Posting), after posting everything: one row per account shown.
  await page.getByRole('navigation', { name: 'Windows' }).getByRole('link', { name: /Posting/ }).click();
  await page.getByRole('tab', { name: 'Post movements' }).click();
  await page.getByLabel('Post movements up to').fill('2099-12-31T23:59');
  await expect(page.getByTestId('posting-preview')).toContainText(/[\d,]+ unposted movements/);
  await page.getByRole('button', { name: 'Post…' }).click();
  await page.getByRole('dialog', { name: 'Confirm posting' }).getByRole('button', { name: /^Post [\d,]+ movements$/ }).click();
  await expect(page.getByTestId('posting-report')).toBeVisible({ timeout: 120_000 });
  await page.getByRole('tab', { name: 'Trial balance' }).click();
  const tb = page.getByRole('table', { name: 'Trial balance' });
  await expect(tb).toContainText('balanced');
  const accounts = (await tb.locator('tbody tr').count()) - 1; // less the Total row
  expect(accounts).toBeGreaterThan(1);
  const tbFile = await exportRows(page, page.getByTestId('list-export'));
  expect(tbFile).toMatchObject({ rows: accounts, done: accounts });
  await page.screenshot({ path: 'test-results/exports-trial-balance.png' });
  expect(errors).toEqual([]);
});
