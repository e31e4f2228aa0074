import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { e2ePort, E2E_TOKEN } from '../../playwright.config';
import { catalogProductsCsv } from '../fixtures/catalog-csv';
import { setUpBusiness, shot, tradeAndCount } from './new-business-steps';

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1366, height: 768 } });

test('done when: a new business from an empty database — assistant, site and bins, products by form and by import, receive, sell a recipe, count a bin, verify holds', async ({ page }) => {
  test.setTimeout(600_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`/#token=${E2E_TOKEN}`);

  await setUpBusiness(page);

  // 4. 1,000 more products from a spreadsheet through the Catalog window.
  const csv = join(mkdtempSync(join(tmpdir(), 'stockbook-new-business-')), 'products.csv');
  writeFileSync(csv, catalogProductsCsv(1000, 'CAT'));
  await page.getByTestId('nav-catalog').click();
  await page.getByTestId('catalog-file').setInputFiles(csv);
  // The preview checks the 1,000 rows in a job: on a loaded machine that takes longer than an assertion's default 5 s.
  await expect(page.getByTestId('catalog-summary-products')).toContainText('1,000 rows · 1,000 to create · 0 to update · 0 unchanged', { timeout: 60_000 });
  await shot(page, '07-catalog-preview');
  await page.getByTestId('catalog-import').click();
  await expect(page.getByTestId('catalog-job')).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  await expect(page.getByTestId('catalog-job-message')).toContainText('products 1,000 created');
  await shot(page, '08-catalog-imported');
  await page.getByTestId('nav-products').click();
  await expect(page.getByText('1,008 products', { exact: false }).first()).toBeVisible();

  await tradeAndCount(page);
  expect(errors).toEqual([]);

  // 8. `stockbook verify` on the ledger file, read-only beside the running server.
  const out = execFileSync('node', ['--import', 'tsx', 'electron/cli/main.ts', 'verify', '--db', `.tmp/e2e-${e2ePort('new-business')}.db`], { encoding: 'utf8' });
  expect(out).toContain('All invariants hold.');
  expect(out).not.toContain('FAIL');
});
