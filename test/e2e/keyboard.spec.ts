import { expect, test, type Page } from '@playwright/test';
import { E2E_TOKEN } from '../../playwright.config';

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1366, height: 768 } });

/**
 * The clerk's keyboard, counted: every key press the test sends goes through here (a chord such as Ctrl+Enter or
 * Alt+3 is one press). Typing is paced like a person (60 ms between keys), so the scanner detector, which takes fast
 * keys for a barcode gun, never sees a scan.
 */
class Keyboard {
  readonly pressed: string[] = [];
  constructor(private readonly page: Page) {}
  async press(key: string): Promise<void> {
    this.pressed.push(key);
    await this.page.keyboard.press(key);
  }
  async type(text: string): Promise<void> {
    this.pressed.push(...text);
    await this.page.keyboard.type(text, { delay: 60 });
  }
}

/** Setup through the windows (not counted): a supplier, a site, and the three products of the delivery. */
async function setUp(page: Page): Promise<void> {
  await page.getByTestId('nav-suppliers').click();
  await page.getByTestId('supplier-new').click();
  await page.getByTestId('supplier-code').fill('ACME');
  await page.getByTestId('supplier-country').selectOption('FR');
  await page.getByTestId('supplier-name').fill('Acme Foods');
  await page.getByTestId('supplier-name').press('Enter');
  await expect(page.getByTestId('supplier-row-ACME')).toBeVisible();

  await page.getByTestId('nav-sites').click();
  await page.getByTestId('site-new').click();
  await page.getByTestId('site-code').fill('MAIN');
  await page.getByTestId('site-name').fill('Main');
  await page.getByTestId('site-name').press('Enter');
  await expect(page.getByTestId('site-row-MAIN')).toBeVisible();

  await page.getByTestId('nav-products').click();
  await page.getByTestId('product-new').click();
  for (const [sku, name] of [
    ['FLOUR', 'Strong white flour'],
    ['SUGAR', 'Caster sugar'],
    ['BUTTER', 'Butter 250 g'],
  ]) {
    await expect(page.getByTestId('product-sku')).toBeFocused();
    await page.getByTestId('product-sku').fill(sku!);
    await page.getByTestId('product-name').fill(name!);
    await page.getByTestId('product-name').press('Enter');
    await expect(page.getByTestId('product-added')).toContainText(`Added ${sku}`);
  }
  await page.keyboard.press('Escape');
}

const combo = (page: Page, name: string) => page.getByRole('combobox', { name });
const field = (page: Page, name: string) => page.getByLabel(name, { exact: true });

test('a 3-line delivery received with the keyboard only, in under 40 keys; Alt+n, Ctrl+K/F3, ?, Esc and Enter on Current Stock', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`/#token=${E2E_TOKEN}`);
  await expect(page.getByTestId('stock-empty-state')).toBeVisible({ timeout: 30_000 });
  await setUp(page);
  // The clerk starts from Current Stock (empty: nothing received yet).
  await page.getByTestId('nav-stock').click();
  await expect(page.getByTestId('stock-empty-state')).toBeVisible();

  // ---- The delivery: from Current Stock, keys only, each counted.
  const kb = new Keyboard(page);
  await kb.press('Alt+3'); // Operations; the Receive form's supplier takes the focus
  await expect(page.getByRole('tab', { name: 'Receive', selected: true })).toBeVisible();
  const supplier = page.getByTestId('supplier-picker');
  await expect(supplier).toBeFocused();
  await kb.type('ac');
  await kb.press('Enter'); // takes Acme, on to line 1
  await expect(supplier).toHaveValue('Acme Foods (ACME)');
  const lines: [string, string, string, string][] = [
    ['flo', 'FLOUR', '10', '2.5'],
    ['sug', 'SUGAR', '20', '1.2'],
    ['but', 'BUTTER', '5', '3.4'],
  ];
  for (const [i, [typed, sku, qty, cost]] of lines.entries()) {
    const n = i + 1;
    await expect(combo(page, `Line ${n} product`)).toBeFocused();
    await kb.type(typed);
    await kb.press('Enter'); // the only product matching: taken, on to the quantity
    await expect(combo(page, `Line ${n} product`)).toHaveValue(sku);
    await expect(field(page, `Line ${n} quantity`)).toBeFocused();
    await kb.type(qty);
    await kb.press('Enter');
    await expect(field(page, `Line ${n} unit cost`)).toBeFocused();
    await kb.type(cost);
    if (n < lines.length) await kb.press('Enter'); // the next line, added, its product focused
  }
  await kb.press('Control+Enter'); // review
  await expect(page.getByTestId('review-row')).toHaveCount(3);
  await expect(page.getByTestId('op-post')).toBeFocused();
  await page.screenshot({ path: 'test-results/keyboard-receive-review.png' });
  await kb.press('Control+Enter'); // post
  const result = page.getByTestId('op-result');
  await expect(result).toContainText('Posted Receipt (no reference): 3 movements.');
  // Ready for the next delivery: the form is empty and the supplier field has the focus again.
  await expect(supplier).toBeFocused();
  await expect(page.getByTestId('op-line')).toHaveCount(1);

  console.log(`3-line receipt: ${kb.pressed.length} key presses: ${kb.pressed.map((k) => (k.length === 1 ? `'${k}'` : k)).join(' ')}`);
  expect(kb.pressed.length).toBeLessThan(40);
  expect(kb.pressed).toEqual(['Alt+3', 'a', 'c', 'Enter', ...'flo', 'Enter', '1', '0', 'Enter', ...'2.5', 'Enter', ...'sug', 'Enter', '2', '0', 'Enter', ...'1.2', 'Enter', ...'but', 'Enter', '5', 'Enter', ...'3.4', 'Control+Enter', 'Control+Enter']);

  // The effective time is one tab stop: Tab leaves it for the next field (not its month, year, hour… parts).
  await page.getByLabel('Effective time').focus();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('checkbox', { name: 'Duty paid', exact: true })).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(page.getByLabel('Effective time')).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(page.getByLabel('Reference')).toBeFocused();

  // ---- Posted: Alt+2 opens Current Stock, its filter focused; the three products are in stock.
  await page.keyboard.press('Alt+2');
  const filter = page.getByLabel('Filter by SKU or name');
  await expect(filter).toBeFocused();
  const rows = page.getByTestId('stock-row');
  await expect(rows).toHaveCount(3, { timeout: 15_000 });
  for (const [sku, qty] of [
    ['FLOUR', '10'],
    ['SUGAR', '20'],
    ['BUTTER', '5'],
  ]) {
    await expect(rows.filter({ has: page.getByTestId('stock-sku').getByText(sku!, { exact: true }) }).getByTestId('stock-on-hand')).toContainText(qty!);
  }

  // "?" in a text field is a character; elsewhere it opens the shortcut list, which Esc closes.
  await page.keyboard.type('?');
  await expect(filter).toHaveValue('?');
  await expect(page.getByTestId('shortcut-help')).toHaveCount(0);
  await filter.fill('');
  await expect(rows).toHaveCount(3);
  // ↓ from a focused row moves to the next; Enter opens that row's product in the Enquiry.
  await rows.first().focus();
  await page.keyboard.press('?');
  const help = page.getByTestId('shortcut-help');
  await expect(help).toBeVisible();
  await expect(help).toContainText('Ctrl+K or F3');
  await expect(help).toContainText('Alt+6 or Ctrl+Shift+6');
  await page.screenshot({ path: 'test-results/keyboard-help.png' });
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);
  await rows.first().focus();
  await page.keyboard.press('ArrowDown');
  const second = rows.nth(1);
  await expect(second).toBeFocused();
  const secondSku = (await second.getByTestId('stock-sku').innerText()).trim();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/enquiry\?product=\d+/);
  await expect(page.getByTestId('chip-product')).toContainText(secondSku);
  await expect(page.getByTestId('mv-qty')).toHaveCount(1);

  // Esc closes a docked panel: the product details opened from the grid.
  await page.getByTestId('mv-product').first().focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('product-details')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('product-details')).toHaveCount(0);

  // Ctrl+K finds a product by part of its name and opens it in the Enquiry.
  await page.keyboard.press('Control+k');
  const palette = page.getByTestId('command-palette');
  await expect(palette).toBeVisible();
  await expect(page.getByTestId('palette-input')).toBeFocused();
  await page.keyboard.type('sugar', { delay: 60 });
  await expect(page.getByTestId('palette-item').filter({ hasText: 'SUGAR — Caster sugar' })).toBeVisible();
  await page.screenshot({ path: 'test-results/keyboard-palette.png' });
  const items = page.getByTestId('palette-item');
  const at = (await items.allInnerTexts()).findIndex((t) => t.includes('SUGAR — Caster sugar'));
  for (let i = 0; i < at; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(palette).toHaveCount(0);
  await expect(page.getByTestId('chip-product')).toContainText('SUGAR');
  await expect(page.getByTestId('mv-qty')).toHaveText(['+20']);

  // F3 finds the document by its supplier: its three movements.
  await page.keyboard.press('F3');
  await expect(palette).toBeVisible();
  await page.keyboard.type('acme', { delay: 60 });
  const doc = page.getByTestId('palette-item').filter({ hasText: 'Acme Foods' });
  await expect(doc).toHaveCount(1);
  await expect(doc).toContainText('Receipt');
  const docAt = (await items.allInnerTexts()).findIndex((t) => t.includes('Acme Foods'));
  for (let i = 0; i < docAt; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('chip-document')).toBeVisible();
  await expect(page.getByTestId('mv-qty')).toHaveCount(3);

  // ... and a window by name; Esc closes the palette without going anywhere.
  await page.keyboard.press('Control+k');
  await page.keyboard.type('sites', { delay: 60 });
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/sites$/);
  await page.keyboard.press('F3');
  await expect(palette).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(palette).toHaveCount(0);
  await expect(page).toHaveURL(/#\/sites$/);

  // Alt+1…6 open the first six windows, each with the focus in its first field; the rail's tooltips say so.
  for (const [key, title] of [
    ['Alt+1', 'Movement Enquiry'],
    ['Alt+4', 'Stock Counts'],
    ['Alt+5', 'Financial Posting'],
    ['Alt+6', 'Products'],
  ]) {
    await page.keyboard.press(key!);
    await expect(page.locator('header')).toContainText(title!);
  }
  await expect(page.getByTestId('nav-operations')).toHaveAttribute('title', 'Stock Operations (Alt+3 or Ctrl+Shift+3)');
  // Ctrl+Shift+1…6 do the same, in a browser window too (Chrome keeps Alt+digits for its tabs), even from a text field.
  for (const [key, title] of [
    ['Control+Shift+2', 'Current Stock'],
    ['Control+Shift+3', 'Stock Operations'],
    ['Control+Shift+1', 'Movement Enquiry'],
  ]) {
    await page.keyboard.press(key!);
    await expect(page.locator('header')).toContainText(title!);
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('INPUT');
  }
  await page.keyboard.press('Alt+1');
  await expect(page.locator('header')).toContainText('Movement Enquiry');
  await expect.poll(() => page.evaluate(() => Boolean(document.activeElement?.closest('main')) && document.activeElement?.tagName)).toBe('INPUT');
  expect(errors).toEqual([]);
});

test('Add line puts the focus in the new line; Esc goes back from the review to the field it was opened from', async ({ page }) => {
  await page.goto(`/#token=${E2E_TOKEN}`);
  await expect(page.getByTestId('stock-row').first()).toBeVisible({ timeout: 30_000 });
  await page.keyboard.press('Alt+3');
  // The Operations window's code loads on first use ("Opening…"): seconds on a busy machine.
  await expect(page.getByTestId('supplier-picker')).toBeFocused({ timeout: 30_000 });
  await page.keyboard.type('ac', { delay: 60 });
  await page.keyboard.press('Enter');
  await expect(combo(page, 'Line 1 product')).toBeFocused();
  await page.keyboard.type('sug', { delay: 60 });
  await page.keyboard.press('Enter');
  await expect(field(page, 'Line 1 quantity')).toBeFocused();
  await page.keyboard.type('2', { delay: 60 });
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('op-post')).toBeFocused();
  await expect(page.getByTestId('op-post')).toHaveAttribute('title', 'Post these movements (Ctrl+Enter)');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('op-review')).toHaveCount(0);
  await expect(field(page, 'Line 1 quantity')).toBeFocused();
  const add = page.getByRole('button', { name: 'Add line' });
  await expect(add).toHaveAttribute('title', /Enter in the line’s last field/);
  await add.focus();
  await page.keyboard.press('Enter');
  await expect(combo(page, 'Line 2 product')).toBeFocused();
  await expect(page.getByTestId('op-line')).toHaveCount(2);
});
