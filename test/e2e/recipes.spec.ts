import { expect, test, type Page } from '@playwright/test';
import { e2ePort, E2E_TOKEN } from '../../playwright.config';
import { contractCall } from './contract-call';

test.describe.configure({ mode: 'serial' });

/** Calls the contract over this spec's browser-mode session (contract-call.ts). */
const call = <T>(method: string, input: unknown): Promise<T> => contractCall<T>(e2ePort('recipes'), method, input);

/** Types into a product picker and chooses the product once the typed keys have landed. */
async function typeProduct(page: Page, label: string, sku: string): Promise<void> {
  const box = page.getByRole('combobox', { name: label });
  await box.click();
  await box.pressSequentially(sku);
  await expect(box).toHaveValue(sku);
  await page.getByRole('option').filter({ hasText: `${sku} — ` }).first().click();
}

async function nav(page: Page, name: RegExp): Promise<void> {
  await page.getByRole('link', { name }).first().click();
}

async function stockOf(page: Page, sku: string): Promise<string> {
  await nav(page, /^Stock/);
  await page.getByLabel('Filter by SKU or name').fill(sku);
  const row = page.getByTestId('stock-row').filter({ hasText: sku });
  await expect(row).toHaveCount(1, { timeout: 15_000 });
  // The number, without the unit shown after it ("9.500kg").
  return (await row.getByTestId('stock-on-hand').innerText()).trim().replace(/[^\d.,-].*$/, '');
}

async function postOperation(page: Page, tabName: string, lines: [string, string, string?][]): Promise<void> {
  await nav(page, /Operations/);
  await page.getByRole('tab', { name: tabName, exact: true }).click();
  await page.getByLabel('Site', { exact: true }).selectOption({ label: 'Main kitchen' });
  for (const [i, [sku, qty, cost]] of lines.entries()) {
    if (i > 0) await page.getByRole('button', { name: 'Add line' }).click();
    await typeProduct(page, `Line ${i + 1} product`, sku);
    await page.getByLabel(`Line ${i + 1} quantity`).fill(qty);
    if (cost) await page.getByLabel(`Line ${i + 1} unit cost`).fill(cost);
  }
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByTestId('op-review')).toBeVisible();
}

const product = (sku: string, name: string, over: Record<string, unknown> = {}) =>
  call('masterdata.productCreate', { sku, name, unit: 'ea', scale: 0, stockType: 'Supplied', tracking: 'BULK', stockKeeping: true, lowStockLevel: null, ...over });

test('from an empty database: build a recipe of two products in the Recipes window, receive them, sell the recipe, stock of each drops', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`/#token=${E2E_TOKEN}`);
  await expect(page.getByTestId('stock-empty-state')).toBeVisible({ timeout: 30_000 });

  // The master data a new user enters in Sites and Products: a kitchen, flour in kg with 3 decimals, eggs, and a pasta recipe.
  await call('masterdata.siteCreate', { code: 'KIT', name: 'Main kitchen', kind: 'kitchen', allowNegative: false });
  await product('FLOUR-00', 'Flour 00', { unit: 'kg', scale: 3 });
  await product('EGG', 'Free-range egg');
  await product('PASTA', 'Fresh pasta', { stockType: 'Recipe', stockKeeping: false });

  // The Recipes window lists the recipe product with no recipe yet.
  await nav(page, /Recipes/);
  await expect(page.getByTestId('recipe-row-PASTA')).toContainText('no recipe');
  await page.getByTestId('recipe-row-PASTA').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('recipe-editor')).toBeVisible();

  // Keyboard first: pick, Tab to the quantity, Enter adds the next line and puts the focus on its picker.
  await typeProduct(page, 'Component 1', 'FLOUR-00');
  await page.getByTestId('component-qty-0').fill('0.125');
  await page.getByTestId('component-qty-0').press('Enter');
  await expect(page.getByRole('combobox', { name: 'Component 2' })).toBeFocused();
  await typeProduct(page, 'Component 2', 'EGG');
  await page.getByTestId('component-qty-1').fill('2');
  await page.getByTestId('component-qty-1').press('Enter');
  // The recipe itself as a component is refused by main; the line and field are marked with its message.
  await typeProduct(page, 'Component 3', 'PASTA');
  await page.getByTestId('component-qty-2').fill('1');
  await page.getByTestId('component-qty-2').press('Control+Enter');
  await expect(page.getByTestId('component-line-2')).toHaveAttribute('data-invalid', 'true');
  await expect(page.getByTestId('component-line-2')).toContainText('The recipe of PASTA, line 3: PASTA cannot contain itself. Pick another component.');
  await expect(page.getByTestId('recipe-history')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/recipes-refused.png' });
  // A quantity with more decimals than eggs have is refused before anything is sent, on its own field.
  await page.getByRole('button', { name: 'Remove component 3' }).click();
  await page.getByTestId('component-qty-1').fill('1.5');
  await page.getByTestId('recipe-save').click();
  await expect(page.getByTestId('component-line-1')).toHaveAttribute('data-invalid', 'true');
  await expect(page.getByTestId('component-line-1')).toContainText('Line 2 (EGG): "1.5" must be a whole number');
  await page.getByTestId('component-qty-1').fill('2');
  await page.getByTestId('recipe-save').click();
  await expect(page.getByTestId('recipe-saved')).toContainText('Saved: PASTA takes 2 components from the beginning.');
  await expect(page.getByTestId('recipe-history').locator('tbody tr')).toHaveCount(1);
  await expect(page.getByTestId('recipe-history')).toContainText('EGG 2 ea, FLOUR-00 0.125 kg');
  await expect(page.getByTestId('recipe-row-PASTA')).toContainText('the beginning');
  // The explosion preview for 4 portions.
  await page.getByTestId('explosion-qty').fill('4');
  await expect(page.getByTestId('explosion-preview')).toContainText('What a sale takes from stock now');
  await expect(page.getByTestId('explosion-made-note')).toHaveCount(0);
  await expect(page.getByTestId('explosion-totals')).toContainText('FLOUR-00 — 0.500 kg');
  await expect(page.getByTestId('explosion-totals')).toContainText('EGG — 8 ea');
  await page.screenshot({ path: 'test-results/recipes-window.png' });

  // Receive the components, then sell 4 portions of pasta: only the components leave stock.
  await postOperation(page, 'Receive', [['FLOUR-00', '10', '0.80'], ['EGG', '24', '0.25']]);
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(page.getByTestId('op-result')).toContainText('2 movements.');
  await postOperation(page, 'Despatch / sale', [['PASTA', '4']]);
  await expect(page.getByTestId('review-row')).toHaveCount(2);
  await page.screenshot({ path: 'test-results/recipes-sale-review.png', fullPage: true });
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(page.getByTestId('op-result')).toContainText('2 movements.');
  expect(await stockOf(page, 'FLOUR-00')).toBe('9.500');
  expect(await stockOf(page, 'EGG')).toBe('16');

  // A change from now: three eggs. The earlier sale keeps its explosion; the next sale takes three.
  await nav(page, /Recipes/);
  await page.getByTestId('recipe-row-PASTA').click();
  // The editor starts from the version in force, lines by SKU.
  await expect(page.getByRole('combobox', { name: 'Component 1' })).toHaveValue('EGG');
  await expect(page.getByTestId('component-qty-0')).toHaveValue('2');
  await expect(page.getByTestId('component-qty-1')).toHaveValue('0.125');
  await page.getByTestId('component-qty-0').fill('3');
  // From the start of the last minute: the Operations form dates a sale to the minute it was opened.
  const from = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000);
  const local = new Date(from.getTime() - from.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  // Text that is not a date and time: saving refuses at the field, naming it — not a version from now instead.
  await page.getByTestId('recipe-effective-from').fill('next tuesday');
  await page.getByTestId('component-qty-0').press('Control+Enter');
  await expect(page.getByRole('form', { name: 'Recipe of PASTA' })).toContainText("Takes effect from: what is typed is not a date and time. Type one as the field's hint shows");
  await page.screenshot({ path: 'test-results/recipes-from-refused.png' });
  await expect(page.getByTestId('recipe-saved')).toHaveCount(0);
  await expect(page.getByTestId('recipe-history').locator('tbody tr')).toHaveCount(1);
  await page.getByTestId('recipe-effective-from').fill(local);
  await page.getByTestId('component-qty-0').press('Control+Enter');
  await expect(page.getByTestId('recipe-saved')).toContainText('Saved: PASTA takes 2 components from');
  await expect(page.getByTestId('recipe-history').locator('tbody tr')).toHaveCount(2);
  await expect(page.getByTestId('recipe-history').locator('tbody tr').first()).toContainText('(in force)');
  await page.screenshot({ path: 'test-results/recipes-history.png' });
  await postOperation(page, 'Despatch / sale', [['PASTA', '1']]);
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(page.getByTestId('op-result')).toContainText('2 movements.');
  expect(await stockOf(page, 'EGG')).toBe('13');
  expect(await stockOf(page, 'FLOUR-00')).toBe('9.375');

  // A Made product is kept in stock: its recipe is what Production takes, and a sale takes the tart itself, so the
  // window must not say its components leave stock when it is sold.
  const egg = (await product('EGG-TRAY', 'Egg tray')) as { id: number };
  const tart = (await product('TART', 'Egg tart', { stockType: 'Made' })) as { id: number };
  await call('recipes.save', { recipeId: tart.id, components: [{ productId: egg.id, qtyPerUnit: 2 }] });
  await nav(page, /Products/);
  await nav(page, /Recipes/);
  await page.getByTestId('recipe-row-TART').click();
  await expect(page.getByTestId('explosion-preview')).toContainText('What making it takes from stock now');
  await expect(page.getByTestId('explosion-made-note')).toHaveText('TART is a Made product: a sale takes TART itself from stock. Production takes these components to make it.');
  await expect(page.getByTestId('explosion-totals')).toContainText('EGG-TRAY — 2 ea');
  await page.screenshot({ path: 'test-results/recipes-made.png' });
  expect(errors).toEqual([]);
});
