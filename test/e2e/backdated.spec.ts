import { expect, test, type Page } from '@playwright/test';
import { E2E_TOKEN } from '../../playwright.config';
import { choose, typeProduct } from './masterdata-steps';

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1366, height: 768 } });

/** A receipt of `qty` flour at the kitchen through the Operations form, effective at `at` (datetime-local text) or now. */
async function receive(page: Page, qty: string, at?: string): Promise<void> {
  await page.getByRole('link', { name: /Operations/ }).first().click();
  await page.getByRole('tab', { name: 'Receive' }).click();
  await page.getByLabel('Site', { exact: true }).selectOption({ label: 'Main kitchen' });
  // Untouched, the Effective time means the moment the receipt posts, and says so; a time typed is the one posted.
  await expect(page.getByTestId('effective-now')).toHaveText('· now, when posted');
  if (at) {
    await page.getByLabel('Effective time').fill(at);
    await expect(page.getByTestId('effective-now')).toHaveCount(0);
  }
  await typeProduct(page, 'Line 1 product', 'FLOUR-00');
  await page.getByLabel('Line 1 quantity').fill(qty);
  await page.getByLabel('Line 1 unit cost').fill('0.80');
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByTestId('review-row')).toHaveCount(1);
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(page.getByTestId('op-result')).toContainText('Posted Receipt (no reference): 1 movement.');
}

test('from an empty database: a receipt backdated three days is marked in the Enquiry, with both running balances', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // The Enquiry's page requests as sent over the browser mode's socket.
  const asked: string[] = [];
  page.on('websocket', (ws) => ws.on('framesent', (f) => typeof f.payload === 'string' && f.payload.includes('enquiry.movements') && asked.push(f.payload)));
  await page.goto(`/#token=${E2E_TOKEN}`);
  await expect(page.getByTestId('stock-empty-state')).toBeVisible({ timeout: 30_000 });

  // A site and a product, by their forms.
  await page.getByRole('link', { name: 'Set up sites and products' }).click();
  await page.getByTestId('site-new').click();
  await page.getByTestId('site-code').fill('KIT');
  await choose(page, 'site-kind', 'Kitchen');
  await page.getByTestId('site-name').fill('Main kitchen');
  await page.getByTestId('site-name').press('Enter');
  await expect(page.getByTestId('site-row-KIT')).toContainText('Kitchen');
  await page.getByRole('link', { name: /Products/ }).first().click();
  await page.getByTestId('product-new').click();
  await page.getByTestId('product-sku').fill('FLOUR-00');
  await page.getByTestId('product-name').fill('Flour 00');
  await page.getByTestId('product-save').click();
  await expect(page.getByTestId('product-added')).toContainText('Added FLOUR-00');
  await page.keyboard.press('Escape');

  // 99 arrive today; then a delivery of 7 from three days ago is booked, its effective time set on the form.
  await receive(page, '99');
  const threeDaysAgo = await page.evaluate(() => {
    const d = new Date(Date.now() - 3 * 86_400_000);
    const p = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T09:30`;
  });
  await receive(page, '7', threeDaysAgo);

  // The Enquiry lists newest effective first: today's 99, then the late 7, marked Backdated.
  await page.evaluate(() => (window.location.hash = '#/enquiry'));
  const rows = page.getByTestId('mv-row');
  await expect(rows).toHaveCount(2, { timeout: 30_000 });
  const [today, late] = [rows.nth(0), rows.nth(1)];
  await expect(today.getByTestId('mv-qty')).toHaveText('+99');
  await expect(today.getByTestId('mv-backdated')).toHaveCount(0);
  await expect(today.getByTestId('mv-on-date')).toHaveText(/^→ 106 /);
  await expect(today.getByTestId('mv-after')).toHaveText(/^→ 99 /);
  await expect(late.getByTestId('mv-qty')).toHaveText('+7');
  // On its own date the stock was 7, never the 106 the recording order reaches.
  await expect(late.getByTestId('mv-on-date')).toHaveText(/^→ 7 /);
  await expect(late.getByTestId('mv-after')).toHaveText(/^→ 106 /);
  await page.screenshot({ path: 'test-results/backdated-enquiry-balances.png' });
  const marker = late.getByTestId('mv-backdated');
  await expect(marker).toHaveText('Backdated');
  await marker.hover();
  await expect(page.getByRole('tooltip')).toContainText('Backdated: recorded ');
  await page.screenshot({ path: 'test-results/backdated-enquiry.png' });

  // Both balance columns are named in the grid and can be hidden like the others.
  await expect(page.getByRole('columnheader', { name: 'Balance on that date' })).toBeVisible();
  await expect(page.getByRole('columnheader', { name: 'Balance (as recorded)' })).toBeVisible();
  await page.getByRole('button', { name: /Columns/ }).click();
  await page.getByRole('menuitemcheckbox', { name: 'Balance (as recorded)' }).click();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('columnheader', { name: 'Balance (as recorded)' })).toHaveCount(0);
  await expect(page.getByRole('columnheader', { name: 'Balance on that date' })).toBeVisible();

  // Hidden, the balance on that date is not asked for (it costs a scan per product and site); shown again, it is.
  const toggleOnDate = async () => {
    await page.getByRole('button', { name: /Columns/ }).click();
    await page.getByRole('menuitemcheckbox', { name: 'Balance on that date' }).click();
    await page.keyboard.press('Escape');
  };
  await toggleOnDate();
  await expect(page.getByRole('columnheader', { name: 'Balance on that date' })).toHaveCount(0);
  await expect(rows).toHaveCount(2);
  await expect.poll(() => asked.some((a) => a.includes('"balanceOnDate":false'))).toBe(true);
  await toggleOnDate();
  await expect(late.getByTestId('mv-on-date')).toHaveText(/^→ 7 /);
  await expect(today.getByTestId('mv-on-date')).toHaveText(/^→ 106 /);
  await expect.poll(() => asked.at(-1)?.includes('"balanceOnDate":true')).toBe(true);
  expect(errors).toEqual([]);
});

test('stock cannot go out before it arrived: a wastage dated before the first receipt is refused saying when it arrives; left at now, it posts', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`/#token=${E2E_TOKEN}`);
  // The ledger of the test above: 7 flour from three days ago, 99 today, at a kitchen that refuses negative stock.
  const fourDaysAgo = await page.evaluate(() => {
    const d = new Date(Date.now() - 4 * 86_400_000);
    const p = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T18:00`;
  });
  await page.getByRole('link', { name: /Operations/ }).first().click();
  await page.getByRole('tab', { name: 'Wastage / clear', exact: true }).click();
  await page.getByLabel('Site', { exact: true }).selectOption({ label: 'Main kitchen' });
  await page.getByLabel('Reason', { exact: true }).selectOption('damaged');
  await typeProduct(page, 'Line 1 product', 'FLOUR-00');
  await page.getByLabel('Line 1 quantity').fill('5');
  await page.getByLabel('Effective time').fill(fourDaysAgo);
  await page.getByRole('button', { name: 'Review' }).click();
  const error = page.getByTestId('error-bar');
  await expect(error).toContainText(/Line 1: FLOUR-00 "Flour 00" at Main kitchen on .*: held 0 then \(stock arrives later, first on .*\), this takes 5, short by 5\. Date the line on or after the receipt, or receive the stock first\./);
  await expect(page.getByTestId('op-review')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/backdated-wastage-refused.png' });
  // More than the kitchen holds even now: dating it later would not help, and the refusal does not say to.
  await error.getByRole('button', { name: 'Dismiss' }).click();
  await page.getByLabel('Line 1 quantity').fill('200');
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(error).toContainText(/this takes 200, short by 200\. Dated later it would still be short \(Main kitchen holds 106 now\): lower the quantity, or receive the stock first\./);
  await page.screenshot({ path: 'test-results/backdated-wastage-refused-beyond-now.png' });
  await page.getByLabel('Line 1 quantity').fill('5');

  // Dated two days ago (after the late 7, before today's 99): the Review shows what was held then, 7 → 2, not the 106 now.
  await error.getByRole('button', { name: 'Dismiss' }).click();
  await page.getByLabel('Effective time').fill(fourDaysAgo.replace(/^(\d{4}-\d\d-\d\d)/, (day) => new Date(Date.parse(`${day}T12:00:00Z`) + 2 * 86_400_000).toISOString().slice(0, 10)));
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByTestId('review-on-hand-site-head')).toHaveText('On hand then → after (site)');
  await expect(page.getByTestId('review-on-hand-site')).toHaveText(/^7 → 2/);
  await expect(page.getByTestId('form-on-hand-head')).toHaveText('On hand now');
  await page.screenshot({ path: 'test-results/backdated-wastage-review-then.png' });
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('op-review')).toHaveCount(0);

  // The same wastage as a new form leaves it (now): 106 on hand, it posts.
  await page.getByRole('tab', { name: 'Receive', exact: true }).click();
  await page.getByRole('tab', { name: 'Wastage / clear', exact: true }).click();
  await page.getByRole('button', { name: 'Start afresh' }).click();
  await expect(page.getByTestId('effective-now')).toBeVisible();
  await page.getByLabel('Site', { exact: true }).selectOption({ label: 'Main kitchen' });
  await page.getByLabel('Reason', { exact: true }).selectOption('damaged');
  await typeProduct(page, 'Line 1 product', 'FLOUR-00');
  await page.getByLabel('Line 1 quantity').fill('5');
  await page.screenshot({ path: 'test-results/backdated-wastage-now.png' });
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByTestId('review-row')).toHaveCount(1);
  await expect(page.getByTestId('review-on-hand-site-head')).toHaveText('On hand → after (site)');
  await expect(page.getByTestId('review-on-hand-site')).toHaveText(/^106 → 101/);
  await expect(page.getByTestId('form-on-hand-head')).toHaveText('On hand');
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(page.getByTestId('op-result')).toContainText(/^Posted Wastage .*: 1 movement\./);
  expect(errors).toEqual([]);
});

test('a Review whose rounded rows do not add up to its total says the total is exact: two wastage lines of 0.8333 show 0.83 each, value out 1.67', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`/#token=${E2E_TOKEN}`);
  await page.getByRole('link', { name: /Operations/ }).first().click();
  await page.getByRole('tab', { name: 'Receive' }).click();
  await page.getByLabel('Site', { exact: true }).selectOption({ label: 'Main kitchen' });
  await typeProduct(page, 'Line 1 product', 'FLOUR-00');
  await page.getByLabel('Line 1 quantity').fill('10');
  await page.getByLabel('Line 1 unit cost').fill('0.8333');
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByTestId('review-rounding')).toHaveCount(0);
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(page.getByTestId('op-result')).toContainText('Posted Receipt');

  await page.getByRole('tab', { name: 'Wastage / clear', exact: true }).click();
  await page.getByLabel('Site', { exact: true }).selectOption({ label: 'Main kitchen' });
  await page.getByLabel('Reason', { exact: true }).selectOption('damaged');
  await typeProduct(page, 'Line 1 product', 'FLOUR-00');
  await page.getByLabel('Line 1 quantity').fill('1');
  await page.getByRole('button', { name: 'Add line' }).click();
  await typeProduct(page, 'Line 2 product', 'FLOUR-00');
  await page.getByLabel('Line 2 quantity').fill('1');
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByTestId('review-row')).toHaveCount(2);
  await expect(page.getByTestId('review-net')).toHaveText('-£1.67');
  await expect(page.getByTestId('review-rounding')).toHaveText('· the rows are rounded; exact value out £1.6666');
  await page.screenshot({ path: 'test-results/review-rounding.png' });
  expect(errors).toEqual([]);
});
