import { expect, test, type Page } from '@playwright/test';
import { E2E_TOKEN } from '../../playwright.config';
import { setUpSiteAndProduct, twoWindows, typeProduct } from './masterdata-steps';

test.describe.configure({ mode: 'serial' });

/** "Administrator changed it at 2 Dec 2026, 10:45" — who and when, in the company's format. */
const CHANGED_BY = /was changed by Administrator at .*\d{1,2}:\d{2}.* after you opened it, so your change was not saved\. Reload to see the current values, then make your change again\./;

async function openWindow(page: Page): Promise<void> {
  await page.goto(`/#token=${E2E_TOKEN}`);
  await expect(page.getByRole('link', { name: /^Stock/ }).first()).toBeVisible({ timeout: 30_000 });
}

test('two people edit the same product, adjustment draft line and count line: the second save is refused with who, when and the values now saved; Reload, edit, save', async ({ browser }) => {
  const { a, b, errors } = await twoWindows(browser);

  // A sets up a site and a product on the empty database.
  await a.goto(`/#token=${E2E_TOKEN}`);
  await expect(a.getByTestId('stock-empty-state')).toBeVisible({ timeout: 30_000 });
  await setUpSiteAndProduct(a, { code: 'BAR', kind: 'Shop', name: 'Front bar' }, { sku: 'GIN-70', name: 'London dry gin 70cl' });

  // Both open the product's form.
  await openWindow(b);
  for (const p of [a, b]) {
    await p.getByRole('link', { name: /Products/ }).first().click();
    await p.getByTestId('product-row-GIN-70').click();
    await p.getByTestId('product-edit').click();
    await expect(p.getByTestId('product-name')).toHaveValue('London dry gin 70cl');
  }

  // A renames it and saves; B, still on the version it opened, sets a low-stock level and saves.
  await a.getByTestId('product-name').fill('London dry gin 70cl (Tanqueray)');
  await a.getByTestId('product-country').fill('GB');
  await a.getByTestId('product-save').click();
  await expect(a.getByTestId('product-row-GIN-70')).toContainText('Tanqueray');
  await b.getByTestId('product-low').fill('6');
  await b.getByTestId('product-save').click();
  const refusal = b.getByTestId('product-form').getByTestId('error-bar');
  await expect(refusal).toContainText('Product GIN-70');
  await expect(refusal).toContainText(CHANGED_BY);
  // The values now saved: what A changed.
  await expect(refusal.getByTestId('saved-now')).toHaveText('Saved now: Name “London dry gin 70cl (Tanqueray)” · Country of origin “GB”');
  await b.screenshot({ path: 'test-results/concurrent-product-refused.png' });
  // In view, Reload focused (Enter reloads); nothing of B's save was written.
  await expect(refusal).toBeInViewport();
  await expect(refusal.getByTestId('reload-record')).toBeFocused();
  await a.getByTestId('product-row-GIN-70').click();
  await a.getByTestId('product-edit').click();
  await expect(a.getByTestId('product-low')).toHaveValue('');

  // Reload shows A's values; B makes the change again and it is saved.
  await refusal.getByTestId('reload-record').click();
  await expect(refusal).toHaveCount(0);
  await expect(b.getByTestId('product-name')).toHaveValue('London dry gin 70cl (Tanqueray)');
  await expect(b.getByTestId('product-country')).toHaveValue('GB');
  await expect(b.getByTestId('product-low')).toHaveValue('');
  await b.getByTestId('product-low').fill('6');
  await b.getByTestId('product-save').click();
  await expect(b.getByTestId('product-form').getByTestId('error-bar')).toHaveCount(0);
  await b.getByTestId('product-row-GIN-70').click();
  await b.getByTestId('product-edit').click();
  await expect(b.getByTestId('product-low')).toHaveValue('6');
  await expect(b.getByTestId('product-name')).toHaveValue('London dry gin 70cl (Tanqueray)');
  await b.screenshot({ path: 'test-results/concurrent-product-saved.png' });

  // An adjustment draft with one line, open in both windows.
  for (const p of [a, b]) {
    await p.getByRole('link', { name: /Operations/ }).first().click();
    await p.getByRole('tab', { name: 'Adjustments' }).click();
  }
  await a.getByLabel('New adjustment name').fill('Bar breakages');
  await a.getByRole('button', { name: 'Start draft' }).click();
  await typeProduct(a, 'New draft line product', 'GIN-70');
  await a.getByLabel('New draft line quantity').fill('-1');
  await a.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(a.getByTestId('draft-line')).toHaveCount(1);
  // B comes to the tab again to see the new draft, and resumes it.
  await b.getByRole('tab', { name: 'Receive' }).click();
  await b.getByRole('tab', { name: 'Adjustments' }).click();
  await b.getByTestId('draft-row').filter({ hasText: 'Bar breakages' }).getByRole('button', { name: 'Resume' }).click();
  const bQty = b.getByLabel('Draft line 1 quantity');
  await expect(bQty).toHaveValue('-1');

  // A makes it -2; B, from the line as it loaded it, makes it -3.
  const aQty = a.getByLabel('Draft line 1 quantity');
  await aQty.fill('-2');
  await aQty.blur();
  await expect(a.getByLabel('Draft line 1 quantity')).toHaveValue('-2');
  await a.getByLabel('New adjustment name').click();
  await bQty.fill('-3');
  await bQty.blur();
  const lineRefusal = b.getByTestId('error-bar');
  await expect(lineRefusal).toContainText('Not saved.');
  await expect(lineRefusal).toContainText('Line 1 of adjustment "Bar breakages"');
  await expect(lineRefusal).toContainText(CHANGED_BY);
  await expect(lineRefusal.getByTestId('saved-now')).toHaveText('Saved now: Qty “-2”');
  await b.screenshot({ path: 'test-results/concurrent-draft-line-refused.png' });

  await lineRefusal.getByTestId('reload-record').click();
  await expect(lineRefusal).toHaveCount(0);
  await expect(b.getByLabel('Draft line 1 quantity')).toHaveValue('-2');
  await b.getByLabel('Draft line 1 quantity').fill('-3');
  await b.getByLabel('Draft line 1 quantity').blur();
  await b.getByLabel('New adjustment name').click();
  await expect(b.getByTestId('error-bar')).toHaveCount(0);
  // A resumes the draft again: B's figure is the one saved.
  await a.getByTestId('draft-row').filter({ hasText: 'Bar breakages' }).getByRole('button', { name: 'Resume' }).click();
  await expect(a.getByLabel('Draft line 1 quantity')).toHaveValue('-3');
  await b.screenshot({ path: 'test-results/concurrent-draft-line-saved.png' });

  // A count line: A receives 10 at the bar and starts a full count there; both open its sheet.
  await a.getByRole('tab', { name: 'Receive' }).click();
  await a.getByLabel('Site', { exact: true }).selectOption({ label: 'Front bar' });
  await typeProduct(a, 'Line 1 product', 'GIN-70');
  await a.getByLabel('Line 1 quantity').fill('10');
  await a.getByLabel('Line 1 unit cost').fill('12.00');
  await a.getByRole('button', { name: 'Review' }).click();
  await a.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(a.getByTestId('op-result')).toContainText(/Posted Receipt .*: 1 movement\./);
  await a.getByRole('link', { name: 'Counts' }).click();
  await a.getByRole('button', { name: 'New count' }).click();
  await a.getByLabel('Count site').selectOption({ label: 'Front bar (BAR)' });
  await a.getByRole('button', { name: 'Create' }).click();
  await expect(a.getByTestId('count-sheet')).toContainText('full count');
  await b.getByRole('link', { name: 'Counts' }).click();
  await b.getByTestId('count-session').first().click();
  const cell = (p: Page) => p.getByTestId('count-row').filter({ hasText: 'GIN-70' }).getByTestId('count-counted-input');
  await expect(cell(b)).toHaveValue('');

  // B starts typing 9; meanwhile A counts 8 and saves. B's sheet hears of it (the summary), but B's typing stays.
  await cell(b).fill('9');
  await cell(a).fill('8');
  await cell(a).press('Tab');
  await expect(a.getByTestId('count-summary')).toContainText('1 of 1 counted');
  await expect(b.getByTestId('count-summary')).toContainText('1 of 1 counted');
  await expect(cell(b)).toHaveValue('9');
  // B saves from the line as it started typing: refused, with who, when and A's count.
  await cell(b).press('Tab');
  const countRefusal = b.getByTestId('error-bar');
  await expect(countRefusal).toContainText(/The count of GIN-70 on .+ was changed by Administrator/);
  await expect(countRefusal).toContainText(CHANGED_BY);
  await expect(countRefusal.getByTestId('saved-now')).toHaveText('Saved now: GIN-70 counted “8”');
  // The refused cell keeps B's 9 and says it is not saved; B's Complete is refused naming the line, never "skipped".
  await expect(cell(b)).toHaveValue('9');
  await expect(cell(b)).toHaveAttribute('aria-invalid', 'true');
  await expect(cell(b)).toHaveAccessibleDescription(/^Not saved: The count of GIN-70 on .+ was changed by Administrator/);
  await b.screenshot({ path: 'test-results/concurrent-count-line-refused.png' });
  await b.getByRole('button', { name: 'Complete', exact: true }).click();
  await expect(b.getByRole('dialog').getByTestId('count-complete-refused')).toContainText('1 line holds a counted quantity that is not saved, so the count cannot be completed yet: GIN-70 ');
  await expect(b.getByRole('dialog')).not.toContainText('skipped');
  await b.getByRole('dialog').getByRole('button', { name: 'Back' }).click();
  await expect(b.getByRole('dialog')).toHaveCount(0);
  // Reload shows A's figure: B's refused text goes with it.
  await countRefusal.getByTestId('reload-record').click();
  await expect(countRefusal).toHaveCount(0);
  await expect(cell(b)).toHaveValue('8');
  await expect(cell(b)).not.toHaveAttribute('aria-invalid', /.*/);
  await expect(b.getByTestId('count-unsaved-note')).toHaveCount(0);
  await cell(b).fill('9');
  await cell(b).press('Tab');
  await expect(b.getByTestId('error-bar')).toHaveCount(0);
  // A's sheet follows (live): B's 9 is the count saved.
  await expect(cell(a)).toHaveValue('9', { timeout: 5_000 });
  await b.screenshot({ path: 'test-results/concurrent-count-line-saved.png' });
  expect(errors).toEqual([]);
});
