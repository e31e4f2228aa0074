import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { E2E_TOKEN } from '../../playwright.config';

test.describe.configure({ mode: 'serial' });

async function openEnquiry(page: Page) {
  await page.goto(`/#token=${E2E_TOKEN}`);
  await page.evaluate(() => (window.location.hash = '#/enquiry'));
  await expect(page.getByTestId('mv-row').first()).toBeVisible({ timeout: 30_000 });
}

test('demo data loads, and the enquiry lists movements newest first with infinite scroll', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`/#token=${E2E_TOKEN}`);
  const load = page.getByRole('button', { name: 'Load demo data' });
  await expect(load).toBeVisible({ timeout: 30_000 });
  await load.click();
  await expect(page.getByTestId('stock-row').first()).toBeVisible({ timeout: 90_000 });
  await page.evaluate(() => (window.location.hash = '#/enquiry'));
  const rows = page.getByTestId('mv-row');
  await expect(rows.first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('mv-count')).toContainText(/movements/);
  await page.screenshot({ path: 'test-results/enquiry.png' });
  // Infinite scroll: scrolling to the bottom loads the next keyset page.
  await page.getByTestId('mv-scroller').evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  await expect(page.getByText(/^400 loaded/)).toBeVisible({ timeout: 15_000 });
  expect(errors).toEqual([]);
});

test('use case 1: trace a discrepancy — a product and a time range, entry by entry, and its details', async ({ page }) => {
  await openEnquiry(page);
  const rows = page.getByTestId('mv-row');
  const sku = (await rows.first().getByTestId('mv-cell-sku').innerText()).trim();
  await page.getByTestId('mv-search').fill(sku);
  await expect(page.getByTestId('mv-count')).not.toContainText('counting', { timeout: 15_000 });
  await expect(async () => {
    const skus = await page.getByTestId('mv-cell-sku').allInnerTexts();
    expect(skus.length).toBeGreaterThan(0);
    expect(skus.every((x) => x.startsWith(sku))).toBe(true);
  }).toPass({ timeout: 15_000 });
  // Quantities are signed and coloured; the stock level after sits beneath.
  await expect(rows.first().getByTestId('mv-qty')).toHaveText(/^[+-]?[\d,.]+$/);
  await expect(rows.first().getByTestId('mv-after')).toContainText('→');
  await rows.first().getByTestId('mv-product').click();
  const details = page.getByTestId('product-details');
  await expect(details).toBeVisible();
  await expect(details.getByTestId('pd-chart').locator('.recharts-line')).toBeVisible({ timeout: 15_000 });
  // Its tracking reads as Products does (Bulk, Lot…), never the code.
  await expect(details).toContainText(/ · (Supplied|Preparation|Made|Recipe|Other) · (Bulk|Lot|Serial|RFID)/);
  await expect(details).not.toContainText(/ · (BULK|LOT|SERIAL|RFID)/);
  await page.screenshot({ path: 'test-results/enquiry-product-details.png' });
  await details.getByRole('button', { name: 'Close panel' }).click();
  // The movement-type chip narrows to one type.
  await page.getByTestId('chip-types').getByRole('button').first().click();
  await page.getByRole('checkbox', { name: /^Sale \(-\)/ }).check();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('chip-types')).toContainText('Sale');
  await page.getByTestId('mv-search').fill('');
  await expect(async () => {
    const types = await page.getByTestId('mv-cell-type').allInnerTexts();
    expect(types.length).toBeGreaterThan(10);
    expect(types.every((x) => x === 'Sale')).toBe(true);
  }).toPass({ timeout: 15_000 });
  await page.getByRole('button', { name: 'Remove filter Movement type' }).click();
});

test("use case 2: a batch's whole journey with the running remainder", async ({ page }) => {
  await openEnquiry(page);
  await page.getByTestId('mv-search').fill('L');
  const batch = page.getByTestId('mv-batch').first();
  await expect(batch).toBeVisible({ timeout: 15_000 });
  await batch.click();
  const panel = page.getByTestId('batch-journey');
  await expect(panel.getByTestId('journey-step').first()).toBeVisible({ timeout: 15_000 });
  const steps = panel.getByTestId('journey-step');
  const last = (await steps.last().getByTestId('journey-remainder').innerText()).trim();
  await expect(panel.getByTestId('journey-remaining')).toContainText(last);
  await page.screenshot({ path: 'test-results/enquiry-batch-journey.png' });
  await page.getByTestId('mv-search').fill('');
});

test('a source document is named in words (its kind and reference), in the grid, the chip and the batch journey', async ({ page }) => {
  await openEnquiry(page);
  const sources = page.getByTestId('mv-source');
  await expect(sources.first()).toBeVisible();
  const texts = await sources.allInnerTexts();
  // "Receipt GRN-000123", "Production WO-000045": no stored type codes (snake_case) and no row ids.
  for (const t of texts) expect(t).toMatch(/^[A-Z][a-z-]+( [a-z]+)* \S/);
  for (const t of texts) expect(t).not.toMatch(/_|#/);
  const first = texts[0]!.trim();
  await sources.first().click();
  await expect(page.getByTestId('chip-document')).toContainText(first);
  await expect(page.getByTestId('chip-document')).not.toContainText('#');
  await expect(async () => expect((await sources.allInnerTexts()).every((t) => t.trim() === first)).toBe(true)).toPass({ timeout: 15_000 });
  await page.getByRole('button', { name: 'Remove filter Source' }).click();
  await page.getByTestId('mv-search').fill('L');
  await page.getByTestId('mv-batch').first().click();
  const journey = page.getByTestId('batch-journey');
  await expect(journey.getByTestId('journey-step').first()).toBeVisible({ timeout: 15_000 });
  await expect(journey).not.toContainText(/_|#\d/);
  await page.getByTestId('mv-search').fill('');
});

test('use case 3: month-end — last month exported to CSV as a background job, read back and checked', async ({ page }) => {
  await openEnquiry(page);
  const count = page.getByTestId('mv-count');
  await expect(count).toHaveText(/^[\d,]+ movements$/, { timeout: 20_000 });
  const all = await count.innerText();
  await page.getByTestId('chip-occurred').getByRole('button').first().click();
  await page.getByTestId('range-last-month').click();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('chip-occurred')).toContainText(' – ');
  await expect(count).not.toHaveText(all, { timeout: 20_000 });
  await expect(count).toHaveText(/^[\d,]+ movements$/, { timeout: 20_000 });
  const expected = Number((await count.innerText()).replace(/[^\d]/g, ''));
  expect(expected).toBeGreaterThan(0);
  const firstSeq = Number(await page.getByTestId('mv-row').first().getAttribute('data-seq'));
  await page.getByTestId('export-csv').click();
  const job = page.getByTestId('export-job').first();
  await expect(job).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await page.screenshot({ path: 'test-results/enquiry-export.png' });
  // Browser mode: the panel names the file the browser downloads, never the server's path to it.
  const name = (await job.getByTestId('export-file').innerText()).trim();
  expect(name).toMatch(/^movements-[^/\\]+\.csv$/);
  const download = page.waitForEvent('download');
  await job.getByTestId('export-download').click();
  const d = await download;
  expect(d.suggestedFilename()).toBe(name);
  const lines = readFileSync((await d.path())!, 'utf8').replace(/^\uFEFF/, '').trimEnd().split('\r\n');
  expect(lines[0]).toMatch(/^Seq,Occurred at \([^)]+\),Recorded at \([^)]+\),Backdated,SKU,Product,/);
  expect(lines.length - 1).toBe(expected);
  // Oldest first in the file; the newest (first on screen) is the last line.
  expect(Number(lines.at(-1)!.split(',')[0])).toBe(firstSeq);
  const now = new Date();
  const from = new Date(now.getFullYear(), now.getMonth() - 1, 1).getTime();
  const to = new Date(now.getFullYear(), now.getMonth(), 1).getTime();
  for (const line of lines.slice(1, 200)) {
    const at = Date.parse(line.split(',')[1]!);
    expect(at).toBeGreaterThanOrEqual(from);
    expect(at).toBeLessThan(to);
  }
});

test('stock at a date and the low-stock list', async ({ page }) => {
  await openEnquiry(page);
  await page.getByTestId('tab-at-date').click();
  await page.getByTestId('sad-show').click();
  await expect(page.getByTestId('sad-row').first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('sad-summary')).toContainText('movements since');
  await page.screenshot({ path: 'test-results/enquiry-stock-at-date.png' });
  await page.getByTestId('tab-low').click();
  await expect(page.getByTestId('low-row').first()).toBeVisible({ timeout: 30_000 });
});
