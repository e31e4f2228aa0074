import { expect, type Browser, type Page } from '@playwright/test';

/** Types into a product picker and chooses the product once the typed keys have landed (see operations.spec.ts). */
export async function typeProduct(page: Page, label: string, sku: string): Promise<void> {
  const box = page.getByRole('combobox', { name: label });
  await box.click();
  await box.pressSequentially(sku);
  await expect(box).toHaveValue(sku);
  await page.getByRole('option').filter({ hasText: `${sku} — ` }).first().click();
}

/** Chooses an option of a Fluent drop-down by its test id (in its open list: native selects have options too). */
/** Types part of an option into a searchable select (focusing it selects its text) and takes the first match with Enter. */
export async function pick(page: Page, testId: string, typed: string, expected: string): Promise<void> {
  const box = page.getByTestId(testId);
  await box.click();
  await box.pressSequentially(typed);
  await expect(page.getByRole('option', { name: expected })).toBeVisible();
  await box.press('Enter');
  await expect(box).toHaveValue(expected);
}

export async function choose(page: Page, testId: string, option: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page.getByRole('listbox').getByRole('option', { name: option, exact: true }).click();
}

/** From an empty ledger's start page: one site and one product, each through its form, as a new user sets them up. */
export async function setUpSiteAndProduct(
  page: Page,
  site: { code: string; kind: string; name: string },
  product: { sku: string; name: string },
): Promise<void> {
  await page.getByRole('link', { name: 'Set up sites and products' }).click();
  await page.getByTestId('site-new').click();
  await page.getByTestId('site-code').fill(site.code);
  await choose(page, 'site-kind', site.kind);
  await page.getByTestId('site-name').fill(site.name);
  await page.getByTestId('site-name').press('Enter');
  await expect(page.getByTestId(`site-row-${site.code}`)).toContainText(site.kind);
  await page.getByRole('link', { name: /Products/ }).first().click();
  await page.getByTestId('product-new').click();
  await page.getByTestId('product-sku').fill(product.sku);
  await page.getByTestId('product-name').fill(product.name);
  await page.getByTestId('product-save').click();
  await expect(page.getByTestId(`product-row-${product.sku}`)).toBeVisible();
}

/** Two windows of the app in separate browser contexts (two people), with every page error collected. */
export async function twoWindows(browser: Browser): Promise<{ a: Page; b: Page; errors: string[] }> {
  const errors: string[] = [];
  const a = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  const b = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  for (const p of [a, b]) p.on('pageerror', (e) => errors.push(e.message));
  return { a, b, errors };
}
