import { expect, type Page } from '@playwright/test';

/** Types into a product picker and chooses the product once the typed keys have landed (see operations.spec.ts). */
export async function typeProduct(page: Page, label: string, sku: string): Promise<void> {
  const box = page.getByRole('combobox', { name: label });
  await box.click();
  await box.pressSequentially(sku);
  await expect(box).toHaveValue(sku);
  await page.getByRole('option').filter({ hasText: `${sku} — ` }).first().click();
}

/** Chooses an option of a Fluent drop-down by its test id (in its open list: native selects have options too). */
export async function choose(page: Page, testId: string, option: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page.getByRole('listbox').getByRole('option', { name: option, exact: true }).click();
}
