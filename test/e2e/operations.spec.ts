import { expect, test, type Page } from '@playwright/test';
import { E2E_TOKEN } from '../../playwright.config';

test.describe.configure({ mode: 'serial' });

async function pickProduct(page: Page, label: string, hasText: string): Promise<string> {
  await page.getByRole('combobox', { name: label }).click();
  const option = page.getByRole('option').filter({ hasText }).first();
  await expect(option).toBeVisible({ timeout: 15_000 });
  const text = await option.innerText();
  await option.click();
  return text.split(' — ')[0]!.trim();
}

async function openOperations(page: Page): Promise<void> {
  await page.getByRole('link', { name: /Operations/ }).first().click();
  await expect(page.getByRole('tab', { name: 'Receive' })).toBeVisible();
}

async function typeProduct(page: Page, label: string, sku: string): Promise<void> {
  const box = page.getByRole('combobox', { name: label });
  await box.click();
  await box.pressSequentially(sku);
  await page.getByRole('option').filter({ hasText: `${sku} — ` }).first().click();
}

test('receive, despatch, and an adjustment draft that survives a reload', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`/#token=${E2E_TOKEN}`);
  await page.getByRole('button', { name: 'Load demo data' }).click({ timeout: 30_000 });
  await expect(page.getByTestId('stock-row').first()).toBeVisible({ timeout: 90_000 });

  await openOperations(page);

  // Receive a bulk product with a declared cost and freight.
  const sku = await pickProduct(page, 'Line 1 product', 'Supplied · BULK');
  await page.getByLabel('Line 1 quantity').fill('5');
  await page.getByLabel('Line 1 unit cost').fill('2.50');
  await page.getByLabel('Line 1 freight').fill('0.10');
  await page.screenshot({ path: 'test-results/operations-receive.png' });
  await page.getByRole('button', { name: 'Post' }).click();
  await expect(page.getByTestId('op-result')).toContainText(/Posted document \d+: 1 movement/);

  // Despatch part of it.
  await page.getByRole('tab', { name: 'Despatch / sale' }).click();
  await typeProduct(page, 'Line 1 product', sku);
  await page.getByLabel('Line 1 quantity').fill('2');
  await page.getByRole('button', { name: 'Post' }).click();
  await expect(page.getByTestId('op-result')).toContainText(/Posted document \d+/);

  // An adjustment draft: start, add a line, reload, resume, post.
  await page.getByRole('tab', { name: 'Adjustments' }).click();
  await page.getByLabel('New adjustment name').fill('E2E shrinkage');
  await page.getByRole('button', { name: 'Start draft' }).click();
  await typeProduct(page, 'New draft line product', sku);
  await page.getByLabel('New draft line quantity').fill('-1');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByTestId('draft-line')).toHaveCount(1);
  // A fresh page load (the token lives only in the URL fragment, so load it again the same way).
  await page.goto('about:blank');
  await page.goto(`/#token=${E2E_TOKEN}`);
  await openOperations(page);
  await page.getByRole('tab', { name: 'Adjustments' }).click();
  const draftRow = page.getByTestId('draft-row').filter({ hasText: 'E2E shrinkage' });
  await expect(draftRow).toContainText('1');
  await draftRow.getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByTestId('draft-line')).toHaveCount(1);
  await page.screenshot({ path: 'test-results/operations-adjustments.png' });
  await page.getByRole('button', { name: 'Post adjustment' }).click();
  await expect(page.getByTestId('op-result')).toContainText(/Posted "E2E shrinkage"/);
  await expect(page.getByTestId('history-row').first()).toContainText('E2E shrinkage');
  await expect(page.getByTestId('history-row').first()).toContainText(`${sku} -1`);
  expect(errors).toEqual([]);
});
